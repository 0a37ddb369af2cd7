//===- Isa.cpp - QNPU-1 instructions: encoding and assembly ---------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/npu/Isa.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

using namespace qc::npu;

constexpr unsigned kHeaderBits = 18;
constexpr uint64_t kU32 = UINT32_MAX;

static uint64_t maxOf(unsigned width) {
  return width >= 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1;
}

#define F(name, width, lo, hi) FieldInfo{#name, width, &Instr::name, lo, hi}
#define FA(name, width) F(name, width, 0, maxOf(width))
#define FB(name) F(name, 1, 0, 1)

const std::vector<FieldInfo> &qc::npu::fieldsOf(Opcode op) {
  static const std::vector<FieldInfo> none;
  static const std::vector<FieldInfo> load = {
      F(space, 2, 0, 1),      FA(buffer, 4),
      FA(dst, 20),            F(src, 32, 0, kU32),
      F(rows, 12, 1, 4095),   F(rowBytes, 16, 1, 65535),
      FieldInfo{"srcStride", 24, &Instr::stride, 0, maxOf(24)}};
  static const std::vector<FieldInfo> store = {
      F(space, 2, 0, 0),      FA(buffer, 4),
      FA(src, 20),            F(dst, 32, 0, kU32),
      F(rows, 12, 1, 4095),   F(rowBytes, 16, 1, 65535),
      FieldInfo{"dstStride", 24, &Instr::stride, 0, maxOf(24)}};
  static const std::vector<FieldInfo> fill = {
      F(space, 2, 0, 1), FA(dst, 20), F(bytes, 20, 1, maxOf(20)),
      FA(value, 8)};
  static const std::vector<FieldInfo> matmul = {
      FB(accumulate), FB(inSigned),        FB(wSigned),
      FA(in, 18),     FA(inStride, 16),    F(M, 12, 1, 4095),
      F(K, 12, 1, 4095), FA(w, 18),        F(N, 6, 1, 63),
      FA(acc, 14)};
  static const std::vector<FieldInfo> requant = {
      FB(outSigned),  FA(acc, 14),       F(M, 12, 1, 4095), F(N, 6, 1, 63),
      FA(out, 18),    FA(outStride, 16), FA(table, 18)};
  static const std::vector<FieldInfo> add = {
      FB(aSigned), FB(bSigned), FB(outSigned), FA(a, 18),
      FA(b, 18),   FA(out, 18), F(count, 20, 1, maxOf(20))};
  static const std::vector<FieldInfo> pool = {
      FB(isAvg),         FB(countPad),      FieldInfo{"signed", 1, &Instr::isSigned, 0, 1},
      FA(in, 18),        FA(out, 18),       F(H, 10, 1, 1023),
      F(W, 10, 1, 1023), F(Cp, 10, 1, 1023), F(KH, 4, 1, 15),
      F(KW, 4, 1, 15),   F(SH, 3, 1, 7),    F(SW, 3, 1, 7),
      FA(padTop, 3),     FA(padBottom, 3),  FA(padLeft, 3),
      FA(padRight, 3)};
  static const std::vector<FieldInfo> setreg = {
      F(queue, 2, 1, 2), FA(reg, 8), F(value, 32, 0, kU32)};
  switch (op) {
  case Opcode::End: return none;
  case Opcode::Load: return load;
  case Opcode::Store: return store;
  case Opcode::Fill: return fill;
  case Opcode::Matmul: return matmul;
  case Opcode::Requant: return requant;
  case Opcode::Add: return add;
  case Opcode::Pool: return pool;
  case Opcode::SetReg: return setreg;
  }
  return none;
}

#undef FB
#undef FA
#undef F

const char *qc::npu::opcodeName(Opcode op) {
  static const char *names[] = {"end",     "load", "store", "fill",  "matmul",
                                "requant", "add",  "pool",  "setreg"};
  unsigned i = static_cast<unsigned>(op);
  return i < kNumOpcodes ? names[i] : "invalid";
}

Queue qc::npu::queueOf(const Instr &instr) {
  switch (instr.op) {
  case Opcode::Store: return Queue::ST;
  case Opcode::Matmul: return Queue::MM;
  case Opcode::Requant:
  case Opcode::Add:
  case Opcode::Pool: return Queue::PP;
  case Opcode::SetReg: return instr.queue == 1 ? Queue::MM : Queue::PP;
  default: return Queue::LD;
  }
}

const char *qc::npu::queueName(Queue q) {
  static const char *names[] = {"LD", "MM", "PP", "ST"};
  return names[static_cast<unsigned>(q)];
}

