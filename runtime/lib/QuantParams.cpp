//===- QuantParams.cpp - Float-to-integer parameter preparation -----------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// This file turns the real-valued quantization parameters of the qnt graph
// ops into the integers that the integer-only kernels consume: fixed-point
// multipliers (TFLite QuantizeMultiplier through qc_quantize_multiplier),
// clamp bounds, the shifts and multipliers of TFLite's reference quantized
// add, and the exponential table of the integer softmax. Jacob et al. 2018
// ("Quantization and Training of Neural Networks for Efficient
// Integer-Arithmetic-Only Inference", section 2.2) observe that the rescale
// factor M is the only non-integer of a quantized layer; everything that is
// float happens here, once, in double, in the order documented in
// docs/quantized-kernels.md, so that the reference kernels and the
// compiler's integer lowering get the very same integers.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/QuantParams.h"

#include "qc/runtime/fixed_point.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace qc::rt;

constexpr double kBiasTolerance = 1e-4;
/// The largest multiplier qc_quantize_multiplier represents without
/// saturating (it saturates from 2^31 - 0.5 on).
constexpr double kMaxMultiplier = 2147483647.0;
/// Softmax table: T[0] = 2^24, R <= 2^38, sum <= classes * 2^24 and
/// sum * 2^20 < 2^63 (see prepareSoftmax).
constexpr int kSoftmaxTableBits = 24;
constexpr int kSoftmaxReciprocalBits = 20;
constexpr int64_t kSoftmaxMaxReciprocal = INT64_C(1) << 38;
constexpr int64_t kSoftmaxMaxClasses = INT64_C(1) << 19;
constexpr int64_t kSoftmaxMaxTable = INT64_C(1) << 16;

static std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

static std::string fmt(int64_t v) { return std::to_string(v); }

/// Checks what every integer kernel needs of a parameter set: one scale and
/// zero point per tensor (or per channel), positive finite scales, zero
/// points inside a storage range that itself fits int32.
static bool checkParams(const QuantParams &p, const std::string &role,
                        std::string &error) {
  if (p.groupSize > 0) {
    error = role + ": per-group quantization is not supported by the "
                   "integer kernels";
    return false;
  }
  if (p.scales.empty() || p.scales.size() != p.zeroPoints.size()) {
    error = role +
            ": need one zero point per scale and at least one scale "
            "(got " +
            fmt(int64_t(p.scales.size())) + " scales, " +
            fmt(int64_t(p.zeroPoints.size())) + " zero points)";
    return false;
  }
  if (p.isPerTensor() && p.scales.size() != 1) {
    error = role + ": per-tensor parameters need exactly one scale (got " +
            fmt(int64_t(p.scales.size())) + ")";
    return false;
  }
  if (p.qmin > p.qmax || p.qmin < INT32_MIN || p.qmax > INT32_MAX) {
    error = role + ": storage range [" + fmt(p.qmin) + ", " + fmt(p.qmax) +
            "] is empty or does not fit int32";
    return false;
  }
  for (size_t c = 0; c < p.scales.size(); ++c) {
    if (!(p.scales[c] > 0) || !std::isfinite(p.scales[c])) {
      error = role + ": scale " + fmt(p.scales[c]) + " of channel " +
              fmt(int64_t(c)) + " is not positive and finite";
      return false;
    }
    if (p.zeroPoints[c] < p.qmin || p.zeroPoints[c] > p.qmax) {
      error = role + ": zero point " + fmt(p.zeroPoints[c]) + " of channel " +
              fmt(int64_t(c)) + " is outside the storage range [" +
              fmt(p.qmin) + ", " + fmt(p.qmax) + "]";
      return false;
    }
  }
  return true;
}

static bool checkPerTensor(const QuantParams &p, const std::string &role,
                           std::string &error) {
  if (!checkParams(p, role, error))
    return false;
  if (!p.isPerTensor()) {
    error = role + ": must be quantized per tensor";
    return false;
  }
  return true;
}

