//===- NpuRuntime.cpp - C ABI to run NPU programs on the simulator --------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/npu/npu_runtime.h"

#include "qc/npu/Simulator.h"

#include <algorithm>
#include <cstring>
#include <string>

using namespace qc::npu;

namespace {

int report(const std::string &message, char *error, size_t errorSize) {
  if (error && errorSize > 0) {
    size_t n = std::min(message.size(), errorSize - 1);
    std::memcpy(error, message.data(), n);
    error[n] = '\0';
  }
  return 1;
}

uint32_t word(const uint8_t *b, size_t at) {
  return static_cast<uint32_t>(b[at]) | static_cast<uint32_t>(b[at + 1]) << 8 |
         static_cast<uint32_t>(b[at + 2]) << 16 |
         static_cast<uint32_t>(b[at + 3]) << 24;
}

} // namespace

extern "C" int qc_npu_run(const uint8_t *blob, size_t blobSize,
                          const qc_npu_buffer *buffers, int count,
                          qc_npu_stats *stats, char *error,
                          size_t errorSize) {
  if (!blob || blobSize < 32)
    return report("not an NPU program blob (too short)", error, errorSize);
  if (count < 0 || count > 16 || (count > 0 && !buffers))
    return report("between 0 and 16 host buffers are allowed", error,
                  errorSize);
  // The machine the blob records; readBlob (in runBlob) checks the rest.
  NpuConfig config;
  config.rows = word(blob, 8);
  config.cols = word(blob, 12);
  config.ispBytes = word(blob, 16);
  config.wspBytes = word(blob, 20);
  config.accEntries = word(blob, 24);
  if (config.rows == 0 || config.rows > 64 || config.cols == 0 ||
      config.cols > 63 || config.ispBytes > (1u << 20) ||
      config.wspBytes > (1u << 20) || config.accEntries > (1u << 16))
    return report("not an NPU program blob (configuration out of range)",
                  error, errorSize);
  std::vector<HostBuffer> hostBuffers(16);
  for (int i = 0; i < count; ++i)
    hostBuffers[i] = HostBuffer{buffers[i].data, buffers[i].size};
  Simulator sim(config);
  RunResult r =
      sim.runBlob(std::vector<uint8_t>(blob, blob + blobSize), hostBuffers);
  if (!r.ok)
    return report(r.error, error, errorSize);
  if (stats) {
    stats->cycles = r.cycles;
    stats->macs = r.macs;
    stats->dma_bytes_in = r.dmaBytesIn;
    stats->dma_bytes_out = r.dmaBytesOut;
    stats->utilisation = r.utilisation;
  }
  return 0;
}
