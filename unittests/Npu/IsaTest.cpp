//===- IsaTest.cpp - QNPU-1 encoding, decoding, assembly ------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/npu/Isa.h"

#include <gtest/gtest.h>

#include <random>

using namespace qc::npu;

namespace {

/// A valid instruction of kind `op` with every field random in its range.
Instr randomInstr(Opcode op, std::mt19937_64 &rng) {
  Instr instr;
  instr.op = op;
  auto sem = [&]() {
    SemRef s;
    if (op != Opcode::End && rng() % 2)
      s = SemRef{true, static_cast<uint8_t>(rng() % 8)};
    return s;
  };
  instr.wait0 = sem();
  instr.wait1 = sem();
  instr.signal = sem();
  for (const FieldInfo &f : fieldsOf(op)) {
    // Favour the ends of the range.
    uint64_t span = f.hi - f.lo;
    uint64_t pick = rng() % 4;
    uint64_t v = pick == 0 ? f.lo : pick == 1 ? f.hi : f.lo + rng() % (span + 1);
    instr.*f.member = static_cast<uint32_t>(v);
  }
  if (op == Opcode::SetReg) {
    instr.reg = static_cast<uint32_t>(rng() % (instr.queue == 1 ? 2 : 16));
    if (instr.queue == 2 && instr.reg == PP_ROUNDING)
      instr.value = static_cast<uint32_t>(rng() % 4);
    if (instr.queue == 2 && instr.reg == PP_LEFT_SHIFT)
      instr.value = static_cast<uint32_t>(rng() % 31);
  }
  return instr;
}

TEST(NpuIsa, FieldsFillAtMost128Bits) {
  for (unsigned op = 0; op < kNumOpcodes; ++op) {
    unsigned bits = 18;
    for (const FieldInfo &f : fieldsOf(static_cast<Opcode>(op)))
      bits += f.width;
    EXPECT_LE(bits, 128u) << opcodeName(static_cast<Opcode>(op));
  }
  // LOAD and STORE use every bit.
  unsigned load = 18;
  for (const FieldInfo &f : fieldsOf(Opcode::Load))
    load += f.width;
  EXPECT_EQ(load, 128u);
}

TEST(NpuIsa, KnownEncoding) {
  // MATMUL wait0=s2 signal=s5 M=1: op 4, wait0 = 0b1010 at bit 6, signal =
  // 0b1101 at bit 14, M=1 at bit 55, K=1 at bit 67, N=1 at bit 97.
  Instr m;
  m.op = Opcode::Matmul;
  m.wait0 = SemRef{true, 2};
  m.signal = SemRef{true, 5};
  m.M = m.K = m.N = 1;
  Word w = encode(m);
  EXPECT_EQ(w[0], 4 | (0xA & 3) << 6);
  EXPECT_EQ(w[1], (0xA >> 2) | (0xD & 3) << 6);
  EXPECT_EQ(w[2], 0xD >> 2);
  EXPECT_EQ(w[55 / 8], 1 << (55 % 8));
  EXPECT_EQ(w[67 / 8], 1 << (67 % 8));
  EXPECT_EQ(w[97 / 8], 1 << (97 % 8));
}

TEST(NpuIsa, RandomRoundTrip) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    Opcode op = static_cast<Opcode>(i % kNumOpcodes);
    Instr instr = randomInstr(op, rng);
    ASSERT_EQ(validate(instr), "") << toAsm(instr);
    std::string error;
    std::optional<Instr> back = decode(encode(instr), error);
    ASSERT_TRUE(back) << error << ": " << toAsm(instr);
    ASSERT_EQ(*back, instr) << toAsm(instr) << " vs " << toAsm(*back);
    ASSERT_EQ(encode(*back), encode(instr));
    std::optional<Instr> parsed = parseAsm(toAsm(instr), error);
    ASSERT_TRUE(parsed) << error << ": " << toAsm(instr);
    ASSERT_EQ(*parsed, instr) << toAsm(instr);
  }
}