/// quantizeMultiplier with the range check that the kernels rely on: a
/// multiplier that saturates the fixed-point form (>= 2^31), or is not
/// finite (overflowing scales), is refused instead of silently clipped.
static bool makeMultiplier(double m, const std::string &what, Multiplier &out,
                           std::string &error) {
  if (!std::isfinite(m) || m >= kMaxMultiplier) {
    error = what + ": rescale multiplier " + fmt(m) +
            " is not finite or not below 2^31";
    return false;
  }
  out = quantizeMultiplier(m);
  return true;
}

/// Storage range of channel c intersected with quantizeValue(realLo),
/// quantizeValue(realHi); infinite ends are skipped.
static void clampBounds(const QuantParams &out, size_t c, double realLo,
                        double realHi, int32_t &lo, int32_t &hi) {
  lo = static_cast<int32_t>(out.qmin);
  hi = static_cast<int32_t>(out.qmax);
  if (std::isfinite(realLo))
    lo = std::max(lo, quantizeValue(realLo, out.scales[c], out.zeroPoints[c],
                                    out.qmin, out.qmax));
  if (std::isfinite(realHi))
    hi = std::min(hi, quantizeValue(realHi, out.scales[c], out.zeroPoints[c],
                                    out.qmin, out.qmax));
}

static bool checkRealInterval(double realLo, double realHi,
                              std::string &error) {
  if (std::isnan(realLo) || std::isnan(realHi) || realLo > realHi ||
      realLo == INFINITY || realHi == -INFINITY) {
    error = "clamp interval [" + fmt(realLo) + ", " + fmt(realHi) +
            "] is empty or NaN";
    return false;
  }
  return true;
}

/// The output stage's zero point and bounds. OutputStage holds one zero
/// point and one [lo, hi], so a per-axis output must agree on them across
/// channels (symmetric per-channel outputs do: zero point 0, and a clamp at
/// real 0 quantizes to 0 whatever the scale).
static bool stageBounds(const QuantParams &out, double realLo, double realHi,
                        OutputStage &stage, std::string &error) {
  clampBounds(out, 0, realLo, realHi, stage.lo, stage.hi);
  stage.zeroPoint = static_cast<int32_t>(out.zeroPoints[0]);
  for (size_t c = 1; c < out.scales.size(); ++c) {
    int32_t lo, hi;
    clampBounds(out, c, realLo, realHi, lo, hi);
    if (out.zeroPoints[c] != out.zeroPoints[0]) {
      error = "output: per-axis zero points must all be equal (one output "
              "stage zero point)";
      return false;
    }
    if (lo != stage.lo || hi != stage.hi) {
      error = "output: clamp bounds quantize differently per channel (one "
              "output stage [lo, hi])";
      return false;
    }
  }
  return true;
}

/// The bias is added to the accumulator as is, so its real step must be
/// the accumulator's, S_in * S_w[c] (Jacob et al. 2018, section 2.4).
static bool checkBias(const QuantParams &input, const QuantParams &weight,
                      const QuantParams &bias, std::string &error) {
  if (!checkParams(bias, "bias", error))
    return false;
  size_t channels = std::max(weight.scales.size(), bias.scales.size());
  if (bias.scales.size() != 1 && weight.scales.size() != 1 &&
      bias.scales.size() != weight.scales.size()) {
    error = "bias: " + fmt(int64_t(bias.scales.size())) +
            " scales do not match the weight's " +
            fmt(int64_t(weight.scales.size())) + " channels";
    return false;
  }
  for (size_t c = 0; c < channels; ++c) {
    size_t b = bias.scales.size() == 1 ? 0 : c;
    size_t w = weight.scales.size() == 1 ? 0 : c;
    if (bias.zeroPoints[b] != 0) {
      error = "bias: zero point must be 0 (got " + fmt(bias.zeroPoints[b]) +
              " on channel " + fmt(int64_t(c)) + ")";
      return false;
    }
    double expected = input.scales[0] * weight.scales[w];
    if (!(std::fabs(bias.scales[b] - expected) <= kBiasTolerance * expected)) {
      error = "bias: scale " + fmt(bias.scales[b]) + " of channel " +
              fmt(int64_t(c)) +
              " differs from input scale * weight scale = " + fmt(expected) +
              " by more than 1e-4 relative; the int32 bias is added to the "
              "accumulator unchanged, so it must be quantized with that scale";
      return false;
    }
  }
  return true;
}

