//===- JitRunner.h - compile and run a model on the host CPU ------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// `quant-run --target=cpu`: lowers a model through the CPU pipeline, JIT
// compiles it with MLIR's ExecutionEngine and calls its entry function
// through the C interface (ranked memref descriptors).
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_CPU_JITRUNNER_H
#define QC_TARGET_CPU_JITRUNNER_H

#include "qc/Target/Cpu/ObjectEmitter.h"
#include "qc/runtime/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <vector>

namespace qc {

/// A model compiled for the host, ready to be called many times.
class CompiledModel {
public:
  /// Lowers `module` in place (integer lowering of quantized ops, then the
  /// loops-to-LLVM pipeline) and JIT-compiles the function `entry`.
  /// Diagnostics are emitted at the module on failure.
  static mlir::FailureOr<std::unique_ptr<CompiledModel>>
  compile(mlir::ModuleOp module, llvm::StringRef entry,
          const CpuTarget &target);
  ~CompiledModel();

  /// Runs the entry on one sample. Inputs and outputs are user tensors of
  /// the entry's (float or integer) argument and result types.
  mlir::LogicalResult run(llvm::ArrayRef<rt::Tensor> inputs,
                          std::vector<rt::Tensor> &outputs,
                          std::string &error);

  /// Inputs converted to the storage dtypes the compiled code takes (the
  /// interpreter holds quantized values widened to i32); run() does this
  /// itself, benchmarks do it once up front.
  std::vector<rt::Tensor> adaptInputs(llvm::ArrayRef<rt::Tensor> inputs) const;

private:
  struct Impl;
  explicit CompiledModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace qc

#endif // QC_TARGET_CPU_JITRUNNER_H
