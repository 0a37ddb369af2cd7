//===- FixedPointTest.cpp - Tests for the fixed-point runtime -------------===//
//
// Part of the quant project: an MLIR quantizing compiler.
//
//===----------------------------------------------------------------------===//
//
// Unit tests for qc/runtime/fixed_point.h. Each function gets hand-checked
// edge cases (extremes, exact ties of both signs, out-of-contract inputs) and
// kRandomCases seeded random inputs compared against a reference written
// from the mathematical definition rather than from the implementation: exact
// rational rounding in __int128, or exact long double arithmetic.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/fixed_point.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <limits>
#include <random>
#include <string>
#include <utility>

namespace {

__extension__ typedef __int128 Int128;

// The long double references rely on a 64-bit significand: a product of two
// int32 values (up to 62 bits) must be exact.
static_assert(std::numeric_limits<long double>::digits >= 64,
              "the references need an x87-style or wider long double");

constexpr int32_t kMin = INT32_MIN;
constexpr int32_t kMax = INT32_MAX;
constexpr int64_t kRandomCases = 10'000'000;
// Report at most this many mismatches per test instead of millions.
constexpr int kMaxReported = 10;

constexpr int64_t pow2(int e) { return INT64_C(1) << e; }

//===----------------------------------------------------------------------===//
// Independent references
//===----------------------------------------------------------------------===//

/// Exact floor(n / d) for d > 0.
Int128 floorDiv(Int128 n, Int128 d) {
  Int128 q = n / d;
  if (n % d != 0 && n < 0)
    --q;
  return q;
}

int32_t saturate(Int128 v) {
  if (v < kMin)
    return kMin;
  if (v > kMax)
    return kMax;
  return static_cast<int32_t>(v);
}

/// Round to nearest of a*b / 2^31 with ties toward +infinity, saturated:
/// floor(a*b / 2^31 + 1/2) = floor((2ab + 2^31) / 2^32). The only result out
/// of range is a == b == INT32_MIN (2^31), which saturates to INT32_MAX as the
/// contract demands.
int32_t refSrdhm(int32_t a, int32_t b) {
  Int128 p = static_cast<Int128>(a) * b;
  return saturate(floorDiv(2 * p + pow2(31), pow2(32)));
}

/// sign(x) * floor(|x| / 2^e + 1/2), i.e. ties away from zero, with the
/// exponent clamped into [0, 31]. floor(|x| / 2^e + 1/2) is computed as
/// floor((2|x| + 2^e) / 2^(e+1)), exact in int64.
int32_t refRdbp(int32_t x, int64_t exponent) {
  int e =
      static_cast<int>(std::min<int64_t>(std::max<int64_t>(exponent, 0), 31));
  int64_t magnitude = std::abs(static_cast<int64_t>(x));
  int64_t rounded = (2 * magnitude + pow2(e)) / pow2(e + 1);
  return static_cast<int32_t>(x < 0 ? -rounded : rounded);
}

struct Multiplier {
  int32_t m0;
  int32_t shift;
  bool operator==(const Multiplier &o) const {
    return m0 == o.m0 && shift == o.shift;
  }
};

std::ostream &operator<<(std::ostream &os, const Multiplier &m) {
  return os << "(m0=" << m.m0 << ", shift=" << m.shift << ")";
}

/// Quantize m via ilogb/ldexp in long double: with m in [2^(s-1), 2^s),
/// m * 2^(31-s) lies in [2^30, 2^31) exactly, and its integer and fractional
/// parts give round-half-away-from-zero without any floating-point rounding.
Multiplier refQuantize(double m) {
  if (std::isnan(m) || m <= 0)
    return {0, 0};
  if (std::isinf(m))
    return {kMax, 31};
  int shift = std::ilogb(m) + 1;
  long double scaled = std::ldexp(static_cast<long double>(m), 31 - shift);
  int64_t whole = static_cast<int64_t>(scaled);
  int64_t m0 = whole + (scaled - whole >= 0.5L ? 1 : 0);
  if (m0 == pow2(31)) {
    m0 = pow2(30);
    ++shift;
  }
  if (shift < -31)
    return {0, 0};
  if (shift > 31)
    return {kMax, 31};
  return {static_cast<int32_t>(m0), shift};
}

/// The composition of the references above, with the project's defined
/// behaviour for the left shift (computed exactly, then saturated) and for
/// out-of-range shifts (each side clamped to 31).
int32_t refMbqm(int32_t x, int32_t m0, int32_t shift) {
  int64_t left = std::min<int64_t>(std::max<int64_t>(shift, 0), 31);
  int64_t right = std::min<int64_t>(std::max<int64_t>(-int64_t(shift), 0), 31);
  int32_t scaled = saturate(static_cast<Int128>(x) * pow2(left));
  return refRdbp(refSrdhm(scaled, m0), right);
}

/// TOSA apply_scale_32, transcribed from the specification in __int128, with
/// shift clamped into [2, 62] and the result saturated.
int32_t refTosa(int32_t value, int32_t multiplier, int32_t shift,
                bool doubleRound) {
  int s = static_cast<int>(std::min<int64_t>(std::max<int64_t>(shift, 2), 62));
  Int128 round = static_cast<Int128>(1) << (s - 1);
  if (doubleRound && s > 31)
    round += value >= 0 ? pow2(30) : -pow2(30);
  Int128 sum = static_cast<Int128>(value) * multiplier + round;
  return saturate(floorDiv(sum, static_cast<Int128>(1) << s));
}

int32_t refRequantize(int32_t acc, int32_t m0, int32_t shift, int32_t zp,
                      int32_t qmin, int32_t qmax) {
  int64_t v = int64_t(zp) + refMbqm(acc, m0, shift);
  if (v < qmin)
    v = qmin;
  if (v > qmax)
    v = qmax;
  return static_cast<int32_t>(v);
}

//===----------------------------------------------------------------------===//
// Random inputs
//===----------------------------------------------------------------------===//

/// Deterministic inputs. Uses modulo reduction rather than
/// std::uniform_int_distribution, whose output differs between standard
/// libraries; the slight bias is irrelevant here.
class Inputs {
public:
  explicit Inputs(uint64_t seed) : rng(seed) {}

