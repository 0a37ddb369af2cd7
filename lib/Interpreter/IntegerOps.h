//===- IntegerOps.h - Interpreter internals: integer-only IR -----*- C++
//-*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The families of ops that executeIntegerOp (IntegerOpExecution.cpp)
// dispatches to: linalg structured ops (LinalgExecution.cpp) and tensor
// dialect ops (TensorExecution.cpp), plus the operand checks they share.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_INTERPRETER_INTEGEROPS_H
#define QC_LIB_INTERPRETER_INTEGEROPS_H

#include "qc/runtime/Tensor.h"

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace qc::interp {

/// Checks that `tensor` can stand for operand `index` of `op` (of `type`):
/// its dtype, rank and static dimensions. Values of non-shaped types are
/// rank-0 tensors. Emits a located error otherwise.
mlir::LogicalResult checkOperand(mlir::Operation *op, unsigned index,
                                 const rt::Tensor &tensor, mlir::Type type);

/// Checks that `tensor`, produced for result `index` of `op`, is a value of
/// `type`; emits a located error otherwise.
mlir::LogicalResult checkResult(mlir::Operation *op, unsigned index,
                                const rt::Tensor &tensor, mlir::Type type);

/// A zero-filled tensor of the static-shape tensor type `type`; emits a
/// located error at `op` for dynamic shapes and unsupported element types.
mlir::FailureOr<rt::Tensor> makeZeroTensor(mlir::Operation *op,
                                           mlir::Type type);

/// Printed form of a shape, "2x3" ("?" for dynamic sizes), for messages.
std::string describeShape(llvm::ArrayRef<int64_t> shape);

/// Whether `op` is a linalg structured op on tensors whose body the scalar
/// evaluator supports.
bool isExecutableLinalgOp(mlir::Operation *op);

/// Runs a linalg structured op (linalg.generic, fill, matmul, ...): the
/// loop nest of its indexing maps around its compiled body.
mlir::LogicalResult executeLinalgOp(mlir::Operation *op,
                                    llvm::ArrayRef<const rt::Tensor *> operands,
                                    llvm::SmallVectorImpl<rt::Tensor> &results);

/// Whether `op` is a supported tensor dialect op.
bool isExecutableTensorOp(mlir::Operation *op);

/// Runs a tensor dialect op (empty, pad, reshapes, slices, concat, ...).
mlir::LogicalResult executeTensorOp(mlir::Operation *op,
                                    llvm::ArrayRef<const rt::Tensor *> operands,
                                    llvm::SmallVectorImpl<rt::Tensor> &results);

} // namespace qc::interp

#endif // QC_LIB_INTERPRETER_INTEGEROPS_H
