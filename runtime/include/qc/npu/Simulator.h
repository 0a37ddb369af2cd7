//===- Simulator.h - QNPU-1 cycle-counting simulator ------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Runs a QNPU-1 program (docs/npu.md) on host buffers: bit-exact with the
// reference runtime (the arithmetic is QCReference's), and counting cycles
// with the timing model of section 4. Every instruction is checked (fields
// against the configuration, scratchpad, ACC and host footprints, buffers)
// before anything runs, so a bad program changes no memory and never reads
// or writes out of bounds; deadlocks are found while running.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NPU_SIMULATOR_H
#define QC_NPU_SIMULATOR_H

#include "qc/npu/Isa.h"
#include "qc/npu/NpuConfig.h"
#include "qc/npu/Program.h"
#include "qc/runtime/KernelAttrs.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace qc::npu {

/// A host buffer: DMA addresses are (index, byte offset). A null `data` is
/// a missing buffer.
struct HostBuffer {
  uint8_t *data = nullptr;
  size_t size = 0;
};

struct InstrStats {
  uint64_t start = 0, end = 0; ///< cycles: starts at `start`, done at `end`
  uint64_t macs = 0;           ///< M * K * N for MATMUL
};

struct RunResult {
  bool ok = false;
  std::string error;      ///< "instruction I (...): why" or a deadlock report
  int64_t errorIndex = -1; ///< the instruction named first, -1 if none
  uint64_t cycles = 0;    ///< when the last instruction completed
  std::vector<InstrStats> stats; ///< one per instruction (END included)
  uint64_t macs = 0;
  uint64_t dmaBytesIn = 0, dmaBytesOut = 0; ///< LOAD and STORE bytes
  double utilisation = 0; ///< macs / (cycles * R * C)
};

/// The window of a POOL instruction in the runtime kernels' terms.
rt::PoolAttrs poolAttrsOf(const Instr &pool);

namespace detail {
struct Queues; // the run loop's state (Simulator.cpp)
} // namespace detail

class Simulator {
public:
  explicit Simulator(const NpuConfig &config = NpuConfig());

  const NpuConfig &config() const { return config_; }
  /// The scratchpads keep their contents between runs (reset() clears
  /// them); registers, semaphores and the array's tile start afresh in
  /// every run.
  std::vector<uint8_t> &isp() { return isp_; }
  std::vector<uint8_t> &wsp() { return wsp_; }
  std::vector<int32_t> &acc() { return acc_; }
  void reset();

  /// Runs a program read by readBlob (its configuration must be ours).
  RunResult run(const Program &program, const std::vector<HostBuffer> &buffers);
  RunResult run(const std::vector<Instr> &instrs,
                const std::vector<HostBuffer> &buffers);
  /// Reads the blob and runs it.
  RunResult runBlob(const std::vector<uint8_t> &blob,
                    const std::vector<HostBuffer> &buffers);

  /// The weight tile held by the array (section 4).
  struct Tile {
    bool valid = false;
    uint32_t w = 0, K = 0, N = 0, wSigned = 0;
  };

private:
  struct State {
    std::array<int32_t, kNumMmRegs> mm{};
    std::array<int32_t, kNumPpRegs> pp{};
    Tile tile;
  };

  bool precheck(const std::vector<Instr> &instrs,
                const std::vector<HostBuffer> &buffers,
                RunResult &result) const;
  bool start(const std::vector<Instr> &instrs,
             const std::vector<HostBuffer> &buffers, uint64_t t,
             detail::Queues &qs,
             State &state, RunResult &result);
  std::string check(const Instr &instr,
                    const std::vector<HostBuffer> &buffers) const;
  uint64_t cost(const Instr &instr, const State &state) const;
  std::string execute(const Instr &instr, const std::vector<HostBuffer> &buffers,
                      State &state, RunResult &result);
  void dma(const Instr &instr, const std::vector<HostBuffer> &buffers,
           State &state, RunResult &result);
  void matmul(const Instr &instr, const State &state);
  void requant(const Instr &instr, const State &state);
  std::string add(const Instr &instr, const State &state);
  std::string pool(const Instr &instr, const State &state);

  NpuConfig config_;
  std::vector<uint8_t> isp_, wsp_;
  std::vector<int32_t> acc_;
};

} // namespace qc::npu

#endif // QC_NPU_SIMULATOR_H