  uint64_t bits() { return rng(); }
  bool coin() { return rng() & 1; }

  /// Uniform in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) {
    return lo +
           static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
  }

  int32_t uniformInt32() { return static_cast<int32_t>(range(kMin, kMax)); }

  /// Half uniform over all of int32; half "interesting": near +-2^k, near 0,
  /// or near the extremes.
  int32_t int32() {
    switch (rng() % 8) {
    case 4:
    case 5: {
      int64_t v = pow2(static_cast<int>(range(0, 31))) + range(-4, 4);
      return saturate(coin() ? -v : v);
    }
    case 6:
      return static_cast<int32_t>(range(-256, 256));
    case 7:
      return coin() ? kMin + static_cast<int32_t>(range(0, 15))
                    : kMax - static_cast<int32_t>(range(0, 15));
    default:
      return uniformInt32();
    }
  }

  /// A valid multiplier significand most of the time, otherwise 0 or any
  /// int32 (out of contract, still defined).
  int32_t m0() {
    switch (rng() % 10) {
    case 0:
      return 0;
    case 1:
    case 2:
      return int32();
    default:
      return static_cast<int32_t>(range(pow2(30), pow2(31) - 1));
    }
  }

  /// Mostly in [-31, 31]; sometimes a little or far outside.
  int32_t mbqmShift() {
    switch (rng() % 10) {
    case 0:
      return static_cast<int32_t>(range(-40, 40));
    case 1:
      return int32();
    default:
      return static_cast<int32_t>(range(-31, 31));
    }
  }

private:
  std::mt19937_64 rng;
};

void reportCount(int64_t cases) {
  ::testing::Test::RecordProperty("random_cases", std::to_string(cases));
  std::cout << "random cases: " << cases << std::endl;
}

//===----------------------------------------------------------------------===//
// qc_saturating_rounding_doubling_high_mul
//===----------------------------------------------------------------------===//

int32_t srdhm(int32_t a, int32_t b) {
  return qc_saturating_rounding_doubling_high_mul(a, b);
}

TEST(SaturatingRoundingDoublingHighMul, Extremes) {
  EXPECT_EQ(srdhm(kMin, kMin), kMax); // The one saturating case.
  EXPECT_EQ(srdhm(kMax, kMax), kMax - 1);
  EXPECT_EQ(srdhm(kMin, kMax), -kMax);
  EXPECT_EQ(srdhm(kMax, kMin), -kMax);
  EXPECT_EQ(srdhm(kMin, 1), -1);
  EXPECT_EQ(srdhm(kMin, -1), 1);
  EXPECT_EQ(srdhm(kMax, 1), 1);
  EXPECT_EQ(srdhm(kMax, -1), -1);
  EXPECT_EQ(srdhm(0, kMin), 0);
  EXPECT_EQ(srdhm(kMax, 0), 0);
  EXPECT_EQ(srdhm(1, 1), 0);
  EXPECT_EQ(srdhm(-1, 1), 0);
  EXPECT_EQ(srdhm(-1, -1), 0);
  // Multiplying by 2^30 (one half in Q31) halves; by INT32_MIN negates.
  EXPECT_EQ(srdhm(1000, 1 << 30), 500);
  EXPECT_EQ(srdhm(-1000, 1 << 30), -500);
  EXPECT_EQ(srdhm(12345, kMin), -12345);
  EXPECT_EQ(srdhm(-12345, kMin), 12345);
}

TEST(SaturatingRoundingDoublingHighMul, TiesRoundTowardPlusInfinity) {
  EXPECT_EQ(srdhm(1 << 15, 1 << 15), 1);            // 0.5
  EXPECT_EQ(srdhm(-(1 << 15), 1 << 15), 0);         // -0.5
  EXPECT_EQ(srdhm(3 << 15, 1 << 15), 2);            // 1.5
  EXPECT_EQ(srdhm(-(3 << 15), 1 << 15), -1);        // -1.5
  EXPECT_EQ(srdhm(1 << 30, 1), 1);                  // 0.5
  EXPECT_EQ(srdhm(1 << 30, -1), 0);                 // -0.5
  EXPECT_EQ(srdhm(5, 1 << 30), 3);                  // 2.5
  EXPECT_EQ(srdhm(-5, 1 << 30), -2);                // -2.5
  EXPECT_EQ(srdhm(kMax, 1 << 30), 1 << 30);         // 2^30 - 0.5
  EXPECT_EQ(srdhm(-kMax, 1 << 30), -(1 << 30) + 1); // -2^30 + 0.5
  // Just off the tie, either way.
  EXPECT_EQ(srdhm((1 << 30) + 1, 1), 1);
  EXPECT_EQ(srdhm((1 << 30) - 1, 1), 0);
  EXPECT_EQ(srdhm(-(1 << 30) - 1, 1), -1);
  EXPECT_EQ(srdhm(-(1 << 30) + 1, 1), 0);
}

TEST(SaturatingRoundingDoublingHighMul, ReferenceAgreesOnHandPickedCases) {
  // The reference is itself checked on the cases above so that the random
  // test below compares against something known to be right.
  for (int32_t a : {kMin, kMin + 1, -(3 << 15), -5, -1, 0, 1, 5, 1 << 15,
                    3 << 15, 1 << 30, kMax - 1, kMax})
    for (int32_t b : {kMin, -1, 0, 1, 1 << 15, 1 << 30, kMax})
      EXPECT_EQ(srdhm(a, b), refSrdhm(a, b)) << a << " * " << b;
}

