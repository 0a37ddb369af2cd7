//===- QuantParamsTest.cpp - Tests for the parameter preparation ----------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Unit tests for qc/runtime/QuantParams.h: quantizeValue's rounding and its
// special values, the multipliers of layers, rescales, add and mul for scales
// whose multipliers are known exactly, the clamp bounds of relu, relu6 and
// clamp, the bias and per-group checks, and the softmax table and its
// overflow limits. Expected values are worked out by hand in the comments.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/QuantParams.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

using namespace qc::rt;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int32_t kTwo30 = INT32_C(1) << 30;

QuantParams int8(double scale, int64_t zp) {
  return QuantParams::perTensor(scale, zp, -128, 127);
}

QuantParams uint8(double scale, int64_t zp) {
  return QuantParams::perTensor(scale, zp, 0, 255);
}

QuantParams int32Bias(double scale) {
  return QuantParams::perTensor(scale, 0, INT32_MIN, INT32_MAX);
}

/// Symmetric narrow-range int8 weights, one scale per output channel.
QuantParams perChannelWeights(std::vector<double> scales) {
  QuantParams p;
  p.scales = std::move(scales);
  p.zeroPoints.assign(p.scales.size(), 0);
  p.axis = 0;
  p.qmin = -127;
  p.qmax = 127;
  return p;
}

void expectMultiplier(const Multiplier &m, int32_t m0, int32_t shift) {
  EXPECT_EQ(m.m0, m0);
  EXPECT_EQ(m.shift, shift);
}

bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

//===----------------------------------------------------------------------===//
// Values and multipliers
//===----------------------------------------------------------------------===//

TEST(QuantParams, QuantizeValueRoundsHalfAwayFromZero) {
  EXPECT_EQ(quantizeValue(0.5, 1.0, 0, -128, 127), 1);
  EXPECT_EQ(quantizeValue(-0.5, 1.0, 0, -128, 127), -1);
  EXPECT_EQ(quantizeValue(2.5, 1.0, 0, -128, 127), 3);
  EXPECT_EQ(quantizeValue(-2.5, 1.0, 0, -128, 127), -3);
  EXPECT_EQ(quantizeValue(0.49, 1.0, 0, -128, 127), 0);
  // The zero point is added after rounding: round(-0.5) + 10 = 9.
  EXPECT_EQ(quantizeValue(-0.05, 0.1, 10, -128, 127), 9);
  EXPECT_EQ(quantizeValue(0.3, 0.1, -5, -128, 127), -2);
}

TEST(QuantParams, QuantizeValueClampsAndHandlesSpecialValues) {
  EXPECT_EQ(quantizeValue(1000.0, 1.0, 0, -128, 127), 127);
  EXPECT_EQ(quantizeValue(-1000.0, 1.0, 0, 0, 255), 0);
  EXPECT_EQ(quantizeValue(kInf, 0.1, 3, -128, 127), 127);
  EXPECT_EQ(quantizeValue(-kInf, 0.1, 3, -128, 127), -128);
  EXPECT_EQ(quantizeValue(std::nan(""), 0.1, 3, -128, 127), 3);
  EXPECT_EQ(quantizeValue(1e300, 1e-300, 0, INT32_MIN, INT32_MAX), INT32_MAX);
  // Bounds wider than int32 are narrowed to int32 first.
  EXPECT_EQ(quantizeValue(-1e30, 1.0, 0, INT64_MIN, INT64_MAX), INT32_MIN);
  // An empty range yields its upper end, like qc_requantize.
  EXPECT_EQ(quantizeValue(-100.0, 1.0, 0, 10, 5), 5);
}

