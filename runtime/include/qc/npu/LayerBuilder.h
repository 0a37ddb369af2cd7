//===- LayerBuilder.h - QNPU-1 programs of one layer ------------*- C++ -*-===//
//
// Part of the quant project.
//
// Builds the instruction stream and constant blob of one quantized conv2d
// or fully-connected layer, following docs/npu.md section 8: buffer 0 =
// constants (per output-channel group of up to C channels: the weight
// tiles [tap][Cin][N], then the REQUANT table of N entries {bias, m0,
// shift}), buffer 1 = the NHWC input, buffer 2 = the NHWC output. Plain
// C++ (no MLIR): the future --qnt-compile-npu calls it.
//
// The program:
//   - FILLs the padded input area of the ISP with the input zero point
//     (only when there is padding) and LOADs the input rows into it;
//   - per channel group: LOADs the group's tiles and table into a WSP slot
//     (two slots when they fit, so the next group loads during this one);
//   - per band of output rows (as many as fit ACC and the ISP, in one of
//     two ACC / ISP-output slots when they fit): for each kernel tap, for
//     each output row, one MATMUL over the row's OW pixels (the tap's
//     weight tile stays in the array), accumulating after the first tap;
//     one REQUANT of the band into the ISP; one STORE into the output's
//     column slice of the group (dstStride = Cout).
// Semaphores (every signal is consumed, so a run ends with all at 0):
//   0  last MATMUL of a band -> its REQUANT
//   1  REQUANT -> its STORE
//   2,3  STORE of band b -> first MATMUL of band b + 2 (same ACC / output
//        slot; the REQUANT of b completed before its STORE started)
//   4,5  weight LOAD of group g -> first MATMUL of group g (the LD queue
//        runs in order, so the input is loaded by then too)
//   6,7  after the last REQUANT of group g, a PP SETREG (OUT_ZP rewritten
//        with its value) -> the weight LOAD of group g + 2 (same WSP slot)
// With one slot (when two do not fit) the same semaphores serve with
// "b + 1" and "g + 1".
//
//===----------------------------------------------------------------------===//

#ifndef QC_NPU_LAYERBUILDER_H
#define QC_NPU_LAYERBUILDER_H

#include "qc/npu/Isa.h"
#include "qc/npu/NpuConfig.h"
#include "qc/runtime/QuantParams.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace qc::npu {

/// One quantized conv2d of a single image, NHWC / OHWI.
struct ConvLayer {
  int H = 1, W = 1, Cin = 1;        ///< input [1, H, W, Cin]
  bool inSigned = false;            ///< input bytes int8 (true) or uint8
  int32_t inZp = 0;                 ///< input zero point
  int Cout = 1, KH = 1, KW = 1;     ///< weights [Cout, KH, KW, Cin]
  std::vector<int8_t> weights;      ///< OHWI, int8
  int32_t wZp = 0;                  ///< per-tensor weight zero point
  std::vector<int32_t> bias;        ///< [Cout] or empty (zero)
  int strideH = 1, strideW = 1;     ///< 1 .. any
  int dilationH = 1, dilationW = 1; ///< only 1 is supported
  int padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
  bool outSigned = true; ///< output bytes int8 (true) or uint8
  /// multipliers: one or Cout; zeroPoint, lo, hi, rounding as the runtime.
  rt::OutputStage stage;

  int OH() const { return (H + padTop + padBottom - KH) / strideH + 1; }
  int OW() const { return (W + padLeft + padRight - KW) / strideW + 1; }
};

/// One fully-connected layer: input [M][K] (8-bit), weights [N][K] int8,
/// output [M][N]. Built as a 1x1 conv of a [1, 1, M, K] image.
struct FcLayer {
  int M = 1, K = 1, N = 1;
  bool inSigned = false;
  int32_t inZp = 0;
  std::vector<int8_t> weights; ///< [N][K]
  int32_t wZp = 0;
  std::vector<int32_t> bias; ///< [N] or empty
  bool outSigned = true;
  rt::OutputStage stage;
};

/// A built program. On failure `error` says why and the rest is empty.
struct BuiltProgram {
  std::vector<Instr> instrs;      ///< ends with END
  std::vector<uint8_t> constants; ///< buffer 0
  size_t inputBytes = 0;          ///< buffer 1: H * W * Cin
  size_t outputBytes = 0;         ///< buffer 2: OH * OW * Cout
  uint64_t macs = 0;              ///< sum of M * K * N over the MATMULs
  int groups = 0, bands = 0;      ///< channel groups, row bands per group
  std::string error;
  bool ok() const { return error.empty(); }
};

BuiltProgram buildConv2d(const ConvLayer &layer,
                         const NpuConfig &config = NpuConfig());
BuiltProgram buildFullyConnected(const FcLayer &layer,
                                 const NpuConfig &config = NpuConfig());

} // namespace qc::npu

#endif // QC_NPU_LAYERBUILDER_H
