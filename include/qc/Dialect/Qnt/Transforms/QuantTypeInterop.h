//===- QuantTypeInterop.h - qnt <-> upstream quant types ----------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Conversions between !qnt.uniform and upstream !quant.uniform
// (mlir/Dialect/Quant), so that models from torch-mlir, StableHLO or TOSA
// front ends interoperate with quant.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_TRANSFORMS_QUANTTYPEINTEROP_H
#define QC_DIALECT_QNT_TRANSFORMS_QUANTTYPEINTEROP_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "qc/Dialect/Qnt/IR/QntTypes.h"

namespace qc::qnt {

/// The !qnt.uniform equivalent of an upstream per-tensor or per-axis
/// uniform type, or null when there is none (sub-channel, calibrated or
/// `any` types, storage wider than 32 bits or not one qnt supports).
UniformType importQuantType(mlir::quant::QuantizedType type);

/// The upstream equivalent of a per-tensor or per-axis !qnt.uniform, or null
/// for per-group types, which upstream's uniform types cannot express.
mlir::quant::QuantizedType exportQntType(UniformType type);

/// How a type maps to another dialect: std::nullopt when `type` is not
/// one this mapping is about, a null Type when it is but has no equivalent.
using TypeMapping = llvm::function_ref<std::optional<mlir::Type>(mlir::Type)>;

/// Replaces every type under `root` that `map` converts, wherever it
/// occurs: op results, block arguments, attributes (function types), nested
/// in tensor types. A type `map` cannot convert is reported at every op that
/// uses it, as "<type> has no <what> equivalent", and nothing is changed.
mlir::LogicalResult replaceTypesEverywhere(mlir::Operation *root,
                                           TypeMapping map,
                                           llvm::StringRef what);

/// Replaces a one-operand, one-result cast `op` by `NewOp` with the same
/// operand and result type (used to swap qnt and upstream quant casts once
/// their types have been converted).
template <typename NewOp>
void replaceCastOp(mlir::RewriterBase &rewriter, mlir::Operation *op) {
  rewriter.setInsertionPoint(op);
  rewriter.replaceOpWithNewOp<NewOp>(op, op->getResult(0).getType(),
                                     op->getOperand(0));
}

} // namespace qc::qnt

#endif // QC_DIALECT_QNT_TRANSFORMS_QUANTTYPEINTEROP_H