/// T[d] = round_half_away(2^24 exp(-(S_in d))) for d in [0, entries), in
/// double. T[0] = 2^24 exactly; the table is non-increasing.
static std::vector<int64_t> expTable(double inputScale, int64_t entries) {
  std::vector<int64_t> table(static_cast<size_t>(entries));
  for (int64_t d = 0; d < entries; ++d) {
    double e = std::exp(-(inputScale * static_cast<double>(d)));
    table[d] =
        static_cast<int64_t>(std::round(std::ldexp(e, kSoftmaxTableBits)));
  }
  return table;
}

/// Largest |q - Z| over the storage range of per-tensor parameters.
static int64_t maxAbsOffset(const QuantParams &p) {
  return std::max(p.qmax - p.zeroPoints[0], p.zeroPoints[0] - p.qmin);
}

//===----------------------------------------------------------------------===//
// Values and multipliers
//===----------------------------------------------------------------------===//

QuantParams QuantParams::perTensor(double scale, int64_t zeroPoint,
                                   int64_t qmin, int64_t qmax) {
  QuantParams p;
  p.scales = {scale};
  p.zeroPoints = {zeroPoint};
  p.qmin = qmin;
  p.qmax = qmax;
  return p;
}

Multiplier qc::rt::quantizeMultiplier(double m) {
  Multiplier result;
  qc_quantize_multiplier(m, &result.m0, &result.shift);
  return result;
}

/// zp + rounded (NaN: zp, the storage value of real 0; +-inf pass through
/// to the clamp's ends) clamped to [qmin, qmax] taken into int32 first, max
/// then min like qc_requantize, so an empty range yields its upper end.
static int32_t offsetAndClamp(double rounded, int64_t zp, int64_t qmin,
                              int64_t qmax) {
  double lo = static_cast<double>(std::max<int64_t>(qmin, INT32_MIN));
  double hi = static_cast<double>(std::min<int64_t>(qmax, INT32_MAX));
  double q = std::isnan(rounded) ? static_cast<double>(zp)
                                 : rounded + static_cast<double>(zp);
  return static_cast<int32_t>(std::min(std::max(q, lo), hi));
}

int32_t qc::rt::quantizeValue(double real, double scale, int64_t zp,
                              int64_t qmin, int64_t qmax) {
  // std::round is half away from zero.
  return offsetAndClamp(std::round(real / scale), zp, qmin, qmax);
}

Multiplier qc::rt::poolMultiplier(const Multiplier &m, int64_t count) {
  return quantizeMultiplier(
      std::ldexp(static_cast<double>(m.m0), m.shift - 31) /
      static_cast<double>(std::max<int64_t>(count, 1)));
}

int32_t qc::rt::quantizeValueHalfEven(float real, float scale, int64_t zp,
                                      int64_t qmin, int64_t qmax) {
  // A float32 quotient; std::nearbyint rounds ties to even in the default
  // rounding mode, which nothing in the runtime changes.
  float v = real / scale;
  return offsetAndClamp(static_cast<double>(std::nearbyint(v)), zp, qmin, qmax);
}

double qc::rt::dequantizeValue(int64_t q, double scale, int64_t zp) {
  int64_t diff;
  if (__builtin_sub_overflow(q, zp, &diff))
    return (static_cast<double>(q) - static_cast<double>(zp)) * scale;
  return static_cast<double>(diff) * scale;
}