TEST(SaturatingRoundingDoublingHighMul, RandomMatchesReference) {
  Inputs in(0x5eed0001);
  int64_t failures = 0, ties = 0;
  for (int64_t i = 0; i < kRandomCases; ++i) {
    int32_t a = in.int32();
    int32_t b = in.int32();
    Int128 p = static_cast<Int128>(a) * b;
    ties += floorDiv(p, pow2(31)) * pow2(31) + pow2(30) == p;
    int32_t got = srdhm(a, b), want = refSrdhm(a, b);
    if (got != want && ++failures <= kMaxReported)
      ADD_FAILURE() << "srdhm(" << a << ", " << b << ") = " << got << ", want "
                    << want;
  }
  EXPECT_EQ(failures, 0);
  // The interesting inputs must actually exercise the tie rule.
  EXPECT_GT(ties, 10000);
  std::cout << "exact ties: " << ties << std::endl;
  reportCount(kRandomCases);
}

//===----------------------------------------------------------------------===//
// qc_rounding_divide_by_pot
//===----------------------------------------------------------------------===//

int32_t rdbp(int32_t x, int32_t e) { return qc_rounding_divide_by_pot(x, e); }

TEST(RoundingDivideByPOT, ExponentZeroIsIdentity) {
  for (int32_t x : {kMin, kMin + 1, -2, -1, 0, 1, 2, kMax - 1, kMax})
    EXPECT_EQ(rdbp(x, 0), x);
}

TEST(RoundingDivideByPOT, Exponent31) {
  EXPECT_EQ(rdbp(kMin, 31), -1);
  EXPECT_EQ(rdbp(kMax, 31), 1);
  EXPECT_EQ(rdbp(1 << 30, 31), 1);     // 0.5
  EXPECT_EQ(rdbp(-(1 << 30), 31), -1); // -0.5
  EXPECT_EQ(rdbp((1 << 30) - 1, 31), 0);
  EXPECT_EQ(rdbp(-(1 << 30) + 1, 31), 0);
  EXPECT_EQ(rdbp((1 << 30) + 1, 31), 1);
  EXPECT_EQ(rdbp(-(1 << 30) - 1, 31), -1);
  EXPECT_EQ(rdbp(0, 31), 0);
  EXPECT_EQ(rdbp(1, 31), 0);
  EXPECT_EQ(rdbp(-1, 31), 0);
}

TEST(RoundingDivideByPOT, TiesRoundAwayFromZero) {
  EXPECT_EQ(rdbp(1, 1), 1);   // 0.5
  EXPECT_EQ(rdbp(-1, 1), -1); // -0.5
  EXPECT_EQ(rdbp(3, 1), 2);   // 1.5
  EXPECT_EQ(rdbp(-3, 1), -2); // -1.5
  EXPECT_EQ(rdbp(5, 1), 3);
  EXPECT_EQ(rdbp(-5, 1), -3);
  EXPECT_EQ(rdbp(2, 2), 1); // 0.5
  EXPECT_EQ(rdbp(-2, 2), -1);
  EXPECT_EQ(rdbp(6, 2), 2); // 1.5
  EXPECT_EQ(rdbp(-6, 2), -2);
  EXPECT_EQ(rdbp(5, 2), 1); // 1.25
  EXPECT_EQ(rdbp(-5, 2), -1);
  EXPECT_EQ(rdbp(7, 2), 2); // 1.75
  EXPECT_EQ(rdbp(-7, 2), -2);
  EXPECT_EQ(rdbp(kMin, 1), -(1 << 30));
  EXPECT_EQ(rdbp(kMax, 1), 1 << 30);        // 2^30 - 0.5
  EXPECT_EQ(rdbp(kMin + 1, 1), -(1 << 30)); // -2^30 + 0.5
}

TEST(RoundingDivideByPOT, OutOfRangeExponentIsClamped) {
  for (int32_t x : {kMin, -(1 << 30), -7, -1, 0, 1, 7, 1 << 30, kMax}) {
    EXPECT_EQ(rdbp(x, -1), x);
    EXPECT_EQ(rdbp(x, kMin), x);
    EXPECT_EQ(rdbp(x, 32), rdbp(x, 31));
    EXPECT_EQ(rdbp(x, 1000), rdbp(x, 31));
    EXPECT_EQ(rdbp(x, kMax), rdbp(x, 31));
  }
}

TEST(RoundingDivideByPOT, RandomMatchesReference) {
  Inputs in(0x5eed0002);
  int64_t failures = 0, ties = 0;
  for (int64_t i = 0; i < kRandomCases; ++i) {
    int32_t x = in.int32();
    int32_t e = in.bits() % 16 == 0 ? in.int32()
                                    : static_cast<int32_t>(in.range(0, 31));
    if (e >= 1 && e <= 31)
      ties += std::abs(int64_t(x)) % pow2(e) == pow2(e - 1);
    int32_t got = rdbp(x, e), want = refRdbp(x, e);
    if (got != want && ++failures <= kMaxReported)
      ADD_FAILURE() << "rdbp(" << x << ", " << e << ") = " << got << ", want "
                    << want;
  }
  EXPECT_EQ(failures, 0);
  EXPECT_GT(ties, 10000);
  std::cout << "exact ties: " << ties << std::endl;
  reportCount(kRandomCases);
}

//===----------------------------------------------------------------------===//
// qc_quantize_multiplier
//===----------------------------------------------------------------------===//

Multiplier quantize(double m) {
  Multiplier r{-7, -7}; // Sentinels: every valid call overwrites both.
  qc_quantize_multiplier(m, &r.m0, &r.shift);
  return r;
}

TEST(QuantizeMultiplier, PowersOfTwoAndSimpleValues) {
  EXPECT_EQ(quantize(0.5), (Multiplier{1 << 30, 0}));
  EXPECT_EQ(quantize(1.0), (Multiplier{1 << 30, 1}));
  EXPECT_EQ(quantize(0.75), (Multiplier{3 << 29, 0}));
  EXPECT_EQ(quantize(std::ldexp(1.0, -31)), (Multiplier{1 << 30, -30}));
  EXPECT_EQ(quantize(std::ldexp(1.0, 30)), (Multiplier{1 << 30, 31}));
  // 0.1 = 0.8 * 2^-3, and 0.8 * 2^31 = 1717986918.4.
  EXPECT_EQ(quantize(0.1), (Multiplier{1717986918, -3}));
}

