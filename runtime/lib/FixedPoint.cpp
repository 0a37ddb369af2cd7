//===- FixedPoint.cpp - Bit-exact integer requantization arithmetic -------===//
//
// Part of the quant project: an MLIR quantizing compiler.
//
//===----------------------------------------------------------------------===//
//
// This file implements the integer arithmetic contract of DESIGN.md section 3
// behind the C ABI declared in qc/runtime/fixed_point.h. The definitions are
// those of gemmlowp (SaturatingRoundingDoublingHighMul, RoundingDivideByPOT),
// the TFLite reference kernels (QuantizeMultiplier,
// MultiplyByQuantizedMultiplier), the TOSA specification (apply_scale_32) and
// Jacob et al. 2018; the code is written from those definitions. All
// intermediate arithmetic is done in int64_t with operands bounded so that it
// cannot overflow, and every shift amount is clamped into range first, so no
// input can reach undefined behaviour.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/fixed_point.h"

#include <algorithm>
#include <cmath>

namespace {

constexpr int64_t kInt32Min = INT32_MIN;
constexpr int64_t kInt32Max = INT32_MAX;

/// Clamps a 64-bit value into the int32 range.
int32_t saturateToInt32(int64_t v) {
  return static_cast<int32_t>(std::clamp(v, kInt32Min, kInt32Max));
}

/// floor(v / 2^s) for 0 <= s <= 63. Right-shifting a negative value is only
/// implementation-defined before C++20, so negative values are floored via
/// the bitwise complement, which maps [INT64_MIN, -1] onto [0, INT64_MAX]:
/// for v < 0, floor(v / d) == ~floor(~v / d).
int64_t floorShiftRight(int64_t v, int s) {
  if (v >= 0)
    return v >> s;
  return ~(~v >> s);
}

} // namespace

extern "C" int32_t qc_saturating_rounding_doubling_high_mul(int32_t a,
                                                            int32_t b) {
  // 2^31 is the only result that does not fit.
  if (a == INT32_MIN && b == INT32_MIN)
    return INT32_MAX;
  // |a * b| <= 2^62 - 2^31 here, so adding the nudge cannot overflow.
  int64_t product = static_cast<int64_t>(a) * b;
  int64_t nudge = product >= 0 ? (INT64_C(1) << 30) : 1 - (INT64_C(1) << 30);
  // C++ division truncates toward zero, which together with the asymmetric
  // nudge gives floor(product / 2^31 + 1/2).
  return static_cast<int32_t>((product + nudge) / (INT64_C(1) << 31));
}

extern "C" int32_t qc_rounding_divide_by_pot(int32_t x, int32_t exponent) {
  int e = std::clamp(exponent, 0, 31);
  // In 64 bits the mask for e == 31 (2^31 - 1) needs no special case.
  int64_t mask = (INT64_C(1) << e) - 1;
  int64_t remainder = static_cast<int64_t>(x) & mask;
  int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return static_cast<int32_t>(floorShiftRight(x, e) +
                              (remainder > threshold ? 1 : 0));
}

extern "C" void qc_quantize_multiplier(double m, int32_t *m0, int32_t *shift) {
  if (!m0 || !shift)
    return;
  // `!(m > 0)` also catches NaN.
  if (!(m > 0)) {
    *m0 = 0;
    *shift = 0;
    return;
  }
  if (std::isinf(m)) {
    *m0 = INT32_MAX;
    *shift = 31;
    return;
  }
  int exponent = 0;
  double q = std::frexp(m, &exponent); // m = q * 2^exponent, q in [0.5, 1).
  // q * 2^31 is exact (a power-of-two scaling of a value in [0.5, 1)), and
  // std::round rounds half away from zero, as TFLite's TfLiteRound does.
  int64_t qFixed = static_cast<int64_t>(std::round(q * 2147483648.0));
  if (qFixed == (INT64_C(1) << 31)) {
    qFixed /= 2;
    ++exponent;
  }
  // Below 2^-32 the multiplier does not fit the representation; TFLite
  // flushes it to zero. That loses nothing: |acc * m| < 1/2 for every int32
  // accumulator, so the exact result rounds to 0 anyway.
  if (exponent < -31) {
    *m0 = 0;
    *shift = 0;
    return;
  }
  if (exponent > 31) {
    *m0 = INT32_MAX;
    *shift = 31;
    return;
  }
  *m0 = static_cast<int32_t>(qFixed);
  *shift = exponent;
}

extern "C" int32_t qc_multiply_by_quantized_multiplier(int32_t x, int32_t m0,
                                                       int32_t shift) {
  // Widen before negating: -INT32_MIN overflows int32.
  int64_t wideShift = shift;
  int left = static_cast<int>(std::clamp<int64_t>(wideShift, 0, 31));
  int right = static_cast<int>(std::clamp<int64_t>(-wideShift, 0, 31));
  // TFLite computes x * 2^left in int32 and overflows (UB) when it does not
  // fit; we define it to saturate. |x| * 2^31 <= 2^62 fits int64.
  int32_t scaled =
      saturateToInt32(static_cast<int64_t>(x) * (INT64_C(1) << left));
  return qc_rounding_divide_by_pot(
      qc_saturating_rounding_doubling_high_mul(scaled, m0), right);
}

extern "C" int32_t qc_apply_scale_tosa(int32_t value, int32_t multiplier,
                                       int32_t shift, bool double_round) {
  int s = std::clamp(shift, 2, 62);
  int64_t round = INT64_C(1) << (s - 1);
  if (double_round && s > 31)
    round += value >= 0 ? (INT64_C(1) << 30) : -(INT64_C(1) << 30);
  // |value * multiplier| <= 2^62 and |round| <= 2^61 + 2^30, so the sum
  // stays well inside int64 even for a negative multiplier.
  int64_t result = static_cast<int64_t>(value) * multiplier + round;
  return saturateToInt32(floorShiftRight(result, s));
}

extern "C" int32_t qc_multiply_by_quantized_multiplier_half_even(
    int32_t x, int32_t m0, int32_t shift) {
  int s = std::clamp(31 - static_cast<int64_t>(shift), INT64_C(0),
                     INT64_C(62));
  int64_t p = static_cast<int64_t>(x) * m0; // |p| <= 2^62: exact
  if (s == 0)
    return saturateToInt32(p);
  int64_t q = floorShiftRight(p, s);
  // p - q * 2^s in [0, 2^s): q * 2^s is between p - 2^s and p, in range.
  int64_t remainder = p - static_cast<int64_t>(static_cast<uint64_t>(q) << s);
  int64_t half = INT64_C(1) << (s - 1);
  if (remainder > half || (remainder == half && (q & 1)))
    ++q;
  return saturateToInt32(q);
}

extern "C" int32_t qc_requantize(int32_t acc, int32_t m0, int32_t shift,
                                 int32_t out_zero_point, int32_t qmin,
                                 int32_t qmax) {
  int64_t v = static_cast<int64_t>(out_zero_point) +
              qc_multiply_by_quantized_multiplier(acc, m0, shift);
  // Not std::clamp: it is undefined for qmin > qmax; this order makes qmax
  // win, as documented in the header.
  v = std::min<int64_t>(std::max<int64_t>(v, qmin), qmax);
  return static_cast<int32_t>(v);
}
