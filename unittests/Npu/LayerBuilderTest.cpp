//===- LayerBuilderTest.cpp - Built conv2d / FC programs ------------------===//
//
// Part of the quant project.
//
// Programs from buildConv2d / buildFullyConnected run on the simulator and
// compared bit for bit with rt::q::conv2d on the same data, over random
// shapes, strides, paddings, types, multipliers and roundings; their
// semaphores balanced; layers that do not fit rejected with an error.
//
//===----------------------------------------------------------------------===//

#include "qc/npu/LayerBuilder.h"
#include "qc/npu/Simulator.h"
#include "qc/runtime/QuantKernels.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <random>

using namespace qc::npu;
namespace rt = qc::rt;

namespace {

int rand(std::mt19937_64 &rng, int lo, int hi) {
  return lo + static_cast<int>(rng() % uint64_t(hi - lo + 1));
}

int32_t asValue(uint8_t b, bool isSigned) {
  return isSigned ? static_cast<int8_t>(b) : b;
}

/// A layer with random data; the output stage from rt::quantizeMultiplier.
ConvLayer randomLayer(std::mt19937_64 &rng, int H, int W, int Cin, int Cout,
                      int KH, int KW) {
  ConvLayer l;
  l.H = H, l.W = W, l.Cin = Cin, l.Cout = Cout, l.KH = KH, l.KW = KW;
  l.inSigned = rng() % 2;
  l.inZp = l.inSigned ? rand(rng, -20, 20) : rand(rng, 100, 150);
  l.wZp = rng() % 3 == 0 ? rand(rng, -3, 3) : 0;
  l.outSigned = rng() % 2;
  l.weights.resize(size_t(Cout) * KH * KW * Cin);
  for (int8_t &w : l.weights)
    w = static_cast<int8_t>(rng());
  if (rng() % 4 != 0) {
    l.bias.resize(Cout);
    for (int32_t &b : l.bias)
      b = rand(rng, -20000, 20000);
  }
  double base = 0.01 / std::sqrt(double(KH) * KW * Cin);
  int nm = rng() % 2 ? Cout : 1;
  for (int k = 0; k < nm; ++k)
    l.stage.multipliers.push_back(
        rt::quantizeMultiplier(base * (0.2 + 2.0 * (rng() % 1000) / 1000.0)));
  l.stage.rounding = static_cast<rt::Rounding>(rng() % 4);
  l.stage.zeroPoint = l.outSigned ? rand(rng, -10, 10) : rand(rng, 120, 136);
  l.stage.lo = l.outSigned ? -128 : 0;
  l.stage.hi = l.outSigned ? 127 : 255;
  if (rng() % 5 == 0) // a fused relu-like clamp
    l.stage.lo = l.stage.zeroPoint;
  return l;
}

/// Every semaphore is signalled as often as it is waited on.
void expectBalanced(const std::vector<Instr> &p) {
  std::array<int, kNumSemaphores> count{};
  for (const Instr &i : p) {
    if (i.signal.valid)
      ++count[i.signal.id];
    if (i.wait0.valid)
      --count[i.wait0.id];
    if (i.wait1.valid)
      --count[i.wait1.id];
  }
  for (unsigned s = 0; s < kNumSemaphores; ++s)
    EXPECT_EQ(count[s], 0) << "semaphore " << s;
}

/// Builds, runs and compares with rt::q::conv2d; returns the run.
RunResult checkLayer(const ConvLayer &l, std::mt19937_64 &rng,
                     const NpuConfig &config = NpuConfig()) {
  RunResult r;
  BuiltProgram built = buildConv2d(l, config);
  EXPECT_TRUE(built.ok()) << built.error;
  if (!built.ok())
    return r;
  expectBalanced(built.instrs);

  rt::Tensor x(rt::DType::I32, {1, l.H, l.W, l.Cin});
  std::vector<uint8_t> xBytes(x.numElements());
  EXPECT_EQ(xBytes.size(), built.inputBytes);
  for (size_t k = 0; k < xBytes.size(); ++k) {
    xBytes[k] = static_cast<uint8_t>(rng());
    x.data<int32_t>()[k] = asValue(xBytes[k], l.inSigned);
  }
  rt::Tensor wt(rt::DType::I32, {l.Cout, l.KH, l.KW, l.Cin});
  for (size_t k = 0; k < l.weights.size(); ++k)
    wt.data<int32_t>()[k] = l.weights[k];
  rt::Tensor bias(rt::DType::I32, {l.Cout});
  for (int o = 0; o < l.Cout; ++o)
    bias.data<int32_t>()[o] = l.bias.empty() ? 0 : l.bias[o];
  rt::ConvAttrs attrs;
  attrs.strideH = l.strideH, attrs.strideW = l.strideW;
  attrs.padTop = l.padTop, attrs.padBottom = l.padBottom;
  attrs.padLeft = l.padLeft, attrs.padRight = l.padRight;
  rt::Tensor want;
  std::string error;
  bool refOk =
      rt::q::conv2d(x, l.inZp, wt, {l.wZp}, l.bias.empty() ? nullptr : &bias,
                    attrs, l.stage, want, error);
  EXPECT_TRUE(refOk) << error;
  if (!refOk)
    return r;
  EXPECT_EQ(size_t(want.numElements()), built.outputBytes);

  std::vector<uint8_t> outBytes(built.outputBytes, 0x5A);
  std::vector<uint8_t> constants = built.constants;
  std::vector<HostBuffer> buffers = {{constants.data(), constants.size()},
                                     {xBytes.data(), xBytes.size()},
                                     {outBytes.data(), outBytes.size()}};
  Simulator sim(config);
  r = sim.run(built.instrs, buffers);
  EXPECT_TRUE(r.ok) << r.error;
  if (!r.ok)
    return r;
  for (int64_t k = 0; k < want.numElements(); ++k) {
    EXPECT_EQ(asValue(outBytes[k], l.outSigned), want.data<int32_t>()[k])
        << "element " << k;
    if (asValue(outBytes[k], l.outSigned) != want.data<int32_t>()[k])
      break;
  }
  EXPECT_EQ(r.macs, built.macs);
  EXPECT_EQ(r.macs, uint64_t(want.numElements()) * l.KH * l.KW * l.Cin);
  EXPECT_GT(r.utilisation, 0.0);
  EXPECT_LE(r.utilisation, 1.0);
  return r;
}

std::string describe(const ConvLayer &l) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "H=%d W=%d Cin=%d Cout=%d K=%dx%d s=%d,%d pad=%d,%d,%d,%d "
                "in%s zp=%d wZp=%d out%s m=%zu rounding=%d bias=%d",
                l.H, l.W, l.Cin, l.Cout, l.KH, l.KW, l.strideH, l.strideW,
                l.padTop, l.padBottom, l.padLeft, l.padRight,
                l.inSigned ? "i8" : "u8", l.inZp, l.wZp,
                l.outSigned ? "i8" : "u8", l.stage.multipliers.size(),
                int(l.stage.rounding), int(!l.bias.empty()));
  return buf;
}

