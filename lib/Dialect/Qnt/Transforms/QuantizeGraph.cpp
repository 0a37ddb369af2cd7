//===- QuantizeGraph.cpp - choose quantization parameters -----------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-quantize: float graph with ranges -> quantized graph (Jacob et al.
// 2018, sections 2 and 3.1). Activations get per-tensor parameters from
// their ranges (nudged so that 0 is exact), weights symmetric per-channel
// parameters from their values, biases int32 with S_b = S_x * S_w.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"
#include "qc/Dialect/Qnt/Utils/Constants.h"
#include "qc/Dialect/Qnt/Utils/ModelRounding.h"
#include "qc/runtime/Calibration.h"
#include "qc/runtime/QuantParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/EquivalenceClasses.h"

#include <cmath>

namespace qc::qnt {
#define GEN_PASS_DEF_QNTQUANTIZEPASS
#include "qc/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace qc::qnt

using namespace mlir;
using namespace qc;
using namespace qc::qnt;

namespace {

enum class Granularity { PerTensor, PerChannel, PerGroup };

struct Config {
  IntegerType activationStorage;
  int64_t activationMin, activationMax;
  bool symmetricActivations;
  unsigned weightBits;
  IntegerType weightStorage;
  int64_t weightMin, weightMax;
  Granularity granularity;
  int64_t groupSize;
};

bool isF32Tensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.getElementType().isF32();
}

/// The weight of a layer: conv2d, depthwise_conv2d, fully_connected, and a
/// constant matmul rhs. Returns {output-channel axis, reduction axis}.
std::optional<std::pair<int64_t, int64_t>> weightAxes(Operation *user,
                                                      unsigned operand) {
  if (isa<Conv2DOp>(user) && operand == 1)
    return std::make_pair(int64_t(0), int64_t(3));
  if (isa<FullyConnectedOp>(user) && operand == 1)
    return std::make_pair(int64_t(0), int64_t(1));
  // Depthwise channels do not reduce: group along the channels too.
  if (isa<DepthwiseConv2DOp>(user) && operand == 1)
    return std::make_pair(int64_t(3), int64_t(3));
  if (auto mm = dyn_cast<MatMulOp>(user); mm && operand == 1 &&
                                         getConstantElements(mm.getRhs())) {
    int64_t rank = mm.getRhs().getType().getRank();
    return std::make_pair(rank - 1, rank - 2);
  }
  return std::nullopt;
}

bool isLayer(Operation *op) {
  return isa<Conv2DOp, DepthwiseConv2DOp, FullyConnectedOp, MatMulOp>(op);
}

class GraphQuantizer {
public:
  GraphQuantizer(func::FuncOp f, const Config &config)
      : f_(f), config_(config), ctx_(f.getContext()) {}

  LogicalResult run();

private:
  LogicalResult classify();
  LogicalResult collectRanges();
  void chooseActivationTypes();
  LogicalResult quantizeLayerConstants(Operation *layer);
  void quantizeActivationConstant(arith::ConstantOp op);
  void rewriteTypes();
  UniformType activationType(rt::Range range);