TEST(QuantParams, QuantizeValueHalfEvenRoundsTiesToEven) {
  EXPECT_EQ(quantizeValueHalfEven(0.5f, 1.0f, 0, -128, 127), 0);
  EXPECT_EQ(quantizeValueHalfEven(1.5f, 1.0f, 0, -128, 127), 2);
  EXPECT_EQ(quantizeValueHalfEven(2.5f, 1.0f, 0, -128, 127), 2);
  EXPECT_EQ(quantizeValueHalfEven(-2.5f, 1.0f, 0, -128, 127), -2);
  EXPECT_EQ(quantizeValueHalfEven(-3.5f, 1.0f, 0, -128, 127), -4);
  // ONNX's test_quantizelinear: x / 2 + 128 on uint8.
  EXPECT_EQ(quantizeValueHalfEven(3.0f, 2.0f, 128, 0, 255), 130);
  EXPECT_EQ(quantizeValueHalfEven(-254.0f, 2.0f, 128, 0, 255), 1);
  EXPECT_EQ(quantizeValueHalfEven(1000.0f, 2.0f, 128, 0, 255), 255);
  EXPECT_EQ(quantizeValueHalfEven(std::nanf(""), 2.0f, 128, 0, 255), 128);
  EXPECT_EQ(quantizeValueHalfEven(-HUGE_VALF, 0.5f, 3, -128, 127), -128);
}

TEST(QuantParams, QuantizeValueHalfEvenDividesInFloat32) {
  // The float32 quotient of x / S decides, not the exact one: the float
  // nearest 2.5 * 0.1f divided by 0.1f rounds to exactly 2.5 in float32
  // (a tie, to 2) but to just below or above 2.5 in double.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> scales(1e-4f, 10.0f);
  std::uniform_int_distribution<int> halves(-600, 600);
  int ties = 0;
  for (int i = 0; i < 200000; ++i) {
    float s = scales(rng);
    float x = static_cast<float>(halves(rng) * 0.5) * s;
    float q = x / s;
    // Reference: ties to even by hand on the float32 quotient.
    double fl = std::floor(static_cast<double>(q));
    double frac = static_cast<double>(q) - fl;
    double r = frac > 0.5   ? fl + 1
               : frac < 0.5 ? fl
                            : (std::fmod(fl, 2.0) == 0 ? fl : fl + 1);
    ties += frac == 0.5;
    int32_t expected =
        static_cast<int32_t>(std::clamp(r + 5.0, -1000.0, 1000.0));
    ASSERT_EQ(quantizeValueHalfEven(x, s, 5, -1000, 1000), expected)
        << "x=" << x << " s=" << s;
  }
  EXPECT_GT(ties, 10000); // the sample exercises ties
}

TEST(QuantParams, DequantizeValue) {
  EXPECT_DOUBLE_EQ(dequantizeValue(10, 0.5, 4), 3.0);
  EXPECT_DOUBLE_EQ(dequantizeValue(-128, 0.25, 0), -32.0);
  EXPECT_DOUBLE_EQ(dequantizeValue(INT64_MIN, 1.0, 1), -0x1p63);
}

