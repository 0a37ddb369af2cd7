//===- Calibration.cpp - Activation range calibration ---------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the statistics and range choices of Calibration.h.
// The methods follow their published descriptions; the code is written from
// those descriptions:
//
// - min/max and the EMA of per-sample min/max: Jacob et al., "Quantization
//   and Training of Neural Networks for Efficient Integer-Arithmetic-Only
//   Inference", CVPR 2018, section 3.1;
// - KL: Migacz, "8-bit Inference with TensorRT", GTC 2017 (entropy
//   calibration over a 2048-bin histogram of |x|), with the zero-spike
//   handling of NVIDIA's pytorch-quantization (see klThreshold);
// - percentile and MSE: clipping chosen from the same histogram, with the
//   expected squared error of the quantize-dequantize round trip;
// - scale and zero point: Jacob et al. 2018 section 3.1 and TFLite's
//   ChooseQuantizationParams (the range is widened to contain 0 and the zero
//   point rounded, so that real 0 is exactly representable).
//
// Pass 2 fills two histograms with the same number of bins: one over the
// signed pass-1 range [min, max] (percentile, MSE) and one over
// [0, max(|min|, |max|)] of |x| (KL). Keeping the second one costs one more
// increment per value and gives KL TensorRT's full resolution on magnitudes,
// where folding a signed histogram would halve it and need re-binning. The
// histograms cost O(values); every method then works on the bins only (KL is
// O(bins * levels) through prefix sums, MSE O(candidates * bins)).
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/Calibration.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

using namespace qc::rt;

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Number of clipping factors k = j / kMseCandidates (j = 1..kMseCandidates)
/// the MSE search tries for each end.
constexpr int kMseCandidates = 200;

/// Mass, in counts, given to a bin of the KL candidate Q that is empty while
/// the reference P is not. That happens only where P's last bin holds the
/// clipped outliers and the window's top level has no values of its own:
/// the divergence would be infinite, and a gap between the bulk of the data
/// and a few far outliers would then forbid every clipping. The same small
/// constant is what the smoothing of the MXNet/ONNX Runtime ports uses; the
/// penalty s * log(s / eps) grows with the clipped mass s, so clipping still
/// has to pay for itself.
constexpr double kKlEmptyBinCount = 1e-4;

/// KL divergences closer than this are a tie. The prefix-sum evaluation
/// subtracts sums of up to a few thousand terms c log c, about log(count)
/// per unit of P's mass, so its rounding error is around 1e-15 (1e-12 at
/// worst); divergences that decide a threshold differ by far more.
constexpr double kKlTieTolerance = 1e-10;

/// Float data cannot go beyond +-FLT_MAX (infinities clamp to the end bins
/// anyway), and keeping histogram bounds there keeps hi - lo finite.
double sanitizeBound(double v) {
  if (std::isnan(v))
    return 0;
  return std::clamp(v, -double(FLT_MAX), double(FLT_MAX));
}

/// The bin of `v` for `n` bins starting at `lo`, `perUnit` bins per unit.
/// Compares in double before converting: converting an out-of-range double
/// (or infinity, or NaN from inf * 0) to size_t would be undefined.
size_t binIndex(double v, double lo, double perUnit, size_t n) {
  double t = (v - lo) * perUnit;
  if (!(t > 0))
    return 0;
  if (t >= double(n))
    return n - 1;
  return static_cast<size_t>(t);
}