TEST(NpuLayerBuilder, PointwiseConvMatchesReference) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    ConvLayer l = randomLayer(rng, rand(rng, 1, 20), rand(rng, 1, 20),
                              rand(rng, 1, 40), rand(rng, 1, 40), 1, 1);
    SCOPED_TRACE(describe(l));
    checkLayer(l, rng);
  }
}

TEST(NpuLayerBuilder, RandomConvsMatchReference) {
  std::mt19937_64 rng(12);
  const int kernels[4][2] = {{1, 1}, {3, 3}, {5, 5}, {1, 3}};
  int run = 0;
  while (run < 150) {
    const int *k = kernels[rng() % 4];
    ConvLayer l = randomLayer(rng, rand(rng, 1, 20), rand(rng, 1, 20),
                              rand(rng, 1, 40), rand(rng, 1, 40), k[0], k[1]);
    l.strideH = rand(rng, 1, 2);
    l.strideW = rand(rng, 1, 2);
    l.padTop = rand(rng, 0, 2), l.padBottom = rand(rng, 0, 2);
    l.padLeft = rand(rng, 0, 2), l.padRight = rand(rng, 0, 2);
    if (l.H + l.padTop + l.padBottom < l.KH ||
        l.W + l.padLeft + l.padRight < l.KW)
      continue;
    ++run;
    SCOPED_TRACE(describe(l));
    checkLayer(l, rng);
  }
}