//===----------------------------------------------------------------------===//
// Layers and rescales
//===----------------------------------------------------------------------===//

bool qc::rt::prepareLayer(const QuantParams &input, const QuantParams &weight,
                          const QuantParams *bias, const QuantParams &output,
                          OutputStage &stage, std::string &error) {
  if (weight.groupSize > 0) {
    error = "per-group weights are not supported by the integer kernels";
    return false;
  }
  if (!checkPerTensor(input, "input", error) ||
      !checkParams(weight, "weight", error) ||
      !checkPerTensor(output, "output", error))
    return false;
  if (bias && !checkBias(input, weight, *bias, error))
    return false;
  OutputStage result;
  result.multipliers.resize(weight.scales.size());
  for (size_t c = 0; c < weight.scales.size(); ++c) {
    // The documented order: (S_in * S_w[c]) / S_out.
    double m = input.scales[0] * weight.scales[c] / output.scales[0];
    if (!makeMultiplier(m, "channel " + fmt(int64_t(c)), result.multipliers[c],
                        error))
      return false;
  }
  if (!stageBounds(output, -INFINITY, INFINITY, result, error))
    return false;
  stage = std::move(result);
  return true;
}

bool qc::rt::fuseClamp(const QuantParams &output, double realLo, double realHi,
                       OutputStage &stage, std::string &error) {
  if (!checkParams(output, "output", error) ||
      !checkRealInterval(realLo, realHi, error))
    return false;
  OutputStage bounds;
  if (!stageBounds(output, realLo, realHi, bounds, error))
    return false;
  stage.lo = std::max(stage.lo, bounds.lo);
  stage.hi = std::min(stage.hi, bounds.hi);
  return true;
}

