//===- LowerToArith.cpp - fixed_point_mul, quantize, dequantize to arith --===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-lower-to-arith: the last qnt ops of integer-only IR become
// linalg.generic ops over arith, computing exactly what the runtime core
// computes (gemmlowp SaturatingRoundingDoublingHighMul and
// RoundingDivideByPOT, TFLite MultiplyByQuantizedMultiplier with the
// project's saturating left shift, TOSA apply_scale_32; QuantParams.h's
// quantizeValue / dequantizeValue). Everything is done in i64 (f64 for the
// float edges) with selects, so that the bodies vectorize later.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilder.h"
#include "Patterns.h"

#include "qc/Conversion/Passes.h"
#include "qc/Conversion/QntToInteger/FixedPointEmitter.h"
#include "qc/Dialect/Qnt/Utils/ModelRounding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>

namespace qc {
#define GEN_PASS_DEF_QNTLOWERTOARITHPASS
#include "qc/Conversion/Passes.h.inc"
} // namespace qc

using namespace mlir;
using namespace qc;
using namespace qc::lowering;
using namespace qc::qnt;

namespace {

/// Per-entry parameters as i64: (m0, left, right) for gemmlowp, (m0, s, -)
/// for TOSA, with the runtime core's clamps applied at compile time.
std::array<int64_t, 3> entryParams(FixedPointMulOp op, size_t i) {
  if (op.getRounding() == RoundingMode::half_even)
    return halfEvenParams(op.getMultiplier()[i], op.getShift()[i]);
  return fixedPointParams(op.getRounding() == RoundingMode::gemmlowp,
                          op.getMultiplier()[i], op.getShift()[i]);
}

struct LowerFixedPointMul : OpRewritePattern<FixedPointMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(FixedPointMulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t rank = type.getRank();
    size_t n = op.getMultiplier().size();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<Value> inputs = {op.getInput()};
    SmallVector<AffineMap> maps = {id};
    if (n > 1) {
      // One constant tensor per parameter, indexed along the axis.
      std::array<std::vector<int64_t>, 3> params;
      for (size_t i = 0; i < n; ++i)
        for (int k = 0; k < 3; ++k)
          params[k].push_back(entryParams(op, i)[k]);
      AffineMap axis = AffineMap::get(
          rank, 0, getAffineDimExpr(*op.getAxis(), rewriter.getContext()));
      for (int k = 0; k < 3; ++k) {
        inputs.push_back(constTensor(rewriter, loc, {static_cast<int64_t>(n)},
                                     rewriter.getI64Type(), params[k]));
        maps.push_back(axis);
      }
    }
    RoundingMode mode = op.getRounding();
    std::array<int64_t, 3> uniform = entryParams(op, 0);
    Value result = mapElementwise(
        rewriter, loc, inputs, maps, type,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          FixedPointEmitter e{nb, nl, nb.getI64Type()};
          Value x = arith::ExtSIOp::create(nb, nl, e.t, args[0]);
          Value m0 = n > 1 ? args[1] : e.c(uniform[0]);
          Value p1 = n > 1 ? args[2] : e.c(uniform[1]);
          Value p2 = n > 1 ? args[3] : e.c(uniform[2]);
          Value r =
              mode == RoundingMode::gemmlowp    ? e.gemmlowp(x, m0, p1, p2)
              : mode == RoundingMode::half_even ? e.halfEven(x, m0, p1)
                                                : e.tosa(x, m0, p1,
                                                         mode == RoundingMode::tosa_double);
          return arith::TruncIOp::create(nb, nl, nb.getI32Type(), r)
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Per-axis scales/zero points as constant tensors (f64, i64) on `axis`.
LogicalResult perAxisOperands(PatternRewriter &b, Location loc,
                              UniformType q, int64_t rank,
                              SmallVectorImpl<Value> &inputs,
                              SmallVectorImpl<AffineMap> &maps) {
  if (q.isPerTensor())
    return success();
  if (q.isPerGroup())
    return failure();
  auto scales = q.getScales().asArrayRef();
  auto f64 = b.getF64Type();
  auto scaleType = RankedTensorType::get({static_cast<int64_t>(scales.size())}, f64);
  inputs.push_back(arith::ConstantOp::create(
      b, loc, scaleType, DenseElementsAttr::get(scaleType, scales)));
  std::vector<int64_t> zps(q.getZeroPoints().asArrayRef().begin(),
                           q.getZeroPoints().asArrayRef().end());
  inputs.push_back(constTensor(b, loc, {static_cast<int64_t>(zps.size())},
                               b.getI64Type(), zps));
  AffineMap axis =
      AffineMap::get(rank, 0, getAffineDimExpr(q.getAxis(), b.getContext()));
  maps.push_back(axis);
  maps.push_back(axis);
  return success();
}

Value constF64(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
}

/// `v` as a float of type `to` (extended or rounded to nearest).
Value convertFloat(OpBuilder &b, Location loc, Value v, Type to) {
  unsigned from = v.getType().getIntOrFloatBitWidth();
  unsigned width = to.getIntOrFloatBitWidth();
  if (from < width)
    return arith::ExtFOp::create(b, loc, to, v);
  if (from > width)
    return arith::TruncFOp::create(b, loc, to, v);
  return v;
}

/// rt::quantizeValue: clamp(round_half_away(r / S) + Z, lo, hi), NaN -> Z;
/// in a half_even model rt::quantizeValueHalfEven: the quotient is a
/// float32 one and ties round to even.
/// |r / S| is capped at 2^40 before the conversion to an integer: beyond
/// that the clamp decides anyway; below it the integer part and the
/// fraction are exact, and rounding the fraction half up is std::round.
struct LowerQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    UniformType q = getUniformElementType(op.getType());
    auto inType = op.getInput().getType();
    int64_t rank = inType.getRank();
    SmallVector<Value> inputs = {op.getInput()};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    if (failed(perAxisOperands(rewriter, loc, q, rank, inputs, maps)))
      return rewriter.notifyMatchFailure(op, "per-group quantize");
    auto storage = IntegerType::get(getContext(), q.getStorageWidth());
    int64_t lo = std::max<int64_t>(q.getStorageMin(), INT32_MIN);
    int64_t hi = std::min<int64_t>(q.getStorageMax(), INT32_MAX);
    double scale = q.getScale();
    int64_t zp = q.getZeroPoint();
    bool halfEven = getModelRounding(op) == rt::Rounding::HalfEven;
    Value ints = mapElementwise(
        rewriter, loc, inputs, maps,
        RankedTensorType::get(inType.getShape(), storage),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          FixedPointEmitter e{nb, nl, nb.getI64Type()};
          Value s = args.size() > 1 ? args[1] : constF64(nb, nl, scale);
          Value z = args.size() > 1 ? args[2] : e.c(zp);
          Value t;
          if (halfEven) {
            // float32(r) / float32(S), exactly representable in f64.
            Type f32 = nb.getF32Type();
            Value r = convertFloat(nb, nl, args[0], f32);
            Value s32 = arith::TruncFOp::create(nb, nl, f32, s);
            t = arith::ExtFOp::create(
                nb, nl, nb.getF64Type(),
                arith::DivFOp::create(nb, nl, r, s32).getResult());
          } else {
            Value r = arith::ExtFOp::create(nb, nl, nb.getF64Type(), args[0]);
            t = arith::DivFOp::create(nb, nl, r, s);
          }
          Value zero = constF64(nb, nl, 0.0);
          Value negative = arith::CmpFOp::create(
              nb, nl, arith::CmpFPredicate::OLT, t, zero);
          Value mag = arith::SelectOp::create(
              nb, nl, negative, arith::NegFOp::create(nb, nl, t), t);
          mag = arith::MinNumFOp::create(nb, nl, mag,
                                         constF64(nb, nl, 1099511627776.0));
          // Round half up on |t| without adding 0.5 first: mag + 0.5 can
          // round up in f64 (0.5 - 2^-54 + 0.5 == 1.0). The truncation and
          // the fraction are exact below 2^40.
          Value whole = arith::FPToSIOp::create(nb, nl, e.t, mag);
          Value frac = arith::SubFOp::create(
              nb, nl, mag,
              arith::SIToFPOp::create(nb, nl, nb.getF64Type(), whole));
          Value up = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGE,
                                           frac, constF64(nb, nl, 0.5));
          if (halfEven) {
            // A tie goes up only from an odd integer part.
            Value above = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::OGT, frac, constF64(nb, nl, 0.5));
            Value odd = arith::TruncIOp::create(nb, nl, nb.getI1Type(), whole);
            up = arith::OrIOp::create(nb, nl, above,
                                      arith::AndIOp::create(nb, nl, up, odd));
          }
          Value rounded = e.add(whole, e.zext(up));
          rounded = e.select(negative, e.sub(e.c(0), rounded), rounded);
          Value isNaN = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::UNO,
                                              t, t);
          Value value = e.select(isNaN, z, e.add(rounded, z));
          value = e.clamp(value, lo, hi);
          return arith::TruncIOp::create(nb, nl, storage, value).getResult();
        });
    rewriter.replaceOp(op, fromStorage(rewriter, loc, ints, op.getType()));
    return success();
  }
};

