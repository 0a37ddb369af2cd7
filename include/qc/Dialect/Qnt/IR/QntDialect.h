//===- QntDialect.h - qnt dialect ---------------------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_IR_QNTDIALECT_H
#define QC_DIALECT_QNT_IR_QNTDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "qc/Dialect/Qnt/IR/QntOpsDialect.h.inc"

#endif // QC_DIALECT_QNT_IR_QNTDIALECT_H
