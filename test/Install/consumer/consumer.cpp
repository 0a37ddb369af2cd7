//===- consumer.cpp - an external compiler embedding quant ----------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Built against the *installed* quant package by
// test/Install/install-consumer.test: registers the quant dialects and
// passes, parses a quantized qnt module, lowers it with the pipeline builder
// qc::buildLowerPipeline and prints what is left. docs/embedding.md shows
// the same code.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Pipelines/Pipelines.h"
#include "qc/Pipelines/Registration.h"

namespace {

/// Prints how many qnt graph ops and linalg.generic ops `module` holds.
void summarize(llvm::StringRef when, mlir::ModuleOp module) {
  unsigned graphOps = 0, generics = 0;
  module.walk([&](mlir::Operation *op) {
    if (llvm::isa<qc::qnt::FullyConnectedOp, qc::qnt::ReluOp>(op))
      ++graphOps;
    if (op->getName().getStringRef() == "linalg.generic")
      ++generics;
  });
  llvm::outs() << when << ": " << graphOps << " qnt graph ops, " << generics
               << " linalg.generic\n";
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: quant-consumer <quantized.mlir>\n";
    return 2;
  }

  mlir::DialectRegistry registry;
  qc::registerQuantDialects(registry);
  qc::registerQuantPasses();
  mlir::MLIRContext context(registry);

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return 1;
  summarize("parsed", *module);

  mlir::PassManager pm(&context);
  qc::buildLowerPipeline(pm);
  if (mlir::failed(pm.run(*module))) {
    llvm::errs() << "quant-consumer: the lowering pipeline failed\n";
    return 1;
  }
  summarize("lowered", *module);
  module->print(llvm::outs());
  llvm::outs() << "\n";
  return 0;
}
