//===- SimulatorTest.cpp - QNPU-1 functional semantics --------------------===//
//
// Part of the quant project.
//
// The simulator against straightforward loops and against the reference
// runtime's kernels (rt::q::conv2d, add, maxPool2d, avgPool2d), bit for
// bit.
//
//===----------------------------------------------------------------------===//

#include "NpuTestUtils.h"

#include "qc/npu/Simulator.h"
#include "qc/runtime/QuantKernels.h"

#include <gtest/gtest.h>

#include <random>

using namespace qc::npu;
using namespace qc::npu::test;
namespace rt = qc::rt;

namespace {

std::vector<uint8_t> randomBytes(size_t n, std::mt19937_64 &rng) {
  std::vector<uint8_t> v(n);
  for (uint8_t &b : v)
    b = static_cast<uint8_t>(rng());
  return v;
}

int32_t asValue(uint8_t b, bool isSigned) {
  return isSigned ? static_cast<int8_t>(b) : b;
}

int rand(std::mt19937_64 &rng, int lo, int hi) {
  return lo + static_cast<int>(rng() % uint64_t(hi - lo + 1));
}

TEST(NpuSimulator, LoadFillStoreWithStrides) {
  std::mt19937_64 rng(1);
  std::vector<uint8_t> in = randomBytes(100, rng), out(64, 0xEE);
  std::vector<HostBuffer> buffers = {{nullptr, 0}, {in.data(), in.size()},
                                     {out.data(), out.size()}};
  // 3 rows of 5 bytes, 7 apart from offset 2, dense at ISP 10; 6 bytes of
  // 0xAB at ISP 25; then both stored 9 apart from offset 1, 4 rows.
  std::vector<Instr> p = {
      load(0, 1, 10, 2, 3, 5, 7),
      withSems(fill(0, 25, 5, 0xAB), -1, 0),
      withSems(store(2, 1, 10, 4, 5, 9), 0, -1),
      Instr{}};
  Simulator sim;
  RunResult r = sim.run(p, buffers);
  ASSERT_TRUE(r.ok) << r.error;
  for (int row = 0; row < 4; ++row)
    for (int k = 0; k < 5; ++k) {
      uint8_t want = row < 3 ? in[2 + row * 7 + k] : 0xAB;
      EXPECT_EQ(out[1 + row * 9 + k], want) << row << "," << k;
    }
  EXPECT_EQ(out[0], 0xEE);
  EXPECT_EQ(out[6], 0xEE); // between rows
  EXPECT_EQ(out[1 + 3 * 9 + 5], 0xEE);
  EXPECT_EQ(r.dmaBytesIn, 15u);
  EXPECT_EQ(r.dmaBytesOut, 20u);
  // WSP loads.
  std::vector<Instr> w = {load(1, 1, 1000, 50, 2, 3, 10), Instr{}};
  ASSERT_TRUE(sim.run(w, buffers).ok);
  EXPECT_EQ(sim.wsp()[1000], in[50]);
  EXPECT_EQ(sim.wsp()[1005], in[62]);
}

/// One random MATMUL against the formula of section 3.4.
void checkRandomMatmul(std::mt19937_64 &rng) {
  int M = rand(rng, 1, 40), K = rand(rng, 1, 40), N = rand(rng, 1, 16);
  int inStride = K + rand(rng, 0, 5);
  bool inSigned = rng() % 2, wSigned = rng() % 2, accumulate = rng() % 2;
  int32_t inZp = rand(rng, -128, 255), wZp = rand(rng, -128, 255);
  std::vector<uint8_t> x = randomBytes(size_t(M) * inStride, rng);
  std::vector<uint8_t> w = randomBytes(size_t(K) * N, rng);
  std::vector<HostBuffer> buffers = {{w.data(), w.size()}, {x.data(), x.size()}};
  uint32_t accBase = rand(rng, 0, 100), wBase = rand(rng, 0, 100);
  std::vector<Instr> p = {
      load(0, 1, 64, 0, 1, x.size(), 0),
      withSems(load(1, 0, wBase, 0, 1, w.size(), 0), -1, 0),
      setreg(1, MM_IN_ZP, inZp),
      setreg(1, MM_W_ZP, wZp),
      withSems(matmul(64, inStride, M, K, wBase, N, accBase, accumulate,
                      inSigned, wSigned),
               0, -1),
      Instr{}};
  Simulator sim;
  std::vector<int32_t> before(size_t(M) * N);
  for (int32_t &v : before)
    v = static_cast<int32_t>(rng() % 2000000) - 1000000;
  std::copy(before.begin(), before.end(), sim.acc().begin() + accBase);
  RunResult r = sim.run(p, buffers);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.macs, uint64_t(M) * K * N);
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      int64_t s = accumulate ? before[m * N + n] : 0;
      for (int k = 0; k < K; ++k)
        s += (asValue(x[m * inStride + k], inSigned) - int64_t(inZp)) *
             (asValue(w[k * N + n], wSigned) - int64_t(wZp));
      ASSERT_EQ(sim.acc()[accBase + m * N + n], s)
          << "m=" << m << " n=" << n << " M=" << M << " K=" << K;
    }
}

