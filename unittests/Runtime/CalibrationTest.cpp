//===- CalibrationTest.cpp - Tests for range calibration ------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Unit tests for qc/runtime/Calibration.h. Small cases have answers worked
// out by hand (histogram binning, the EMA closed form, a 4-bin KL search,
// TFLite-style scale and zero point). The statistical cases draw 10^6
// seeded values from distributions whose quantiles and optimal clipping are
// known in closed form, and assert bounds derived from those in the
// comments; the Gaussian-with-outliers case prints the measured thresholds
// and SQNRs that docs/calibration.md quotes.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/Calibration.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

using namespace qc::rt;

namespace {

constexpr size_t kValues = 1'000'000;
constexpr size_t kSampleSize = 10'000; // 100 calibration samples
constexpr double kDecay = 0.99;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr float kInfF = std::numeric_limits<float>::infinity();

/// Both passes over `values`, cut into samples of `sampleSize`.
TensorStats gather(const std::vector<float> &values,
                   size_t sampleSize = kSampleSize, size_t bins = 2048) {
  TensorStats stats;
  for (size_t k = 0; k < values.size(); k += sampleSize)
    stats.observe(values.data() + k, std::min(sampleSize, values.size() - k),
                  kDecay);
  stats.startHistogram(bins);
  for (size_t k = 0; k < values.size(); k += sampleSize)
    stats.observeHistogram(values.data() + k,
                           std::min(sampleSize, values.size() - k));
  return stats;
}

/// chooseRange that must succeed.
Range calibrate(const TensorStats &stats, CalibrationMethod method,
                unsigned bits = 8, double percentile = 99.99) {
  CalibrationOptions options;
  options.method = method;
  options.bits = bits;
  options.percentile = percentile;
  Range range;
  std::string error;
  EXPECT_TRUE(chooseRange(stats, options, range, error)) << error;
  EXPECT_LE(range.lo, range.hi);
  return range;
}

/// chooseRange that must fail; returns the message.
std::string calibrationError(const TensorStats &stats,
                             CalibrationOptions options) {
  Range range;
  std::string error;
  EXPECT_FALSE(chooseRange(stats, options, range, error));
  EXPECT_FALSE(error.empty());
  return error;
}

CalibrationOptions withMethod(CalibrationMethod method) {
  CalibrationOptions options;
  options.method = method;
  return options;
}

std::vector<float> uniformValues(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> values(kValues);
  for (float &v : values)
    v = dist(rng);
  return values;
}

std::vector<float> gaussianValues(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> values(kValues);
  for (float &v : values)
    v = dist(rng);
  return values;
}

/// N(0, 1) with kOutliers of the 10^6 values replaced by +-100, spread over
/// the samples.
constexpr size_t kOutliers = 10;
constexpr double kOutlier = 100;

const std::vector<float> &gaussianWithOutliers() {
  static const std::vector<float> values = [] {
    std::vector<float> v = gaussianValues(20180601);
    for (size_t k = 0; k < kOutliers; ++k)
      v[k * (kValues / kOutliers) + 4321] =
          float(k % 2 ? -kOutlier : kOutlier);
    return v;
  }();
  return values;
}

bool isOutlier(float v) { return std::fabs(v) == float(kOutlier); }

/// SQNR in dB of `values` quantized to uint8 with the range's asymmetric
/// scale and zero point (clipping included), skipping the outliers.
double bulkSqnrDb(const std::vector<float> &values, Range range) {
  double scale = 0;
  int64_t zp = 0;
  chooseScaleZeroPoint(range, 0, 255, false, scale, zp);
  double signal = 0, noise = 0;
  for (float v : values) {
    if (isOutlier(v))
      continue;
    double q = std::clamp(std::round(v / scale) + double(zp), 0.0, 255.0);
    double back = scale * (q - double(zp));
    signal += double(v) * v;
    noise += (v - back) * (v - back);
  }
  return 10 * std::log10(signal / noise);
}

//===----------------------------------------------------------------------===//
// Histogram
//===----------------------------------------------------------------------===//

TEST(CalibrationHistogram, BinsClampsAndIgnoresNaN) {
  Histogram h(0, 4, 4);
  EXPECT_EQ(h.numBins(), 4u);
  EXPECT_DOUBLE_EQ(h.binWidth(), 1.0);
  const float values[] = {-1.0f, 0.0f, 0.5f, 1.5f, 3.99f,
                          4.0f,  5.0f, float(kNaN), kInfF, -kInfF};
  h.add(values, std::size(values));
  // Below lo, lo itself and -inf go to bin 0; hi, beyond and +inf to bin 3.
  EXPECT_EQ(h.counts(), (std::vector<uint64_t>{4, 1, 0, 4}));
  EXPECT_EQ(h.total(), 9u);
}

TEST(CalibrationHistogram, ZeroWidthRangeIsOneBin) {
  Histogram h(2, 2, 16);
  EXPECT_EQ(h.numBins(), 1u);
  EXPECT_EQ(h.binWidth(), 0.0);
  const float values[] = {1.0f, 2.0f, 3.0f, kInfF, float(kNaN)};
  h.add(values, std::size(values));
  EXPECT_EQ(h.counts(), (std::vector<uint64_t>{4}));
}

TEST(CalibrationHistogram, DegenerateConstruction) {
  Histogram empty(0, 1, 0);
  const float one = 0.5f;
  empty.add(&one, 1);
  EXPECT_EQ(empty.numBins(), 0u);
  EXPECT_EQ(empty.total(), 0u);
  EXPECT_EQ(empty.binWidth(), 0.0);

  Histogram swapped(3, 1, 2);
  EXPECT_EQ(swapped.lo(), 1.0);
  EXPECT_EQ(swapped.hi(), 3.0);

  // Infinite bounds stop at +-FLT_MAX so that the width stays finite.
  Histogram wide(-kInfF, kInfF, 4);
  EXPECT_TRUE(std::isfinite(wide.binWidth()));
  const float values[] = {0.0f, kInfF, -kInfF};
  wide.add(values, std::size(values));
  EXPECT_EQ(wide.counts(), (std::vector<uint64_t>{1, 0, 1, 1}));
}

//===----------------------------------------------------------------------===//
// TensorStats: min/max, EMA, histograms
//===----------------------------------------------------------------------===//

TEST(CalibrationStats, MinMaxAndEmaClosedForm) {
  TensorStats stats;
  EXPECT_TRUE(stats.empty());
  const float s1[] = {1.0f, -2.0f, 3.0f};
  const float s2[] = {0.5f, 5.0f};
  const float s3[] = {-4.0f, float(kNaN), 2.0f};
  const float allNaN[] = {float(kNaN), float(kNaN)};
  const double d = 0.9;
  stats.observe(s1, 3, d);
  EXPECT_FALSE(stats.empty());
  EXPECT_EQ(stats.emaRange().lo, -2.0); // the first sample initializes
  EXPECT_EQ(stats.emaRange().hi, 3.0);
  stats.observe(allNaN, 2, d); // no range: ignored
  stats.observe(s2, 0, d);     // empty: ignored
  stats.observe(s2, 2, d);
  stats.observe(s3, 3, d);
  EXPECT_EQ(stats.min(), -4.0);
  EXPECT_EQ(stats.max(), 5.0);
  // ema_3 = d^2 x_1 + d (1 - d) x_2 + (1 - d) x_3.
  EXPECT_NEAR(stats.emaRange().lo, d * d * -2 + d * (1 - d) * 0.5 + (1 - d) * -4,
              1e-12); // -1.975
  EXPECT_NEAR(stats.emaRange().hi, d * d * 3 + d * (1 - d) * 5 + (1 - d) * 2,
              1e-12); // 3.08
  EXPECT_NEAR(stats.emaRange().lo, -1.975, 1e-12);
  EXPECT_NEAR(stats.emaRange().hi, 3.08, 1e-12);

  CalibrationOptions options = withMethod(CalibrationMethod::MinMax);
  Range range;
  std::string error;
  ASSERT_TRUE(chooseRange(stats, options, range, error));
  EXPECT_EQ(range.lo, -4.0);
  EXPECT_EQ(range.hi, 5.0);
  options.method = CalibrationMethod::Ema;
  ASSERT_TRUE(chooseRange(stats, options, range, error));
  EXPECT_NEAR(range.lo, -1.975, 1e-12);
  EXPECT_NEAR(range.hi, 3.08, 1e-12);
}

TEST(CalibrationStats, AllNaNSamplesLeaveStatsEmpty) {
  TensorStats stats;
  const float allNaN[] = {float(kNaN)};
  stats.observe(allNaN, 1, 0.9);
  EXPECT_TRUE(stats.empty());
}

TEST(CalibrationStats, HistogramsCoverSignedAndMagnitudeRanges) {
  TensorStats stats;
  const float values[] = {-3.0f, -1.0f, 0.0f, 2.0f, float(kNaN)};
  stats.observe(values, std::size(values), 0.9);
  stats.startHistogram(6);
  stats.observeHistogram(values, std::size(values));
  const Histogram &h = stats.histogram();
  EXPECT_EQ(h.lo(), -3.0);
  EXPECT_EQ(h.hi(), 2.0);
  EXPECT_EQ(h.numBins(), 6u);
  EXPECT_EQ(h.total(), 4u);
  const Histogram &m = stats.magnitudeHistogram();
  EXPECT_EQ(m.lo(), 0.0);
  EXPECT_EQ(m.hi(), 3.0);
  // |x| = 3, 1, 0, 2 over [0, 3] in bins of 0.5.
  EXPECT_EQ(m.counts(), (std::vector<uint64_t>{1, 0, 1, 0, 1, 1}));
}

TEST(CalibrationStats, ParseMethods) {
  CalibrationMethod m = CalibrationMethod::Ema;
  EXPECT_TRUE(parseCalibrationMethod("minmax", m));
  EXPECT_EQ(m, CalibrationMethod::MinMax);
  EXPECT_TRUE(parseCalibrationMethod("ema", m));
  EXPECT_EQ(m, CalibrationMethod::Ema);
  EXPECT_TRUE(parseCalibrationMethod("percentile", m));
  EXPECT_EQ(m, CalibrationMethod::Percentile);
  EXPECT_TRUE(parseCalibrationMethod("kl", m));
  EXPECT_EQ(m, CalibrationMethod::KL);
  EXPECT_TRUE(parseCalibrationMethod("mse", m));
  EXPECT_EQ(m, CalibrationMethod::Mse);
  for (const char *bad : {"", "KL", "min_max", "entropy", "mse "}) {
    EXPECT_FALSE(parseCalibrationMethod(bad, m)) << bad;
    EXPECT_EQ(m, CalibrationMethod::Mse) << "unchanged on failure";
  }
}

//===----------------------------------------------------------------------===//
// Known answers on small inputs
//===----------------------------------------------------------------------===//

// |x| histogram over [0, 6] in 6 bins of width 1: counts [20, 4, 0, 3, 0, 1],
// of which KL uses [4, 4, 0, 3, 0, 1] (the zero spike in bin 0 replaced by
// bin 1). Signed data and bits = 2 give 2 levels, so i runs over 2..6:
//   i = 2: P = [4, 8]/12,              Q = [4, 4]/8              0.0566
//   i = 3: P = [4, 4, 4]/12,           Q = [4, 2, 2]/8           0.0566
//   i = 4: P = [4, 4, 0, 4]/12,        Q = [4, 4, 0, 3]/11       0.0089
//   i = 5: P = [4, 4, 0, 3, 1]/12,     Q = [4, 4, 0, 1.5, 1.5]/11 0.0525
//   i = 6: P = [4, 4, 0, 3, 0, 1]/12,  Q = [4, 4, 0, 2, 0, 2]/12  0.0436
// e.g. i = 4: 2/3 log(11/12) + 1/3 log(11/9) = 0.0089. So T = 4.5 and the
// range is [max(-6, -4.5), min(3.5, 4.5)]. Without the zero-spike rule the
// minimum would be i = 2 (T = 2.5).
TEST(CalibrationKnownAnswer, KLOnSixBins) {
  std::vector<float> values(20, 0.0f);
  values.insert(values.end(), {1.5f, -1.5f, 1.5f, 1.5f, 3.5f, -3.5f, 3.5f,
                               -6.0f});
  TensorStats stats = gather(values, values.size(), 6);
  ASSERT_EQ(stats.magnitudeHistogram().counts(),
            (std::vector<uint64_t>{20, 4, 0, 3, 0, 1}));
  Range r = calibrate(stats, CalibrationMethod::KL, 2);
  EXPECT_DOUBLE_EQ(r.lo, -4.5);
  EXPECT_DOUBLE_EQ(r.hi, 3.5);
}

// A constant far from 0: every clipping window below it is empty, so KL
// must keep the maximum rather than clip the whole tensor away.
TEST(CalibrationKnownAnswer, ConstantTensor) {
  std::vector<float> values(1000, 3.0f);
  TensorStats stats = gather(values, 100);
  for (auto method : {CalibrationMethod::MinMax, CalibrationMethod::Ema,
                      CalibrationMethod::Percentile}) {
    Range r = calibrate(stats, method);
    EXPECT_EQ(r.lo, 3.0);
    EXPECT_EQ(r.hi, 3.0);
  }
  Range kl = calibrate(stats, CalibrationMethod::KL);
  EXPECT_EQ(kl.lo, 0.0);
  EXPECT_DOUBLE_EQ(kl.hi, 3.0);
  // 3 is the top point of the [0, 3] grid: zero error, nothing to clip.
  Range mse = calibrate(stats, CalibrationMethod::Mse);
  EXPECT_EQ(mse.lo, 0.0);
  EXPECT_DOUBLE_EQ(mse.hi, 3.0);
}

TEST(CalibrationKnownAnswer, AllZeroTensor) {
  std::vector<float> values(100, 0.0f);
  TensorStats stats = gather(values, 10);
  for (auto method :
       {CalibrationMethod::MinMax, CalibrationMethod::Ema,
        CalibrationMethod::Percentile, CalibrationMethod::KL,
        CalibrationMethod::Mse}) {
    Range r = calibrate(stats, method);
    EXPECT_EQ(r.lo, 0.0);
    EXPECT_EQ(r.hi, 0.0);
  }
}

//===----------------------------------------------------------------------===//
// Scale and zero point
//===----------------------------------------------------------------------===//

TEST(CalibrationScaleZeroPoint, Asymmetric) {
  double s = 0;
  int64_t z = 0;
  // Z = round(0 - (-1) / (4/255)) = round(63.75) = 64.
  chooseScaleZeroPoint({-1, 3}, 0, 255, false, s, z);
  EXPECT_DOUBLE_EQ(s, 4.0 / 255);
  EXPECT_EQ(z, 64);
  // int8: round(-128 + 63.75) = round(-64.25) = -64.
  chooseScaleZeroPoint({-1, 3}, -128, 127, false, s, z);
  EXPECT_DOUBLE_EQ(s, 4.0 / 255);
  EXPECT_EQ(z, -64);
}

TEST(CalibrationScaleZeroPoint, WidensToContainZero) {
  double s = 0;
  int64_t z = 0;
  chooseScaleZeroPoint({1, 3}, 0, 255, false, s, z); // as [0, 3]
  EXPECT_DOUBLE_EQ(s, 3.0 / 255);
  EXPECT_EQ(z, 0);
  chooseScaleZeroPoint({-3, -1}, 0, 255, false, s, z); // as [-3, 0]
  EXPECT_DOUBLE_EQ(s, 3.0 / 255);
  EXPECT_EQ(z, 255);
  chooseScaleZeroPoint({1, 3}, -127, 127, true, s, z); // as [0, 3]
  EXPECT_DOUBLE_EQ(s, 3.0 / 127);
  EXPECT_EQ(z, 0);
}

TEST(CalibrationScaleZeroPoint, RoundsHalfAwayFromZero) {
  double s = 0;
  int64_t z = 0;
  // S = 255 / 255 = 1 and qmin - lo / S = qmin + 0.5 exactly.
  chooseScaleZeroPoint({-0.5, 254.5}, 0, 255, false, s, z);
  EXPECT_EQ(s, 1.0);
  EXPECT_EQ(z, 1); // round(0.5)
  chooseScaleZeroPoint({-0.5, 254.5}, -128, 127, false, s, z);
  EXPECT_EQ(z, -128); // round(-127.5), not -127
}

TEST(CalibrationScaleZeroPoint, SymmetricNarrow) {
  double s = 0;
  int64_t z = 7;
  chooseScaleZeroPoint({-2, 1}, -127, 127, true, s, z);
  EXPECT_DOUBLE_EQ(s, 2.0 / 127);
  EXPECT_EQ(z, 0);
  chooseScaleZeroPoint({-0.5, 3}, -127, 127, true, s, z);
  EXPECT_DOUBLE_EQ(s, 3.0 / 127);
  EXPECT_EQ(z, 0);
}

TEST(CalibrationScaleZeroPoint, Degenerate) {
  double s = 0;
  int64_t z = 7;
  chooseScaleZeroPoint({0, 0}, 0, 255, false, s, z);
  EXPECT_EQ(s, 1.0);
  EXPECT_EQ(z, 0);
  // The general formula with S = 1: Z = qmin, which maps to real 0.
  chooseScaleZeroPoint({0, 0}, -128, 127, false, s, z);
  EXPECT_EQ(s, 1.0);
  EXPECT_EQ(z, -128);
  chooseScaleZeroPoint({0, 0}, -127, 127, true, s, z);
  EXPECT_EQ(s, 1.0);
  EXPECT_EQ(z, 0);
  chooseScaleZeroPoint({kNaN, kNaN}, 0, 255, false, s, z);
  EXPECT_EQ(s, 1.0);
  EXPECT_EQ(z, 0);
}

// Nudging moves the representable range [S (qmin - Z), S (qmax - Z)] by at
// most half a step from the (0-containing) range asked for, and 0 is on the
// grid by construction.
TEST(CalibrationScaleZeroPoint, NudgedRangeStaysWithinHalfAStep) {
  std::mt19937_64 rng(31);
  std::uniform_real_distribution<double> dist(-50, 50);
  for (int k = 0; k < 10000; ++k) {
    double a = dist(rng), b = dist(rng);
    Range r{std::min(a, b), std::max(a, b)};
    for (auto [qmin, qmax] : {std::pair<int64_t, int64_t>{0, 255},
                              std::pair<int64_t, int64_t>{-128, 127}}) {
      double s = 0;
      int64_t z = 0;
      chooseScaleZeroPoint(r, qmin, qmax, false, s, z);
      ASSERT_GE(z, qmin);
      ASSERT_LE(z, qmax);
      double lo = std::min(r.lo, 0.0), hi = std::max(r.hi, 0.0);
      EXPECT_NEAR(s * double(qmin - z), lo, s / 2 + 1e-12);
      EXPECT_NEAR(s * double(qmax - z), hi, s / 2 + 1e-12);
    }
  }
}

//===----------------------------------------------------------------------===//
// Error paths
//===----------------------------------------------------------------------===//

TEST(CalibrationErrors, EmptyStats) {
  TensorStats stats;
  stats.startHistogram(); // must not crash on empty statistics
  for (auto method :
       {CalibrationMethod::MinMax, CalibrationMethod::Ema,
        CalibrationMethod::Percentile, CalibrationMethod::KL,
        CalibrationMethod::Mse})
    EXPECT_NE(calibrationError(stats, withMethod(method)).find("no statistics"),
              std::string::npos);
}

TEST(CalibrationErrors, HistogramNeeded) {
  const float values[] = {-1.0f, 2.0f};
  TensorStats stats;
  stats.observe(values, 2, 0.9);
  calibrate(stats, CalibrationMethod::MinMax);
  calibrate(stats, CalibrationMethod::Ema);
  for (auto method : {CalibrationMethod::Percentile, CalibrationMethod::KL,
                      CalibrationMethod::Mse})
    EXPECT_NE(calibrationError(stats, withMethod(method)).find("histogram"),
              std::string::npos);
  // Started but never filled is just as unusable.
  stats.startHistogram();
  EXPECT_NE(calibrationError(stats, withMethod(CalibrationMethod::KL))
                .find("histogram"),
            std::string::npos);
  stats.observeHistogram(values, 2);
  calibrate(stats, CalibrationMethod::KL);
}

TEST(CalibrationErrors, BadOptions) {
  const float values[] = {-1.0f, 2.0f};
  TensorStats stats = gather(std::vector<float>(values, values + 2));
  CalibrationOptions options = withMethod(CalibrationMethod::Percentile);
  for (double p : {40.0, 100.5, kNaN}) {
    options.percentile = p;
    calibrationError(stats, options);
  }
  for (auto method : {CalibrationMethod::KL, CalibrationMethod::Mse}) {
    options = withMethod(method);
    for (unsigned bits : {0u, 17u}) {
      options.bits = bits;
      EXPECT_NE(calibrationError(stats, options).find("bit width"),
                std::string::npos);
    }
  }
}

// Infinities are not NaN: they count in min/max and clamp to the end bins.
// Every method must still answer without undefined behaviour.
TEST(CalibrationErrors, InfiniteValuesStayDefined) {
  const float values[] = {-kInfF, 1.0f, 2.0f, kInfF, float(kNaN)};
  TensorStats stats = gather(std::vector<float>(values, values + 5));
  EXPECT_EQ(stats.min(), -double(kInfF));
  EXPECT_EQ(stats.max(), double(kInfF));
  EXPECT_EQ(stats.histogram().total(), 4u);
  for (auto method :
       {CalibrationMethod::MinMax, CalibrationMethod::Ema,
        CalibrationMethod::Percentile, CalibrationMethod::KL,
        CalibrationMethod::Mse}) {
    Range r = calibrate(stats, method);
    double s = 0;
    int64_t z = 0;
    chooseScaleZeroPoint(r, 0, 255, false, s, z);
    EXPECT_GE(z, 0);
    EXPECT_LE(z, 255);
  }
}

//===----------------------------------------------------------------------===//
// Distributions
//===----------------------------------------------------------------------===//

TEST(CalibrationUniform, AllMethodsKeepNearlyTheWholeRange) {
  std::vector<float> values = uniformValues(42);
  TensorStats stats = gather(values);
  double width = stats.histogram().binWidth(); // 2 / 2048

  // The extremes of 10^6 draws are within ~1e-5 of +-1.
  Range minmax = calibrate(stats, CalibrationMethod::MinMax);
  EXPECT_NEAR(minmax.lo, -1, 1e-4);
  EXPECT_NEAR(minmax.hi, 1, 1e-4);
  // Per-sample extremes of 10^4 draws sit ~2e-4 inside.
  Range ema = calibrate(stats, CalibrationMethod::Ema);
  EXPECT_NEAR(ema.lo, -1, 1e-3);
  EXPECT_NEAR(ema.hi, 1, 1e-3);
  // Quantiles of U(-1, 1): 2 q - 1 = +-0.9998; sampling noise ~2e-5.
  Range pct = calibrate(stats, CalibrationMethod::Percentile);
  EXPECT_NEAR(pct.lo, -0.9998, width);
  EXPECT_NEAR(pct.hi, 0.9998, width);
  // Any clipping of a flat density piles mass into P's last bin that Q
  // cannot match, so KL stays at the top.
  Range kl = calibrate(stats, CalibrationMethod::KL);
  EXPECT_LE(kl.lo, -0.9);
  EXPECT_GE(kl.hi, 0.9);
  // MSE: (1 - T)^3 / 3 of clipping against T^3 (2/255)^2 / 12 of rounding
  // is minimal at T = 0.996, and the candidates are 0.005 apart; but on
  // the nudged grid a symmetric range loses half a step at one end (the
  // zero point rounds from 127.5), so the full range measures best.
  Range mse = calibrate(stats, CalibrationMethod::Mse);
  EXPECT_LE(mse.lo, -0.98);
  EXPECT_GE(mse.hi, 0.98);
  std::printf("[ measured ] uniform: percentile [%.5f, %.5f], kl [%.5f, "
              "%.5f], mse [%.5f, %.5f]\n",
              pct.lo, pct.hi, kl.lo, kl.hi, mse.lo, mse.hi);
}

TEST(CalibrationGaussianOutliers, ClippingMethodsIgnoreOutliers) {
  const std::vector<float> &values = gaussianWithOutliers();
  TensorStats stats = gather(values);
  CalibrationMethod methods[] = {
      CalibrationMethod::MinMax, CalibrationMethod::Ema,
      CalibrationMethod::Percentile, CalibrationMethod::KL,
      CalibrationMethod::Mse};
  const char *names[] = {"minmax", "ema", "percentile", "kl", "mse"};
  Range ranges[5];
  double sqnr[5];
  for (int m = 0; m < 5; ++m) {
    ranges[m] = calibrate(stats, methods[m]);
    sqnr[m] = bulkSqnrDb(values, ranges[m]);
    std::printf("[ measured ] gaussian+outliers %-10s [%9.4f, %9.4f]  bulk "
                "u8 SQNR %5.2f dB\n",
                names[m], ranges[m].lo, ranges[m].hi, sqnr[m]);
  }
  Range minmax = ranges[0], pct = ranges[2], kl = ranges[3], mse = ranges[4];

  // min/max is the outliers.
  EXPECT_EQ(minmax.lo, -kOutlier);
  EXPECT_EQ(minmax.hi, kOutlier);

  // 99.99th percentile of N(0, 1) is 3.719 (5 outliers per side shift it by
  // under 0.01); read within one bin (200 / 2048 = 0.098).
  double width = stats.histogram().binWidth();
  EXPECT_NEAR(pct.lo, -3.719, width);
  EXPECT_NEAR(pct.hi, 3.719, width);

  // KL cannot go below its first candidate, 128 of 2048 |x| bins:
  // T >= 128.5 / 2048 * 100 = 6.274. There every level is one bin and the
  // whole bulk (|x| < ~5) is reproduced exactly; only the 10 folded
  // outliers cost divergence, the same for every i. i = 129 merges only
  // the two empty bins at the top, ties exactly, and wins as the wider
  // (129.5 / 2048 * 100 = 6.323); from i = 130 on bulk bins are merged.
  double klFloor = 128.5 / 2048 * kOutlier;
  EXPECT_GE(-kl.lo, klFloor);
  EXPECT_LE(-kl.lo, klFloor + 2 * kOutlier / 2048);
  EXPECT_GE(kl.hi, klFloor);
  EXPECT_LE(kl.hi, klFloor + 2 * kOutlier / 2048);

  // MSE counts the outliers' clipping error: for [-T, T] the total is about
  // 10 (100 - T)^2 + 10^6 (2T/255)^2 / 12, minimal at T = 1000 / 15.13
  // = 66.1. Ten values at 100 weigh as much as the whole bulk's rounding
  // noise, so MSE clips them only part of the way.
  EXPECT_GE(-mse.lo, 60.0);
  EXPECT_LE(-mse.lo, 72.0);
  EXPECT_GE(mse.hi, 60.0);
  EXPECT_LE(mse.hi, 72.0);

  // Bulk SQNR: u8 noise of a step 2T/255 on N(0, 1) is 10 log10(12 / s^2):
  // 12.9 dB at T = 100, ~37 dB at T = 6.27, ~16.5 dB at T = 66; the
  // percentile's 0.02% clipped tail costs little at T = 3.7 (~40 dB).
  EXPECT_GT(sqnr[2], sqnr[0] + 20);
  EXPECT_GT(sqnr[3], sqnr[0] + 20);
  EXPECT_GT(sqnr[4], sqnr[0] + 3);
}

// MSE with a single outlier at +100 weighs it less. The data are then
// skewed, and the best candidate keeps the low end (~-5) and clips the top
// to T: 10^6 ((T + 5)/255)^2 / 12 of rounding against (100 - T)^2 of
// clipping is minimal at 2.56 (T + 5) = 2 (100 - T), T = 41. With no
// outlier MSE clips the Gaussian's own tail near the classical 8-bit
// optimum of about 4 sigma.
TEST(CalibrationGaussianOutliers, MseFollowsTheOutlierMass) {
  std::vector<float> values = gaussianValues(7);
  Range none = calibrate(gather(values), CalibrationMethod::Mse);
  values[12345] = float(kOutlier);
  Range one = calibrate(gather(values), CalibrationMethod::Mse);
  std::printf("[ measured ] gaussian mse: no outlier [%.4f, %.4f], one "
              "outlier at 100 [%.4f, %.4f]\n",
              none.lo, none.hi, one.lo, one.hi);
  EXPECT_LE(one.lo, -4.0);
  EXPECT_GE(one.hi, 36.0);
  EXPECT_LE(one.hi, 46.0);
  EXPECT_GE(none.hi, 3.0);
  EXPECT_LE(none.hi, 5.0);
  EXPECT_LE(none.lo, -3.0);
  EXPECT_GE(none.lo, -5.0);
}

TEST(CalibrationRelu, NonNegativeDataKeepsZeroAsLowerEnd) {
  std::vector<float> values = gaussianValues(99);
  for (float &v : values)
    v = std::max(v, 0.0f);
  TensorStats stats = gather(values);
  ASSERT_EQ(stats.min(), 0.0);

  Range minmax = calibrate(stats, CalibrationMethod::MinMax);
  Range ema = calibrate(stats, CalibrationMethod::Ema);
  Range pct = calibrate(stats, CalibrationMethod::Percentile);
  Range kl = calibrate(stats, CalibrationMethod::KL);
  Range mse = calibrate(stats, CalibrationMethod::Mse);
  std::printf("[ measured ] relu: max %.4f, ema [%.4f, %.4f], percentile "
              "[%.6f, %.4f], kl [%.4f, %.4f], mse [%.4f, %.4f]\n",
              minmax.hi, ema.lo, ema.hi, pct.lo, pct.hi, kl.lo, kl.hi, mse.lo,
              mse.hi);
  std::printf("[ measured ] relu u8 SQNR: minmax %.2f, percentile %.2f, kl "
              "%.2f, mse %.2f dB\n",
              bulkSqnrDb(values, minmax), bulkSqnrDb(values, pct),
              bulkSqnrDb(values, kl), bulkSqnrDb(values, mse));
  EXPECT_EQ(minmax.lo, 0.0);
  EXPECT_EQ(ema.lo, 0.0);
  EXPECT_EQ(kl.lo, 0.0);
  EXPECT_EQ(mse.lo, 0.0);
  // Half of the mass is exactly 0, in the first bin: the 0.01% point is
  // 10^-4 / 0.5 of the way into it.
  EXPECT_GE(pct.lo, 0.0);
  EXPECT_LE(pct.lo, stats.histogram().binWidth() * 1e-3);
  // One-sided 99.99% of max(0, N(0, 1)) is the 99.99% point of N: 3.719.
  EXPECT_NEAR(pct.hi, 3.719, stats.histogram().binWidth() + 0.05);
  // All 256 levels are spent on [0, T]. KL keeps nearly all of the tail
  // (measured 4.71 of 4.74; 1.78 without the zero-spike rule, which the
  // 3.5 bound would catch), MSE clips near its ~4 sigma optimum.
  EXPECT_GE(kl.hi, 3.5);
  EXPECT_LE(kl.hi, minmax.hi);
  EXPECT_GE(mse.hi, 3.0);
  EXPECT_LE(mse.hi, minmax.hi);
}

} // namespace
