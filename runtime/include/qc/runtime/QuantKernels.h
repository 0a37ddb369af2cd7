//===- QuantKernels.h - Integer-only reference kernels -----------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Reference kernels of the quantized qnt graph ops. Integer-only: every
// value is an int32 storage value (DType::I32 tensors), every rescale goes
// through qc/runtime/fixed_point.h, and all float work has been done by the
// preparation functions of QuantParams.h. These kernels define the integer
// semantics that the compiler's lowering and every back end reproduce bit
// for bit (docs/quantized-kernels.md).
//
// Shapes follow docs/layout.md. Each kernel validates dtypes and shapes and
// returns false with a message instead of reading out of bounds.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_QUANTKERNELS_H
#define QC_RUNTIME_QUANTKERNELS_H

#include "qc/runtime/KernelAttrs.h"
#include "qc/runtime/QuantParams.h"
#include "qc/runtime/Tensor.h"

#include <string>
#include <vector>

namespace qc::rt::q {

/// acc[n,oh,ow,o] = bias[o] + sum (x - inputZp) * (w - weightZp[o]) over the
/// window (padded positions contribute 0), then the output stage with the
/// multiplier of channel o. weightZps has 1 entry or one per output channel.
bool conv2d(const Tensor &input, int32_t inputZp, const Tensor &weight,
            const std::vector<int32_t> &weightZps, const Tensor *bias,
            const ConvAttrs &attrs, const OutputStage &stage, Tensor &out,
            std::string &error);
bool depthwiseConv2d(const Tensor &input, int32_t inputZp,
                     const Tensor &weight,
                     const std::vector<int32_t> &weightZps,
                     const Tensor *bias, const ConvAttrs &attrs,
                     const OutputStage &stage, Tensor &out,
                     std::string &error);
bool fullyConnected(const Tensor &input, int32_t inputZp,
                    const Tensor &weight,
                    const std::vector<int32_t> &weightZps, const Tensor *bias,
                    const OutputStage &stage, Tensor &out, std::string &error);
/// rhsZps has 1 entry or one per column (the last rhs dimension); the stage
/// has 1 multiplier or one per column.
bool matmul(const Tensor &lhs, int32_t lhsZp, const Tensor &rhs,
            const std::vector<int32_t> &rhsZps, const OutputStage &stage,
            Tensor &out, std::string &error);

/// TFLite-style add with numpy broadcasting (QuantParams.h, AddParams).
bool add(const Tensor &lhs, const Tensor &rhs, const AddParams &params,
         Tensor &out, std::string &error);
/// (a - Z_a)(b - Z_b) computed in int64, saturated to int32, then the
/// output stage; numpy broadcasting.
bool mul(const Tensor &lhs, const Tensor &rhs, const MulParams &params,
         Tensor &out, std::string &error);

/// out = stage(x - inputZps[c]) where c indexes `axis` (per-axis input) or
/// is 0: requantize, relu/relu6/clamp (bounds in the stage), and the value
/// change of reshape/transpose/concat inputs.
bool rescale(const Tensor &input, const std::vector<int32_t> &inputZps,
             int64_t axis, const OutputStage &stage, Tensor &out,
             std::string &error);

/// Max over the window's valid positions, then stage(max - inputZp).
bool maxPool2d(const Tensor &input, int32_t inputZp, const PoolAttrs &attrs,
               const OutputStage &stage, Tensor &out, std::string &error);
/// avg = round_half_away(sum(x - inputZp) / count), count = valid positions
/// (or kernelH*kernelW with countIncludePad), then stage(avg).
bool avgPool2d(const Tensor &input, int32_t inputZp, const PoolAttrs &attrs,
               const OutputStage &stage, Tensor &out, std::string &error);
/// avgPool2d over the whole H x W window: [N,H,W,C] -> [N,1,1,C].
bool globalAvgPool(const Tensor &input, int32_t inputZp,
                   const OutputStage &stage, Tensor &out, std::string &error);
/// Interior: stage(x - inputZp); border: padValue (already quantized in the
/// output parameters with quantizeValue).
bool pad(const Tensor &input, int32_t inputZp,
         const std::vector<int64_t> &padding, int32_t padValue,
         const OutputStage &stage, Tensor &out, std::string &error);
/// Data movement only (works on any dtype).
bool transpose(const Tensor &input, const std::vector<int64_t> &permutation,
               Tensor &out, std::string &error);
/// Input i becomes stages[i](x - inputZps[i]), then all are joined along
/// `axis`.
bool concat(const std::vector<const Tensor *> &inputs,
            const std::vector<int32_t> &inputZps,
            const std::vector<OutputStage> &stages, int64_t axis, Tensor &out,
            std::string &error);
/// Table softmax along `axis` (QuantParams.h, SoftmaxParams).
bool softmax(const Tensor &input, int64_t axis, const SoftmaxParams &params,
             Tensor &out, std::string &error);

/// Rounding of qnt.fixed_point_mul (QuantParams.h).
using Rounding = rt::Rounding;
/// One element of qnt.fixed_point_mul: M = m0 * 2^(shift - 31) applied with
/// `rounding` through fixed_point.h (TOSA modes use shift 31 - shift).
int32_t applyFixedPointMul(int32_t value, int32_t m0, int32_t shift,
                           Rounding rounding);
/// qnt.fixed_point_mul on an I32 tensor: one (m0, shift) per tensor, or one
/// per index of `axis`.
bool fixedPointMul(const Tensor &input, const std::vector<int32_t> &m0,
                   const std::vector<int32_t> &shift, int64_t axis,
                   Rounding rounding, Tensor &out, std::string &error);

} // namespace qc::rt::q

#endif // QC_RUNTIME_QUANTKERNELS_H
