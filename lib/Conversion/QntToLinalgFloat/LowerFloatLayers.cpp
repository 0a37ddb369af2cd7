//===- LowerFloatLayers.cpp - conv, depthwise, fully connected, matmul ----===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Float layers as linalg named ops, so that tiling, packing and the
// vectorizer's convolution and contraction paths apply to them later:
//
//   conv2d              linalg.conv_2d_nhwc_fhwc (OHWI weights are FHWC);
//                       groups > 1: linalg.conv_2d_nhwgc_gfhwc on the input
//                       and weights expanded by group
//   depthwise_conv2d    linalg.depthwise_conv_2d_nhwc_hwc (multiplier 1) or
//                       _hwcm, on the [1, KH, KW, C * M] weight reshaped
//   fully_connected     linalg.matmul with the [O, K] weight read transposed
//   matmul              linalg.matmul / linalg.batch_matmul
//
// The bias, when present, is broadcast into the accumulator before the
// product (as TosaToLinalg does). Padding is an explicit tensor.pad with 0,
// which adds nothing to a sum, like the positions the reference skips.
//
//===----------------------------------------------------------------------===//

#include "FloatBuilder.h"
#include "Patterns.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace qc::lowering::fp;
using namespace qc::qnt;

namespace {

/// The NHWC input of a windowed layer padded with zeros.
Value zeroPadded(PatternRewriter &b, Location loc, Value input,
                 ArrayRef<int64_t> padding) {
  return padSpatial(b, loc, input, padding,
                    constFloat(b, loc, elementType(input), 0.0));
}

/// Rewrites a grouped convolution into linalg.conv_2d_nhwgc_gfhwc: the
/// channels split as C = G * (C / G) and O = G * (O / G), which is exactly
/// how OHWI weights and NHWC tensors group them (output channel o belongs
/// to group o / (O / G)).
Value groupedConv(PatternRewriter &b, Location loc, Value x, Value w,
                  Value init, int64_t groups, Attribute strides,
                  Attribute dilations) {
  ArrayRef<int64_t> xs = shapeOf(x), ws = shapeOf(w), ys = shapeOf(init);
  SmallVector<ReassociationIndices> channelSplit = {{0}, {1}, {2}, {3, 4}};
  Value xg = expandTo(b, loc, x, {xs[0], xs[1], xs[2], groups, xs[3] / groups},
                      channelSplit);
  Value wg = expandTo(b, loc, w, {groups, ws[0] / groups, ws[1], ws[2], ws[3]},
                      {{0, 1}, {2}, {3}, {4}});
  SmallVector<int64_t> groupedShape = {ys[0], ys[1], ys[2], groups,
                                       ys[3] / groups};
  Value initG = expandTo(b, loc, init, groupedShape, channelSplit);
  Value conv = linalg::Conv2DNhwgcGfhwcOp::create(
                   b, loc, TypeRange{initG.getType()}, ValueRange{xg, wg},
                   ValueRange{initG}, strides, dilations)
                   .getResult(0);
  return collapseTo(b, loc, conv, ys, channelSplit);
}

struct LowerConv2D : FloatPattern<Conv2DOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(Conv2DOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = zeroPadded(rewriter, loc, op.getInput(), op.getPadding());
    Value init =
        channelInit(rewriter, loc, op.getOutput().getType(), op.getBias());
    Attribute strides = rewriter.getI64VectorAttr(op.getStrides());
    Attribute dilations = rewriter.getI64VectorAttr(op.getDilations());
    auto groups = static_cast<int64_t>(op.getGroups());
    if (groups != 1) {
      rewriter.replaceOp(op, groupedConv(rewriter, loc, x, op.getWeight(), init,
                                         groups, strides, dilations));
      return success();
    }
    rewriter.replaceOp(op, linalg::Conv2DNhwcFhwcOp::create(
                               rewriter, loc, TypeRange{init.getType()},
                               ValueRange{x, op.getWeight()}, ValueRange{init},
                               strides, dilations)
                               .getResult(0));
    return success();
  }
};

