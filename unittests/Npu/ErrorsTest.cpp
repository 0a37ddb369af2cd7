//===- ErrorsTest.cpp - QNPU-1 simulator errors (docs/npu.md section 6) ---===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "NpuTestUtils.h"

#include "qc/npu/Simulator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>

using namespace qc::npu;
using namespace qc::npu::test;

namespace {

struct Fixture {
  std::vector<uint8_t> host = std::vector<uint8_t>(1000, 3);
  std::vector<HostBuffer> buffers = {{host.data(), host.size()},
                                     {host.data(), 100}};
  Simulator sim;

  /// Runs `body` + END; expects a rejection naming instruction `index`
  /// and containing `what`, with no memory changed (unless it deadlocks:
  /// that is found while running).
  void expectError(std::vector<Instr> body, int64_t index,
                   const std::string &what) {
    body.push_back(Instr{});
    std::fill(sim.isp().begin(), sim.isp().end(), 0x11);
    RunResult r = sim.run(body, buffers);
    EXPECT_FALSE(r.ok) << toAsm(body[index]);
    EXPECT_EQ(r.errorIndex, index) << r.error;
    EXPECT_NE(r.error.find("instruction " + std::to_string(index)),
              std::string::npos)
        << r.error;
    EXPECT_NE(r.error.find(what), std::string::npos) << r.error;
    if (what != "deadlock") {
      EXPECT_EQ(sim.isp()[0], 0x11) << r.error;
    }
  }
};

/// A blob with its words edited by `edit` and a correct checksum.
std::vector<uint8_t> editedBlob(const std::vector<Instr> &p,
                                void (*edit)(std::vector<uint8_t> &)) {
  std::vector<uint8_t> blob = writeBlob(NpuConfig(), p);
  edit(blob);
  blob.resize(blob.size() - 4);
  uint32_t crc = crc32(blob.data(), blob.size());
  for (int k = 0; k < 4; ++k)
    blob.push_back(static_cast<uint8_t>(crc >> (8 * k)));
  return blob;
}

TEST(NpuErrors, BlobRejections) {
  Simulator sim;
  std::vector<Instr> p = {fill(0, 0, 16, 1), Instr{}};
  std::vector<uint8_t> blob = writeBlob(NpuConfig(), p);
  EXPECT_TRUE(sim.runBlob(blob, {}).ok);
  std::vector<uint8_t> bad = blob;
  bad[0] = 'X';
  EXPECT_NE(sim.runBlob(bad, {}).error.find("magic"), std::string::npos);
  bad = blob;
  bad.pop_back();
  EXPECT_NE(sim.runBlob(bad, {}).error.find("size"), std::string::npos);
  bad = blob;
  bad[40] ^= 4;
  EXPECT_NE(sim.runBlob(bad, {}).error.find("checksum"), std::string::npos);
  NpuConfig other;
  other.ispBytes = 1024;
  RunResult r = sim.runBlob(writeBlob(other, p), {});
  EXPECT_NE(r.error.find("configuration"), std::string::npos) << r.error;
  Program program{other, p};
  EXPECT_NE(sim.run(program, {}).error.find("configuration"),
            std::string::npos);

  // Invalid opcode, queue, space, register, rounding in an otherwise
  // valid blob: named by index.
  r = sim.runBlob(editedBlob(p, [](std::vector<uint8_t> &b) { b[32] = 9; }),
                  {});
  EXPECT_EQ(r.error, "instruction 0: invalid opcode 9");
  r = sim.runBlob(
      editedBlob(p, [](std::vector<uint8_t> &b) { b[32 + 2] |= 0x0C; }), {});
  EXPECT_EQ(r.error.rfind("instruction 0: invalid space", 0), 0u) << r.error;
  std::vector<Instr> s = {setreg(2, PP_ROUNDING, 3), Instr{}};
  r = sim.runBlob(editedBlob(s, [](std::vector<uint8_t> &b) {
                    b[32 + 3] |= 0x40; // value bit 2 (bit 30): 7
                  }),
                  {});
  EXPECT_NE(r.error.find("invalid rounding 7"), std::string::npos) << r.error;
  r = sim.runBlob(editedBlob(s, [](std::vector<uint8_t> &b) {
                    b[32 + 2] &= 0xF0; // queue 0 (bits 18..19)
                  }),
                  {});
  EXPECT_NE(r.error.find("invalid queue"), std::string::npos) << r.error;
  r = sim.runBlob(editedBlob(s, [](std::vector<uint8_t> &b) {
                    b[32 + 3] |= 0x08; // reg 3 -> 11? bit 27: reg bit 7
                  }),
                  {});
  EXPECT_NE(r.error.find("invalid PP register"), std::string::npos)
      << r.error;
}

TEST(NpuErrors, EndMissingOrMisplaced) {
  Simulator sim;
  RunResult r = sim.run({fill(0, 0, 1, 0)}, {});
  EXPECT_NE(r.error.find("missing END"), std::string::npos);
  EXPECT_EQ(r.errorIndex, 1);
  r = sim.run({Instr{}, fill(0, 0, 1, 0), Instr{}}, {});
  EXPECT_EQ(r.error, "instruction 0: END before the last instruction");
  EXPECT_EQ(r.errorIndex, 0);
  r = sim.run(std::vector<Instr>{}, {});
  EXPECT_NE(r.error.find("missing END"), std::string::npos);
}

TEST(NpuErrors, FieldsAgainstConfiguration) {
  Fixture f;
  f.expectError({matmul(0, 16, 1, 16, 0, 17, 0)}, 0, "N=17 > C=16");
  f.expectError({fill(0, 0, 1, 0), requant(0, 1, 20, 0, 1, 0, true)}, 1,
                "N=20 > C=16");
  Instr bad = matmul(0, 16, 1, 16, 0, 16, 0);
  bad.M = 0;
  f.expectError({bad}, 0, "M=0");
  Instr pool;
  pool.op = Opcode::Pool;
  pool.H = pool.W = pool.Cp = 2;
  pool.KH = pool.KW = 3;
  pool.SH = pool.SW = 1;
  f.expectError({pool}, 0, "window is larger");
  pool.padTop = pool.padBottom = 3;
  f.expectError({pool}, 0, "padding must be smaller");
  NpuConfig wide;
  wide.cols = 64;
  Simulator tooWide(wide);
  EXPECT_NE(tooWide.run({Instr{}}, {}).error.find("configuration"),
            std::string::npos);
}

TEST(NpuErrors, ScratchpadAndAccFootprints) {
  Fixture f;
  const uint32_t isp = 256 * 1024;
  f.expectError({load(0, 0, isp - 10, 0, 2, 6, 6)}, 0, "ISP footprint");
  f.expectError({load(1, 0, isp - 4, 0, 1, 5, 0)}, 0, "WSP footprint");
  f.expectError({fill(0, isp - 1, 2, 0)}, 0, "ISP footprint");
  f.expectError({fill(1, (1 << 20) - 1, 1, 0)}, 0, "WSP footprint");
  f.expectError({store(0, 0, isp - 3, 1, 4, 0)}, 0, "ISP footprint");
  // MATMUL: input rows (the last one ends at in + (M-1)*inStride + K),
  // weights, ACC.
  f.expectError({matmul(isp - 100, 40, 3, 21, 0, 16, 0)}, 0, "ISP footprint");
  EXPECT_TRUE(f.sim.run({matmul(isp - 100, 40, 3, 20, 0, 16, 0), Instr{}},
                        f.buffers)
                  .ok);
  f.expectError({matmul(0, 16, 1, 16, isp - 255, 16, 0)}, 0, "WSP footprint");
  f.expectError({matmul(0, 16, 2, 16, 0, 16, 16384 - 31)}, 0, "ACC footprint");
  f.expectError({requant(16384 - 1, 1, 2, 0, 2, 0, true)}, 0, "ACC footprint");
  f.expectError({requant(0, 1, 2, 0, 2, isp - 20, true)}, 0, "WSP footprint");
  f.expectError({requant(0, 1, 2, 0, 2, 2, true)}, 0, "not 4-aligned");
  f.expectError({requant(0, 2, 2, isp - 5, 4, 0, true)}, 0, "ISP footprint");
  Instr add;
  add.op = Opcode::Add;
  add.count = 10;
  add.b = isp - 9;
  f.expectError({add}, 0, "ISP footprint");
  add.b = 0;
  add.out = isp - 9;
  f.expectError({add}, 0, "ISP footprint");
  Instr pool;
  pool.op = Opcode::Pool;
  pool.H = pool.W = 10;
  pool.Cp = 10;
  pool.KH = pool.KW = pool.SH = pool.SW = 1;
  pool.in = isp - 999;
  f.expectError({pool}, 0, "ISP footprint");
  pool.in = 0;
  pool.out = isp - 999;
  f.expectError({pool}, 0, "ISP footprint");
}

TEST(NpuErrors, HostBuffers) {
  Fixture f;
  // Buffer 1 is 100 bytes: rows at 10, 40, 70 of 31 bytes end at 101.
  f.expectError({load(0, 1, 0, 10, 3, 31, 30)}, 0, "outside host buffer 1");
  EXPECT_TRUE(f.sim.run({load(0, 1, 0, 10, 3, 30, 30), Instr{}}, f.buffers).ok);
  f.expectError({store(1, 99, 0, 1, 2, 0)}, 0, "outside host buffer 1");
  f.expectError({load(0, 2, 0, 0, 1, 1, 0)}, 0, "missing host buffer 2");
  f.expectError({fill(0, 0, 1, 0), store(15, 0, 0, 1, 1, 0)}, 1,
                "missing host buffer 15");
  f.buffers[1].data = nullptr;
  f.expectError({load(0, 1, 0, 0, 1, 1, 0)}, 0, "missing host buffer 1");
  // The largest offsets do not overflow the check.
  f.expectError({load(0, 0, 0, 0xFFFFFFFFu, 4095, 65535, 0xFFFFFF)}, 0,
                "footprint");
}

TEST(NpuErrors, Deadlocks) {
  Fixture f;
  // Nobody signals s3.
  f.expectError({fill(0, 0, 1, 0), withSems(matmul(0, 16, 1, 16, 0, 16, 0), 3, -1)},
                1, "deadlock");
  // A cycle: LOAD waits for the MATMUL that waits for the LOAD.
  std::vector<Instr> p = {withSems(load(0, 0, 0, 0, 1, 1, 0), 1, 0),
                          withSems(matmul(0, 16, 1, 16, 0, 16, 0), 0, 1),
                          Instr{}};
  RunResult r = f.sim.run(p, f.buffers);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "deadlock at cycle 2: instruction 0 (load) in queue LD "
                     "waits on s1=0; instruction 1 (matmul) in queue MM "
                     "waits on s0=0");
  EXPECT_EQ(r.errorIndex, 0);
  // Waiting twice on a semaphore signalled once; the queue behind the
  // stuck instruction is stuck too, but only heads are named.
  p = {withSems(fill(0, 0, 16, 0), -1, 2),
       withSems(store(0, 0, 0, 1, 1, 0), 2, -1, 2),
       store(0, 0, 0, 1, 1, 0), Instr{}};
  r = f.sim.run(p, f.buffers);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("instruction 1 (store) in queue ST waits on s2=1 "
                         "s2=1"),
            std::string::npos)
      << r.error;
  EXPECT_EQ(r.error.find("instruction 2"), std::string::npos) << r.error;
}

} // namespace

