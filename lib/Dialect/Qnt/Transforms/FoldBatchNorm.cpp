//===- FoldBatchNorm.cpp - fold batch norm into conv/FC weights -----------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-fold-batch-norm: inference batch norm is a per-channel affine map
// y = x * f + (beta - mean * f) with f = gamma / sqrt(variance + epsilon).
// After a convolution or fully connected layer with constant weights it is
// folded into them (Jacob et al. 2018, section 3.2), so that quantization
// sees one layer with one weight range per channel; anywhere else it becomes
// a constant qnt.mul + qnt.add. Folding computes in double and stores f32.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"
#include "qc/Dialect/Qnt/Utils/Constants.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

#include <array>
#include <cmath>

namespace qc::qnt {
#define GEN_PASS_DEF_QNTFOLDBATCHNORMPASS
#include "qc/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace qc::qnt

using namespace mlir;
using namespace qc::qnt;

namespace {

/// The constant parameters of one qnt.batch_norm, one entry per channel.
struct BatchNormParams {
  std::vector<float> gamma, beta, mean, variance;
  double epsilon = 0.0;
};

/// A layer a batch norm can fold into: qnt.conv2d, qnt.depthwise_conv2d or
/// qnt.fully_connected, all of which take (input, weight, bias?).
struct Layer {
  Operation *op = nullptr;
  Value weight;
  /// Null when the layer has no bias.
  Value bias;
  /// Output channels are the first weight axis (conv2d, fully_connected)
  /// or the last one (depthwise [1, KH, KW, C * M]).
  bool channelsLast = false;
};

/// New weight and bias values for a layer with the batch norm folded in.
struct FoldedLayer {
  std::vector<float> weight, bias;
};

/// The constants of the qnt.mul + qnt.add that replace a batch norm.
struct ScaleShift {
  std::vector<float> scale, shift;
};

} // namespace

//===----------------------------------------------------------------------===//
// Batch norm parameters
//===----------------------------------------------------------------------===//

/// The four parameter operands of `op` with their names, in a fixed order.
static std::array<std::pair<StringRef, Value>, 4> namedParams(BatchNormOp op) {
  return {{{"gamma", op.getGamma()},
           {"beta", op.getBeta()},
           {"mean", op.getMean()},
           {"variance", op.getVariance()}}};
}

/// Reads the parameters of `op`; fails with a reason when the batch norm is
/// not on f32 or a parameter is not a constant.
static FailureOr<BatchNormParams> readParams(BatchNormOp op, std::string &why) {
  if (!getElementTypeOrSelf(op.getInput().getType()).isF32()) {
    why = "only f32 batch norms are rewritten";
    return failure();
  }
  BatchNormParams params;
  params.epsilon = op.getEpsilon().convertToDouble();
  std::vector<float> *fields[] = {&params.gamma, &params.beta, &params.mean,
                                  &params.variance};
  for (auto [named, field] : llvm::zip_equal(namedParams(op), fields)) {
    std::optional<std::vector<float>> values = readF32Constant(named.second);
    if (!values) {
      why = ("'" + named.first + "' is not a constant").str();
      return failure();
    }
    *field = std::move(*values);
  }
  // The verifier cannot compare the sizes when the channel dimension is
  // dynamic; the per-channel loops below index all four by one channel.
  size_t channels = params.gamma.size();
  if (params.beta.size() != channels || params.mean.size() != channels ||
      params.variance.size() != channels) {
    why = "gamma, beta, mean and variance differ in size";
    return failure();
  }
  return params;
}

/// f[c] = gamma[c] / sqrt(variance[c] + epsilon), in double.
static std::vector<double> channelScales(const BatchNormParams &params) {
  std::vector<double> scale(params.gamma.size());
  for (size_t c = 0; c < scale.size(); ++c)
    scale[c] = params.gamma[c] /
               std::sqrt(double(params.variance[c]) + params.epsilon);
  return scale;
}

/// beta[c] + (bias - mean[c]) * f[c]: the shift after a layer with `bias`.
static double channelShift(const BatchNormParams &params,
                           ArrayRef<double> scale, size_t c, double bias) {
  return params.beta[c] + (bias - params.mean[c]) * scale[c];
}

/// True when no value is infinite or NaN (after rounding to f32).
static bool allFinite(ArrayRef<float> values) {
  return llvm::all_of(values, [](float v) { return std::isfinite(v); });
}

/// Reports, at `op`, a constant parameter that makes the batch norm
/// undefined: variance + epsilon not positive and finite (the square root
/// of a negative number), or gamma, beta or mean not finite.
static LogicalResult verifyParams(BatchNormOp op) {
  double epsilon = op.getEpsilon().convertToDouble();
  for (auto [name, value] : namedParams(op)) {
    std::optional<std::vector<float>> values = readF32Constant(value);
    if (!values)
      continue;
    for (auto [c, v] : llvm::enumerate(*values)) {
      if (name == "variance") {
        double sum = double(v) + epsilon;
        if (!(sum > 0.0) || !std::isfinite(sum))
          return op.emitOpError("variance + epsilon must be positive and "
                                "finite, got ")
                 << v << " + " << epsilon << " at channel " << c;
      } else if (!std::isfinite(v)) {
        return op.emitOpError() << "'" << name << "' is not finite (" << v
                                << ") at channel " << c;
      }
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Folding into the producing layer
//===----------------------------------------------------------------------===//

/// The layer that produces `input`, when it is one a batch norm can fold
/// into: conv2d, depthwise_conv2d or fully_connected with constant f32
/// weights and, if it has one, a constant f32 bias.
static std::optional<Layer> getConstantLayer(Value input) {
  Operation *producer = input.getDefiningOp();
  if (!producer)
    return std::nullopt;
  std::optional<Layer> layer =
      llvm::TypeSwitch<Operation *, std::optional<Layer>>(producer)
          .Case([](Conv2DOp op) {
            return Layer{op, op.getWeight(), op.getBias(), false};
          })
          .Case([](DepthwiseConv2DOp op) {
            return Layer{op, op.getWeight(), op.getBias(), true};
          })
          .Case([](FullyConnectedOp op) {
            return Layer{op, op.getWeight(), op.getBias(), false};
          })
          .Default([](Operation *) { return std::nullopt; });
  if (!layer || !isF32Constant(layer->weight) ||
      (layer->bias && !isF32Constant(layer->bias)))
    return std::nullopt;
  return layer;
}

/// W'[..] = W[..] * f[o] with o the output channel of each weight: the index
/// along the first axis (contiguous blocks) or the last (stride 1).
static std::vector<float> scaleWeights(ArrayRef<float> weight,
                                       ArrayRef<double> scale,
                                       bool channelsLast) {
  std::vector<float> result(weight.size());
  size_t channels = scale.size();
  if (channels == 0)
    return result;
  size_t rest = weight.size() / channels;
  for (size_t i = 0; i < rest; ++i)
    for (size_t o = 0; o < channels; ++o) {
      size_t index = channelsLast ? i * channels + o : o * rest + i;
      result[index] = static_cast<float>(weight[index] * scale[o]);
    }
  return result;
}

/// The output channel count of `layer`'s weight.
static int64_t outputChannels(const Layer &layer) {
  ArrayRef<int64_t> shape =
      cast<RankedTensorType>(layer.weight.getType()).getShape();
  return layer.channelsLast ? shape.back() : shape.front();
}

/// Computes `layer`'s weight and bias with `op` folded in; fails with a
/// reason when folding is not possible or would change other values.
static FailureOr<FoldedLayer> planFold(BatchNormOp op, const Layer &layer,
                                       std::string &why) {
  FailureOr<BatchNormParams> params = readParams(op, why);
  if (failed(params))
    return failure();
  // Other users of the layer's result expect the unnormalized values.
  if (!layer.op->getResult(0).hasOneUse()) {
    why = ("its producer '" + layer.op->getName().getStringRef() +
           "' has other users, whose values folding would change")
              .str();
    return failure();
  }
  size_t channels = params->gamma.size();
  if (outputChannels(layer) != static_cast<int64_t>(channels)) {
    why = "the producer's output channels do not match the batch norm's";
    return failure();
  }
  std::vector<float> weight = *readF32Constant(layer.weight);
  std::vector<float> bias = layer.bias ? *readF32Constant(layer.bias)
                                       : std::vector<float>(channels, 0.0f);
  std::vector<double> scale = channelScales(*params);
  FoldedLayer folded;
  folded.weight = scaleWeights(weight, scale, layer.channelsLast);
  folded.bias.resize(channels);
  for (size_t c = 0; c < channels; ++c)
    folded.bias[c] =
        static_cast<float>(channelShift(*params, scale, c, bias[c]));
  if (!allFinite(folded.weight) || !allFinite(folded.bias)) {
    why = "the folded weights or bias would not be finite in f32";
    return failure();
  }
  return folded;
}

/// A key for a new blob derived from the old one's, so that folded weights
/// stay traceable to the model (e.g. "conv1_weight" -> "conv1_weight_bn").
static std::string blobName(Value old, StringRef fallback) {
  StringRef key = getResourceKey(old);
  return key.empty() ? fallback.str() : (key + "_bn").str();
}

/// Clones `layer` with new weight and bias operands (adding the bias when
/// it had none) and the given result type.
template <typename LayerOp>
static Operation *cloneWithParams(PatternRewriter &rewriter, LayerOp layer,
                                  Value weight, Value bias, Type resultType,
                                  Location loc) {
  auto clone = cast<LayerOp>(rewriter.clone(*layer.getOperation()));
  rewriter.modifyOpInPlace(clone, [&] {
    clone.getWeightMutable().assign(weight);
    clone.getBiasMutable().assign(bias);
    clone->getResult(0).setType(resultType);
    clone->setLoc(loc);
  });
  return clone;
}

namespace {

/// Folds a batch norm into the conv2d, depthwise_conv2d or fully_connected
/// layer that produces its input, when that layer has constant weights and
/// no other users. The folded layer replaces the batch norm.
struct FoldIntoLayer : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern<BatchNormOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<Layer> layer = getConstantLayer(op.getInput());
    if (!layer)
      return rewriter.notifyMatchFailure(
          op, "input is not produced by a conv2d, depthwise_conv2d or "
              "fully_connected with constant weights");
    std::string why;
    FailureOr<FoldedLayer> folded = planFold(op, *layer, why);
    if (failed(folded))
      return rewriter.notifyMatchFailure(op, why);

    rewriter.setInsertionPoint(op);
    auto f32 = rewriter.getF32Type();
    auto weightType = cast<RankedTensorType>(layer->weight.getType());
    auto biasType =
        RankedTensorType::get({static_cast<int64_t>(folded->bias.size())}, f32);
    Value weight =
        createF32Constant(rewriter, layer->weight.getLoc(), weightType,
                          folded->weight, blobName(layer->weight, "bn_weight"));
    Value bias = createF32Constant(
        rewriter, op.getLoc(), biasType, folded->bias,
        layer->bias ? blobName(layer->bias, "bn_bias") : "bn_bias");
    Location loc = rewriter.getFusedLoc({layer->op->getLoc(), op.getLoc()});
    Operation *replacement =
        llvm::TypeSwitch<Operation *, Operation *>(layer->op)
            .Case<Conv2DOp, DepthwiseConv2DOp, FullyConnectedOp>([&](auto l) {
              return cloneWithParams(rewriter, l, weight, bias, op.getType(),
                                     loc);
            });
    rewriter.replaceOp(op, replacement->getResults());
    rewriter.eraseOp(layer->op);
    return success();
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Decomposition into qnt.mul + qnt.add
//===----------------------------------------------------------------------===//

/// Computes the per-channel scale and shift that replace `op`.
static FailureOr<ScaleShift> planDecompose(BatchNormOp op, std::string &why) {
  FailureOr<BatchNormParams> params = readParams(op, why);
  if (failed(params))
    return failure();
  std::vector<double> scale = channelScales(*params);
  ScaleShift result;
  for (size_t c = 0; c < scale.size(); ++c) {
    result.scale.push_back(static_cast<float>(scale[c]));
    result.shift.push_back(
        static_cast<float>(channelShift(*params, scale, c, 0.0)));
  }
  if (!allFinite(result.scale) || !allFinite(result.shift)) {
    why = "its scale or shift would not be finite in f32";
    return failure();
  }
  return result;
}

namespace {

/// Replaces a batch norm that cannot fold into its producer (a block
/// argument, another kind of op, a layer with non-constant weights) by
/// qnt.mul with the constant scale f and qnt.add with beta - mean * f, both
/// broadcast over the last dimension.
struct DecomposeToMulAdd : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern<BatchNormOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    // Folding keeps one layer instead of three ops; FoldIntoLayer decides.
    if (getConstantLayer(op.getInput()))
      return rewriter.notifyMatchFailure(
          op, "the producer is a layer with constant weights");
    std::string why;
    FailureOr<ScaleShift> constants = planDecompose(op, why);
    if (failed(constants))
      return rewriter.notifyMatchFailure(op, why);

    rewriter.setInsertionPoint(op);
    auto paramType = cast<RankedTensorType>(op.getGamma().getType());
    Value scale = createF32Constant(rewriter, op.getLoc(), paramType,
                                    constants->scale, "bn_scale");
    Value shift = createF32Constant(rewriter, op.getLoc(), paramType,
                                    constants->shift, "bn_shift");
    Value scaled = MulOp::create(rewriter, op.getLoc(), op.getType(),
                                 op.getInput(), scale);
    rewriter.replaceOpWithNewOp<AddOp>(op, op.getType(), scaled, shift);
    return success();
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

/// Why neither pattern rewrote `op`, for the remark that explains it.
static std::string whyKept(BatchNormOp op) {
  std::string why;
  if (std::optional<Layer> layer = getConstantLayer(op.getInput()))
    (void)planFold(op, *layer, why);
  else
    (void)planDecompose(op, why);
  return why.empty() ? "no rewrite applies" : why;
}

static void populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldIntoLayer, DecomposeToMulAdd>(patterns.getContext());
}

namespace {

struct QntFoldBatchNorm
    : public qc::qnt::impl::QntFoldBatchNormPassBase<QntFoldBatchNorm> {
  using QntFoldBatchNormPassBase::QntFoldBatchNormPassBase;

  void runOnOperation() override {
    // Invalid parameters are errors in the model; report all of them before
    // changing anything.
    bool valid = true;
    getOperation()->walk([&](BatchNormOp op) {
      if (failed(verifyParams(op)))
        valid = false;
    });
    if (!valid)
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    populateFoldBatchNormPatterns(patterns);
    // Top-down, so that a chain conv -> bn -> bn folds both into the conv;
    // no folding or region simplification: this pass only rewrites batch
    // norms (dead constants are still erased).
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true)
        .enableFolding(false)
        .enableConstantCSE(false)
        .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();

    // Remarks come after the rewrite, once per batch norm left, so that
    // the greedy driver's retries cannot repeat them.
    getOperation()->walk([](BatchNormOp op) {
      op.emitRemark() << "batch norm not folded: " << whyKept(op);
    });
  }
};

} // namespace