  func::FuncOp f_;
  Config config_;
  MLIRContext *ctx_;
  /// Float activations (arguments and results), in program order.
  SmallVector<Value> activations_;
  llvm::DenseMap<Value, rt::Range> ranges_;
  llvm::EquivalenceClasses<Value> shared_;
  llvm::DenseMap<Value, UniformType> types_;
  SmallVector<Operation *> layers_;
  SmallVector<arith::ConstantOp> activationConstants_;
};

LogicalResult GraphQuantizer::classify() {
  bool ok = true;
  for (BlockArgument arg : f_.getArguments())
    if (isF32Tensor(arg))
      activations_.push_back(arg);
  f_.walk([&](Operation *op) {
    if (isa<func::FuncOp, func::ReturnOp>(op))
      return;
    bool touchesFloat = llvm::any_of(op->getOperands(), isF32Tensor) ||
                        llvm::any_of(op->getResults(), isF32Tensor);
    if (!touchesFloat)
      return;
    if (isa<BatchNormOp>(op)) {
      op->emitError("qnt.batch_norm cannot be quantized; fold it into the "
                    "preceding layer first (qnt-fold-batch-norm)");
      ok = false;
      return;
    }
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      // Weights and biases are quantized with their layer; other constants
      // are activations with their own range.
      bool layerOnly = llvm::all_of(op->getUses(), [](OpOperand &use) {
        return isLayer(use.getOwner()) && use.getOperandNumber() >= 1;
      });
      if (!layerOnly && !op->use_empty())
        activationConstants_.push_back(constant);
      return;
    }
    if (!isa<QntDialect>(op->getDialect()) || isa<QuantizeOp, DequantizeOp>(op)) {
      op->emitError() << "'" << op->getName()
                      << "' on float tensors cannot be quantized";
      ok = false;
      return;
    }
    if (isLayer(op)) {
      layers_.push_back(op);
      for (unsigned i = 1; i < op->getNumOperands(); ++i) {
        if (!weightAxes(op, 1) && i == 1)
          continue; // a non-constant matmul rhs is an activation
        if (!getConstantElements(op->getOperand(i))) {
          op->emitError() << "operand #" << i
                          << " (weight or bias) must be a constant to be "
                             "quantized";
          ok = false;
        }
      }
    }
    for (Value result : op->getResults())
      if (isF32Tensor(result))
        activations_.push_back(result);
  });
  for (arith::ConstantOp c : activationConstants_)
    activations_.push_back(c.getResult());
  return success(ok);
}

/// The range of each activation: its qnt.range, or a constant's min/max.
LogicalResult GraphQuantizer::collectRanges() {
  bool ok = true;
  for (Value v : activations_) {
    RangeAttr attr;
    if (auto arg = dyn_cast<BlockArgument>(v))
      attr = f_.getArgAttrOfType<RangeAttr>(arg.getArgNumber(), "qnt.range");
    else if (Operation *def = v.getDefiningOp())
      attr = def->getAttrOfType<RangeAttr>("qnt.range");
    if (attr) {
      ranges_[v] = {attr.getLoValue(), attr.getHiValue()};
      continue;
    }
    if (auto values = readF32Constant(v); values && !values->empty()) {
      auto [lo, hi] = std::minmax_element(values->begin(), values->end());
      ranges_[v] = {*lo, *hi};
      continue;
    }
    InFlightDiagnostic diag =
        isa<BlockArgument>(v)
            ? f_.emitError() << "argument #"
                             << cast<BlockArgument>(v).getArgNumber()
            : v.getDefiningOp()->emitError() << "this value";
    diag << " has no range: run qnt-propagate-ranges (with calibration=... "
            "or a qnt.range on the arguments) first";
    ok = false;
  }
  return success(ok);
}

UniformType GraphQuantizer::activationType(rt::Range range) {
  double scale = 1.0;
  int64_t zp = 0;
  rt::chooseScaleZeroPoint(range, config_.activationMin, config_.activationMax,
                           config_.symmetricActivations, scale, zp);
  return UniformType::get(config_.activationStorage, config_.activationMin,
                          config_.activationMax, Float32Type::get(ctx_), -1, 0,
                          ArrayRef<double>(scale), ArrayRef<int64_t>(zp));
}

