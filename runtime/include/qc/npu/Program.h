//===- Program.h - QNPU-1 program blobs -------------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The program blob of docs/npu.md section 5: magic "QNPU0001", the
// configuration, the instruction count, the words, and a CRC-32 (IEEE).
//
//===----------------------------------------------------------------------===//

#ifndef QC_NPU_PROGRAM_H
#define QC_NPU_PROGRAM_H

#include "qc/npu/Isa.h"
#include "qc/npu/NpuConfig.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qc::npu {

struct Program {
  NpuConfig config; ///< the recorded shape (R, C, ISP, WSP, ACC); timing defaults
  std::vector<Instr> instrs;
};

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320).
uint32_t crc32(const uint8_t *data, size_t size);

/// The machine configuration a blob records (section 5), checked only to be
/// within what the address fields can reach, so that a simulator can be
/// built for it before readBlob checks the rest. False (with `error`) for
/// a blob too short to hold one.
bool peekBlobConfig(const uint8_t *data, size_t size, NpuConfig &config,
                    std::string &error);

/// The blob of `instrs` (encoded as they are; validate them first).
std::vector<uint8_t> writeBlob(const NpuConfig &config,
                               const std::vector<Instr> &instrs);
/// Checks magic, size, checksum, configuration (against `expected`'s
/// recorded part), every word, and that END is last and appears once. The
/// returned program carries `expected` as its configuration.
std::optional<Program> readBlob(const uint8_t *data, size_t size,
                                const NpuConfig &expected, std::string &error);
std::optional<Program> readBlob(const std::vector<uint8_t> &blob,
                                const NpuConfig &expected, std::string &error);
/// END last and unique; every instruction valid. "" when so; otherwise
/// the reason, and `index` (if given) is set to the instruction named.
std::string checkProgram(const std::vector<Instr> &instrs,
                         int64_t *index = nullptr);

} // namespace qc::npu

#endif // QC_NPU_PROGRAM_H