namespace {

/// A valid instruction whose fields are mostly small (so that many fit the
/// memories and run), sometimes anything in their range.
Instr smallRandomInstr(std::mt19937_64 &rng) {
  Instr i;
  i.op = static_cast<Opcode>(1 + rng() % (kNumOpcodes - 1));
  auto sem = [&]() {
    return rng() % 4 == 0 ? SemRef{true, static_cast<uint8_t>(rng() % 3)}
                          : SemRef{};
  };
  i.wait0 = sem();
  i.signal = sem();
  for (const FieldInfo &f : fieldsOf(i.op)) {
    uint64_t span = f.hi - f.lo;
    uint64_t v = rng() % 8 ? f.lo + rng() % std::min<uint64_t>(span + 1, 40)
                           : f.lo + rng() % (span + 1);
    i.*f.member = static_cast<uint32_t>(v);
  }
  if (i.op == Opcode::SetReg) {
    i.reg = i.queue == 1 ? rng() % 2 : rng() % 16;
    if (i.queue == 2 && i.reg == PP_ROUNDING)
      i.value = rng() % 4;
    if (i.queue == 2 && i.reg == PP_LEFT_SHIFT)
      i.value = rng() % 31;
  }
  return i;
}

TEST(NpuErrors, RandomProgramsNeverCrash) {
  std::mt19937_64 rng(99);
  int ran = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    std::vector<std::vector<uint8_t>> storage(4);
    std::vector<HostBuffer> buffers;
    for (auto &b : storage) {
      b.assign(rng() % 3000, static_cast<uint8_t>(rng()));
      buffers.push_back({rng() % 8 ? b.data() : nullptr, b.size()});
    }
    std::vector<Instr> p;
    for (int n = 1 + rng() % 12; n > 0; --n)
      p.push_back(smallRandomInstr(rng));
    p.push_back(Instr{});
    NpuConfig config;
    config.ispBytes = config.wspBytes = 4096;
    config.accEntries = 2048;
    Simulator sim(config);
    RunResult r = sim.run(p, buffers);
    if (r.ok) {
      ++ran;
      EXPECT_GE(r.cycles, p.size());
    } else {
      EXPECT_FALSE(r.error.empty());
      EXPECT_GE(r.errorIndex, 0) << r.error;
      EXPECT_LE(r.errorIndex, int64_t(p.size())) << r.error;
    }
  }
  EXPECT_GT(ran, 500);
}

} // namespace
