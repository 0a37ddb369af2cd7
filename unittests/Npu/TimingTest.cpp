//===- TimingTest.cpp - QNPU-1 cycle model on hand-counted programs -------===//
//
// Part of the quant project.
//
// Every expected number below is counted by hand from docs/npu.md section
// 4 with the default configuration: R = C = 16, B = 16, Tdma = 64, P = 16,
// Tppu = 8; instruction i is fetched in cycle i and starts at i + 1 at the
// earliest.
//
//===----------------------------------------------------------------------===//

#include "NpuTestUtils.h"

#include "qc/npu/Simulator.h"

#include <gtest/gtest.h>

using namespace qc::npu;
using namespace qc::npu::test;

namespace {

struct Fixture {
  std::vector<uint8_t> host = std::vector<uint8_t>(4096, 1);
  std::vector<HostBuffer> buffers = {{host.data(), host.size()},
                                     {host.data(), host.size()},
                                     {host.data(), host.size()}};
  Simulator sim;
  RunResult run(const std::vector<Instr> &p) {
    RunResult r = sim.run(p, buffers);
    EXPECT_TRUE(r.ok) << r.error;
    return r;
  }
};

void expectSpan(const RunResult &r, size_t i, uint64_t start, uint64_t end) {
  ASSERT_LT(i, r.stats.size());
  EXPECT_EQ(r.stats[i].start, start) << "instruction " << i;
  EXPECT_EQ(r.stats[i].end, end) << "instruction " << i;
}

TEST(NpuTiming, EndAlone) {
  Fixture f;
  RunResult r = f.run({Instr{}});
  EXPECT_EQ(r.cycles, 1u);
  EXPECT_EQ(r.macs, 0u);
  EXPECT_EQ(r.utilisation, 0.0);
}

TEST(NpuTiming, LoadAlone) {
  Fixture f;
  // 256 bytes: 64 + 256 / 16 = 80 cycles, from cycle 1.
  RunResult r = f.run({load(0, 0, 0, 0, 1, 256, 0), Instr{}});
  expectSpan(r, 0, 1, 81);
  EXPECT_EQ(r.cycles, 81u);
  EXPECT_EQ(r.dmaBytesIn, 256u);
  // 2 rows of 17 bytes: ceil(34 / 16) = 3.
  r = f.run({load(0, 0, 0, 0, 2, 17, 100), Instr{}});
  EXPECT_EQ(r.cycles, 1u + 64 + 3);
  // FILL of 33 bytes: 3 cycles, no setup.
  r = f.run({fill(1, 0, 33, 7), Instr{}});
  EXPECT_EQ(r.cycles, 4u);
  // STORE like LOAD.
  r = f.run({store(2, 0, 0, 4, 8, 8), Instr{}});
  EXPECT_EQ(r.cycles, 1u + 64 + 2);
  EXPECT_EQ(r.dmaBytesOut, 32u);
}

TEST(NpuTiming, LoadThenDependentMatmul) {
  Fixture f;
  // LOAD 1..81 signals s0 at 81; MATMUL (fetched at 1) waits until 81,
  // then a new tile: ceil(16/16) * (10 + 16) = 26.
  RunResult r = f.run({withSems(load(1, 0, 0, 0, 1, 256, 0), -1, 0),
                       withSems(matmul(0, 16, 10, 16, 0, 16, 0), 0, -1),
                       Instr{}});
  expectSpan(r, 0, 1, 81);
  expectSpan(r, 1, 81, 107);
  EXPECT_EQ(r.cycles, 107u);
  EXPECT_EQ(r.macs, 10u * 16 * 16);
  EXPECT_EQ(r.stats[1].macs, 2560u);
  EXPECT_DOUBLE_EQ(r.utilisation, 2560.0 / (107.0 * 256));
}

TEST(NpuTiming, LoadsOverlapCompute) {
  Fixture f;
  // LD: A 1..81 (s0), B 81..161 (s1). MM: first MATMUL 81..107 while B
  // loads, second waits for s1: 161..187 (another tile).
  RunResult r = f.run({withSems(load(0, 0, 0, 0, 1, 256, 0), -1, 0),
                       withSems(load(0, 0, 256, 0, 1, 256, 0), -1, 1),
                       withSems(matmul(0, 16, 10, 16, 0, 16, 0), 0, -1),
                       withSems(matmul(256, 16, 10, 16, 512, 16, 160), 1, -1),
                       Instr{}});
  expectSpan(r, 0, 1, 81);
  expectSpan(r, 1, 81, 161);
  expectSpan(r, 2, 81, 107);
  expectSpan(r, 3, 161, 187);
  EXPECT_EQ(r.cycles, 187u); // serially: 81 + 80 + 26 + 26 = 213
}

TEST(NpuTiming, WeightTileReuse) {
  Fixture f;
  RunResult r = f.run({
      matmul(0, 16, 10, 16, 0, 16, 0),      // new tile: 26, 1..27
      matmul(16, 16, 10, 16, 0, 16, 0, 1),  // same tile: 10, 27..37
      matmul(0, 16, 5, 16, 0, 8, 0),        // N differs: 21, 37..58
      matmul(0, 16, 5, 16, 0, 8, 0, 1, true, false), // wSigned differs: 21
      matmul(0, 32, 10, 32, 0, 16, 0),      // K > R: 2 * 26 = 52, 79..131
      matmul(0, 16, 10, 16, 0, 16, 0),      // none kept: 26, 131..157
      matmul(0, 16, 3, 16, 0, 16, 0),       // kept: 3, 157..160
      setreg(1, MM_IN_ZP, 5),               // 1, 160..161
      matmul(0, 16, 3, 16, 0, 16, 0),       // still kept: 3, 161..164
      Instr{}});
  expectSpan(r, 0, 1, 27);
  expectSpan(r, 1, 27, 37);
  expectSpan(r, 2, 37, 58);
  expectSpan(r, 3, 58, 79);
  expectSpan(r, 4, 79, 131);
  expectSpan(r, 5, 131, 157);
  expectSpan(r, 6, 157, 160);
  expectSpan(r, 7, 160, 161);
  expectSpan(r, 8, 161, 164);
  EXPECT_EQ(r.cycles, 164u);
}

TEST(NpuTiming, WspWriteForgetsTile) {
  Fixture f;
  // MATMUL 1..27 (s0); LOAD into WSP byte 255 of the tile waits s0: 27..28+
  // 64 + 1 = 27..92 (s1); MATMUL on the same tile refills: 92..118. A FILL
  // elsewhere in WSP does not matter.
  RunResult r = f.run({withSems(matmul(0, 16, 10, 16, 0, 16, 0), -1, 0),
                       withSems(load(1, 0, 255, 0, 1, 1, 0), 0, 1),
                       withSems(matmul(0, 16, 10, 16, 0, 16, 0), 1, 2),
                       withSems(fill(1, 256, 16, 0), 2, 3),
                       withSems(matmul(0, 16, 10, 16, 0, 16, 0), 3, -1),
                       Instr{}});
  expectSpan(r, 0, 1, 27);
  expectSpan(r, 1, 27, 92);
  expectSpan(r, 2, 92, 118);
  expectSpan(r, 3, 118, 119);
  expectSpan(r, 4, 119, 129);
}

TEST(NpuTiming, PostProcessingAndSetreg) {
  Fixture f;
  std::vector<uint8_t> &wsp = f.sim.wsp();
  std::fill(wsp.begin(), wsp.begin() + 12 * 16, 0);
  Instr add;
  add.op = Opcode::Add;
  add.count = 33;
  add.out = 100;
  Instr pool;
  pool.op = Opcode::Pool;
  pool.H = pool.W = 4;
  pool.Cp = 3;
  pool.KH = pool.KW = 2;
  pool.SH = pool.SW = 2;
  pool.out = 200;
  // PP: SETREG 1..2, REQUANT 8 + ceil(20*16/16)=28: 2..30, ADD 8 +
  // ceil(33/16)=11: 30..41, POOL 8 + ceil(2*2*3*2*2/16)=11: 41..52.
  RunResult r = f.run({setreg(2, PP_OUT_ZP, 1),
                       requant(0, 20, 16, 0, 16, 0, true), add, pool,
                       Instr{}});
  expectSpan(r, 0, 1, 2);
  expectSpan(r, 1, 2, 30);
  expectSpan(r, 2, 30, 41);
  expectSpan(r, 3, 41, 52);
  EXPECT_EQ(r.cycles, 52u);
}

TEST(NpuTiming, FetchLimitsIssue) {
  Fixture f;
  // Four SETREGs in two queues, each started the cycle after its fetch:
  // MM ones at 1..2 and 3..4, PP ones at 2..3 and 4..5.
  RunResult r = f.run({setreg(1, 0, 1), setreg(2, 0, 1), setreg(1, 0, 1),
                       setreg(2, 0, 1), Instr{}});
  expectSpan(r, 0, 1, 2);
  expectSpan(r, 1, 2, 3);
  expectSpan(r, 2, 3, 4);
  expectSpan(r, 3, 4, 5);
  EXPECT_EQ(r.cycles, 5u);
}

TEST(NpuTiming, SemaphoresCountAndTieOrder) {
  Fixture f;
  // Two FILLs signal s0 twice (1..2, 2..3); a MATMUL waits s0 twice (wait0
  // = wait1 = s0) and starts at 3, taking both; a STORE (fetched in cycle
  // 4) waits for the token of the third FILL (4..5): 5..70.
  RunResult r = f.run({withSems(fill(0, 0, 16, 0), -1, 0),
                       withSems(fill(0, 0, 16, 0), -1, 0),
                       withSems(matmul(0, 16, 1, 16, 0, 16, 0), 0, -1, 0),
                       withSems(fill(0, 0, 16, 0), -1, 0),
                       withSems(store(2, 0, 0, 1, 16, 0), 0, -1), Instr{}});
  expectSpan(r, 0, 1, 2);
  expectSpan(r, 1, 2, 3);
  expectSpan(r, 2, 3, 20);
  expectSpan(r, 3, 4, 5);
  expectSpan(r, 4, 5, 70);
  // Same cycle, same semaphore: LD before ST. A FILL signals s0 at 11; a
  // LOAD (behind it in LD) and a STORE both wait on it from then; one
  // token: the LOAD wins (11..76), and the STORE deadlocks, found when
  // nothing is left running (76).
  RunResult d = f.sim.run({withSems(fill(0, 0, 160, 0), -1, 0),
                           withSems(store(2, 0, 0, 1, 16, 0), 0, -1),
                           withSems(load(0, 0, 0, 0, 1, 16, 0), 0, -1),
                           Instr{}},
                          f.buffers);
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.errorIndex, 1);
  EXPECT_NE(d.error.find("deadlock at cycle 76"), std::string::npos)
      << d.error;
}

} // namespace
