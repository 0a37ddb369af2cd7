//===- Values.h - Interpreter internals: values and constants ----*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_INTERPRETER_VALUES_H
#define QC_LIB_INTERPRETER_VALUES_H

#include "qc/Interpreter/Interpreter.h"

#include "mlir/IR/BuiltinTypes.h"

namespace qc {

/// The tensor held by a dense or dense_resource constant of `type`, or
/// failure for attributes the interpreter cannot read.
mlir::FailureOr<rt::Tensor> tensorFromAttr(mlir::Attribute attr,
                                           mlir::RankedTensorType type);

/// Runs one qnt op on interpreter values (QntOpExecution.cpp). Returns
/// failure after emitting a located error.
mlir::LogicalResult executeQntOp(mlir::Operation *op,
                                 llvm::ArrayRef<const rt::Tensor *> operands,
                                 llvm::SmallVectorImpl<rt::Tensor> &results);

/// Whether executeQntOp handles `op` (for the up-front check).
bool isExecutableQntOp(mlir::Operation *op);

/// Runs one op of integer-only IR (linalg, tensor and arith ops on
/// integer tensors; IntegerOpExecution.cpp). Returns failure after emitting
/// a located error.
mlir::LogicalResult
executeIntegerOp(mlir::Operation *op,
                 llvm::ArrayRef<const rt::Tensor *> operands,
                 llvm::SmallVectorImpl<rt::Tensor> &results);

/// Whether executeIntegerOp handles `op` (including everything nested in
/// it, e.g. a linalg.generic body).
bool isExecutableIntegerOp(mlir::Operation *op);

} // namespace qc

#endif // QC_LIB_INTERPRETER_VALUES_H
