//===- QuantParams.h - Float-to-integer parameter preparation ----*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Quantized kernels are integer-only; the float work happens once, before
// them, when scales become integer multipliers, clamp bounds and tables
// (Jacob et al. 2018, section 2.2: "M is the only non-integer"). These
// functions are that preparation. The reference kernels AND the compiler's
// integer lowering (qnt-lower-to-integer) both call them, so the integers
// they use are identical by construction, not by two implementations
// agreeing. See docs/quantized-kernels.md for the semantics.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_QUANTPARAMS_H
#define QC_RUNTIME_QUANTPARAMS_H

#include <cstdint>
#include <string>
#include <vector>

namespace qc::rt {

/// Parameters of a quantized tensor, as carried by !qnt.uniform.
struct QuantParams {
  std::vector<double> scales;      ///< 1 entry per tensor, or one per channel
  std::vector<int64_t> zeroPoints; ///< same length as scales
  int64_t axis = -1;               ///< -1: per tensor
  int64_t groupSize = 0;           ///< > 0: per group (not integer-lowerable yet)
  int64_t qmin = -128, qmax = 127; ///< storage range (narrow range included)

  bool isPerTensor() const { return axis < 0; }
  /// Per-tensor parameters, for convenience.
  static QuantParams perTensor(double scale, int64_t zeroPoint, int64_t qmin,
                               int64_t qmax);
};

/// A real multiplier as M0 * 2^(shift - 31) (qc_quantize_multiplier).
struct Multiplier {
  int32_t m0 = 0;
  int32_t shift = 0;
};
Multiplier quantizeMultiplier(double m);

/// q = clamp(round_half_away(real / scale) + zp, qmin, qmax), in double.
/// This is the definition of qnt.quantize (and of every real constant that
/// becomes a quantized value: clamp bounds, pad values).
int32_t quantizeValue(double real, double scale, int64_t zp, int64_t qmin,
                      int64_t qmax);
/// r = (q - zp) * scale, in double.
double dequantizeValue(int64_t q, double scale, int64_t zp);

/// q = clamp(round_half_even(float32(real) / float32(scale)) + zp, qmin,
/// qmax): ONNX QuantizeLinear, the quantize of models whose rounding is
/// half_even (the division is a float32 one, as ONNX's reference and ONNX
/// Runtime compute it; a double division rounds a different set of ties).
int32_t quantizeValueHalfEven(float real, float scale, int64_t zp, int64_t qmin,
                              int64_t qmax);

/// Rounding of a rescale by M = M0 * 2^(shift - 31):
/// - Gemmlowp: TFLite's MultiplyByQuantizedMultiplier, a doubling high
///   multiply then a rounding right shift (two roundings, ties away from
///   zero); the default (DESIGN.md section 3).
/// - HalfEven: one rounding of x * M0 * 2^(shift - 31), ties to even, as
///   ONNX defines QLinearConv/QLinearMatMul/QuantizeLinear.
/// - TosaSingle / TosaDouble: TOSA apply_scale_32 (qnt.fixed_point_mul only).
enum class Rounding { Gemmlowp, TosaSingle, TosaDouble, HalfEven };

/// The last step of every rescaling kernel:
///   out = clamp(zeroPoint + multiply(v, M[c], rounding), lo, hi)
/// with one multiplier per tensor or one per channel.
struct OutputStage {
  std::vector<Multiplier> multipliers;
  int32_t zeroPoint = 0;
  int32_t lo = -128, hi = 127; ///< storage range, narrowed by fused clamps
  Rounding rounding = Rounding::Gemmlowp; ///< Gemmlowp or HalfEven
};

/// The multiplier of an average over `count` values in a half_even model:
/// M / count, from M = m.m0 * 2^(m.shift - 31) divided in double and
/// quantized again (qc_quantize_multiplier). The pool kernels and the
/// integer lowering both call it, so they use the same integers.
Multiplier poolMultiplier(const Multiplier &m, int64_t count);

/// conv2d / depthwise_conv2d / fully_connected / matmul:
/// M[c] = S_in * S_w[c] / S_out, computed in double in that order. `weight`
/// is per tensor or per output channel. The bias, if given, must have zero
/// point 0 and scale S_in * S_w[c] (relative tolerance 1e-4) because its
/// int32 values are added to the accumulator as they are.
bool prepareLayer(const QuantParams &input, const QuantParams &weight,
                  const QuantParams *bias, const QuantParams &output,
                  OutputStage &stage, std::string &error);

/// requantize, relu, relu6, clamp, pools, reshape, transpose, concat inputs:
/// M[c] = S_in[c] / S_out[c] (both per tensor, or per axis with the same
/// number of channels), and the output clamped to the storage range
/// intersected with the real interval [realLo, realHi] (±infinity for
/// none), whose ends are quantized with quantizeValue. `output` must be per
/// tensor unless `input` is per axis.
bool prepareRescale(const QuantParams &input, const QuantParams &output,
                    double realLo, double realHi, OutputStage &stage,
                    std::string &error);

/// A fused activation on a prepared stage (e.g. conv2d + relu6): narrows
/// stage.lo/hi to their intersection with quantizeValue(realLo) ..
/// quantizeValue(realHi) in `output`'s parameters, exactly as
/// prepareRescale bounds its stage. The multipliers are left unchanged.
bool fuseClamp(const QuantParams &output, double realLo, double realHi,
               OutputStage &stage, std::string &error);

/// Quantized add, as TFLite's reference kernel: both inputs are shifted
/// left by `leftShift` (20 for storage of 8 bits or less, 15 for 16 bits),
/// rescaled to twice the larger input scale, added, and rescaled to the
/// output: M_a = S_a / (2 max(S_a, S_b)), M_b likewise,
/// M_out = 2 max(S_a, S_b) / (2^leftShift S_out). Per-tensor only.
struct AddParams {
  int32_t leftShift = 20;
  int32_t zeroPointA = 0, zeroPointB = 0;
  Multiplier multiplierA, multiplierB;
  OutputStage output;
};
bool prepareAdd(const QuantParams &a, const QuantParams &b,
                const QuantParams &output, unsigned storageBits,
                AddParams &params, std::string &error);

/// Quantized mul: (a - Z_a)(b - Z_b) rescaled by M = S_a S_b / S_out.
/// Per-tensor only.
struct MulParams {
  int32_t zeroPointA = 0, zeroPointB = 0;
  OutputStage output;
};
bool prepareMul(const QuantParams &a, const QuantParams &b,
                const QuantParams &output, MulParams &params,
                std::string &error);

/// Integer softmax by table (docs/quantized-kernels.md):
///   d_i = max_j x_j - x_i (in [0, qmax_in - qmin_in])
///   T[d] = round(2^24 exp(-S_in d))              (prepared in double)
///   sum = sum_i T[d_i]                           (int64)
///   R = round(2^20 / S_out)                      (prepared in double)
///   q_i = clamp(Z_out + round_half_away(T[d_i] R / (sum 2^20)), lo, hi)
/// in int64. `classes` bounds the axis length so that nothing overflows.
struct SoftmaxParams {
  std::vector<int64_t> expTable;
  int64_t reciprocalScale = 0; ///< R
  int32_t zeroPoint = 0, lo = -128, hi = 127;
};
bool prepareSoftmax(const QuantParams &input, const QuantParams &output,
                    int64_t classes, SoftmaxParams &params,
                    std::string &error);

} // namespace qc::rt

#endif // QC_RUNTIME_QUANTPARAMS_H
