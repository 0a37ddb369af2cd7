//===- QuantKernelsTest.cpp - Tests for the integer reference kernels -----===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Unit tests for qc/runtime/QuantKernels.h, in four groups:
//  - hand-computed tiny cases for every kernel, including exact ties of the
//    output stage, of average pooling and of add (expected values are worked
//    out in the comments);
//  - seeded random agreement with the real-number semantics: random
//    quantized inputs and parameters, the integer kernel against a plain
//    double computation on the dequantized values re-quantized with
//    quantizeValue. Every output must be within 1 LSB (2 for add, whose
//    TFLite definition rounds three times). Each test prints its case count
//    and the largest difference seen;
//  - exactness where the semantics make it exact (identity rescales, relu
//    with equal parameters, max pooling);
//  - error paths: wrong dtypes, ranks, shapes and vector lengths.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/QuantKernels.h"

#include "qc/runtime/fixed_point.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace qc::rt;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int32_t kTwo30 = INT32_C(1) << 30;
/// Random cases per kernel; each is a whole tensor of outputs.
constexpr int kCases = 5000;
/// Mismatches reported per test before going quiet.
constexpr int kMaxReported = 10;

using Rng = std::mt19937_64;

//===----------------------------------------------------------------------===//
// Tensors and stages
//===----------------------------------------------------------------------===//

Tensor make(std::vector<int64_t> shape, const std::vector<int32_t> &values) {
  Tensor t(DType::I32, std::move(shape));
  EXPECT_EQ(static_cast<size_t>(t.numElements()), values.size());
  std::copy(values.begin(), values.end(), t.data<int32_t>());
  return t;
}

std::vector<int32_t> values(const Tensor &t) {
  const int32_t *p = t.data<int32_t>();
  return std::vector<int32_t>(p, p + t.numElements());
}

/// A stage with real multipliers `ms`, zero point and bounds.
OutputStage stageOf(std::vector<double> ms, int32_t zp = 0,
                    int32_t lo = INT32_MIN, int32_t hi = INT32_MAX) {
  OutputStage s;
  for (double m : ms)
    s.multipliers.push_back(quantizeMultiplier(m));
  s.zeroPoint = zp;
  s.lo = lo;
  s.hi = hi;
  return s;
}

OutputStage identity(int32_t zp = 0) { return stageOf({1.0}, zp); }

bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

//===----------------------------------------------------------------------===//
// Random parameters and the real-number oracle
//===----------------------------------------------------------------------===//

int64_t uniformInt(Rng &rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

double uniformReal(Rng &rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

double logUniform(Rng &rng, double lo, double hi) {
  return std::exp(uniformReal(rng, std::log(lo), std::log(hi)));
}

bool chance(Rng &rng, double p) { return uniformReal(rng, 0, 1) < p; }

/// uint8 or int8 activation parameters with a random scale and zero point.
QuantParams randomActivation(Rng &rng, double scaleLo, double scaleHi) {
  bool isSigned = chance(rng, 0.5);
  int64_t qmin = isSigned ? -128 : 0, qmax = isSigned ? 127 : 255;
  return QuantParams::perTensor(logUniform(rng, scaleLo, scaleHi),
                                uniformInt(rng, qmin, qmax), qmin, qmax);
}

Tensor randomTensor(Rng &rng, std::vector<int64_t> shape, int64_t qmin,
                    int64_t qmax) {
  Tensor t(DType::I32, std::move(shape));
  int32_t *p = t.data<int32_t>();
  for (int64_t i = 0; i < t.numElements(); ++i)
    p[i] = static_cast<int32_t>(uniformInt(rng, qmin, qmax));
  return t;
}

Tensor randomTensor(Rng &rng, std::vector<int64_t> shape,
                    const QuantParams &p) {
  return randomTensor(rng, std::move(shape), p.qmin, p.qmax);
}

size_t channelIndex(const QuantParams &p, int64_t c) {
  return p.scales.size() == 1 ? 0 : static_cast<size_t>(c);
}

double deq(const QuantParams &p, int32_t q, int64_t c = 0) {
  size_t i = channelIndex(p, c);
  return dequantizeValue(q, p.scales[i], p.zeroPoints[i]);
}

int32_t quant(const QuantParams &p, double r, int64_t c = 0) {
  size_t i = channelIndex(p, c);
  return quantizeValue(r, p.scales[i], p.zeroPoints[i], p.qmin, p.qmax);
}

/// Output parameters that cover the real results (like calibration), with a
/// random margin of -20 % .. +25 % so that some outputs clamp.
QuantParams outputFor(Rng &rng, const std::vector<double> &reals) {
  double lo = 0, hi = 0;
  for (double r : reals) {
    lo = std::min(lo, r);
    hi = std::max(hi, r);
  }
  if (hi - lo < 1e-6)
    hi = lo + 1;
  bool isSigned = chance(rng, 0.5);
  int64_t qmin = isSigned ? -128 : 0, qmax = isSigned ? 127 : 255;
  double scale = (hi - lo) / double(qmax - qmin) * uniformReal(rng, 0.8, 1.25);
  int64_t zp =
      std::clamp<int64_t>(std::llround(double(qmin) - lo / scale), qmin, qmax);
  return QuantParams::perTensor(scale, zp, qmin, qmax);
}

/// int8 weights: per channel symmetric narrow range (axis `axis`), per
/// tensor symmetric, or per tensor asymmetric (Z_w != 0, the general case of
/// Jacob et al. eq. 7).
QuantParams randomWeights(Rng &rng, int64_t channels, int64_t axis) {
  QuantParams p;
  double kind = uniformReal(rng, 0, 1);
  if (kind < 0.5) {
    for (int64_t c = 0; c < channels; ++c)
      p.scales.push_back(logUniform(rng, 0.002, 0.05));
    p.zeroPoints.assign(channels, 0);
    p.axis = axis;
  } else {
    p.scales = {logUniform(rng, 0.002, 0.05)};
    p.zeroPoints = {kind < 0.8 ? 0 : uniformInt(rng, -20, 20)};
  }
  p.qmin = p.zeroPoints[0] == 0 ? -127 : -128;
  p.qmax = 127;
  return p;
}

std::vector<int32_t> zeroPointsOf(const QuantParams &p) {
  return std::vector<int32_t>(p.zeroPoints.begin(), p.zeroPoints.end());
}

/// int32 bias with scale S_in * S_w[c], one per weight channel.
QuantParams biasFor(const QuantParams &input, const QuantParams &weight) {
  QuantParams p;
  for (double s : weight.scales)
    p.scales.push_back(input.scales[0] * s);
  p.zeroPoints.assign(p.scales.size(), 0);
  p.axis = weight.isPerTensor() ? -1 : 0;
  p.qmin = INT32_MIN;
  p.qmax = INT32_MAX;
  return p;
}

/// Counts cases and outputs, tracks the largest difference from the oracle
/// and fails beyond the tolerance.
class Agreement {
public:
  Agreement(const char *kernel, int64_t tolerance)
      : kernel_(kernel), tolerance_(tolerance) {}

  void addCase() { ++cases_; }

  void compare(int32_t got, int32_t want, double real) {
    ++outputs_;
    int64_t diff = std::abs(int64_t(got) - int64_t(want));
    maxDiff_ = std::max(maxDiff_, diff);
    if (diff > tolerance_ && failures_++ < kMaxReported)
      ADD_FAILURE() << kernel_ << " case " << cases_ << ": got " << got
                    << ", oracle " << want << " (real " << real << ")";
  }

  /// Prints the counts and checks that the test ran enough cases.
  void report(int64_t minCases = kCases) const {
    std::printf("[ random   ] %s: %lld cases, %lld outputs, max |diff| %lld "
                "LSB\n",
                kernel_, static_cast<long long>(cases_),
                static_cast<long long>(outputs_),
                static_cast<long long>(maxDiff_));
    EXPECT_GE(cases_, minCases);
  }

private:
  const char *kernel_;
  int64_t tolerance_;
  int64_t cases_ = 0, outputs_ = 0, maxDiff_ = 0, failures_ = 0;
};

/// Compares a kernel result with the re-quantized real results.
void compareAll(Agreement &agree, const Tensor &got,
                const std::vector<double> &reals, const QuantParams &out) {
  ASSERT_EQ(static_cast<size_t>(got.numElements()), reals.size());
  const int32_t *g = got.data<int32_t>();
  for (size_t i = 0; i < reals.size(); ++i)
    agree.compare(g[i], quant(out, reals[i]), reals[i]);
}

//===----------------------------------------------------------------------===//
// Hand-computed cases
//===----------------------------------------------------------------------===//

TEST(QuantKernels, OutputStageTies) {
  Tensor out;
  std::string error;
  // M = 0.25 = 2^30 * 2^(-1-31): SRDHM halves with ties up, then
  // RoundingDivideByPOT halves with ties away from zero.
  // exact: 0.5 -0.5 1.5 -1.5 0.75 -0.75
  Tensor x = make({6}, {2, -2, 6, -6, 3, -3});
  ASSERT_TRUE(q::rescale(x, {0}, -1, stageOf({0.25}), out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{1, -1, 2, -2, 1, -1}));
  // M = 0.5 (shift 0): the only rounding is SRDHM's, ties toward +inf.
  Tensor y = make({4}, {1, -1, 3, -3});
  ASSERT_TRUE(q::rescale(y, {0}, -1, stageOf({0.5}), out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{1, 0, 2, -1}));
}

TEST(QuantKernels, OutputStageHalfEvenTies) {
  Tensor out;
  std::string error;
  // M = 0.25 and 0.5 with one rounding, ties to even.
  OutputStage quarter = stageOf({0.25});
  quarter.rounding = Rounding::HalfEven;
  Tensor x = make({6}, {2, -2, 6, -6, 3, -3});
  ASSERT_TRUE(q::rescale(x, {0}, -1, quarter, out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{0, 0, 2, -2, 1, -1}));
  OutputStage half = stageOf({0.5}, 10, 0, 255);
  half.rounding = Rounding::HalfEven;
  Tensor y = make({5}, {1, -1, 3, -3, -30});
  ASSERT_TRUE(q::rescale(y, {0}, -1, half, out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{10, 10, 12, 8, 0}));
}

TEST(QuantKernels, OutputStageHalfEvenMatchesExactProduct) {
  // Many accumulators and multipliers against the exact rational
  // x * m0 / 2^(31 - shift) rounded half to even in 128-bit integers.
  std::mt19937 rng(11);
  std::uniform_int_distribution<int32_t> accs(-(1 << 24), 1 << 24);
  std::uniform_real_distribution<double> ms(1e-6, 4.0);
  std::string error;
  for (int i = 0; i < 2000; ++i) {
    OutputStage stage = stageOf({ms(rng)}, 3, -100000, 100000);
    stage.rounding = Rounding::HalfEven;
    std::vector<int32_t> xs(64);
    for (int32_t &v : xs)
      v = accs(rng);
    Tensor out;
    ASSERT_TRUE(q::rescale(make({64}, xs), {0}, -1, stage, out, error))
        << error;
    const Multiplier &m = stage.multipliers[0];
    int s = 31 - m.shift;
    for (size_t j = 0; j < xs.size(); ++j) {
      __int128 p = static_cast<__int128>(xs[j]) * m.m0;
      __int128 d = static_cast<__int128>(1) << s;
      __int128 fl = p >= 0 ? p / d : -((-p + d - 1) / d);
      __int128 rem = p - fl * d;
      __int128 r = 2 * rem > d || (2 * rem == d && (fl & 1)) ? fl + 1 : fl;
      int64_t expected =
          std::clamp<int64_t>(static_cast<int64_t>(r) + 3, -100000, 100000);
      ASSERT_EQ(values(out)[j], expected)
          << "x=" << xs[j] << " m0=" << m.m0 << " shift=" << m.shift;
    }
  }
}

TEST(QuantKernels, Conv2dHandComputed) {
  Tensor out;
  std::string error;
  // x - Zx = [0 1 2; 3 4 5; 6 7 8], w = [1 2; 3 4], bias 10.
  Tensor x = make({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor w = make({1, 2, 2, 1}, {1, 2, 3, 4});
  Tensor b = make({1}, {10});
  ConvAttrs a;
  ASSERT_TRUE(q::conv2d(x, 1, w, {0}, &b, a, identity(), out, error)) << error;
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{1, 2, 2, 1}));
  EXPECT_EQ(values(out), (std::vector<int32_t>{37, 47, 67, 77}));
  // M = 0.25 = 2^30 * 2^(-1-31), exact 9.25 11.75 16.75 19.25. gemmlowp
  // rounds twice: SRDHM gives round(37 / 2) = 19 (18.5 ties up), then
  // RoundingDivideByPOT(19, 1) = 9.5 -> 10. So 9.25 -> 10 and 19.25 -> 20:
  // within 1 of the exact value, not always the nearest integer.
  ASSERT_TRUE(q::conv2d(x, 1, w, {0}, &b, a, stageOf({0.25}), out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{10, 12, 17, 20}));
  // Padding 1, stride 2: padded positions contribute 0.
  a.padTop = a.padBottom = a.padLeft = a.padRight = 1;
  a.strideH = a.strideW = 2;
  ASSERT_TRUE(q::conv2d(x, 1, w, {0}, &b, a, identity(), out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{10, 21, 40, 77}));
  // Dilation 2: the corners, 0*1 + 2*2 + 6*3 + 8*4 + 10.
  ConvAttrs d;
  d.dilationH = d.dilationW = 2;
  ASSERT_TRUE(q::conv2d(x, 1, w, {0}, &b, d, identity(), out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{64}));
  // A weight zero point (padding 1, stride 2): w - 1 = [0 1; 2 3]:
  // 0*3, 1*2 + 2*3, 3*1 + 6*3, 4*0 + 5*1 + 7*2 + 8*3, each + 10.
  ASSERT_TRUE(q::conv2d(x, 1, w, {1}, &b, a, identity(), out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{10, 18, 31, 53}));
}

TEST(QuantKernels, Conv2dGroups) {
  Tensor out;
  std::string error;
  // Two groups of one channel: out0 = (5-1)*2, out1 = (7-1)*3.
  Tensor x = make({1, 1, 1, 2}, {5, 7});
  Tensor w = make({2, 1, 1, 1}, {2, 3});
  ConvAttrs a;
  a.groups = 2;
  ASSERT_TRUE(q::conv2d(x, 1, w, {0}, nullptr, a, identity(), out, error))
      << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{8, 18}));
  // Per-channel multipliers and a clamp: 8 * 0.5 + 1, 18 * 2 + 1 -> 20.
  ASSERT_TRUE(q::conv2d(x, 1, w, {0}, nullptr, a, stageOf({0.5, 2}, 1, -5, 20),
                        out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{5, 20}));
}