TEST(NpuSimulator, MatmulMatchesReferenceLoop) {
  std::mt19937_64 rng(2);
  for (int i = 0; i < 200; ++i)
    checkRandomMatmul(rng);
}

TEST(NpuSimulator, MatmulSaturates) {
  // Zero points of +-2^31 push every product far beyond int32.
  std::vector<uint8_t> x(4, 0), w(4, 0);
  std::vector<HostBuffer> buffers = {{w.data(), 4}, {x.data(), 4}};
  std::vector<Instr> p = {
      load(0, 1, 0, 0, 1, 4, 0), withSems(load(1, 0, 0, 0, 1, 4, 0), -1, 0),
      setreg(1, MM_IN_ZP, INT32_MIN), setreg(1, MM_W_ZP, INT32_MAX),
      withSems(matmul(0, 4, 1, 4, 0, 1, 0), 0, 1),
      withSems(matmul(0, 4, 1, 4, 0, 1, 1), 1, -1), Instr{}};
  p[5].accumulate = 0;
  Simulator sim;
  RunResult r = sim.run(p, buffers);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(sim.acc()[0], INT32_MIN);
}

//===----------------------------------------------------------------------===//
// A convolution as the compiler would emit it
//===----------------------------------------------------------------------===//

struct ConvCase {
  int H = 6, W = 7, Cin = 3, Cout = 5, KH = 3, KW = 3, pad = 1;
  bool inSigned = false, outSigned = true;
  int32_t inZp = 0, wZp = 0, outZp = 0, lo = -128, hi = 127;
  rt::Rounding rounding = rt::Rounding::Gemmlowp;
  bool tapRows = false; ///< one MATMUL per kernel row, K = KW * Cin
  bool tapOuter = false; ///< taps outside output rows: the array's tile is reused
};

