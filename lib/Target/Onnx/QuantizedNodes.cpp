//===- QuantizedNodes.cpp - ONNX's quantized operators into qnt -----------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Models that bring their own quantization: QuantizeLinear and
// DequantizeLinear (the QDQ format, per tensor and per axis), QLinearConv,
// QLinearMatMul, ConvInteger, MatMulInteger and ONNX Runtime's QLinearAdd
// (domain com.microsoft).
//
// Each becomes dequantize -> the float op the float importer builds ->
// quantize, with the stated scales and zero points as qnt types and the
// integer weights and biases kept exactly (as dequantized integer
// constants). At the end qnt-fuse-qdq's patterns turn every such group
// into the quantized op, so the model enters the pipeline after
// qnt-quantize, and the module's rounding becomes half_even: ONNX defines
// the requantization of these operators as round-half-to-even of the real
// product (QLinearConv, QLinearMatMul) and QuantizeLinear as
// round-half-to-even of x / y_scale (ModelRounding.h).
//
// *Integer operators return the raw int32 accumulator: modelled as a
// quantized i32 result with scale 1 and zero point 0, inputs with scale 1.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "qc/Dialect/Qnt/Transforms/Passes.h"
#include "qc/Dialect/Qnt/Utils/ModelRounding.h"
#include "qc/runtime/QuantParams.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace qc;
using namespace qc::onnx_import;

namespace {

/// Where a quantized node reads the parameters of one of its tensors:
/// `data` is the input index (-1: the node's output), `scale` and
/// `zeroPoint` the inputs holding them (scale -1: 1, the *Integer ops).
struct ParamSlots {
  int data, scale, zeroPoint;
};

std::vector<ParamSlots> slotsOf(StringRef op) {
  if (op == "QuantizeLinear")
    return {{-1, 1, 2}};
  if (op == "DequantizeLinear")
    return {{0, 1, 2}};
  if (op == "QLinearConv" || op == "QLinearMatMul" || op == "QLinearAdd")
    return {{0, 1, 2}, {3, 4, 5}, {-1, 6, 7}};
  if (op == "ConvInteger" || op == "MatMulInteger")
    return {{0, -1, 2}, {1, -1, 3}};
  return {};
}

IntegerType storageOf(MLIRContext *ctx, int32_t dtype) {
  switch (dtype) {
  case onnx::TensorProto::UINT8:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case onnx::TensorProto::INT8:
    return IntegerType::get(ctx, 8);
  case onnx::TensorProto::INT32:
    return IntegerType::get(ctx, 32);
  default:
    return nullptr;
  }
}

int32_t dtypeOfStorage(IntegerType t) {
  if (t.getWidth() == 8)
    return t.isUnsigned() ? onnx::TensorProto::UINT8 : onnx::TensorProto::INT8;
  if (t.getWidth() == 32 && !t.isUnsigned())
    return onnx::TensorProto::INT32;
  return 0;
}

/// Index of the parameter (channel) of flat element `e` of `shape`.
int64_t channelOf(int64_t e, ArrayRef<int64_t> shape, int64_t axis) {
  if (axis < 0)
    return 0;
  int64_t inner = product(shape.drop_front(axis + 1));
  return (e / inner) % shape[axis];
}

} // namespace