/// Shares parameters where ops must keep values exact, fuses activations
/// into the layers they follow, then picks one type per class.
void GraphQuantizer::chooseActivationTypes() {
  for (Value v : activations_)
    shared_.insert(v);
  for (Value v : activations_) {
    Operation *def = v.getDefiningOp();
    if (!def)
      continue;
    if (isa<MaxPool2DOp, ReshapeOp, TransposeOp, PadOp, ConcatOp>(def))
      for (Value in : def->getOperands())
        if (ranges_.count(in))
          shared_.unionSets(in, v);
    // A layer feeding only an activation computes the activation's values:
    // give it the activation's range (the clamp becomes its output clamp).
    if ((isLayer(def) || isa<AddOp, MulOp>(def)) && v.hasOneUse() &&
        isa<ReluOp, Relu6Op, ClampOp>(*v.getUsers().begin())) {
      Value act = v.getUsers().begin()->getResult(0);
      if (ranges_.count(act))
        ranges_[v] = ranges_[act];
    }
  }
  for (auto it = shared_.begin(); it != shared_.end(); ++it) {
    if (!(*it)->isLeader())
      continue;
    rt::Range hull{0, 0};
    bool first = true;
    for (auto m = shared_.member_begin(**it); m != shared_.member_end(); ++m) {
      rt::Range r = ranges_[*m];
      hull = first ? r : rt::Range{std::min(hull.lo, r.lo), std::max(hull.hi, r.hi)};
      first = false;
    }
    UniformType type = activationType(hull);
    for (auto m = shared_.member_begin(**it); m != shared_.member_end(); ++m)
      types_[*m] = type;
  }
}

