//===- ExportQuantTypes.cpp - qnt types to upstream quant -----------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-export-quant-types: the inverse of qnt-import-quant-types, so that
// other MLIR tools can consume what quant produces.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"
#include "qc/Dialect/Qnt/Transforms/QuantTypeInterop.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/PatternMatch.h"

namespace qc::qnt {
#define GEN_PASS_DEF_QNTEXPORTQUANTTYPESPASS
#include "qc/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace qc::qnt

using namespace mlir;
using namespace qc::qnt;

namespace {

std::optional<Type> exportType(Type type) {
  auto uniform = dyn_cast<UniformType>(type);
  if (!uniform)
    return std::nullopt;
  return Type(exportQntType(uniform));
}

bool usesQuantizedTypes(Operation *op) {
  auto isQuantized = [](Type t) { return getUniformElementType(t) != nullptr; };
  return llvm::any_of(op->getOperandTypes(), isQuantized) ||
         llvm::any_of(op->getResultTypes(), isQuantized);
}

struct QntExportQuantTypes
    : public qc::qnt::impl::QntExportQuantTypesPassBase<QntExportQuantTypes> {
  void runOnOperation() override {
    // Other qnt ops on quantized tensors would be left with types their
    // verifiers reject; they must be lowered before export.
    bool blocked = false;
    getOperation()->walk([&](Operation *op) {
      if (isa<QntDialect>(op->getDialect()) &&
          !isa<QuantizeOp, DequantizeOp, StorageCastOp>(op) &&
          usesQuantizedTypes(op)) {
        op->emitError() << "'" << op->getName()
                        << "' on quantized tensors has no upstream quant "
                           "equivalent; lower it before exporting";
        blocked = true;
      }
    });
    if (blocked)
      return signalPassFailure();
    // Types first, then the casts: the new upstream casts are built with the
    // already converted types.
    if (failed(replaceTypesEverywhere(getOperation(), exportType,
                                      "upstream quant")))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> casts;
    getOperation()->walk([&](Operation *op) {
      if (isa<QuantizeOp, DequantizeOp, StorageCastOp>(op))
        casts.push_back(op);
    });
    for (Operation *op : casts) {
      if (isa<QuantizeOp>(op))
        replaceCastOp<quant::QuantizeCastOp>(rewriter, op);
      else if (isa<DequantizeOp>(op))
        replaceCastOp<quant::DequantizeCastOp>(rewriter, op);
      else
        replaceCastOp<quant::StorageCastOp>(rewriter, op);
    }
  }
};

} // namespace
