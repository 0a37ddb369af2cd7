//===- QntToLinalgFloat.h - float graph ops to linalg -----------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_QNTTOLINALGFLOAT_QNTTOLINALGFLOAT_H
#define QC_CONVERSION_QNTTOLINALGFLOAT_QNTTOLINALGFLOAT_H

#include "mlir/IR/PatternMatch.h"

namespace qc {

/// Patterns rewriting each qnt graph op on float tensors into upstream
/// linalg (named ops where they match), tensor, arith and math ops with the
/// semantics of the reference float kernels. Ops on quantized tensors are
/// left alone.
void populateQntFloatToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace qc

#endif // QC_CONVERSION_QNTTOLINALGFLOAT_QNTTOLINALGFLOAT_H