std::optional<QuantSpec> Importer::specOf(const onnx::NodeProto &node,
                                          int dataIdx, int32_t dtype,
                                          int64_t rank, Location loc) {
  const std::string &op = node.op_type();
  std::optional<ParamSlots> slot;
  for (const ParamSlots &s : slotsOf(op))
    if (s.data == dataIdx)
      slot = s;
  if (!slot) {
    error(loc) << "input " << dataIdx << " has no quantization parameters";
    return std::nullopt;
  }
  auto present = [&](int i) {
    return i >= 0 && i < node.input_size() && !node.input(i).empty();
  };
  QuantSpec spec;
  // Zero point (optional: 0); its type is the storage type.
  int32_t storageType = dtype;
  if (present(slot->zeroPoint)) {
    auto it = constants.find(node.input(slot->zeroPoint));
    if (it == constants.end() || it->second.isFloat) {
      error(loc) << "zero point '" << node.input(slot->zeroPoint)
                 << "' must be an integer constant (an initializer)";
      return std::nullopt;
    }
    spec.zeroPoints = it->second.ints;
    if (storageType && storageType != it->second.dtype &&
        storageType != onnx::TensorProto::FLOAT) {
      error(loc) << "zero point '" << node.input(slot->zeroPoint)
                 << "' has another type than the data it describes";
      return std::nullopt;
    }
    storageType = it->second.dtype;
  } else {
    spec.zeroPoints = {0};
    // QuantizeLinear without a zero point produces uint8.
    if (!storageType || storageType == onnx::TensorProto::FLOAT)
      storageType = onnx::TensorProto::UINT8;
  }
  spec.storage = storageOf(b.getContext(), storageType);
  if (!spec.storage) {
    error(loc) << "quantized data must be uint8, int8 or int32 (ONNX type "
               << storageType << ")";
    return std::nullopt;
  }
  // Scale (a float constant; 1 for the *Integer ops).
  if (slot->scale < 0) {
    spec.scales.assign(spec.zeroPoints.size(), 1.0);
  } else {
    auto it = present(slot->scale) ? constants.find(node.input(slot->scale))
                                   : constants.end();
    if (it == constants.end() || !it->second.isFloat || it->second.quant) {
      error(loc) << "scale '"
                 << (present(slot->scale) ? node.input(slot->scale) : "")
                 << "' must be a float constant (an initializer)";
      return std::nullopt;
    }
    for (float v : it->second.floats)
      spec.scales.push_back(v);
  }
  if (spec.zeroPoints.size() == 1 && spec.scales.size() > 1)
    spec.zeroPoints.assign(spec.scales.size(), spec.zeroPoints[0]);
  if (spec.scales.empty() || spec.zeroPoints.size() != spec.scales.size()) {
    error(loc) << "scale and zero point have different sizes";
    return std::nullopt;
  }
  for (double s : spec.scales)
    if (!(s > 0) || std::isinf(s)) {
      error(loc) << "scales must be positive and finite, got " << s;
      return std::nullopt;
    }
  if (spec.scales.size() == 1)
    return spec;
  // Per axis: Quantize/DequantizeLinear say which axis (default 1); a
  // QLinearConv or ConvInteger weight is per output channel (axis 0), a
  // QLinearMatMul or MatMulInteger right-hand side per column.
  bool isWeight =
      dataIdx == (op == "ConvInteger" || op == "MatMulInteger" ? 1 : 3);
  if (op == "QuantizeLinear" || op == "DequantizeLinear")
    spec.axis = intAttr(node, "axis", 1);
  else if (isWeight && (op == "QLinearConv" || op == "ConvInteger"))
    spec.axis = 0;
  else if (isWeight && (op == "QLinearMatMul" || op == "MatMulInteger"))
    spec.axis = rank - 1;
  else {
    error(loc) << "input " << dataIdx
               << " must have one scale and zero point (per tensor)";
    return std::nullopt;
  }
  if (spec.axis < 0)
    spec.axis += rank;
  if (spec.axis < 0 || spec.axis >= rank) {
    error(loc) << "axis " << intAttr(node, "axis", 1)
               << " is out of range for rank " << rank;
    return std::nullopt;
  }
  return spec;
}

qnt::UniformType Importer::uniformOf(const QuantSpec &spec, int64_t rank,
                                     bool nhwc) {
  int64_t axis = spec.axis;
  if (axis >= 0 && nhwc && rank == 4)
    axis = llvm::find(ArrayRef<int64_t>(kToNhwc), axis) -
           ArrayRef<int64_t>(kToNhwc).begin();
  return qnt::UniformType::get(
      spec.storage, qnt::UniformType::getStorageTypeMin(spec.storage),
      qnt::UniformType::getStorageTypeMax(spec.storage), b.getF32Type(),
      static_cast<int32_t>(axis), 0, spec.scales, spec.zeroPoints);
}

int32_t Importer::dtypeOf(const onnx::NodeProto &node, int i) {
  if (i >= node.input_size() || node.input(i).empty())
    return 0;
  auto it = constants.find(node.input(i));
  if (it != constants.end())
    return it->second.quant ? onnx::TensorProto::FLOAT : it->second.dtype;
  auto v = values.find(node.input(i));
  if (v == values.end())
    return 0;
  if (auto q = qnt::getUniformElementType(v->second.value.getType()))
    return dtypeOfStorage(q.getStorageType());
  return onnx::TensorProto::FLOAT;
}