/// The NPU program of a stride-1 conv2d: FILL the padded input with the
/// zero point, LOAD its rows, LOAD the weights as [tap][Cin][Cout] and the
/// table; per output row and tap (or tap row) one MATMUL accumulating into
/// ACC; one REQUANT; one STORE.
std::vector<Instr> convProgram(const ConvCase &c, uint32_t tableBase) {
  int Hp = c.H + 2 * c.pad, Wp = c.W + 2 * c.pad, OH = Hp - c.KH + 1,
      OW = Wp - c.KW + 1;
  uint32_t rowBytes = Wp * c.Cin, outBase = Hp * rowBytes;
  std::vector<Instr> p;
  p.push_back(fill(0, 0, Hp * rowBytes, static_cast<uint8_t>(c.inZp)));
  for (int y = 0; y < c.H; ++y)
    p.push_back(load(0, 1, (y + c.pad) * rowBytes + c.pad * c.Cin,
                     y * c.W * c.Cin, 1, c.W * c.Cin, 0));
  p.push_back(load(1, 0, 0, 0, 1, tableBase + 12 * c.Cout, 0));
  p.back().signal = sem(0);
  p.push_back(setreg(1, MM_IN_ZP, c.inZp));
  p.push_back(setreg(1, MM_W_ZP, c.wZp));
  // The weights are [KH][KW][Cin][Cout]: a tap row is a [KW * Cin][Cout]
  // tile, and in the padded input its KW * Cin bytes are contiguous.
  int perRow = c.tapRows ? 1 : c.KW, K = c.tapRows ? c.KW * c.Cin : c.Cin;
  int taps = c.KH * perRow;
  for (int n = 0; n < OH * taps; ++n) {
    int oy = c.tapOuter ? n % OH : n / taps, t = c.tapOuter ? n / OH : n % taps;
    int kh = t / perRow, kw = t % perRow, tap = kh * c.KW + kw;
    p.push_back(matmul(((oy + kh) * Wp + kw) * c.Cin, c.Cin, OW, K,
                       tap * c.Cin * c.Cout, c.Cout, oy * OW * c.Cout, tap > 0,
                       c.inSigned, true));
  }
  p[p.size() - OH * c.KH * perRow].wait0 = sem(0);
  p.back().signal = sem(1);
  p.push_back(setreg(2, PP_OUT_ZP, c.outZp));
  p.push_back(setreg(2, PP_OUT_LO, c.lo));
  p.push_back(setreg(2, PP_OUT_HI, c.hi));
  p.push_back(setreg(2, PP_ROUNDING, static_cast<int32_t>(c.rounding)));
  p.push_back(withSems(requant(0, OH * OW, c.Cout, outBase, c.Cout,
                               tableBase, c.outSigned),
                       1, 2));
  p.push_back(withSems(store(2, 0, outBase, 1, OH * OW * c.Cout, 0), 2, -1));
  p.push_back(Instr{});
  return p;
}

void checkConv(const ConvCase &c, std::mt19937_64 &rng) {
  int taps = c.KH * c.KW;
  rt::Tensor x(rt::DType::I32, {1, c.H, c.W, c.Cin});
  rt::Tensor wt(rt::DType::I32, {c.Cout, c.KH, c.KW, c.Cin});
  rt::Tensor bias(rt::DType::I32, {c.Cout});
  std::vector<uint8_t> xBytes(x.numElements());
  for (size_t k = 0; k < xBytes.size(); ++k) {
    xBytes[k] = static_cast<uint8_t>(rng());
    x.data<int32_t>()[k] = asValue(xBytes[k], c.inSigned);
  }
  uint32_t tableBase = (taps * c.Cin * c.Cout + 3) & ~3u;
  std::vector<uint8_t> wsp(tableBase + 12 * c.Cout);
  rt::OutputStage stage;
  stage.zeroPoint = c.outZp;
  stage.lo = c.lo;
  stage.hi = c.hi;
  stage.rounding = c.rounding;
  for (int o = 0; o < c.Cout; ++o) {
    for (int t = 0; t < taps; ++t)
      for (int ci = 0; ci < c.Cin; ++ci) {
        uint8_t b = static_cast<uint8_t>(rng());
        wt.data<int32_t>()[(o * taps + t) * c.Cin + ci] = int8_t(b);
        wsp[(t * c.Cin + ci) * c.Cout + o] = b;
      }
    int32_t bi = rand(rng, -20000, 20000);
    rt::Multiplier m{rand(rng, 1 << 30, INT32_MAX), rand(rng, -12, -6)};
    bias.data<int32_t>()[o] = bi;
    stage.multipliers.push_back(m);
    put32(wsp, tableBase + 12 * o, bi);
    put32(wsp, tableBase + 12 * o + 4, m.m0);
    put32(wsp, tableBase + 12 * o + 8, m.shift);
  }
  rt::ConvAttrs attrs;
  attrs.padTop = attrs.padBottom = attrs.padLeft = attrs.padRight = c.pad;
  rt::Tensor want;
  std::string error;
  ASSERT_TRUE(rt::q::conv2d(x, c.inZp, wt, {c.wZp}, &bias, attrs, stage, want,
                            error))
      << error;

  std::vector<uint8_t> out(want.numElements(), 0x5A);
  std::vector<HostBuffer> buffers = {{wsp.data(), wsp.size()},
                                     {xBytes.data(), xBytes.size()},
                                     {out.data(), out.size()}};
  // Through a blob, as a compiled program arrives.
  Simulator sim;
  std::vector<Instr> p = convProgram(c, tableBase);
  RunResult r = sim.runBlob(writeBlob(sim.config(), p), buffers);
  ASSERT_TRUE(r.ok) << r.error;
  for (int64_t k = 0; k < want.numElements(); ++k)
    ASSERT_EQ(asValue(out[k], c.outSigned), want.data<int32_t>()[k])
        << "element " << k << " rounding " << int(c.rounding);
  EXPECT_EQ(r.macs, uint64_t(want.numElements()) * taps * c.Cin);
  if (!c.tapOuter)
    return;
  // Taps outside rows: the first MATMUL of each tap loads its tile
  // (OW + R cycles), the other rows reuse it (OW cycles).
  int OH = c.H + 2 * c.pad - c.KH + 1, OW = c.W + 2 * c.pad - c.KW + 1;
  size_t first = 0;
  while (p[first].op != Opcode::Matmul)
    ++first;
  for (int n = 0; n < OH * taps; ++n) {
    const InstrStats &st = r.stats[first + n];
    EXPECT_EQ(st.end - st.start, uint64_t(n % OH == 0 ? OW + 16 : OW)) << n;
  }
  EXPECT_GT(r.utilisation, 0.0);
  EXPECT_LE(r.utilisation, 1.0);
}