TEST(QuantizeMultiplier, TiesRoundAwayFromZero) {
  // (2^30 + 0.5) * 2^-31 and (2^30 + 1.5) * 2^-31.
  EXPECT_EQ(quantize(0.5 + std::ldexp(1.0, -32)),
            (Multiplier{(1 << 30) + 1, 0}));
  EXPECT_EQ(quantize(0.5 + 3 * std::ldexp(1.0, -32)),
            (Multiplier{(1 << 30) + 2, 0}));
}

TEST(QuantizeMultiplier, RoundingCarriesIntoTheExponent) {
  EXPECT_EQ(quantize(std::nextafter(1.0, 0.0)), (Multiplier{1 << 30, 1}));
  EXPECT_EQ(quantize(1.0 - std::ldexp(1.0, -40)), (Multiplier{1 << 30, 1}));
  // 1 - 2^-32 is an exact tie at 2^31 - 1/2.
  EXPECT_EQ(quantize(1.0 - std::ldexp(1.0, -32)), (Multiplier{1 << 30, 1}));
  // 1 - 2^-31 is representable: no carry.
  EXPECT_EQ(quantize(1.0 - std::ldexp(1.0, -31)), (Multiplier{kMax, 0}));
}

TEST(QuantizeMultiplier, TinyMultipliersFlushToZero) {
  // 2^-32 = 0.5 * 2^-31 is the smallest representable multiplier.
  EXPECT_EQ(quantize(std::ldexp(1.0, -32)), (Multiplier{1 << 30, -31}));
  // Values that round up to 2^-32 are kept, including the exact tie.
  EXPECT_EQ(quantize(std::nextafter(std::ldexp(1.0, -32), 0.0)),
            (Multiplier{1 << 30, -31}));
  EXPECT_EQ(quantize(std::ldexp(1.0, -32) - std::ldexp(1.0, -64)),
            (Multiplier{1 << 30, -31}));
  // Anything smaller flushes.
  EXPECT_EQ(quantize(std::ldexp(1.0, -32) - std::ldexp(1.0, -63)),
            (Multiplier{0, 0}));
  EXPECT_EQ(quantize(std::ldexp(1.0, -33)), (Multiplier{0, 0}));
  EXPECT_EQ(quantize(1e-12), (Multiplier{0, 0}));
  EXPECT_EQ(quantize(std::numeric_limits<double>::min()), (Multiplier{0, 0}));
  EXPECT_EQ(quantize(std::numeric_limits<double>::denorm_min()),
            (Multiplier{0, 0}));
  EXPECT_EQ(quantize(0.0), (Multiplier{0, 0}));
  EXPECT_EQ(quantize(-0.0), (Multiplier{0, 0}));
}

TEST(QuantizeMultiplier, HugeMultipliersSaturate) {
  const Multiplier saturated{kMax, 31};
  EXPECT_EQ(quantize(std::ldexp(1.0, 31) - 1), saturated);    // Representable.
  EXPECT_EQ(quantize(std::ldexp(1.0, 31) - 0.75), saturated); // Rounds down.
  EXPECT_EQ(quantize(std::ldexp(1.0, 31) - 0.5), saturated);  // Tie carries.
  EXPECT_EQ(quantize(std::ldexp(1.0, 31)), saturated);
  EXPECT_EQ(quantize(1e300), saturated);
  EXPECT_EQ(quantize(std::numeric_limits<double>::max()), saturated);
  EXPECT_EQ(quantize(std::numeric_limits<double>::infinity()), saturated);
}

TEST(QuantizeMultiplier, NegativeAndNaNGiveZero) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(quantize(-1.0), (Multiplier{0, 0}));
  EXPECT_EQ(quantize(-1e-12), (Multiplier{0, 0}));
  EXPECT_EQ(quantize(-std::numeric_limits<double>::infinity()),
            (Multiplier{0, 0}));
  EXPECT_EQ(quantize(nan), (Multiplier{0, 0}));
  EXPECT_EQ(quantize(-nan), (Multiplier{0, 0}));
}

TEST(QuantizeMultiplier, NullPointersWriteNothing) {
  int32_t value = 42;
  qc_quantize_multiplier(0.5, &value, nullptr);
  EXPECT_EQ(value, 42);
  qc_quantize_multiplier(0.5, nullptr, &value);
  EXPECT_EQ(value, 42);
  qc_quantize_multiplier(0.5, nullptr, nullptr);
}

/// A random double that is often a tie, close to a power of two, or outside
/// the contract.
double randomMultiplier(Inputs &in) {
  switch (in.bits() % 8) {
  case 0: { // Any bit pattern: NaNs, infinities, negatives, subnormals.
    uint64_t bits = in.bits();
    double m;
    std::memcpy(&m, &bits, sizeof m);
    return m;
  }
  case 1:
  case 2: { // An exact tie (k + 1/2) * 2^(s-31).
    int64_t k = in.range(pow2(30), pow2(31) - 1);
    return std::ldexp(static_cast<double>(k) + 0.5,
                      static_cast<int>(in.range(-34, 33)) - 31);
  }
  case 3: { // A few ulps from a power of two.
    double p = std::ldexp(1.0, static_cast<int>(in.range(-34, 33)));
    for (int64_t n = in.range(-3, 3); n != 0; n += n < 0 ? 1 : -1)
      p = std::nextafter(p, n < 0 ? 0.0 : 1e300);
    return p;
  }
  default: { // Log-uniform over the interesting range.
    double significand = 1.0 + static_cast<double>(in.bits() >> 11) * 0x1p-53;
    return std::ldexp(significand, static_cast<int>(in.range(-40, 40)));
  }
  }
}

