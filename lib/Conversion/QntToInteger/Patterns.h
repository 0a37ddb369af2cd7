//===- Patterns.h - qnt-to-integer pattern groups -----------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QNTTOINTEGER_PATTERNS_H
#define QC_LIB_CONVERSION_QNTTOINTEGER_PATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace qc::lowering {

/// True when every operand and result of a qnt graph op is quantized.
bool isQuantizedOp(mlir::Operation *op);

/// stage(x - Z_x) from `input`'s parameters to `output`'s, clamped to the
/// real interval [lo, hi] (`outputType` carries the result parameters): the value change of requantize, relu, relu6,
/// clamp and of every data-movement op. `input` is a quantized tensor of
/// the shape of `outputType` (LowerElementwise.cpp).
mlir::FailureOr<mlir::Value> lowerRescale(mlir::PatternRewriter &b,
                                          mlir::Operation *op,
                                          mlir::Value input,
                                          mlir::RankedTensorType outputType,
                                          double lo, double hi);

/// Replaces `op` by `result`, or fails when the lowering that produced it
/// did.
inline mlir::LogicalResult replaceOrFail(mlir::PatternRewriter &rewriter,
                                         mlir::Operation *op,
                                         mlir::FailureOr<mlir::Value> result) {
  if (mlir::failed(result))
    return mlir::failure();
  rewriter.replaceOp(op, *result);
  return mlir::success();
}

/// conv2d, depthwise_conv2d, fully_connected, matmul (LowerLayers.cpp).
void populateLayerPatterns(mlir::RewritePatternSet &patterns);
/// add, mul, relu, relu6, clamp, requantize (LowerElementwise.cpp).
void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
/// pools, pad, reshape, transpose, concat (LowerDataMovement.cpp).
void populateDataMovementPatterns(mlir::RewritePatternSet &patterns);
/// softmax (LowerSoftmax.cpp).
void populateSoftmaxPatterns(mlir::RewritePatternSet &patterns);

} // namespace qc::lowering

#endif // QC_LIB_CONVERSION_QNTTOINTEGER_PATTERNS_H