TEST(NpuSimulator, ConvMatchesReferenceInEveryRounding) {
  std::mt19937_64 rng(3);
  for (int rounding = 0; rounding < 4; ++rounding)
    for (int trial = 0; trial < 6; ++trial) {
      ConvCase c;
      c.rounding = static_cast<rt::Rounding>(rounding);
      c.tapRows = trial % 2 == 0;
      c.inSigned = trial % 2;
      c.outSigned = trial % 3 != 0;
      c.inZp = c.inSigned ? rand(rng, -20, 20) : rand(rng, 100, 150);
      c.wZp = trial < 3 ? 0 : rand(rng, -3, 3);
      c.outZp = c.outSigned ? rand(rng, -10, 10) : rand(rng, 120, 136);
      c.lo = c.outSigned ? -128 : 0;
      c.hi = c.outSigned ? 127 : 255;
      if (trial == 5) // a fused relu6-like clamp
        c.lo = c.outZp, c.hi = c.outZp + 60;
      c.H = rand(rng, 1, 8);
      c.W = rand(rng, 1, 9);
      c.Cin = rand(rng, 1, 16);
      c.Cout = rand(rng, 1, 16);
      c.KH = rand(rng, 1, 3);
      c.KW = rand(rng, 1, 3);
      c.pad = rand(rng, 0, std::min(c.KH, c.KW) - 1);
      if (c.H + 2 * c.pad < c.KH || c.W + 2 * c.pad < c.KW)
        c.pad = std::max(c.KH, c.KW);
      if (c.H + 2 * c.pad < c.KH || c.W + 2 * c.pad < c.KW)
        continue;
      SCOPED_TRACE("H=" + std::to_string(c.H) + " W=" + std::to_string(c.W) +
                   " Cin=" + std::to_string(c.Cin) +
                   " Cout=" + std::to_string(c.Cout));
      checkConv(c, rng);
    }
}

TEST(NpuSimulator, ConvTapsOutsideRowsReuseTheArraysTile) {
  std::mt19937_64 rng(6);
  ConvCase c;
  c.tapOuter = true;
  c.inZp = 128;
  c.H = 9;
  c.W = 12;
  c.Cin = 16;
  c.Cout = 16;
  checkConv(c, rng);
}

//===----------------------------------------------------------------------===//
// ADD and POOL
//===----------------------------------------------------------------------===//

