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

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

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

/// Remembers why patterns declined each op, so that ops left over can be
/// reported once, with the reason, after the driver has finished retrying.
struct FailureReasons : public RewriterBase::Listener {
  void notifyPatternBegin(const Pattern &, Operation *op) override {
    current = op;
  }
  void notifyMatchFailure(Location,
                          function_ref<void(Diagnostic &)> reason) override {
    if (!current)
      return;
    Diagnostic diag(current->getLoc(), DiagnosticSeverity::Remark);
    reason(diag);
    reasons[current] = diag.str();
  }
  Operation *current = nullptr;
  llvm::DenseMap<Operation *, std::string> reasons;
};

struct QntLowerToInteger
    : public qc::impl::QntLowerToIntegerPassBase<QntLowerToInteger> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQntToIntegerPatterns(patterns);
    FailureReasons reasons;
    // Convergence does not matter here; what is left over does.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                GreedyRewriteConfig().setListener(&reasons));
    bool failedAny = false;
    getOperation()->walk([&](Operation *op) {
      if (!mustBeLowered(op))
        return;
      InFlightDiagnostic diag = op->emitError()
                                << "'" << op->getName()
                                << "' cannot be lowered to integer arithmetic";
      auto it = reasons.reasons.find(op);
      if (it != reasons.reasons.end())
        diag << ": " << it->second;
      failedAny = true;
    });
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
