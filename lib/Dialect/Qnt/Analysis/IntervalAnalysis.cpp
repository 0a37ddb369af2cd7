//===- IntervalAnalysis.cpp - Static value ranges of float tensors --------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Interval arithmetic over the qnt graph ops. Bounds are sound for the real
// (infinitely precise) computation: each result interval contains every
// value the op can produce from operands in their intervals.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/Analysis/IntervalAnalysis.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Utils/Constants.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace qc::qnt;

//===----------------------------------------------------------------------===//
// Interval
//===----------------------------------------------------------------------===//

bool Interval::isBounded() const {
  return initialized_ && std::isfinite(lo_) && std::isfinite(hi_);
}

Interval Interval::join(const Interval &a, const Interval &b) {
  if (a.isUninitialized())
    return b;
  if (b.isUninitialized())
    return a;
  return {std::min(a.lo_, b.lo_), std::max(a.hi_, b.hi_)};
}

bool Interval::operator==(const Interval &other) const {
  if (initialized_ != other.initialized_)
    return false;
  return !initialized_ || (lo_ == other.lo_ && hi_ == other.hi_);
}

void Interval::print(llvm::raw_ostream &os) const {
  if (!initialized_)
    os << "<uninitialized>";
  else
    os << "[" << lo_ << ", " << hi_ << "]";
}

//===----------------------------------------------------------------------===//
// Transfer functions
//===----------------------------------------------------------------------===//

