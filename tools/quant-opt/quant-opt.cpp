//===- quant-opt.cpp - quant optimizer driver -----------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Registers the qnt dialect, its passes and pipelines, and the upstream
// dialects and passes (as mlir-opt does), then hands off to MlirOptMain.
//
//===----------------------------------------------------------------------===//

#include "qc/Pipelines/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  qc::registerQuantDialects(registry);
  qc::registerQuantPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "quant optimizer driver: runs qnt and upstream passes on MLIR files\n",
      registry));
}
