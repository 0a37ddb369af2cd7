//===- HeaderEmitter.h - C header for a compiled model ------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Writes the C header a program includes to call a model compiled with
// --emit-obj: the entry point (MLIR's C interface), the memref descriptor
// types, and for each input and output its shape, dtype and the
// quantization parameters at the model's edge.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_CPU_HEADEREMITTER_H
#define QC_TARGET_CPU_HEADEREMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace qc {

/// Writes the header for the entry function `entry` (or @main, or the only
/// function) of `module`, which must still be at the tensor level (before
/// --qnt-loops-to-llvm).
mlir::LogicalResult emitCHeader(mlir::ModuleOp module, llvm::StringRef entry,
                                llvm::raw_ostream &os);

/// Registers `--emit-c-header` (with `--entry=`) for quant-translate.
void registerHeaderEmission();

} // namespace qc

#endif // QC_TARGET_CPU_HEADEREMITTER_H
