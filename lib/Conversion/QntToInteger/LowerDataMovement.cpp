//===- LowerDataMovement.cpp - pools, pad, reshape, transpose, concat -----===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Ops that select, average or move quantized values. Each computes on the
// storage integers and ends with the rescale from the input's parameters to
// the result's (an exact identity when they are equal, which qnt-quantize
// arranges for max_pool2d, reshape, transpose, pad and concat).
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilder.h"
#include "Patterns.h"

#include "qc/Conversion/QntToInteger/FixedPointEmitter.h"

#include "qc/runtime/KernelAttrs.h"
#include "qc/runtime/QuantParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace qc;
using namespace qc::lowering;
using namespace qc::qnt;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

AffineExpr d(unsigned i, MLIRContext *ctx) { return getAffineDimExpr(i, ctx); }

/// A temporary quantized tensor with `like`'s parameters over `ints`, so
/// that lowerRescale can read its parameters.
Value asQuantized(PatternRewriter &b, Location loc, Value ints, Value like) {
  auto intsType = cast<RankedTensorType>(ints.getType());
  return fromStorage(b, loc, ints,
                     RankedTensorType::get(intsType.getShape(), qtype(like)));
}

/// Number of valid (unpadded) input positions under each output position.
std::vector<int64_t> validCounts(int64_t inH, int64_t inW, int64_t outH,
                                 int64_t outW, const rt::PoolAttrs &a) {
  std::vector<int64_t> counts(outH * outW);
  for (int64_t oy = 0; oy < outH; ++oy)
    for (int64_t ox = 0; ox < outW; ++ox) {
      int64_t rows = 0, cols = 0;
      for (int64_t k = 0; k < a.kernelH; ++k) {
        int64_t y = oy * a.strideH - a.padTop + k;
        rows += y >= 0 && y < inH;
      }
      for (int64_t k = 0; k < a.kernelW; ++k) {
        int64_t x = ox * a.strideW - a.padLeft + k;
        cols += x >= 0 && x < inW;
      }
      counts[oy * outW + ox] = rows * cols;
    }
  return counts;
}

template <typename PoolOp> rt::PoolAttrs poolAttrs(PoolOp op) {
  rt::PoolAttrs a;
  a.kernelH = op.getKernel()[0];
  a.kernelW = op.getKernel()[1];
  a.strideH = op.getStrides()[0];
  a.strideW = op.getStrides()[1];
  a.padTop = op.getPadding()[0];
  a.padBottom = op.getPadding()[1];
  a.padLeft = op.getPadding()[2];
  a.padRight = op.getPadding()[3];
  return a;
}

/// The window reduction of a pool: loops (n, oy, ox, c, kh, kw) over the
/// padded input, with a [KH, KW] shape operand giving the window's extent.
Value windowReduce(PatternRewriter &b, Location loc, Value padded,
                   const rt::PoolAttrs &a, ArrayRef<int64_t> outShape,
                   int64_t init, BodyFn combine) {
  MLIRContext *ctx = b.getContext();
  Value window = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{a.kernelH, a.kernelW}, i32(ctx));
  Value acc = filledTensor(b, loc, outShape, i32(ctx), init);
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0,
                     {d(0, ctx), d(1, ctx) * a.strideH + d(4, ctx),
                      d(2, ctx) * a.strideW + d(5, ctx), d(3, ctx)},
                     ctx),
      AffineMap::get(6, 0, {d(4, ctx), d(5, ctx)}, ctx),
      AffineMap::get(6, 0, {d(0, ctx), d(1, ctx), d(2, ctx), d(3, ctx)}, ctx)};
  auto p = utils::IteratorType::parallel, r = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{acc.getType()}, ValueRange{padded, window},
      ValueRange{acc}, maps, SmallVector<utils::IteratorType>{p, p, p, p, r, r},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl,
                                combine(nb, nl, ValueRange{args[0], args[2]}));
      });
  return generic.getResult(0);
}

