//===- GemmMatch.h - int8 contractions the CPU kernels take over -*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// What qnt-cpu-gemm-kernels recognises in integer-only IR: a contraction
// (fully connected or 2-D convolution) of 8-bit activations and constant
// 8-bit weights on top of a constant bias, its qnt.fixed_point_mul, and the
// elementwise epilogue that narrows the result to 8 bits.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_CPU_TRANSFORMS_GEMMMATCH_H
#define QC_TARGET_CPU_TRANSFORMS_GEMMMATCH_H

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <array>
#include <optional>
#include <vector>

namespace qc::cpu {

struct GemmMatch {
  mlir::linalg::GenericOp contraction;
  qnt::FixedPointMulOp rescale;
  mlir::linalg::GenericOp epilogue;

  /// Activations are i8 (sign-extended) rather than u8.
  bool signedInput = false;
  bool isConv = false;
  /// The activation operand: [M, K] for fully connected, the padded NHWC
  /// input for convolutions.
  mlir::Value input;
  int64_t m = 0, n = 0, k = 0;
  /// Convolution geometry (isConv): output [batch, oh, ow, n], weights
  /// [n, kh, kw, channels].
  int64_t batch = 1, oh = 1, ow = 1, kh = 1, kw = 1, channels = 0;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;

  /// Weights as [n][k], k in (kh, kw, channel) order for convolutions.
  std::vector<int8_t> weights;
  std::vector<int64_t> bias;
};

/// Recognises the chain ending in `rescale`; nullopt when any part does
/// not have the expected form (the generic path then handles it).
std::optional<GemmMatch> matchGemm(qnt::FixedPointMulOp rescale);

} // namespace qc::cpu

#endif // QC_TARGET_CPU_TRANSFORMS_GEMMMATCH_H
