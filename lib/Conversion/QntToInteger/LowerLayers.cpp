//===- LowerLayers.cpp - conv, depthwise, fully connected, matmul ---------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Quantized layers as one accumulation linalg.generic followed by the output
// stage. With constant symmetric weights the zero-point term of Jacob et al.
// 2018 eq. 7 is folded into the bias at compile time:
//
//   sum_k (x_k - Z_x) w_k = sum_k x_k w_k - Z_x sum_k w_k
//
// so the loop multiplies raw storage values. With asymmetric constant
// weights all four terms appear:
//
//   sum_k (x_k - Z_x)(w_k - Z_w) = sum_k x_k w_k - Z_w sum_k x_k
//                                 - Z_x sum_k w_k + K Z_x Z_w
//
// the last two folded into the bias, the second computed as a window sum
// of the input. Padded positions hold Z_x (real 0), matching the reference
// kernel where padding contributes 0; the sums above run over them too.
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

/// What the accumulation loop needs to know about a layer.
struct LayerPlan {
  Value input, weight, bias; // quantized operands (bias may be null)
  RankedTensorType resultType;
  int32_t inputZp = 0;
  std::vector<int32_t> weightZps;
  bool symmetricWeights = true;
  /// Folded bias per output channel (bias - Z_x * sum w), when the weights
  /// are constant and symmetric.
  std::optional<std::vector<int64_t>> foldedBias;
  rt::OutputStage stage;
  /// The exact accumulator can leave int32 for some input (a bias near the
  /// limits, or very long reductions): accumulate in i64 and saturate once,
  /// as docs/quantized-kernels.md section 4 defines. Otherwise the i32
  /// accumulator never wraps and is exact.
  bool wide = false;
  Type accType(MLIRContext *ctx) const { return wide ? i64(ctx) : i32(ctx); }
};

/// Whether sat32(bias + sum_k (x - Z_x)(w - Z_w)) may differ from the same
/// sum in a wrapping int32 accumulator, over every input value the storage
/// type allows. `weights` (constant) and `bias` may be absent: then their
/// storage ranges bound them.
bool mayOverflowInt32(const LayerPlan &plan, int64_t channels, int64_t terms,
                      const std::optional<std::vector<int64_t>> &weights,
                      const std::optional<std::vector<int64_t>> &bias,
                      llvm::function_ref<int64_t(int64_t)> channelOf) {
  UniformType in = qtype(plan.input), w = qtype(plan.weight);
  int64_t xLo = in.getStorageMin() - plan.inputZp,
          xHi = in.getStorageMax() - plan.inputZp;
  auto zpOf = [&](int64_t c) {
    return plan.weightZps.size() == 1 ? plan.weightZps[0] : plan.weightZps[c];
  };
  std::vector<int64_t> lo(channels, 0), hi(channels, 0);
  for (int64_t c = 0; c < channels; ++c) {
    if (bias) {
      lo[c] = hi[c] = (*bias)[c];
    } else if (plan.bias) {
      lo[c] = INT32_MIN;
      hi[c] = INT32_MAX;
    }
  }
  auto add = [&](int64_t c, int64_t wv, int64_t count) {
    int64_t a = xLo * wv, b = xHi * wv;
    lo[c] += std::min(a, b) * count;
    hi[c] += std::max(a, b) * count;
  };
  if (weights) {
    for (size_t i = 0; i < weights->size(); ++i) {
      int64_t c = channelOf(i);
      add(c, (*weights)[i] - zpOf(c), 1);
    }
  } else {
    for (int64_t c = 0; c < channels; ++c) {
      int64_t z = zpOf(c);
      int64_t wLo = w.getStorageMin() - z, wHi = w.getStorageMax() - z;
      int64_t a = std::min({xLo * wLo, xLo * wHi, xHi * wLo, xHi * wHi});
      int64_t b = std::max({xLo * wLo, xLo * wHi, xHi * wLo, xHi * wHi});
      lo[c] += a * terms;
      hi[c] += b * terms;
    }
  }
  for (int64_t c = 0; c < channels; ++c)
    if (lo[c] < INT32_MIN || hi[c] > INT32_MAX)
      return true;
  return false;
}

