//===- QntOpExecution.cpp - Execute qnt ops with reference kernels --------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// One function per qnt op. Float tensors go to the f32 kernels; quantized
// tensors go through the float-to-integer preparation of QuantParams.h and
// then the integer-only kernels (docs/quantized-kernels.md), so that the
// interpreter computes exactly what the integer lowering will.
//
//===----------------------------------------------------------------------===//

#include "Values.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Utils/ModelRounding.h"
#include "qc/runtime/FloatKernels.h"
#include "qc/runtime/QuantKernels.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace qc;
using namespace qc::qnt;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Operands and results of the op being executed.
struct Exec {
  Operation *op;
  ArrayRef<const rt::Tensor *> in;
  SmallVectorImpl<rt::Tensor> &out;

  const rt::Tensor &operand(unsigned i) const { return *in[i]; }
  rt::Tensor &result() {
    if (out.empty())
      out.emplace_back();
    return out.front();
  }
  /// The model's rounding of output stages and quantize (ModelRounding.h).
  rt::Rounding rounding() const { return getModelRounding(op); }
  /// Turns a kernel's bool + message into a located diagnostic.
  LogicalResult check(bool ok, const std::string &error) const {
    if (ok)
      return success();
    return op->emitError() << "interpreter: " << error;
  }
};

bool isQuantized(Value v) { return getUniformElementType(v.getType()) != nullptr; }

rt::QuantParams paramsOf(Value v) {
  return getQuantParams(getUniformElementType(v.getType()));
}

std::vector<int32_t> zeroPointsOf(const rt::QuantParams &params) {
  return std::vector<int32_t>(params.zeroPoints.begin(),
                              params.zeroPoints.end());
}

int32_t zeroPointOf(Value v) {
  return static_cast<int32_t>(paramsOf(v).zeroPoints.front());
}

rt::ConvAttrs convAttrs(ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                        ArrayRef<int64_t> padding, int64_t groups) {
  rt::ConvAttrs attrs;
  attrs.strideH = strides[0];
  attrs.strideW = strides[1];
  attrs.dilationH = dilations[0];
  attrs.dilationW = dilations[1];
  attrs.padTop = padding[0];
  attrs.padBottom = padding[1];
  attrs.padLeft = padding[2];
  attrs.padRight = padding[3];
  attrs.groups = groups;
  return attrs;
}

template <typename PoolOp> rt::PoolAttrs poolAttrs(PoolOp op) {
  rt::PoolAttrs attrs;
  attrs.kernelH = op.getKernel()[0];
  attrs.kernelW = op.getKernel()[1];
  attrs.strideH = op.getStrides()[0];
  attrs.strideW = op.getStrides()[1];
  attrs.padTop = op.getPadding()[0];
  attrs.padBottom = op.getPadding()[1];
  attrs.padLeft = op.getPadding()[2];
  attrs.padRight = op.getPadding()[3];
  return attrs;
}

