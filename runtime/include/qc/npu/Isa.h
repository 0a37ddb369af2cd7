//===- Isa.h - QNPU-1 instructions: encoding and assembly -------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The instruction set of docs/npu.md section 3: one 128-bit word per
// instruction, 16 bytes little-endian. `Instr` holds the fields of every
// kind (each kind uses its own subset, named as in the document); a table
// per opcode gives each field's bit width and range, and drives the
// encoder, the decoder, the disassembler and the assembler. Plain C++17.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NPU_ISA_H
#define QC_NPU_ISA_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qc::npu {

enum class Opcode : uint8_t {
  End = 0,
  Load = 1,
  Store = 2,
  Fill = 3,
  Matmul = 4,
  Requant = 5,
  Add = 6,
  Pool = 7,
  SetReg = 8,
};
constexpr unsigned kNumOpcodes = 9;

/// The four instruction queues of section 4.
enum class Queue : uint8_t { LD = 0, MM = 1, PP = 2, ST = 3 };
constexpr unsigned kNumQueues = 4;
constexpr unsigned kNumSemaphores = 8;

/// MM and PP registers (section 3.8).
enum MmReg : uint8_t { MM_IN_ZP = 0, MM_W_ZP = 1, kNumMmRegs = 2 };
enum PpReg : uint8_t {
  PP_OUT_ZP = 0, PP_OUT_LO, PP_OUT_HI, PP_ROUNDING, PP_IN_ZP, PP_POOL_M0,
  PP_POOL_SHIFT, PP_A_ZP, PP_B_ZP, PP_LEFT_SHIFT, PP_A_M0, PP_A_SHIFT,
  PP_B_M0, PP_B_SHIFT, PP_OUT_M0, PP_OUT_SHIFT, kNumPpRegs
};

/// A wait or signal field: bit 3 valid, bits 0..2 the semaphore.
struct SemRef {
  bool valid = false;
  uint8_t id = 0;
  bool operator==(const SemRef &o) const {
    return valid == o.valid && (!valid || id == o.id);
  }
};

/// One instruction. Fields not used by `op` are 0. Names follow
/// docs/npu.md; `stride` is LOAD's srcStride and STORE's dstStride, `value`
/// is FILL's byte and SETREG's value (two's complement), `isSigned` is
/// POOL's `signed`.
struct Instr {
  Opcode op = Opcode::End;
  SemRef wait0, wait1, signal;
  uint32_t space = 0, buffer = 0, dst = 0, src = 0, rows = 0, rowBytes = 0,
           stride = 0;
  uint32_t bytes = 0, value = 0;
  uint32_t accumulate = 0, inSigned = 0, wSigned = 0, in = 0, inStride = 0,
           M = 0, K = 0, w = 0, N = 0, acc = 0;
  uint32_t outSigned = 0, out = 0, outStride = 0, table = 0;
  uint32_t aSigned = 0, bSigned = 0, a = 0, b = 0, count = 0;
  uint32_t isAvg = 0, countPad = 0, isSigned = 0, H = 0, W = 0, Cp = 0,
           KH = 0, KW = 0, SH = 0, SW = 0, padTop = 0, padBottom = 0,
           padLeft = 0, padRight = 0;
  uint32_t queue = 0, reg = 0;

  bool operator==(const Instr &o) const;
  bool operator!=(const Instr &o) const { return !(*this == o); }
};

/// One field of an instruction kind: name, width in bits, and the values
/// the decoder accepts (lo..hi, within the width).
struct FieldInfo {
  const char *name;
  unsigned width;
  uint32_t Instr::*member;
  uint64_t lo, hi;
};
/// The fields of `op` after the common 18 bits, in bit order.
const std::vector<FieldInfo> &fieldsOf(Opcode op);
const char *opcodeName(Opcode op);
/// The queue an instruction goes to (SETREG: the one its field names;
/// END: none, returns LD).
Queue queueOf(const Instr &instr);
const char *queueName(Queue q);

using Word = std::array<uint8_t, 16>;

/// Checks every field of `instr` against its kind's table and the register
/// rules of section 3.8; returns "" when valid, else the reason.
std::string validate(const Instr &instr);
/// The word of a valid instruction (fields are masked to their widths).
Word encode(const Instr &instr);
/// Decodes one word; on failure returns nullopt and sets `error`.
std::optional<Instr> decode(const Word &word, std::string &error);
std::optional<Instr> decode(const uint8_t *bytes, std::string &error);

/// One line of assembly: `matmul wait=s0 signal=s1 accumulate=1 ...` with
/// every field of the kind (booleans and numbers in decimal, addresses in
/// hex).
std::string toAsm(const Instr &instr);
/// Parses what toAsm prints (fields may be omitted: 0; wait0/wait1/wait
/// and signal take `sN`). Returns nullopt and sets `error` on bad input.
std::optional<Instr> parseAsm(const std::string &line, std::string &error);

} // namespace qc::npu

#endif // QC_NPU_ISA_H
