//===- NpuOps.h - npu dialect operations --------------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_NPU_IR_NPUOPS_H
#define QC_DIALECT_NPU_IR_NPUOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "qc/Dialect/Npu/IR/NpuDialect.h"
#include "qc/Dialect/Npu/IR/NpuOpsEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/Npu/IR/NpuOpsAttrs.h.inc"

#define GET_OP_CLASSES
#include "qc/Dialect/Npu/IR/NpuOps.h.inc"

#endif // QC_DIALECT_NPU_IR_NPUOPS_H