bool Instr::operator==(const Instr &o) const {
  if (op != o.op || !(wait0 == o.wait0) || !(wait1 == o.wait1) ||
      !(signal == o.signal))
    return false;
  for (const FieldInfo &f : fieldsOf(op))
    if (this->*f.member != o.*f.member)
      return false;
  return true;
}

//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

/// SETREG: the register must exist in its queue; ROUNDING and LEFT_SHIFT
/// have ranges.
static std::string validateSetReg(const Instr &instr) {
  int32_t v = static_cast<int32_t>(instr.value);
  if (instr.queue == 1)
    return instr.reg < kNumMmRegs ? "" : "invalid MM register " +
                                             std::to_string(instr.reg);
  if (instr.reg >= kNumPpRegs)
    return "invalid PP register " + std::to_string(instr.reg);
  if (instr.reg == PP_ROUNDING && (v < 0 || v > 3))
    return "invalid rounding " + std::to_string(v) + " (0..3)";
  if (instr.reg == PP_LEFT_SHIFT && (v < 0 || v > 30))
    return "LEFT_SHIFT " + std::to_string(v) + " out of range 0..30";
  return "";
}

std::string qc::npu::validate(const Instr &instr) {
  if (static_cast<unsigned>(instr.op) >= kNumOpcodes)
    return "invalid opcode " + std::to_string(static_cast<unsigned>(instr.op));
  for (const SemRef *s : {&instr.wait0, &instr.wait1, &instr.signal})
    if (s->valid && s->id >= kNumSemaphores)
      return "invalid semaphore " + std::to_string(s->id);
  if (instr.op == Opcode::End &&
      (instr.wait0.valid || instr.wait1.valid || instr.signal.valid))
    return "END cannot wait or signal";
  for (const FieldInfo &f : fieldsOf(instr.op)) {
    uint64_t v = instr.*f.member;
    if (v < f.lo || v > f.hi) {
      const char *what = std::strcmp(f.name, "space") == 0 ? "invalid space"
                         : std::strcmp(f.name, "queue") == 0
                             ? "invalid queue"
                             : "field out of range:";
      return std::string(what) + " " + f.name + "=" + std::to_string(v) +
             " (" + std::to_string(f.lo) + ".." + std::to_string(f.hi) + ")";
    }
  }
  if (instr.op == Opcode::SetReg)
    return validateSetReg(instr);
  return "";
}

//===----------------------------------------------------------------------===//
// Encoding
//===----------------------------------------------------------------------===//

static void putBits(Word &word, unsigned pos, unsigned width, uint64_t v) {
  for (unsigned i = 0; i < width; ++i, ++pos)
    if ((v >> i) & 1)
      word[pos / 8] |= static_cast<uint8_t>(1u << (pos % 8));
}

static uint64_t getBits(const Word &word, unsigned pos, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i, ++pos)
    v |= static_cast<uint64_t>((word[pos / 8] >> (pos % 8)) & 1) << i;
  return v;
}

static unsigned semBits(const SemRef &s) {
  return s.valid ? 8u | (s.id & 7u) : 0u;
}

static SemRef semOf(uint64_t bits) {
  return SemRef{(bits & 8) != 0, static_cast<uint8_t>(bits & 7)};
}

Word qc::npu::encode(const Instr &instr) {
  Word word{};
  putBits(word, 0, 6, static_cast<unsigned>(instr.op));
  putBits(word, 6, 4, semBits(instr.wait0));
  putBits(word, 10, 4, semBits(instr.wait1));
  putBits(word, 14, 4, semBits(instr.signal));
  unsigned pos = kHeaderBits;
  for (const FieldInfo &f : fieldsOf(instr.op)) {
    putBits(word, pos, f.width, (instr.*f.member) & maxOf(f.width));
    pos += f.width;
  }
  return word;
}