TEST(NpuIsa, AsmText) {
  std::string error;
  std::optional<Instr> m = parseAsm(
      "matmul wait0=s0 signal=s1 accumulate=1 in=0x100 inStride=48 M=28 K=16 "
      "w=0x0 N=16 acc=0",
      error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(toAsm(*m), "matmul wait0=s0 signal=s1 accumulate=1 inSigned=0 "
                       "wSigned=0 in=0x100 inStride=48 M=28 K=16 w=0x0 N=16 "
                       "acc=0");
  std::optional<Instr> s = parseAsm("setreg queue=2 reg=0 value=-5", error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(static_cast<int32_t>(s->value), -5);
  EXPECT_EQ(toAsm(*s), "setreg queue=2 reg=0 value=-5");
  EXPECT_FALSE(parseAsm("jump x=1", error));
  EXPECT_FALSE(parseAsm("matmul M=0 K=1 N=1", error));
  EXPECT_NE(error.find("out of range"), std::string::npos) << error;
  EXPECT_FALSE(parseAsm("matmul M=1 K=1 N=1 bogus=3", error));
  EXPECT_FALSE(parseAsm("matmul wait0=s8 M=1 K=1 N=1", error));
}

/// Every single-bit flip of a valid word either decodes to another valid
/// instruction that re-encodes to the flipped word, or is rejected.
TEST(NpuIsa, BitFlipsNeverDecodeWrongly) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 300; ++i) {
    Instr instr = randomInstr(static_cast<Opcode>(i % kNumOpcodes), rng);
    Word word = encode(instr);
    for (unsigned bit = 0; bit < 128; ++bit) {
      Word bad = word;
      bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      std::string error;
      std::optional<Instr> d = decode(bad, error);
      if (d)
        ASSERT_EQ(encode(*d), bad) << toAsm(*d);
      else
        ASSERT_FALSE(error.empty());
    }
  }
}

std::string decodeError(const Word &w) {
  std::string error;
  EXPECT_FALSE(decode(w, error));
  return error;
}

Word withBits(Word w, unsigned pos, unsigned width, uint64_t v) {
  for (unsigned i = 0; i < width; ++i, ++pos) {
    uint8_t mask = static_cast<uint8_t>(1u << (pos % 8));
    w[pos / 8] = static_cast<uint8_t>((v >> i) & 1 ? w[pos / 8] | mask
                                                    : w[pos / 8] & ~mask);
  }
  return w;
}

TEST(NpuIsa, Rejections) {
  Instr m;
  m.op = Opcode::Matmul;
  m.M = m.K = m.N = 1;
  Word ok = encode(m);
  EXPECT_NE(decodeError(withBits(ok, 0, 6, 9)).find("invalid opcode"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(ok, 0, 6, 63)).find("invalid opcode"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(ok, 117, 1, 1)).find("unused"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(ok, 127, 1, 1)).find("unused"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(ok, 6, 4, 3)).find("semaphore"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(ok, 55, 12, 0)).find("M=0"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(ok, 97, 6, 0)).find("N=0"),
            std::string::npos);

  Instr l;
  l.op = Opcode::Load;
  l.rows = l.rowBytes = 1;
  EXPECT_NE(decodeError(withBits(encode(l), 18, 2, 2)).find("invalid space"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(encode(l), 76, 12, 0)).find("rows=0"),
            std::string::npos);
  Instr st = l;
  st.op = Opcode::Store;
  EXPECT_NE(decodeError(withBits(encode(st), 18, 2, 1)).find("invalid space"),
            std::string::npos);

  Instr s;
  s.op = Opcode::SetReg;
  s.queue = 2;
  Word sw = encode(s);
  EXPECT_NE(decodeError(withBits(sw, 18, 2, 0)).find("invalid queue"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(sw, 18, 2, 3)).find("invalid queue"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(sw, 20, 8, 16)).find("register"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(withBits(sw, 18, 2, 1), 20, 8, 2))
                .find("register"),
            std::string::npos);
  Word rounding = withBits(sw, 20, 8, PP_ROUNDING);
  EXPECT_NE(decodeError(withBits(rounding, 28, 32, 4)).find("rounding"),
            std::string::npos);
  Word shift = withBits(sw, 20, 8, PP_LEFT_SHIFT);
  EXPECT_NE(decodeError(withBits(shift, 28, 32, 31)).find("LEFT_SHIFT"),
            std::string::npos);

  Instr e;
  Word ew = encode(e);
  EXPECT_NE(decodeError(withBits(ew, 14, 4, 8)).find("END"),
            std::string::npos);
  EXPECT_NE(decodeError(withBits(ew, 18, 1, 1)).find("unused"),
            std::string::npos);

  Instr p;
  p.op = Opcode::Pool;
  p.H = p.W = p.Cp = p.KH = p.KW = p.SH = p.SW = 1;
  EXPECT_NE(decodeError(withBits(encode(p), 95, 3, 0)).find("SH=0"),
            std::string::npos);
}

} // namespace
