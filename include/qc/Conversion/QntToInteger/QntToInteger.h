//===- QntToInteger.h - quantized graph ops to integer IR ---------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_QNTTOINTEGER_QNTTOINTEGER_H
#define QC_CONVERSION_QNTTOINTEGER_QNTTOINTEGER_H

#include "mlir/IR/PatternMatch.h"

namespace qc {

/// Patterns rewriting each quantized qnt graph op into integer-only IR
/// (linalg.generic, tensor, arith, qnt.fixed_point_mul) with the semantics
/// of the reference integer kernels.
void populateQntToIntegerPatterns(mlir::RewritePatternSet &patterns);

} // namespace qc

#endif // QC_CONVERSION_QNTTOINTEGER_QNTTOINTEGER_H
