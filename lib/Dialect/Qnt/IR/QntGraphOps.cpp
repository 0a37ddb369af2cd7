//===- QntGraphOps.cpp - qnt graph op verifiers ---------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers of the graph ops: element types and value attributes. Graph ops
// accept float or quantized tensors; shared checks keep the operands
// consistent (all float, or all quantized with the same expressed type) and
// restrict how each role may be quantized. Shapes and shape attributes are
// checked by verifyShapes() in QntGraphShapes.cpp, which also implements
// shape inference.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include <cmath>

using namespace mlir;
using namespace qc::qnt;

//===----------------------------------------------------------------------===//
// Element kinds
//===----------------------------------------------------------------------===//

/// The float type a value's element type stands for: itself for floats, the
/// expressed type for qnt types.
static Type getExpressedElementType(Type type) {
  Type elem = cast<ShapedType>(type).getElementType();
  if (auto uniform = dyn_cast<UniformType>(elem))
    return uniform.getExpressedType();
  return elem;
}

/// Checks that `op`'s tensors are all float or all quantized, with one
/// expressed type.
static LogicalResult verifySameExpressedKind(Operation *op,
                                             TypeRange types) {
  if (types.empty())
    return success();
  bool quantized = getUniformElementType(types.front()) != nullptr;
  Type expressed = getExpressedElementType(types.front());
  for (Type t : types.drop_front()) {
    if ((getUniformElementType(t) != nullptr) != quantized)
      return op->emitOpError("mixes float and quantized tensors: ")
             << types.front() << " and " << t;
    if (getExpressedElementType(t) != expressed)
      return op->emitOpError("mixes expressed types ")
             << expressed << " and " << getExpressedElementType(t);
  }
  return success();
}

/// verifySameExpressedKind over every operand and result of `op`.
static LogicalResult verifyAllSameKind(Operation *op) {
  SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  return verifySameExpressedKind(op, types);
}

/// The whole verifier of ops with no rule beyond element kinds and shapes.
template <typename OpT>
static LogicalResult verifyKindAndShapes(OpT op) {
  if (failed(verifyAllSameKind(op)))
    return failure();
  return op.verifyShapes();
}

//===----------------------------------------------------------------------===//
// Quantization granularity
//===----------------------------------------------------------------------===//

namespace {
/// The quantization granularities a tensor role accepts besides per tensor
/// (always accepted).
struct Granularity {
  /// The one axis per-axis parameters may use, if any.
  std::optional<int64_t> axis;
  /// Whether per-group parameters (on any axis) are accepted.
  bool group = false;
};
} // namespace

/// Activations: one scale per tensor, as the integer kernels expect.
static constexpr Granularity kPerTensor{};
/// Biases: per tensor or one scale per output channel (S_w[o] * S_x).
static constexpr Granularity kBias{0, false};

/// Weights: per tensor, per output channel (`axis`) or per group.
static Granularity weightGranularity(int64_t axis) { return {axis, true}; }

/// Names the accepted granularities in a message.
static std::string describe(Granularity allowed) {
  std::string text = "per tensor";
  if (allowed.axis)
    text += (allowed.group ? ", per axis " : " or per axis ") +
            std::to_string(*allowed.axis);
  if (allowed.group)
    text += " or per group";
  return text;
}

/// Checks how `value` (role `role`; may be null) is quantized, if at all.
static LogicalResult verifyGranularity(Operation *op, StringRef role,
                                       Value value, Granularity allowed) {
  UniformType type = value ? getUniformElementType(value.getType()) : nullptr;
  if (!type || type.isPerTensor())
    return success();
  bool ok = type.isPerGroup() ? allowed.group : allowed.axis == type.getAxis();
  if (ok)
    return success();
  return op->emitOpError("expects ")
         << role << " to be quantized " << describe(allowed) << ", got "
         << type;
}

/// Conv and fully connected layers: per-tensor activations, weights per
/// tensor, per output channel (`weightAxis`) or per group, biases per tensor
/// or per channel.
static LogicalResult verifyLayerGranularity(Operation *op, Value input,
                                            Value weight, Value bias,
                                            Value output, int64_t weightAxis) {
  if (failed(verifyGranularity(op, "input", input, kPerTensor)) ||
      failed(verifyGranularity(op, "weight", weight,
                               weightGranularity(weightAxis))) ||
      failed(verifyGranularity(op, "bias", bias, kBias)))
    return failure();
  return verifyGranularity(op, "result", output, kPerTensor);
}

/// Ops whose tensors must all be per tensor (pools, reshape).
static LogicalResult verifyActivationGranularity(Operation *op, Value input,
                                                 Value output) {
  if (failed(verifyGranularity(op, "input", input, kPerTensor)))
    return failure();
  return verifyGranularity(op, "result", output, kPerTensor);
}

//===----------------------------------------------------------------------===//
// Value attributes
//===----------------------------------------------------------------------===//

/// Checks that real-valued attribute `name` is finite.
static LogicalResult verifyFinite(Operation *op, StringRef name,
                                  double value) {
  if (std::isfinite(value))
    return success();
  return op->emitOpError("expects '") << name << "' to be finite, got "
                                      << value;
}

//===----------------------------------------------------------------------===//
// Convolution and matrix products
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  if (failed(verifyAllSameKind(*this)) ||
      failed(verifyLayerGranularity(*this, getInput(), getWeight(), getBias(),
                                    getOutput(), /*weightAxis=*/0)))
    return failure();
  return verifyShapes();
}