TEST(NpuSimulator, AddMatchesReference) {
  std::mt19937_64 rng(4);
  for (int trial = 0; trial < 80; ++trial) {
    int count = rand(rng, 1, 300);
    bool aS = rng() % 2, bS = rng() % 2, oS = rng() % 2;
    rt::AddParams params;
    params.leftShift = rand(rng, 0, 30) < 25 ? 20 : rand(rng, 0, 30);
    params.zeroPointA = rand(rng, -128, 255);
    params.zeroPointB = rand(rng, -128, 255);
    params.multiplierA = {rand(rng, 1 << 30, INT32_MAX), rand(rng, -3, 0)};
    params.multiplierB = {rand(rng, 1 << 30, INT32_MAX), rand(rng, -3, 0)};
    params.output.multipliers = {
        {rand(rng, 1 << 30, INT32_MAX), rand(rng, -22, -16)}};
    params.output.zeroPoint = rand(rng, -10, 10) + (oS ? 0 : 128);
    params.output.lo = oS ? -128 : 0;
    params.output.hi = oS ? 127 : 255;
    params.output.rounding = static_cast<rt::Rounding>(trial % 4);
    std::vector<uint8_t> host = randomBytes(2 * count, rng), out(count);
    rt::Tensor a(rt::DType::I32, {count}), b(rt::DType::I32, {count}), want;
    for (int k = 0; k < count; ++k) {
      a.data<int32_t>()[k] = asValue(host[k], aS);
      b.data<int32_t>()[k] = asValue(host[count + k], bS);
    }
    std::string error;
    ASSERT_TRUE(rt::q::add(a, b, params, want, error)) << error;

    const rt::OutputStage &o = params.output;
    Instr add;
    add.op = Opcode::Add;
    add.aSigned = aS;
    add.bSigned = bS;
    add.outSigned = oS;
    add.a = 1000;
    add.b = 1000 + count;
    add.out = 7;
    add.count = count;
    std::vector<Instr> p = {
        withSems(load(0, 1, 1000, 0, 1, 2 * count, 0), -1, 0),
        setreg(2, PP_LEFT_SHIFT, params.leftShift),
        setreg(2, PP_A_ZP, params.zeroPointA),
        setreg(2, PP_B_ZP, params.zeroPointB),
        setreg(2, PP_A_M0, params.multiplierA.m0),
        setreg(2, PP_A_SHIFT, params.multiplierA.shift),
        setreg(2, PP_B_M0, params.multiplierB.m0),
        setreg(2, PP_B_SHIFT, params.multiplierB.shift),
        setreg(2, PP_OUT_M0, o.multipliers[0].m0),
        setreg(2, PP_OUT_SHIFT, o.multipliers[0].shift),
        setreg(2, PP_OUT_ZP, o.zeroPoint),
        setreg(2, PP_OUT_LO, o.lo),
        setreg(2, PP_OUT_HI, o.hi),
        setreg(2, PP_ROUNDING, static_cast<int32_t>(o.rounding)),
        withSems(add, 0, 1),
        withSems(store(2, 0, 7, 1, count, 0), 1, -1),
        Instr{}};
    std::vector<HostBuffer> buffers = {
        {nullptr, 0}, {host.data(), host.size()}, {out.data(), out.size()}};
    Simulator sim;
    RunResult r = sim.run(p, buffers);
    ASSERT_TRUE(r.ok) << r.error;
    for (int k = 0; k < count; ++k)
      ASSERT_EQ(asValue(out[k], oS), want.data<int32_t>()[k]) << k;
  }
}