/// Prepares the output stage and, where possible, the folded bias.
/// `channelOf(i)` maps a flat weight index to its output channel.
LogicalResult planLayer(Operation *op, Value input, Value weight, Value bias,
                        int64_t channels,
                        llvm::function_ref<int64_t(int64_t)> channelOf,
                        PatternRewriter &rewriter, LayerPlan &plan) {
  plan.input = input;
  plan.weight = weight;
  plan.bias = bias;
  plan.resultType = cast<RankedTensorType>(op->getResult(0).getType());
  plan.inputZp = zeroPointOf(input);
  rt::QuantParams w = paramsOf(weight);
  if (w.groupSize > 0)
    return rewriter.notifyMatchFailure(op, "per-group weights");
  plan.weightZps.assign(w.zeroPoints.begin(), w.zeroPoints.end());
  plan.symmetricWeights =
      llvm::all_of(plan.weightZps, [](int32_t z) { return z == 0; });
  rt::QuantParams biasParams;
  if (bias)
    biasParams = paramsOf(bias);
  std::string error;
  if (!rt::prepareLayer(paramsOf(input), w, bias ? &biasParams : nullptr,
                        paramsOf(op->getResult(0)), plan.stage, error))
    return rewriter.notifyMatchFailure(op, error);

  std::optional<std::vector<int64_t>> weights = readQuantizedConstant(weight);
  std::optional<std::vector<int64_t>> biasValues;
  if (bias)
    biasValues = readQuantizedConstant(bias);
  if (channels == 0) {
    // A matmul of two activations: every column is bounded alike, by the
    // storage ranges over the contraction (the lhs's last dimension).
    auto lhs = cast<RankedTensorType>(input.getType());
    int64_t terms = lhs.getDimSize(lhs.getRank() - 1);
    for (size_t z = 0; z < plan.weightZps.size() && !plan.wide; ++z) {
      LayerPlan column = plan;
      column.weightZps = {plan.weightZps[z]};
      plan.wide = mayOverflowInt32(column, 1, terms, std::nullopt,
                                   std::nullopt, channelOf);
    }
  } else {
    int64_t terms =
        cast<RankedTensorType>(weight.getType()).getNumElements() / channels;
    plan.wide = mayOverflowInt32(plan, channels, terms, weights, biasValues,
                                 channelOf);
  }
  if (!weights || channels == 0)
    return success();
  std::vector<int64_t> folded(channels, 0);
  if (bias) {
    if (!biasValues)
      return success();
    for (int64_t c = 0; c < channels; ++c)
      folded[c] = (*biasValues)[c];
  }
  for (size_t i = 0; i < weights->size(); ++i)
    folded[channelOf(i)] -= int64_t(plan.inputZp) * (*weights)[i];
  // + K Z_x Z_w[c], K = terms per output.
  int64_t terms = static_cast<int64_t>(weights->size()) / channels;
  for (int64_t c = 0; c < channels; ++c) {
    int64_t zw =
        plan.weightZps.size() == 1 ? plan.weightZps[0] : plan.weightZps[c];
    folded[c] += terms * int64_t(plan.inputZp) * zw;
  }
  // An int32 accumulator holds the folded bias in its wrap-around
  // representation (the final sum is exact, so it is the same modulo 2^32
  // and in range); an i64 one holds it as it is.
  if (!plan.wide)
    for (int64_t &v : folded)
      v = storageBits(v, 32);
  plan.foldedBias = std::move(folded);
  return success();
}

/// The accumulator's initial value: the (folded) bias broadcast along the
/// last dimension, or zeros.
Value initialAccumulator(PatternRewriter &b, Location loc,
                         const LayerPlan &plan, bool directForm) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = plan.resultType.getShape();
  int64_t rank = plan.resultType.getRank();
  Type acc = plan.accType(ctx);
  auto accType = RankedTensorType::get(shape, acc);
  Value biasTensor;
  if (!directForm && plan.foldedBias) {
    biasTensor = constTensor(b, loc, {shape.back()}, acc, *plan.foldedBias);
  } else if (plan.bias) {
    biasTensor = toStorage(b, loc, plan.bias);
  } else {
    return filledTensor(b, loc, shape, acc, 0);
  }
  AffineMap last = AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx));
  return mapElementwise(
      b, loc, {biasTensor}, {last}, accType,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        return extend(nb, nl, args[0], /*isSigned=*/true, acc);
      });
}

