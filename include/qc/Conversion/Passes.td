//===- Passes.td - quant conversion passes -----------------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_PASSES_TD
#define QC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def QntLowerToIntegerPass : Pass<"qnt-lower-to-integer"> {
  let summary = "Rewrite quantized graph ops into integer-only IR";
  let description = [{
    Every qnt graph op on quantized tensors becomes integer-only IR:
    `linalg.generic` / `tensor` / `arith` on the storage integers plus
    `qnt.fixed_point_mul` for the rescales, with exactly the semantics of
    the reference integer kernels (docs/quantized-kernels.md): the same
    multipliers (computed by the same preparation functions), the same
    rounding, the same clamps. Highlights (Jacob et al. 2018, section 2):

    - zero-point expansion (eq. 7): with constant weights the terms
      `-Z_x * sum_k q_w` and, for asymmetric weights, `K * Z_x * Z_w` of
      every output channel are folded into the int32 bias at compile time;
      the loop nest multiplies raw storage values, and asymmetric weights
      add a window sum of the input for the `-Z_w * sum_k q_x` term.
      Non-constant weights (a matmul of two activations) use
      `(q_x - Z_x)(q_w - Z_w)` directly;
    - the accumulator is int32 when the exact sum provably stays in int32
      for every input (bounded at compile time from the weights, the bias
      and the storage ranges), else int64 saturated once to int32, as
      docs/quantized-kernels.md section 4 defines;
    - padding with the input zero point (real 0);
    - fused ReLU/ReLU6/clamp as the output clamp of the rescale;
    - quantized add as TFLite's (inputs shifted left and rescaled to a
      common scale), average pooling with a rounding division, integer
      softmax by exp table.

    Values cross between quantized and storage types through
    `qnt.storage_cast`; pairs of casts between lowered ops fold away under
    `--canonicalize`. Float ops and `qnt.quantize`/`qnt.dequantize` at the
    edges are left alone. An op that cannot be lowered (per-group weights,
    i32 activations in add/mul, ...) is reported, all of them at once.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def QntLowerToArithPass : Pass<"qnt-lower-to-arith"> {
  let summary = "Expand the remaining qnt ops of integer-only IR into arith";
  let description = [{
    After `qnt-lower-to-integer` the only qnt ops left are
    `qnt.fixed_point_mul` and, at the model's float edges, `qnt.quantize` /
    `qnt.dequantize` (plus `qnt.storage_cast` seams). This pass rewrites
    each into a `linalg.generic` whose body computes exactly what the
    runtime core does (qc/runtime/fixed_point.h, QuantParams.h):

    - fixed_point_mul, gemmlowp: the saturating left shift, the saturating
      rounding doubling high multiply and the rounding divide by a power
      of two, in i64 arithmetic, branch-free (selects);
    - fixed_point_mul, TOSA: apply_scale_32 with single or double rounding;
    - quantize: round half away from zero of r / S in f64, plus Z, clamped
      (NaN gives Z); dequantize: (q - Z) * S in f64, rounded to f32.

    Per-axis parameters become constant tensors indexed by the axis.
    storage_cast pairs then fold away; whatever qnt op remains (e.g. a
    quantized function argument) is reported, all at once.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def QntLowerFloatToLinalgPass : Pass<"qnt-lower-float-to-linalg"> {
  let summary = "Rewrite float graph ops into upstream linalg/tensor/arith/math";
  let description = [{
    Every qnt graph op on float tensors becomes upstream IR on the same
    element type, with the semantics of the reference float kernels
    (runtime/lib/FloatKernels.cpp) that `quant-run --target=ref` runs:

    - conv2d: `linalg.conv_2d_nhwc_fhwc` (OHWI weights are FHWC), or
      `linalg.conv_2d_nhwgc_gfhwc` on group-expanded tensors when
      `groups > 1`; depthwise_conv2d: `linalg.depthwise_conv_2d_nhwc_hwc`
      (multiplier 1) or `_hwcm` on the reshaped `[1, KH, KW, C * M]`
      weight; padding is a `tensor.pad` with 0 and the bias is broadcast
      into the accumulator;
    - fully_connected: `linalg.matmul` reading the `[O, K]` weight
      transposed through its indexing map; matmul: `linalg.matmul` or
      `linalg.batch_matmul` (leading batch dimensions collapsed);
    - max_pool2d: `tensor.pad` with -inf and `linalg.pooling_nhwc_max`;
      avg_pool2d: `tensor.pad` with 0, `linalg.pooling_nhwc_sum` and a
      division by the kernel size or by the number of real positions in
      each window (`count_include_pad`); global_avg_pool: a sum over the
      whole plane divided by `H * W`;
    - batch_norm: `(x - mean) * (gamma / sqrt(variance + epsilon)) + beta`;
      add, mul (numpy broadcasting through indexing maps), relu, relu6 and
      clamp (`x < lo ? lo : x > hi ? hi : x`, so NaN passes through): one
      `linalg.generic` each;
    - softmax: max, `exp(x - max)`, sum, divide, four `linalg.generic` ops;
    - pad: `tensor.pad`; reshape: `tensor.collapse_shape` +
      `tensor.expand_shape`; transpose: `linalg.transpose`; concat:
      `tensor.concat`.

    Sums accumulate in the element type (the reference accumulates in
    double and rounds once), so layers, pools, batch norm and softmax agree
    with the reference to within rounding; add, mul, relu, relu6, clamp,
    max pooling and the data movement ops are exact.

    Ops on quantized tensors and the casts between float and quantized
    tensors are left alone for `qnt-lower-to-integer`. A float op that
    cannot be lowered (dynamic shapes, pooling padding as large as the
    kernel) is reported, all of them at once.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def QntCopiesToLinalgPass : Pass<"qnt-copies-to-linalg"> {
  let summary = "Rewrite memref.copy into linalg.copy";
  let description = [{
    Bufferization materializes tensor.pad, extract_slice and similar ops
    with `memref.copy`, which the LLVM lowering turns into a call to
    `memrefCopy` from MLIR's C runner utilities. Compiled models must not
    depend on that library: this pass rewrites each copy into `linalg.copy`,
    which `convert-linalg-to-loops` turns into plain loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // QC_CONVERSION_PASSES_TD