TEST(QuantizeMultiplier, RandomMatchesReference) {
  Inputs in(0x5eed0003);
  int64_t failures = 0, ties = 0, flushed = 0, saturated = 0;
  for (int64_t i = 0; i < kRandomCases; ++i) {
    double m = randomMultiplier(in);
    Multiplier got = quantize(m), want = refQuantize(m);
    bool ok = got == want;
    // Properties that pin the result down independently of refQuantize.
    if (got.m0 == 0) {
      ok &= got.shift == 0;
      ok &= !(m >= std::ldexp(1.0, -32) - std::ldexp(1.0, -64));
      ++flushed;
    } else if (m >= std::ldexp(1.0, 31) - 0.5) {
      ok &= got == Multiplier{kMax, 31};
      ++saturated;
    } else {
      ok &= got.m0 >= pow2(30) && got.shift >= -31 && got.shift <= 31;
      // Both are within a factor of two, so the difference is exact.
      long double approx =
          std::ldexp(static_cast<long double>(got.m0), got.shift - 31);
      long double error = approx - static_cast<long double>(m);
      long double halfUlp = std::ldexp(1.0L, got.shift - 32);
      ok &= std::fabs(error) < halfUlp || error == halfUlp;
      ties += error == halfUlp;
    }
    if (!ok && ++failures <= kMaxReported)
      ADD_FAILURE() << "quantize(" << std::hexfloat << m << std::defaultfloat
                    << ") = " << got << ", want " << want;
  }
  EXPECT_EQ(failures, 0);
  EXPECT_GT(ties, 100000);
  EXPECT_GT(flushed, 100000);
  EXPECT_GT(saturated, 100000);
  std::cout << "exact ties: " << ties << ", flushed: " << flushed
            << ", saturated: " << saturated << std::endl;
  reportCount(kRandomCases);
}

//===----------------------------------------------------------------------===//
// qc_multiply_by_quantized_multiplier
//===----------------------------------------------------------------------===//

int32_t mbqm(int32_t x, int32_t m0, int32_t shift) {
  return qc_multiply_by_quantized_multiplier(x, m0, shift);
}

TEST(MultiplyByQuantizedMultiplier, Identity) {
  // M = 2^30 * 2^(1-31) = 1.
  for (int32_t x : {-(1 << 30), -12345, -1, 0, 1, 12345, (1 << 30) - 1})
    EXPECT_EQ(mbqm(x, 1 << 30, 1), x);
}

TEST(MultiplyByQuantizedMultiplier, DoubleRounding) {
  // M = 1/2: one rounding, ties toward +infinity.
  EXPECT_EQ(mbqm(5, 1 << 30, 0), 3);
  EXPECT_EQ(mbqm(-5, 1 << 30, 0), -2);
  // M = 1/4: 2.5 -> 3, then 1.5 -> 2, although 5/4 rounds to 1.
  EXPECT_EQ(mbqm(5, 1 << 30, -1), 2);
  EXPECT_EQ(mbqm(6, 1 << 30, -1), 2);   // 3 -> 1.5 -> 2
  EXPECT_EQ(mbqm(-6, 1 << 30, -1), -2); // -3 -> -1.5 -> -2
  EXPECT_EQ(mbqm(2, 1 << 30, -1), 1);   // 1 -> 0.5 -> 1
  EXPECT_EQ(mbqm(-2, 1 << 30, -1), -1); // -1 -> -0.5 -> -1
  EXPECT_EQ(mbqm(-5, 1 << 30, -1), -1); // -2.5 -> -2 -> -1
}

TEST(MultiplyByQuantizedMultiplier, Extremes) {
  EXPECT_EQ(mbqm(kMax, kMax, -31), 1);
  EXPECT_EQ(mbqm(kMin, kMax, -31), -1);
  EXPECT_EQ(mbqm(kMax, kMax, 0), kMax - 1);
  EXPECT_EQ(mbqm(kMin, kMin, 0), kMax); // SRDHM saturation.
  EXPECT_EQ(mbqm(-1, 1 << 30, 31), -(1 << 30));
  for (int32_t x : {kMin, -1, 0, 1, kMax}) {
    EXPECT_EQ(mbqm(x, 0, 5), 0);
    EXPECT_EQ(mbqm(0, x, 5), 0);
  }
}

TEST(MultiplyByQuantizedMultiplier, LeftShiftSaturates) {
  // 2 * INT32_MAX saturates to INT32_MAX before the multiply.
  EXPECT_EQ(mbqm(kMax, 1 << 30, 1), 1 << 30);
  EXPECT_EQ(mbqm(kMin, 1 << 30, 1), -(1 << 30));
  EXPECT_EQ(mbqm(1 << 30, 1 << 30, 1), 1 << 30); // 2^31 -> INT32_MAX.
  EXPECT_EQ(mbqm(2, 1 << 30, 31), 1 << 30);
  EXPECT_EQ(mbqm(-3, 1 << 30, 31), -(1 << 30));
}

TEST(MultiplyByQuantizedMultiplier, OutOfRangeShiftIsClamped) {
  for (int32_t x : {kMin, -100, -1, 0, 1, 100, kMax}) {
    for (int32_t m0 : {0, 1 << 30, kMax, kMin}) {
      EXPECT_EQ(mbqm(x, m0, 32), mbqm(x, m0, 31));
      EXPECT_EQ(mbqm(x, m0, kMax), mbqm(x, m0, 31));
      EXPECT_EQ(mbqm(x, m0, -32), mbqm(x, m0, -31));
      EXPECT_EQ(mbqm(x, m0, kMin), mbqm(x, m0, -31));
    }
  }
}

