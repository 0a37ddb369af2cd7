//===- NpuConfig.h - QNPU-1 machine parameters ------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The parameters of docs/npu.md section 1, with their defaults.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NPU_NPUCONFIG_H
#define QC_NPU_NPUCONFIG_H

#include <cstdint>

namespace qc::npu {

struct NpuConfig {
  uint32_t rows = 16;                 ///< R: reduction lanes
  uint32_t cols = 16;                 ///< C: output lanes
  uint32_t ispBytes = 256 * 1024;     ///< ISP
  uint32_t wspBytes = 256 * 1024;     ///< WSP
  uint32_t accEntries = 16384;        ///< ACC (int32 entries)
  uint32_t dmaBytesPerCycle = 16;     ///< B
  uint32_t dmaSetup = 64;             ///< Tdma
  uint32_t ppuLanes = 16;             ///< P
  uint32_t ppuSetup = 8;              ///< Tppu

  /// The part recorded in a program blob (section 5).
  bool sameShape(const NpuConfig &o) const {
    return rows == o.rows && cols == o.cols && ispBytes == o.ispBytes &&
           wspBytes == o.wspBytes && accEntries == o.accEntries;
  }
};

} // namespace qc::npu

#endif // QC_NPU_NPUCONFIG_H
