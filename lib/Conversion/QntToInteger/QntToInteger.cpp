//===- QntToInteger.cpp - qnt-lower-to-integer pass -----------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Collects the lowering patterns, applies them, and reports every quantized
// graph op that could not be lowered, all at once.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "qc/Conversion/LoweringDriver.h"
#include "qc/Conversion/Passes.h"
#include "qc/Dialect/Qnt/IR/QntOps.h"


namespace qc {
#define GEN_PASS_DEF_QNTLOWERTOINTEGERPASS
#include "qc/Conversion/Passes.h.inc"
} // namespace qc

using namespace mlir;
using namespace qc;
using namespace qc::qnt;

bool qc::lowering::isQuantizedOp(Operation *op) {
  auto quantized = [](Type t) { return getUniformElementType(t) != nullptr; };
  return llvm::all_of(op->getOperandTypes(), quantized) &&
         llvm::all_of(op->getResultTypes(), quantized);
}

void qc::populateQntToIntegerPatterns(RewritePatternSet &patterns) {
  lowering::populateLayerPatterns(patterns);
  lowering::populateElementwisePatterns(patterns);
  lowering::populateDataMovementPatterns(patterns);
  lowering::populateSoftmaxPatterns(patterns);
}

namespace {

/// Graph ops that compute on quantized values and must not survive: all of
/// them except the casts at the float edges and the integer rescale.
bool mustBeLowered(Operation *op) {
  if (!isa<QntDialect>(op->getDialect()) ||
      isa<QuantizeOp, DequantizeOp, StorageCastOp, FixedPointMulOp>(op))
    return false;
  return llvm::any_of(op->getOperandTypes(), [](Type t) {
    return getUniformElementType(t) != nullptr;
  });
}

struct QntLowerToInteger
    : public qc::impl::QntLowerToIntegerPassBase<QntLowerToInteger> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQntToIntegerPatterns(patterns);
    if (failed(lowerAndReportLeftovers(getOperation(), std::move(patterns),
                                       mustBeLowered, "integer arithmetic")))
      signalPassFailure();
  }
};

} // namespace
