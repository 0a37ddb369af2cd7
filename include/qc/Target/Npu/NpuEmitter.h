//===- NpuEmitter.h - npu.program to the NPU's program blob -------*- C++
//-*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_NPU_NPUEMITTER_H
#define QC_TARGET_NPU_NPUEMITTER_H

#include "qc/npu/Isa.h"
#include "qc/npu/NpuConfig.h"

#include "mlir/IR/BuiltinOps.h"

namespace qc {

/// The instructions of the single npu.program in `module`, encoded 1:1
/// (docs/npu.md section 3), and its machine configuration. Errors are
/// reported at the offending op.
mlir::LogicalResult collectNpuProgram(mlir::ModuleOp module,
                                      npu::NpuConfig &config,
                                      std::vector<npu::Instr> &instrs);

/// Registers quant-translate --emit-npu (the program blob of docs/npu.md
/// section 5) and --emit-npu-asm (one instruction per line).
void registerNpuEmission();

} // namespace qc

#endif // QC_TARGET_NPU_NPUEMITTER_H
