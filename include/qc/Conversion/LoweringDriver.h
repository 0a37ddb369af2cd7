//===- LoweringDriver.h - lower everything, report every leftover -*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_LOWERINGDRIVER_H
#define QC_CONVERSION_LOWERINGDRIVER_H

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace qc {

/// Applies `patterns` greedily under `root`, then reports every op for which
/// `mustBeLowered` still holds as "'OP' cannot be lowered to WHAT: REASON"
/// (the reason the last declining pattern gave), all of them at once.
/// Fails when any op is left.
mlir::LogicalResult
lowerAndReportLeftovers(mlir::Operation *root,
                        mlir::RewritePatternSet &&patterns,
                        llvm::function_ref<bool(mlir::Operation *)> mustBeLowered,
                        llvm::StringRef what);

} // namespace qc

#endif // QC_CONVERSION_LOWERINGDRIVER_H