namespace {

Interval clampInterval(const Interval &x, double lo, double hi) {
  return {std::clamp(x.lo(), lo, hi), std::clamp(x.hi(), lo, hi)};
}

/// Product of two intervals; 0 * inf counts as 0 (a zero factor is exact).
Interval multiply(const Interval &a, const Interval &b) {
  auto mul = [](double x, double y) {
    return (x == 0 || y == 0) ? 0.0 : x * y;
  };
  double c[] = {mul(a.lo(), b.lo()), mul(a.lo(), b.hi()), mul(a.hi(), b.lo()),
                mul(a.hi(), b.hi())};
  return {*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
}

Interval addIntervals(const Interval &a, const Interval &b) {
  return {a.lo() + b.lo(), a.hi() + b.hi()};
}

Interval constantInterval(arith::ConstantOp op) {
  std::optional<std::vector<float>> values = readF32Constant(op.getResult());
  if (!values || values->empty())
    return Interval::unbounded();
  auto [lo, hi] = std::minmax_element(values->begin(), values->end());
  return {*lo, *hi};
}

/// Hull over output channels of bias[o] + sum_k w[o,k] * x, with x in
/// `input`. `channelOf(i)` maps a weight element to its output channel.
Interval weightedSumBound(const std::vector<float> &weights,
                          const std::optional<std::vector<float>> &bias,
                          int64_t channels, const Interval &input,
                          llvm::function_ref<int64_t(int64_t)> channelOf) {
  std::vector<double> lo(channels, 0.0), hi(channels, 0.0);
  for (int64_t i = 0, n = static_cast<int64_t>(weights.size()); i < n; ++i) {
    Interval term = multiply(Interval(weights[i], weights[i]), input);
    int64_t c = channelOf(i);
    lo[c] += term.lo();
    hi[c] += term.hi();
  }
  Interval result;
  for (int64_t c = 0; c < channels; ++c) {
    double b = bias && static_cast<int64_t>(bias->size()) == channels
                   ? (*bias)[c]
                   : 0.0;
    result = Interval::join(result, Interval(lo[c] + b, hi[c] + b));
  }
  return result;
}

/// conv2d / depthwise_conv2d / fully_connected with constant weights: the
/// per-channel interval sums; padded positions read 0.
template <typename LayerOp>
Interval layerInterval(LayerOp op, Interval input, bool hasPadding,
                       bool channelsLast) {
  if (!input.isBounded())
    return Interval::unbounded();
  std::optional<std::vector<float>> weights = readF32Constant(op.getWeight());
  if (!weights)
    return Interval::unbounded();
  std::optional<std::vector<float>> bias;
  if (op.getBias()) {
    bias = readF32Constant(op.getBias());
    if (!bias)
      return Interval::unbounded();
  }
  if (hasPadding)
    input = Interval::join(input, Interval(0, 0));
  ArrayRef<int64_t> shape = op.getWeight().getType().getShape();
  int64_t channels = channelsLast ? shape.back() : shape.front();
  int64_t perChannel = static_cast<int64_t>(weights->size()) / channels;
  if (channelsLast)
    return weightedSumBound(*weights, bias, channels, input,
                            [&](int64_t i) { return i % channels; });
  return weightedSumBound(*weights, bias, channels, input,
                          [&](int64_t i) { return i / perChannel; });
}

bool anyPadding(ArrayRef<int64_t> padding) {
  return llvm::any_of(padding, [](int64_t p) { return p != 0; });
}

/// batch_norm with constant parameters: per-channel affine maps.
Interval batchNormInterval(BatchNormOp op, const Interval &input) {
  auto gamma = readF32Constant(op.getGamma());
  auto beta = readF32Constant(op.getBeta());
  auto mean = readF32Constant(op.getMean());
  auto var = readF32Constant(op.getVariance());
  if (!gamma || !beta || !mean || !var || !input.isBounded())
    return Interval::unbounded();
  double eps = op.getEpsilon().convertToDouble();
  Interval result;
  for (size_t c = 0; c < gamma->size(); ++c) {
    double f = (*gamma)[c] / std::sqrt((*var)[c] + eps);
    Interval scaled = multiply(
        addIntervals(input, Interval(-(*mean)[c], -(*mean)[c])), Interval(f, f));
    result = Interval::join(result,
                            addIntervals(scaled, Interval((*beta)[c], (*beta)[c])));
  }
  return result.isUninitialized() ? Interval::unbounded() : result;
}

/// The reals a quantized tensor can represent (hull over channels).
Interval representableInterval(UniformType type) {
  Interval result;
  for (size_t i = 0; i < type.getNumParams(); ++i) {
    double s = type.getScale(i);
    double z = static_cast<double>(type.getZeroPoint(i));
    result = Interval::join(
        result, Interval(s * (type.getStorageMin() - z),
                         s * (type.getStorageMax() - z)));
  }
  return result;
}

} // namespace

Interval qc::qnt::transferInterval(Operation *op, ArrayRef<Interval> in) {
  auto first = [&] { return in.empty() ? Interval::unbounded() : in[0]; };
  return TypeSwitch<Operation *, Interval>(op)
      .Case([&](arith::ConstantOp c) { return constantInterval(c); })
      .Case([&](ReluOp) {
        return clampInterval(first(), 0.0, std::numeric_limits<double>::infinity());
      })
      .Case([&](Relu6Op) { return clampInterval(first(), 0.0, 6.0); })
      .Case([&](ClampOp c) {
        return clampInterval(first(), c.getMin().convertToDouble(),
                             c.getMax().convertToDouble());
      })
      .Case<MaxPool2DOp, GlobalAvgPoolOp, ReshapeOp, TransposeOp>(
          [&](Operation *) { return first(); })
      .Case([&](AvgPool2DOp p) {
        // Averages of values in [lo, hi] stay in it; counting padded zeros
        // pulls them toward 0.
        if (p.getCountIncludePad() && anyPadding(p.getPadding()))
          return Interval::join(first(), Interval(0, 0));
        return first();
      })
      .Case([&](PadOp p) {
        double v = p.getValue().convertToDouble();
        return Interval::join(first(), Interval(v, v));
      })
      .Case([&](ConcatOp) {
        Interval result;
        for (const Interval &i : in)
          result = Interval::join(result, i);
        return result;
      })
      .Case([&](AddOp) { return addIntervals(in[0], in[1]); })
      .Case([&](MulOp) { return multiply(in[0], in[1]); })
      .Case([&](SoftmaxOp) { return Interval(0.0, 1.0); })
      .Case([&](Conv2DOp c) {
        return layerInterval(c, first(), anyPadding(c.getPadding()), false);
      })
      .Case([&](DepthwiseConv2DOp c) {
        return layerInterval(c, first(), anyPadding(c.getPadding()), true);
      })
      .Case([&](FullyConnectedOp c) {
        return layerInterval(c, first(), false, false);
      })
      .Case([&](BatchNormOp b) { return batchNormInterval(b, first()); })
      .Case([&](DequantizeOp d) {
        return representableInterval(
            getUniformElementType(d.getInput().getType()));
      })
      .Default([&](Operation *) { return Interval::unbounded(); });
}

//===----------------------------------------------------------------------===//
// IntervalAnalysis
//===----------------------------------------------------------------------===//

LogicalResult
IntervalAnalysis::visitOperation(Operation *op,
                                 ArrayRef<const IntervalLattice *> operands,
                                 ArrayRef<IntervalLattice *> results) {
  SmallVector<Interval> in;
  for (const IntervalLattice *operand : operands) {
    // Wait until every operand is known; the solver revisits the op then.
    if (operand->getValue().isUninitialized())
      return success();
    in.push_back(operand->getValue());
  }
  if (results.empty())
    return success();
  Interval out = op->getNumResults() == 1 ? transferInterval(op, in)
                                          : Interval::unbounded();
  for (IntervalLattice *result : results)
    propagateIfChanged(result, result->join(out));
  return success();
}

void IntervalAnalysis::setToEntryState(IntervalLattice *lattice) {
  Interval entry = Interval::unbounded();
  // A function argument may carry a user-given range.
  if (auto arg = dyn_cast<BlockArgument>(lattice->getAnchor())) {
    auto function =
        dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
    if (function && arg.getOwner()->isEntryBlock())
      if (auto range = function.getArgAttrOfType<RangeAttr>(
              arg.getArgNumber(), "qnt.range"))
        entry = Interval(range.getLoValue(), range.getHiValue());
  }
  propagateIfChanged(lattice, lattice->join(entry));
}
