//===- FloatKernels.h - Reference float kernels ------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Straightforward float reference implementations of every qnt graph op on
// f32 tensors (the oracle for float models and for calibration). Clarity
// over speed: plain loops, accumulation in double for the reductions, so
// that results do not depend on loop order.
//
// Every kernel checks its operands' dtypes and shapes and returns false with
// a message in `error` instead of reading out of bounds. `out` is resized.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_FLOATKERNELS_H
#define QC_RUNTIME_FLOATKERNELS_H

#include "qc/runtime/KernelAttrs.h"
#include "qc/runtime/Tensor.h"

#include <string>

namespace qc::rt::f32 {

/// input [N,H,W,C], weight [O,KH,KW,C/groups], bias [O] or null.
bool conv2d(const Tensor &input, const Tensor &weight, const Tensor *bias,
            const ConvAttrs &attrs, Tensor &out, std::string &error);
/// input [N,H,W,C], weight [1,KH,KW,C*M], bias [C*M] or null.
bool depthwiseConv2d(const Tensor &input, const Tensor &weight,
                     const Tensor *bias, const ConvAttrs &attrs, Tensor &out,
                     std::string &error);
/// input [N,K], weight [O,K], bias [O] or null -> [N,O].
bool fullyConnected(const Tensor &input, const Tensor &weight,
                    const Tensor *bias, Tensor &out, std::string &error);
/// lhs [...,M,K] x rhs [...,K,N] -> [...,M,N], equal batch dims.
bool matmul(const Tensor &lhs, const Tensor &rhs, Tensor &out,
            std::string &error);
/// y = gamma * (x - mean) / sqrt(variance + epsilon) + beta over the last
/// dimension; the per-channel factor is computed in double.
bool batchNorm(const Tensor &input, const Tensor &gamma, const Tensor &beta,
               const Tensor &mean, const Tensor &variance, double epsilon,
               Tensor &out, std::string &error);
/// Elementwise with numpy broadcasting.
bool add(const Tensor &lhs, const Tensor &rhs, Tensor &out, std::string &error);
bool mul(const Tensor &lhs, const Tensor &rhs, Tensor &out, std::string &error);
/// min(max(x, lo), hi); relu is [0, +inf), relu6 [0, 6].
bool clamp(const Tensor &input, double lo, double hi, Tensor &out,
           std::string &error);
bool maxPool2d(const Tensor &input, const PoolAttrs &attrs, Tensor &out,
               std::string &error);
bool avgPool2d(const Tensor &input, const PoolAttrs &attrs, Tensor &out,
               std::string &error);
/// [N,H,W,C] -> [N,1,1,C].
bool globalAvgPool(const Tensor &input, Tensor &out, std::string &error);
/// padding: 2 * rank entries [d0_low, d0_high, d1_low, ...].
bool pad(const Tensor &input, const std::vector<int64_t> &padding,
         double value, Tensor &out, std::string &error);
bool transpose(const Tensor &input, const std::vector<int64_t> &permutation,
               Tensor &out, std::string &error);
bool concat(const std::vector<const Tensor *> &inputs, int64_t axis,
            Tensor &out, std::string &error);
/// Numerically stable softmax (subtract the max) along `axis` (negative
/// counts from the end).
bool softmax(const Tensor &input, int64_t axis, Tensor &out,
             std::string &error);

} // namespace qc::rt::f32

#endif // QC_RUNTIME_FLOATKERNELS_H
