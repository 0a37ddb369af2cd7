//===- FloatBuilder.cpp - building blocks of the float lowering -----------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "FloatBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace qc::lowering::fp;

bool qc::lowering::fp::isFloatOp(Operation *op) {
  auto isFloatTensor = [](Type t) {
    auto tensor = dyn_cast<RankedTensorType>(t);
    return tensor && isa<FloatType>(tensor.getElementType());
  };
  return op->getNumResults() > 0 &&
         llvm::all_of(op->getOperandTypes(), isFloatTensor) &&
         llvm::all_of(op->getResultTypes(), isFloatTensor);
}

FloatType qc::lowering::fp::elementType(Value tensor) {
  return cast<FloatType>(
      cast<RankedTensorType>(tensor.getType()).getElementType());
}

ArrayRef<int64_t> qc::lowering::fp::shapeOf(Value tensor) {
  return cast<RankedTensorType>(tensor.getType()).getShape();
}

Value qc::lowering::fp::constFloat(OpBuilder &b, Location loc, Type type,
                                   double value) {
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

Value qc::lowering::fp::constNegInf(OpBuilder &b, Location loc, Type type) {
  auto floatType = cast<FloatType>(type);
  APFloat inf = APFloat::getInf(floatType.getFloatSemantics(),
                                /*Negative=*/true);
  return arith::ConstantOp::create(b, loc, type,
                                   b.getFloatAttr(floatType, inf));
}

Value qc::lowering::fp::filledTensor(OpBuilder &b, Location loc,
                                     ArrayRef<int64_t> shape, Value value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value qc::lowering::fp::mapElementwise(OpBuilder &b, Location loc,
                                       ValueRange inputs,
                                       ArrayRef<AffineMap> inputMaps,
                                       RankedTensorType resultType,
                                       BodyFn body) {
  int64_t rank = resultType.getRank();
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<AffineMap> maps(inputMaps.begin(), inputMaps.end());
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, body(nb, nl, args.drop_back()));
      });
  return generic.getResult(0);
}

AffineMap qc::lowering::fp::broadcastMap(MLIRContext *ctx,
                                         ArrayRef<int64_t> shape,
                                         ArrayRef<int64_t> resultShape) {
  int64_t offset = static_cast<int64_t>(resultShape.size() - shape.size());
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0, e = static_cast<int64_t>(shape.size()); i < e; ++i) {
    bool broadcast = shape[i] == 1 && resultShape[offset + i] != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(offset + i, ctx));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, ctx);
}

AffineMap qc::lowering::fp::lastDimMap(MLIRContext *ctx, int64_t rank) {
  return AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx));
}

AffineMap qc::lowering::fp::dropDimMap(MLIRContext *ctx, int64_t rank,
                                       int64_t axis) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value qc::lowering::fp::channelInit(OpBuilder &b, Location loc,
                                    RankedTensorType resultType, Value vector) {
  Type element = resultType.getElementType();
  if (!vector)
    return filledTensor(b, loc, resultType.getShape(),
                        constFloat(b, loc, element, 0.0));
  Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(), element);
  // Every dimension but the last (the channel) is added by the broadcast.
  SmallVector<int64_t> added;
  for (int64_t i = 0; i + 1 < resultType.getRank(); ++i)
    added.push_back(i);
  return linalg::BroadcastOp::create(b, loc, vector, empty, added)
      .getResult()[0];
}

Value qc::lowering::fp::padSpatial(OpBuilder &b, Location loc, Value input,
                                   ArrayRef<int64_t> padding, Value value) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[1] += padding[0] + padding[1];
  shape[2] += padding[2] + padding[3];
  SmallVector<OpFoldResult> low = {
      b.getIndexAttr(0), b.getIndexAttr(padding[0]), b.getIndexAttr(padding[2]),
      b.getIndexAttr(0)};
  SmallVector<OpFoldResult> high = {
      b.getIndexAttr(0), b.getIndexAttr(padding[1]), b.getIndexAttr(padding[3]),
      b.getIndexAttr(0)};
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), input, low,
      high, value);
}

Value qc::lowering::fp::expandTo(OpBuilder &b, Location loc, Value input,
                                 ArrayRef<int64_t> shape,
                                 ArrayRef<ReassociationIndices> groups) {
  auto type = RankedTensorType::get(shape, elementType(input));
  return tensor::ExpandShapeOp::create(b, loc, type, input, groups);
}

Value qc::lowering::fp::collapseTo(OpBuilder &b, Location loc, Value input,
                                   ArrayRef<int64_t> shape,
                                   ArrayRef<ReassociationIndices> groups) {
  auto type = RankedTensorType::get(shape, elementType(input));
  return tensor::CollapseShapeOp::create(b, loc, type, input, groups);
}