const char *methodName(CalibrationMethod method) {
  switch (method) {
  case CalibrationMethod::MinMax:
    return "minmax";
  case CalibrationMethod::Ema:
    return "ema";
  case CalibrationMethod::Percentile:
    return "percentile";
  case CalibrationMethod::KL:
    return "kl";
  case CalibrationMethod::Mse:
    return "mse";
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Percentile
//===----------------------------------------------------------------------===//

/// The value below which `fraction` of the histogram's mass lies, assuming
/// the values of a bin are spread evenly over it. Fraction 0 gives the left
/// edge of the first non-empty bin and 1 the right edge of the last one.
double histogramQuantile(const Histogram &h, double fraction) {
  const std::vector<uint64_t> &counts = h.counts();
  double target = fraction * double(h.total());
  double below = 0;
  for (size_t j = 0; j < counts.size(); ++j) {
    if (counts[j] == 0)
      continue;
    double c = double(counts[j]);
    if (below + c >= target) {
      double inside = std::clamp((target - below) / c, 0.0, 1.0);
      return h.lo() + (double(j) + inside) * h.binWidth();
    }
    below += c;
  }
  return h.hi();
}

Range percentileRange(const TensorStats &stats, double percentile) {
  const Histogram &h = stats.histogram();
  double lo = histogramQuantile(h, (100 - percentile) / 100);
  double hi = histogramQuantile(h, percentile / 100);
  return {std::clamp(lo, stats.min(), stats.max()),
          std::clamp(hi, stats.min(), stats.max())};
}

//===----------------------------------------------------------------------===//
// KL (TensorRT entropy calibration)
//===----------------------------------------------------------------------===//

/// Prefix sums over the |x| bins: with them a KL candidate costs O(levels)
/// instead of O(bins), so the whole search is O(bins * levels).
struct KlPrefix {
  std::vector<double> count;      ///< count[k] = sum of c_j, j < k
  std::vector<double> countLog;   ///< sum of c_j log c_j, j < k
  std::vector<size_t> nonZero;    ///< number of c_j != 0, j < k

  explicit KlPrefix(const std::vector<uint64_t> &c)
      : count(c.size() + 1, 0), countLog(c.size() + 1, 0),
        nonZero(c.size() + 1, 0) {
    for (size_t j = 0; j < c.size(); ++j) {
      double v = double(c[j]);
      count[j + 1] = count[j] + v;
      countLog[j + 1] = countLog[j] + (v > 0 ? v * std::log(v) : 0.0);
      nonZero[j + 1] = nonZero[j] + (c[j] != 0);
    }
  }
  double bin(size_t j) const { return count[j + 1] - count[j]; }
};

/// KL(P || Q) for the candidate keeping the first `keep` bins:
/// - P: those bins, with the outliers beyond them added to the last one;
/// - Q: the same bins without the outliers, merged into `levels` groups of
///   (nearly) equal width, each group's count S spread evenly over its nz
///   bins where P is non-zero.
/// With W the window's count and PT = W + outliers,
///   KL = sum p log p / PT - log PT + log W - sum p log q / PT,
/// and within a group every non-zero p shares q = S / nz, so the last sum
/// is sum over groups of (group's P mass) log(S / nz). Infinite when the
/// window is empty: Q would be all smoothing.
double candidateDivergence(const KlPrefix &prefix, size_t keep, size_t levels) {
  size_t n = prefix.count.size() - 1, last = keep - 1;
  double window = prefix.count[keep];
  double outliers = prefix.count[n] - window;
  if (window == 0)
    return kInfinity;
  double pLast = prefix.bin(last) + outliers;
  double sumPLogP =
      prefix.countLog[last] + (pLast > 0 ? pLast * std::log(pLast) : 0.0);
  double sumPLogQ = 0;
  for (size_t l = 0; l < levels; ++l) {
    size_t begin = l * keep / levels, end = (l + 1) * keep / levels;
    bool top = l + 1 == levels;
    double s = prefix.count[end] - prefix.count[begin];
    double mass = s + (top ? outliers : 0.0);
    if (mass == 0)
      continue;
    if (s == 0) { // only the folded outliers, in the last bin
      sumPLogQ += mass * std::log(kKlEmptyBinCount);
      continue;
    }
    double nz = double(prefix.nonZero[end] - prefix.nonZero[begin]);
    if (top && prefix.bin(last) == 0 && outliers > 0)
      nz += 1; // the outliers make the last bin of P non-zero
    sumPLogQ += mass * std::log(s / nz);
  }
  double pTotal = window + outliers;
  return (sumPLogP - sumPLogQ) / pTotal - std::log(pTotal) + std::log(window);
}

/// TensorRT's threshold: the candidate bin count i in [levels, bins] with
/// the smallest divergence, T = (i + 0.5) bin widths (at most the maximum).
///
/// The first bin's count is replaced by the second's, as NVIDIA's
/// pytorch-quantization entropy calibrator does. After a ReLU (or zero
/// padding) that bin holds a spike of exact zeros, which nudging makes
/// exactly representable; left in, the spike dominates the divergence
/// (merging it with its neighbours into one level costs about
/// mass * log(bins per level)) and drags the threshold down to where each
/// level is one or two bins: on max(0, N(0, 1)) it clips at 1.8 instead
/// of ~4.7.
double klThreshold(const Histogram &magnitude, size_t levels) {
  std::vector<uint64_t> counts = magnitude.counts();
  size_t n = counts.size();
  if (n > 1)
    counts[0] = counts[1];
  KlPrefix prefix(counts);

  // Descending, and a candidate must beat the best by more than rounding:
  // on a tie the wider threshold wins, so clipping has to lower the
  // divergence to be chosen. Exact ties are common (candidates that differ
  // only by merging empty bins), and the prefix-sum form evaluates them
  // with rounding errors.
  size_t bestKeep = n;
  double best = kInfinity;
  for (size_t keep = n; keep >= levels && keep > 0; --keep) {
    double d = candidateDivergence(prefix, keep, levels);
    if (d < best - kKlTieTolerance) {
      best = d;
      bestKeep = keep;
    }
  }
  return std::min(magnitude.hi(),
                  (double(bestKeep) + 0.5) * magnitude.binWidth());
}

Range klRange(const TensorStats &stats, unsigned bits) {
  // Non-negative data (after ReLU) uses every level for magnitudes; signed
  // data spends one bit on the sign.
  bool nonNegative = stats.min() >= 0;
  size_t levels = size_t(1) << (nonNegative ? bits : bits - 1);
  double t = klThreshold(stats.magnitudeHistogram(), levels);
  if (nonNegative)
    return {0, t};
  return {std::max(stats.min(), -t), std::min(stats.max(), t)};
}

//===----------------------------------------------------------------------===//
// MSE
//===----------------------------------------------------------------------===//

/// A uniform grid of `levels` points `step` apart starting at `first`.
struct Grid {
  double first = 0, step = 0;
  size_t levels = 1;
  double last() const { return first + step * double(levels - 1); }
};

/// The grid chooseScaleZeroPoint makes for [lo, hi] (lo <= 0 <= hi): the
/// MSE search scores the grid that will actually be used, with its zero
/// point rounded so that 0 is a grid point.
Grid nudgedGrid(double lo, double hi, size_t levels) {
  double step = (hi - lo) / double(levels - 1);
  if (!(step > 0))
    return {0, 0, levels};
  double zero = std::clamp(std::round(-lo / step), 0.0, double(levels - 1));
  return {-zero * step, step, levels};
}

double cube(double x) { return x * x * x; }

/// Integral of (t - round(t))^2 over [0, f] for f in [0, 1].
double unitRoundingError(double f) {
  return f <= 0.5 ? cube(f) / 3 : 1.0 / 12 + cube(f - 1) / 3;
}

/// Integral of (t - round(t))^2 over [u, v], 0 <= u <= v: every whole unit
/// contributes 1/12. Whole units and fractions are split before
/// subtracting so that narrow intervals far from 0 keep their precision.
double roundingErrorBetween(double u, double v) {
  double wu = std::floor(u), wv = std::floor(v);
  return (wv - wu) / 12 + unitRoundingError(v - wv) -
         unitRoundingError(u - wu);
}

/// Integral of (x - dequantize(quantize(x)))^2 over [a, b]: values beyond
/// the grid are clipped to its ends, values inside round to the nearest
/// point.
double squaredErrorIntegral(double a, double b, const Grid &g) {
  double error = 0;
  double first = g.first, last = g.last();
  if (a < first)
    error += (cube(first - a) - cube(first - std::min(b, first))) / 3;
  if (b > last)
    error += (cube(b - last) - cube(std::max(a, last) - last)) / 3;
  double inA = std::max(a, first), inB = std::min(b, last);
  if (inB > inA && g.step > 0)
    error += cube(g.step) *
             roundingErrorBetween((inA - first) / g.step,
                                  (inB - first) / g.step);
  return error;
}

/// Squared error of the quantize-dequantize round trip of one value.
double pointError(double x, const Grid &g) {
  double q = 0;
  if (g.step > 0)
    q = std::clamp(std::round((x - g.first) / g.step), 0.0,
                   double(g.levels - 1));
  double e = x - (g.first + q * g.step);
  return e * e;
}

/// Expected total squared error of the histogram's values on the grid,
/// assuming the values of a bin are spread evenly over it. With bins much
/// narrower than the grid step this is the bin-centre estimate; with bins
/// wider than the step (a wide range made of a narrow bulk and far
/// outliers) it still counts the rounding error of the bulk, which a
/// bin-centre estimate would sample arbitrarily.
double expectedSquaredError(const Histogram &h, const Grid &g) {
  const std::vector<uint64_t> &counts = h.counts();
  double w = h.binWidth(), total = 0;
  for (size_t j = 0; j < counts.size(); ++j) {
    if (counts[j] == 0)
      continue;
    double a = h.lo() + double(j) * w;
    double e = w > 0 ? squaredErrorIntegral(a, a + w, g) / w : pointError(a, g);
    total += double(counts[j]) * e;
  }
  return total;
}

Range mseRange(const TensorStats &stats, unsigned bits) {
  const Histogram &h = stats.histogram();
  size_t levels = size_t(1) << bits;
  // The grid always contains 0 (nudging), so candidates shrink towards 0.
  double lo = std::min(stats.min(), 0.0), hi = std::max(stats.max(), 0.0);
  Range best{lo, hi};
  double bestError = expectedSquaredError(h, nudgedGrid(lo, hi, levels));
  auto consider = [&](double cLo, double cHi) {
    double e = expectedSquaredError(h, nudgedGrid(cLo, cHi, levels));
    if (e < bestError) {
      bestError = e;
      best = {cLo, cHi};
    }
  };
  // Descending with a strict comparison: ties keep the wider range.
  bool twoSided = lo < 0 && hi > 0;
  for (int j = kMseCandidates - 1; j >= 1; --j) {
    double k = double(j) / kMseCandidates;
    consider(lo * k, hi * k);
    // Skewed data may want one end clipped and the other kept.
    if (twoSided) {
      consider(lo, hi * k);
      consider(lo * k, hi);
    }
  }
  return best;
}

//===----------------------------------------------------------------------===//
// Option and statistics checks
//===----------------------------------------------------------------------===//

bool checkOptions(const CalibrationOptions &options, std::string &error) {
  if (options.method == CalibrationMethod::Percentile &&
      !(options.percentile >= 50 && options.percentile <= 100)) {
    error = "percentile must be in [50, 100], got " +
            std::to_string(options.percentile);
    return false;
  }
  if ((options.method == CalibrationMethod::KL ||
       options.method == CalibrationMethod::Mse) &&
      (options.bits < 1 || options.bits > 16)) {
    error = "bit width must be in [1, 16], got " + std::to_string(options.bits);
    return false;
  }
  return true;
}

bool checkHistogram(const TensorStats &stats, CalibrationMethod method,
                    std::string &error) {
  const Histogram &h = stats.histogram();
  const Histogram &m = stats.magnitudeHistogram();
  if (h.numBins() != 0 && h.total() != 0 && m.numBins() != 0 &&
      m.total() != 0)
    return true;
  error = std::string(methodName(method)) +
          " calibration needs the histogram pass (startHistogram, then "
          "observeHistogram over the samples)";
  return false;
}

/// Rounds half away from zero and clamps into [lo, hi]; NaN gives lo.
int64_t roundClamp(double v, int64_t lo, int64_t hi) {
  if (!(v > double(lo)))
    return lo;
  if (v >= double(hi))
    return hi;
  return std::clamp(static_cast<int64_t>(std::round(v)), lo, hi);
}

} // namespace

//===----------------------------------------------------------------------===//
// Histogram
//===----------------------------------------------------------------------===//

Histogram::Histogram(double lo, double hi, size_t bins) {
  lo = sanitizeBound(lo);
  hi = sanitizeBound(hi);
  if (lo > hi)
    std::swap(lo, hi);
  lo_ = lo;
  hi_ = hi;
  // A zero-width range has nothing to divide: one bin of width 0 holds
  // every value.
  counts_.assign(bins == 0 ? 0 : (lo == hi ? 1 : bins), 0);
}

double Histogram::binWidth() const {
  return counts_.empty() ? 0.0 : (hi_ - lo_) / double(counts_.size());
}

void Histogram::add(const float *values, size_t count) {
  size_t n = counts_.size();
  if (n == 0)
    return;
  // Zero for the single zero-width bin: every value then lands in bin 0.
  double perUnit = hi_ > lo_ ? double(n) / (hi_ - lo_) : 0.0;
  for (size_t k = 0; k < count; ++k)
    if (!std::isnan(values[k]))
      ++counts_[binIndex(values[k], lo_, perUnit, n)];
}

uint64_t Histogram::total() const {
  return std::accumulate(counts_.begin(), counts_.end(), uint64_t(0));
}

//===----------------------------------------------------------------------===//
// TensorStats
//===----------------------------------------------------------------------===//

void TensorStats::observe(const float *values, size_t count,
                          double emaDecay) {
  double lo = kInfinity, hi = -kInfinity;
  bool any = false;
  for (size_t k = 0; k < count; ++k) {
    if (std::isnan(values[k]))
      continue;
    lo = std::min(lo, double(values[k]));
    hi = std::max(hi, double(values[k]));
    any = true;
  }
  // An empty or all-NaN sample has no range: it neither starts nor moves
  // the averages.
  if (!any)
    return;
  if (samples_ == 0) {
    min_ = emaMin_ = lo;
    max_ = emaMax_ = hi;
  } else {
    min_ = std::min(min_, lo);
    max_ = std::max(max_, hi);
    emaMin_ = emaDecay * emaMin_ + (1 - emaDecay) * lo;
    emaMax_ = emaDecay * emaMax_ + (1 - emaDecay) * hi;
  }
  ++samples_;
}

void TensorStats::startHistogram(size_t bins) {
  histogram_ = Histogram(min_, max_, bins);
  magnitude_ = Histogram(0, std::max(std::fabs(min_), std::fabs(max_)), bins);
}

void TensorStats::observeHistogram(const float *values, size_t count) {
  histogram_.add(values, count);
  // |x| in small chunks: no allocation proportional to the sample.
  constexpr size_t kChunk = 256;
  float magnitudes[kChunk];
  for (size_t k = 0; k < count; k += kChunk) {
    size_t n = std::min(kChunk, count - k);
    for (size_t j = 0; j < n; ++j)
      magnitudes[j] = std::fabs(values[k + j]);
    magnitude_.add(magnitudes, n);
  }
}

//===----------------------------------------------------------------------===//
// Methods
//===----------------------------------------------------------------------===//

bool qc::rt::parseCalibrationMethod(const std::string &name,
                                    CalibrationMethod &out) {
  static const CalibrationMethod kMethods[] = {
      CalibrationMethod::MinMax, CalibrationMethod::Ema,
      CalibrationMethod::Percentile, CalibrationMethod::KL,
      CalibrationMethod::Mse};
  for (CalibrationMethod method : kMethods) {
    if (name == methodName(method)) {
      out = method;
      return true;
    }
  }
  return false;
}

bool qc::rt::chooseRange(const TensorStats &stats,
                         const CalibrationOptions &options, Range &range,
                         std::string &error) {
  if (stats.empty()) {
    error = "no statistics: no sample had a non-NaN value";
    return false;
  }
  if (!checkOptions(options, error))
    return false;
  switch (options.method) {
  case CalibrationMethod::MinMax:
    range = {stats.min(), stats.max()};
    return true;
  case CalibrationMethod::Ema:
    range = stats.emaRange();
    return true;
  case CalibrationMethod::Percentile:
  case CalibrationMethod::KL:
  case CalibrationMethod::Mse:
    break;
  }
  if (!checkHistogram(stats, options.method, error))
    return false;
  switch (options.method) {
  case CalibrationMethod::Percentile:
    range = percentileRange(stats, options.percentile);
    return true;
  case CalibrationMethod::KL:
    range = klRange(stats, options.bits);
    return true;
  case CalibrationMethod::Mse:
    range = mseRange(stats, options.bits);
    return true;
  case CalibrationMethod::MinMax:
  case CalibrationMethod::Ema:
    break;
  }
  return true;
}

void qc::rt::chooseScaleZeroPoint(Range range, int64_t qmin, int64_t qmax,
                                  bool symmetric, double &scale,
                                  int64_t &zeroPoint) {
  // Nudging: zero padding and ReLU produce exact zeros, so real 0 must be a
  // grid point; widening to contain it makes that possible. fmin/fmax also
  // drop a NaN end.
  double lo = std::fmin(range.lo, 0.0), hi = std::fmax(range.hi, 0.0);
  if (symmetric) {
    double amax = std::max(-lo, hi);
    scale = amax > 0 && qmax > 0 ? amax / double(qmax) : 1.0;
    zeroPoint = 0;
    return;
  }
  double levels = double(qmax) - double(qmin);
  scale = hi > lo && levels > 0 ? (hi - lo) / levels : 1.0;
  zeroPoint = roundClamp(double(qmin) - lo / scale, qmin, qmax);
}