/// acc += x * w (folded form) or (x - Z_x) * (w - Z_w[o]) (direct form);
/// `zpw` is the weight zero point of the current output channel (args[3]
/// when per channel).
Value multiplyAccumulate(OpBuilder &b, Location loc, ValueRange args,
                         const LayerPlan &plan, bool directForm,
                         Value channelZp) {
  Type acc = plan.accType(b.getContext());
  Value x = extend(b, loc, args[0], qtype(plan.input).isSigned(), acc);
  Value w = extend(b, loc, args[1], qtype(plan.weight).isSigned(), acc);
  if (directForm) {
    x = arith::SubIOp::create(b, loc, x, constInt(b, loc, acc, plan.inputZp));
    w = arith::SubIOp::create(b, loc, w,
                              extend(b, loc, channelZp, true, acc));
  }
  Value product = arith::MulIOp::create(b, loc, x, w);
  return arith::AddIOp::create(b, loc, args[2], product);
}

/// acc - Z_w[o] * sum_k x_k: the input-dependent term of the four-term
/// expansion, with the window sum computed by the accumulation's own loops
/// so that it covers exactly the same inputs. The weight stays an operand
/// (unread) because its map is what gives the window loops their ranges.
Value subtractWeightZeroPointTerm(PatternRewriter &b, Location loc,
                                  const LayerPlan &plan, Value x, Value w,
                                  Value acc, ArrayRef<AffineMap> maps,
                                  ArrayRef<utils::IteratorType> iterators) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = plan.resultType.getShape();
  int64_t rank = plan.resultType.getRank();
  bool isSigned = qtype(plan.input).isSigned();
  Type accElem = plan.accType(ctx);
  Value zeros = filledTensor(b, loc, shape, accElem, 0);
  auto sums = linalg::GenericOp::create(
      b, loc, TypeRange{zeros.getType()}, ValueRange{x, w}, ValueRange{zeros},
      ArrayRef<AffineMap>{maps[0], maps[1], maps.back()}, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value v = extend(nb, nl, args[0], isSigned, accElem);
        linalg::YieldOp::create(
            nb, nl, arith::AddIOp::create(nb, nl, args[2], v).getResult());
      });
  std::vector<int64_t> zps(plan.weightZps.begin(), plan.weightZps.end());
  if (zps.size() == 1)
    zps.assign(shape.back(), zps.front());
  Value zpTensor = constTensor(b, loc, {shape.back()}, accElem, zps);
  AffineMap id = b.getMultiDimIdentityMap(rank);
  AffineMap last = AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx));
  return mapElementwise(
      b, loc, {acc, sums.getResult(0), zpTensor}, {id, id, last},
      cast<RankedTensorType>(acc.getType()),
      [](OpBuilder &nb, Location nl, ValueRange args) {
        Value term = arith::MulIOp::create(nb, nl, args[2], args[1]);
        return arith::SubIOp::create(nb, nl, args[0], term).getResult();
      });
}

/// Builds the accumulation generic, then the output stage.
Value emitLayer(PatternRewriter &b, Location loc, const LayerPlan &plan,
                Value x, Value w, ArrayRef<AffineMap> maps,
                ArrayRef<utils::IteratorType> iterators, AffineMap channelMap) {
  MLIRContext *ctx = b.getContext();
  bool directForm = !plan.foldedBias;
  Value acc = initialAccumulator(b, loc, plan, directForm);
  SmallVector<Value> inputs = {x, w};
  SmallVector<AffineMap> allMaps(maps.begin(), maps.end() - 1);
  bool perChannelZp = directForm && plan.weightZps.size() > 1;
  if (perChannelZp) {
    std::vector<int64_t> zps(plan.weightZps.begin(), plan.weightZps.end());
    inputs.push_back(
        constTensor(b, loc, {static_cast<int64_t>(zps.size())}, i32(ctx), zps));
    allMaps.push_back(channelMap);
  }
  allMaps.push_back(maps.back());
  int32_t uniformZp = plan.weightZps.empty() ? 0 : plan.weightZps.front();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{acc.getType()}, inputs, ValueRange{acc}, allMaps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value zp =
            perChannelZp ? args[2] : constInt(nb, nl, i32(ctx), uniformZp);
        SmallVector<Value> operands = {args[0], args[1], args.back()};
        linalg::YieldOp::create(
            nb, nl, multiplyAccumulate(nb, nl, operands, plan, directForm, zp));
      });
  Value result = generic.getResult(0);
  if (!directForm && !plan.symmetricWeights)
    result = subtractWeightZeroPointTerm(b, loc, plan, x, w, result, maps,
                                         iterators);
  if (plan.wide) {
    // The one saturation of the exact sum to int32.
    int64_t rank = plan.resultType.getRank();
    AffineMap id = b.getMultiDimIdentityMap(rank);
    result = mapElementwise(
        b, loc, {result}, {id},
        RankedTensorType::get(plan.resultType.getShape(), i32(ctx)),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = arith::MaxSIOp::create(
              nb, nl, args[0], constInt(nb, nl, i64(ctx), INT32_MIN));
          v = arith::MinSIOp::create(nb, nl, v,
                                     constInt(nb, nl, i64(ctx), INT32_MAX));
          return arith::TruncIOp::create(nb, nl, i32(ctx), v).getResult();
        });
  }
  return applyOutputStage(b, loc, result, plan.stage,
                          plan.resultType.getRank() - 1, plan.resultType);
}

