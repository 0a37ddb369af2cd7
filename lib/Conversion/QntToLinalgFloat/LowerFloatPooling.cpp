//===- LowerFloatPooling.cpp - max, average and global average pooling ----===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Pooling as linalg.pooling_nhwc_max / _sum over an explicitly padded input:
//
//   max_pool2d       padding -inf, accumulator -inf: padded positions never
//                    win (every window holds a real position, since padding
//                    is smaller than the kernel), and arith.maximumf lets a
//                    NaN through, as the reference does;
//   avg_pool2d       padding 0, then a division by the number of positions
//                    counted: kernel size with count_include_pad, else the
//                    real positions in the window (a compile-time table when
//                    it varies over the output);
//   global_avg_pool  the sum over an [H, W] window, divided by H * W.
//
//===----------------------------------------------------------------------===//

#include "FloatBuilder.h"
#include "Patterns.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace qc::lowering::fp;
using namespace qc::qnt;

namespace {

/// The reference rejects inputs and padding that could leave a window
/// without real positions (its maximum would be -inf and its average
/// 0 / 0).
template <typename PoolOp>
LogicalResult checkWindows(PoolOp op, PatternRewriter &rewriter) {
  ArrayRef<int64_t> k = op.getKernel(), p = op.getPadding();
  ArrayRef<int64_t> in = shapeOf(op.getInput());
  if (in[1] < 1 || in[2] < 1)
    return rewriter.notifyMatchFailure(op, "input has no pixels");
  if (p[0] >= k[0] || p[1] >= k[0] || p[2] >= k[1] || p[3] >= k[1])
    return rewriter.notifyMatchFailure(
        op, "padding must be smaller than the kernel");
  return success();
}

/// linalg.pooling_nhwc_{max,sum} with a [kh, kw] window over `input` into
/// a tensor of `type` filled with `init`.
template <typename LinalgPoolOp>
Value pool(PatternRewriter &b, Location loc, Value input, int64_t kh,
           int64_t kw, ArrayRef<int64_t> strides, RankedTensorType type,
           Value init) {
  Value window = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{kh, kw},
                                         type.getElementType());
  Value acc = filledTensor(b, loc, type.getShape(), init);
  return LinalgPoolOp::create(b, loc, TypeRange{type},
                              ValueRange{input, window}, ValueRange{acc},
                              b.getI64VectorAttr(strides),
                              b.getI64VectorAttr({1, 1}))
      .getResult(0);
}

/// Number of real (unpadded) input positions in the window of each output
/// position (oy, ox), row-major over [OH, OW].
SmallVector<double> realCounts(AvgPool2DOp op) {
  ArrayRef<int64_t> in = shapeOf(op.getInput());
  ArrayRef<int64_t> out = op.getOutput().getType().getShape();
  ArrayRef<int64_t> k = op.getKernel(), s = op.getStrides(),
                    p = op.getPadding();
  // Count of positions of a window starting at `start` inside [0, size).
  auto inside = [](int64_t start, int64_t extent, int64_t size) {
    return std::min(start + extent, size) - std::max<int64_t>(start, 0);
  };
  SmallVector<double> counts;
  for (int64_t oy = 0; oy < out[1]; ++oy)
    for (int64_t ox = 0; ox < out[2]; ++ox)
      counts.push_back(
          static_cast<double>(inside(oy * s[0] - p[0], k[0], in[1]) *
                              inside(ox * s[1] - p[2], k[1], in[2])));
  return counts;
}

/// sum / divisor elementwise, with one divisor or one per (oy, ox).
Value divideSums(PatternRewriter &b, Location loc, Value sums,
                 ArrayRef<double> divisors) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(sums.getType());
  Type element = type.getElementType();
  AffineMap id = b.getMultiDimIdentityMap(4);
  auto divide = [](OpBuilder &nb, Location nl, Value sum, Value divisor) {
    return arith::DivFOp::create(nb, nl, sum, divisor).getResult();
  };
  if (llvm::all_equal(divisors)) {
    double divisor = divisors.front();
    return mapElementwise(b, loc, {sums}, {id}, type,
                          [&](OpBuilder &nb, Location nl, ValueRange args) {
                            return divide(nb, nl, args[0],
                                          constFloat(nb, nl, element, divisor));
                          });
  }
  auto tableType =
      RankedTensorType::get({type.getDimSize(1), type.getDimSize(2)}, element);
  SmallVector<Attribute> values;
  for (double d : divisors)
    values.push_back(b.getFloatAttr(element, d));
  Value table = arith::ConstantOp::create(
      b, loc, tableType, DenseElementsAttr::get(tableType, values));
  AffineMap spatial = AffineMap::get(
      4, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx);
  return mapElementwise(b, loc, {sums, table}, {id, spatial}, type,
                        [&](OpBuilder &nb, Location nl, ValueRange args) {
                          return divide(nb, nl, args[0], args[1]);
                        });
}

struct LowerMaxPool : FloatPattern<MaxPool2DOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(MaxPool2DOp op,
                      PatternRewriter &rewriter) const override {
    if (failed(checkWindows(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto type = op.getOutput().getType();
    Value lowest = constNegInf(rewriter, loc, type.getElementType());
    Value padded =
        padSpatial(rewriter, loc, op.getInput(), op.getPadding(), lowest);
    ArrayRef<int64_t> k = op.getKernel();
    rewriter.replaceOp(
        op, pool<linalg::PoolingNhwcMaxOp>(rewriter, loc, padded, k[0], k[1],
                                           op.getStrides(), type, lowest));
    return success();
  }
};

struct LowerAvgPool : FloatPattern<AvgPool2DOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(AvgPool2DOp op,
                      PatternRewriter &rewriter) const override {
    if (failed(checkWindows(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto type = op.getOutput().getType();
    Value zero = constFloat(rewriter, loc, type.getElementType(), 0.0);
    Value padded =
        padSpatial(rewriter, loc, op.getInput(), op.getPadding(), zero);
    ArrayRef<int64_t> k = op.getKernel();
    Value sums = pool<linalg::PoolingNhwcSumOp>(
        rewriter, loc, padded, k[0], k[1], op.getStrides(), type, zero);
    SmallVector<double> divisors =
        op.getCountIncludePad()
            ? SmallVector<double>{static_cast<double>(k[0] * k[1])}
            : realCounts(op);
    rewriter.replaceOp(op, divideSums(rewriter, loc, sums, divisors));
    return success();
  }
};

struct LowerGlobalAvgPool : FloatPattern<GlobalAvgPoolOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(GlobalAvgPoolOp op,
                      PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> in = shapeOf(op.getInput());
    if (in[1] < 1 || in[2] < 1)
      return rewriter.notifyMatchFailure(op, "input has no pixels");
    Location loc = op.getLoc();
    auto type = op.getOutput().getType();
    Value zero = constFloat(rewriter, loc, type.getElementType(), 0.0);
    Value sums = pool<linalg::PoolingNhwcSumOp>(
        rewriter, loc, op.getInput(), in[1], in[2], {1, 1}, type, zero);
    double count = static_cast<double>(in[1] * in[2]);
    rewriter.replaceOp(op, divideSums(rewriter, loc, sums, {count}));
    return success();
  }
};

} // namespace

void qc::lowering::fp::populatePoolingPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerMaxPool, LowerAvgPool, LowerGlobalAvgPool>(
      patterns.getContext());
}
