//===- SetEntryName.cpp - rename the model's entry function ---------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Cpu/Passes.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringExtras.h"

namespace qc {
#define GEN_PASS_DEF_QNTSETENTRYNAMEPASS
#include "qc/Target/Cpu/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace {

bool isCIdentifier(StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

struct QntSetEntryName
    : public qc::impl::QntSetEntryNamePassBase<QntSetEntryName> {
  using QntSetEntryNamePassBase::QntSetEntryNamePassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!isCIdentifier(to) || to == "main") {
      module.emitError("qnt-set-entry-name: to='")
          << to << "' must be a C identifier other than main";
      return signalPassFailure();
    }
    auto f = module.lookupSymbol<func::FuncOp>(from);
    if (!f) {
      module.emitError("qnt-set-entry-name: no function @") << from;
      return signalPassFailure();
    }
    if (from == to)
      return;
    if (module.lookupSymbol(to)) {
      module.emitError("qnt-set-entry-name: @") << to << " already exists";
      return signalPassFailure();
    }
    StringAttr name = StringAttr::get(&getContext(), to);
    if (failed(SymbolTable::replaceAllSymbolUses(f, name, module)))
      return signalPassFailure();
    f.setSymName(to);
  }
};

} // namespace