TEST(MultiplyByQuantizedMultiplier, RandomMatchesReference) {
  Inputs in(0x5eed0004);
  int64_t failures = 0, realChecks = 0, offByOne = 0;
  for (int64_t i = 0; i < kRandomCases; ++i) {
    int32_t x = in.int32(), m0 = in.m0(), shift = in.mbqmShift();
    int32_t got = mbqm(x, m0, shift);
    bool ok = got == refMbqm(x, m0, shift);
    // Against the real product x * M, where the contract holds: two
    // roundings land within 1 of the singly rounded exact value.
    if (shift >= -31 && shift <= 31) {
      int64_t scaled = int64_t(x) * pow2(std::max(shift, 0));
      if (scaled >= kMin && scaled <= kMax && !(scaled == kMin && m0 == kMin)) {
        long double exact = std::round(
            std::ldexp(static_cast<long double>(x) * m0, shift - 31));
        long double diff = std::fabs(static_cast<long double>(got) - exact);
        ok &= diff <= 1;
        offByOne += diff == 1;
        ++realChecks;
      }
    }
    if (!ok && ++failures <= kMaxReported)
      ADD_FAILURE() << "mbqm(" << x << ", " << m0 << ", " << shift
                    << ") = " << got << ", want " << refMbqm(x, m0, shift);
  }
  EXPECT_EQ(failures, 0);
  EXPECT_GT(realChecks, kRandomCases / 2);
  std::cout << "checked against round(x * M): " << realChecks
            << ", of which off by one: " << offByOne << std::endl;
  reportCount(kRandomCases);
}

//===----------------------------------------------------------------------===//
// qc_multiply_by_quantized_multiplier_half_even
//===----------------------------------------------------------------------===//

int32_t halfEven(int32_t x, int32_t m0, int32_t shift) {
  return qc_multiply_by_quantized_multiplier_half_even(x, m0, shift);
}

/// x * m0 / 2^s rounded to nearest, ties to even, from the definition in
/// exact integers (s = 31 - shift clamped into [0, 62]).
int32_t refHalfEven(int32_t x, int32_t m0, int32_t shift) {
  int s = static_cast<int>(
      std::min<int64_t>(std::max<int64_t>(31 - int64_t(shift), 0), 62));
  Int128 n = static_cast<Int128>(x) * m0, d = static_cast<Int128>(1) << s;
  Int128 q = floorDiv(n, d), r = n - q * d;
  if (2 * r > d || (2 * r == d && (q % 2 != 0)))
    ++q;
  return saturate(q);
}

TEST(MultiplyByQuantizedMultiplierHalfEven, TiesGoToEven) {
  // m0 = 2^30, shift 0: x / 2, a tie for every odd x.
  int32_t half = static_cast<int32_t>(pow2(30));
  EXPECT_EQ(halfEven(1, half, 0), 0);   // 0.5 -> 0
  EXPECT_EQ(halfEven(3, half, 0), 2);   // 1.5 -> 2
  EXPECT_EQ(halfEven(5, half, 0), 2);   // 2.5 -> 2
  EXPECT_EQ(halfEven(-1, half, 0), 0);  // -0.5 -> 0
  EXPECT_EQ(halfEven(-3, half, 0), -2); // -1.5 -> -2
  EXPECT_EQ(halfEven(-5, half, 0), -2); // -2.5 -> -2
  EXPECT_EQ(halfEven(4, half, 0), 2);
  EXPECT_EQ(halfEven(7, half, -1), 2);  // 7/4 = 1.75 -> 2
  EXPECT_EQ(halfEven(6, half, -1), 2);  // 6/4 = 1.5 -> 2
  EXPECT_EQ(halfEven(10, half, -1), 2); // 10/4 = 2.5 -> 2
  EXPECT_EQ(halfEven(-10, half, -1), -2);
}

TEST(MultiplyByQuantizedMultiplierHalfEven, SingleRounding) {
  // gemmlowp rounds twice; this mode once. x * 0.75 / 2^2 with x = 10:
  // exactly 1.875 -> 2.
  int32_t m0 = static_cast<int32_t>(3 * pow2(29)); // 0.75 * 2^31
  EXPECT_EQ(halfEven(10, m0, -2), 2);
  EXPECT_EQ(halfEven(0, m0, -2), 0);
  EXPECT_EQ(halfEven(kMax, 0, 5), 0);
}

TEST(MultiplyByQuantizedMultiplierHalfEven, ExtremesAndShifts) {
  int32_t one = static_cast<int32_t>(pow2(30)); // 0.5 * 2^31
  EXPECT_EQ(halfEven(kMax, one, 1), kMax);      // x * 1
  EXPECT_EQ(halfEven(kMin, one, 1), kMin);
  EXPECT_EQ(halfEven(kMax, one, 2), kMax);      // x * 2 saturates
  EXPECT_EQ(halfEven(kMin, one, 2), kMin);
  EXPECT_EQ(halfEven(kMax, one, 31), kMax);     // s = 0: the product itself
  EXPECT_EQ(halfEven(3, one, 31), kMax);
  EXPECT_EQ(halfEven(kMax, kMax, -31), 1); // s = 62: (2^31-1)^2 / 2^62 ~ 0.99999
  EXPECT_EQ(halfEven(kMax, kMax, -31), refHalfEven(kMax, kMax, -31));
  // Out of contract shifts are clamped (s into [0, 62]).
  EXPECT_EQ(halfEven(100, one, 40), halfEven(100, one, 31));
  EXPECT_EQ(halfEven(100, one, -40), halfEven(100, one, -31));
  EXPECT_EQ(halfEven(kMin, kMin, 0), refHalfEven(kMin, kMin, 0));
}

