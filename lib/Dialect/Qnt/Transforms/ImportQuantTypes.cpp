//===- ImportQuantTypes.cpp - upstream quant types to qnt -----------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-import-quant-types: models quantized by other MLIR front ends carry
// upstream !quant.uniform types and quant.qcast/dcast/scast ops; this pass
// turns them into their qnt equivalents so that quant's pipeline applies.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"
#include "qc/Dialect/Qnt/Transforms/QuantTypeInterop.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/PatternMatch.h"

namespace qc::qnt {
#define GEN_PASS_DEF_QNTIMPORTQUANTTYPESPASS
#include "qc/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace qc::qnt

using namespace mlir;
using namespace qc::qnt;

namespace {

std::optional<Type> importType(Type type) {
  auto quantized = dyn_cast<quant::QuantizedType>(type);
  if (!quantized)
    return std::nullopt;
  return Type(importQuantType(quantized));
}

/// qnt casts need ranked tensors where upstream also allows scalars.
LogicalResult checkCastOperands(Operation *op) {
  Type from = op->getOperand(0).getType();
  Type to = op->getResult(0).getType();
  if (isa<RankedTensorType>(from) && isa<RankedTensorType>(to))
    return success();
  return op->emitError("qnt casts need ranked tensors, got ")
         << from << " to " << to;
}

struct QntImportQuantTypes
    : public qc::qnt::impl::QntImportQuantTypesPassBase<QntImportQuantTypes> {
  void runOnOperation() override {
    // Check everything before changing anything, so a failure leaves the
    // module as it was.
    SmallVector<Operation *> casts;
    bool failedAny = false;
    getOperation()->walk([&](Operation *op) {
      if (!isa<quant::QuantizeCastOp, quant::DequantizeCastOp,
               quant::StorageCastOp>(op))
        return;
      casts.push_back(op);
      failedAny |= failed(checkCastOperands(op));
    });
    if (failedAny ||
        failed(replaceTypesEverywhere(getOperation(), importType, "qnt")))
      return signalPassFailure();

    IRRewriter rewriter(&getContext());
    for (Operation *op : casts) {
      if (isa<quant::QuantizeCastOp>(op))
        replaceCastOp<QuantizeOp>(rewriter, op);
      else if (isa<quant::DequantizeCastOp>(op))
        replaceCastOp<DequantizeOp>(rewriter, op);
      else
        replaceCastOp<StorageCastOp>(rewriter, op);
    }
  }
};

} // namespace