TEST(QuantKernels, DepthwiseConv2dHandComputed) {
  Tensor out;
  std::string error;
  // Multiplier 2, 1x1 kernel: output channel c * 2 + m reads channel c.
  Tensor x = make({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  Tensor w = make({1, 1, 1, 4}, {10, 20, 30, 40});
  Tensor b = make({4}, {1, 2, 3, 4});
  ASSERT_TRUE(
      q::depthwiseConv2d(x, 0, w, {0}, &b, ConvAttrs(), identity(), out, error))
      << error;
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{1, 2, 2, 4}));
  EXPECT_EQ(values(out),
            (std::vector<int32_t>{11, 22, 63, 84, 31, 62, 123, 164, 51, 102,
                                  183, 244, 71, 142, 243, 324}));
  // Multiplier 1, 2x2 kernel: [1 3 5 7].[1 2 3 4] = 50, [2 4 6 8].-1 = -20.
  Tensor w2 = make({1, 2, 2, 2}, {1, -1, 2, -1, 3, -1, 4, -1});
  ASSERT_TRUE(q::depthwiseConv2d(x, 0, w2, {0, 0}, nullptr, ConvAttrs(),
                                 identity(), out, error))
      << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{50, -20}));
}

TEST(QuantKernels, FullyConnectedZeroPointExpansion) {
  Tensor out;
  std::string error;
  // x - 4 = [1 2 3]; w - Zw[o] = [0 1 2], [2 3 4]; + bias [100, -100]:
  // 108 and -80, then * 0.5 + 3.
  Tensor x = make({1, 3}, {5, 6, 7});
  Tensor w = make({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = make({2}, {100, -100});
  ASSERT_TRUE(
      q::fullyConnected(x, 4, w, {1, 2}, &b, stageOf({0.5}, 3), out, error))
      << error;
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(values(out), (std::vector<int32_t>{57, -37}));
}

TEST(QuantKernels, MatmulPerColumn) {
  Tensor out;
  std::string error;
  // Batch 0: [[0 1 2],[3 4 5]] x [[1 1],[3 3],[5 5]] = [[13 13],[40 40]];
  // batch 1: [[0 0 0],[1 1 1]] x [[1 0],[1 0],[1 0]] = [[0 0],[3 0]].
  // Column multipliers 1 and 0.5 (13 * 0.5 = 6.5 ties up to 7).
  Tensor l = make({2, 2, 3}, {1, 2, 3, 4, 5, 6, 1, 1, 1, 2, 2, 2});
  Tensor r = make({2, 3, 2}, {1, 2, 3, 4, 5, 6, 1, 1, 1, 1, 1, 1});
  ASSERT_TRUE(q::matmul(l, 1, r, {0, 1}, stageOf({1, 0.5}), out, error))
      << error;
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(values(out), (std::vector<int32_t>{13, 7, 40, 20, 0, 0, 3, 0}));
}

TEST(QuantKernels, AddTiesAndBroadcast) {
  AddParams p;
  Tensor out;
  std::string error;
  QuantParams a = QuantParams::perTensor(1, 10, -128, 127);
  QuantParams b = QuantParams::perTensor(1, -5, -128, 127);
  ASSERT_TRUE(
      prepareAdd(a, b, QuantParams::perTensor(2, 1, -128, 127), 8, p, error))
      << error;
  // a - 10 = [3, -3] (a column), b + 5 = [4, -4, 5]; sums / 2:
  // 3.5 -0.5 4 / 0.5 -3.5 1, ties away from zero, + 1.
  Tensor l = make({2, 1}, {13, 7});
  Tensor r = make({3}, {-1, -9, 0});
  ASSERT_TRUE(q::add(l, r, p, out, error)) << error;
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values(out), (std::vector<int32_t>{5, 0, 5, 2, -3, 2}));
  // Unit scales: 3 + 4 exactly.
  ASSERT_TRUE(prepareAdd(a, b, a, 8, p, error));
  ASSERT_TRUE(q::add(make({1}, {13}), make({1}, {-1}), p, out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{17}));
}

TEST(QuantKernels, MulHandComputed) {
  MulParams p;
  Tensor out;
  std::string error;
  // M = 0.5 * 0.5 / 1 = 0.25; (a - 1)(b - 0) = 2, -6, -2 -> 0.5 -1.5 -0.5.
  ASSERT_TRUE(prepareMul(QuantParams::perTensor(0.5, 1, -128, 127),
                         QuantParams::perTensor(0.5, 0, -128, 127),
                         QuantParams::perTensor(1, 0, -128, 127), p, error));
  ASSERT_TRUE(
      q::mul(make({3}, {3, -1, 0}), make({3}, {1, 3, 2}), p, out, error))
      << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{1, -2, -1}));
}

