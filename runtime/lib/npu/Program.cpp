//===- Program.cpp - QNPU-1 program blobs ---------------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/npu/Program.h"

#include <cstring>

using namespace qc::npu;

static const char kMagic[8] = {'Q', 'N', 'P', 'U', '0', '0', '0', '1'};
constexpr size_t kHeaderBytes = 32;

uint32_t qc::npu::crc32(const uint8_t *data, size_t size) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static void put32(std::vector<uint8_t> &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

static uint32_t get32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}

std::vector<uint8_t> qc::npu::writeBlob(const NpuConfig &config,
                                        const std::vector<Instr> &instrs) {
  std::vector<uint8_t> out(kMagic, kMagic + 8);
  for (uint32_t v : {config.rows, config.cols, config.ispBytes,
                     config.wspBytes, config.accEntries,
                     static_cast<uint32_t>(instrs.size())})
    put32(out, v);
  for (const Instr &instr : instrs) {
    Word w = encode(instr);
    out.insert(out.end(), w.begin(), w.end());
  }
  put32(out, crc32(out.data(), out.size()));
  return out;
}

std::string qc::npu::checkProgram(const std::vector<Instr> &instrs,
                                  int64_t *index) {
  auto fail = [&](size_t i, const std::string &why) {
    if (index)
      *index = static_cast<int64_t>(i);
    return "instruction " + std::to_string(i) + ": " + why;
  };
  for (size_t i = 0; i < instrs.size(); ++i) {
    std::string why = validate(instrs[i]);
    if (!why.empty())
      return fail(i, why);
    if (instrs[i].op == Opcode::End && i + 1 != instrs.size())
      return fail(i, "END before the last instruction");
  }
  if (instrs.empty() || instrs.back().op != Opcode::End)
    return fail(instrs.size(), "missing END at the end of the program");
  return "";
}

static std::string checkHeader(const uint8_t *data, size_t size,
                               const NpuConfig &expected, uint32_t &count) {
  if (size < kHeaderBytes + 4)
    return "bad size: " + std::to_string(size) + " bytes, shorter than a header";
  if (std::memcmp(data, kMagic, 8) != 0)
    return "bad magic (not a QNPU0001 program)";
  count = get32(data + 28);
  if (static_cast<uint64_t>(count) * 16 + kHeaderBytes + 4 != size)
    return "bad size: " + std::to_string(size) + " bytes for " +
           std::to_string(count) + " instructions";
  size_t body = size - 4;
  if (crc32(data, body) != get32(data + body))
    return "bad checksum";
  NpuConfig got = expected;
  got.rows = get32(data + 8);
  got.cols = get32(data + 12);
  got.ispBytes = get32(data + 16);
  got.wspBytes = get32(data + 20);
  got.accEntries = get32(data + 24);
  if (!got.sameShape(expected))
    return "configuration mismatch: the program is for R=" +
           std::to_string(got.rows) + " C=" + std::to_string(got.cols) +
           " ISP=" + std::to_string(got.ispBytes) +
           " WSP=" + std::to_string(got.wspBytes) +
           " ACC=" + std::to_string(got.accEntries);
  return "";
}

std::optional<Program> qc::npu::readBlob(const uint8_t *data, size_t size,
                                         const NpuConfig &expected,
                                         std::string &error) {
  uint32_t count = 0;
  error = checkHeader(data, size, expected, count);
  if (!error.empty())
    return std::nullopt;
  Program program;
  program.config = expected;
  program.instrs.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string why;
    std::optional<Instr> instr = decode(data + kHeaderBytes + 16 * i, why);
    if (!instr) {
      error = "instruction " + std::to_string(i) + ": " + why;
      return std::nullopt;
    }
    program.instrs.push_back(*instr);
  }
  error = checkProgram(program.instrs);
  if (!error.empty())
    return std::nullopt;
  return program;
}

std::optional<Program> qc::npu::readBlob(const std::vector<uint8_t> &blob,
                                         const NpuConfig &expected,
                                         std::string &error) {
  return readBlob(blob.data(), blob.size(), expected, error);
}

bool qc::npu::peekBlobConfig(const uint8_t *data, size_t size,
                             NpuConfig &config, std::string &error) {
  if (!data || size < 32) {
    error = "not an NPU program blob (too short)";
    return false;
  }
  auto word = [&](size_t at) {
    return static_cast<uint32_t>(data[at]) |
           static_cast<uint32_t>(data[at + 1]) << 8 |
           static_cast<uint32_t>(data[at + 2]) << 16 |
           static_cast<uint32_t>(data[at + 3]) << 24;
  };
  config.rows = word(8);
  config.cols = word(12);
  config.ispBytes = word(16);
  config.wspBytes = word(20);
  config.accEntries = word(24);
  if (config.rows == 0 || config.rows > 64 || config.cols == 0 ||
      config.cols > 63 || config.ispBytes > (1u << 20) ||
      config.wspBytes > (1u << 20) || config.accEntries > (1u << 16)) {
    error = "not an NPU program blob (configuration out of range)";
    return false;
  }
  return true;
}
