//===- QntGraphOps.td - qnt graph operations ---------------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Neural-network graph ops, valid on float tensors and on quantized tensors.
// Activations are NHWC, convolution weights OHWI (docs/layout.md).
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_IR_QNTGRAPHOPS_TD
#define QC_DIALECT_QNT_IR_QNTGRAPHOPS_TD

/// Elementwise ops with one operand: same shape in and out. The element
/// types may differ only in quantization parameters (a quantized result has
/// its own scale), so the verifier checks float-vs-quantized agreement.
class Qnt_UnaryElementwiseOp<string mnemonic, list<Trait> traits = []>
    : Qnt_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultShape])> {
  let arguments = (ins Qnt_FloatOrQuantizedTensor:$input);
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Qnt_ReluOp : Qnt_UnaryElementwiseOp<"relu"> {
  let summary = "rectified linear unit: max(x, 0)";
  let description = [{
    ```mlir
    %y = qnt.relu %x : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
    ```
  }];
}

#endif // QC_DIALECT_QNT_IR_QNTGRAPHOPS_TD