/// A 1 x k window moving k along W.
PoolAttrs rowWindow(int64_t k) {
  PoolAttrs a;
  a.kernelW = k;
  a.strideW = k;
  return a;
}

TEST(QuantKernels, AvgPoolRoundsHalfAwayFromZero) {
  Tensor out;
  std::string error;
  PoolAttrs a = rowWindow(2);
  // [1 2] -> 1.5 -> 2, [-1 -2] -> -1.5 -> -2.
  Tensor x = make({1, 1, 4, 1}, {1, 2, -1, -2});
  ASSERT_TRUE(q::avgPool2d(x, 0, a, identity(), out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{2, -2}));
  // Zx = 1: [0 1] -> 0.5 -> 1, [-2 -3] -> -2.5 -> -3, then + Z = 1.
  ASSERT_TRUE(q::avgPool2d(x, 1, a, identity(1), out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{2, -2}));
  // Padding: [pad 3 4] and [3 4 pad]: 7 / 2 = 3.5 -> 4 without the pad,
  // 7 / 3 -> 2 with it.
  PoolAttrs p;
  p.kernelW = 3;
  p.padLeft = p.padRight = 1;
  Tensor y = make({1, 1, 2, 1}, {3, 4});
  ASSERT_TRUE(q::avgPool2d(y, 0, p, identity(), out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{4, 4}));
  p.countIncludePad = true;
  ASSERT_TRUE(q::avgPool2d(y, 0, p, identity(), out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{2, 2}));
}

TEST(QuantKernels, AvgPoolHalfEvenRoundsOnce) {
  Tensor out;
  std::string error;
  PoolAttrs a = rowWindow(2);
  OutputStage even = identity();
  even.rounding = Rounding::HalfEven;
  // One rounding of sum / 2, ties to even: 1.5 -> 2, -1.5 -> -2, 0.5 -> 0,
  // 2.5 -> 2 (gemmlowp: 2, -2, 1, 3).
  Tensor x = make({1, 1, 8, 1}, {1, 2, -1, -2, 0, 1, 2, 3});
  ASSERT_TRUE(q::avgPool2d(x, 0, a, even, out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{2, -2, 0, 2}));
  ASSERT_TRUE(q::avgPool2d(x, 0, a, identity(), out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{2, -2, 1, 3}));
  // M = 0.75 over 3 values (M / count = 0.25, exact): 2 * 0.25 = 0.5 -> 0
  // where the gemmlowp form rounds 2/3 to 1 first, then 0.75 to 1.
  PoolAttrs p = rowWindow(3);
  OutputStage scaled = stageOf({0.75});
  scaled.rounding = Rounding::HalfEven;
  Tensor y = make({1, 1, 3, 1}, {0, 1, 1});
  ASSERT_TRUE(q::avgPool2d(y, 0, p, scaled, out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{0}));
  ASSERT_TRUE(q::avgPool2d(y, 0, p, stageOf({0.75}), out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{1}));
}

TEST(QuantKernels, GlobalAvgPoolHalfEvenMatchesExactMean) {
  // Random 7x7 windows and multipliers: the single rounding of
  // sum * M / 49 agrees with the exact rational mean rounded half to even
  // except within the multiplier's 31-bit precision of a tie.
  std::mt19937 rng(5);
  std::uniform_int_distribution<int32_t> vals(0, 255);
  std::uniform_real_distribution<double> ms(0.05, 2.0);
  std::string error;
  int cases = 0, differ = 0;
  for (int i = 0; i < 300; ++i) {
    double m = ms(rng);
    OutputStage stage = stageOf({m}, 7, 0, 255);
    stage.rounding = Rounding::HalfEven;
    std::vector<int32_t> xs(49 * 8);
    for (int32_t &v : xs)
      v = vals(rng);
    Tensor out;
    ASSERT_TRUE(
        q::globalAvgPool(make({1, 7, 7, 8}, xs), 100, stage, out, error))
        << error;
    for (int c = 0; c < 8; ++c) {
      int64_t sum = 0;
      for (int p = 0; p < 49; ++p)
        sum += xs[p * 8 + c] - 100;
      double exact = static_cast<double>(sum) * m / 49.0;
      int64_t expected = std::clamp<int64_t>(
          static_cast<int64_t>(std::nearbyint(exact)) + 7, 0, 255);
      ++cases;
      int64_t got = values(out)[c];
      ASSERT_LE(std::abs(got - expected), 1) << "sum=" << sum << " m=" << m;
      differ += got != expected;
    }
  }
  EXPECT_LE(differ, cases / 1000) << differ << " of " << cases;
}

TEST(QuantKernels, MaxPoolPaddingNeverWins) {
  Tensor out;
  std::string error;
  PoolAttrs a;
  a.kernelH = a.kernelW = 2;
  a.padTop = a.padBottom = a.padLeft = a.padRight = 1;
  Tensor x = make({1, 2, 2, 1}, {-5, -3, -7, -9});
  ASSERT_TRUE(q::maxPool2d(x, 0, a, identity(), out, error)) << error;
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{1, 3, 3, 1}));
  EXPECT_EQ(values(out),
            (std::vector<int32_t>{-5, -3, -3, -5, -3, -3, -7, -7, -9}));
  // The stage applies after the max: (max - 2) * 0.5 + 10.
  ASSERT_TRUE(q::maxPool2d(make({1, 1, 2, 1}, {4, 8}), 2, PoolAttrs(),
                           stageOf({0.5}, 10), out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{11, 13}));
}

TEST(QuantKernels, GlobalAvgPool) {
  Tensor out;
  std::string error;
  // Channel 0: 10 / 4 = 2.5 -> 3; channel 1: 101 / 4 = 25.25 -> 25.
  Tensor x = make({1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 41});
  ASSERT_TRUE(q::globalAvgPool(x, 0, identity(), out, error)) << error;
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{1, 1, 1, 2}));
  EXPECT_EQ(values(out), (std::vector<int32_t>{3, 25}));
}

TEST(QuantKernels, PadHandComputed) {
  Tensor out;
  std::string error;
  // x - 1 inside, -7 on the border (one row above, one column right).
  Tensor x = make({2, 2}, {1, 2, 3, 4});
  ASSERT_TRUE(q::pad(x, 1, {1, 0, 0, 1}, -7, identity(), out, error)) << error;
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(values(out),
            (std::vector<int32_t>{-7, -7, -7, 0, 1, -7, 2, 3, -7}));
}

TEST(QuantKernels, RescalePerAxis) {
  Tensor out;
  std::string error;
  // Axis 1: x - [0 1 2] = 10 / -10 everywhere, times [1 0.5 2], + 5.
  Tensor x = make({2, 3}, {10, 11, 12, -10, -9, -8});
  ASSERT_TRUE(q::rescale(x, {0, 1, 2}, 1, stageOf({1, 0.5, 2}, 5), out, error))
      << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{15, 10, 25, -5, 0, -15}));
  // Axis 0, per-axis zero points and one multiplier.
  ASSERT_TRUE(q::rescale(x, {10, -10}, 0, identity(), out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{0, 1, 2, 0, 1, 2}));
}

TEST(QuantKernels, TransposeAnyDtype) {
  Tensor out;
  std::string error;
  Tensor x(DType::I8, {2, 3});
  for (int64_t i = 0; i < 6; ++i)
    x.setFromInt(i, i - 3);
  ASSERT_TRUE(q::transpose(x, {1, 0}, out, error)) << error;
  EXPECT_EQ(out.dtype(), DType::I8);
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{3, 2}));
  std::vector<int64_t> got;
  for (int64_t i = 0; i < 6; ++i)
    got.push_back(out.getAsInt(i));
  EXPECT_EQ(got, (std::vector<int64_t>{-3, 0, -2, 1, -1, 2}));
  // NHWC -> NCHW on i32.
  Tensor y = make({1, 2, 1, 3}, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(q::transpose(y, {0, 3, 1, 2}, out, error)) << error;
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{1, 3, 2, 1}));
  EXPECT_EQ(values(out), (std::vector<int32_t>{1, 4, 2, 5, 3, 6}));
}

TEST(QuantKernels, ConcatHandComputed) {
  Tensor out;
  std::string error;
  // Input 1 is rescaled: (10 - 2) * 0.5 + 1 = 5, (4 - 2) * 0.5 + 1 = 2.
  Tensor a = make({2, 2}, {1, 2, 3, 4});
  Tensor b = make({2, 1}, {10, 4});
  ASSERT_TRUE(q::concat({&a, &b}, {0, 2}, {identity(), stageOf({0.5}, 1)}, 1,
                        out, error))
      << error;
  EXPECT_EQ(out.shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values(out), (std::vector<int32_t>{1, 2, 5, 3, 4, 2}));
  ASSERT_TRUE(
      q::concat({&a, &a}, {0, 0}, {identity(), identity()}, 0, out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{1, 2, 3, 4, 1, 2, 3, 4}));
}

