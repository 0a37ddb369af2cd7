//===- LoweringDriver.cpp - lower everything, report every leftover -------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/LoweringDriver.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;

namespace {

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

} // namespace

LogicalResult
qc::lowerAndReportLeftovers(Operation *root, RewritePatternSet &&patterns,
                            function_ref<bool(Operation *)> mustBeLowered,
                            StringRef what) {
  FailureReasons reasons;
  // Convergence does not matter here; what is left over does.
  (void)applyPatternsGreedily(root, std::move(patterns),
                              GreedyRewriteConfig().setListener(&reasons));
  bool failedAny = false;
  root->walk([&](Operation *op) {
    if (!mustBeLowered(op))
      return;
    InFlightDiagnostic diag = op->emitError() << "'" << op->getName()
                                              << "' cannot be lowered to "
                                              << what;
    auto it = reasons.reasons.find(op);
    if (it != reasons.reasons.end())
      diag << ": " << it->second;
    failedAny = true;
  });
  return failure(failedAny);
}