TEST(NpuLayerBuilder, GroupsAndBandsWithSmallMemories) {
  // A small ACC and ISP force several bands per group and one slot.
  std::mt19937_64 rng(13);
  int multiBand = 0, multiGroup = 0, rejected = 0;
  for (int trial = 0; trial < 40; ++trial) {
    NpuConfig config;
    config.cols = static_cast<uint32_t>(rand(rng, 1, 16));
    config.accEntries = static_cast<uint32_t>(rand(rng, 64, 2048));
    config.ispBytes = 8192;
    config.wspBytes = 4096;
    ConvLayer l = randomLayer(rng, rand(rng, 3, 20), rand(rng, 3, 12),
                              rand(rng, 1, 12), rand(rng, 1, 40), 3, 3);
    l.padTop = l.padBottom = l.padLeft = l.padRight = 1;
    l.strideH = rand(rng, 1, 2);
    SCOPED_TRACE(describe(l) + " C=" + std::to_string(config.cols) +
                 " acc=" + std::to_string(config.accEntries));
    BuiltProgram b = buildConv2d(l, config);
    if (!b.ok()) {
      EXPECT_NE(b.error.find("does not fit"), std::string::npos) << b.error;
      ++rejected;
      continue;
    }
    multiBand += b.bands > 1;
    multiGroup += b.groups > 1;
    checkLayer(l, rng, config);
  }
  EXPECT_GE(multiBand, 10);
  EXPECT_GE(multiGroup, 10);
  EXPECT_LE(rejected, 10);
}

TEST(NpuLayerBuilder, EveryWayOfLoadingThePaddedInput) {
  std::mt19937_64 rng(17);
  // {H, W, top, bottom, left, right}: rows dense (no left/right padding),
  // middle rows loaded whole then borders filled, and the fallback (H < 3
  // or W < a padding).
  const int cases[][6] = {{5, 4, 2, 1, 0, 0}, {1, 3, 0, 0, 0, 0},
                          {6, 5, 1, 2, 2, 1}, {3, 2, 0, 0, 2, 2},
                          {2, 6, 1, 1, 1, 1}, {7, 1, 1, 1, 2, 0},
                          {9, 3, 0, 2, 1, 2}};
  for (const auto &c : cases) {
    ConvLayer l =
        randomLayer(rng, c[0], c[1], rand(rng, 1, 20), rand(rng, 1, 20), 3, 3);
    l.padTop = c[2], l.padBottom = c[3], l.padLeft = c[4], l.padRight = c[5];
    if (l.H + l.padTop + l.padBottom < 3 || l.W + l.padLeft + l.padRight < 3)
      l.KH = l.KW = 1, l.weights.resize(size_t(l.Cout) * l.Cin);
    SCOPED_TRACE(describe(l));
    checkLayer(l, rng);
  }
}

TEST(NpuLayerBuilder, FullyConnectedMatchesReference) {
  std::mt19937_64 rng(14);
  for (int trial = 0; trial < 20; ++trial) {
    ConvLayer c = randomLayer(rng, 1, rand(rng, 1, 30), rand(rng, 1, 100),
                              rand(rng, 1, 40), 1, 1);
    FcLayer f;
    f.M = c.W, f.K = c.Cin, f.N = c.Cout;
    f.inSigned = c.inSigned, f.inZp = c.inZp, f.weights = c.weights;
    f.wZp = c.wZp, f.bias = c.bias, f.outSigned = c.outSigned;
    f.stage = c.stage;
    BuiltProgram fromFc = buildFullyConnected(f);
    BuiltProgram fromConv = buildConv2d(c);
    ASSERT_TRUE(fromFc.ok()) << fromFc.error;
    EXPECT_EQ(fromFc.instrs, fromConv.instrs);
    EXPECT_EQ(fromFc.constants, fromConv.constants);
    SCOPED_TRACE(describe(c));
    checkLayer(c, rng);
  }
}