TEST(QuantKernels, SoftmaxHandComputed) {
  SoftmaxParams p;
  Tensor out;
  std::string error;
  ASSERT_TRUE(prepareSoftmax(QuantParams::perTensor(1.0 / 16, 0, -128, 127),
                             QuantParams::perTensor(1.0 / 256, 0, 0, 255), 3, p,
                             error))
      << error;
  // Equal inputs: 256 / 2 = 128 and 256 / 3 = 85.3 -> 85.
  ASSERT_TRUE(q::softmax(make({2}, {7, 7}), -1, p, out, error)) << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{128, 128}));
  ASSERT_TRUE(q::softmax(make({3}, {-5, -5, -5}), 0, p, out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{85, 85, 85}));
  // d = 16: T = 2^24 and round(2^24 e^-1) = 6171993, sum 22949209:
  // 2^32 / sum = 187.15 -> 187, 6171993 * 256 / sum = 68.85 -> 69.
  ASSERT_TRUE(q::softmax(make({2}, {20, 4}), -1, p, out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{187, 69}));
  // Along axis 0 of a [2, 2]: columns (20, 4) and (7, 7).
  ASSERT_TRUE(q::softmax(make({2, 2}, {20, 7, 4, 7}), 0, p, out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{187, 128, 69, 128}));
}

TEST(QuantKernels, FixedPointMulRoundingModes) {
  // M = 0.5 as (2^30, 0): 1.5 -> 2 and -1.5 -> -1 (ties toward +inf) in
  // gemmlowp and TOSA single rounding alike.
  using q::Rounding;
  EXPECT_EQ(q::applyFixedPointMul(3, kTwo30, 0, Rounding::Gemmlowp), 2);
  EXPECT_EQ(q::applyFixedPointMul(-3, kTwo30, 0, Rounding::Gemmlowp), -1);
  EXPECT_EQ(q::applyFixedPointMul(-3, kTwo30, 0, Rounding::TosaSingle), -1);
  // M = 0.25 as (2^30, -1), TOSA shift 32: 1 * 0.25 is 0 with single
  // rounding, 1 with TOSA's double rounding, 1 with gemmlowp's two steps.
  EXPECT_EQ(q::applyFixedPointMul(1, kTwo30, -1, Rounding::TosaSingle), 0);
  EXPECT_EQ(q::applyFixedPointMul(1, kTwo30, -1, Rounding::TosaDouble), 1);
  EXPECT_EQ(q::applyFixedPointMul(1, kTwo30, -1, Rounding::Gemmlowp), 1);
  // The mapping of FixedPointMulOp::applyTo, checked on a sweep.
  for (int32_t v : {0, 1, -1, 1000, -1000, 123456789, INT32_MIN, INT32_MAX})
    for (int32_t s : {-20, -1, 0, 5, 29}) {
      int32_t m0 = 1518500250;
      EXPECT_EQ(q::applyFixedPointMul(v, m0, s, Rounding::Gemmlowp),
                qc_multiply_by_quantized_multiplier(v, m0, s));
      EXPECT_EQ(q::applyFixedPointMul(v, m0, s, Rounding::TosaSingle),
                qc_apply_scale_tosa(v, m0, 31 - s, false));
      EXPECT_EQ(q::applyFixedPointMul(v, m0, s, Rounding::TosaDouble),
                qc_apply_scale_tosa(v, m0, 31 - s, true));
    }
}

TEST(QuantKernels, FixedPointMulPerAxis) {
  Tensor out;
  std::string error;
  // Axis 1 of [2, 2]: multipliers 0.5 and 1 (2^30 with shifts 0 and 1).
  Tensor x = make({2, 2}, {3, 3, -3, -3});
  ASSERT_TRUE(q::fixedPointMul(x, {kTwo30, kTwo30}, {0, 1}, 1,
                               q::Rounding::Gemmlowp, out, error))
      << error;
  EXPECT_EQ(values(out), (std::vector<int32_t>{2, 3, -1, -3}));
  ASSERT_TRUE(q::fixedPointMul(x, {kTwo30}, {0}, -1, q::Rounding::TosaSingle,
                               out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{2, 2, -1, -1}));
}

TEST(QuantKernels, AccumulatorSaturates) {
  Tensor out;
  std::string error;
  // (2^31 - 1 - (-2^31)) * 2 overflows int32: the exact sum saturates.
  Tensor x = make({1, 1}, {INT32_MAX});
  Tensor w = make({1, 1}, {2});
  ASSERT_TRUE(q::fullyConnected(x, INT32_MIN, w, {0}, nullptr, stageOf({0.5}),
                                out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{kTwo30}));
  MulParams p;
  p.output = stageOf({1.0 / 8});
  ASSERT_TRUE(
      q::mul(make({1}, {INT32_MIN}), make({1}, {INT32_MIN}), p, out, error));
  EXPECT_EQ(values(out), (std::vector<int32_t>{1 << 28}));
}

TEST(QuantKernels, OutputMayAliasInput) {
  Tensor x = make({3}, {1, 2, 3});
  std::string error;
  ASSERT_TRUE(q::rescale(x, {1}, -1, stageOf({2.0}), x, error)) << error;
  EXPECT_EQ(values(x), (std::vector<int32_t>{0, 2, 4}));
}

//===----------------------------------------------------------------------===//
// Exactness
//===----------------------------------------------------------------------===//

TEST(QuantKernels, RescaleWithIdenticalParamsIsIdentity) {
  Rng rng(11);
  std::string error;
  const int64_t ranges[][2] = {{-128, 127}, {0, 255}, {-32768, 32767}};
  for (const auto &range : ranges)
    for (int i = 0; i < 20; ++i) {
      QuantParams p = QuantParams::perTensor(
          logUniform(rng, 1e-4, 10), uniformInt(rng, range[0], range[1]),
          range[0], range[1]);
      OutputStage stage;
      ASSERT_TRUE(prepareRescale(p, p, -kInf, kInf, stage, error)) << error;
      std::vector<int32_t> all;
      for (int64_t v = range[0]; v <= range[1]; ++v)
        all.push_back(static_cast<int32_t>(v));
      Tensor x = make({int64_t(all.size())}, all), out;
      ASSERT_TRUE(
          q::rescale(x, {int32_t(p.zeroPoints[0])}, -1, stage, out, error));
      ASSERT_EQ(values(out), all);
    }
}

TEST(QuantKernels, ReluWithEqualParamsIsMaxXZ) {
  Rng rng(12);
  std::string error;
  for (int i = 0; i < 50; ++i) {
    QuantParams p = randomActivation(rng, 1e-3, 1.0);
    OutputStage relu, relu6;
    ASSERT_TRUE(prepareRescale(p, p, 0.0, kInf, relu, error)) << error;
    ASSERT_TRUE(prepareRescale(p, p, 0.0, 6.0, relu6, error)) << error;
    int32_t z = static_cast<int32_t>(p.zeroPoints[0]);
    int32_t six = quant(p, 6.0);
    std::vector<int32_t> all;
    for (int64_t v = p.qmin; v <= p.qmax; ++v)
      all.push_back(static_cast<int32_t>(v));
    Tensor x = make({int64_t(all.size())}, all), out, out6;
    ASSERT_TRUE(q::rescale(x, {z}, -1, relu, out, error));
    ASSERT_TRUE(q::rescale(x, {z}, -1, relu6, out6, error));
    for (size_t j = 0; j < all.size(); ++j) {
      ASSERT_EQ(values(out)[j], std::max(all[j], z));
      ASSERT_EQ(values(out6)[j], std::min(std::max(all[j], z), six));
    }
  }
}

TEST(QuantKernels, MaxPoolWithEqualParamsPicksAnInputValue) {
  Rng rng(13);
  std::string error;
  int64_t checked = 0;
  for (int i = 0; i < 500; ++i) {
    QuantParams p = randomActivation(rng, 1e-3, 1.0);
    OutputStage stage;
    ASSERT_TRUE(prepareRescale(p, p, -kInf, kInf, stage, error));
    PoolAttrs a;
    a.kernelH = uniformInt(rng, 1, 3);
    a.kernelW = uniformInt(rng, 1, 3);
    a.strideH = uniformInt(rng, 1, 2);
    a.strideW = uniformInt(rng, 1, 2);
    a.padTop = uniformInt(rng, 0, a.kernelH - 1);
    a.padLeft = uniformInt(rng, 0, a.kernelW - 1);
    int64_t h = uniformInt(rng, a.kernelH, 6),
            w = uniformInt(rng, a.kernelW, 6);
    Tensor x = randomTensor(rng, {1, h, w, 2}, p), out;
    ASSERT_TRUE(q::maxPool2d(x, int32_t(p.zeroPoints[0]), a, stage, out, error))
        << error;
    const int32_t *xv = x.data<int32_t>();
    const int32_t *yv = out.data<int32_t>();
    for (int64_t oy = 0; oy < out.dim(1); ++oy)
      for (int64_t ox = 0; ox < out.dim(2); ++ox)
        for (int64_t c = 0; c < 2; ++c) {
          int32_t best = INT32_MIN;
          for (int64_t kh = 0; kh < a.kernelH; ++kh)
            for (int64_t kw = 0; kw < a.kernelW; ++kw) {
              int64_t iy = oy * a.strideH - a.padTop + kh;
              int64_t ix = ox * a.strideW - a.padLeft + kw;
              if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                best = std::max(best, xv[(iy * w + ix) * 2 + c]);
            }
          ASSERT_EQ(yv[(oy * out.dim(2) + ox) * 2 + c], best);
          ++checked;
        }
  }
  EXPECT_GT(checked, 1000);
}

