//===- ObjectEmitter.h - LLVM dialect to native object files ------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Turns a module in the LLVM dialect into a relocatable object file in
// process, through LLVM's TargetMachine (no llc or clang subprocess).
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_CPU_OBJECTEMITTER_H
#define QC_TARGET_CPU_OBJECTEMITTER_H

#include "mlir/IR/Operation.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace qc {

/// The CPU to generate code for: "native" (the host, with its features),
/// "generic" (baseline x86-64 / the target's generic CPU), or an LLVM CPU
/// name such as "x86-64-v3" or "x86-64-v4".
struct CpuTarget {
  std::string cpu = "native";
};

/// Translates `module` (LLVM dialect) to LLVM IR, optimizes it at -O3 for
/// `target`, and writes a position-independent object file to `os`.
/// Failures are emitted as diagnostics at the module.
mlir::LogicalResult emitObjectFile(mlir::Operation *module,
                                   const CpuTarget &target,
                                   llvm::raw_ostream &os);

/// Registers `--emit-obj` (with `--cpu=`) for quant-translate.
void registerObjectEmission();

} // namespace qc

#endif // QC_TARGET_CPU_OBJECTEMITTER_H