Type Importer::integerInputType(const onnx::GraphProto &graph,
                                const onnx::ValueInfoProto &in,
                                ArrayRef<int64_t> shape) {
  int32_t dtype = in.type().tensor_type().elem_type();
  for (const auto &node : graph.node())
    for (const ParamSlots &slot : slotsOf(node.op_type())) {
      if (slot.data < 0 || slot.data >= node.input_size() ||
          node.input(slot.data) != in.name())
        continue;
      current = &node;
      std::optional<QuantSpec> spec =
          specOf(node, slot.data, dtype, shape.size(), fileLoc);
      current = nullptr;
      if (!spec)
        return nullptr;
      return RankedTensorType::get(shape,
                                   uniformOf(*spec, shape.size(), false));
    }
  emitError(fileLoc) << "input '" << in.name()
                     << "' holds integers, but no DequantizeLinear, QLinear* "
                        "or *Integer node gives its scale and zero point";
  failedAny = true;
  return nullptr;
}

std::optional<Tensor> Importer::dequantized(const onnx::NodeProto &node, int i,
                                            const QuantSpec &spec,
                                            Location loc) {
  std::optional<Tensor> t = input(node, i);
  if (!t) {
    error(loc) << "unknown input '" << node.input(i) << "'";
    return std::nullopt;
  }
  auto type = typeOf(t->value);
  qnt::UniformType have = qnt::getUniformElementType(type);
  qnt::UniformType want = uniformOf(spec, type.getRank(), t->nhwc);
  if (have != want) {
    InFlightDiagnostic diag = error(loc);
    diag << "input '" << node.input(i) << "' is ";
    if (have)
      diag << "quantized as " << have;
    else
      diag << "not quantized";
    diag << ", but the node reads it as " << want;
    return std::nullopt;
  }
  Value dq = qnt::DequantizeOp::create(b, loc, f32(type.getShape()), t->value);
  return Tensor{dq, t->nhwc};
}

std::optional<ConstantData>
Importer::quantizedConstant(const onnx::NodeProto &node, int i,
                            const QuantSpec &spec, Location loc) {
  auto it =
      i < node.input_size() ? constants.find(node.input(i)) : constants.end();
  if (it == constants.end() || it->second.isFloat) {
    error(loc) << "input " << i << " ('"
               << (i < node.input_size() ? node.input(i) : "")
               << "') must be an integer constant (an initializer)";
    return std::nullopt;
  }
  ConstantData data = it->second;
  if (spec.axis >= 0 &&
      (spec.axis >= static_cast<int64_t>(data.shape.size()) ||
       data.shape[spec.axis] != static_cast<int64_t>(spec.scales.size()))) {
    error(loc) << "input " << i << " has " << spec.scales.size()
               << " scales, which do not match its axis " << spec.axis;
    return std::nullopt;
  }
  // ONNX's DequantizeLinear: (x - zero_point) * scale in float32.
  data.floats.resize(data.ints.size());
  for (size_t e = 0; e < data.ints.size(); ++e) {
    int64_t c = channelOf(e, data.shape, spec.axis);
    data.floats[e] = static_cast<float>(data.ints[e] - spec.zeroPoints[c]) *
                     static_cast<float>(spec.scales[c]);
  }
  data.isFloat = true;
  data.quant = spec;
  return data;
}

Value Importer::quantizeTo(Value v, const QuantSpec &spec, bool nhwc,
                           Location loc) {
  auto type = typeOf(v);
  return qnt::QuantizeOp::create(
      b, loc,
      RankedTensorType::get(type.getShape(),
                            uniformOf(spec, type.getRank(), nhwc)),
      v);
}