struct LowerMaxPool : OpRewritePattern<MaxPool2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPool2DOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    UniformType in = qtype(op.getInput());
    rt::PoolAttrs a = poolAttrs(op);
    // Padding with the storage minimum never wins a max: every window has
    // a valid position (padding is smaller than the kernel).
    int64_t lowest = UniformType::getStorageTypeMin(in.getStorageType());
    Value padded =
        padSpatial(rewriter, loc, toStorage(rewriter, loc, op.getInput()),
                   op.getPadding(), storageBits(lowest, in.getStorageWidth()));
    bool isSigned = in.isSigned();
    ArrayRef<int64_t> outShape = op.getOutput().getType().getShape();
    Value max = windowReduce(
        rewriter, loc, padded, a, outShape, lowest,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value x = extend(nb, nl, args[0], isSigned, i32(ctx));
          return arith::MaxSIOp::create(nb, nl, args[1], x).getResult();
        });
    // The max is a storage value of the input type again: rescale it.
    auto narrow = RankedTensorType::get(
        outShape, IntegerType::get(ctx, in.getStorageWidth()));
    Value ints = mapElementwise(
        rewriter, loc, {max}, {rewriter.getMultiDimIdentityMap(4)}, narrow,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          if (in.getStorageWidth() == 32)
            return args[0];
          return arith::TruncIOp::create(nb, nl, narrow.getElementType(),
                                         args[0])
              .getResult();
        });
    return replaceOrFail(
        rewriter, op,
        lowerRescale(rewriter, op,
                     asQuantized(rewriter, loc, ints, op.getInput()),
                     op.getOutput().getType(), -kInf, kInf));
  }
};

/// A half_even model's average (rt::poolMultiplier): one rounding of
/// sum * M[c] / count per output, with the multiplier of each position's
/// count (and channel, per axis) in constant tensors [H, W, C'].
Value halfEvenAverage(PatternRewriter &b, Location loc, Value sum,
                      ArrayRef<int64_t> counts, const rt::OutputStage &stage,
                      ArrayRef<int64_t> outShape, RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  int64_t h = outShape[1], w = outShape[2];
  int64_t channels = static_cast<int64_t>(stage.multipliers.size());
  std::vector<int64_t> m0, rightShift;
  for (int64_t p = 0; p < h * w; ++p)
    for (const rt::Multiplier &m : stage.multipliers) {
      rt::Multiplier pm = rt::poolMultiplier(m, counts[p]);
      std::array<int64_t, 3> params = halfEvenParams(pm.m0, pm.shift);
      m0.push_back(params[0]);
      rightShift.push_back(params[1]);
    }
  auto i64 = IntegerType::get(ctx, 64);
  Value m0Tensor = constTensor(b, loc, {h, w, channels}, i64, m0);
  Value shiftTensor = constTensor(b, loc, {h, w, channels}, i64, rightShift);
  AffineMap position =
      AffineMap::get(4, 0,
                     {d(1, ctx), d(2, ctx),
                      channels > 1 ? d(3, ctx) : b.getAffineConstantExpr(0)},
                     ctx);
  UniformType q = getUniformElementType(resultType);
  auto storage = IntegerType::get(ctx, q.getStorageWidth());
  Value ints = mapElementwise(
      b, loc, {sum, m0Tensor, shiftTensor},
      {b.getMultiDimIdentityMap(4), position, position},
      RankedTensorType::get(resultType.getShape(), storage),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        FixedPointEmitter e{nb, nl, nb.getI64Type()};
        Value x = arith::ExtSIOp::create(nb, nl, nb.getI64Type(), args[0]);
        Value v = e.add(e.halfEven(x, args[1], args[2]), e.c(stage.zeroPoint));
        v = e.clamp(v, stage.lo, stage.hi);
        return arith::TruncIOp::create(nb, nl, storage, v).getResult();
      });
  return fromStorage(b, loc, ints, resultType);
}

