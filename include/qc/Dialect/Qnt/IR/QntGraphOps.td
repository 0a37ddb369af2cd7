//===- QntGraphOps.td - qnt graph operations ---------------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Neural-network graph ops, valid on float tensors and on quantized tensors.
// Activations are NHWC, convolution weights OHWI (docs/layout.md).
//
// Every graph op checks that its tensors are all float (one float type) or
// all quantized with one expressed type. Ops whose result shape follows from
// their operands implement InferShapedTypeOpInterface; the verifier computes
// the same shape through the same C++ helper and rejects a declared result
// shape that is incompatible with it (`?` is compatible with any size).
// Inference returns shapes only: a quantized result carries its own scale.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_IR_QNTGRAPHOPS_TD
#define QC_DIALECT_QNT_IR_QNTGRAPHOPS_TD

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

/// A graph op with a verifier. All graph ops are free of side effects.
/// The verifier checks element types (QntGraphOps.cpp) and calls
/// verifyShapes (QntGraphShapes.cpp) for shapes and shape attributes.
class Qnt_GraphOp<string mnemonic, list<Trait> traits = []>
    : Qnt_Op<mnemonic, !listconcat(traits, [Pure])> {
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Checks operand shapes and shape attributes, and that the declared
    /// result shape is compatible with the one they imply.
    ::llvm::LogicalResult verifyShapes();
  }];
}

/// A graph op whose result shape is inferred from its operands and
/// attributes (InferShapedTypeOpInterface, adaptor form).
class Qnt_ShapedGraphOp<string mnemonic, list<Trait> traits = []>
    : Qnt_GraphOp<mnemonic, !listconcat(traits, [InferShapedTypeOpAdaptor])>;

/// Elementwise ops with one operand: same shape in and out. The element
/// types may differ only in quantization parameters (a quantized result has
/// its own scale), so the verifier checks float-vs-quantized agreement.
class Qnt_UnaryElementwiseOp<string mnemonic, list<Trait> traits = []>
    : Qnt_ShapedGraphOp<mnemonic,
                        !listconcat(traits, [SameOperandsAndResultShape])> {
  let arguments = (ins Qnt_FloatOrQuantizedTensor:$input);
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

/// Elementwise ops with two operands and numpy-style broadcasting.
class Qnt_BinaryElementwiseOp<string mnemonic, list<Trait> traits = []>
    : Qnt_ShapedGraphOp<mnemonic, traits> {
  let arguments = (ins Qnt_FloatOrQuantizedTensor:$lhs,
                       Qnt_FloatOrQuantizedTensor:$rhs);
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
}

/// 2-D pooling over the H and W dimensions of an NHWC tensor.
class Qnt_Pool2DOp<string mnemonic, list<Trait> traits = []>
    : Qnt_ShapedGraphOp<mnemonic, traits> {
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $input `kernel` $kernel (`strides` $strides^)? (`padding` $padding^)?
    attr-dict `:` type($input) `->` type($output)
  }];
}

//===----------------------------------------------------------------------===//
// Convolution and matrix products
//===----------------------------------------------------------------------===//

