//===- Passes.h - qnt passes --------------------------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_TRANSFORMS_PASSES_H
#define QC_DIALECT_QNT_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "qc/Dialect/Qnt/IR/QntDialect.h"

namespace qc::qnt {

#define GEN_PASS_DECL
#include "qc/Dialect/Qnt/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qc/Dialect/Qnt/Transforms/Passes.h.inc"

/// The rewrites of qnt-fuse-qdq (quantize/dequantize pairs around float
/// graph ops to quantized graph ops).
void populateFuseQdqPatterns(mlir::RewritePatternSet &patterns);

} // namespace qc::qnt

#endif // QC_DIALECT_QNT_TRANSFORMS_PASSES_H