/// avg = round_half_away(sum(x - Z_x) / count), then the output stage
/// (gemmlowp models); halfEvenAverage in half_even models.
FailureOr<Value> lowerAverage(PatternRewriter &b, Operation *op, Value input,
                              const rt::PoolAttrs &a,
                              ArrayRef<int64_t> outShape) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  UniformType in = qtype(input);
  int32_t zp = zeroPointOf(input);
  SmallVector<int64_t> padding = {a.padTop, a.padBottom, a.padLeft, a.padRight};
  // Padded positions hold Z_x: they add 0 to the centred sum.
  Value padded = padSpatial(b, loc, toStorage(b, loc, input), padding,
                            storageBits(zp, in.getStorageWidth()));
  bool isSigned = in.isSigned();
  Value sum = windowReduce(
      b, loc, padded, a, outShape, 0,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = extend(nb, nl, args[0], isSigned, i32(ctx));
        x = arith::SubIOp::create(nb, nl, x, constInt(nb, nl, i32(ctx), zp));
        return arith::AddIOp::create(nb, nl, args[1], x).getResult();
      });
  auto inShape = cast<RankedTensorType>(input.getType()).getShape();
  std::vector<int64_t> counts =
      a.countIncludePad
          ? std::vector<int64_t>(outShape[1] * outShape[2],
                                 a.kernelH * a.kernelW)
          : validCounts(inShape[1], inShape[2], outShape[1], outShape[2], a);
  rt::OutputStage stage;
  std::string error;
  if (!rt::prepareRescale(paramsOf(input), paramsOf(op->getResult(0)), -kInf,
                          kInf, stage, error))
    return b.notifyMatchFailure(op, error);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (modelRoundingAt(b) == RoundingMode::half_even)
    return halfEvenAverage(b, loc, sum, counts, stage, outShape, resultType);
  Value countTensor =
      constTensor(b, loc, {outShape[1], outShape[2]}, i32(ctx), counts);
  Value avg =
      mapElementwise(b, loc, {sum, countTensor},
                     {b.getMultiDimIdentityMap(4),
                      AffineMap::get(4, 0, {d(1, ctx), d(2, ctx)}, ctx)},
                     RankedTensorType::get(outShape, i32(ctx)),
                     [&](OpBuilder &nb, Location nl, ValueRange args) {
                       return roundHalfAwayDiv(nb, nl, args[0], args[1]);
                     });
  return applyOutputStage(b, loc, avg, stage, -1, resultType);
}

struct LowerAvgPool : OpRewritePattern<AvgPool2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AvgPool2DOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    rt::PoolAttrs a = poolAttrs(op);
    a.countIncludePad = op.getCountIncludePad();
    return replaceOrFail(rewriter, op,
                         lowerAverage(rewriter, op, op.getInput(), a,
                                      op.getOutput().getType().getShape()));
  }
};

struct LowerGlobalAvgPool : OpRewritePattern<GlobalAvgPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GlobalAvgPoolOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    rt::PoolAttrs a;
    a.kernelH = in[1];
    a.kernelW = in[2];
    a.strideH = a.strideW = 1;
    return replaceOrFail(rewriter, op,
                         lowerAverage(rewriter, op, op.getInput(), a,
                                      op.getOutput().getType().getShape()));
  }
};

struct LowerPad : OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PadOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    Location loc = op.getLoc();
    // Rescale the interior into the result's parameters, then pad with the
    // quantized pad value.
    auto interiorType = RankedTensorType::get(
        op.getInput().getType().getShape(), qtype(op.getOutput()));
    FailureOr<Value> interior =
        lowerRescale(rewriter, op, op.getInput(), interiorType, -kInf, kInf);
    if (failed(interior))
      return failure();
    rt::QuantParams out = paramsOf(op.getOutput());
    int32_t padValue =
        rt::quantizeValue(op.getValue().convertToDouble(), out.scales[0],
                          out.zeroPoints[0], out.qmin, out.qmax);
    unsigned width = qtype(op.getOutput()).getStorageWidth();
    Value storage = toStorage(rewriter, loc, *interior);
    ArrayRef<int64_t> padding = op.getPadding();
    SmallVector<OpFoldResult> low, high;
    for (size_t i = 0; i + 1 < padding.size(); i += 2) {
      low.push_back(rewriter.getIndexAttr(padding[i]));
      high.push_back(rewriter.getIndexAttr(padding[i + 1]));
    }
    auto outType = op.getOutput().getType();
    auto storageType = RankedTensorType::get(
        outType.getShape(), IntegerType::get(rewriter.getContext(), width));
    Value padded = tensor::PadOp::create(
        rewriter, loc, storageType, storage, low, high,
        constInt(rewriter, loc, storageType.getElementType(),
                 storageBits(padValue, width)));
    rewriter.replaceOp(op, fromStorage(rewriter, loc, padded, outType));
    return success();
  }
};

