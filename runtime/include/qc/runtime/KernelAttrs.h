//===- KernelAttrs.h - Attributes shared by reference kernels ----*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Plain structs mirroring the qnt graph op attributes (docs/layout.md):
// NHWC activations, OHWI conv weights, [1, KH, KW, C*M] depthwise weights,
// [O, K] fully connected weights, padding [top, bottom, left, right].
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_KERNELATTRS_H
#define QC_RUNTIME_KERNELATTRS_H

#include <cstdint>
#include <vector>

namespace qc::rt {

/// conv2d and depthwise_conv2d (groups is ignored by depthwise).
struct ConvAttrs {
  int64_t strideH = 1, strideW = 1;
  int64_t dilationH = 1, dilationW = 1;
  int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
  int64_t groups = 1;
};

/// max_pool2d and avg_pool2d. Padded positions never win a max and are left
/// out of an average unless countIncludePad.
struct PoolAttrs {
  int64_t kernelH = 1, kernelW = 1;
  int64_t strideH = 1, strideW = 1;
  int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
  bool countIncludePad = false;
};

/// Output size of a windowed op along one dimension:
/// (in + lo + hi - dilation * (k - 1) - 1) / stride + 1.
inline int64_t windowOutputSize(int64_t in, int64_t k, int64_t stride,
                                int64_t dilation, int64_t lo, int64_t hi) {
  return (in + lo + hi - dilation * (k - 1) - 1) / stride + 1;
}

} // namespace qc::rt

#endif // QC_RUNTIME_KERNELATTRS_H
