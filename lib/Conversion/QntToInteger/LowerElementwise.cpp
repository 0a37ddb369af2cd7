//===- LowerElementwise.cpp - add, mul, activations, requantize -----------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Elementwise quantized ops: TFLite-style add (inputs shifted left and
// rescaled to a common scale before the sum), mul (product of the centred
// inputs, saturated to int32), and the rescale family (relu, relu6, clamp,
// requantize), whose clamp bounds carry the activation.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilder.h"
#include "Patterns.h"

#include "qc/Dialect/Qnt/Utils/TypeParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <limits>

using namespace mlir;
using namespace qc;
using namespace qc::lowering;
using namespace qc::qnt;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

} // namespace

FailureOr<Value> qc::lowering::lowerRescale(PatternRewriter &b, Operation *op,
                                            Value input,
                                            RankedTensorType outputType,
                                            double lo, double hi) {
  rt::QuantParams in = paramsOf(input);
  rt::QuantParams out = getQuantParams(getUniformElementType(outputType));
  rt::OutputStage stage;
  std::string error;
  if (!rt::prepareRescale(in, out, lo, hi, stage, error))
    return b.notifyMatchFailure(op, error);
  std::vector<int32_t> zps(in.zeroPoints.begin(), in.zeroPoints.end());
  int64_t axis = in.isPerTensor() ? -1 : in.axis;
  Location loc = op->getLoc();
  Value centred = subtractZeroPoints(b, loc, toStorage(b, loc, input),
                                     qtype(input).isSigned(), zps, axis);
  return applyOutputStage(b, loc, centred, stage, axis, outputType);
}

namespace {

/// Replaces `op` by the rescale of its input into its result.
LogicalResult replaceByRescale(PatternRewriter &rewriter, Operation *op,
                               double lo, double hi) {
  if (!isQuantizedOp(op))
    return rewriter.notifyMatchFailure(op, "float op");
  return replaceOrFail(
      rewriter, op,
      lowerRescale(rewriter, op, op->getOperand(0),
                   cast<RankedTensorType>(op->getResult(0).getType()), lo, hi));
}

template <typename OpTy> struct LowerClampLike : OpRewritePattern<OpTy> {
  LowerClampLike(MLIRContext *ctx, double lo, double hi)
      : OpRewritePattern<OpTy>(ctx), lo(lo), hi(hi) {}
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    return replaceByRescale(rewriter, op, lo, hi);
  }
  double lo, hi;
};

struct LowerClamp : OpRewritePattern<ClampOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ClampOp op,
                                PatternRewriter &rewriter) const override {
    return replaceByRescale(rewriter, op, op.getMin().convertToDouble(),
                            op.getMax().convertToDouble());
  }
};

struct LowerRequantize : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (qtype(op.getInput()).isPerGroup())
      return rewriter.notifyMatchFailure(op, "per-group requantize");
    return replaceByRescale(rewriter, op, -kInf, kInf);
  }
};

/// (ext(x) - Z) << shift over the broadcast result shape.
Value shiftedOperand(PatternRewriter &b, Location loc, Value q, int32_t zp,
                     int32_t shift, ArrayRef<int64_t> resultShape) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(q.getType());
  bool isSigned = qtype(q).isSigned();
  return mapElementwise(
      b, loc, {toStorage(b, loc, q)},
      {broadcastMap(ctx, type.getShape(), resultShape)},
      RankedTensorType::get(resultShape, i32(ctx)),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = extend(nb, nl, args[0], isSigned, i32(ctx));
        x = arith::SubIOp::create(nb, nl, x, constInt(nb, nl, i32(ctx), zp));
        return arith::ShLIOp::create(nb, nl, x,
                                     constInt(nb, nl, i32(ctx), shift))
            .getResult();
      });
}

Value scaleBy(PatternRewriter &b, Location loc, Value v, rt::Multiplier m) {
  return FixedPointMulOp::create(
      b, loc, v.getType(), v, b.getDenseI32ArrayAttr({m.m0}),
      b.getDenseI32ArrayAttr({m.shift}), IntegerAttr(), modelRoundingAt(b));
}