AffineExpr d(unsigned i, MLIRContext *ctx) { return getAffineDimExpr(i, ctx); }

/// The NHWC input of a windowed layer as storage integers, padded with the
/// input zero point (real 0).
Value paddedInput(PatternRewriter &b, Location loc, Value input,
                  ArrayRef<int64_t> padding, const LayerPlan &plan) {
  return padSpatial(b, loc, toStorage(b, loc, input), padding,
                    storageBits(plan.inputZp, qtype(input).getStorageWidth()));
}

/// Input map of a windowed layer over loops (n, oh, ow, o, kh, kw, ...):
/// (n, oh * s_h + kh * d_h, ow * s_w + kw * d_w, channel).
AffineMap windowInputMap(MLIRContext *ctx, unsigned loops, ArrayRef<int64_t> s,
                         ArrayRef<int64_t> dl, AffineExpr channel) {
  return AffineMap::get(loops, 0,
                        {d(0, ctx), d(1, ctx) * s[0] + d(4, ctx) * dl[0],
                         d(2, ctx) * s[1] + d(5, ctx) * dl[1], channel},
                        ctx);
}

/// Output map (n, oh, ow, o) of a windowed layer.
AffineMap windowOutputMap(MLIRContext *ctx, unsigned loops) {
  return AffineMap::get(loops, 0, {d(0, ctx), d(1, ctx), d(2, ctx), d(3, ctx)},
                        ctx);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

struct LowerConv2D : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    ArrayRef<int64_t> wShape = op.getWeight().getType().getShape();
    int64_t outChannels = wShape[0];
    int64_t perChannel = wShape[1] * wShape[2] * wShape[3];
    LayerPlan plan;
    if (failed(planLayer(
            op, op.getInput(), op.getWeight(), op.getBias(), outChannels,
            [&](int64_t i) { return i / perChannel; }, rewriter, plan)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = paddedInput(rewriter, loc, op.getInput(), op.getPadding(), plan);
    Value w = toStorage(rewriter, loc, op.getWeight());
    ArrayRef<int64_t> s = op.getStrides(), dl = op.getDilations();
    int64_t groups = static_cast<int64_t>(op.getGroups());
    int64_t cinPerGroup = wShape[3], coutPerGroup = outChannels / groups;
    // Loops: n, oh, ow, o, kh, kw, ci.
    AffineExpr inChannel =
        groups == 1
            ? d(6, ctx)
            : d(3, ctx).floorDiv(coutPerGroup) * cinPerGroup + d(6, ctx);
    SmallVector<AffineMap> maps = {
        windowInputMap(ctx, 7, s, dl, inChannel),
        AffineMap::get(7, 0, {d(3, ctx), d(4, ctx), d(5, ctx), d(6, ctx)}, ctx),
        windowOutputMap(ctx, 7)};
    auto p = utils::IteratorType::parallel, r = utils::IteratorType::reduction;
    Value result =
        emitLayer(rewriter, loc, plan, x, w, maps, {p, p, p, p, r, r, r},
                  AffineMap::get(7, 0, d(3, ctx)));
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerDepthwiseConv2D : OpRewritePattern<DepthwiseConv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    ArrayRef<int64_t> wShape = op.getWeight().getType().getShape();
    int64_t outChannels = wShape[3];
    int64_t multiplier = outChannels / op.getInput().getType().getShape()[3];
    LayerPlan plan;
    if (failed(planLayer(
            op, op.getInput(), op.getWeight(), op.getBias(), outChannels,
            [&](int64_t i) { return i % outChannels; }, rewriter, plan)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = paddedInput(rewriter, loc, op.getInput(), op.getPadding(), plan);
    Value w = toStorage(rewriter, loc, op.getWeight());
    ArrayRef<int64_t> s = op.getStrides(), dl = op.getDilations();
    // Loops: n, oh, ow, j, kh, kw; output channel j reads input j / M.
    AffineExpr inChannel =
        multiplier == 1 ? d(3, ctx) : d(3, ctx).floorDiv(multiplier);
    SmallVector<AffineMap> maps = {
        windowInputMap(ctx, 6, s, dl, inChannel),
        AffineMap::get(
            6, 0,
            {getAffineConstantExpr(0, ctx), d(4, ctx), d(5, ctx), d(3, ctx)},
            ctx),
        windowOutputMap(ctx, 6)};
    auto p = utils::IteratorType::parallel, r = utils::IteratorType::reduction;
    Value result =
        emitLayer(rewriter, loc, plan, x, w, maps, {p, p, p, p, r, r},
                  AffineMap::get(6, 0, d(3, ctx)));
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerFullyConnected : OpRewritePattern<FullyConnectedOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(FullyConnectedOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    ArrayRef<int64_t> wShape = op.getWeight().getType().getShape();
    int64_t k = wShape[1];
    LayerPlan plan;
    if (failed(planLayer(
            op, op.getInput(), op.getWeight(), op.getBias(), wShape[0],
            [&](int64_t i) { return i / k; }, rewriter, plan)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    // Loops: n, o, k.
    SmallVector<AffineMap> maps = {
        AffineMap::get(3, 0, {d(0, ctx), d(2, ctx)}, ctx),
        AffineMap::get(3, 0, {d(1, ctx), d(2, ctx)}, ctx),
        AffineMap::get(3, 0, {d(0, ctx), d(1, ctx)}, ctx)};
    auto p = utils::IteratorType::parallel, r = utils::IteratorType::reduction;
    Value result =
        emitLayer(rewriter, loc, plan, toStorage(rewriter, loc, op.getInput()),
                  toStorage(rewriter, loc, op.getWeight()), maps, {p, p, r},
                  AffineMap::get(3, 0, d(1, ctx)));
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// matmul always uses the direct form: its rhs need not be constant.
struct LowerMatMul : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantizedOp(op))
      return rewriter.notifyMatchFailure(op, "float op");
    int64_t rank = op.getLhs().getType().getRank();
    LayerPlan plan;
    if (failed(planLayer(
            op, op.getLhs(), op.getRhs(), Value(), 0, [](int64_t) { return 0; },
            rewriter, plan)))
      return failure();
    plan.foldedBias.reset();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    // Loops: batch..., m, n, k.
    unsigned loops = rank + 1;
    SmallVector<AffineExpr> batch;
    for (int64_t i = 0; i < rank - 2; ++i)
      batch.push_back(d(i, ctx));
    auto withBatch = [&](AffineExpr a, AffineExpr b2) {
      SmallVector<AffineExpr> e(batch);
      e.push_back(a);
      e.push_back(b2);
      return AffineMap::get(loops, 0, e, ctx);
    };
    AffineExpr m = d(rank - 2, ctx), n = d(rank - 1, ctx), k = d(rank, ctx);
    SmallVector<AffineMap> maps = {withBatch(m, k), withBatch(k, n),
                                   withBatch(m, n)};
    SmallVector<utils::IteratorType> iterators(loops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    Value result =
        emitLayer(rewriter, loc, plan, toStorage(rewriter, loc, op.getLhs()),
                  toStorage(rewriter, loc, op.getRhs()), maps, iterators,
                  AffineMap::get(loops, 0, n));
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void qc::lowering::populateLayerPatterns(RewritePatternSet &patterns) {
  patterns
      .add<LowerConv2D, LowerDepthwiseConv2D, LowerFullyConnected, LowerMatMul>(
          patterns.getContext());
}