LogicalResult DepthwiseConv2DOp::verify() {
  // TFLite layout [1, KH, KW, C * M]: output channels are the last axis.
  if (failed(verifyAllSameKind(*this)) ||
      failed(verifyLayerGranularity(*this, getInput(), getWeight(), getBias(),
                                    getOutput(), /*weightAxis=*/3)))
    return failure();
  return verifyShapes();
}

LogicalResult FullyConnectedOp::verify() {
  if (failed(verifyAllSameKind(*this)) ||
      failed(verifyLayerGranularity(*this, getInput(), getWeight(), getBias(),
                                    getOutput(), /*weightAxis=*/0)))
    return failure();
  return verifyShapes();
}

LogicalResult MatMulOp::verify() {
  // The rhs often holds weights: it may be quantized per output column.
  int64_t columnAxis = getRhs().getType().getRank() - 1;
  if (failed(verifyAllSameKind(*this)) ||
      failed(verifyGranularity(*this, "lhs", getLhs(), kPerTensor)) ||
      failed(verifyGranularity(*this, "rhs", getRhs(),
                               weightGranularity(columnAxis))) ||
      failed(verifyGranularity(*this, "result", getOutput(), kPerTensor)))
    return failure();
  return verifyShapes();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  // Quantized batch norm has no integer kernel: qnt-fold-batch-norm merges
  // it into the preceding layer while everything is still float.
  for (Type type : getOperation()->getOperandTypes())
    if (getUniformElementType(type))
      return emitOpError("must be folded before quantization (run "
                         "qnt-fold-batch-norm); got quantized operand ")
             << type;
  if (failed(verifyAllSameKind(*this)))
    return failure();
  float epsilon = getEpsilon().convertToFloat();
  if (!(epsilon > 0.0f) || !std::isfinite(epsilon))
    return emitOpError("expects 'epsilon' to be positive and finite, got ")
           << epsilon;
  return verifyShapes();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult AddOp::verify() { return verifyKindAndShapes(*this); }

LogicalResult MulOp::verify() { return verifyKindAndShapes(*this); }

LogicalResult ReluOp::verify() { return verifyKindAndShapes(*this); }

LogicalResult Relu6Op::verify() { return verifyKindAndShapes(*this); }

LogicalResult ClampOp::verify() {
  if (failed(verifyAllSameKind(*this)))
    return failure();
  double min = getMin().convertToDouble(), max = getMax().convertToDouble();
  if (failed(verifyFinite(*this, "min", min)) ||
      failed(verifyFinite(*this, "max", max)))
    return failure();
  if (min > max)
    return emitOpError("expects 'min' (")
           << min << ") to be <= 'max' (" << max << ")";
  return verifyShapes();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

LogicalResult MaxPool2DOp::verify() {
  if (failed(verifyAllSameKind(*this)) ||
      failed(verifyActivationGranularity(*this, getInput(), getOutput())))
    return failure();
  return verifyShapes();
}

LogicalResult AvgPool2DOp::verify() {
  if (failed(verifyAllSameKind(*this)) ||
      failed(verifyActivationGranularity(*this, getInput(), getOutput())))
    return failure();
  return verifyShapes();
}

LogicalResult GlobalAvgPoolOp::verify() {
  if (failed(verifyAllSameKind(*this)) ||
      failed(verifyActivationGranularity(*this, getInput(), getOutput())))
    return failure();
  return verifyShapes();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult PadOp::verify() {
  if (failed(verifyAllSameKind(*this)) ||
      failed(verifyFinite(*this, "value", getValue().convertToDouble())))
    return failure();
  return verifyShapes();
}

LogicalResult ReshapeOp::verify() {
  // Per-axis and per-group scales are tied to one dimension, which a
  // reshape may split or merge.
  if (failed(verifyAllSameKind(*this)) ||
      failed(verifyActivationGranularity(*this, getInput(), getOutput())))
    return failure();
  return verifyShapes();
}

/// A per-axis or per-group input keeps its scales on the same data, so the
/// result must be quantized the same way on the axis's new position.
static LogicalResult verifyTransposedAxis(TransposeOp op) {
  UniformType in = getUniformElementType(op.getInput().getType());
  if (!in || in.isPerTensor())
    return success();
  UniformType out = getUniformElementType(op.getOutput().getType());
  ArrayRef<int64_t> perm = op.getPermutation();
  int64_t expected = llvm::find(perm, in.getAxis()) - perm.begin();
  if (out && !out.isPerTensor() && out.isPerGroup() == in.isPerGroup() &&
      out.getAxis() == expected)
    return success();
  return op.emitOpError("expects the result to be quantized on axis ")
         << expected << " (input axis " << in.getAxis()
         << " after the permutation), got "
         << op.getOutput().getType().getElementType();
}

LogicalResult TransposeOp::verify() {
  // The permutation must be valid before the axis can be followed.
  if (failed(verifyAllSameKind(*this)) || failed(verifyShapes()))
    return failure();
  return verifyTransposedAxis(*this);
}

LogicalResult ConcatOp::verify() { return verifyKindAndShapes(*this); }

LogicalResult SoftmaxOp::verify() { return verifyKindAndShapes(*this); }
