//===- InstrBuilders.h - Constructors of QNPU-1 instructions ----*- C++ -*-===//
//
// Part of the quant project.
//
// One small function per instruction kind (fields in the order of
// docs/npu.md section 3), shared by the layer builder and the tests.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NPU_INSTRBUILDERS_H
#define QC_NPU_INSTRBUILDERS_H

#include "qc/npu/Isa.h"

#include <cstdint>
#include <vector>

namespace qc::npu {

/// Semaphore `id`, or none when id < 0.
inline SemRef sem(int id) {
  return id < 0 ? SemRef{} : SemRef{true, static_cast<uint8_t>(id)};
}

inline Instr load(uint32_t space, uint32_t buffer, uint32_t dst, uint32_t src,
                  uint32_t rows, uint32_t rowBytes, uint32_t srcStride) {
  Instr i;
  i.op = Opcode::Load;
  i.space = space;
  i.buffer = buffer;
  i.dst = dst;
  i.src = src;
  i.rows = rows;
  i.rowBytes = rowBytes;
  i.stride = srcStride;
  return i;
}

inline Instr store(uint32_t buffer, uint32_t dst, uint32_t src, uint32_t rows,
                   uint32_t rowBytes, uint32_t dstStride) {
  Instr i = load(0, buffer, dst, src, rows, rowBytes, dstStride);
  i.op = Opcode::Store;
  return i;
}

inline Instr fill(uint32_t space, uint32_t dst, uint32_t bytes, uint8_t value) {
  Instr i;
  i.op = Opcode::Fill;
  i.space = space;
  i.dst = dst;
  i.bytes = bytes;
  i.value = value;
  return i;
}

inline Instr matmul(uint32_t in, uint32_t inStride, uint32_t M, uint32_t K,
                    uint32_t w, uint32_t N, uint32_t acc,
                    bool accumulate = false, bool inSigned = true,
                    bool wSigned = true) {
  Instr i;
  i.op = Opcode::Matmul;
  i.in = in;
  i.inStride = inStride;
  i.M = M;
  i.K = K;
  i.w = w;
  i.N = N;
  i.acc = acc;
  i.accumulate = accumulate;
  i.inSigned = inSigned;
  i.wSigned = wSigned;
  return i;
}

inline Instr requant(uint32_t acc, uint32_t M, uint32_t N, uint32_t out,
                     uint32_t outStride, uint32_t table, bool outSigned) {
  Instr i;
  i.op = Opcode::Requant;
  i.acc = acc;
  i.M = M;
  i.N = N;
  i.out = out;
  i.outStride = outStride;
  i.table = table;
  i.outSigned = outSigned;
  return i;
}

inline Instr setreg(uint32_t queue, uint32_t reg, int32_t value) {
  Instr i;
  i.op = Opcode::SetReg;
  i.queue = queue;
  i.reg = reg;
  i.value = static_cast<uint32_t>(value);
  return i;
}

inline Instr withSems(Instr i, int wait0, int signal, int wait1 = -1) {
  i.wait0 = sem(wait0);
  i.signal = sem(signal);
  i.wait1 = sem(wait1);
  return i;
}

inline void put32(std::vector<uint8_t> &bytes, size_t at, int32_t v) {
  for (int k = 0; k < 4; ++k)
    bytes[at + k] = static_cast<uint8_t>(static_cast<uint32_t>(v) >> (8 * k));
}

} // namespace qc::npu

#endif // QC_NPU_INSTRBUILDERS_H
