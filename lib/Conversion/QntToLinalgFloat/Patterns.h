//===- Patterns.h - float qnt-to-linalg pattern groups ----------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QNTTOLINALGFLOAT_PATTERNS_H
#define QC_LIB_CONVERSION_QNTTOLINALGFLOAT_PATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace qc::lowering::fp {

/// conv2d, depthwise_conv2d, fully_connected, matmul (LowerFloatLayers.cpp).
void populateLayerPatterns(mlir::RewritePatternSet &patterns);
/// batch_norm, add, mul, relu, relu6, clamp (LowerFloatElementwise.cpp).
void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
/// max_pool2d, avg_pool2d, global_avg_pool (LowerFloatPooling.cpp).
void populatePoolingPatterns(mlir::RewritePatternSet &patterns);
/// pad, reshape, transpose, concat (LowerFloatDataMovement.cpp).
void populateDataMovementPatterns(mlir::RewritePatternSet &patterns);
/// softmax (LowerFloatSoftmax.cpp).
void populateSoftmaxPatterns(mlir::RewritePatternSet &patterns);

} // namespace qc::lowering::fp

#endif // QC_LIB_CONVERSION_QNTTOLINALGFLOAT_PATTERNS_H