std::optional<Value> Importer::qlinearBias(const onnx::NodeProto &node, int i,
                                           const QuantSpec &x,
                                           const QuantSpec &w, Location loc) {
  // The bias is int32 with scale x_scale * w_scale (float32) and zero point 0.
  QuantSpec spec;
  spec.storage = IntegerType::get(b.getContext(), 32);
  for (double ws : w.scales)
    spec.scales.push_back(static_cast<float>(x.scales[0]) *
                          static_cast<float>(ws));
  spec.zeroPoints.assign(spec.scales.size(), 0);
  spec.axis = w.axis >= 0 ? 0 : -1;
  std::optional<ConstantData> data = quantizedConstant(node, i, spec, loc);
  if (!data)
    return std::nullopt;
  if (data->dtype != onnx::TensorProto::INT32 || data->shape.size() != 1) {
    error(loc) << "bias '" << node.input(i) << "' must be a 1-D int32 constant";
    return std::nullopt;
  }
  if (spec.axis < 0 && data->shape[0] != 1) {
    // Per-tensor weights: one bias scale for every channel.
    spec.axis = 0;
    spec.scales.assign(data->shape[0], spec.scales[0]);
    spec.zeroPoints.assign(data->shape[0], 0);
    data->quant = spec;
  }
  return valueOf(*data, node.input(i), loc);
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

LogicalResult Importer::quantizeLinear(const onnx::NodeProto &node,
                                       Location loc) {
  quantizedModel = true;
  auto cIt = constants.find(node.input(0));
  if (cIt != constants.end() && cIt->second.isFloat && !cIt->second.quant) {
    // Folded: float weights quantized at import time, as ONNX would.
    const ConstantData &x = cIt->second;
    std::optional<QuantSpec> spec =
        specOf(node, -1, 0, static_cast<int64_t>(x.shape.size()), loc);
    if (!spec)
      return failure();
    ConstantData q;
    q.shape = x.shape;
    q.dtype = dtypeOfStorage(spec->storage);
    for (size_t e = 0; e < x.floats.size(); ++e) {
      int64_t c = channelOf(e, x.shape, spec->axis);
      q.ints.push_back(rt::quantizeValueHalfEven(
          x.floats[e], static_cast<float>(spec->scales[c]), spec->zeroPoints[c],
          qnt::UniformType::getStorageTypeMin(spec->storage),
          qnt::UniformType::getStorageTypeMax(spec->storage)));
    }
    constants[node.output(0)] = std::move(q);
    return success();
  }
  std::optional<Tensor> x = input(node, 0);
  if (!x || qnt::getUniformElementType(x->value.getType()))
    return error(loc) << "needs a float input";
  std::optional<QuantSpec> spec =
      specOf(node, -1, 0, typeOf(x->value).getRank(), loc);
  if (!spec)
    return failure();
  define(node, Tensor{quantizeTo(x->value, *spec, x->nhwc, loc), x->nhwc});
  return success();
}

LogicalResult Importer::dequantizeLinear(const onnx::NodeProto &node,
                                         Location loc) {
  quantizedModel = true;
  auto cIt = constants.find(node.input(0));
  if (cIt != constants.end() && !cIt->second.isFloat) {
    // Weights and biases: integers kept, dequantized for float consumers.
    std::optional<QuantSpec> spec =
        specOf(node, 0, cIt->second.dtype,
               static_cast<int64_t>(cIt->second.shape.size()), loc);
    if (!spec)
      return failure();
    std::optional<ConstantData> data = quantizedConstant(node, 0, *spec, loc);
    if (!data)
      return failure();
    constants[node.output(0)] = std::move(*data);
    return success();
  }
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return error(loc) << "unknown input";
  std::optional<QuantSpec> spec =
      specOf(node, 0, dtypeOf(node, 0), typeOf(x->value).getRank(), loc);
  if (!spec)
    return failure();
  std::optional<Tensor> dq = dequantized(node, 0, *spec, loc);
  if (!dq)
    return failure();
  define(node, *dq);
  return success();
}

/// The int32 accumulator of ConvInteger / MatMulInteger.
static QuantSpec accumulatorSpec(MLIRContext *ctx) {
  QuantSpec spec;
  spec.storage = IntegerType::get(ctx, 32);
  spec.scales = {1.0};
  spec.zeroPoints = {0};
  return spec;
}

LogicalResult Importer::qlinearConv(const onnx::NodeProto &node, Location loc,
                                    bool integerOnly) {
  quantizedModel = true;
  int wIdx = integerOnly ? 1 : 3;
  std::optional<QuantSpec> xs = specOf(node, 0, dtypeOf(node, 0), 4, loc);
  std::optional<QuantSpec> ws = specOf(node, wIdx, dtypeOf(node, wIdx), 4, loc);
  if (!xs || !ws)
    return failure();
  std::optional<Tensor> x = dequantized(node, 0, *xs, loc);
  std::optional<ConstantData> w = quantizedConstant(node, wIdx, *ws, loc);
  if (!x || !w)
    return failure();
  Value bias;
  if (!integerOnly && node.input_size() > 8 && !node.input(8).empty()) {
    std::optional<Value> bv = qlinearBias(node, 8, *xs, *ws, loc);
    if (!bv)
      return failure();
    bias = *bv;
  }
  FailureOr<Value> y = convWith(node, loc, *x, *w, bias);
  if (failed(y))
    return failure();
  std::optional<QuantSpec> ys = integerOnly ? accumulatorSpec(b.getContext())
                                            : specOf(node, -1, 0, 4, loc);
  if (!ys)
    return failure();
  define(node, Tensor{quantizeTo(*y, *ys, true, loc), true});
  return success();
}

LogicalResult Importer::qlinearMatMul(const onnx::NodeProto &node, Location loc,
                                      bool integerOnly) {
  quantizedModel = true;
  int bIdx = integerOnly ? 1 : 3;
  std::optional<Tensor> a0 = input(node, 0);
  auto bIt = bIdx < node.input_size() ? constants.find(node.input(bIdx))
                                      : constants.end();
  bool bConstant = bIt != constants.end() && !bIt->second.isFloat;
  std::optional<Tensor> b0 = bConstant ? std::nullopt : input(node, bIdx);
  if (!a0 || (!bConstant && !b0))
    return error(loc) << "unknown input";
  int64_t bRank =
      bConstant ? bIt->second.shape.size() : typeOf(b0->value).getRank();
  std::optional<QuantSpec> as =
      specOf(node, 0, dtypeOf(node, 0), typeOf(a0->value).getRank(), loc);
  std::optional<QuantSpec> bs =
      specOf(node, bIdx, dtypeOf(node, bIdx), bRank, loc);
  if (!as || !bs)
    return failure();
  std::optional<Tensor> a = dequantized(node, 0, *as, loc);
  if (!a)
    return failure();
  FailureOr<Tensor> y = failure();
  if (bConstant) {
    std::optional<ConstantData> w = quantizedConstant(node, bIdx, *bs, loc);
    if (!w)
      return failure();
    y = matmulWith(node, loc, *a, &*w, Value());
  } else {
    std::optional<Tensor> bv = dequantized(node, bIdx, *bs, loc);
    if (!bv)
      return failure();
    y = matmulWith(node, loc, *a, nullptr, asNchw(*bv, loc));
  }
  if (failed(y))
    return failure();
  std::optional<QuantSpec> ys =
      integerOnly ? accumulatorSpec(b.getContext())
                  : specOf(node, -1, 0, typeOf(y->value).getRank(), loc);
  if (!ys)
    return failure();
  define(node, Tensor{quantizeTo(y->value, *ys, y->nhwc, loc), y->nhwc});
  return success();
}

LogicalResult Importer::qlinearAdd(const onnx::NodeProto &node, Location loc) {
  quantizedModel = true;
  std::optional<Tensor> l0 = input(node, 0), r0 = input(node, 3);
  if (!l0 || !r0)
    return error(loc) << "unknown input";
  std::optional<QuantSpec> ls =
      specOf(node, 0, dtypeOf(node, 0), typeOf(l0->value).getRank(), loc);
  std::optional<QuantSpec> rs =
      specOf(node, 3, dtypeOf(node, 3), typeOf(r0->value).getRank(), loc);
  if (!ls || !rs)
    return failure();
  std::optional<Tensor> l = dequantized(node, 0, *ls, loc);
  std::optional<Tensor> r = dequantized(node, 3, *rs, loc);
  if (!l || !r)
    return failure();
  FailureOr<Tensor> sum = binaryWith(node, loc, *l, *r, /*isAdd=*/true);
  if (failed(sum))
    return failure();
  std::optional<QuantSpec> ys =
      specOf(node, -1, 0, typeOf(sum->value).getRank(), loc);
  if (!ys)
    return failure();
  define(node, Tensor{quantizeTo(sum->value, *ys, sum->nhwc, loc), sum->nhwc});
  return success();
}

LogicalResult Importer::finishQuantizedModel(ModuleOp module) {
  RewritePatternSet patterns(module.getContext());
  qnt::populateFuseQdqPatterns(patterns);
  if (failed(applyPatternsGreedily(module, std::move(patterns))))
    return emitError(fileLoc) << "fusing the model's quantize/dequantize "
                                 "pairs did not converge";
  setModelRounding(module, rt::Rounding::HalfEven);
  return success();
}