TEST(MultiplyByQuantizedMultiplierHalfEven, RandomMatchesReference) {
  Inputs in(0x5eed0007);
  int64_t failures = 0, ties = 0, realChecks = 0;
  for (int64_t i = 0; i < kRandomCases; ++i) {
    int32_t x = in.int32(), m0 = in.m0(), shift = in.mbqmShift();
    // A quarter of the cases are built to land on exact ties.
    if (i % 4 == 0) {
      m0 = static_cast<int32_t>(pow2(30));
      shift = static_cast<int32_t>(in.range(-29, 0));
    }
    int32_t got = halfEven(x, m0, shift);
    int32_t want = refHalfEven(x, m0, shift);
    bool ok = got == want;
    // Independently, in long double (exact: |x * m0| < 2^63), rounded by
    // the FPU's default round-to-nearest-even.
    if (shift >= -31 && shift <= 31) {
      long double exact =
          std::ldexp(static_cast<long double>(x) * m0, shift - 31);
      long double rounded = std::nearbyint(exact);
      if (rounded >= kMin && rounded <= kMax) {
        ok &= static_cast<long double>(got) == rounded;
        ++realChecks;
        ties += exact - std::floor(exact) == 0.5L;
      }
    }
    if (!ok && ++failures <= kMaxReported)
      ADD_FAILURE() << "halfEven(" << x << ", " << m0 << ", " << shift
                    << ") = " << got << ", want " << want;
  }
  EXPECT_EQ(failures, 0);
  EXPECT_GT(ties, kRandomCases / 200); // about 0.9% land on exact ties
  EXPECT_GT(realChecks, kRandomCases / 2);
  std::cout << "exact ties among them: " << ties << std::endl;
  reportCount(kRandomCases);
}

//===----------------------------------------------------------------------===//
// qc_apply_scale_tosa
//===----------------------------------------------------------------------===//

int32_t tosa(int32_t value, int32_t multiplier, int32_t shift, bool dr) {
  return qc_apply_scale_tosa(value, multiplier, shift, dr);
}

TEST(ApplyScaleTosa, Shift2) {
  for (bool dr : {false, true}) {
    EXPECT_EQ(tosa(2, 1, 2, dr), 1);   // 0.5, ties toward +infinity
    EXPECT_EQ(tosa(-2, 1, 2, dr), 0);  // -0.5
    EXPECT_EQ(tosa(6, 1, 2, dr), 2);   // 1.5
    EXPECT_EQ(tosa(-6, 1, 2, dr), -1); // -1.5
    EXPECT_EQ(tosa(1, 1, 2, dr), 0);
    EXPECT_EQ(tosa(3, 1, 2, dr), 1);
    EXPECT_EQ(tosa(-3, 1, 2, dr), -1);
  }
}

TEST(ApplyScaleTosa, Shift31IgnoresDoubleRounding) {
  for (bool dr : {false, true}) {
    EXPECT_EQ(tosa(5, 1 << 30, 31, dr), 3);   // 2.5
    EXPECT_EQ(tosa(-5, 1 << 30, 31, dr), -2); // -2.5
    EXPECT_EQ(tosa(kMin, 1 << 30, 31, dr), -(1 << 30));
    EXPECT_EQ(tosa(kMax, 1 << 30, 31, dr), 1 << 30);
  }
}

TEST(ApplyScaleTosa, Shift32) {
  // Single rounding of v / 4, ties toward +infinity.
  EXPECT_EQ(tosa(6, 1 << 30, 32, false), 2);   // 1.5
  EXPECT_EQ(tosa(-6, 1 << 30, 32, false), -1); // -1.5
  EXPECT_EQ(tosa(2, 1 << 30, 32, false), 1);   // 0.5
  EXPECT_EQ(tosa(-2, 1 << 30, 32, false), 0);  // -0.5
  EXPECT_EQ(tosa(5, 1 << 30, 32, false), 1);   // 1.25
  EXPECT_EQ(tosa(-5, 1 << 30, 32, false), -1); // -1.25
  // Double rounding: first to 2^31 away from zero, then ties toward +inf.
  EXPECT_EQ(tosa(6, 1 << 30, 32, true), 2);   // 3 -> 1.5 -> 2
  EXPECT_EQ(tosa(-6, 1 << 30, 32, true), -2); // -3 -> -1.5 -> -2
  EXPECT_EQ(tosa(5, 1 << 30, 32, true), 2);   // 2.5 -> 3 -> 1.5 -> 2
  EXPECT_EQ(tosa(-5, 1 << 30, 32, true), -1); // -2.5 -> -3 -> -1.5 -> -1
  EXPECT_EQ(tosa(-2, 1 << 30, 32, true), -1); // -1 -> -0.5 -> -1 (floor)
  EXPECT_EQ(tosa(2, 1 << 30, 32, true), 1);
}

TEST(ApplyScaleTosa, Shift62) {
  for (bool dr : {false, true}) {
    // (2^31 - 1)^2 / 2^62 = 1 - 2^-30 + 2^-62.
    EXPECT_EQ(tosa(kMax, kMax, 62, dr), 1);
    EXPECT_EQ(tosa(kMin, kMax, 62, dr), -1);
    EXPECT_EQ(tosa(0, kMax, 62, dr), 0);
    EXPECT_EQ(tosa(1, kMax, 62, dr), 0);
    EXPECT_EQ(tosa(-1, kMax, 62, dr), 0);
  }
  // -2^61 / 2^62 = -0.5: single rounding goes toward +infinity, double
  // rounding's first step is exact and its second floors.
  EXPECT_EQ(tosa(kMin, 1 << 30, 62, false), 0);
  EXPECT_EQ(tosa(kMin, 1 << 30, 62, true), -1);
  EXPECT_EQ(tosa(1 << 30, 1 << 30, 62, false), 0);   // 0.25
  EXPECT_EQ(tosa(-(1 << 30), 1 << 30, 62, true), 0); // -0.25
  EXPECT_EQ(tosa(1 << 30, 1 << 30, 61, false), 1);   // 0.5
  EXPECT_EQ(tosa(1 << 30, 1 << 30, 61, true), 1);
}

TEST(ApplyScaleTosa, Identity) {
  for (int32_t v : {kMin, -1, 0, 1, kMax})
    for (bool dr : {false, true})
      EXPECT_EQ(tosa(v, 1 << 30, 30, dr), v);
}