TEST(QuantParams, QuantizeMultiplierKnownValues) {
  expectMultiplier(quantizeMultiplier(1.0), kTwo30, 1);
  expectMultiplier(quantizeMultiplier(0.5), kTwo30, 0);
  expectMultiplier(quantizeMultiplier(0.25), kTwo30, -1);
  // 0.75 = 0.75 * 2^0; round(0.75 * 2^31) = 1610612736.
  expectMultiplier(quantizeMultiplier(0.75), 1610612736, 0);
  // 0.3 = 0.6 * 2^-1; round(0.6 * 2^31) = 1288490189.
  expectMultiplier(quantizeMultiplier(0.3), 1288490189, -1);
  expectMultiplier(quantizeMultiplier(0.0), 0, 0);
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

TEST(QuantParams, LayerMultiplierPerTensor) {
  // M = 0.5 * 0.25 / 0.125 = 1 -> (2^30, 1).
  OutputStage stage;
  std::string error;
  ASSERT_TRUE(prepareLayer(int8(0.5, 3),
                           QuantParams::perTensor(0.25, 0, -127, 127), nullptr,
                           uint8(0.125, 7), stage, error))
      << error;
  ASSERT_EQ(stage.multipliers.size(), 1u);
  expectMultiplier(stage.multipliers[0], kTwo30, 1);
  EXPECT_EQ(stage.zeroPoint, 7);
  EXPECT_EQ(stage.lo, 0);
  EXPECT_EQ(stage.hi, 255);
}

TEST(QuantParams, LayerMultiplierPerChannel) {
  // M[c] = 0.5 * S_w[c] / 0.125 = 4 S_w[c]: 1, 0.5, 0.3.
  OutputStage stage;
  std::string error;
  QuantParams bias;
  bias.scales = {0.125, 0.0625, 0.0375};
  bias.zeroPoints = {0, 0, 0};
  bias.axis = 0;
  bias.qmin = INT32_MIN;
  bias.qmax = INT32_MAX;
  ASSERT_TRUE(prepareLayer(int8(0.5, 0),
                           perChannelWeights({0.25, 0.125, 0.075}), &bias,
                           int8(0.125, -3), stage, error))
      << error;
  ASSERT_EQ(stage.multipliers.size(), 3u);
  expectMultiplier(stage.multipliers[0], kTwo30, 1);
  expectMultiplier(stage.multipliers[1], kTwo30, 0);
  expectMultiplier(stage.multipliers[2], 1288490189, -1);
  EXPECT_EQ(stage.zeroPoint, -3);
  EXPECT_EQ(stage.lo, -128);
  EXPECT_EQ(stage.hi, 127);
}

TEST(QuantParams, LayerRejectsPerGroupWeights) {
  QuantParams w = perChannelWeights({0.1, 0.2});
  w.groupSize = 32;
  OutputStage stage;
  std::string error;
  EXPECT_FALSE(
      prepareLayer(int8(0.5, 0), w, nullptr, int8(0.1, 0), stage, error));
  EXPECT_EQ(error, "per-group weights are not supported by the integer "
                   "kernels");
}

TEST(QuantParams, LayerBiasChecks) {
  OutputStage stage;
  std::string error;
  QuantParams in = int8(0.5, 1), w = perChannelWeights({0.25, 0.125});
  QuantParams out = int8(0.1, 0);
  // Per-tensor bias against per-channel weights: channel 1 expects 0.0625.
  QuantParams bias = int32Bias(0.125);
  EXPECT_FALSE(prepareLayer(in, w, &bias, out, stage, error));
  EXPECT_TRUE(contains(error, "channel 1")) << error;
  EXPECT_TRUE(contains(error, "1e-4 relative")) << error;

  // Within the tolerance (5e-5 relative) is accepted.
  QuantParams close = int32Bias(0.125 * (1 + 5e-5));
  ASSERT_TRUE(prepareLayer(in, int8(0.25, 0), &close, out, stage, error))
      << error;
  // Just outside it (2e-4) is not.
  QuantParams far = int32Bias(0.125 * (1 + 2e-4));
  EXPECT_FALSE(prepareLayer(in, int8(0.25, 0), &far, out, stage, error));

  QuantParams shifted = int32Bias(0.125);
  shifted.zeroPoints = {5};
  EXPECT_FALSE(prepareLayer(in, int8(0.25, 0), &shifted, out, stage, error));
  EXPECT_TRUE(contains(error, "bias: zero point must be 0")) << error;

  QuantParams threeChannels = perChannelWeights({0.125, 0.0625, 0.03125});
  threeChannels.qmin = INT32_MIN;
  threeChannels.qmax = INT32_MAX;
  EXPECT_FALSE(prepareLayer(in, w, &threeChannels, out, stage, error));
  EXPECT_TRUE(contains(error, "do not match")) << error;
}

TEST(QuantParams, LayerRejectsInvalidParameters) {
  OutputStage stage;
  std::string error;
  QuantParams w = int8(0.25, 0);
  EXPECT_FALSE(
      prepareLayer(int8(-0.5, 0), w, nullptr, int8(0.1, 0), stage, error));
  EXPECT_TRUE(contains(error, "input: scale")) << error;
  EXPECT_FALSE(prepareLayer(int8(std::nan(""), 0), w, nullptr, int8(0.1, 0),
                            stage, error));
  EXPECT_FALSE(
      prepareLayer(int8(0.5, 200), w, nullptr, int8(0.1, 0), stage, error));
  EXPECT_TRUE(contains(error, "outside the storage range")) << error;
  QuantParams twoScales = int8(0.5, 0);
  twoScales.scales.push_back(0.25);
  twoScales.zeroPoints.push_back(0);
  EXPECT_FALSE(prepareLayer(twoScales, w, nullptr, int8(0.1, 0), stage, error));
  EXPECT_TRUE(contains(error, "exactly one scale")) << error;
  QuantParams lengths = perChannelWeights({0.1, 0.2});
  lengths.zeroPoints.pop_back();
  EXPECT_FALSE(
      prepareLayer(int8(0.5, 0), lengths, nullptr, int8(0.1, 0), stage, error));
  // A per-axis output does not fit a layer's single output zero point.
  QuantParams axisOut = perChannelWeights({0.1, 0.2});
  EXPECT_FALSE(prepareLayer(int8(0.5, 0), w, nullptr, axisOut, stage, error));
  EXPECT_TRUE(contains(error, "output: must be quantized per tensor")) << error;
}

TEST(QuantParams, LayerMultiplierRange) {
  OutputStage stage;
  std::string error;
  // M = 1e3 * 1e3 / 1e-6 = 1e12 >= 2^31: refused rather than saturated.
  EXPECT_FALSE(prepareLayer(int8(1e3, 0), int8(1e3, 0), nullptr, int8(1e-6, 0),
                            stage, error));
  EXPECT_TRUE(contains(error, "not below 2^31")) << error;
  // A multiplier below 2^-32 flushes to zero, as in TFLite.
  ASSERT_TRUE(prepareLayer(int8(1e-6, 0), int8(1e-6, 0), nullptr, int8(1, 0),
                           stage, error))
      << error;
  expectMultiplier(stage.multipliers[0], 0, 0);
}

//===----------------------------------------------------------------------===//
// Rescales and clamps
//===----------------------------------------------------------------------===//

TEST(QuantParams, RescaleMultiplierAndStorageRange) {
  OutputStage stage;
  std::string error;
  // M = 0.3 / 0.6 = 0.5; no clamp: the output storage range.
  ASSERT_TRUE(
      prepareRescale(int8(0.3, 0), uint8(0.6, 128), -kInf, kInf, stage, error))
      << error;
  expectMultiplier(stage.multipliers[0], kTwo30, 0);
  EXPECT_EQ(stage.zeroPoint, 128);
  EXPECT_EQ(stage.lo, 0);
  EXPECT_EQ(stage.hi, 255);
}

TEST(QuantParams, ReluRelu6AndClampBounds) {
  OutputStage stage;
  std::string error;
  QuantParams out = int8(0.05, -10);
  // relu: realLo = 0 -> the zero point.
  ASSERT_TRUE(prepareRescale(int8(0.05, -10), out, 0.0, kInf, stage, error));
  EXPECT_EQ(stage.lo, -10);
  EXPECT_EQ(stage.hi, 127);
  // relu6: 6 / 0.05 = 120, + (-10) = 110.
  ASSERT_TRUE(prepareRescale(int8(0.05, -10), out, 0.0, 6.0, stage, error));
  EXPECT_EQ(stage.lo, -10);
  EXPECT_EQ(stage.hi, 110);
  // clamp [-0.125, 0.125] with scale 0.1: round(-1.25) = -1, round(1.25) = 1.
  ASSERT_TRUE(
      prepareRescale(int8(0.1, 0), int8(0.1, 0), -0.125, 0.125, stage, error));
  EXPECT_EQ(stage.lo, -1);
  EXPECT_EQ(stage.hi, 1);
  // A bound beyond the storage range stays at the storage range.
  ASSERT_TRUE(
      prepareRescale(int8(0.1, 0), int8(0.1, 0), -100.0, 100.0, stage, error));
  EXPECT_EQ(stage.lo, -128);
  EXPECT_EQ(stage.hi, 127);
  // relu on uint8 with zero point 0: lo is 0 as well.
  ASSERT_TRUE(
      prepareRescale(uint8(0.1, 0), uint8(0.1, 0), 0.0, kInf, stage, error));
  EXPECT_EQ(stage.lo, 0);
  EXPECT_EQ(stage.hi, 255);
}

TEST(QuantParams, FuseClampNarrowsALayerStage) {
  OutputStage stage;
  std::string error;
  QuantParams out = uint8(6.0 / 255, 0);
  ASSERT_TRUE(
      prepareLayer(uint8(0.5, 3), int8(0.25, 0), nullptr, out, stage, error));
  ASSERT_TRUE(fuseClamp(out, 0.0, 3.0, stage, error)) << error;
  EXPECT_EQ(stage.lo, 0);
  EXPECT_EQ(stage.hi, 128); // round(3 * 255 / 6) = round(127.5) = 128
  expectMultiplier(stage.multipliers[0], 1426063360, 3); // M = 5.3125
}

TEST(QuantParams, RescaleErrors) {
  OutputStage stage;
  std::string error;
  EXPECT_FALSE(
      prepareRescale(int8(0.1, 0), int8(0.1, 0), 1.0, -1.0, stage, error));
  EXPECT_TRUE(contains(error, "empty or NaN")) << error;
  EXPECT_FALSE(prepareRescale(int8(0.1, 0), int8(0.1, 0), std::nan(""), 1.0,
                              stage, error));
  // Per-axis output needs a per-axis input with as many channels.
  QuantParams axis2 = perChannelWeights({0.1, 0.2});
  QuantParams axis3 = perChannelWeights({0.1, 0.2, 0.3});
  EXPECT_FALSE(prepareRescale(int8(0.1, 0), axis2, -kInf, kInf, stage, error));
  EXPECT_TRUE(contains(error, "only when the input is per axis")) << error;
  EXPECT_FALSE(prepareRescale(axis3, axis2, -kInf, kInf, stage, error));
  EXPECT_TRUE(contains(error, "do not match")) << error;
  // Per-axis zero points must agree (one stage zero point).
  QuantParams zps = axis2;
  zps.zeroPoints = {0, 1};
  EXPECT_FALSE(prepareRescale(axis2, zps, -kInf, kInf, stage, error));
  EXPECT_TRUE(contains(error, "zero points must all be equal")) << error;
  // relu6 quantizes to 60 and 30 on the two channels: not one [lo, hi].
  EXPECT_FALSE(prepareRescale(axis2, axis2, 0.0, 6.0, stage, error));
  EXPECT_TRUE(contains(error, "differently per channel")) << error;
}

TEST(QuantParams, PerAxisRescale) {
  OutputStage stage;
  std::string error;
  QuantParams in = perChannelWeights({0.1, 0.2, 0.05});
  // Per-axis input to per-tensor output: M[c] = S_in[c] / 0.1.
  ASSERT_TRUE(prepareRescale(in, int8(0.1, 0), 0.0, kInf, stage, error))
      << error;
  ASSERT_EQ(stage.multipliers.size(), 3u);
  expectMultiplier(stage.multipliers[0], kTwo30, 1);
  expectMultiplier(stage.multipliers[1], kTwo30, 2);
  expectMultiplier(stage.multipliers[2], kTwo30, 0);
  EXPECT_EQ(stage.lo, 0);
  // Per-axis to per-axis: identity multipliers, relu bound 0 on every
  // channel.
  ASSERT_TRUE(prepareRescale(in, in, 0.0, kInf, stage, error)) << error;
  for (const Multiplier &m : stage.multipliers)
    expectMultiplier(m, kTwo30, 1);
}

//===----------------------------------------------------------------------===//
// Add and mul
//===----------------------------------------------------------------------===//

TEST(QuantParams, AddParams) {
  AddParams p;
  std::string error;
  // twice_max = 1: M_a = 0.5, M_b = 0.25, M_out = 1 / (2^20 * 0.5) = 2^-19.
  ASSERT_TRUE(
      prepareAdd(int8(0.5, 3), int8(0.25, -4), uint8(0.5, 100), 8, p, error))
      << error;
  EXPECT_EQ(p.leftShift, 20);
  EXPECT_EQ(p.zeroPointA, 3);
  EXPECT_EQ(p.zeroPointB, -4);
  expectMultiplier(p.multiplierA, kTwo30, 0);
  expectMultiplier(p.multiplierB, kTwo30, -1);
  ASSERT_EQ(p.output.multipliers.size(), 1u);
  expectMultiplier(p.output.multipliers[0], kTwo30, -18);
  EXPECT_EQ(p.output.zeroPoint, 100);
  EXPECT_EQ(p.output.lo, 0);
  EXPECT_EQ(p.output.hi, 255);

  QuantParams i16 = QuantParams::perTensor(0.5, 0, -32768, 32767);
  ASSERT_TRUE(prepareAdd(i16, i16, i16, 16, p, error)) << error;
  EXPECT_EQ(p.leftShift, 15);
  // M_out = 1 / (2^15 * 0.5) = 2^-14.
  expectMultiplier(p.output.multipliers[0], kTwo30, -13);
}

TEST(QuantParams, AddRejectsWideStorage) {
  AddParams p;
  std::string error;
  EXPECT_FALSE(
      prepareAdd(int32Bias(0.5), int32Bias(0.5), int32Bias(0.5), 32, p, error));
  EXPECT_TRUE(contains(error, "at most 16 bits")) << error;
  EXPECT_FALSE(
      prepareAdd(int8(0.5, 0), int8(0.5, 0), int8(0.5, 0), 0, p, error));
  // A 16-bit range declared as 8-bit storage would overflow the shift.
  QuantParams i16 = QuantParams::perTensor(0.5, 0, -32768, 32767);
  EXPECT_FALSE(prepareAdd(i16, int8(0.5, 0), int8(0.5, 0), 8, p, error));
  EXPECT_TRUE(contains(error, "wider than 8 bits")) << error;
  EXPECT_FALSE(prepareAdd(perChannelWeights({0.1, 0.2}), int8(0.5, 0),
                          int8(0.5, 0), 8, p, error));
}

TEST(QuantParams, MulParams) {
  MulParams p;
  std::string error;
  // M = 0.5 * 0.25 / 0.5 = 0.25.
  ASSERT_TRUE(
      prepareMul(int8(0.5, 1), uint8(0.25, 128), int8(0.5, -2), p, error))
      << error;
  EXPECT_EQ(p.zeroPointA, 1);
  EXPECT_EQ(p.zeroPointB, 128);
  expectMultiplier(p.output.multipliers[0], kTwo30, -1);
  EXPECT_EQ(p.output.zeroPoint, -2);
  // Symmetric int16: |a - Z| <= 2^15, product <= 2^30: fine.
  QuantParams i16 = QuantParams::perTensor(0.5, 0, -32768, 32767);
  EXPECT_TRUE(prepareMul(i16, i16, i16, p, error)) << error;
  // Asymmetric int16 and int32 activations could overflow int32.
  QuantParams skewed = QuantParams::perTensor(0.5, -32768, -32768, 32767);
  EXPECT_FALSE(prepareMul(skewed, skewed, i16, p, error));
  EXPECT_TRUE(contains(error, "can exceed int32")) << error;
  EXPECT_FALSE(prepareMul(int32Bias(1.0), int8(0.5, 0), int8(1, 0), p, error));
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

TEST(QuantParams, SoftmaxTable) {
  SoftmaxParams p;
  std::string error;
  ASSERT_TRUE(
      prepareSoftmax(int8(1.0 / 16, 0), uint8(1.0 / 256, 0), 10, p, error))
      << error;
  ASSERT_EQ(p.expTable.size(), 256u);
  EXPECT_EQ(p.expTable[0], INT64_C(1) << 24);
  // round(2^24 exp(-1/16)) = round(15760735.87) and round(2^24 exp(-1)) =
  // round(6171992.85).
  EXPECT_EQ(p.expTable[1], 15760736);
  EXPECT_EQ(p.expTable[16], 6171993);
  for (size_t d = 1; d < p.expTable.size(); ++d) {
    EXPECT_LE(p.expTable[d], p.expTable[d - 1]) << d;
    // Strictly decreasing while the steps are larger than the rounding.
    if (p.expTable[d - 1] > 64) {
      EXPECT_LT(p.expTable[d], p.expTable[d - 1]) << d;
    }
    EXPECT_GE(p.expTable[d], 0);
  }
  EXPECT_EQ(p.reciprocalScale, INT64_C(1) << 28); // round(2^20 * 256)
  EXPECT_EQ(p.zeroPoint, 0);
  EXPECT_EQ(p.lo, 0);
  EXPECT_EQ(p.hi, 255);
  // The table spans the input storage range: 65536 entries for int16.
  ASSERT_TRUE(prepareSoftmax(QuantParams::perTensor(1e-3, 0, -32768, 32767),
                             int8(1.0 / 256, -128), 10, p, error))
      << error;
  EXPECT_EQ(p.expTable.size(), 65536u);
  EXPECT_EQ(p.zeroPoint, -128);
}

TEST(QuantParams, SoftmaxRejectsOverflow) {
  SoftmaxParams p;
  std::string error;
  // R = round(2^20 / 2^-19) = 2^39 > 2^38: T * R could overflow int64.
  EXPECT_FALSE(prepareSoftmax(int8(0.1, 0), uint8(std::ldexp(1.0, -19), 0), 10,
                              p, error));
  EXPECT_TRUE(contains(error, "outside [1, 2^38]")) << error;
  // R = 2^38 exactly is still fine.
  EXPECT_TRUE(prepareSoftmax(int8(0.1, 0), uint8(std::ldexp(1.0, -18), 0), 10,
                             p, error))
      << error;
  // S_out so large that R rounds to 0.
  EXPECT_FALSE(prepareSoftmax(int8(0.1, 0), uint8(1e7, 0), 10, p, error));
  // classes * 2^44 must stay below 2^63.
  EXPECT_FALSE(prepareSoftmax(int8(0.1, 0), uint8(1.0 / 256, 0),
                              INT64_C(1) << 19, p, error));
  EXPECT_TRUE(contains(error, "classes * 2^44")) << error;
  EXPECT_TRUE(prepareSoftmax(int8(0.1, 0), uint8(1.0 / 256, 0),
                             (INT64_C(1) << 19) - 1, p, error));
  EXPECT_FALSE(prepareSoftmax(int8(0.1, 0), uint8(1.0 / 256, 0), 0, p, error));
  // An int32 input range would need a 2^32-entry table.
  EXPECT_FALSE(
      prepareSoftmax(int32Bias(0.1), uint8(1.0 / 256, 0), 10, p, error));
  EXPECT_TRUE(contains(error, "too wide")) << error;
}

} // namespace