//===----------------------------------------------------------------------===//
// Random agreement with the real-number semantics
//===----------------------------------------------------------------------===//

struct ConvCase {
  bool depthwise = false;
  int64_t n = 1, h = 1, w = 1, c = 1, kh = 1, kw = 1, outC = 1;
  int64_t multiplier = 1;
  ConvAttrs attrs;
  int64_t oh = 1, ow = 1;
};

/// Random geometry; false if the window does not fit (the caller retries).
bool randomConvCase(Rng &rng, bool depthwise, int64_t multiplier, ConvCase &k) {
  k.depthwise = depthwise;
  k.n = uniformInt(rng, 1, 2);
  k.h = uniformInt(rng, 1, 7);
  k.w = uniformInt(rng, 1, 7);
  k.kh = uniformInt(rng, 1, 3);
  k.kw = uniformInt(rng, 1, 3);
  ConvAttrs &a = k.attrs;
  a.strideH = uniformInt(rng, 1, 2);
  a.strideW = uniformInt(rng, 1, 2);
  a.dilationH = uniformInt(rng, 1, 2);
  a.dilationW = uniformInt(rng, 1, 2);
  a.padTop = uniformInt(rng, 0, 2);
  a.padBottom = uniformInt(rng, 0, 2);
  a.padLeft = uniformInt(rng, 0, 2);
  a.padRight = uniformInt(rng, 0, 2);
  if (depthwise) {
    k.c = uniformInt(rng, 1, 4);
    k.multiplier = multiplier;
    k.outC = k.c * multiplier;
  } else {
    a.groups = uniformInt(rng, 1, 3);
    k.c = a.groups * uniformInt(rng, 1, 3);
    k.outC = a.groups * uniformInt(rng, 1, 3);
  }
  if (k.h + a.padTop + a.padBottom < a.dilationH * (k.kh - 1) + 1 ||
      k.w + a.padLeft + a.padRight < a.dilationW * (k.kw - 1) + 1)
    return false;
  k.oh = windowOutputSize(k.h, k.kh, a.strideH, a.dilationH, a.padTop,
                          a.padBottom);
  k.ow = windowOutputSize(k.w, k.kw, a.strideW, a.dilationW, a.padLeft,
                          a.padRight);
  return true;
}

/// The real convolution of the dequantized operands, from docs/layout.md.
std::vector<double> convReference(const ConvCase &k, const Tensor &x,
                                  const QuantParams &px, const Tensor &w,
                                  const QuantParams &pw, const Tensor *b,
                                  const QuantParams &pb) {
  const ConvAttrs &a = k.attrs;
  int64_t inPerOut = k.depthwise ? 1 : k.c / a.groups;
  int64_t outPerGroup = k.depthwise ? k.multiplier : k.outC / a.groups;
  const int32_t *xv = x.data<int32_t>(), *wv = w.data<int32_t>();
  std::vector<double> reals;
  for (int64_t n = 0; n < k.n; ++n)
    for (int64_t oy = 0; oy < k.oh; ++oy)
      for (int64_t ox = 0; ox < k.ow; ++ox)
        for (int64_t o = 0; o < k.outC; ++o) {
          double sum = b ? deq(pb, b->data<int32_t>()[o], o) : 0.0;
          int64_t cin = o / outPerGroup * inPerOut;
          for (int64_t i = 0; i < k.kh; ++i)
            for (int64_t j = 0; j < k.kw; ++j) {
              int64_t iy = oy * a.strideH - a.padTop + i * a.dilationH;
              int64_t ix = ox * a.strideW - a.padLeft + j * a.dilationW;
              if (iy < 0 || iy >= k.h || ix < 0 || ix >= k.w)
                continue;
              for (int64_t ci = 0; ci < inPerOut; ++ci) {
                int64_t wi = k.depthwise
                                 ? (i * k.kw + j) * k.outC + o
                                 : ((o * k.kh + i) * k.kw + j) * inPerOut + ci;
                sum +=
                    deq(px, xv[((n * k.h + iy) * k.w + ix) * k.c + cin + ci]) *
                    deq(pw, wv[wi], o);
              }
            }
          reals.push_back(sum);
        }
  return reals;
}

void runRandomConv(const char *name, bool depthwise, int64_t multiplier,
                   uint64_t seed) {
  Rng rng(seed);
  Agreement agree(name, 1);
  std::string error;
  for (int i = 0; i < kCases;) {
    ConvCase k;
    if (!randomConvCase(rng, depthwise, multiplier, k))
      continue;
    ++i;
    QuantParams px = randomActivation(rng, 0.005, 0.2);
    QuantParams pw = randomWeights(rng, k.outC, depthwise ? 3 : 0);
    QuantParams pb = biasFor(px, pw);
    Tensor x = randomTensor(rng, {k.n, k.h, k.w, k.c}, px);
    std::vector<int64_t> wShape =
        depthwise
            ? std::vector<int64_t>{1, k.kh, k.kw, k.outC}
            : std::vector<int64_t>{k.outC, k.kh, k.kw, k.c / k.attrs.groups};
    Tensor w = randomTensor(rng, wShape, pw);
    Tensor b = randomTensor(rng, {k.outC}, -5000, 5000);
    const Tensor *bias = chance(rng, 0.7) ? &b : nullptr;
    std::vector<double> reals = convReference(k, x, px, w, pw, bias, pb);
    QuantParams out = outputFor(rng, reals);
    OutputStage stage;
    ASSERT_TRUE(prepareLayer(px, pw, bias ? &pb : nullptr, out, stage, error))
        << error;
    Tensor got;
    int32_t zx = static_cast<int32_t>(px.zeroPoints[0]);
    bool ok = depthwise ? q::depthwiseConv2d(x, zx, w, zeroPointsOf(pw), bias,
                                             k.attrs, stage, got, error)
                        : q::conv2d(x, zx, w, zeroPointsOf(pw), bias, k.attrs,
                                    stage, got, error);
    ASSERT_TRUE(ok) << error;
    agree.addCase();
    compareAll(agree, got, reals, out);
  }
  agree.report();
}

TEST(QuantKernelsRandom, Conv2d) { runRandomConv("conv2d", false, 1, 101); }

TEST(QuantKernelsRandom, DepthwiseConv2dMultiplier1) {
  runRandomConv("depthwise_conv2d (M=1)", true, 1, 102);
}

TEST(QuantKernelsRandom, DepthwiseConv2dMultiplier2) {
  runRandomConv("depthwise_conv2d (M=2)", true, 2, 103);
}

TEST(QuantKernelsRandom, FullyConnected) {
  Rng rng(104);
  Agreement agree("fully_connected", 1);
  std::string error;
  for (int i = 0; i < kCases; ++i) {
    int64_t n = uniformInt(rng, 1, 3), k = uniformInt(rng, 1, 64),
            o = uniformInt(rng, 1, 10);
    QuantParams px = randomActivation(rng, 0.005, 0.2);
    QuantParams pw = randomWeights(rng, o, 0);
    QuantParams pb = biasFor(px, pw);
    Tensor x = randomTensor(rng, {n, k}, px), w = randomTensor(rng, {o, k}, pw);
    Tensor b = randomTensor(rng, {o}, -5000, 5000);
    const Tensor *bias = chance(rng, 0.7) ? &b : nullptr;
    std::vector<double> reals;
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < o; ++c) {
        double sum = bias ? deq(pb, b.data<int32_t>()[c], c) : 0.0;
        for (int64_t t = 0; t < k; ++t)
          sum += deq(px, x.data<int32_t>()[r * k + t]) *
                 deq(pw, w.data<int32_t>()[c * k + t], c);
        reals.push_back(sum);
      }
    QuantParams out = outputFor(rng, reals);
    OutputStage stage;
    ASSERT_TRUE(prepareLayer(px, pw, bias ? &pb : nullptr, out, stage, error))
        << error;
    Tensor got;
    ASSERT_TRUE(q::fullyConnected(x, int32_t(px.zeroPoints[0]), w,
                                  zeroPointsOf(pw), bias, stage, got, error))
        << error;
    agree.addCase();
    compareAll(agree, got, reals, out);
  }
  agree.report();
}

