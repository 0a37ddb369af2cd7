//===- Passes.td - qnt pass declarations -------------------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_TRANSFORMS_PASSES_TD
#define QC_DIALECT_QNT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QntVerifyIntegerOnlyPass : Pass<"qnt-verify-integer-only"> {
  let summary = "Report every op that still computes in floating point";
  let description = [{
    Checks that a program is integer-only, as the integer arithmetic contract
    requires before code generation: every op whose operands or results are
    floating point (scalars, or tensors, vectors or memrefs of floats) is
    reported with an error at its location, all of them in one run, and the
    pass fails. Ops on quantized `!qnt.uniform` tensors are accepted: their
    lowering is integer-only by construction. `qnt.quantize` and
    `qnt.dequantize` at the edges of a model are reported unless
    `allow-edge-casts` is set.
  }];
  let options = [
    Option<"allowEdgeCasts", "allow-edge-casts", "bool", /*default=*/"false",
           "Accept qnt.quantize of function arguments and qnt.dequantize "
           "feeding func.return (float at the model's edges only)">
  ];
}

def QntFoldBatchNormPass : Pass<"qnt-fold-batch-norm"> {
  let summary = "Fold inference batch norm into the preceding conv/FC weights";
  let description = [{
    A `qnt.batch_norm` whose input is produced by `qnt.conv2d`,
    `qnt.depthwise_conv2d` or `qnt.fully_connected` with constant weights
    (and bias, if any) is folded into them, on float tensors, before
    quantization (Jacob et al. 2018, section 3.2):

      W'[o] = W[o] * gamma[o] / sqrt(var[o] + eps)
      b'[o] = beta[o] + (b[o] - mean[o]) * gamma[o] / sqrt(var[o] + eps)

    with b = 0 for layers without a bias (the folded layer gets one).
    Output channels are axis 0 of conv2d and fully_connected weights and the
    last axis of depthwise weights. Folding computes in double and stores
    f32; weights may be `dense<...>` or `dense_resource` blobs, and folded
    tensors of more than 64 elements are written as blobs.

    A batch norm with no foldable producer (a block argument, another op, a
    layer with non-constant weights) becomes a per-channel `qnt.mul` by
    f = gamma / sqrt(var + eps) and `qnt.add` of beta - mean * f. A batch
    norm whose producer has other users (folding would change those users'
    values), whose parameters are not constants, or whose folded values
    would overflow f32 is left alone with a remark saying why. Constant
    parameters that make a batch norm undefined (var + eps not positive and
    finite, non-finite gamma, beta or mean) are errors, and the pass fails.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def QntPropagateRangesPass : Pass<"qnt-propagate-ranges", "::mlir::ModuleOp"> {
  let summary = "Find the value range of every float tensor";
  let description = [{
    Attaches `qnt.range = #qnt.range<lo, hi>` to every op producing a float
    tensor (and to function arguments), from two sources merged:

    - static interval analysis (a sparse dataflow analysis on MLIR's
      DataFlowSolver): constants, relu/relu6/clamp bounds, pooling, pad,
      concat, reshape, transpose, add, mul, softmax, and conv/FC/matmul with
      constant weights when their input range is known. Function arguments
      may carry a user-given `qnt.range`.
    - calibration (`calibration=PATH`, a .npy/.npz file or a directory of
      them): the float model runs in the reference interpreter over the
      samples and a method turns each tensor's statistics into a range:
      `minmax`, `ema` (Jacob et al. 2018, 3.1; `ema-decay`), `percentile`
      (`percentile`), `kl` (TensorRT entropy, 2048-bin histogram) or `mse`.

    Where both exist the calibrated range is clipped to the static bounds
    (e.g. a relu6 output never gets more than [0, 6]). Progress is shown on
    stderr when it is a terminal.
  }];
  let options = [
    Option<"calibration", "calibration", "std::string", /*default=*/"\"\"",
           "A .npy/.npz file or a directory of them with calibration samples">,
    Option<"method", "method", "std::string", /*default=*/"\"minmax\"",
           "Calibration method: minmax, ema, percentile, kl or mse">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Percentile kept by method=percentile (the range is [100-p, p])">,
    Option<"emaDecay", "ema-decay", "double", /*default=*/"0.9",
           "Decay of the moving averages of method=ema">,
    Option<"bits", "bits", "unsigned", /*default=*/"8",
           "Target bit width (method=kl and method=mse)">,
    Option<"entry", "entry", "std::string", /*default=*/"\"\"",
           "Function the samples feed (default: @main or the only function)">
  ];
}

def QntQuantizePass : Pass<"qnt-quantize", "::mlir::ModuleOp"> {
  let summary = "Choose scales and zero points and make the graph quantized";
  let description = [{
    Turns a float graph whose tensors carry `qnt.range` (from
    `qnt-propagate-ranges`) into a quantized graph (Jacob et al. 2018,
    section 2 and 3.1):

    - activations: per tensor, asymmetric by default, `u8` or `i8`
      storage; each range is first widened to contain 0 so that real 0 is
      exactly representable (nudging); function arguments and results stay
      f32, with `qnt.quantize` / `qnt.dequantize` at the edges;
    - weights of conv2d, depthwise_conv2d, fully_connected (and a constant
      matmul rhs): symmetric, narrow range ([-127, 127] for 8 bits) per
      output channel (or per tensor, or per group), `weight-bits` from 8
      down to 2 (storage i8, i4 or i2), stored as integer constants behind
      `qnt.storage_cast`;
    - biases: i32 with S_b = S_x * S_w and zero point 0;
    - ops that only move or select values (max_pool2d, reshape, transpose,
      pad, concat) share one set of parameters between inputs and output,
      so that they stay exact; a layer whose only user is relu, relu6 or
      clamp takes that activation's parameters (the clamp is then the
      layer's output clamp, as a fused activation).

    Every float value without a range and every op that cannot be
    quantized (batch_norm: fold it first) is reported, all at once.

    `rounding=half_even` sets the module attribute `qnt.rounding`, which
    every later stage (interpreter, integer lowering, CPU kernels) obeys.
  }];
  let options = [
    Option<"activations", "activations", "std::string", /*default=*/"\"u8\"",
           "Activation storage: u8 or i8">,
    Option<"weightBits", "weight-bits", "unsigned", /*default=*/"8",
           "Weight bit width, 2 to 8">,
    Option<"granularity", "granularity", "std::string",
           /*default=*/"\"per-channel\"",
           "Weight scales: per-channel, per-tensor or per-group">,
    Option<"groupSize", "group-size", "int64_t", /*default=*/"32",
           "Group size along the input-channel axis for granularity=per-group">,
    Option<"symmetricActivations", "symmetric-activations", "bool",
           /*default=*/"false", "Symmetric activations (zero point 0)">,
    Option<"narrowRange", "narrow-range", "bool", /*default=*/"true",
           "Narrow-range weights ([-127, 127] rather than [-128, 127])">,
    Option<"rounding", "rounding", "std::string", /*default=*/"\"gemmlowp\"",
           "Rounding of every rescale and quantize, recorded as the module's "
           "qnt.rounding: gemmlowp (TFLite, ties away from zero) or "
           "half_even (ONNX, one rounding, ties to even)">
  ];
}

def QntFuseQdqPass : Pass<"qnt-fuse-qdq"> {
  let summary = "Fuse dequantize -> float op -> quantize into quantized ops";
  let description = [{
    For models that bring their own quantization (ONNX QDQ models,
    QLinearConv/QLinearMatMul/ConvInteger/MatMulInteger imported as
    dequantize, float op, quantize): the result is the quantized graph that
    `qnt-quantize` would produce, ready for `qnt-lower-to-integer`.

    - Dequantizes sink through ops that only move or select values
      (transpose, reshape, max_pool2d, relu, zero pad, concat of one type),
      which is exact.
    - A graph op whose tensor operands are all dequantized and whose result
      is used only by quantizes to one type becomes the quantized op
      (weights and int32 biases come as dequantized integer constants).
      An op whose quantized form does not verify stays float.
    - `quantize(dequantize(x : A)) : B` becomes `x` (A == B) or
      `qnt.requantize`.

    The ONNX importer runs these patterns itself; the pass exposes them for
    IR written by hand or by other front ends.
  }];
}

def QntImportQuantTypesPass : Pass<"qnt-import-quant-types", "::mlir::ModuleOp"> {
  let summary = "Convert upstream !quant.uniform types and quant casts to qnt";
  let description = [{
    Rewrites every upstream `!quant.uniform` type (per tensor and per axis)
    in the module, in op results, block arguments, function signatures and
    type attributes, into the equivalent `!qnt.uniform`, and the upstream
    casts `quant.qcast`, `quant.dcast` and `quant.scast` into
    `qnt.quantize`, `qnt.dequantize` and `qnt.storage_cast`. Quantized types
    without a qnt equivalent (sub-channel, calibrated, any) are reported at
    the op that uses them.
  }];
  let dependentDialects = ["::qc::qnt::QntDialect"];
}

def QntExportQuantTypesPass : Pass<"qnt-export-quant-types", "::mlir::ModuleOp"> {
  let summary = "Convert !qnt.uniform types and qnt casts to upstream quant";
  let description = [{
    The inverse of `qnt-import-quant-types`: per-tensor and per-axis
    `!qnt.uniform` types become `!quant.uniform`, and `qnt.quantize`,
    `qnt.dequantize` and `qnt.storage_cast` become `quant.qcast`,
    `quant.dcast` and `quant.scast`, so that other MLIR front ends and
    tools can consume quant's output. Per-group types and 2-bit storage have
    no upstream equivalent and are reported at the op that uses them.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
}

#endif // QC_DIALECT_QNT_TRANSFORMS_PASSES_TD