TEST(NpuLayerBuilder, CyclesAndUtilisationOfTypicalLayers) {
  std::mt19937_64 rng(15);
  struct Shape {
    int H, W, Cin, Cout;
  } shapes[] = {{28, 28, 16, 16}, {16, 16, 8, 8}};
  for (const Shape &s : shapes) {
    ConvLayer l = randomLayer(rng, s.H, s.W, s.Cin, s.Cout, 3, 3);
    l.padTop = l.padBottom = l.padLeft = l.padRight = 1;
    RunResult r = checkLayer(l, rng);
    ASSERT_TRUE(r.ok);
    std::printf("[ conv %dx%dx%d -> %d 3x3 pad 1 ] cycles %llu, MACs %llu, "
                "utilisation %.1f%%\n",
                s.H, s.W, s.Cin, s.Cout, (unsigned long long)r.cycles,
                (unsigned long long)r.macs, 100.0 * r.utilisation);
  }
}

TEST(NpuLayerBuilder, LayersThatDoNotFitAreRejected) {
  std::mt19937_64 rng(16);
  ConvLayer big = randomLayer(rng, 200, 200, 16, 8, 3, 3);
  big.padTop = big.padBottom = big.padLeft = big.padRight = 1;
  BuiltProgram b = buildConv2d(big);
  EXPECT_FALSE(b.ok());
  EXPECT_NE(
      b.error.find("the padded input (652864 bytes) does not fit the ISP"),
      std::string::npos)
      << b.error;
  EXPECT_TRUE(b.instrs.empty());

  ConvLayer wide = randomLayer(rng, 5, 5, 2000, 16, 5, 5); // 800 KB of tiles
  b = buildConv2d(wide);
  EXPECT_NE(b.error.find("do not fit the WSP"), std::string::npos) << b.error;

  NpuConfig tiny;
  tiny.accEntries = 100;
  ConvLayer row = randomLayer(rng, 4, 64, 4, 16, 1, 1); // 64 * 16 > 100
  b = buildConv2d(row, tiny);
  EXPECT_NE(b.error.find("does not fit the ACC"), std::string::npos) << b.error;

  ConvLayer l = randomLayer(rng, 4, 4, 4, 4, 3, 3);
  l.dilationH = 2;
  EXPECT_NE(buildConv2d(l).error.find("dilation"), std::string::npos);
  l = randomLayer(rng, 4, 4, 4, 4, 3, 3);
  l.weights.pop_back();
  EXPECT_NE(buildConv2d(l).error.find("weights"), std::string::npos);
  l = randomLayer(rng, 4, 4, 4, 4, 3, 3);
  l.stage.multipliers.assign(3, rt::Multiplier{1 << 30, 0});
  EXPECT_NE(buildConv2d(l).error.find("multiplier"), std::string::npos);
  l = randomLayer(rng, 2, 2, 4, 4, 3, 3); // kernel larger than the input
  EXPECT_NE(buildConv2d(l).error.find("kernel"), std::string::npos);
  l = randomLayer(rng, 4, 4, 4, 4, 3, 3);
  l.padTop = 1;
  l.inSigned = true;
  l.inZp = 200; // no byte of the input type
  EXPECT_NE(buildConv2d(l).error.find("zero point"), std::string::npos);
  l = randomLayer(rng, 4, 4, 4, 4, 3, 3);
  l.wZp = 1 << 20; // sums beyond int32
  EXPECT_NE(buildConv2d(l).error.find("int32"), std::string::npos);
  l = randomLayer(rng, 4, 4, 4, 4, 3, 3);
  l.Cin = 0;
  EXPECT_FALSE(buildConv2d(l).ok());
}

} // namespace