/// Value-changing part of ops that only move data or clamp: the output
/// stage from the input's to the result's parameters, within [lo, hi].
LogicalResult rescaleInto(Exec &e, const rt::Tensor &input, Value from,
                          Value to, double lo, double hi, int64_t axis = -1) {
  rt::OutputStage stage;
  std::string error;
  rt::QuantParams in = paramsOf(from);
  if (axis >= 0)
    in.axis = axis;
  rt::QuantParams outParams = paramsOf(to);
  if (axis >= 0 && !outParams.isPerTensor())
    outParams.axis = axis;
  if (!rt::prepareRescale(in, outParams, lo, hi, stage, error))
    return e.check(false, error);
  stage.rounding = e.rounding();
  return e.check(rt::q::rescale(input, zeroPointsOf(in),
                                in.isPerTensor() ? -1 : in.axis, stage,
                                e.result(), error),
                 error);
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

template <typename LayerOp>
LogicalResult runLayer(Exec &e, LayerOp op, bool depthwise) {
  std::string error;
  const rt::Tensor *bias = op.getBias() ? &e.operand(2) : nullptr;
  int64_t groups = 1;
  if constexpr (std::is_same_v<LayerOp, Conv2DOp>)
    groups = static_cast<int64_t>(op.getGroups());
  rt::ConvAttrs attrs = convAttrs(op.getStrides(), op.getDilations(),
                                  op.getPadding(), groups);
  if (!isQuantized(op.getInput())) {
    bool ok = depthwise ? rt::f32::depthwiseConv2d(e.operand(0), e.operand(1),
                                                   bias, attrs, e.result(), error)
                        : rt::f32::conv2d(e.operand(0), e.operand(1), bias,
                                          attrs, e.result(), error);
    return e.check(ok, error);
  }
  rt::QuantParams biasParams;
  if (op.getBias())
    biasParams = paramsOf(op.getBias());
  rt::OutputStage stage;
  if (!rt::prepareLayer(paramsOf(op.getInput()), paramsOf(op.getWeight()),
                        op.getBias() ? &biasParams : nullptr,
                        paramsOf(op.getOutput()), stage, error))
    return e.check(false, error);
  stage.rounding = e.rounding();
  std::vector<int32_t> weightZps = zeroPointsOf(paramsOf(op.getWeight()));
  bool ok = depthwise
                ? rt::q::depthwiseConv2d(e.operand(0), zeroPointOf(op.getInput()),
                                         e.operand(1), weightZps, bias, attrs,
                                         stage, e.result(), error)
                : rt::q::conv2d(e.operand(0), zeroPointOf(op.getInput()),
                                e.operand(1), weightZps, bias, attrs, stage,
                                e.result(), error);
  return e.check(ok, error);
}

LogicalResult runFullyConnected(Exec &e, FullyConnectedOp op) {
  std::string error;
  const rt::Tensor *bias = op.getBias() ? &e.operand(2) : nullptr;
  if (!isQuantized(op.getInput()))
    return e.check(rt::f32::fullyConnected(e.operand(0), e.operand(1), bias,
                                           e.result(), error),
                   error);
  rt::QuantParams biasParams;
  if (op.getBias())
    biasParams = paramsOf(op.getBias());
  rt::OutputStage stage;
  if (!rt::prepareLayer(paramsOf(op.getInput()), paramsOf(op.getWeight()),
                        op.getBias() ? &biasParams : nullptr,
                        paramsOf(op.getOutput()), stage, error))
    return e.check(false, error);
  stage.rounding = e.rounding();
  return e.check(rt::q::fullyConnected(
                     e.operand(0), zeroPointOf(op.getInput()), e.operand(1),
                     zeroPointsOf(paramsOf(op.getWeight())), bias, stage,
                     e.result(), error),
                 error);
}

LogicalResult runMatMul(Exec &e, MatMulOp op) {
  std::string error;
  if (!isQuantized(op.getLhs()))
    return e.check(
        rt::f32::matmul(e.operand(0), e.operand(1), e.result(), error), error);
  rt::OutputStage stage;
  if (!rt::prepareLayer(paramsOf(op.getLhs()), paramsOf(op.getRhs()), nullptr,
                        paramsOf(op.getOutput()), stage, error))
    return e.check(false, error);
  stage.rounding = e.rounding();
  return e.check(rt::q::matmul(e.operand(0), zeroPointOf(op.getLhs()),
                               e.operand(1), zeroPointsOf(paramsOf(op.getRhs())),
                               stage, e.result(), error),
                 error);
}

LogicalResult runBatchNorm(Exec &e, BatchNormOp op) {
  std::string error;
  return e.check(rt::f32::batchNorm(e.operand(0), e.operand(1), e.operand(2),
                                    e.operand(3), e.operand(4),
                                    op.getEpsilon().convertToDouble(),
                                    e.result(), error),
                 error);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

template <typename BinaryOp>
LogicalResult runBinary(Exec &e, BinaryOp op, bool isAdd) {
  std::string error;
  if (!isQuantized(op.getLhs())) {
    bool ok = isAdd ? rt::f32::add(e.operand(0), e.operand(1), e.result(), error)
                    : rt::f32::mul(e.operand(0), e.operand(1), e.result(), error);
    return e.check(ok, error);
  }
  rt::QuantParams a = paramsOf(op.getLhs()), b = paramsOf(op.getRhs());
  rt::QuantParams out = paramsOf(op.getOutput());
  if (isAdd) {
    unsigned bits =
        std::max(getUniformElementType(op.getLhs().getType()).getStorageWidth(),
                 getUniformElementType(op.getRhs().getType()).getStorageWidth());
    rt::AddParams params;
    if (!rt::prepareAdd(a, b, out, bits, params, error))
      return e.check(false, error);
    params.output.rounding = e.rounding();
    return e.check(
        rt::q::add(e.operand(0), e.operand(1), params, e.result(), error),
        error);
  }
  rt::MulParams params;
  if (!rt::prepareMul(a, b, out, params, error))
    return e.check(false, error);
  params.output.rounding = e.rounding();
  return e.check(rt::q::mul(e.operand(0), e.operand(1), params, e.result(),
                            error),
                 error);
}

/// relu, relu6, clamp: clamp to [lo, hi] in real values.
LogicalResult runClamp(Exec &e, Value input, Value output, double lo,
                       double hi) {
  std::string error;
  if (!isQuantized(input))
    return e.check(rt::f32::clamp(e.operand(0), lo, hi, e.result(), error),
                   error);
  return rescaleInto(e, e.operand(0), input, output, lo, hi);
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

template <typename PoolOp>
LogicalResult runPool(Exec &e, PoolOp op, bool isMax, bool includePad) {
  std::string error;
  rt::PoolAttrs attrs = poolAttrs(op);
  attrs.countIncludePad = includePad;
  if (!isQuantized(op.getInput())) {
    bool ok = isMax ? rt::f32::maxPool2d(e.operand(0), attrs, e.result(), error)
                    : rt::f32::avgPool2d(e.operand(0), attrs, e.result(), error);
    return e.check(ok, error);
  }
  rt::OutputStage stage;
  if (!rt::prepareRescale(paramsOf(op.getInput()), paramsOf(op.getOutput()),
                          -kInf, kInf, stage, error))
    return e.check(false, error);
  stage.rounding = e.rounding();
  int32_t zp = zeroPointOf(op.getInput());
  bool ok = isMax ? rt::q::maxPool2d(e.operand(0), zp, attrs, stage,
                                     e.result(), error)
                  : rt::q::avgPool2d(e.operand(0), zp, attrs, stage,
                                     e.result(), error);
  return e.check(ok, error);
}

LogicalResult runGlobalAvgPool(Exec &e, GlobalAvgPoolOp op) {
  std::string error;
  if (!isQuantized(op.getInput()))
    return e.check(rt::f32::globalAvgPool(e.operand(0), e.result(), error),
                   error);
  rt::OutputStage stage;
  if (!rt::prepareRescale(paramsOf(op.getInput()), paramsOf(op.getOutput()),
                          -kInf, kInf, stage, error))
    return e.check(false, error);
  stage.rounding = e.rounding();
  return e.check(rt::q::globalAvgPool(e.operand(0), zeroPointOf(op.getInput()),
                                      stage, e.result(), error),
                 error);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult runPad(Exec &e, PadOp op) {
  std::string error;
  std::vector<int64_t> padding(op.getPadding().begin(), op.getPadding().end());
  double value = op.getValue().convertToDouble();
  if (!isQuantized(op.getInput()))
    return e.check(
        rt::f32::pad(e.operand(0), padding, value, e.result(), error), error);
  rt::QuantParams out = paramsOf(op.getOutput());
  int32_t padValue = rt::quantizeValue(value, out.scales[0],
                                       out.zeroPoints[0], out.qmin, out.qmax);
  rt::OutputStage stage;
  if (!rt::prepareRescale(paramsOf(op.getInput()), out, -kInf, kInf, stage,
                          error))
    return e.check(false, error);
  stage.rounding = e.rounding();
  return e.check(rt::q::pad(e.operand(0), zeroPointOf(op.getInput()), padding,
                            padValue, stage, e.result(), error),
                 error);
}

LogicalResult runReshape(Exec &e, ReshapeOp op) {
  auto type = op.getOutput().getType();
  rt::Tensor moved = e.operand(0).reshaped(
      std::vector<int64_t>(type.getShape().begin(), type.getShape().end()));
  if (!isQuantized(op.getInput())) {
    e.result() = std::move(moved);
    return success();
  }
  return rescaleInto(e, moved, op.getInput(), op.getOutput(), -kInf, kInf);
}

LogicalResult runTranspose(Exec &e, TransposeOp op) {
  std::string error;
  std::vector<int64_t> perm(op.getPermutation().begin(),
                            op.getPermutation().end());
  rt::Tensor moved;
  if (!rt::q::transpose(e.operand(0), perm, moved, error))
    return e.check(false, error);
  if (!isQuantized(op.getInput())) {
    e.result() = std::move(moved);
    return success();
  }
  // A per-axis input's channels move with the data: find the axis's new
  // position.
  rt::QuantParams in = paramsOf(op.getInput());
  int64_t axis = -1;
  for (size_t i = 0; !in.isPerTensor() && i < perm.size(); ++i)
    if (perm[i] == in.axis)
      axis = static_cast<int64_t>(i);
  return rescaleInto(e, moved, op.getInput(), op.getOutput(), -kInf, kInf,
                     axis);
}

LogicalResult runConcat(Exec &e, ConcatOp op) {
  std::string error;
  std::vector<const rt::Tensor *> inputs(e.in.begin(), e.in.end());
  int64_t axis = static_cast<int64_t>(op.getAxis());
  if (!isQuantized(op.getOutput()))
    return e.check(rt::f32::concat(inputs, axis, e.result(), error), error);
  std::vector<int32_t> zps;
  std::vector<rt::OutputStage> stages;
  rt::QuantParams out = paramsOf(op.getOutput());
  for (Value input : op.getInputs()) {
    rt::OutputStage stage;
    if (!rt::prepareRescale(paramsOf(input), out, -kInf, kInf, stage, error))
      return e.check(false, error);
    stage.rounding = e.rounding();
    stages.push_back(stage);
    zps.push_back(zeroPointOf(input));
  }
  return e.check(rt::q::concat(inputs, zps, stages, axis, e.result(), error),
                 error);
}

LogicalResult runSoftmax(Exec &e, SoftmaxOp op) {
  std::string error;
  int64_t rank = op.getInput().getType().getRank();
  int64_t axis = op.getAxis();
  if (axis < 0)
    axis += rank;
  if (!isQuantized(op.getInput()))
    return e.check(rt::f32::softmax(e.operand(0), axis, e.result(), error),
                   error);
  rt::SoftmaxParams params;
  if (!rt::prepareSoftmax(paramsOf(op.getInput()), paramsOf(op.getOutput()),
                          e.operand(0).dim(axis), params, error))
    return e.check(false, error);
  return e.check(rt::q::softmax(e.operand(0), axis, params, e.result(), error),
                 error);
}

//===----------------------------------------------------------------------===//
// Casts and integer ops
//===----------------------------------------------------------------------===//

/// Walks the elements of a tensor of `shape`, calling fn(flat, paramIndex).
template <typename Fn>
void forEachWithParam(UniformType type, ArrayRef<int64_t> shape, Fn fn) {
  int64_t total = rt::productOf(std::vector<int64_t>(shape.begin(), shape.end()));
  if (type.isPerTensor()) {
    for (int64_t i = 0; i < total; ++i)
      fn(i, 0);
    return;
  }
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t flat = 0; flat < total; ++flat) {
    fn(flat, type.getParamIndex(index, shape));
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

LogicalResult runQuantize(Exec &e, QuantizeOp op) {
  UniformType type = getUniformElementType(op.getOutput().getType());
  const rt::Tensor &input = e.operand(0);
  rt::Tensor &out = e.result();
  out = rt::Tensor(rt::DType::I32, input.shape());
  bool halfEven = e.rounding() == rt::Rounding::HalfEven;
  forEachWithParam(type, input.shape(), [&](int64_t i, int64_t p) {
    out.data<int32_t>()[i] =
        halfEven
            ? rt::quantizeValueHalfEven(
                  static_cast<float>(input.getAsDouble(i)),
                  static_cast<float>(type.getScale(p)), type.getZeroPoint(p),
                  type.getStorageMin(), type.getStorageMax())
            : rt::quantizeValue(input.getAsDouble(i), type.getScale(p),
                                type.getZeroPoint(p), type.getStorageMin(),
                                type.getStorageMax());
  });
  return success();
}

LogicalResult runDequantize(Exec &e, DequantizeOp op) {
  UniformType type = getUniformElementType(op.getInput().getType());
  const rt::Tensor &input = e.operand(0);
  rt::Tensor &out = e.result();
  out = rt::Tensor(rt::DType::F32, input.shape());
  forEachWithParam(type, input.shape(), [&](int64_t i, int64_t p) {
    out.data<float>()[i] = static_cast<float>(rt::dequantizeValue(
        input.getAsInt(i), type.getScale(p), type.getZeroPoint(p)));
  });
  return success();
}

LogicalResult runRequantize(Exec &e, RequantizeOp op) {
  UniformType from = getUniformElementType(op.getInput().getType());
  if (from.isPerGroup())
    return op->emitError("interpreter: requantize of per-group tensors is "
                         "not supported");
  return rescaleInto(e, e.operand(0), op.getInput(), op.getOutput(), -kInf,
                     kInf, from.isPerTensor() ? -1 : from.getAxis());
}

/// Quantized values are I32 storage integers; storage tensors hold the
/// same bits in their own width (u8 200 is i8 -56).
LogicalResult runStorageCast(Exec &e, StorageCastOp op) {
  const rt::Tensor &input = e.operand(0);
  rt::Tensor &out = e.result();
  if (auto uniform = getUniformElementType(op.getInput().getType())) {
    FailureOr<rt::DType> dtype =
        getRuntimeDType(op.getOutput().getType().getElementType());
    out = rt::Tensor(*dtype, input.shape());
    for (int64_t i = 0, n = input.numElements(); i < n; ++i)
      out.setFromInt(i, input.getAsInt(i));
    return success();
  }
  UniformType uniform = getUniformElementType(op.getOutput().getType());
  unsigned width = uniform.getStorageWidth();
  out = rt::Tensor(rt::DType::I32, input.shape());
  for (int64_t i = 0, n = input.numElements(); i < n; ++i) {
    int64_t bits = input.getAsInt(i);
    int64_t value;
    if (uniform.isSigned()) {
      // Sign-extend the low `width` bits.
      uint64_t mask = width >= 64 ? ~0ull : ((1ull << width) - 1);
      uint64_t raw = static_cast<uint64_t>(bits) & mask;
      uint64_t sign = 1ull << (width - 1);
      value = static_cast<int64_t>((raw ^ sign)) - static_cast<int64_t>(sign);
    } else {
      value = static_cast<int64_t>(static_cast<uint64_t>(bits) &
                                   ((1ull << width) - 1));
    }
    out.data<int32_t>()[i] = static_cast<int32_t>(value);
  }
  return success();
}

LogicalResult runFixedPointMul(Exec &e, FixedPointMulOp op) {
  std::string error;
  std::vector<int32_t> m0(op.getMultiplier().begin(), op.getMultiplier().end());
  std::vector<int32_t> shift(op.getShift().begin(), op.getShift().end());
  rt::q::Rounding rounding = rt::q::Rounding::Gemmlowp;
  if (op.getRounding() == RoundingMode::tosa_single)
    rounding = rt::q::Rounding::TosaSingle;
  else if (op.getRounding() == RoundingMode::tosa_double)
    rounding = rt::q::Rounding::TosaDouble;
  else if (op.getRounding() == RoundingMode::half_even)
    rounding = rt::q::Rounding::HalfEven;
  int64_t axis = op.getAxis() ? static_cast<int64_t>(*op.getAxis()) : -1;
  return e.check(rt::q::fixedPointMul(e.operand(0), m0, shift, axis, rounding,
                                      e.result(), error),
                 error);
}

} // namespace

bool qc::isExecutableQntOp(Operation *op) {
  return isa<Conv2DOp, DepthwiseConv2DOp, FullyConnectedOp, MatMulOp,
             BatchNormOp, AddOp, MulOp, ReluOp, Relu6Op, ClampOp, MaxPool2DOp,
             AvgPool2DOp, GlobalAvgPoolOp, PadOp, ReshapeOp, TransposeOp,
             ConcatOp, SoftmaxOp, QuantizeOp, DequantizeOp, RequantizeOp,
             StorageCastOp, FixedPointMulOp>(op);
}

LogicalResult qc::executeQntOp(Operation *op,
                               ArrayRef<const rt::Tensor *> operands,
                               SmallVectorImpl<rt::Tensor> &results) {
  Exec e{op, operands, results};
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](Conv2DOp o) { return runLayer(e, o, /*depthwise=*/false); })
      .Case([&](DepthwiseConv2DOp o) { return runLayer(e, o, true); })
      .Case([&](FullyConnectedOp o) { return runFullyConnected(e, o); })
      .Case([&](MatMulOp o) { return runMatMul(e, o); })
      .Case([&](BatchNormOp o) { return runBatchNorm(e, o); })
      .Case([&](AddOp o) { return runBinary(e, o, /*isAdd=*/true); })
      .Case([&](MulOp o) { return runBinary(e, o, /*isAdd=*/false); })
      .Case([&](ReluOp o) {
        return runClamp(e, o.getInput(), o.getOutput(), 0.0, kInf);
      })
      .Case([&](Relu6Op o) {
        return runClamp(e, o.getInput(), o.getOutput(), 0.0, 6.0);
      })
      .Case([&](ClampOp o) {
        return runClamp(e, o.getInput(), o.getOutput(),
                        o.getMin().convertToDouble(),
                        o.getMax().convertToDouble());
      })
      .Case([&](MaxPool2DOp o) { return runPool(e, o, true, false); })
      .Case([&](AvgPool2DOp o) {
        return runPool(e, o, false, o.getCountIncludePad());
      })
      .Case([&](GlobalAvgPoolOp o) { return runGlobalAvgPool(e, o); })
      .Case([&](PadOp o) { return runPad(e, o); })
      .Case([&](ReshapeOp o) { return runReshape(e, o); })
      .Case([&](TransposeOp o) { return runTranspose(e, o); })
      .Case([&](ConcatOp o) { return runConcat(e, o); })
      .Case([&](SoftmaxOp o) { return runSoftmax(e, o); })
      .Case([&](QuantizeOp o) { return runQuantize(e, o); })
      .Case([&](DequantizeOp o) { return runDequantize(e, o); })
      .Case([&](RequantizeOp o) { return runRequantize(e, o); })
      .Case([&](StorageCastOp o) { return runStorageCast(e, o); })
      .Case([&](FixedPointMulOp o) { return runFixedPointMul(e, o); })
      .Default([&](Operation *) {
        return op->emitError("interpreter: unsupported op");
      });
}
