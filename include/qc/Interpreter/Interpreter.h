//===- Interpreter.h - Reference interpreter of qnt programs -----*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Executes a function of a qnt program op by op with the reference kernels
// of runtime/ (float kernels on f32 tensors, integer-only kernels on
// quantized tensors). It is the oracle of the test suite: quantized graphs
// and the integer-only IR they lower to must give bit-identical results
// here, and the back ends must match it.
//
// Values are rt::Tensor: f32 tensors as F32, quantized tensors as I32
// storage values, integer tensors in their own width.
//
//===----------------------------------------------------------------------===//

#ifndef QC_INTERPRETER_INTERPRETER_H
#define QC_INTERPRETER_INTERPRETER_H

#include "qc/Dialect/Qnt/IR/QntTypes.h"
#include "qc/Dialect/Qnt/Utils/TypeParams.h"
#include "qc/runtime/QuantParams.h"
#include "qc/runtime/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"

#include <functional>
#include <string>
#include <vector>

namespace qc {

/// The runtime dtype that holds values of `type`'s elements (I32 for
/// quantized elements), or failure for element types the interpreter does
/// not support.
mlir::FailureOr<rt::DType> getRuntimeDType(mlir::Type elementType);

/// Checks a user-provided tensor against a function argument type: dtype
/// (quantized arguments take their storage integers, e.g. uint8 for u8) and
/// shape (dynamic dimensions accept any size). On mismatch returns failure
/// and a message such as "expected f32[1x8x8x3], got f64[1x8x8x3]".
mlir::LogicalResult checkInputAgainstType(const rt::Tensor &tensor,
                                          mlir::Type type,
                                          std::string &message);

/// Converts a user-provided input into the interpreter's representation of
/// `type` (storage integers widened to I32 for quantized arguments).
rt::Tensor toInterpreterValue(const rt::Tensor &tensor, mlir::Type type);

/// Converts an interpreter value of `type` into the tensor a user sees:
/// quantized values narrowed to their storage dtype (int8, uint8, ...).
rt::Tensor toUserValue(const rt::Tensor &tensor, mlir::Type type);

class Interpreter {
public:
  /// Called after each op with each result (calibration uses it to gather
  /// statistics of every tensor).
  using Observer = std::function<void(mlir::Value, const rt::Tensor &)>;

  void setObserver(Observer observer) { observer_ = std::move(observer); }

  /// Runs `function` on `inputs` (already in interpreter representation).
  /// On failure a diagnostic has been emitted at the failing op.
  mlir::LogicalResult run(mlir::func::FuncOp function,
                          llvm::ArrayRef<rt::Tensor> inputs,
                          std::vector<rt::Tensor> &outputs);

private:
  Observer observer_;
};

/// Reports every op in `function` that the interpreter cannot execute, each
/// with a located error; failure if there is any. Run before long jobs so
/// that all unsupported ops are listed at once.
mlir::LogicalResult checkInterpretable(mlir::func::FuncOp function);

} // namespace qc

#endif // QC_INTERPRETER_INTERPRETER_H
