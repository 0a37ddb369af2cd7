//===- FloatBuilder.h - building blocks of the float lowering ---*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Small builders shared by the float qnt-to-linalg patterns: the pattern
// base class that filters float, statically shaped ops, scalar constants in
// the op's element type, filled tensors, elementwise linalg.generic ops with
// numpy broadcasting, spatial padding and reassociation helpers.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QNTTOLINALGFLOAT_FLOATBUILDER_H
#define QC_LIB_CONVERSION_QNTTOLINALGFLOAT_FLOATBUILDER_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace qc::lowering::fp {

using BodyFn = llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                              mlir::ValueRange)>;

/// True when every operand and result of `op` is a ranked tensor of a float
/// element type (the graph-op verifiers make float and quantized tensors
/// exclusive, so this also says that no operand is quantized).
bool isFloatOp(mlir::Operation *op);

/// Base class of the float patterns: declines quantized ops (another pass
/// lowers them) and dynamic shapes (window geometry, pooling divisors and
/// reshapes are computed at compile time), then calls `lower`.
template <typename OpTy>
struct FloatPattern : public mlir::OpRewritePattern<OpTy> {
  using mlir::OpRewritePattern<OpTy>::OpRewritePattern;

  mlir::LogicalResult
  matchAndRewrite(OpTy op, mlir::PatternRewriter &rewriter) const final {
    if (!isFloatOp(op))
      return rewriter.notifyMatchFailure(op, "not a float op");
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op,
                                         "dynamic shapes are not supported");
    return lower(op, rewriter);
  }

  /// Rewrites `op`, a float op with static shapes.
  virtual mlir::LogicalResult lower(OpTy op,
                                    mlir::PatternRewriter &rewriter) const = 0;

private:
  static bool hasStaticShapes(mlir::Operation *op) {
    auto isStatic = [](mlir::Type t) {
      return mlir::cast<mlir::RankedTensorType>(t).hasStaticShape();
    };
    return llvm::all_of(op->getOperandTypes(), isStatic) &&
           llvm::all_of(op->getResultTypes(), isStatic);
  }
};

/// The element type and shape of a ranked tensor value.
mlir::FloatType elementType(mlir::Value tensor);
llvm::ArrayRef<int64_t> shapeOf(mlir::Value tensor);

/// A scalar constant of float type `type` holding `value` rounded to it
/// (round to nearest even, as static_cast<float>(double) does).
mlir::Value constFloat(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                       double value);
/// -infinity of float type `type`.
mlir::Value constNegInf(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Type type);

/// tensor.empty of `shape` filled with the scalar `value`.
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc,
                         llvm::ArrayRef<int64_t> shape, mlir::Value value);

/// One linalg.generic producing a tensor of `resultType` from `inputs`
/// (maps given), all loops parallel over the result's dimensions; `body`
/// receives the input elements.
mlir::Value mapElementwise(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::ValueRange inputs,
                           llvm::ArrayRef<mlir::AffineMap> inputMaps,
                           mlir::RankedTensorType resultType, BodyFn body);

/// The map reading an operand of `shape` broadcast (numpy rules) into a
/// result of `resultShape` (size-1 dims read index 0).
mlir::AffineMap broadcastMap(mlir::MLIRContext *ctx,
                             llvm::ArrayRef<int64_t> shape,
                             llvm::ArrayRef<int64_t> resultShape);

/// (d0, ..., d{rank-1}) -> (d{rank-1}): a per-channel vector read inside
/// loops over a channel-last tensor.
mlir::AffineMap lastDimMap(mlir::MLIRContext *ctx, int64_t rank);

/// (d0, ..., d{rank-1}) -> the same without d{axis}.
mlir::AffineMap dropDimMap(mlir::MLIRContext *ctx, int64_t rank, int64_t axis);

/// A tensor of `resultType` holding the 1-D `vector` broadcast along the
/// last dimension (a bias as the initial accumulator), or zeros when
/// `vector` is null.
mlir::Value channelInit(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType resultType, mlir::Value vector);

/// Pads H and W of an NHWC tensor ([top, bottom, left, right]) with the
/// scalar `value`; returns the input when there is no padding.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, llvm::ArrayRef<int64_t> padding,
                       mlir::Value value);

/// tensor.expand_shape / collapse_shape between a tensor and `shape` with
/// the given reassociation (groups of the higher-rank side).
mlir::Value expandTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                     llvm::ArrayRef<int64_t> shape,
                     llvm::ArrayRef<mlir::ReassociationIndices> groups);
mlir::Value collapseTo(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, llvm::ArrayRef<int64_t> shape,
                       llvm::ArrayRef<mlir::ReassociationIndices> groups);

} // namespace qc::lowering::fp

#endif // QC_LIB_CONVERSION_QNTTOLINALGFLOAT_FLOATBUILDER_H