/// reshape and transpose: move the storage integers, then rescale.
struct LowerReshape : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    auto inType = op.getInput().getType();
    auto outType = op.getOutput().getType();
    if (!inType.hasStaticShape() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    Value storage = toStorage(rewriter, loc, op.getInput());
    Type elem = cast<RankedTensorType>(storage.getType()).getElementType();
    auto flatType = RankedTensorType::get({inType.getNumElements()}, elem);
    SmallVector<ReassociationIndices> inAll(1), outAll(1);
    for (int64_t i = 0; i < inType.getRank(); ++i)
      inAll[0].push_back(i);
    for (int64_t i = 0; i < outType.getRank(); ++i)
      outAll[0].push_back(i);
    Value flat = inType.getRank() == 1
                     ? storage
                     : tensor::CollapseShapeOp::create(rewriter, loc, flatType,
                                                       storage, inAll);
    auto outStorage = RankedTensorType::get(outType.getShape(), elem);
    Value shaped = outType.getRank() == 1
                       ? flat
                       : tensor::ExpandShapeOp::create(
                             rewriter, loc, outStorage, flat, outAll);
    return replaceOrFail(
        rewriter, op,
        lowerRescale(rewriter, op,
                     asQuantized(rewriter, loc, shaped, op.getInput()),
                     op.getOutput().getType(), -kInf, kInf));
  }
};

struct LowerTranspose : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    UniformType in = qtype(op.getInput());
    if (in.isPerGroup())
      return rewriter.notifyMatchFailure(op, "per-group transpose");
    Location loc = op.getLoc();
    Value storage = toStorage(rewriter, loc, op.getInput());
    Type elem = cast<RankedTensorType>(storage.getType()).getElementType();
    auto outType = op.getOutput().getType();
    Value init =
        tensor::EmptyOp::create(rewriter, loc, outType.getShape(), elem);
    Value moved = linalg::TransposeOp::create(rewriter, loc, storage, init,
                                              op.getPermutation())
                      .getResult()[0];
    // The moved values keep their parameters, which now sit on the axis
    // the permutation moved the input's axis to; then the usual rescale to
    // the output's parameters (nothing when they are the same).
    UniformType movedType = in;
    if (in.isPerAxis()) {
      ArrayRef<int64_t> perm = op.getPermutation();
      int32_t axis = static_cast<int32_t>(
          llvm::find(perm, static_cast<int64_t>(in.getAxis())) - perm.begin());
      movedType = UniformType::get(in.getStorageType(), in.getStorageMin(),
                                   in.getStorageMax(), in.getExpressedType(),
                                   axis, 0, in.getScales().asArrayRef(),
                                   in.getZeroPoints().asArrayRef());
    }
    Value quantized = fromStorage(
        rewriter, loc, moved,
        RankedTensorType::get(outType.getShape(), movedType));
    return replaceOrFail(rewriter, op,
                         lowerRescale(rewriter, op, quantized,
                                      op.getOutput().getType(), -kInf, kInf));
  }
};

struct LowerConcat : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    Location loc = op.getLoc();
    UniformType out = qtype(op.getOutput());
    SmallVector<Value> parts;
    for (Value input : op.getInputs()) {
      auto inType = cast<RankedTensorType>(input.getType());
      auto target = RankedTensorType::get(inType.getShape(), out);
      FailureOr<Value> part =
          lowerRescale(rewriter, op, input, target, -kInf, kInf);
      if (failed(part))
        return failure();
      parts.push_back(toStorage(rewriter, loc, *part));
    }
    auto outType = op.getOutput().getType();
    auto storageType = RankedTensorType::get(
        outType.getShape(),
        IntegerType::get(rewriter.getContext(), out.getStorageWidth()));
    Value joined = tensor::ConcatOp::create(
        rewriter, loc, storageType, static_cast<int64_t>(op.getAxis()), parts);
    rewriter.replaceOp(op, fromStorage(rewriter, loc, joined, outType));
    return success();
  }
};

} // namespace

void qc::lowering::populateDataMovementPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerMaxPool, LowerAvgPool, LowerGlobalAvgPool, LowerPad,
               LowerReshape, LowerTranspose, LowerConcat>(
      patterns.getContext());
}