std::optional<Instr> qc::npu::decode(const Word &word, std::string &error) {
  Instr instr;
  uint64_t op = getBits(word, 0, 6);
  if (op >= kNumOpcodes) {
    error = "invalid opcode " + std::to_string(op);
    return std::nullopt;
  }
  instr.op = static_cast<Opcode>(op);
  // A wait/signal field without its valid bit must be all zero.
  for (unsigned pos : {6u, 10u, 14u}) {
    uint64_t bits = getBits(word, pos, 4);
    if (!(bits & 8) && bits != 0) {
      error = "nonzero semaphore bits without the valid bit";
      return std::nullopt;
    }
  }
  instr.wait0 = semOf(getBits(word, 6, 4));
  instr.wait1 = semOf(getBits(word, 10, 4));
  instr.signal = semOf(getBits(word, 14, 4));
  unsigned pos = kHeaderBits;
  for (const FieldInfo &f : fieldsOf(instr.op)) {
    instr.*f.member = static_cast<uint32_t>(getBits(word, pos, f.width));
    pos += f.width;
  }
  for (; pos < 128; pos += 64)
    if (getBits(word, pos, std::min(64u, 128 - pos)) != 0) {
      error = "nonzero unused bits";
      return std::nullopt;
    }
  error = validate(instr);
  if (!error.empty())
    return std::nullopt;
  return instr;
}

std::optional<Instr> qc::npu::decode(const uint8_t *bytes, std::string &error) {
  Word word;
  std::memcpy(word.data(), bytes, word.size());
  return decode(word, error);
}

//===----------------------------------------------------------------------===//
// Assembly
//===----------------------------------------------------------------------===//

static bool isAddress(const char *name) {
  static const char *names[] = {"dst", "src", "in", "w", "out", "table",
                                "a", "b", "acc"};
  for (const char *n : names)
    if (std::strcmp(name, n) == 0)
      return true;
  return false;
}

std::string qc::npu::toAsm(const Instr &instr) {
  std::ostringstream os;
  os << opcodeName(instr.op);
  if (instr.wait0.valid)
    os << " wait0=s" << unsigned(instr.wait0.id);
  if (instr.wait1.valid)
    os << " wait1=s" << unsigned(instr.wait1.id);
  if (instr.signal.valid)
    os << " signal=s" << unsigned(instr.signal.id);
  for (const FieldInfo &f : fieldsOf(instr.op)) {
    uint32_t v = instr.*f.member;
    os << ' ' << f.name << '=';
    if (instr.op == Opcode::SetReg && std::strcmp(f.name, "value") == 0)
      os << static_cast<int32_t>(v);
    else if (isAddress(f.name) && std::strcmp(f.name, "acc") != 0)
      os << "0x" << std::hex << v << std::dec;
    else
      os << v;
  }
  return os.str();
}

static bool parseNumber(const std::string &text, int64_t &v) {
  if (text.empty())
    return false;
  char *end = nullptr;
  errno = 0;
  long long r = std::strtoll(text.c_str(), &end, 0);
  if (errno || *end)
    return false;
  v = r;
  return true;
}

static bool parseSem(const std::string &text, SemRef &s) {
  if (text.size() != 2 || text[0] != 's' || text[1] < '0' || text[1] > '7')
    return false;
  s = SemRef{true, static_cast<uint8_t>(text[1] - '0')};
  return true;
}

static bool setField(Instr &instr, const std::string &key,
                     const std::string &text, std::string &error) {
  if (key == "wait0" || key == "wait1" || key == "signal") {
    SemRef &s = key == "wait0"   ? instr.wait0
                : key == "wait1" ? instr.wait1
                                 : instr.signal;
    if (!parseSem(text, s))
      error = "bad semaphore '" + text + "'";
    return error.empty();
  }
  for (const FieldInfo &f : fieldsOf(instr.op)) {
    if (key != f.name)
      continue;
    int64_t v;
    if (!parseNumber(text, v) || v < INT32_MIN || v > INT64_C(0xffffffff)) {
      error = "bad value '" + text + "' for " + key;
      return false;
    }
    instr.*f.member = static_cast<uint32_t>(v);
    return true;
  }
  error = "unknown field '" + key + "' of " + opcodeName(instr.op);
  return false;
}

std::optional<Instr> qc::npu::parseAsm(const std::string &line,
                                       std::string &error) {
  std::istringstream is(line);
  std::string name, token;
  is >> name;
  Instr instr;
  unsigned op = 0;
  while (op < kNumOpcodes && name != opcodeName(static_cast<Opcode>(op)))
    ++op;
  if (op == kNumOpcodes) {
    error = "unknown instruction '" + name + "'";
    return std::nullopt;
  }
  instr.op = static_cast<Opcode>(op);
  while (is >> token) {
    size_t eq = token.find('=');
    if (eq == std::string::npos) {
      error = "expected field=value, got '" + token + "'";
      return std::nullopt;
    }
    if (!setField(instr, token.substr(0, eq), token.substr(eq + 1), error))
      return std::nullopt;
  }
  error = validate(instr);
  if (!error.empty())
    return std::nullopt;
  return instr;
}
