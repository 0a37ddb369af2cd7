//===- Calibration.h - Activation range calibration --------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Statistics of a tensor gathered over calibration samples, the methods
// that turn them into a real range [lo, hi] to quantize, and the choice of
// scale and zero point for a range (Jacob et al. 2018, section 3.1).
//
// Gathering runs in two passes over the samples: pass 1 sees min/max (and
// the EMA of per-sample min/max); pass 2 fills a histogram over the pass-1
// range. min/max and EMA need only pass 1; percentile, KL and MSE need the
// histogram.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_CALIBRATION_H
#define QC_RUNTIME_CALIBRATION_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace qc::rt {

/// A real interval.
struct Range {
  double lo = 0, hi = 0;
};

/// Fixed-width histogram over [lo, hi]; values outside go to the end bins.
class Histogram {
public:
  Histogram() = default;
  Histogram(double lo, double hi, size_t bins);
  void add(const float *values, size_t count);
  size_t numBins() const { return counts_.size(); }
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  double binWidth() const;
  const std::vector<uint64_t> &counts() const { return counts_; }
  uint64_t total() const;

private:
  double lo_ = 0, hi_ = 0;
  std::vector<uint64_t> counts_;
};

/// Everything the calibration methods need about one tensor.
class TensorStats {
public:
  /// Pass 1, once per sample: running min/max and the EMA of the sample's
  /// min/max: ema = decay * ema + (1 - decay) * sample (the first sample
  /// initializes it). NaNs are ignored.
  void observe(const float *values, size_t count, double emaDecay);
  /// Between the passes: a histogram of `bins` bins over the pass-1 range.
  void startHistogram(size_t bins = 2048);
  /// Pass 2, once per sample.
  void observeHistogram(const float *values, size_t count);

  bool empty() const { return samples_ == 0; }
  double min() const { return min_; }
  double max() const { return max_; }
  Range emaRange() const { return {emaMin_, emaMax_}; }
  const Histogram &histogram() const { return histogram_; }
  /// The histogram of |x| over [0, max(|min|, |max|)] with the same number
  /// of bins, filled alongside histogram() in pass 2: KL calibration
  /// (TensorRT) works on magnitudes and needs its full resolution there.
  const Histogram &magnitudeHistogram() const { return magnitude_; }

private:
  uint64_t samples_ = 0;
  double min_ = 0, max_ = 0, emaMin_ = 0, emaMax_ = 0;
  Histogram histogram_;
  Histogram magnitude_;
};

/// Calibration methods.
enum class CalibrationMethod { MinMax, Ema, Percentile, KL, Mse };
/// Parses "minmax", "ema", "percentile", "kl", "mse".
bool parseCalibrationMethod(const std::string &name, CalibrationMethod &out);

struct CalibrationOptions {
  CalibrationMethod method = CalibrationMethod::MinMax;
  double percentile = 99.99; ///< for Percentile: keep [100-p, p] percent
  unsigned bits = 8;         ///< target bit width (KL target bins, MSE grid)
};

/// The range a method chooses from the statistics:
/// - MinMax: [min, max] over all samples.
/// - Ema: the EMA of per-sample min and max (Jacob et al. 2018, 3.1).
/// - Percentile: the (100-p)th and pth percentiles, read from the
///   histogram with linear interpolation inside a bin.
/// - KL: TensorRT's entropy calibration: over the histogram of the
///   magnitude, the clipping threshold whose 2^(bits-1)-level (signed data)
///   or 2^bits-level (non-negative data) quantized distribution has the
///   smallest KL divergence from the clipped reference; [-T, T] intersected
///   with [min, max].
/// - Mse: the clipping range, searched over the histogram, whose uniform
///   2^bits-level quantization has the smallest expected squared error.
/// Needs the histogram for Percentile, KL and Mse (false + message if it
/// was not gathered).
bool chooseRange(const TensorStats &stats, const CalibrationOptions &options,
                 Range &range, std::string &error);

/// Scale and zero point for a range, Jacob et al. 2018 section 3.1 / TFLite
/// ChooseQuantizationParams: the range is first widened to contain 0 so
/// that real 0 is exactly representable ("nudging"); asymmetric:
/// S = (hi - lo) / (qmax - qmin), Z = clamp(round(qmin - lo / S));
/// symmetric: S = max(|lo|, |hi|) / qmax, Z = 0 (qmin should be -qmax for
/// narrow range). A degenerate range (lo == hi == 0) gives S = 1, Z = the
/// zero point that maps 0 (0 when symmetric).
void chooseScaleZeroPoint(Range range, int64_t qmin, int64_t qmax,
                          bool symmetric, double &scale, int64_t &zeroPoint);

} // namespace qc::rt

#endif // QC_RUNTIME_CALIBRATION_H
