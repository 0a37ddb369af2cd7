//===- NpuDialect.h - npu dialect ---------------------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_NPU_IR_NPUDIALECT_H
#define QC_DIALECT_NPU_IR_NPUDIALECT_H

#include "mlir/IR/Dialect.h"

#include "qc/Dialect/Npu/IR/NpuOpsDialect.h.inc"

#endif // QC_DIALECT_NPU_IR_NPUDIALECT_H