def Qnt_Conv2DOp : Qnt_ShapedGraphOp<"conv2d"> {
  let summary = "2-D convolution over an NHWC input with OHWI weights";
  let description = [{
    Convolves `input` `[N, H, W, C]` with `weight` `[O, KH, KW, C / groups]`
    and adds the optional `bias` `[O]`. The result is `[N, OH, OW, O]` with

    `OH = (H + pad_top + pad_bottom - dilation_h * (KH - 1) - 1) / stride_h + 1`

    and likewise for `OW` (integer division; the result must have at least
    one row and column). `strides` and `dilations` are `[h, w]`, each
    at least 1; `padding` is `[top, bottom, left, right]`, each at least 0.
    With `groups = g`, input and output channels split into `g` groups and
    output group `i` sees only input group `i`: `C` and `O` must be
    multiples of `g`.

    Quantized: `input` and `output` are quantized per tensor; `weight` per
    tensor, per axis 0 (output channels) or per group; `bias` per tensor or
    per axis 0 (usually i32 with scale `S_w * S_x`).

    ```mlir
    %y = qnt.conv2d %x, %w, %b strides [2, 2] padding [1, 1, 1, 1]
           : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>)
           -> tensor<1x4x4x16xf32>
    ```
  }];
  let arguments = (ins
    Qnt_FloatOrQuantizedTensor:$input,
    Qnt_FloatOrQuantizedTensor:$weight,
    Optional<Qnt_FloatOrQuantizedTensor>:$bias,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
    DefaultValuedAttr<I64Attr, "1">:$groups
  );
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`strides` $strides^)?
    (`dilations` $dilations^)? (`padding` $padding^)? (`groups` $groups^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Qnt_DepthwiseConv2DOp : Qnt_ShapedGraphOp<"depthwise_conv2d"> {
  let summary = "depthwise 2-D convolution, TFLite weight layout";
  let description = [{
    Convolves each channel of `input` `[N, H, W, C]` separately with `M`
    filters (the channel multiplier). `weight` is `[1, KH, KW, C * M]` as in
    TFLite: output channel `c * M + m` uses input channel `c`. The optional
    `bias` is `[C * M]`; the result is `[N, OH, OW, C * M]` with `OH`, `OW`
    as for `qnt.conv2d`, which also describes `strides`, `dilations` and
    `padding`.

    Quantized: `input` and `output` per tensor; `weight` per tensor, per
    axis 3 (output channels) or per group; `bias` per tensor or per axis 0.

    ```mlir
    %y = qnt.depthwise_conv2d %x, %w, %b padding [1, 1, 1, 1]
           : (tensor<1x8x8x4xf32>, tensor<1x3x3x8xf32>, tensor<8xf32>)
           -> tensor<1x8x8x8xf32>
    ```
  }];
  let arguments = (ins
    Qnt_FloatOrQuantizedTensor:$input,
    Qnt_FloatOrQuantizedTensor:$weight,
    Optional<Qnt_FloatOrQuantizedTensor>:$bias,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding
  );
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`strides` $strides^)?
    (`dilations` $dilations^)? (`padding` $padding^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Qnt_FullyConnectedOp : Qnt_ShapedGraphOp<"fully_connected"> {
  let summary = "fully connected layer: input x weight^T + bias";
  let description = [{
    `output[n, o] = sum_k input[n, k] * weight[o, k] + bias[o]` with `input`
    `[N, K]`, `weight` `[O, K]` (one row per output feature, as TFLite and
    ONNX Gemm with transB) and the optional `bias` `[O]`. The result is
    `[N, O]`.

    Quantized: `input` and `output` per tensor; `weight` per tensor, per
    axis 0 or per group; `bias` per tensor or per axis 0.

    ```mlir
    %y = qnt.fully_connected %x, %w, %b
           : (tensor<2x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<2x10xf32>
    ```
  }];
  let arguments = (ins
    Qnt_FloatOrQuantizedTensor:$input,
    Qnt_FloatOrQuantizedTensor:$weight,
    Optional<Qnt_FloatOrQuantizedTensor>:$bias
  );
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Qnt_MatMulOp : Qnt_ShapedGraphOp<"matmul"> {
  let summary = "batched matrix product";
  let description = [{
    `lhs` `[..., M, K]` times `rhs` `[..., K, N]` gives `[..., M, N]`. Both
    operands have the same rank (at least 2) and the same leading (batch)
    dimensions; there is no broadcasting.

    Quantized: `lhs` and `output` per tensor; `rhs` per tensor, per axis
    `rank - 1` (its output columns, when it holds weights) or per group.

    ```mlir
    %y = qnt.matmul %a, %b : tensor<4x8x16xf32>, tensor<4x16x32xf32> -> tensor<4x8x32xf32>
    ```
  }];
  let arguments = (ins Qnt_FloatOrQuantizedTensor:$lhs,
                       Qnt_FloatOrQuantizedTensor:$rhs);
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def Qnt_BatchNormOp : Qnt_ShapedGraphOp<"batch_norm"> {
  let summary = "batch normalization, inference form, channel last";
  let description = [{
    `output = gamma * (input - mean) / sqrt(variance + epsilon) + beta`,
    with `gamma`, `beta`, `mean` and `variance` of shape `[C]` indexed by
    the last dimension of `input`. `epsilon` must be positive and finite.

    Float only: `qnt-fold-batch-norm` folds it into the preceding
    convolution or fully connected layer before quantization, so quantized
    operands are rejected.

    ```mlir
    %y = qnt.batch_norm %x, %gamma, %beta, %mean, %var epsilon 1.0e-3
           : (tensor<1x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
              tensor<4xf32>) -> tensor<1x8x8x4xf32>
    ```
  }];
  let arguments = (ins
    Qnt_FloatOrQuantizedTensor:$input,
    Qnt_FloatOrQuantizedTensor:$gamma,
    Qnt_FloatOrQuantizedTensor:$beta,
    Qnt_FloatOrQuantizedTensor:$mean,
    Qnt_FloatOrQuantizedTensor:$variance,
    DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon
  );
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta `,` $mean `,` $variance
    (`epsilon` $epsilon^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

def Qnt_AddOp : Qnt_BinaryElementwiseOp<"add", [Commutative]> {
  let summary = "elementwise addition with broadcasting";
  let description = [{
    Numpy-style broadcasting: shapes are aligned at their trailing
    dimensions; each pair of sizes must be equal or one of them 1, and the
    result takes the larger. The result shape is the broadcast shape.

    ```mlir
    %y = qnt.add %a, %b : tensor<1x8x8x4xf32>, tensor<4xf32> -> tensor<1x8x8x4xf32>
    ```
  }];
}

def Qnt_MulOp : Qnt_BinaryElementwiseOp<"mul", [Commutative]> {
  let summary = "elementwise multiplication with broadcasting";
  let description = [{
    Broadcasts like `qnt.add`.

    ```mlir
    %y = qnt.mul %a, %b : tensor<2x1x4xf32>, tensor<3x1xf32> -> tensor<2x3x4xf32>
    ```
  }];
}

def Qnt_ReluOp : Qnt_UnaryElementwiseOp<"relu"> {
  let summary = "rectified linear unit: max(x, 0)";
  let description = [{
    ```mlir
    %y = qnt.relu %x : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
    ```
  }];
}

def Qnt_Relu6Op : Qnt_UnaryElementwiseOp<"relu6"> {
  let summary = "rectified linear unit capped at 6: min(max(x, 0), 6)";
  let description = [{
    ```mlir
    %y = qnt.relu6 %x : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
    ```
  }];
}

def Qnt_ClampOp : Qnt_UnaryElementwiseOp<"clamp"> {
  let summary = "clamp to the real interval [min, max]";
  let description = [{
    `min(max(x, min), max)`. The bounds are real values (also for quantized
    tensors, where lowering maps them to storage values); both must be
    finite and `min <= max`.

    ```mlir
    %y = qnt.clamp %x min -1.0 max 1.0 : tensor<16xf32> -> tensor<16xf32>
    ```
  }];
  let arguments = (ins Qnt_FloatOrQuantizedTensor:$input, F64Attr:$min,
                       F64Attr:$max);
  let assemblyFormat = [{
    $input `min` $min `max` $max attr-dict `:` type($input) `->` type($output)
  }];
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def Qnt_MaxPool2DOp : Qnt_Pool2DOp<"max_pool2d"> {
  let summary = "2-D max pooling over an NHWC tensor";
  let description = [{
    Takes the maximum over `kernel` `[KH, KW]` windows of `input`
    `[N, H, W, C]`. `strides` (`[h, w]`, at least 1) and `padding`
    (`[top, bottom, left, right]`, at least 0) are as for `qnt.conv2d`;
    padded positions never win. The result is `[N, OH, OW, C]`.
    Quantized tensors are quantized per tensor.

    ```mlir
    %y = qnt.max_pool2d %x kernel [2, 2] strides [2, 2]
           : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
    ```
  }];
  let arguments = (ins
    Qnt_FloatOrQuantizedTensor:$input,
    DenseI64ArrayAttr:$kernel,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding
  );
}

def Qnt_AvgPool2DOp : Qnt_Pool2DOp<"avg_pool2d"> {
  let summary = "2-D average pooling over an NHWC tensor";
  let description = [{
    Averages `kernel` `[KH, KW]` windows of `input` `[N, H, W, C]`; shape
    rules as for `qnt.max_pool2d`. With `count_include_pad = false` (the
    default, as TFLite and ONNX) the divisor counts only the input
    positions inside the window; with `true` it is always `KH * KW`.
    Quantized tensors are quantized per tensor.

    ```mlir
    %y = qnt.avg_pool2d %x kernel [3, 3] padding [1, 1, 1, 1]
           {count_include_pad = true}
           : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
    ```
  }];
  let arguments = (ins
    Qnt_FloatOrQuantizedTensor:$input,
    DenseI64ArrayAttr:$kernel,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
    DefaultValuedAttr<BoolAttr, "false">:$count_include_pad
  );
}

def Qnt_GlobalAvgPoolOp : Qnt_ShapedGraphOp<"global_avg_pool"> {
  let summary = "average over the whole H x W plane of an NHWC tensor";
  let description = [{
    `[N, H, W, C]` to `[N, 1, 1, C]`. Quantized tensors are quantized per
    tensor.

    ```mlir
    %y = qnt.global_avg_pool %x : tensor<1x7x7x64xf32> -> tensor<1x1x1x64xf32>
    ```
  }];
  let arguments = (ins Qnt_FloatOrQuantizedTensor:$input);
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Qnt_PadOp : Qnt_ShapedGraphOp<"pad"> {
  let summary = "pad a tensor with a constant real value";
  let description = [{
    `padding` holds `[d0_low, d0_high, d1_low, d1_high, ...]`, two entries
    per dimension, each at least 0; result dimension `i` is
    `dim_i + low_i + high_i`. The new elements hold the real value `value`
    (default 0.0), which must be finite; for quantized tensors it stands
    for the storage value that represents it.

    ```mlir
    %y = qnt.pad %x padding [0, 0, 1, 1, 1, 1, 0, 0]
           : tensor<1x8x8x4xf32> -> tensor<1x10x10x4xf32>
    ```
  }];
  let arguments = (ins
    Qnt_FloatOrQuantizedTensor:$input,
    DenseI64ArrayAttr:$padding,
    DefaultValuedAttr<F64Attr, "0.0">:$value
  );
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $input `padding` $padding (`value` $value^)? attr-dict `:` type($input)
    `->` type($output)
  }];
}

def Qnt_ReshapeOp : Qnt_GraphOp<"reshape"> {
  let summary = "reinterpret the elements of a tensor with a new shape";
  let description = [{
    The result type gives the new shape; row-major element order is kept,
    and the element counts must match when both shapes are static.
    Per-axis and per-group quantized tensors are rejected, since their
    scales are tied to one dimension; per-tensor quantized and float
    tensors reshape freely.

    ```mlir
    %y = qnt.reshape %x : tensor<1x1x1x64xf32> -> tensor<1x64xf32>
    ```
  }];
  let arguments = (ins Qnt_FloatOrQuantizedTensor:$input);
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Qnt_TransposeOp : Qnt_ShapedGraphOp<"transpose"> {
  let summary = "permute the dimensions of a tensor";
  let description = [{
    Result dimension `i` is input dimension `permutation[i]`; `permutation`
    is a permutation of `[0, rank)`. A per-axis (or per-group) quantized
    input keeps its scales on the same data, so the result must be
    quantized on the position the input axis moved to.

    ```mlir
    %y = qnt.transpose %x permutation [0, 3, 1, 2]
           : tensor<1x8x8x4xf32> -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins Qnt_FloatOrQuantizedTensor:$input,
                       DenseI64ArrayAttr:$permutation);
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $input `permutation` $permutation attr-dict `:` type($input) `->`
    type($output)
  }];
}

def Qnt_ConcatOp : Qnt_ShapedGraphOp<"concat"> {
  let summary = "concatenate tensors along one dimension";
  let description = [{
    Joins one or more `inputs` of equal rank along `axis`
    (`0 <= axis < rank`). All other dimensions must be equal; the result's
    `axis` dimension is the sum of the inputs'.

    ```mlir
    %y = qnt.concat %a, %b axis 3
           : (tensor<1x8x8x4xf32>, tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins Variadic<Qnt_FloatOrQuantizedTensor>:$inputs,
                       I64Attr:$axis);
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $inputs `axis` $axis attr-dict `:` functional-type($inputs, results)
  }];
}

def Qnt_SoftmaxOp : Qnt_ShapedGraphOp<"softmax"> {
  let summary = "softmax along one dimension";
  let description = [{
    `exp(x_i) / sum_j exp(x_j)` along `axis`. `axis` may be negative and
    then counts from the end (`-1`, the default, is the last dimension):
    `-rank <= axis < rank`. The result has the input's shape.

    ```mlir
    %y = qnt.softmax %x : tensor<2x10xf32> -> tensor<2x10xf32>
    %z = qnt.softmax %x axis 0 : tensor<2x10xf32> -> tensor<2x10xf32>
    ```
  }];
  let arguments = (ins Qnt_FloatOrQuantizedTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Qnt_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $input (`axis` $axis^)? attr-dict `:` type($input) `->` type($output)
  }];
}

#endif // QC_DIALECT_QNT_IR_QNTGRAPHOPS_TD
