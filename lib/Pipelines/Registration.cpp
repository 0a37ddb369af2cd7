//===- Registration.cpp - everything a quant tool registers ---------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Registering all upstream dialects costs nothing at link time with the
// MLIR shared library and spares users "dialect not registered" surprises
// when they mix quant's passes with upstream ones, as mlir-opt users expect.
//
//===----------------------------------------------------------------------===//

#include "qc/Pipelines/Registration.h"

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/Npu/IR/NpuDialect.h"
#include "qc/Dialect/Qnt/IR/QntDialect.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"
#include "qc/Pipelines/Pipelines.h"
#include "qc/Target/Cpu/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void qc::registerQuantDialects(mlir::DialectRegistry &registry) {
  registry.insert<qnt::QntDialect, npu::NpuDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

void qc::registerQuantPasses() {
  mlir::registerAllPasses();
  qnt::registerQntPasses();
  registerConversionPasses();
  registerCpuTargetPasses();
  registerPipelines();
}