struct LowerDepthwiseConv2D : FloatPattern<DepthwiseConv2DOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(DepthwiseConv2DOp op,
                      PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> ws = shapeOf(op.getWeight());
    ArrayRef<int64_t> ys = op.getOutput().getType().getShape();
    int64_t channels = shapeOf(op.getInput())[3];
    // The verifier lets 0 channels through (0 is a multiple of 0); the
    // reference rejects them, and the multiplier would be undefined.
    if (channels < 1)
      return rewriter.notifyMatchFailure(op, "input has no channels");
    int64_t multiplier = ys[3] / channels;
    Value x = zeroPadded(rewriter, loc, op.getInput(), op.getPadding());
    Value init =
        channelInit(rewriter, loc, op.getOutput().getType(), op.getBias());
    Attribute strides = rewriter.getI64VectorAttr(op.getStrides());
    Attribute dilations = rewriter.getI64VectorAttr(op.getDilations());
    // [1, KH, KW, C * M] -> [KH, KW, C * M]: the leading 1 is TFLite's.
    Value w = collapseTo(rewriter, loc, op.getWeight(), {ws[1], ws[2], ws[3]},
                         {{0, 1}, {2}, {3}});
    if (multiplier == 1) {
      rewriter.replaceOp(op, linalg::DepthwiseConv2DNhwcHwcOp::create(
                                 rewriter, loc, TypeRange{init.getType()},
                                 ValueRange{x, w}, ValueRange{init}, strides,
                                 dilations)
                                 .getResult(0));
      return success();
    }
    // Output channel c * M + m reads input channel c: split it as (c, m).
    SmallVector<ReassociationIndices> split = {{0}, {1}, {2}, {3, 4}};
    Value wm = expandTo(rewriter, loc, w, {ws[1], ws[2], channels, multiplier},
                        {{0}, {1}, {2, 3}});
    Value initM = expandTo(rewriter, loc, init,
                           {ys[0], ys[1], ys[2], channels, multiplier}, split);
    Value conv = linalg::DepthwiseConv2DNhwcHwcmOp::create(
                     rewriter, loc, TypeRange{initM.getType()},
                     ValueRange{x, wm}, ValueRange{initM}, strides, dilations)
                     .getResult(0);
    rewriter.replaceOp(op, collapseTo(rewriter, loc, conv, ys, split));
    return success();
  }
};

struct LowerFullyConnected : FloatPattern<FullyConnectedOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(FullyConnectedOp op,
                      PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value init =
        channelInit(rewriter, loc, op.getOutput().getType(), op.getBias());
    auto matmul = linalg::MatmulOp::create(
        rewriter, loc, TypeRange{init.getType()},
        ValueRange{op.getInput(), op.getWeight()}, ValueRange{init});
    // (n, o, k): input[n, k] * weight[o, k] -> out[n, o]. Reading the weight
    // transposed in the map keeps it in its [O, K] layout, no copy.
    AffineExpr n = getAffineDimExpr(0, ctx), o = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    matmul.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(
        {AffineMap::get(3, 0, {n, k}, ctx), AffineMap::get(3, 0, {o, k}, ctx),
         AffineMap::get(3, 0, {n, o}, ctx)}));
    rewriter.replaceOp(op, matmul.getResult(0));
    return success();
  }
};

struct LowerMatMul : FloatPattern<MatMulOp> {
  using FloatPattern::FloatPattern;
  LogicalResult lower(MatMulOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = op.getOutput().getType();
    int64_t rank = resultType.getRank();
    Value lhs = op.getLhs(), rhs = op.getRhs();
    Value zero = constFloat(rewriter, loc, resultType.getElementType(), 0.0);
    if (rank == 2) {
      Value init = filledTensor(rewriter, loc, resultType.getShape(), zero);
      rewriter.replaceOp(
          op, linalg::MatmulOp::create(rewriter, loc, TypeRange{init.getType()},
                                       ValueRange{lhs, rhs}, ValueRange{init})
                  .getResult(0));
      return success();
    }
    // Leading batch dimensions fold into one for linalg.batch_matmul.
    ReassociationIndices batchDims;
    int64_t batch = 1;
    for (int64_t i = 0; i < rank - 2; ++i) {
      batchDims.push_back(i);
      batch *= resultType.getDimSize(i);
    }
    SmallVector<ReassociationIndices> groups = {
        batchDims, {rank - 2}, {rank - 1}};
    ArrayRef<int64_t> ls = shapeOf(lhs), rs = shapeOf(rhs),
                      ys = resultType.getShape();
    if (rank > 3) {
      lhs = collapseTo(rewriter, loc, lhs, {batch, ls[rank - 2], ls[rank - 1]},
                       groups);
      rhs = collapseTo(rewriter, loc, rhs, {batch, rs[rank - 2], rs[rank - 1]},
                       groups);
    }
    Value init =
        filledTensor(rewriter, loc, {batch, ys[rank - 2], ys[rank - 1]}, zero);
    Value product =
        linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{init.getType()},
                                      ValueRange{lhs, rhs}, ValueRange{init})
            .getResult(0);
    if (rank > 3)
      product = expandTo(rewriter, loc, product, ys, groups);
    rewriter.replaceOp(op, product);
    return success();
  }
};

} // namespace

void qc::lowering::fp::populateLayerPatterns(RewritePatternSet &patterns) {
  patterns
      .add<LowerConv2D, LowerDepthwiseConv2D, LowerFullyConnected, LowerMatMul>(
          patterns.getContext());
}