/// Symmetric weight parameters per channel / tensor / group, the quantized
/// weight constant, and the int32 bias.
LogicalResult GraphQuantizer::quantizeLayerConstants(Operation *layer) {
  auto axes = weightAxes(layer, 1);
  if (!axes)
    return success(); // matmul of two activations
  Value weight = layer->getOperand(1);
  auto wType = cast<RankedTensorType>(weight.getType());
  std::vector<float> w = *readF32Constant(weight);
  ArrayRef<int64_t> shape = wType.getShape();

  int32_t axis = static_cast<int32_t>(axes->first);
  int64_t group = 0;
  if (config_.granularity == Granularity::PerTensor) {
    axis = -1;
  } else if (config_.granularity == Granularity::PerGroup &&
             axes->second != axes->first) {
    axis = static_cast<int32_t>(axes->second);
    group = config_.groupSize;
    if (shape[axis] % group != 0)
      return layer->emitError() << "group size " << group
                                << " does not divide the weight's dimension "
                                << axis << " of size " << shape[axis];
  }
  UniformType proto = UniformType::get(
      config_.weightStorage, config_.weightMin, config_.weightMax,
      Float32Type::get(ctx_), axis, group, ArrayRef<double>(1.0),
      ArrayRef<int64_t>(0));
  // Per-parameter max |w| -> S = max|w| / qmax (all-zero channels: S = 1).
  int64_t count = 1;
  if (axis >= 0)
    for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
      count *= group && d == axis ? shape[d] / group
                                  : (group || d == axis ? shape[d] : 1);
  std::vector<double> maxAbs(count, 0.0);
  std::vector<int64_t> paramOf(w.size());
  SmallVector<int64_t> index(shape.size(), 0);
  for (size_t i = 0; i < w.size(); ++i) {
    int64_t p = axis < 0 ? 0 : proto.getParamIndex(index, shape);
    paramOf[i] = p;
    maxAbs[p] = std::max(maxAbs[p], static_cast<double>(std::fabs(w[i])));
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  std::vector<double> scales(count);
  for (int64_t p = 0; p < count; ++p)
    scales[p] = maxAbs[p] > 0 ? maxAbs[p] / config_.weightMax : 1.0;
  std::vector<int64_t> q(w.size());
  for (size_t i = 0; i < w.size(); ++i)
    q[i] = rt::quantizeValue(w[i], scales[paramOf[i]], 0, config_.weightMin,
                             config_.weightMax);
  UniformType wq = proto.withScalesAndZeroPoints(
      scales, std::vector<int64_t>(count, 0));

  OpBuilder b(layer);
  layer->setOperand(1, createQuantizedConstant(b, layer->getLoc(), shape, wq,
                                               q, "weight"));
  if (layer->getNumOperands() < 3)
    return success();

  // Bias: S_b[c] = S_x * S_w[c] (per-group: the row's largest S_w).
  Value bias = layer->getOperand(2);
  std::vector<float> bv = *readF32Constant(bias);
  double sx = types_.lookup(layer->getOperand(0)).getScale();
  int64_t channels = static_cast<int64_t>(bv.size());
  std::vector<double> biasScales(channels, sx * scales[0]);
  if (axis >= 0 && !group)
    for (int64_t c = 0; c < channels; ++c)
      biasScales[c] = sx * scales[c];
  if (group)
    for (int64_t c = 0; c < channels; ++c) {
      int64_t perRow = count / channels;
      double m = 0;
      for (int64_t g = 0; g < perRow; ++g)
        m = std::max(m, scales[c * perRow + g]);
      biasScales[c] = sx * m;
    }
  std::vector<int64_t> qb(channels);
  for (int64_t c = 0; c < channels; ++c)
    qb[c] = rt::quantizeValue(bv[c], biasScales[c], 0, INT32_MIN, INT32_MAX);
  bool perChannelBias = axis >= 0;
  if (!perChannelBias)
    biasScales.resize(1);
  auto i32 = IntegerType::get(ctx_, 32);
  UniformType bq = UniformType::get(
      i32, INT32_MIN, INT32_MAX, Float32Type::get(ctx_), perChannelBias ? 0 : -1,
      0, biasScales, std::vector<int64_t>(biasScales.size(), 0));
  layer->setOperand(2, createQuantizedConstant(
                           b, layer->getLoc(),
                           cast<RankedTensorType>(bias.getType()).getShape(),
                           bq, qb, "bias"));
  return success();
}

void GraphQuantizer::quantizeActivationConstant(arith::ConstantOp op) {
  UniformType type = types_.lookup(op.getResult());
  std::vector<float> values = *readF32Constant(op.getResult());
  std::vector<int64_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    q[i] = rt::quantizeValue(values[i], type.getScale(), type.getZeroPoint(),
                             type.getStorageMin(), type.getStorageMax());
  OpBuilder b(op);
  Value c = createQuantizedConstant(
      b, op.getLoc(), cast<RankedTensorType>(op.getType()).getShape(), type, q,
      "constant");
  // Layer uses (weights) of a shared constant keep the float original.
  op.getResult().replaceUsesWithIf(c, [](OpOperand &use) {
    return !(isLayer(use.getOwner()) && use.getOperandNumber() >= 1);
  });
}

void GraphQuantizer::rewriteTypes() {
  auto quantizedType = [&](Value v) {
    auto t = cast<RankedTensorType>(v.getType());
    return RankedTensorType::get(t.getShape(), types_.lookup(v));
  };
  // Results: in place (graph ops accept quantized tensors).
  for (Value v : activations_)
    if (v.getDefiningOp() && !isa<arith::ConstantOp>(v.getDefiningOp()))
      v.setType(quantizedType(v));
  // Arguments: quantize at the entry.
  OpBuilder b(ctx_);
  b.setInsertionPointToStart(&f_.getBody().front());
  for (BlockArgument arg : f_.getArguments()) {
    if (!types_.count(arg))
      continue;
    auto q = QuantizeOp::create(b, arg.getLoc(), quantizedType(arg), arg);
    arg.replaceAllUsesExcept(q, q);
  }
  // Results: dequantize before returning.
  f_.walk([&](func::ReturnOp ret) {
    b.setInsertionPoint(ret);
    for (OpOperand &operand : ret->getOpOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.get().getType());
      if (!type || !isa<UniformType>(type.getElementType()))
        continue;
      auto floatType = RankedTensorType::get(type.getShape(),
                                             Float32Type::get(ctx_));
      operand.set(DequantizeOp::create(b, ret.getLoc(), floatType,
                                       operand.get()));
    }
  });
}