/// rt::dequantizeValue: (q - Z) * S in f64, rounded to the result type.
struct LowerDequantize : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    UniformType q = getUniformElementType(op.getInput().getType());
    auto outType = op.getType();
    int64_t rank = outType.getRank();
    SmallVector<Value> inputs = {toStorage(rewriter, loc, op.getInput())};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    if (failed(perAxisOperands(rewriter, loc, q, rank, inputs, maps)))
      return rewriter.notifyMatchFailure(op, "per-group dequantize");
    bool isSigned = q.isSigned();
    double scale = q.getScale();
    int64_t zp = q.getZeroPoint();
    Type elem = outType.getElementType();
    Value result = mapElementwise(
        rewriter, loc, inputs, maps, outType,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          FixedPointEmitter e{nb, nl, nb.getI64Type()};
          Value x = extend(nb, nl, args[0], isSigned, e.t);
          Value s = args.size() > 1 ? args[1] : constF64(nb, nl, scale);
          Value z = args.size() > 1 ? args[2] : e.c(zp);
          Value diff = arith::SIToFPOp::create(nb, nl, nb.getF64Type(),
                                               e.sub(x, z));
          Value r = arith::MulFOp::create(nb, nl, diff, s);
          if (elem.isF64())
            return r;
          return arith::TruncFOp::create(nb, nl, elem, r).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct QntLowerToArith
    : public qc::impl::QntLowerToArithPassBase<QntLowerToArith> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LowerFixedPointMul, LowerQuantize, LowerDequantize>(
        &getContext());
    StorageCastOp::getCanonicalizationPatterns(patterns, &getContext());
    (void)applyPatternsGreedily(getOperation(), std::move(patterns));
    bool failedAny = false;
    getOperation()->walk([&](Operation *op) {
      if (!isa<QntDialect>(op->getDialect()))
        return;
      op->emitError() << "'" << op->getName()
                      << "' cannot be lowered to arith (quantized function "
                         "arguments or results, per-group parameters, or ops "
                         "qnt-lower-to-integer has not rewritten)";
      failedAny = true;
    });
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
