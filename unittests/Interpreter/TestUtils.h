//===- TestUtils.h - Helpers of the interpreter unit tests -------*- C++
//-*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Parses a module from text, runs its @main through qc::Interpreter (after
// the up-front checkInterpretable, as quant-run does) and keeps every
// diagnostic as text, so that tests can compare results with plain C++ and
// check error messages.
//
//===----------------------------------------------------------------------===//

#ifndef QC_UNITTESTS_INTERPRETER_TESTUTILS_H
#define QC_UNITTESTS_INTERPRETER_TESTUTILS_H

#include "qc/Interpreter/Interpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <random>
#include <string>
#include <vector>

namespace qc::test {

/// A context with the dialects of integer-only IR and a log of diagnostics.
class InterpreterHarness {
public:
  InterpreterHarness() : context_(makeRegistry()) {
    handler_ = context_.getDiagEngine().registerHandler(
        [this](mlir::Diagnostic &diag) {
          diagnostics_ += diag.str() + "\n";
          for (const mlir::Diagnostic &note : diag.getNotes())
            diagnostics_ += "note: " + note.str() + "\n";
          return mlir::success();
        });
  }
  ~InterpreterHarness() { context_.getDiagEngine().eraseHandler(handler_); }

  /// Parses `source` and runs @main on `inputs`. False when parsing, the
  /// up-front check or the run fails; diagnostics() then says why.
  bool run(const std::string &source, std::vector<rt::Tensor> inputs,
           std::vector<rt::Tensor> &outputs) {
    diagnostics_.clear();
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlir::parseSourceString<mlir::ModuleOp>(source, &context_);
    if (!module)
      return false;
    auto main = module->lookupSymbol<mlir::func::FuncOp>("main");
    if (!main || mlir::failed(checkInterpretable(main)))
      return false;
    Interpreter interpreter;
    return mlir::succeeded(interpreter.run(main, inputs, outputs));
  }

  const std::string &diagnostics() const { return diagnostics_; }
  mlir::MLIRContext &context() { return context_; }

private:
  static mlir::DialectRegistry makeRegistry() {
    mlir::DialectRegistry registry;
    registry.insert<mlir::arith::ArithDialect, mlir::func::FuncDialect,
                    mlir::linalg::LinalgDialect, mlir::tensor::TensorDialect>();
    return registry;
  }

  mlir::MLIRContext context_;
  mlir::DiagnosticEngine::HandlerID handler_;
  std::string diagnostics_;
};

/// A 1-D tensor of `dtype` holding `values`.
template <typename T>
rt::Tensor makeTensor(rt::DType dtype, const std::vector<T> &values,
                      std::vector<int64_t> shape = {}) {
  if (shape.empty())
    shape = {static_cast<int64_t>(values.size())};
  rt::Tensor tensor(dtype, shape);
  for (size_t i = 0; i < values.size(); ++i)
    tensor.setFromInt(static_cast<int64_t>(i), static_cast<int64_t>(values[i]));
  return tensor;
}

/// `count` random values covering T's whole range, plus its extremes and
/// the values around zero, reproducible per seed.
template <typename T> std::vector<T> randomValues(size_t count, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::vector<T> values = {std::numeric_limits<T>::min(),
                           std::numeric_limits<T>::max(), T(0), T(1), T(-1)};
  std::uniform_int_distribution<int64_t> dist(std::numeric_limits<T>::min(),
                                              std::numeric_limits<T>::max());
  while (values.size() < count)
    values.push_back(static_cast<T>(dist(gen)));
  return values;
}

} // namespace qc::test

#endif // QC_UNITTESTS_INTERPRETER_TESTUTILS_H
