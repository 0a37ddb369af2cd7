//===- Passes.h - passes of the CPU target ------------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_CPU_PASSES_H
#define QC_TARGET_CPU_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Pass/Pass.h"

namespace qc {

#define GEN_PASS_DECL
#include "qc/Target/Cpu/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qc/Target/Cpu/Passes.h.inc"

} // namespace qc

#endif // QC_TARGET_CPU_PASSES_H