void checkPool(std::mt19937_64 &rng, bool isAvg, rt::Rounding rounding) {
  Instr pool;
  pool.op = Opcode::Pool;
  pool.isAvg = isAvg;
  pool.countPad = rng() % 2;
  pool.isSigned = rng() % 2;
  pool.KH = rand(rng, 1, 4);
  pool.KW = rand(rng, 1, 4);
  pool.SH = rand(rng, 1, 3);
  pool.SW = rand(rng, 1, 3);
  pool.padTop = rand(rng, 0, pool.KH - 1);
  pool.padBottom = rand(rng, 0, pool.KH - 1);
  pool.padLeft = rand(rng, 0, pool.KW - 1);
  pool.padRight = rand(rng, 0, pool.KW - 1);
  pool.H = rand(rng, pool.KH, 12);
  pool.W = rand(rng, pool.KW, 12);
  pool.Cp = rand(rng, 1, 20);
  pool.in = 0;
  pool.out = 4096;
  rt::PoolAttrs attrs = poolAttrsOf(pool);
  bool s = pool.isSigned;
  rt::OutputStage stage;
  stage.multipliers = {{rand(rng, 1 << 30, INT32_MAX), rand(rng, -1, 1)}};
  stage.zeroPoint = rand(rng, -5, 5) + (s ? 0 : 128);
  stage.lo = s ? -128 : 0;
  stage.hi = s ? 127 : 255;
  stage.rounding = rounding;
  int32_t inZp = rand(rng, -5, 5) + (s ? 0 : 128);
  int64_t n = int64_t(pool.H) * pool.W * pool.Cp;
  std::vector<uint8_t> host = randomBytes(n, rng);
  rt::Tensor x(rt::DType::I32, {1, pool.H, pool.W, pool.Cp}), want;
  for (int64_t k = 0; k < n; ++k)
    x.data<int32_t>()[k] = asValue(host[k], s);
  std::string error;
  ASSERT_TRUE(isAvg ? rt::q::avgPool2d(x, inZp, attrs, stage, want, error)
                    : rt::q::maxPool2d(x, inZp, attrs, stage, want, error))
      << error;
  std::vector<uint8_t> out(want.numElements());
  std::vector<Instr> p = {
      withSems(load(0, 1, 0, 0, 1, n, 0), -1, 0),
      setreg(2, PP_IN_ZP, inZp),
      setreg(2, PP_POOL_M0, stage.multipliers[0].m0),
      setreg(2, PP_POOL_SHIFT, stage.multipliers[0].shift),
      setreg(2, PP_OUT_ZP, stage.zeroPoint),
      setreg(2, PP_OUT_LO, stage.lo),
      setreg(2, PP_OUT_HI, stage.hi),
      setreg(2, PP_ROUNDING, static_cast<int32_t>(rounding)),
      withSems(pool, 0, 1),
      withSems(store(2, 0, 4096, 1, out.size(), 0), 1, -1),
      Instr{}};
  std::vector<HostBuffer> buffers = {
      {nullptr, 0}, {host.data(), host.size()}, {out.data(), out.size()}};
  Simulator sim;
  RunResult r = sim.run(p, buffers);
  ASSERT_TRUE(r.ok) << r.error << "\n" << toAsm(pool);
  for (size_t k = 0; k < out.size(); ++k)
    ASSERT_EQ(asValue(out[k], s), want.data<int32_t>()[k])
        << k << ": " << toAsm(pool);
}

TEST(NpuSimulator, PoolMatchesReference) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 60; ++trial)
    for (rt::Rounding r : {rt::Rounding::Gemmlowp, rt::Rounding::HalfEven}) {
      checkPool(rng, false, r);
      checkPool(rng, true, r);
    }
}

TEST(NpuSimulator, OutputClampLoAboveHiYieldsHi) {
  // REQUANT with OUT_LO > OUT_HI writes OUT_HI, as qc_requantize does.
  std::vector<uint8_t> table(12, 0), out(2);
  put32(table, 4, 1 << 30);
  std::vector<HostBuffer> buffers = {{table.data(), 12}, {nullptr, 0},
                                     {out.data(), 2}};
  Simulator sim;
  sim.acc()[0] = 100;
  sim.acc()[1] = -100;
  std::vector<Instr> p = {
      withSems(load(1, 0, 0, 0, 1, 12, 0), -1, 0), setreg(2, PP_OUT_LO, 50),
      setreg(2, PP_OUT_HI, 20), withSems(requant(0, 2, 1, 0, 1, 0, true), 0, 1),
      withSems(store(2, 0, 0, 1, 2, 0), 1, -1), Instr{}};
  RunResult r = sim.run(p, buffers);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(out[0], 20);
  EXPECT_EQ(out[1], 20);
}

} // namespace
