//===- LowerSoftmax.cpp - integer softmax by exp table ---------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Softmax on quantized values (docs/quantized-kernels.md): along the axis,
//   d_i = max - x_i,  T = round(2^24 exp(-S_in d)) (a compile-time table),
//   q_i = clamp(Z_out + round_half_away(T[d_i] R / (sum_j T[d_j] 2^20)))
// with R = round(2^20 / S_out), all in int64. Three linalg.generic ops:
// the row max, the row sum of table entries, and the normalization.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilder.h"
#include "Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace qc;
using namespace qc::lowering;
using namespace qc::qnt;

namespace {

/// The map of a reduced tensor (axis dropped) inside loops over all dims.
AffineMap dropAxisMap(MLIRContext *ctx, int64_t rank, int64_t axis) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// A reduction along `axis` of f(element, accumulator).
Value reduceAlongAxis(OpBuilder &b, Location loc, ValueRange inputs,
                      ArrayRef<AffineMap> inputMaps, int64_t axis,
                      ArrayRef<int64_t> shape, Type accType, int64_t init,
                      BodyFn body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = shape.size();
  SmallVector<int64_t> reduced;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      reduced.push_back(shape[i]);
  Value acc = filledTensor(b, loc, reduced, accType, init);
  SmallVector<AffineMap> maps(inputMaps.begin(), inputMaps.end());
  maps.push_back(dropAxisMap(ctx, rank, axis));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[axis] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{acc.getType()}, inputs, ValueRange{acc}, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, body(nb, nl, args));
      });
  return generic.getResult(0);
}

/// T[max - x] as i64 (the table is indexed by the distance to the max).
Value lookup(OpBuilder &b, Location loc, Value table, Value x, Value max) {
  MLIRContext *ctx = b.getContext();
  Value dist = arith::SubIOp::create(b, loc, max, x);
  Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), dist);
  (void)ctx;
  return tensor::ExtractOp::create(b, loc, table, ValueRange{index});
}

struct LowerSoftmax : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    auto type = op.getInput().getType();
    int64_t rank = type.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    ArrayRef<int64_t> shape = type.getShape();
    rt::SoftmaxParams params;
    std::string error;
    if (!rt::prepareSoftmax(paramsOf(op.getInput()), paramsOf(op.getOutput()),
                            shape[axis], params, error))
      return rewriter.notifyMatchFailure(op, error);

    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type i32t = i32(ctx), i64t = i64(ctx);
    bool isSigned = qtype(op.getInput()).isSigned();
    Value x = toStorage(rewriter, loc, op.getInput());
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = dropAxisMap(ctx, rank, axis);
    Value table = constTensor(rewriter, loc,
                              {static_cast<int64_t>(params.expTable.size())},
                              i64t, params.expTable);

    Value max = reduceAlongAxis(
        rewriter, loc, {x}, {id}, axis, shape, i32t, INT32_MIN,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = extend(nb, nl, args[0], isSigned, i32t);
          return arith::MaxSIOp::create(nb, nl, args[1], v).getResult();
        });
    Value sum = reduceAlongAxis(
        rewriter, loc, {x, max}, {id, reduced}, axis, shape, i64t, 0,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = extend(nb, nl, args[0], isSigned, i32t);
          Value t = lookup(nb, nl, table, v, args[1]);
          return arith::AddIOp::create(nb, nl, args[2], t).getResult();
        });

    UniformType out = qtype(op.getOutput());
    auto storageElem = IntegerType::get(ctx, out.getStorageWidth());
    Value ints = mapElementwise(
        rewriter, loc, {x, max, sum}, {id, reduced, reduced},
        RankedTensorType::get(shape, storageElem),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = extend(nb, nl, args[0], isSigned, i32t);
          Value t = lookup(nb, nl, table, v, args[1]);
          Value num = arith::MulIOp::create(
              nb, nl, t, constInt(nb, nl, i64t, params.reciprocalScale));
          Value den = arith::ShLIOp::create(nb, nl, args[2],
                                            constInt(nb, nl, i64t, 20));
          Value q = roundHalfAwayDiv(nb, nl, num, den);
          q = arith::AddIOp::create(nb, nl, q,
                                    constInt(nb, nl, i64t, params.zeroPoint));
          q = arith::MaxSIOp::create(nb, nl, q, constInt(nb, nl, i64t, params.lo));
          q = arith::MinSIOp::create(nb, nl, q, constInt(nb, nl, i64t, params.hi));
          return arith::TruncIOp::create(nb, nl, storageElem, q).getResult();
        });
    rewriter.replaceOp(op, fromStorage(rewriter, loc, ints,
                                       op.getOutput().getType()));
    return success();
  }
};

} // namespace

void qc::lowering::populateSoftmaxPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerSoftmax>(patterns.getContext());
}
