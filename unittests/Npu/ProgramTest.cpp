//===- ProgramTest.cpp - QNPU-1 program blobs -----------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/npu/Program.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace qc::npu;

namespace {

std::vector<Instr> sampleProgram() {
  std::vector<Instr> p;
  Instr l;
  l.op = Opcode::Load;
  l.rows = 3;
  l.rowBytes = 17;
  l.stride = 20;
  l.buffer = 1;
  l.signal = SemRef{true, 0};
  p.push_back(l);
  Instr s;
  s.op = Opcode::SetReg;
  s.queue = 1;
  s.reg = MM_IN_ZP;
  s.value = static_cast<uint32_t>(-3);
  p.push_back(s);
  Instr m;
  m.op = Opcode::Matmul;
  m.wait0 = SemRef{true, 0};
  m.M = 3;
  m.K = 17;
  m.N = 1;
  m.inStride = 17;
  p.push_back(m);
  p.push_back(Instr{});
  return p;
}

TEST(NpuProgram, Crc32) {
  const char *text = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const uint8_t *>(text), 9), 0xCBF43926u);
}

TEST(NpuProgram, RoundTrip) {
  NpuConfig config;
  std::vector<Instr> instrs = sampleProgram();
  std::vector<uint8_t> blob = writeBlob(config, instrs);
  ASSERT_EQ(blob.size(), 32 + 16 * instrs.size() + 4);
  EXPECT_EQ(std::memcmp(blob.data(), "QNPU0001", 8), 0);
  EXPECT_EQ(blob[8], 16);
  EXPECT_EQ(blob[28], instrs.size());
  std::string error;
  std::optional<Program> p = readBlob(blob, config, error);
  ASSERT_TRUE(p) << error;
  ASSERT_EQ(p->instrs.size(), instrs.size());
  for (size_t i = 0; i < instrs.size(); ++i)
    EXPECT_EQ(p->instrs[i], instrs[i]) << i;
}

TEST(NpuProgram, EveryByteFlipIsDetected) {
  NpuConfig config;
  std::vector<uint8_t> blob = writeBlob(config, sampleProgram());
  for (size_t i = 0; i < blob.size(); ++i)
    for (uint8_t mask : {0x01, 0x80, 0xFF}) {
      std::vector<uint8_t> bad = blob;
      bad[i] ^= mask;
      std::string error;
      EXPECT_FALSE(readBlob(bad, config, error)) << i;
      EXPECT_FALSE(error.empty());
    }
}

TEST(NpuProgram, Truncation) {
  NpuConfig config;
  std::vector<uint8_t> blob = writeBlob(config, sampleProgram());
  for (size_t n = 0; n < blob.size(); ++n) {
    std::string error;
    EXPECT_FALSE(readBlob(blob.data(), n, config, error)) << n;
    EXPECT_NE(error.find("size"), std::string::npos) << n << ": " << error;
  }
  std::vector<uint8_t> longer = blob;
  longer.push_back(0);
  std::string error;
  EXPECT_FALSE(readBlob(longer, config, error));
  EXPECT_NE(error.find("size"), std::string::npos) << error;
}

TEST(NpuProgram, Errors) {
  NpuConfig config;
  std::string error;
  std::vector<uint8_t> blob = writeBlob(config, sampleProgram());
  std::vector<uint8_t> magic = blob;
  magic[7] = '2';
  EXPECT_FALSE(readBlob(magic, config, error));
  EXPECT_NE(error.find("magic"), std::string::npos) << error;
  std::vector<uint8_t> sum = blob;
  sum.back() ^= 1;
  EXPECT_FALSE(readBlob(sum, config, error));
  EXPECT_NE(error.find("checksum"), std::string::npos) << error;

  NpuConfig other = config;
  other.cols = 32;
  EXPECT_FALSE(readBlob(writeBlob(other, sampleProgram()), config, error));
  EXPECT_NE(error.find("configuration"), std::string::npos) << error;
  other = config;
  other.accEntries = 1024;
  EXPECT_FALSE(readBlob(writeBlob(other, sampleProgram()), config, error));
  // Timing parameters are not recorded.
  other = config;
  other.dmaSetup = 1;
  EXPECT_TRUE(readBlob(writeBlob(other, sampleProgram()), config, error))
      << error;

  std::vector<Instr> noEnd = sampleProgram();
  noEnd.pop_back();
  EXPECT_FALSE(readBlob(writeBlob(config, noEnd), config, error));
  EXPECT_EQ(error, "instruction 3: missing END at the end of the program");
  std::vector<Instr> early = sampleProgram();
  early.insert(early.begin() + 1, Instr{});
  EXPECT_FALSE(readBlob(writeBlob(config, early), config, error));
  EXPECT_EQ(error, "instruction 1: END before the last instruction");
  EXPECT_FALSE(readBlob(writeBlob(config, {}), config, error));
  EXPECT_NE(error.find("missing END"), std::string::npos);

  // A corrupt word with a correct checksum: named by its index.
  std::vector<Instr> bad = sampleProgram();
  bad[2].N = 0;
  EXPECT_FALSE(readBlob(writeBlob(config, bad), config, error));
  EXPECT_EQ(error.rfind("instruction 2: field out of range: N=0", 0), 0u)
      << error;
}

} // namespace
