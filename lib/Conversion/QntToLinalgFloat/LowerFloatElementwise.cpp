//===- LowerFloatElementwise.cpp - batch norm, add, mul, relu, clamp ------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Elementwise float ops as one linalg.generic each (two for batch norm,
// whose per-channel scale is computed once). add and mul broadcast like
// numpy through their indexing maps. The reference computes these in
// double and rounds once; for one addition or multiplication of two floats
// that is the same as the f32 operation, so add, mul, relu, relu6 and clamp
// are bit-exact here.
//
//===----------------------------------------------------------------------===//

#include "FloatBuilder.h"
#include "Patterns.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <optional>

using namespace mlir;
using namespace qc::lowering::fp;
using namespace qc::qnt;

namespace {

/// `x < lo ? lo : x > hi ? hi : x`, the reference's form: a NaN fails both
/// comparisons and passes through, and -0.0 stays -0.0 (maximumf would
/// give +0.0). A missing bound is not checked.
Value clampScalar(OpBuilder &b, Location loc, Value x, std::optional<double> lo,
                  std::optional<double> hi) {
  Type type = x.getType();
  Value result = x;
  if (hi) {
    Value bound = constFloat(b, loc, type, *hi);
    Value above =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, bound);
    result = arith::SelectOp::create(b, loc, above, bound, result);
  }
  if (lo) {
    Value bound = constFloat(b, loc, type, *lo);
    Value below =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, bound);
    result = arith::SelectOp::create(b, loc, below, bound, result);
  }
  return result;
}

/// Replaces a unary op by the clamp of its input to [lo, hi].
LogicalResult replaceByClamp(PatternRewriter &rewriter, Operation *op,
                             std::optional<double> lo,
                             std::optional<double> hi) {
  Value input = op->getOperand(0);
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  rewriter.replaceOp(
      op,
      mapElementwise(rewriter, op->getLoc(), {input},
                     {rewriter.getMultiDimIdentityMap(type.getRank())}, type,
                     [&](OpBuilder &b, Location loc, ValueRange args) {
                       return clampScalar(b, loc, args[0], lo, hi);
                     }));
  return success();
}

struct LowerRelu : FloatPattern<ReluOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(ReluOp op, PatternRewriter &rewriter) const override {
    return replaceByClamp(rewriter, op, 0.0, std::nullopt);
  }
};

struct LowerRelu6 : FloatPattern<Relu6Op> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(Relu6Op op, PatternRewriter &rewriter) const override {
    return replaceByClamp(rewriter, op, 0.0, 6.0);
  }
};

struct LowerClamp : FloatPattern<ClampOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(ClampOp op, PatternRewriter &rewriter) const override {
    // Comparing with the bounds rounded to f32 selects exactly the inputs
    // the reference's double comparison selects (the inputs are floats).
    return replaceByClamp(rewriter, op, op.getMin().convertToDouble(),
                          op.getMax().convertToDouble());
  }
};

/// add and mul: one generic over the broadcast result shape.
template <typename QntOp, typename ArithOp>
struct LowerBinary : FloatPattern<QntOp> {
  using FloatPattern<QntOp>::FloatPattern;
  LogicalResult lower(QntOp op, PatternRewriter &rewriter) const override {
    MLIRContext *ctx = rewriter.getContext();
    auto type = op.getOutput().getType();
    ArrayRef<int64_t> shape = type.getShape();
    Value result = mapElementwise(
        rewriter, op.getLoc(), {op.getLhs(), op.getRhs()},
        {broadcastMap(ctx, shapeOf(op.getLhs()), shape),
         broadcastMap(ctx, shapeOf(op.getRhs()), shape)},
        type, [](OpBuilder &b, Location loc, ValueRange args) {
          return ArithOp::create(b, loc, args[0], args[1]).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// (x - mean) * scale + beta with scale = gamma / sqrt(variance + epsilon)
/// per channel (the last dimension), the reference's order of operations.
struct LowerBatchNorm : FloatPattern<BatchNormOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(BatchNormOp op,
                      PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = op.getOutput().getType();
    int64_t rank = type.getRank();
    if (rank < 1)
      return rewriter.notifyMatchFailure(op, "input must have rank >= 1");
    double epsilon = op.getEpsilon().convertToDouble();
    AffineMap vectorId = rewriter.getMultiDimIdentityMap(1);
    Value scale = mapElementwise(
        rewriter, loc, {op.getGamma(), op.getVariance()}, {vectorId, vectorId},
        cast<RankedTensorType>(op.getGamma().getType()),
        [&](OpBuilder &b, Location nl, ValueRange args) {
          Value eps = constFloat(b, nl, args[1].getType(), epsilon);
          Value v = arith::AddFOp::create(b, nl, args[1], eps);
          Value root = math::SqrtOp::create(b, nl, v);
          return arith::DivFOp::create(b, nl, args[0], root).getResult();
        });
    AffineMap channel = lastDimMap(ctx, rank);
    Value result = mapElementwise(
        rewriter, loc, {op.getInput(), op.getMean(), scale, op.getBeta()},
        {rewriter.getMultiDimIdentityMap(rank), channel, channel, channel},
        type, [](OpBuilder &b, Location nl, ValueRange args) {
          Value centred = arith::SubFOp::create(b, nl, args[0], args[1]);
          Value scaled = arith::MulFOp::create(b, nl, centred, args[2]);
          return arith::AddFOp::create(b, nl, scaled, args[3]).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void qc::lowering::fp::populateElementwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerRelu, LowerRelu6, LowerClamp, LowerBatchNorm,
               LowerBinary<AddOp, arith::AddFOp>,
               LowerBinary<MulOp, arith::MulFOp>>(patterns.getContext());
}
