//===- NpuRuntimeTest.cpp - the C ABI host code calls ---------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qc_npu_run (qc/npu/npu_runtime.h) runs a blob for the configuration it
// records and reports results and errors through plain C types: a small
// fully connected layer (LOAD, MATMUL, REQUANT, STORE) checked against a
// straightforward reference, then every way the call can be misused.
//
//===----------------------------------------------------------------------===//

#include "NpuTestUtils.h"

#include "qc/npu/Program.h"
#include "qc/npu/npu_runtime.h"
#include "qc/runtime/fixed_point.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>

using namespace qc::npu;
using namespace qc::npu::test;

namespace {

constexpr uint32_t kM = 5, kK = 24, kN = 12;

/// An FC layer: x [M][K] u8 (zero point 3) times w [K][N] i8, bias and
/// one (m0, shift) per output channel, out u8 (zero point 7).
struct Layer {
  std::vector<uint8_t> weights, input, expected;
  std::vector<uint8_t> blob;
};

Layer makeLayer(unsigned seed) {
  std::mt19937 rng(seed);
  Layer l;
  l.input.resize(kM * kK);
  for (uint8_t &v : l.input)
    v = static_cast<uint8_t>(rng() % 256);
  // Buffer 0: [K][N] int8 weights, then the table (bias, m0, shift).
  l.weights.assign(kK * kN + 12 * kN, 0);
  std::vector<int32_t> bias(kN), m0(kN), shift(kN);
  for (uint32_t i = 0; i < kK * kN; ++i)
    l.weights[i] = static_cast<uint8_t>(static_cast<int8_t>(rng() % 255 - 127));
  for (uint32_t n = 0; n < kN; ++n) {
    bias[n] = static_cast<int32_t>(rng() % 20001) - 10000;
    m0[n] = (1 << 30) + static_cast<int32_t>(rng() % (1 << 30));
    shift[n] = -7 - static_cast<int32_t>(rng() % 3);
    put32(l.weights, kK * kN + 12 * n, bias[n]);
    put32(l.weights, kK * kN + 12 * n + 4, m0[n]);
    put32(l.weights, kK * kN + 12 * n + 8, shift[n]);
  }
  l.expected.resize(kM * kN);
  for (uint32_t m = 0; m < kM; ++m)
    for (uint32_t n = 0; n < kN; ++n) {
      int64_t acc = 0;
      for (uint32_t k = 0; k < kK; ++k)
        acc += (int64_t(l.input[m * kK + k]) - 3) *
               int64_t(static_cast<int8_t>(l.weights[k * kN + n]));
      l.expected[m * kN + n] = static_cast<uint8_t>(qc_requantize(
          static_cast<int32_t>(acc + bias[n]), m0[n], shift[n], 7, 0, 255));
    }
  std::vector<Instr> prog = {
      setreg(1, 0, 3), // MM IN_ZP
      setreg(2, 0, 7), // PP OUT_ZP
      setreg(2, 1, 0), // PP OUT_LO
      setreg(2, 2, 255),
      withSems(load(0, 1, 0, 0, kM, kK, kK), -1, 0),
      withSems(load(1, 0, 0, 0, 1, kK * kN + 12 * kN, 0), -1, 1),
      withSems(matmul(0, kK, kM, kK, 0, kN, 0, false, false, true), 0, 2, 1),
      withSems(requant(0, kM, kN, 1024, kN, kK * kN, false), 2, 3),
      withSems(store(2, 0, 1024, kM, kN, kN), 3, -1),
      Instr{}};
  l.blob = writeBlob(NpuConfig(), prog);
  return l;
}

} // namespace

TEST(NpuRuntime, RunsAFullyConnectedLayerExactly) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    Layer l = makeLayer(seed);
    std::vector<uint8_t> out(kM * kN, 0xAA);
    qc_npu_buffer buffers[3] = {{l.weights.data(), l.weights.size()},
                                {l.input.data(), l.input.size()},
                                {out.data(), out.size()}};
    qc_npu_stats stats{};
    char error[256] = "";
    ASSERT_EQ(qc_npu_run(l.blob.data(), l.blob.size(), buffers, 3, &stats,
                         error, sizeof error),
              0)
        << error;
    EXPECT_EQ(out, l.expected) << "seed " << seed;
    EXPECT_EQ(stats.macs, uint64_t(kM) * kK * kN);
    EXPECT_EQ(stats.dma_bytes_in, l.input.size() + l.weights.size());
    EXPECT_EQ(stats.dma_bytes_out, out.size());
    EXPECT_GT(stats.cycles, 0u);
    EXPECT_DOUBLE_EQ(stats.utilisation,
                     double(stats.macs) / (double(stats.cycles) * 16 * 16));
  }
}

TEST(NpuRuntime, ReportsErrorsThroughTheCAbi) {
  Layer l = makeLayer(1);
  std::vector<uint8_t> out(kM * kN);
  qc_npu_buffer buffers[3] = {{l.weights.data(), l.weights.size()},
                              {l.input.data(), l.input.size()},
                              {out.data(), out.size()}};
  char error[256];
  // No blob, a short one, too many buffers.
  EXPECT_NE(qc_npu_run(nullptr, 0, buffers, 3, nullptr, error, sizeof error),
            0);
  EXPECT_NE(std::string(error).find("too short"), std::string::npos);
  EXPECT_NE(qc_npu_run(l.blob.data(), 20, buffers, 3, nullptr, error,
                       sizeof error),
            0);
  EXPECT_NE(qc_npu_run(l.blob.data(), l.blob.size(), buffers, 17, nullptr,
                       error, sizeof error),
            0);
  EXPECT_NE(std::string(error).find("16 host buffers"), std::string::npos);
  // A flipped bit: the checksum.
  std::vector<uint8_t> bad = l.blob;
  bad[40] ^= 1;
  EXPECT_NE(qc_npu_run(bad.data(), bad.size(), buffers, 3, nullptr, error,
                       sizeof error),
            0);
  EXPECT_NE(std::string(error).find("checksum"), std::string::npos) << error;
  // A missing input buffer: the LOAD that reads it is named; the output
  // is untouched.
  std::fill(out.begin(), out.end(), 0x5A);
  EXPECT_NE(qc_npu_run(l.blob.data(), l.blob.size(), buffers, 1, nullptr,
                       error, sizeof error),
            0);
  EXPECT_NE(std::string(error).find("instruction 4"), std::string::npos)
      << error;
  EXPECT_EQ(out, std::vector<uint8_t>(kM * kN, 0x5A));
  // A tiny error buffer is filled and terminated, never overrun.
  char tiny[8];
  std::memset(tiny, 'X', sizeof tiny);
  EXPECT_NE(qc_npu_run(bad.data(), bad.size(), buffers, 3, nullptr, tiny, 5),
            0);
  EXPECT_EQ(std::strlen(tiny), 4u);
  EXPECT_EQ(tiny[5], 'X');
  // No error buffer at all is fine.
  EXPECT_NE(qc_npu_run(bad.data(), bad.size(), buffers, 3, nullptr, nullptr, 0),
            0);
}