TEST(QuantKernelsRandom, Matmul) {
  Rng rng(105);
  Agreement agree("matmul", 1);
  std::string error;
  for (int i = 0; i < kCases; ++i) {
    std::vector<int64_t> batch(uniformInt(rng, 0, 2));
    for (int64_t &d : batch)
      d = uniformInt(rng, 1, 3);
    int64_t m = uniformInt(rng, 1, 6), k = uniformInt(rng, 1, 16),
            n = uniformInt(rng, 1, 6);
    int64_t batches = productOf(batch);
    std::vector<int64_t> ls = batch, rs = batch;
    ls.insert(ls.end(), {m, k});
    rs.insert(rs.end(), {k, n});
    QuantParams pl = randomActivation(rng, 0.005, 0.2);
    // The rhs is an activation (per tensor, any zero point) or weights
    // (per column on the last axis).
    QuantParams pr = chance(rng, 0.5)
                         ? randomActivation(rng, 0.005, 0.2)
                         : randomWeights(rng, n, int64_t(rs.size()) - 1);
    Tensor l = randomTensor(rng, ls, pl), r = randomTensor(rng, rs, pr);
    std::vector<double> reals;
    for (int64_t b = 0; b < batches; ++b)
      for (int64_t y = 0; y < m; ++y)
        for (int64_t x = 0; x < n; ++x) {
          double sum = 0;
          for (int64_t t = 0; t < k; ++t)
            sum += deq(pl, l.data<int32_t>()[(b * m + y) * k + t]) *
                   deq(pr, r.data<int32_t>()[(b * k + t) * n + x], x);
          reals.push_back(sum);
        }
    QuantParams out = outputFor(rng, reals);
    OutputStage stage;
    ASSERT_TRUE(prepareLayer(pl, pr, nullptr, out, stage, error)) << error;
    Tensor got;
    ASSERT_TRUE(q::matmul(l, int32_t(pl.zeroPoints[0]), r, zeroPointsOf(pr),
                          stage, got, error))
        << error;
    agree.addCase();
    compareAll(agree, got, reals, out);
  }
  agree.report();
}

/// Random operand shapes that broadcast (numpy rules) and their result.
void randomBroadcast(Rng &rng, std::vector<int64_t> &ls,
                     std::vector<int64_t> &rs, std::vector<int64_t> &shape) {
  int64_t rank = uniformInt(rng, 0, 4);
  std::vector<int64_t> full(rank);
  for (int64_t &d : full)
    d = uniformInt(rng, 1, 4);
  auto operand = [&]() {
    std::vector<int64_t> s(full.begin() + uniformInt(rng, 0, rank), full.end());
    for (int64_t &d : s)
      if (chance(rng, 0.3))
        d = 1;
    return s;
  };
  ls = operand();
  rs = operand();
  shape.assign(std::max(ls.size(), rs.size()), 1);
  for (size_t i = 0; i < shape.size(); ++i) {
    size_t fromEnd = shape.size() - 1 - i;
    if (fromEnd < ls.size())
      shape[i] = std::max(shape[i], ls[ls.size() - 1 - fromEnd]);
    if (fromEnd < rs.size())
      shape[i] = std::max(shape[i], rs[rs.size() - 1 - fromEnd]);
  }
}

/// Flat index into an operand of shape `s` for result element `i`.
int64_t broadcastIndex(int64_t i, const std::vector<int64_t> &shape,
                       const std::vector<int64_t> &s) {
  int64_t index = 0, stride = 1;
  int64_t k = static_cast<int64_t>(s.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    int64_t coord = i % shape[d];
    i /= shape[d];
    // Operand dimension k aligns with result dimension d from the end.
    if (--k >= 0) {
      index += (s[k] == 1 ? 0 : coord) * stride;
      stride *= s[k];
    }
  }
  return index;
}

/// add and mul against a + b and a * b on the dequantized values.
void runRandomBinary(const char *name, bool isAdd, unsigned bits,
                     int64_t tolerance, uint64_t seed) {
  Rng rng(seed);
  Agreement agree(name, tolerance);
  std::string error;
  for (int i = 0; i < kCases; ++i) {
    std::vector<int64_t> ls, rs, shape;
    randomBroadcast(rng, ls, rs, shape);
    QuantParams pa = randomActivation(rng, 0.005, 0.5);
    QuantParams pb = randomActivation(rng, 0.005, 0.5);
    if (bits == 16) {
      pa = QuantParams::perTensor(logUniform(rng, 1e-5, 1e-2),
                                  uniformInt(rng, -100, 100), -32768, 32767);
      pb = QuantParams::perTensor(logUniform(rng, 1e-5, 1e-2),
                                  uniformInt(rng, -100, 100), -32768, 32767);
    }
    Tensor a = randomTensor(rng, ls, pa), b = randomTensor(rng, rs, pb);
    std::vector<double> reals;
    for (int64_t e = 0; e < productOf(shape); ++e) {
      double x = deq(pa, a.data<int32_t>()[broadcastIndex(e, shape, ls)]);
      double y = deq(pb, b.data<int32_t>()[broadcastIndex(e, shape, rs)]);
      reals.push_back(isAdd ? x + y : x * y);
    }
    QuantParams out = outputFor(rng, reals);
    if (bits == 16) {
      out.scales[0] *= 255.0 / 65535;
      out.qmin = -32768;
      out.qmax = 32767;
      out.zeroPoints[0] = 0;
    }
    Tensor got;
    if (isAdd) {
      AddParams p;
      ASSERT_TRUE(prepareAdd(pa, pb, out, bits, p, error)) << error;
      ASSERT_TRUE(q::add(a, b, p, got, error)) << error;
    } else {
      MulParams p;
      ASSERT_TRUE(prepareMul(pa, pb, out, p, error)) << error;
      ASSERT_TRUE(q::mul(a, b, p, got, error)) << error;
    }
    ASSERT_EQ(got.shape(), shape);
    agree.addCase();
    compareAll(agree, got, reals, out);
  }
  agree.report();
}

TEST(QuantKernelsRandom, Add) { runRandomBinary("add", true, 8, 2, 106); }

TEST(QuantKernelsRandom, Add16Bit) {
  runRandomBinary("add (16 bit)", true, 16, 2, 107);
}

TEST(QuantKernelsRandom, Mul) { runRandomBinary("mul", false, 8, 1, 108); }

/// Pool output parameters: equal to the input's, or another scale with
/// M = S_in / S_out in [1/4, 4] (max) or [1/4, 1] (average; its rounded
/// integer mean is rescaled again, so only M <= 1 keeps the 1 LSB bound).
QuantParams poolOutput(Rng &rng, const QuantParams &in, bool isMax) {
  if (chance(rng, 0.3))
    return in;
  QuantParams out = randomActivation(rng, 1, 1);
  out.scales[0] = in.scales[0] * logUniform(rng, isMax ? 0.25 : 1.0, 4.0);
  return out;
}

/// Max or mean of the dequantized window (padding excluded from the max,
/// and from the mean unless countIncludePad).
double poolReference(const Tensor &x, const QuantParams &p, const PoolAttrs &a,
                     bool isMax, int64_t n, int64_t oy, int64_t ox, int64_t c) {
  int64_t h = x.dim(1), w = x.dim(2), ch = x.dim(3);
  double best = -kInf, sum = 0;
  int64_t count = 0;
  for (int64_t i = 0; i < a.kernelH; ++i)
    for (int64_t j = 0; j < a.kernelW; ++j) {
      int64_t iy = oy * a.strideH - a.padTop + i;
      int64_t ix = ox * a.strideW - a.padLeft + j;
      if (iy < 0 || iy >= h || ix < 0 || ix >= w)
        continue;
      double r = deq(p, x.data<int32_t>()[((n * h + iy) * w + ix) * ch + c]);
      best = std::max(best, r);
      sum += r;
      ++count;
    }
  if (isMax)
    return best;
  return sum / double(a.countIncludePad ? a.kernelH * a.kernelW : count);
}

void runRandomPool(const char *name, bool isMax, uint64_t seed) {
  Rng rng(seed);
  Agreement agree(name, 1);
  std::string error;
  for (int i = 0; i < kCases;) {
    PoolAttrs a;
    a.kernelH = uniformInt(rng, 1, 3);
    a.kernelW = uniformInt(rng, 1, 3);
    a.strideH = uniformInt(rng, 1, 3);
    a.strideW = uniformInt(rng, 1, 3);
    a.padTop = uniformInt(rng, 0, a.kernelH - 1);
    a.padBottom = uniformInt(rng, 0, a.kernelH - 1);
    a.padLeft = uniformInt(rng, 0, a.kernelW - 1);
    a.padRight = uniformInt(rng, 0, a.kernelW - 1);
    a.countIncludePad = !isMax && chance(rng, 0.5);
    int64_t n = uniformInt(rng, 1, 2), h = uniformInt(rng, 1, 8),
            w = uniformInt(rng, 1, 8), c = uniformInt(rng, 1, 4);
    if (h + a.padTop + a.padBottom < a.kernelH ||
        w + a.padLeft + a.padRight < a.kernelW)
      continue;
    ++i;
    QuantParams px = randomActivation(rng, 0.005, 0.5);
    QuantParams out = poolOutput(rng, px, isMax);
    Tensor x = randomTensor(rng, {n, h, w, c}, px), got;
    OutputStage stage;
    ASSERT_TRUE(prepareRescale(px, out, -kInf, kInf, stage, error)) << error;
    int32_t zx = static_cast<int32_t>(px.zeroPoints[0]);
    ASSERT_TRUE(isMax ? q::maxPool2d(x, zx, a, stage, got, error)
                      : q::avgPool2d(x, zx, a, stage, got, error))
        << error;
    std::vector<double> reals;
    for (int64_t b = 0; b < n; ++b)
      for (int64_t oy = 0; oy < got.dim(1); ++oy)
        for (int64_t ox = 0; ox < got.dim(2); ++ox)
          for (int64_t ci = 0; ci < c; ++ci)
            reals.push_back(poolReference(x, px, a, isMax, b, oy, ox, ci));
    agree.addCase();
    compareAll(agree, got, reals, out);
  }
  agree.report();
}

TEST(QuantKernelsRandom, MaxPool2d) { runRandomPool("max_pool2d", true, 109); }

TEST(QuantKernelsRandom, AvgPool2d) { runRandomPool("avg_pool2d", false, 110); }

