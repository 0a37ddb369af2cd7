//===- NpuRuntime.cpp - C ABI to run NPU programs on the simulator --------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/npu/npu_runtime.h"

#include "qc/npu/Program.h"
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

} // namespace

extern "C" int qc_npu_run(const uint8_t *blob, size_t blobSize,
                          const qc_npu_buffer *buffers, int count,
                          qc_npu_stats *stats, char *error, size_t errorSize) {
  if (count < 0 || count > 16 || (count > 0 && !buffers))
    return report("between 0 and 16 host buffers are allowed", error,
                  errorSize);
  // A simulator for the machine the blob records; runBlob checks the rest.
  NpuConfig config;
  std::string problem;
  if (!peekBlobConfig(blob, blobSize, config, problem))
    return report(problem, error, errorSize);
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