LogicalResult GraphQuantizer::run() {
  // Report every problem at once: unsupported ops and missing ranges.
  bool classified = succeeded(classify());
  if (!succeeded(collectRanges()) || !classified)
    return failure();
  chooseActivationTypes();
  for (arith::ConstantOp c : activationConstants_)
    quantizeActivationConstant(c);
  for (Operation *layer : layers_)
    if (failed(quantizeLayerConstants(layer)))
      return failure();
  rewriteTypes();
  // Float constants nobody reads any more.
  f_.walk([](arith::ConstantOp c) {
    if (c->use_empty() && isF32Tensor(c.getResult()))
      c->erase();
  });
  return success();
}

/// Weight storage and range for `bits`: i8 for 5-8 bits, i4 for 3-4, i2 for
/// 2; narrow range is symmetric [-(2^(b-1) - 1), 2^(b-1) - 1].
void setWeightStorage(Config &config, MLIRContext *ctx, bool narrow) {
  unsigned bits = config.weightBits;
  unsigned width = bits > 4 ? 8 : (bits > 2 ? 4 : 2);
  config.weightStorage = IntegerType::get(ctx, width);
  config.weightMax = (int64_t(1) << (bits - 1)) - 1;
  config.weightMin = narrow ? -config.weightMax : -config.weightMax - 1;
}

struct QntQuantize
    : public qc::qnt::impl::QntQuantizePassBase<QntQuantize> {
  using QntQuantizePassBase::QntQuantizePassBase;

  LogicalResult makeConfig(Config &config) {
    MLIRContext *ctx = &getContext();
    ModuleOp module = getOperation();
    if (activations != "u8" && activations != "i8")
      return module.emitError() << "activations must be u8 or i8, got '"
                                << std::string(activations) << "'";
    bool isUnsigned = activations == "u8";
    config.activationStorage = IntegerType::get(
        ctx, 8, isUnsigned ? IntegerType::Unsigned : IntegerType::Signless);
    config.activationMin = isUnsigned ? 0 : -128;
    config.activationMax = isUnsigned ? 255 : 127;
    config.symmetricActivations = symmetricActivations;
    if (symmetricActivations && !isUnsigned)
      config.activationMin = -127;
    if (weightBits < 2 || weightBits > 8)
      return module.emitError() << "weight-bits must be between 2 and 8, got "
                                << static_cast<unsigned>(weightBits);
    config.weightBits = weightBits;
    setWeightStorage(config, ctx, narrowRange);
    if (granularity == "per-channel")
      config.granularity = Granularity::PerChannel;
    else if (granularity == "per-tensor")
      config.granularity = Granularity::PerTensor;
    else if (granularity == "per-group")
      config.granularity = Granularity::PerGroup;
    else
      return module.emitError() << "granularity must be per-channel, "
                                   "per-tensor or per-group, got '"
                                << granularity << "'";
    if (groupSize <= 0)
      return module.emitError() << "group-size must be positive";
    config.groupSize = groupSize;
    return success();
  }

  void runOnOperation() override {
    Config config;
    if (failed(makeConfig(config)))
      return signalPassFailure();
    std::optional<rt::Rounding> modelRounding = parseModelRounding(rounding);
    if (!modelRounding) {
      getOperation().emitError()
          << "rounding must be gemmlowp or half_even, got '" << rounding << "'";
      return signalPassFailure();
    }
    for (auto f : getOperation().getOps<func::FuncOp>())
      if (!f.isExternal() && failed(GraphQuantizer(f, config).run()))
        signalPassFailure();
    // A model that already asks for a rounding (e.g. imported from ONNX)
    // keeps it unless the option says otherwise.
    if (rounding != "gemmlowp" || !getOperation()->hasAttr(kRoundingAttrName))
      setModelRounding(getOperation(), *modelRounding);
  }
};

} // namespace
