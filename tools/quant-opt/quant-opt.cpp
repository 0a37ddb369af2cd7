//===- quant-opt.cpp - quant optimizer driver -----------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Registers the qnt dialect, its passes and the upstream dialects and passes
// quant uses, then hands off to MlirOptMain (like mlir-opt).
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/Qnt/IR/QntDialect.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"
#include "qc/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<qc::qnt::QntDialect, mlir::arith::ArithDialect, mlir::cf::ControlFlowDialect,
                  mlir::func::FuncDialect, mlir::linalg::LinalgDialect,
                  mlir::quant::QuantDialect, mlir::tensor::TensorDialect>();
  // Upstream passes a quant pipeline uses: canonicalize, cse, inline, ...
  mlir::registerTransformsPasses();
  qc::qnt::registerQntPasses();
  qc::registerConversionPasses();
  qc::registerPipelines();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "quant optimizer driver: runs qnt and upstream passes on MLIR files\n",
      registry));
}
