/*===- fixed_point.h - Bit-exact requantization arithmetic --------*- C -*-===*\
|*                                                                            *|
|* Part of the quant project: an MLIR quantizing compiler.                    *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* The integer arithmetic contract of DESIGN.md section 3, as plain C         *|
|* functions. These are the oracle that the CPU lowering and the NPU          *|
|* simulator must match bit for bit. The definitions follow gemmlowp          *|
|* (SaturatingRoundingDoublingHighMul, RoundingDivideByPOT), the TFLite       *|
|* reference kernels (QuantizeMultiplier, MultiplyByQuantizedMultiplier),     *|
|* the TOSA specification (apply_scale_32) and Jacob et al. 2018,             *|
|* "Quantization and Training of Neural Networks for Efficient                *|
|* Integer-Arithmetic-Only Inference".                                        *|
|*                                                                            *|
|* Every function is total: inputs outside the documented contract get a      *|
|* defined, documented result (never undefined behaviour, never a crash).     *|
|* Where the upstream definitions leave a case undefined, the choice made     *|
|* here is the project's definition and other implementations must follow it. *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef QC_RUNTIME_FIXED_POINT_H
#define QC_RUNTIME_FIXED_POINT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// gemmlowp SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b,
/// rounded.
///
/// Returns INT32_MAX when a == b == INT32_MIN (the only case whose exact
/// result, 2^31, does not fit). Otherwise, with p = (int64)a * b, returns
///   (p + (p >= 0 ? 2^30 : 1 - 2^30)) / 2^31
/// with the division truncating toward zero. This equals floor(p / 2^31 + 1/2),
/// i.e. round to nearest with ties toward +infinity (0.5 -> 1, -0.5 -> 0,
/// -1.5 -> -1).
///
/// Contract: none; every input pair is valid.
int32_t qc_saturating_rounding_doubling_high_mul(int32_t a, int32_t b);

/// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties
/// away from zero (1.5 -> 2, -1.5 -> -2).
///
/// With mask = 2^exponent - 1, rem = x & mask and
/// thr = (mask >> 1) + (x < 0 ? 1 : 0), returns
///   (x >> exponent) + (rem > thr ? 1 : 0)
/// where >> is an arithmetic (flooring) shift.
///
/// Contract: 0 <= exponent <= 31. Out of contract: exponent is clamped into
/// [0, 31] first (negative -> 0, i.e. x is returned unchanged; > 31 -> 31).
int32_t qc_rounding_divide_by_pot(int32_t x, int32_t exponent);

/// TFLite QuantizeMultiplier: split a real multiplier m into an int32
/// significand and a power-of-two exponent so that
///   m ~= *m0 * 2^(*shift - 31),  *m0 in [2^30, 2^31),  -31 <= *shift <= 31.
///
/// m0 is round-half-away-from-zero(q * 2^31) where m = q * 2^shift with q in
/// [0.5, 1) (frexp); if that rounds up to 2^31, m0 becomes 2^30 and shift
/// grows by one. So |m0 * 2^(shift-31) - m| <= 2^(shift-32).
///
/// Contract: m finite and m >= 0, m0 and shift non-NULL.
/// Special and out-of-contract results:
///  - m == 0 (either sign) -> (0, 0).
///  - 0 < m < 2^-32 - 2^-64 (m does not round to at least 2^-32, so shift
///    would be < -31) -> (0, 0): tiny multipliers flush to zero, as in TFLite.
///    This includes subnormal m.
///  - m negative or NaN -> (0, 0).
///  - m == +inf, or m >= 2^31 - 0.5 (m rounds to 2^31 or more, so shift
///    would be > 31) -> saturates to (INT32_MAX, 31), the largest
///    representable multiplier (2^31 - 1).
///  - m0 or shift NULL -> nothing is written.
void qc_quantize_multiplier(double m, int32_t *m0, int32_t *shift);

/// TFLite MultiplyByQuantizedMultiplier: x * m0 * 2^(shift - 31), rounded.
///
/// With left = max(shift, 0) and right = max(-shift, 0), returns
///   qc_rounding_divide_by_pot(
///       qc_saturating_rounding_doubling_high_mul(sat32(x * 2^left), m0),
///       right)
/// so there are two roundings (ties toward +inf, then ties away from zero);
/// the result is within 1 of round(x * m0 * 2^(shift-31)).
///
/// Contract: m0 in [2^30, 2^31) or 0 (as made by qc_quantize_multiplier),
/// -31 <= shift <= 31, and x * 2^left within int32.
/// Out of contract (the project's defined behaviour, which TFLite leaves
/// undefined; the CPU lowering and the NPU simulator must match it):
///  - x * 2^left is computed exactly in 64 bits and then SATURATED to
///    [INT32_MIN, INT32_MAX] rather than wrapped.
///  - left and right are each clamped to at most 31.
///  - any other m0 (including negative ones) is used as given; the formula
///    above is defined for all int32 values.
int32_t qc_multiply_by_quantized_multiplier(int32_t x, int32_t m0,
                                            int32_t shift);

/// x * m0 * 2^(shift-31) rounded ONCE, to nearest with ties to even: the
/// requantization ONNX defines for QuantizeLinear and the QLinear*
/// operators (round half to even of the real product), done exactly in
/// integers:
///   s = 31 - shift;  p = (int64)x * m0;
///   result = round_half_even(p / 2^s), saturated to int32.
///
/// Contract: m0 in [2^30, 2^31) or 0, -31 <= shift <= 31 (so 0 <= s <= 62).
/// Out of contract: s is clamped into [0, 62]; any m0 is used as given (the
/// product of two int32 values is exact in 64 bits); the result saturates.
int32_t qc_multiply_by_quantized_multiplier_half_even(int32_t x, int32_t m0,
                                                      int32_t shift);

/// TOSA apply_scale_32 (the RESCALE op's scaling step):
///   round = 2^(shift-1);
///   if double_round and shift > 31: round += value >= 0 ? 2^30 : -2^30;
///   result = ((int64)value * multiplier + round) >> shift   (arithmetic)
/// Without double rounding this is round to nearest with ties toward +inf.
///
/// Contract (TOSA REQUIREs): multiplier >= 0, 2 <= shift <= 62, and a result
/// that fits int32.
/// Out of contract:
///  - shift is clamped into [2, 62] first.
///  - the 64-bit result saturates to [INT32_MIN, INT32_MAX] (no wrap).
///  - a negative multiplier is used as given (the 64-bit formula cannot
///    overflow for any int32 inputs).
int32_t qc_apply_scale_tosa(int32_t value, int32_t multiplier, int32_t shift,
                            bool double_round);

/// Full requantization of an int32 accumulator (DESIGN.md section 3):
///   v = out_zero_point + qc_multiply_by_quantized_multiplier(acc, m0, shift)
///   result = min(max(v, qmin), qmax)
/// The addition is done in 64 bits, so it cannot overflow. qmin/qmax carry the
/// storage range and any fused activation (ReLU: qmin = out_zero_point).
///
/// Contract: qmin <= qmax, and the multiplier contract of
/// qc_multiply_by_quantized_multiplier.
/// Out of contract: if qmin > qmax, the result is qmax (the clamp applies
/// qmin first, then qmax).
int32_t qc_requantize(int32_t acc, int32_t m0, int32_t shift,
                      int32_t out_zero_point, int32_t qmin, int32_t qmax);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QC_RUNTIME_FIXED_POINT_H */