bool qc::rt::prepareRescale(const QuantParams &input, const QuantParams &output,
                            double realLo, double realHi, OutputStage &stage,
                            std::string &error) {
  if (!checkParams(input, "input", error) ||
      !checkParams(output, "output", error) ||
      !checkRealInterval(realLo, realHi, error))
    return false;
  if (!output.isPerTensor() && input.isPerTensor()) {
    error = "output: may be per axis only when the input is per axis";
    return false;
  }
  size_t nIn = input.scales.size(), nOut = output.scales.size();
  if (nOut != 1 && nOut != nIn) {
    error = "output: " + fmt(int64_t(nOut)) +
            " channels do not match the input's " + fmt(int64_t(nIn));
    return false;
  }
  OutputStage result;
  result.multipliers.resize(nIn);
  for (size_t c = 0; c < nIn; ++c) {
    double m = input.scales[c] / output.scales[nOut == 1 ? 0 : c];
    if (!makeMultiplier(m, "channel " + fmt(int64_t(c)), result.multipliers[c],
                        error))
      return false;
  }
  if (!stageBounds(output, realLo, realHi, result, error))
    return false;
  stage = std::move(result);
  return true;
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

bool qc::rt::prepareAdd(const QuantParams &a, const QuantParams &b,
                        const QuantParams &output, unsigned storageBits,
                        AddParams &params, std::string &error) {
  if (!checkPerTensor(a, "lhs", error) || !checkPerTensor(b, "rhs", error) ||
      !checkPerTensor(output, "output", error))
    return false;
  // TFLite: 20 bits of headroom for 8-bit inputs, 15 for 16-bit ones, so
  // that (q - Z) * 2^leftShift stays below 2^31.
  if (storageBits == 0 || storageBits > 16) {
    error = "add: storage of " + fmt(int64_t(storageBits)) +
            " bits is not supported by the integer add (at most 16 bits)";
    return false;
  }
  int32_t leftShift = storageBits <= 8 ? 20 : 15;
  int64_t span = (INT64_C(1) << storageBits) - 1;
  if (a.qmax - a.qmin > span || b.qmax - b.qmin > span) {
    error = "add: an input storage range is wider than " +
            fmt(int64_t(storageBits)) + " bits";
    return false;
  }
  AddParams result;
  result.leftShift = leftShift;
  result.zeroPointA = static_cast<int32_t>(a.zeroPoints[0]);
  result.zeroPointB = static_cast<int32_t>(b.zeroPoints[0]);
  double twiceMax = 2 * std::max(a.scales[0], b.scales[0]);
  double outDen =
      static_cast<double>(INT64_C(1) << leftShift) * output.scales[0];
  if (!makeMultiplier(a.scales[0] / twiceMax, "lhs", result.multiplierA,
                      error) ||
      !makeMultiplier(b.scales[0] / twiceMax, "rhs", result.multiplierB,
                      error) ||
      !makeMultiplier(twiceMax / outDen, "output",
                      result.output.multipliers.emplace_back(), error))
    return false;
  if (!stageBounds(output, -INFINITY, INFINITY, result.output, error))
    return false;
  params = std::move(result);
  return true;
}

bool qc::rt::prepareMul(const QuantParams &a, const QuantParams &b,
                        const QuantParams &output, MulParams &params,
                        std::string &error) {
  if (!checkPerTensor(a, "lhs", error) || !checkPerTensor(b, "rhs", error) ||
      !checkPerTensor(output, "output", error))
    return false;
  // The product is held in int32 before the rescale; refuse storage ranges
  // whose products could saturate (i32 activations, asymmetric 16 bit).
  if (maxAbsOffset(a) * maxAbsOffset(b) > INT32_MAX) {
    error = "mul: (a - Z_a) * (b - Z_b) can exceed int32 for these storage "
            "ranges and zero points";
    return false;
  }
  MulParams result;
  result.zeroPointA = static_cast<int32_t>(a.zeroPoints[0]);
  result.zeroPointB = static_cast<int32_t>(b.zeroPoints[0]);
  double m = a.scales[0] * b.scales[0] / output.scales[0];
  if (!makeMultiplier(m, "mul", result.output.multipliers.emplace_back(),
                      error) ||
      !stageBounds(output, -INFINITY, INFINITY, result.output, error))
    return false;
  params = std::move(result);
  return true;
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

bool qc::rt::prepareSoftmax(const QuantParams &input, const QuantParams &output,
                            int64_t classes, SoftmaxParams &params,
                            std::string &error) {
  if (!checkPerTensor(input, "input", error) ||
      !checkPerTensor(output, "output", error))
    return false;
  // sum <= classes * 2^24 and the divisor sum * 2^20 must stay below 2^63.
  if (classes < 1 || classes >= kSoftmaxMaxClasses) {
    error = "softmax: " + fmt(classes) +
            " classes along the axis; need 1 <= classes < 2^19 so that "
            "classes * 2^44 stays below 2^63";
    return false;
  }
  int64_t entries = input.qmax - input.qmin + 1;
  if (entries > kSoftmaxMaxTable) {
    error = "softmax: input storage range of " + fmt(entries) +
            " values is too wide for the exponential table (at most 2^16)";
    return false;
  }
  double r =
      std::round(std::ldexp(1.0, kSoftmaxReciprocalBits) / output.scales[0]);
  // T * R must fit int64: T <= 2^24, so R <= 2^38. R = 0 would make every
  // probability 0.
  if (!(r >= 1) || r > static_cast<double>(kSoftmaxMaxReciprocal)) {
    error = "softmax: output scale " + fmt(output.scales[0]) +
            " gives R = round(2^20 / S_out) = " + fmt(r) +
            ", outside [1, 2^38] (int64 overflow of T * R)";
    return false;
  }
  SoftmaxParams result;
  result.reciprocalScale = static_cast<int64_t>(r);
  result.expTable = expTable(input.scales[0], entries);
  OutputStage bounds;
  if (!stageBounds(output, -INFINITY, INFINITY, bounds, error))
    return false;
  result.zeroPoint = bounds.zeroPoint;
  result.lo = bounds.lo;
  result.hi = bounds.hi;
  params = std::move(result);
  return true;
}