TEST(QuantKernelsRandom, GlobalAvgPool) {
  Rng rng(111);
  Agreement agree("global_avg_pool", 1);
  std::string error;
  for (int i = 0; i < kCases; ++i) {
    int64_t n = uniformInt(rng, 1, 2), h = uniformInt(rng, 1, 8),
            w = uniformInt(rng, 1, 8), c = uniformInt(rng, 1, 4);
    QuantParams px = randomActivation(rng, 0.005, 0.5);
    QuantParams out = poolOutput(rng, px, false);
    Tensor x = randomTensor(rng, {n, h, w, c}, px), got;
    OutputStage stage;
    ASSERT_TRUE(prepareRescale(px, out, -kInf, kInf, stage, error)) << error;
    ASSERT_TRUE(
        q::globalAvgPool(x, int32_t(px.zeroPoints[0]), stage, got, error))
        << error;
    PoolAttrs a;
    a.kernelH = h;
    a.kernelW = w;
    std::vector<double> reals;
    for (int64_t b = 0; b < n; ++b)
      for (int64_t ci = 0; ci < c; ++ci)
        reals.push_back(poolReference(x, px, a, false, b, 0, 0, ci));
    agree.addCase();
    compareAll(agree, got, reals, out);
  }
  agree.report();
}

TEST(QuantKernelsRandom, Softmax) {
  Rng rng(112);
  Agreement agree("softmax", 1);
  std::string error;
  for (int i = 0; i < kCases; ++i) {
    int64_t rank = uniformInt(rng, 1, 3);
    int64_t axis = uniformInt(rng, -rank, rank - 1);
    int64_t ax = axis < 0 ? axis + rank : axis;
    std::vector<int64_t> shape(rank);
    for (int64_t d = 0; d < rank; ++d)
      shape[d] = d == ax ? uniformInt(rng, 1, 40) : uniformInt(rng, 1, 4);
    QuantParams px = randomActivation(rng, 0.01, 0.5);
    double kind = uniformReal(rng, 0, 1);
    QuantParams out =
        kind < 0.4   ? QuantParams::perTensor(1.0 / 256, 0, 0, 255)
        : kind < 0.8 ? QuantParams::perTensor(1.0 / 256, -128, -128, 127)
                     : QuantParams::perTensor(logUniform(rng, 1.0 / 512, 0.01),
                                              0, 0, 255);
    SoftmaxParams p;
    ASSERT_TRUE(prepareSoftmax(px, out, shape[ax], p, error)) << error;
    Tensor x = randomTensor(rng, shape, px), got;
    ASSERT_TRUE(q::softmax(x, axis, p, got, error)) << error;
    // Rows along the axis: exp(r - max) / sum, in double.
    int64_t inner = 1, outer = 1, len = shape[ax];
    for (int64_t d = 0; d < rank; ++d)
      (d < ax ? outer : inner) *= d == ax ? 1 : shape[d];
    std::vector<double> reals(x.numElements());
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < inner; ++j) {
        auto at = [&](int64_t t) { return (o * len + t) * inner + j; };
        double max = -kInf, sum = 0;
        for (int64_t t = 0; t < len; ++t)
          max = std::max(max, deq(px, x.data<int32_t>()[at(t)]));
        for (int64_t t = 0; t < len; ++t)
          sum += std::exp(deq(px, x.data<int32_t>()[at(t)]) - max);
        for (int64_t t = 0; t < len; ++t)
          reals[at(t)] =
              std::exp(deq(px, x.data<int32_t>()[at(t)]) - max) / sum;
      }
    agree.addCase();
    compareAll(agree, got, reals, out);
  }
  agree.report();
}

TEST(QuantKernelsRandom, Concat) {
  Rng rng(113);
  Agreement agree("concat", 1);
  std::string error;
  for (int i = 0; i < kCases; ++i) {
    int64_t rank = uniformInt(rng, 1, 4), axis = uniformInt(rng, 0, rank - 1);
    std::vector<int64_t> base(rank);
    for (int64_t &d : base)
      d = uniformInt(rng, 1, 4);
    std::vector<Tensor> xs;
    std::vector<QuantParams> ps;
    for (int64_t t = uniformInt(rng, 1, 4); t > 0; --t) {
      std::vector<int64_t> s = base;
      s[axis] = uniformInt(rng, 1, 4);
      ps.push_back(randomActivation(rng, 0.005, 0.5));
      xs.push_back(randomTensor(rng, s, ps.back()));
    }
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d)
      outer *= base[d];
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= base[d];
    std::vector<double> reals;
    for (int64_t o = 0; o < outer; ++o)
      for (size_t t = 0; t < xs.size(); ++t) {
        int64_t block = xs[t].dim(axis) * inner;
        for (int64_t j = 0; j < block; ++j)
          reals.push_back(deq(ps[t], xs[t].data<int32_t>()[o * block + j]));
      }
    QuantParams out = outputFor(rng, reals);
    std::vector<const Tensor *> inputs;
    std::vector<int32_t> zps;
    std::vector<OutputStage> stages(xs.size());
    for (size_t t = 0; t < xs.size(); ++t) {
      inputs.push_back(&xs[t]);
      zps.push_back(static_cast<int32_t>(ps[t].zeroPoints[0]));
      ASSERT_TRUE(prepareRescale(ps[t], out, -kInf, kInf, stages[t], error))
          << error;
    }
    Tensor got;
    ASSERT_TRUE(q::concat(inputs, zps, stages, axis, got, error)) << error;
    agree.addCase();
    compareAll(agree, got, reals, out);
  }
  agree.report();
}

/// A random activation clamp: none, relu, relu6 or clamp [lo, hi].
void randomClamp(Rng &rng, bool zeroOnly, double &lo, double &hi) {
  double kind = uniformReal(rng, 0, 1);
  lo = -kInf;
  hi = kInf;
  if (kind < 0.25)
    return;
  if (kind < 0.5 || zeroOnly) {
    lo = 0;
    return;
  }
  if (kind < 0.75) {
    lo = 0;
    hi = 6;
    return;
  }
  lo = uniformReal(rng, -3, 1);
  hi = lo + uniformReal(rng, 0, 4);
}

TEST(QuantKernelsRandom, Rescale) {
  Rng rng(114);
  Agreement agree("rescale", 1);
  std::string error;
  for (int i = 0; i < kCases; ++i) {
    int64_t rank = uniformInt(rng, 1, 4), axis = uniformInt(rng, 0, rank - 1);
    std::vector<int64_t> shape(rank);
    for (int64_t &d : shape)
      d = uniformInt(rng, 1, 5);
    QuantParams in = randomActivation(rng, 0.005, 0.5);
    QuantParams out = randomActivation(rng, 1, 1);
    out.scales[0] = in.scales[0] * logUniform(rng, 0.2, 5);
    bool perAxis = chance(rng, 0.5), axisOut = perAxis && chance(rng, 0.5);
    if (perAxis) {
      // Per-axis input, zero points differing per channel; the output is
      // per tensor, or per axis and symmetric.
      in.axis = axis;
      in.scales.clear();
      in.zeroPoints.clear();
      for (int64_t c = 0; c < shape[axis]; ++c) {
        in.scales.push_back(logUniform(rng, 0.005, 0.5));
        in.zeroPoints.push_back(uniformInt(rng, in.qmin, in.qmax));
      }
    }
    if (axisOut) {
      out.axis = axis;
      out.scales.clear();
      for (double s : in.scales)
        out.scales.push_back(s * logUniform(rng, 0.2, 5));
      out.zeroPoints.assign(out.scales.size(), 0);
      out.qmin = -127;
      out.qmax = 127;
    }
    double lo, hi;
    randomClamp(rng, axisOut, lo, hi);
    OutputStage stage;
    ASSERT_TRUE(prepareRescale(in, out, lo, hi, stage, error)) << error;
    Tensor x = randomTensor(rng, shape, in), got;
    ASSERT_TRUE(
        q::rescale(x, zeroPointsOf(in), perAxis ? axis : -1, stage, got, error))
        << error;
    int64_t inner = 1;
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= shape[d];
    agree.addCase();
    for (int64_t e = 0; e < x.numElements(); ++e) {
      int64_t c = perAxis ? (e / inner) % shape[axis] : 0;
      double r = std::clamp(deq(in, x.data<int32_t>()[e], c), lo, hi);
      agree.compare(got.data<int32_t>()[e], quant(out, r, c), r);
    }
  }
  agree.report();
}

//===----------------------------------------------------------------------===//
// Error paths
//===----------------------------------------------------------------------===//