TEST(ApplyScaleTosa, OutOfContract) {
  for (int32_t v : {kMin, -7, 0, 7, kMax}) {
    for (bool dr : {false, true}) {
      for (int32_t s : {kMin, -5, 0, 1})
        EXPECT_EQ(tosa(v, 12345, s, dr), tosa(v, 12345, 2, dr));
      for (int32_t s : {63, 100, kMax})
        EXPECT_EQ(tosa(v, kMax, s, dr), tosa(v, kMax, 62, dr));
    }
  }
  // Results beyond int32 saturate instead of wrapping.
  EXPECT_EQ(tosa(kMax, kMax, 2, false), kMax);
  EXPECT_EQ(tosa(kMin, kMax, 2, false), kMin);
  EXPECT_EQ(tosa(kMin, kMin, 30, false), kMax);
  // A negative multiplier just evaluates the formula.
  EXPECT_EQ(tosa(5, -(1 << 30), 31, false), -2); // -2.5
  EXPECT_EQ(tosa(kMin, kMin, 62, true), 1);      // 2^62 / 2^62 (+ rounding)
}

TEST(ApplyScaleTosa, RandomMatchesReference) {
  Inputs in(0x5eed0005);
  int64_t failures = 0;
  for (int64_t i = 0; i < kRandomCases; ++i) {
    int32_t value = in.int32();
    int32_t multiplier = in.bits() % 4 == 0
                             ? in.int32()
                             : static_cast<int32_t>(in.range(0, kMax));
    int32_t shift = in.bits() % 8 == 0 ? static_cast<int32_t>(in.range(-10, 80))
                                       : static_cast<int32_t>(in.range(2, 62));
    bool dr = in.coin();
    int32_t got = tosa(value, multiplier, shift, dr);
    int32_t want = refTosa(value, multiplier, shift, dr);
    if (got != want && ++failures <= kMaxReported)
      ADD_FAILURE() << "tosa(" << value << ", " << multiplier << ", " << shift
                    << ", " << dr << ") = " << got << ", want " << want;
  }
  EXPECT_EQ(failures, 0);
  reportCount(kRandomCases);
}

//===----------------------------------------------------------------------===//
// qc_requantize
//===----------------------------------------------------------------------===//

TEST(Requantize, Int8Clamps) {
  // M = 1/2, zero point -5, int8 output.
  EXPECT_EQ(qc_requantize(100, 1 << 30, 0, -5, -128, 127), 45);
  EXPECT_EQ(qc_requantize(1000, 1 << 30, 0, -5, -128, 127), 127);
  EXPECT_EQ(qc_requantize(-1000, 1 << 30, 0, -5, -128, 127), -128);
  EXPECT_EQ(qc_requantize(kMax, kMax, 31, 0, -128, 127), 127);
  EXPECT_EQ(qc_requantize(kMin, kMax, 31, 0, -128, 127), -128);
}

TEST(Requantize, FusedRelu) {
  // uint8 output with zero point 10; ReLU makes qmin the zero point.
  EXPECT_EQ(qc_requantize(-100, 1 << 30, 0, 10, 10, 255), 10);
  EXPECT_EQ(qc_requantize(100, 1 << 30, 0, 10, 10, 255), 60);
  // ReLU6 with scale 6/100: q = zp + 100 is the top of the range.
  EXPECT_EQ(qc_requantize(1000, 1 << 30, 0, 10, 10, 110), 110);
}

TEST(Requantize, AdditionCannotOverflow) {
  EXPECT_EQ(qc_requantize(kMax, 1 << 30, 1, kMax, kMin, kMax), kMax);
  EXPECT_EQ(qc_requantize(kMin, 1 << 30, 1, kMin, kMin, kMax), kMin);
  // SRDHM saturates to INT32_MAX, then INT32_MIN + INT32_MAX.
  EXPECT_EQ(qc_requantize(kMin, kMin, 0, kMin, kMin, kMax), -1);
}

TEST(Requantize, InvertedRangeGivesQmax) {
  for (int32_t acc : {kMin, -1000, 0, 1000, kMax}) {
    EXPECT_EQ(qc_requantize(acc, 1 << 30, 0, 0, 10, -10), -10);
    EXPECT_EQ(qc_requantize(acc, 1 << 30, 0, 0, 5, 5), 5);
  }
}

TEST(Requantize, RandomMatchesReference) {
  Inputs in(0x5eed0006);
  int64_t failures = 0;
  for (int64_t i = 0; i < kRandomCases; ++i) {
    int32_t acc = in.int32(), m0 = in.m0(), shift = in.mbqmShift();
    int32_t zp, qmin, qmax;
    switch (in.bits() % 10) {
    case 0: // Anything, including qmin > qmax.
      zp = in.int32();
      qmin = in.int32();
      qmax = in.int32();
      break;
    case 1:
    case 2: // Wide ordered ranges.
      zp = in.int32();
      qmin = in.int32();
      qmax = in.int32();
      if (qmin > qmax)
        std::swap(qmin, qmax);
      break;
    default: { // 8-bit storage, sometimes with a fused ReLU.
      bool isSigned = in.coin();
      qmin = isSigned ? -128 : 0;
      qmax = isSigned ? 127 : 255;
      zp = static_cast<int32_t>(in.range(qmin, qmax));
      if (in.coin())
        qmin = zp;
      break;
    }
    }
    int32_t got = qc_requantize(acc, m0, shift, zp, qmin, qmax);
    int32_t want = refRequantize(acc, m0, shift, zp, qmin, qmax);
    if (got != want && ++failures <= kMaxReported)
      ADD_FAILURE() << "requantize(" << acc << ", " << m0 << ", " << shift
                    << ", " << zp << ", " << qmin << ", " << qmax
                    << ") = " << got << ", want " << want;
  }
  EXPECT_EQ(failures, 0);
  reportCount(kRandomCases);
}

} // namespace