struct LowerAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    unsigned bits = std::max(qtype(op.getLhs()).getStorageWidth(),
                             qtype(op.getRhs()).getStorageWidth());
    rt::AddParams params;
    std::string error;
    if (!rt::prepareAdd(paramsOf(op.getLhs()), paramsOf(op.getRhs()),
                        paramsOf(op.getOutput()), bits, params, error))
      return rewriter.notifyMatchFailure(op, error);
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = op.getOutput().getType();
    ArrayRef<int64_t> shape = resultType.getShape();
    Value a =
        scaleBy(rewriter, loc,
                shiftedOperand(rewriter, loc, op.getLhs(), params.zeroPointA,
                               params.leftShift, shape),
                params.multiplierA);
    Value b =
        scaleBy(rewriter, loc,
                shiftedOperand(rewriter, loc, op.getRhs(), params.zeroPointB,
                               params.leftShift, shape),
                params.multiplierB);
    AffineMap id = rewriter.getMultiDimIdentityMap(shape.size());
    Value sum = mapElementwise(
        rewriter, loc, {a, b}, {id, id}, RankedTensorType::get(shape, i32(ctx)),
        [](OpBuilder &nb, Location nl, ValueRange args) {
          return arith::AddIOp::create(nb, nl, args[0], args[1]).getResult();
        });
    rewriter.replaceOp(op, applyOutputStage(rewriter, loc, sum, params.output,
                                            -1, resultType));
    return success();
  }
};

struct LowerMul : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    rt::MulParams params;
    std::string error;
    if (!rt::prepareMul(paramsOf(op.getLhs()), paramsOf(op.getRhs()),
                        paramsOf(op.getOutput()), params, error))
      return rewriter.notifyMatchFailure(op, error);
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = op.getOutput().getType();
    ArrayRef<int64_t> shape = resultType.getShape();
    bool signedA = qtype(op.getLhs()).isSigned();
    bool signedB = qtype(op.getRhs()).isSigned();
    // The product of two centred 16-bit values can leave int32: compute it
    // in i64 and saturate, as the reference kernel does.
    Value product = mapElementwise(
        rewriter, loc,
        {toStorage(rewriter, loc, op.getLhs()),
         toStorage(rewriter, loc, op.getRhs())},
        {broadcastMap(ctx, op.getLhs().getType().getShape(), shape),
         broadcastMap(ctx, op.getRhs().getType().getShape(), shape)},
        RankedTensorType::get(shape, i32(ctx)),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value x = extend(nb, nl, args[0], signedA, i64(ctx));
          Value y = extend(nb, nl, args[1], signedB, i64(ctx));
          x = arith::SubIOp::create(
              nb, nl, x, constInt(nb, nl, i64(ctx), params.zeroPointA));
          y = arith::SubIOp::create(
              nb, nl, y, constInt(nb, nl, i64(ctx), params.zeroPointB));
          Value p = arith::MulIOp::create(nb, nl, x, y);
          p = arith::MaxSIOp::create(nb, nl, p,
                                     constInt(nb, nl, i64(ctx), INT32_MIN));
          p = arith::MinSIOp::create(nb, nl, p,
                                     constInt(nb, nl, i64(ctx), INT32_MAX));
          return arith::TruncIOp::create(nb, nl, i32(ctx), p).getResult();
        });
    rewriter.replaceOp(op, applyOutputStage(rewriter, loc, product,
                                            params.output, -1, resultType));
    return success();
  }
};

} // namespace

void qc::lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<LowerClampLike<ReluOp>>(ctx, 0.0, kInf);
  patterns.add<LowerClampLike<Relu6Op>>(ctx, 0.0, 6.0);
  patterns.add<LowerClamp, LowerRequantize, LowerAdd, LowerMul>(ctx);
}