TEST(QuantKernelsErrors, Convolutions) {
  Tensor out = make({1}, {42});
  std::string error;
  Tensor x = make({1, 2, 2, 1}, {1, 2, 3, 4});
  Tensor w = make({1, 1, 1, 1}, {1});
  ConvAttrs a;
  EXPECT_FALSE(q::conv2d(Tensor(DType::F32, {1, 2, 2, 1}), 0, w, {0}, nullptr,
                         a, identity(), out, error));
  EXPECT_EQ(error.rfind("conv2d: input must be i32", 0), 0u) << error;
  EXPECT_FALSE(q::conv2d(make({4}, {1, 2, 3, 4}), 0, w, {0}, nullptr, a,
                         identity(), out, error));
  EXPECT_TRUE(contains(error, "rank 4")) << error;
  EXPECT_FALSE(q::conv2d(x, 0, make({1, 1, 1, 2}, {1, 1}), {0}, nullptr, a,
                         identity(), out, error));
  EXPECT_TRUE(contains(error, "do not match")) << error;
  ConvAttrs g0;
  g0.groups = 0;
  EXPECT_FALSE(q::conv2d(x, 0, w, {0}, nullptr, g0, identity(), out, error));
  EXPECT_FALSE(q::conv2d(x, 0, w, {0, 0}, nullptr, a, identity(), out, error));
  EXPECT_TRUE(contains(error, "weight zero points has 2 entries")) << error;
  EXPECT_FALSE(
      q::conv2d(x, 0, w, {0}, nullptr, a, stageOf({1, 1}), out, error));
  EXPECT_TRUE(contains(error, "output stage multipliers")) << error;
  Tensor b2 = make({2}, {0, 0});
  EXPECT_FALSE(q::conv2d(x, 0, w, {0}, &b2, a, identity(), out, error));
  EXPECT_TRUE(contains(error, "bias")) << error;
  Tensor bf(DType::F32, {1});
  EXPECT_FALSE(q::conv2d(x, 0, w, {0}, &bf, a, identity(), out, error));
  EXPECT_FALSE(q::conv2d(x, 0, make({1, 3, 3, 1}, std::vector<int32_t>(9, 1)),
                         {0}, nullptr, a, identity(), out, error));
  EXPECT_TRUE(contains(error, "larger than the padded input")) << error;
  ConvAttrs s0;
  s0.strideH = 0;
  EXPECT_FALSE(q::conv2d(x, 0, w, {0}, nullptr, s0, identity(), out, error));
  EXPECT_TRUE(contains(error, "height")) << error;
  EXPECT_FALSE(
      q::conv2d(x, 0, w, {0}, nullptr, a, stageOf({1}, 0, 5, 4), out, error));
  EXPECT_TRUE(contains(error, "lo > hi")) << error;
  // Depthwise: leading 1 and a multiple of C.
  Tensor x2 = make({1, 1, 1, 2}, {1, 2});
  EXPECT_FALSE(q::depthwiseConv2d(x2, 0, make({2, 1, 1, 2}, {1, 1, 1, 1}), {0},
                                  nullptr, a, identity(), out, error));
  EXPECT_FALSE(q::depthwiseConv2d(x2, 0, make({1, 1, 1, 3}, {1, 1, 1}), {0},
                                  nullptr, a, identity(), out, error));
  EXPECT_TRUE(contains(error, "[1, KH, KW, C * M]")) << error;
  // fully_connected and matmul shapes.
  EXPECT_FALSE(q::fullyConnected(make({1, 3}, {1, 2, 3}), 0,
                                 make({2, 2}, {1, 2, 3, 4}), {0}, nullptr,
                                 identity(), out, error));
  EXPECT_TRUE(contains(error, "[O, K]")) << error;
  EXPECT_FALSE(q::matmul(make({2, 2}, {1, 2, 3, 4}), 0, make({3, 1}, {1, 2, 3}),
                         {0}, identity(), out, error));
  EXPECT_FALSE(q::matmul(make({2, 1, 1}, {1, 2}), 0, make({1, 1, 1}, {1}), {0},
                         identity(), out, error));
  EXPECT_TRUE(contains(error, "equal batch dimensions")) << error;
  EXPECT_FALSE(q::matmul(make({2}, {1, 2}), 0, make({2}, {1, 2}), {0},
                         identity(), out, error));
  EXPECT_FALSE(q::matmul(make({1, 1}, {1}), 0, make({1, 2}, {1, 2}), {0, 0, 0},
                         identity(), out, error));
  // A failing kernel leaves `out` alone.
  EXPECT_EQ(values(out), (std::vector<int32_t>{42}));
}

TEST(QuantKernelsErrors, Elementwise) {
  Tensor out;
  std::string error;
  AddParams ap;
  ap.output = identity();
  EXPECT_FALSE(q::add(make({2}, {1, 2}), make({3}, {1, 2, 3}), ap, out, error));
  EXPECT_TRUE(contains(error, "do not broadcast")) << error;
  AddParams shift = ap;
  shift.leftShift = 31;
  EXPECT_FALSE(q::add(make({1}, {1}), make({1}, {1}), shift, out, error));
  AddParams two = ap;
  two.output.multipliers.push_back(Multiplier());
  EXPECT_FALSE(q::add(make({1}, {1}), make({1}, {1}), two, out, error));
  EXPECT_TRUE(contains(error, "per tensor")) << error;
  MulParams mp;
  mp.output = identity();
  EXPECT_FALSE(
      q::mul(make({2}, {1, 2}), Tensor(DType::F32, {2}), mp, out, error));
  EXPECT_TRUE(contains(error, "rhs must be i32")) << error;
  // rescale: a per-axis vector needs an axis, and the axis's length.
  Tensor x = make({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_FALSE(q::rescale(x, {0, 0}, -1, identity(), out, error));
  EXPECT_TRUE(contains(error, "axis -1 is out of range")) << error;
  EXPECT_FALSE(q::rescale(x, {0, 0}, 1, identity(), out, error));
  EXPECT_TRUE(contains(error, "input zero points has 2 entries")) << error;
  EXPECT_FALSE(q::rescale(x, {0}, 0, stageOf({1, 1, 1}), out, error));
  // fixed_point_mul vectors.
  EXPECT_FALSE(q::fixedPointMul(x, {kTwo30, kTwo30}, {0}, 0,
                                q::Rounding::Gemmlowp, out, error));
  EXPECT_FALSE(q::fixedPointMul(x, {kTwo30, kTwo30}, {0, 0}, 1,
                                q::Rounding::Gemmlowp, out, error));
  EXPECT_FALSE(
      q::fixedPointMul(x, {}, {}, -1, q::Rounding::Gemmlowp, out, error));
}

TEST(QuantKernelsErrors, PoolsAndDataMovement) {
  Tensor out;
  std::string error;
  Tensor x = make({1, 2, 2, 1}, {1, 2, 3, 4});
  PoolAttrs a;
  a.kernelH = a.kernelW = 2;
  a.padTop = 2;
  EXPECT_FALSE(q::maxPool2d(x, 0, a, identity(), out, error));
  EXPECT_TRUE(contains(error, "smaller than the kernel")) << error;
  EXPECT_FALSE(q::avgPool2d(make({2, 2}, {1, 2, 3, 4}), 0, PoolAttrs(),
                            identity(), out, error));
  PoolAttrs big;
  big.kernelH = 3;
  EXPECT_FALSE(q::avgPool2d(x, 0, big, identity(), out, error));
  EXPECT_FALSE(
      q::globalAvgPool(make({1, 0, 2, 1}, {}), 0, identity(), out, error));
  // pad
  EXPECT_FALSE(q::pad(x, 0, {0, 0, 1, 1}, 0, identity(), out, error));
  EXPECT_TRUE(contains(error, "2 entries per dimension")) << error;
  EXPECT_FALSE(
      q::pad(x, 0, {0, 0, -1, 0, 0, 0, 0, 0}, 0, identity(), out, error));
  // transpose
  EXPECT_FALSE(q::transpose(x, {0, 1, 1, 3}, out, error));
  EXPECT_TRUE(contains(error, "not a permutation")) << error;
  EXPECT_FALSE(q::transpose(x, {0, 1}, out, error));
  // concat
  Tensor y = make({1, 3}, {1, 2, 3});
  Tensor z = make({2, 2}, {1, 2, 3, 4});
  EXPECT_FALSE(q::concat({}, {}, {}, 0, out, error));
  EXPECT_FALSE(
      q::concat({&y, &z}, {0}, {identity(), identity()}, 0, out, error));
  EXPECT_TRUE(contains(error, "one zero point and one stage")) << error;
  EXPECT_FALSE(
      q::concat({&y, &z}, {0, 0}, {identity(), identity()}, 0, out, error));
  EXPECT_TRUE(contains(error, "differ outside")) << error;
  EXPECT_FALSE(q::concat({&y}, {0}, {identity()}, 2, out, error));
  EXPECT_FALSE(q::concat({&y, nullptr}, {0, 0}, {identity(), identity()}, 0,
                         out, error));
  EXPECT_FALSE(q::concat({&y}, {0}, {stageOf({1, 1})}, 0, out, error));
}

TEST(QuantKernelsErrors, Softmax) {
  Tensor out;
  std::string error;
  SoftmaxParams p;
  ASSERT_TRUE(prepareSoftmax(QuantParams::perTensor(0.1, 0, -128, 127),
                             QuantParams::perTensor(1.0 / 256, 0, 0, 255), 4, p,
                             error));
  EXPECT_FALSE(q::softmax(make({2}, {1, 2}), 1, p, out, error));
  EXPECT_TRUE(contains(error, "axis out of range")) << error;
  EXPECT_FALSE(q::softmax(make({2}, {-128, 200}), -1, p, out, error));
  EXPECT_TRUE(contains(error, "span more than the table")) << error;
  EXPECT_FALSE(q::softmax(make({2}, {1, 2}), 0, SoftmaxParams(), out, error));
  SoftmaxParams bad = p;
  bad.expTable[3] = (INT64_C(1) << 24) + 1;
  EXPECT_FALSE(q::softmax(make({2}, {1, 2}), 0, bad, out, error));
  EXPECT_FALSE(q::softmax(make({}, {1}), 0, p, out, error));
}

} // namespace
