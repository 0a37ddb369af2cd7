//===- LowerFloatSoftmax.cpp - float softmax ------------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Softmax along one axis in the reference's order of operations, as four
// linalg.generic ops (the decomposition upstream linalg.softmax uses too):
//
//   m   = max_j x_j            (reduction, from -inf)
//   e_i = exp(x_i - m)         (subtracting the max keeps exp finite)
//   s   = sum_j e_j            (reduction, from 0)
//   y_i = e_i / s
//
// The reference works in double; here every step is in the element type,
// so results agree to a few ulps, not bit for bit.
//
//===----------------------------------------------------------------------===//

#include "FloatBuilder.h"
#include "Patterns.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace qc::lowering::fp;
using namespace qc::qnt;

namespace {

/// Reduces `input` along `axis` with `combine(element, accumulator)`,
/// starting from `init`; the result drops the axis.
Value reduceAlongAxis(OpBuilder &b, Location loc, Value input, int64_t axis,
                      Value init, BodyFn combine) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = shapeOf(input);
  int64_t rank = shape.size();
  SmallVector<int64_t> reduced;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      reduced.push_back(shape[i]);
  Value acc = filledTensor(b, loc, reduced, init);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 dropDimMap(ctx, rank, axis)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[axis] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{acc.getType()}, ValueRange{input}, ValueRange{acc},
      maps, iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, combine(nb, nl, args));
      });
  return generic.getResult(0);
}

struct LowerSoftmax : FloatPattern<SoftmaxOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(SoftmaxOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = op.getOutput().getType();
    int64_t rank = type.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Type element = type.getElementType();
    Value x = op.getInput();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = dropDimMap(ctx, rank, axis);

    Value max = reduceAlongAxis(
        rewriter, loc, x, axis, constNegInf(rewriter, loc, element),
        [](OpBuilder &b, Location nl, ValueRange args) {
          return arith::MaximumFOp::create(b, nl, args[0], args[1]).getResult();
        });
    Value exps =
        mapElementwise(rewriter, loc, {x, max}, {id, reduced}, type,
                       [](OpBuilder &b, Location nl, ValueRange args) {
                         Value shifted =
                             arith::SubFOp::create(b, nl, args[0], args[1]);
                         return math::ExpOp::create(b, nl, shifted).getResult();
                       });
    Value sum = reduceAlongAxis(
        rewriter, loc, exps, axis, constFloat(rewriter, loc, element, 0.0),
        [](OpBuilder &b, Location nl, ValueRange args) {
          return arith::AddFOp::create(b, nl, args[1], args[0]).getResult();
        });
    Value result = mapElementwise(
        rewriter, loc, {exps, sum}, {id, reduced}, type,
        [](OpBuilder &b, Location nl, ValueRange args) {
          return arith::DivFOp::create(b, nl, args[0], args[1]).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void qc::lowering::fp::populateSoftmaxPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerSoftmax>(patterns.getContext());
}
