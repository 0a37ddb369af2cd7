//===- QntDialect.td - qnt dialect definition --------------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The qnt dialect: quantized tensor types (scale and zero point per tensor,
// per channel or per group) and graph ops that are valid on float and on
// quantized tensors.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_IR_QNTDIALECT_TD
#define QC_DIALECT_QNT_IR_QNTDIALECT_TD

include "mlir/IR/OpBase.td"

def Qnt_Dialect : Dialect {
  let name = "qnt";
  let cppNamespace = "::qc::qnt";
  let summary = "Quantized tensor types and graph operations";
  let description = [{
    The `qnt` dialect describes neural-network graphs on float or on
    uniformly quantized tensors, following Jacob et al. 2018 ("Quantization
    and Training of Neural Networks for Efficient Integer-Arithmetic-Only
    Inference"). A real value `r` and its quantized value `q` are related by
    `r = S * (q - Z)` where `S` (scale) and `Z` (zero point) are carried by
    the `!qnt.uniform` element type, per tensor, per axis or per group.

    Graph ops use the NHWC activation layout and OHWI convolution weights
    (see docs/layout.md). The integer op `qnt.fixed_point_mul` carries the
    bit-exact rescale of the integer arithmetic contract (DESIGN.md
    section 3) that the CPU and NPU back ends implement.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  // `qnt.rounding` on a module (qc/Dialect/Qnt/Utils/ModelRounding.h).
  let hasOperationAttrVerify = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let extraClassDeclaration = [{
    void registerTypes();
    void registerAttributes();
  }];
}

/// Every qnt op checks that quantized element types fit the shapes they
/// are used on (axis in range, one scale per channel or group).
def Qnt_QuantizedShapesVerified : NativeOpTrait<"QuantizedShapesVerified"> {
  let cppNamespace = "::qc::qnt";
}

class Qnt_Op<string mnemonic, list<Trait> traits = []>
    : Op<Qnt_Dialect, mnemonic, !listconcat(traits, [Qnt_QuantizedShapesVerified])>;

#endif // QC_DIALECT_QNT_IR_QNTDIALECT_TD
