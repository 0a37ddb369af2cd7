//===- OnnxImporter.cpp - ONNX models into the qnt dialect ----------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Parses the ModelProto with the protobuf classes of Debian's libonnx (no
// hand-written protobuf parsing) and builds one func of qnt graph ops.
//
// Layout: ONNX is NCHW, qnt's windowed ops are NHWC (docs/layout.md). Every
// 4-D activation is tracked as either NCHW or NHWC; convolutions and pools
// want NHWC, shape-sensitive ops (flatten, reshape, transpose, and anything
// the importer does not know to be layout-neutral) want NCHW, and a
// qnt.transpose is inserted only where a value crosses from one to the
// other. The function's arguments and results stay NCHW, so the imported
// model is called exactly like the ONNX one.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "qc/Pipelines/Registration.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

#include <cmath>
#include <limits>
#include <map>
#include <set>

using namespace mlir;
using namespace qc;
using namespace qc::onnx_import;

// --- attributes ----------------------------------------------------------

const onnx::AttributeProto *qc::onnx_import::attr(const onnx::NodeProto &node,
                                                  StringRef name) {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}
int64_t qc::onnx_import::intAttr(const onnx::NodeProto &node, StringRef name,
                                 int64_t dflt) {
  const auto *a = attr(node, name);
  return a ? a->i() : dflt;
}
float qc::onnx_import::floatAttr(const onnx::NodeProto &node, StringRef name,
                                 float dflt) {
  const auto *a = attr(node, name);
  return a ? a->f() : dflt;
}
std::vector<int64_t> qc::onnx_import::intsAttr(const onnx::NodeProto &node,
                                               StringRef name,
                                               std::vector<int64_t> dflt) {
  const auto *a = attr(node, name);
  if (!a)
    return dflt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}
std::string qc::onnx_import::stringAttr(const onnx::NodeProto &node,
                                        StringRef name, std::string dflt) {
  const auto *a = attr(node, name);
  return a ? a->s() : dflt;
}

// --- constants -------------------------------------------------------------

bool Importer::readTensor(const onnx::TensorProto &t, ConstantData &out,
                          Location loc) {
  out.shape.assign(t.dims().begin(), t.dims().end());
  out.dtype = t.data_type();
  int64_t n = product(out.shape);
  if (t.has_data_location() &&
      t.data_location() == onnx::TensorProto::EXTERNAL) {
    error(loc) << "tensor '" << t.name()
               << "' keeps its data in an external file, which is not "
                  "supported: save the model with its weights inside";
    return false;
  }
  const std::string &raw = t.raw_data();
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    out.isFloat = true;
    if (!raw.empty()) {
      if (static_cast<int64_t>(raw.size()) != 4 * n)
        break;
      out.floats.resize(n);
      std::memcpy(out.floats.data(), raw.data(), raw.size());
    } else {
      out.floats.assign(t.float_data().begin(), t.float_data().end());
    }
    if (static_cast<int64_t>(out.floats.size()) == n)
      return true;
    break;
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::INT32: {
    bool is64 = t.data_type() == onnx::TensorProto::INT64;
    if (!raw.empty()) {
      size_t width = is64 ? 8 : 4;
      if (static_cast<int64_t>(raw.size()) != static_cast<int64_t>(width) * n)
        break;
      for (int64_t i = 0; i < n; ++i) {
        if (is64) {
          int64_t v;
          std::memcpy(&v, raw.data() + 8 * i, 8);
          out.ints.push_back(v);
        } else {
          int32_t v;
          std::memcpy(&v, raw.data() + 4 * i, 4);
          out.ints.push_back(v);
        }
      }
    } else if (is64) {
      out.ints.assign(t.int64_data().begin(), t.int64_data().end());
    } else {
      out.ints.assign(t.int32_data().begin(), t.int32_data().end());
    }
    if (static_cast<int64_t>(out.ints.size()) == n)
      return true;
    break;
  }
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT8: {
    // Quantized data: raw bytes, or one int32_data entry per element.
    bool isSigned = t.data_type() == onnx::TensorProto::INT8;
    if (!raw.empty()) {
      if (static_cast<int64_t>(raw.size()) != n)
        break;
      for (char c : raw)
        out.ints.push_back(isSigned
                               ? static_cast<int64_t>(static_cast<int8_t>(c))
                               : static_cast<int64_t>(static_cast<uint8_t>(c)));
    } else {
      out.ints.assign(t.int32_data().begin(), t.int32_data().end());
    }
    if (static_cast<int64_t>(out.ints.size()) == n)
      return true;
    break;
  }
  case onnx::TensorProto::DOUBLE:
    out.isFloat = true;
    if (!raw.empty()) {
      if (static_cast<int64_t>(raw.size()) != 8 * n)
        break;
      for (int64_t i = 0; i < n; ++i) {
        double v;
        std::memcpy(&v, raw.data() + 8 * i, 8);
        out.floats.push_back(static_cast<float>(v));
      }
    } else {
      for (double v : t.double_data())
        out.floats.push_back(static_cast<float>(v));
    }
    if (static_cast<int64_t>(out.floats.size()) == n)
      return true;
    break;
  default:
    error(loc) << "tensor '" << t.name() << "' has ONNX data type "
               << t.data_type()
               << ", which is not supported (float, double, int64, int32, "
                  "uint8 and int8 are)";
    return false;
  }
  error(loc) << "tensor '" << t.name() << "' holds " << "a wrong amount of data for its shape";
  return false;
}

/// A float constant as a graph value (created on first use).
Value Importer::materialize(const std::string &name, Location loc) {
  auto it = constants.find(name);
  if (it == constants.end() || !it->second.isFloat)
    return nullptr;
  Value v = valueOf(it->second, name, loc);
  values[name] = Tensor{v, false};
  return v;
}

Value Importer::valueOf(const ConstantData &data, StringRef hint,
                        Location loc) {
  if (!data.quant)
    return constant(data.shape, data.floats, hint);
  // The stored integers, dequantized: qnt-fuse-qdq keeps them exact.
  qnt::UniformType type = uniformOf(*data.quant, data.shape.size(), false);
  Value q =
      qnt::createQuantizedConstant(b, loc, data.shape, type, data.ints, hint);
  return qnt::DequantizeOp::create(b, loc, f32(data.shape), q);
}

Value Importer::permute(Value v, ArrayRef<int64_t> perm, Location loc) {
  auto type = typeOf(v);
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  Type elem = type.getElementType();
  // A per-axis quantized value's channels move with the data.
  if (auto q = qnt::getUniformElementType(type))
    if (qnt::UniformType moved = q.permuted(perm))
      elem = moved;
  return qnt::TransposeOp::create(b, loc, RankedTensorType::get(shape, elem), v,
                                  b.getDenseI64ArrayAttr(perm));
}

FailureOr<Value> Importer::weights(const ConstantData &w,
                                   ArrayRef<int64_t> shape,
                                   ArrayRef<int64_t> src, int64_t onnxAxis,
                                   int64_t axis, StringRef hint, Location loc) {
  if (!w.quant) {
    std::vector<float> data(src.size());
    for (size_t i = 0; i < src.size(); ++i)
      data[i] = w.floats[src[i]];
    return constant(shape, data, hint);
  }
  QuantSpec spec = *w.quant;
  if (spec.axis >= 0 && spec.axis != onnxAxis)
    return error(loc) << "weights '" << hint.str()
                      << "' are quantized along axis " << spec.axis
                      << "; only per-tensor or per-output-channel (axis "
                      << onnxAxis << ") weights are supported";
  std::vector<int64_t> ints(src.size());
  for (size_t i = 0; i < src.size(); ++i)
    ints[i] = w.ints[src[i]];
  qnt::UniformType type = uniformOf(spec, shape.size(), false);
  if (spec.axis >= 0)
    type = type.withAxis(static_cast<int32_t>(axis));
  Value q = qnt::createQuantizedConstant(b, loc, shape, type, ints, hint);
  return qnt::DequantizeOp::create(b, loc, f32(shape), q).getResult();
}

std::optional<Tensor> Importer::input(const onnx::NodeProto &node, int i) {
  if (i >= node.input_size() || node.input(i).empty())
    return std::nullopt;
  auto it = values.find(node.input(i));
  if (it != values.end())
    return it->second;
  if (Value v = materialize(node.input(i), nodeLoc(node)))
    return Tensor{v, false};
  return std::nullopt;
}

// --- nodes -------------------------------------------------------------------

/// ONNX pads [x1_begin, x2_begin, x1_end, x2_end] (or auto_pad) as qnt's
/// [top, bottom, left, right].
static std::optional<std::array<int64_t, 4>>
spatialPadding(const onnx::NodeProto &node, int64_t h, int64_t w,
               ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> dilations) {
  std::string autoPad = stringAttr(node, "auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    std::vector<int64_t> pads = intsAttr(node, "pads", {0, 0, 0, 0});
    if (pads.size() != 4)
      return std::nullopt;
    return std::array<int64_t, 4>{pads[0], pads[2], pads[1], pads[3]};
  }
  if (autoPad == "VALID")
    return std::array<int64_t, 4>{0, 0, 0, 0};
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return std::nullopt;
  std::array<int64_t, 4> out{};
  int64_t size[2] = {h, w};
  for (int i = 0; i < 2; ++i) {
    int64_t o = (size[i] + strides[i] - 1) / strides[i];
    int64_t total = std::max<int64_t>(
        0, (o - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size[i]);
    int64_t small = total / 2, large = total - small;
    bool upper = autoPad == "SAME_UPPER";
    out[2 * i] = upper ? small : large;
    out[2 * i + 1] = upper ? large : small;
  }
  return out;
}

static int64_t windowOut(int64_t in, int64_t lo, int64_t hi, int64_t k,
                         int64_t s, int64_t d, bool ceil = false) {
  int64_t span = in + lo + hi - d * (k - 1) - 1;
  return (ceil ? (span + s - 1) / s : span / s) + 1;
}

LogicalResult Importer::conv(const onnx::NodeProto &node, Location loc) {
  std::optional<Tensor> x = input(node, 0);
  auto wIt = constants.find(node.input_size() > 1 ? node.input(1) : "");
  if (!x || wIt == constants.end() || !wIt->second.isFloat)
    return error(loc) << "needs a 4-D input and constant 4-D float "
                         "weights (an initializer)";
  Value bias;
  if (node.input_size() > 2 && !node.input(2).empty()) {
    std::optional<Tensor> bt = input(node, 2);
    if (!bt)
      return error(loc) << "bias '" << node.input(2) << "' is unknown";
    bias = bt->value;
  }
  FailureOr<Value> result = convWith(node, loc, *x, wIt->second, bias);
  if (failed(result))
    return failure();
  define(node, Tensor{*result, true});
  return success();
}

FailureOr<Value> Importer::convWith(const onnx::NodeProto &node, Location loc,
                                    const Tensor &x, const ConstantData &w,
                                    Value bias) {
  if (w.shape.size() != 4)
    return error(loc) << "needs constant 4-D weights";
  if (typeOf(x.value).getRank() != 4)
    return error(loc) << "only 2-D convolutions (4-D input) are supported";
  int64_t o = w.shape[0], cg = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  int64_t groups = intAttr(node, "group", 1);
  Value in = asNhwc(x, loc);
  auto inType = typeOf(in);
  int64_t n = inType.getDimSize(0), h = inType.getDimSize(1),
          wd = inType.getDimSize(2), c = inType.getDimSize(3);
  std::vector<int64_t> strides = intsAttr(node, "strides", {1, 1});
  std::vector<int64_t> dilations = intsAttr(node, "dilations", {1, 1});
  auto pad = spatialPadding(node, h, wd, {kh, kw}, strides, dilations);
  if (!pad || strides.size() != 2 || dilations.size() != 2 ||
      cg * groups != c || o % groups != 0)
    return error(loc) << "inconsistent shapes or attributes (weights " << o
                      << "x" << cg << "x" << kh << "x" << kw
                      << ", input channels " << c << ", group " << groups
                      << ")";
  int64_t oh = windowOut(h, (*pad)[0], (*pad)[1], kh, strides[0], dilations[0]);
  int64_t ow = windowOut(wd, (*pad)[2], (*pad)[3], kw, strides[1], dilations[1]);
  auto outType = f32({n, oh, ow, o});
  auto idx = [&](int64_t a, int64_t b2, int64_t c2, int64_t d2) {
    return ((a * cg + b2) * kh + c2) * kw + d2; // OIHW
  };
  std::string hint = node.input_size() > 1 ? node.input(1) : "weight";
  if (groups > 1 && cg == 1 && groups == c) {
    // Depthwise: ONNX [C*M, 1, KH, KW] -> qnt [1, KH, KW, C*M].
    std::vector<int64_t> src(o * kh * kw);
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j)
          src[(i * kw + j) * o + oc] = idx(oc, 0, i, j);
    FailureOr<Value> weightValue =
        weights(w, {1, kh, kw, o}, src, /*onnxAxis=*/0, /*axis=*/3, hint, loc);
    if (failed(weightValue))
      return failure();
    return qnt::DepthwiseConv2DOp::create(b, loc, outType, in, *weightValue,
                                          bias, b.getDenseI64ArrayAttr(strides),
                                          b.getDenseI64ArrayAttr(dilations),
                                          b.getDenseI64ArrayAttr(*pad))
        .getResult();
  }
  // OIHW -> OHWI.
  std::vector<int64_t> src(o * kh * kw * cg);
  for (int64_t oc = 0; oc < o; ++oc)
    for (int64_t i = 0; i < kh; ++i)
      for (int64_t j = 0; j < kw; ++j)
        for (int64_t ic = 0; ic < cg; ++ic)
          src[((oc * kh + i) * kw + j) * cg + ic] = idx(oc, ic, i, j);
  FailureOr<Value> weightValue =
      weights(w, {o, kh, kw, cg}, src, /*onnxAxis=*/0, /*axis=*/0, hint, loc);
  if (failed(weightValue))
    return failure();
  return qnt::Conv2DOp::create(
             b, loc, outType, in, *weightValue, bias,
             b.getDenseI64ArrayAttr(strides), b.getDenseI64ArrayAttr(dilations),
             b.getDenseI64ArrayAttr(*pad),
             groups == 1 ? IntegerAttr() : b.getI64IntegerAttr(groups))
      .getResult();
}

LogicalResult Importer::pool(const onnx::NodeProto &node, Location loc,
                             bool isMax) {
  std::optional<Tensor> x = input(node, 0);
  if (!x || typeOf(x->value).getRank() != 4)
    return error(loc) << "needs a 4-D input";
  std::vector<int64_t> kernel = intsAttr(node, "kernel_shape", {});
  std::vector<int64_t> strides = intsAttr(node, "strides", {1, 1});
  if (kernel.size() != 2 || strides.size() != 2)
    return error(loc) << "needs 2-D kernel_shape and strides";
  if (intAttr(node, "ceil_mode", 0) != 0)
    return error(loc) << "ceil_mode=1 is not supported";
  if (intsAttr(node, "dilations", {1, 1}) != std::vector<int64_t>{1, 1})
    return error(loc) << "dilations are not supported";
  Value in = asNhwc(*x, loc);
  auto t = typeOf(in);
  auto pad = spatialPadding(node, t.getDimSize(1), t.getDimSize(2), kernel,
                            strides, {1, 1});
  if (!pad)
    return error(loc) << "bad pads/auto_pad";
  int64_t oh = windowOut(t.getDimSize(1), (*pad)[0], (*pad)[1], kernel[0],
                         strides[0], 1);
  int64_t ow = windowOut(t.getDimSize(2), (*pad)[2], (*pad)[3], kernel[1],
                         strides[1], 1);
  // MaxPool also takes quantized (uint8/int8) tensors: the result keeps
  // the input's parameters.
  auto outType = like(in, {t.getDimSize(0), oh, ow, t.getDimSize(3)});
  if (!isMax && qnt::getUniformElementType(outType))
    return error(loc) << "needs a float input";
  Value result;
  if (isMax)
    result = qnt::MaxPool2DOp::create(
        b, loc, outType, in, b.getDenseI64ArrayAttr(kernel),
        b.getDenseI64ArrayAttr(strides), b.getDenseI64ArrayAttr(*pad));
  else
    result = qnt::AvgPool2DOp::create(
        b, loc, outType, in, b.getDenseI64ArrayAttr(kernel),
        b.getDenseI64ArrayAttr(strides), b.getDenseI64ArrayAttr(*pad),
        b.getBoolAttr(intAttr(node, "count_include_pad", 0) != 0));
  define(node, Tensor{result, true});
  return success();
}

LogicalResult Importer::gemm(const onnx::NodeProto &node, Location loc) {
  std::optional<Tensor> a = input(node, 0);
  auto bIt = constants.find(node.input_size() > 1 ? node.input(1) : "");
  if (!a || typeOf(a->value).getRank() != 2 || bIt == constants.end() ||
      !bIt->second.isFloat || bIt->second.shape.size() != 2)
    return error(loc) << "needs a 2-D input A and a constant 2-D B";
  if (intAttr(node, "transA", 0) != 0)
    return error(loc) << "transA=1 is not supported";
  float alpha = floatAttr(node, "alpha", 1.0f), beta = floatAttr(node, "beta", 1.0f);
  const ConstantData &bw = bIt->second;
  bool transB = intAttr(node, "transB", 0) != 0;
  int64_t k = typeOf(a->value).getDimSize(1);
  int64_t n = transB ? bw.shape[0] : bw.shape[1];
  if ((transB ? bw.shape[1] : bw.shape[0]) != k)
    return error(loc) << "A has " << k << " columns, B does not match";
  // qnt.fully_connected wants [N, K] weights: ONNX's B with transB.
  ConstantData scaled = bw;
  if (alpha != 1.0f) {
    if (bw.quant)
      return error(loc) << "alpha must be 1 with quantized B";
    for (float &v : scaled.floats)
      v *= alpha;
  }
  std::vector<int64_t> src(n * k);
  for (int64_t o = 0; o < n; ++o)
    for (int64_t i = 0; i < k; ++i)
      src[o * k + i] = transB ? o * k + i : i * n + o;
  // B's output channels are its axis 0 with transB, else axis 1.
  FailureOr<Value> weightValue =
      weights(scaled, {n, k}, src, transB ? 0 : 1, 0, node.input(1), loc);
  if (failed(weightValue))
    return failure();
  Value bias;
  if (node.input_size() > 2 && !node.input(2).empty()) {
    auto cIt = constants.find(node.input(2));
    if (cIt == constants.end() || !cIt->second.isFloat ||
        (product(cIt->second.shape) != n && product(cIt->second.shape) != 1))
      return error(loc) << "C must be a constant of " << n
                        << " values (one per output) or a scalar";
    if (cIt->second.quant) {
      // A dequantized int32 bias stays exact (qnt-fuse-qdq).
      if (beta != 1.0f || product(cIt->second.shape) != n)
        return error(loc) << "a quantized C needs beta = 1 and " << n
                          << " values";
      bias = materialize(node.input(2), loc);
    } else {
      std::vector<float> c = cIt->second.floats;
      if (c.size() == 1)
        c.assign(n, c[0]); // broadcast to every output
      for (float &v : c)
        v *= beta;
      bias = constant({n}, c, node.input(2));
    }
  }
  int64_t m = typeOf(a->value).getDimSize(0);
  Value result = qnt::FullyConnectedOp::create(b, loc, f32({m, n}), a->value,
                                               *weightValue, bias);
  define(node, Tensor{result, false});
  return success();
}

LogicalResult Importer::matmul(const onnx::NodeProto &node, Location loc) {
  std::optional<Tensor> a = input(node, 0);
  if (!a)
    return error(loc) << "unknown input";
  auto bIt = constants.find(node.input(1));
  FailureOr<Tensor> result =
      bIt != constants.end() && bIt->second.isFloat
          ? matmulWith(node, loc, *a, &bIt->second, Value())
          : matmulWith(node, loc, *a, nullptr,
                       input(node, 1) ? input(node, 1)->value : Value());
  if (failed(result))
    return failure();
  define(node, *result);
  return success();
}

FailureOr<Tensor> Importer::matmulWith(const onnx::NodeProto &node,
                                       Location loc, const Tensor &a,
                                       const ConstantData *bConst,
                                       Value bValue) {
  Value lhs = asNchw(a, loc);
  auto lhsShape = typeOf(lhs).getShape();
  int64_t rank = lhsShape.size();
  if (bConst && bConst->shape.size() == 2 && rank == 2) {
    // A constant 2-D right-hand side is a fully connected layer.
    int64_t k = bConst->shape[0], n = bConst->shape[1];
    if (lhsShape[1] != k)
      return error(loc) << "inner dimensions differ";
    std::vector<int64_t> src(n * k);
    for (int64_t o = 0; o < n; ++o)
      for (int64_t i = 0; i < k; ++i)
        src[o * k + i] = i * n + o;
    FailureOr<Value> weightValue = weights(*bConst, {n, k}, src, /*onnxAxis=*/1,
                                           /*axis=*/0, node.input(1), loc);
    if (failed(weightValue))
      return failure();
    return Tensor{qnt::FullyConnectedOp::create(b, loc, f32({lhsShape[0], n}),
                                                lhs, *weightValue, Value())
                      .getResult(),
                  false};
  }
  Value rhs = bConst ? valueOf(*bConst, "rhs", loc) : bValue;
  if (!rhs)
    return error(loc) << "unknown input '" << node.input(1) << "'";
  auto rhsShape = typeOf(rhs).getShape();
  // Same rank, same batch dimensions, no broadcasting (qnt.matmul).
  if (rank < 2 || static_cast<int64_t>(rhsShape.size()) != rank ||
      lhsShape.drop_back(2) != rhsShape.drop_back(2) ||
      lhsShape[rank - 1] != rhsShape[rank - 2])
    return error(loc) << "operands do not match (same rank of at least 2, "
                         "same batch dimensions, no broadcasting)";
  SmallVector<int64_t> shape(lhsShape);
  shape[rank - 1] = rhsShape[rank - 1];
  return Tensor{qnt::MatMulOp::create(b, loc, f32(shape), lhs, rhs).getResult(),
                false};
}

LogicalResult Importer::batchNorm(const onnx::NodeProto &node, Location loc) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return error(loc) << "unknown input";
  if (intAttr(node, "training_mode", 0) != 0)
    return error(loc) << "training_mode=1 is not "
                         "supported (export the model for inference)";
  int64_t rank = typeOf(x->value).getRank();
  // Channels are dimension 1 in ONNX: last in NHWC (4-D) and in [N, C].
  Value in = rank == 4 ? asNhwc(*x, loc) : x->value;
  if (rank != 4 && rank != 2)
    return error(loc) << "only [N, C] and [N, C, H, W] "
                         "inputs are supported";
  SmallVector<Value> params;
  for (int i = 1; i <= 4; ++i) {
    std::optional<Tensor> p = input(node, i);
    if (!p)
      return error(loc) << "parameter " << i
                        << " is unknown";
    params.push_back(p->value);
  }
  Value result = qnt::BatchNormOp::create(
      b, loc, typeOf(in), in, params[0], params[1], params[2], params[3],
      b.getF32FloatAttr(floatAttr(node, "epsilon", 1e-5f)));
  define(node, Tensor{result, rank == 4});
  return success();
}

/// Add/Mul: layout-neutral when both sides are in the same layout (or one
/// is a scalar); otherwise both go to NCHW.
LogicalResult Importer::binary(const onnx::NodeProto &node, Location loc) {
  std::optional<Tensor> l = input(node, 0), r = input(node, 1);
  if (!l || !r)
    return error(loc) << "unknown operand";
  FailureOr<Tensor> result =
      binaryWith(node, loc, *l, *r, node.op_type() == "Add");
  if (failed(result))
    return failure();
  define(node, *result);
  return success();
}

FailureOr<Tensor> Importer::binaryWith(const onnx::NodeProto &node,
                                       Location loc, const Tensor &lt,
                                       const Tensor &rt, bool isAdd) {
  const Tensor *l = &lt, *r = &rt;
  auto scalar = [&](const Tensor &t) {
    return product(typeOf(t.value).getShape()) == 1;
  };
  bool nhwc = false;
  Value lv = l->value, rv = r->value;
  if (l->nhwc && (r->nhwc || scalar(*r)))
    nhwc = true;
  else if (r->nhwc && scalar(*l))
    nhwc = true;
  else {
    lv = asNchw(*l, loc);
    rv = asNchw(*r, loc);
  }
  // Numpy broadcasting of the result shape.
  auto ls = typeOf(lv).getShape(), rs = typeOf(rv).getShape();
  size_t rank = std::max(ls.size(), rs.size());
  SmallVector<int64_t> shape(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < rank - ls.size() ? 1 : ls[i - (rank - ls.size())];
    int64_t c = i < rank - rs.size() ? 1 : rs[i - (rank - rs.size())];
    if (a != c && a != 1 && c != 1)
      return error(loc) << "shapes do not broadcast";
    shape[i] = std::max(a, c);
  }
  Value result =
      isAdd ? qnt::AddOp::create(b, loc, f32(shape), lv, rv).getResult()
            : qnt::MulOp::create(b, loc, f32(shape), lv, rv).getResult();
  return Tensor{result, nhwc};
}

LogicalResult Importer::reshape(const onnx::NodeProto &node, Location loc,
                                std::vector<int64_t> shape) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return error(loc) << "unknown input";
  Value in = x->value;
  auto inShape = typeOf(in).getShape();
  // NHWC with 1x1 spatial dims flattens like NCHW: no transpose needed.
  bool trivial = x->nhwc && inShape[1] == 1 && inShape[2] == 1;
  if (x->nhwc && !trivial)
    in = asNchw(*x, loc);
  SmallVector<int64_t> nchwShape =
      x->nhwc && trivial ? SmallVector<int64_t>{inShape[0], inShape[3], 1, 1}
                         : SmallVector<int64_t>(typeOf(in).getShape());
  int64_t total = product(nchwShape), known = 1, unknown = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && i < nchwShape.size())
      shape[i] = nchwShape[i];
    if (shape[i] == -1)
      unknown = static_cast<int64_t>(i);
    else
      known *= shape[i];
  }
  if (unknown >= 0 && known > 0)
    shape[unknown] = total / known;
  if (product(shape) != total)
    return error(loc) << "cannot reshape " << total
                      << " elements";
  Value result = qnt::ReshapeOp::create(b, loc, like(in, shape), in);
  define(node, Tensor{result, false});
  return success();
}

LogicalResult Importer::importNode(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  const std::string &op = node.op_type();
  if (op == "Conv")
    return conv(node, loc);
  if (op == "QuantizeLinear")
    return quantizeLinear(node, loc);
  if (op == "DequantizeLinear")
    return dequantizeLinear(node, loc);
  if (op == "QLinearConv" || op == "ConvInteger")
    return qlinearConv(node, loc, op == "ConvInteger");
  if (op == "QLinearMatMul" || op == "MatMulInteger")
    return qlinearMatMul(node, loc, op == "MatMulInteger");
  if (op == "QLinearAdd")
    return qlinearAdd(node, loc);
  if (op == "MaxPool" || op == "AveragePool")
    return pool(node, loc, op == "MaxPool");
  if (op == "Gemm")
    return gemm(node, loc);
  if (op == "MatMul")
    return matmul(node, loc);
  if (op == "BatchNormalization")
    return batchNorm(node, loc);
  if (op == "Add" || op == "Mul")
    return binary(node, loc);
  if (op == "Identity" || op == "Dropout") {
    std::optional<Tensor> x = input(node, 0);
    if (!x)
      return error(loc) << "unknown input";
    define(node, *x);
    return success();
  }
  if (op == "Relu" || op == "Clip") {
    std::optional<Tensor> x = input(node, 0);
    if (!x)
      return error(loc) << "unknown input";
    Type t = x->value.getType();
    Value result;
    if (op == "Relu") {
      result = qnt::ReluOp::create(b, loc, t, x->value);
    } else {
      // Opset >= 11: min and max are optional constant inputs.
      auto bound = [&](int i, double dflt) -> std::optional<double> {
        // Opset 10 and older: attributes.
        if (const auto *a = attr(node, i == 1 ? "min" : "max"))
          return a->f();
        if (i >= node.input_size() || node.input(i).empty())
          return dflt;
        auto it = constants.find(node.input(i));
        if (it == constants.end() || it->second.floats.size() != 1)
          return std::nullopt;
        return it->second.floats[0];
      };
      std::optional<double> lo = bound(1, -INFINITY), hi = bound(2, INFINITY);
      if (!lo || !hi)
        return error(loc) << "min and max must be scalar constants";
      // A missing bound is the largest finite float: qnt.clamp's bounds
      // are finite, and nothing beyond them is a float32 value anyway.
      double big = std::numeric_limits<float>::max();
      if (*lo == 0.0 && *hi == 6.0)
        result = qnt::Relu6Op::create(b, loc, t, x->value);
      else if (*lo == 0.0 && std::isinf(*hi))
        result = qnt::ReluOp::create(b, loc, t, x->value);
      else if (std::isinf(*lo) && std::isinf(*hi) && *lo < 0 && *hi > 0)
        result = x->value; // no bounds: the identity
      else if (std::isnan(*lo) || std::isnan(*hi) || *lo > *hi)
        return error(loc) << "min must not exceed max";
      else
        result = qnt::ClampOp::create(
            b, loc, t, x->value, b.getF64FloatAttr(std::max(*lo, -big)),
            b.getF64FloatAttr(std::min(*hi, big)));
    }
    define(node, Tensor{result, x->nhwc});
    return success();
  }
  if (op == "GlobalAveragePool") {
    std::optional<Tensor> x = input(node, 0);
    if (!x || typeOf(x->value).getRank() != 4)
      return error(loc) << "needs a 4-D input";
    Value in = asNhwc(*x, loc);
    auto t = typeOf(in);
    Value result = qnt::GlobalAvgPoolOp::create(
        b, loc, f32({t.getDimSize(0), 1, 1, t.getDimSize(3)}), in);
    define(node, Tensor{result, true});
    return success();
  }
  if (op == "Flatten") {
    std::optional<Tensor> x = input(node, 0);
    if (!x)
      return error(loc) << "unknown input";
    int64_t axis = intAttr(node, "axis", 1);
    auto shape = typeOf(x->value).getShape();
    int64_t rank = shape.size();
    if (axis < 0)
      axis += rank;
    // Dimensions before `axis` and after it, in ONNX (NCHW) order.
    SmallVector<int64_t> nchw(shape);
    if (x->nhwc)
      nchw = {shape[0], shape[3], shape[1], shape[2]};
    int64_t outer = product(ArrayRef<int64_t>(nchw).take_front(axis));
    return reshape(node, loc, {outer, product(nchw) / outer});
  }
  if (op == "Reshape") {
    auto it = constants.find(node.input_size() > 1 ? node.input(1) : "");
    if (it == constants.end() || it->second.isFloat)
      return error(loc) << "the shape must be a constant";
    return reshape(node, loc, it->second.ints);
  }
  if (op == "Softmax" || op == "Concat" || op == "Transpose") {
    std::vector<Tensor> ins;
    for (int i = 0; i < node.input_size(); ++i) {
      std::optional<Tensor> t = input(node, i);
      if (!t)
        return error(loc) << "unknown input '" << node.input(i) << "'";
      ins.push_back(*t);
    }
    bool nhwc = llvm::all_of(ins, [](const Tensor &t) { return t.nhwc; });
    int64_t rank = typeOf(ins[0].value).getRank();
    if (op == "Transpose") {
      Value in = asNchw(ins[0], loc);
      std::vector<int64_t> perm = intsAttr(node, "perm", {});
      if (perm.empty())
        for (int64_t i = rank - 1; i >= 0; --i)
          perm.push_back(i);
      define(node, Tensor{permute(in, perm, loc), false});
      return success();
    }
    int64_t dflt = op == "Softmax" && rank == 2 ? 1 : -1;
    int64_t axis = intAttr(node, "axis", op == "Softmax" ? dflt : 0);
    if (axis < 0)
      axis += rank;
    // NHWC dimension j holds NCHW dimension kToNhwc[j].
    int64_t mapped = axis;
    if (nhwc && rank == 4)
      mapped = llvm::find(ArrayRef<int64_t>(kToNhwc), axis) -
               ArrayRef<int64_t>(kToNhwc).begin();
    SmallVector<Value> operands;
    for (const Tensor &t : ins)
      operands.push_back(nhwc ? t.value : asNchw(t, loc));
    if (op == "Softmax") {
      Value result = qnt::SoftmaxOp::create(b, loc, operands[0].getType(),
                                            operands[0],
                                            b.getI64IntegerAttr(mapped));
      define(node, Tensor{result, nhwc && rank == 4});
      return success();
    }
    SmallVector<int64_t> shape(typeOf(operands[0]).getShape());
    shape[mapped] = 0;
    for (Value v : operands)
      shape[mapped] += typeOf(v).getDimSize(mapped);
    Value result = qnt::ConcatOp::create(b, loc, like(operands[0], shape),
                                         operands, b.getI64IntegerAttr(mapped));
    define(node, Tensor{result, nhwc && rank == 4});
    return success();
  }
  if (op == "Cast") {
    // Constants are folded (to float or to integers); float activations
    // cast to float are unchanged.
    int64_t to = intAttr(node, "to", 0);
    auto cIt = constants.find(node.input(0));
    if (cIt != constants.end()) {
      ConstantData data = cIt->second;
      if (to == onnx::TensorProto::FLOAT && !data.isFloat) {
        for (int64_t v : data.ints)
          data.floats.push_back(static_cast<float>(v));
        data.isFloat = true;
      } else if ((to == onnx::TensorProto::INT64 ||
                  to == onnx::TensorProto::INT32) && data.isFloat) {
        for (float v : data.floats)
          data.ints.push_back(static_cast<int64_t>(v));
        data.isFloat = false;
      } else if (to != onnx::TensorProto::FLOAT &&
                 to != onnx::TensorProto::DOUBLE &&
                 to != onnx::TensorProto::INT64 &&
                 to != onnx::TensorProto::INT32) {
        return error(loc) << "cast to ONNX type " << to << " is not supported";
      }
      constants[node.output(0)] = data;
      return success();
    }
    std::optional<Tensor> x = input(node, 0);
    if (!x || (to != onnx::TensorProto::FLOAT))
      return error(loc) << "only casts of float activations to float are "
                           "supported";
    define(node, *x);
    return success();
  }
  if (op == "Pad") {
    std::optional<Tensor> x = input(node, 0);
    if (!x)
      return error(loc) << "unknown input";
    if (stringAttr(node, "mode", "constant") != "constant")
      return error(loc) << "only mode=constant is supported";
    std::vector<int64_t> pads = intsAttr(node, "pads", {});
    if (node.input_size() > 1 && !node.input(1).empty()) {
      auto it = constants.find(node.input(1));
      if (it == constants.end() || it->second.isFloat)
        return error(loc) << "pads must be a constant";
      pads = it->second.ints;
    }
    float padValue = floatAttr(node, "value", 0.0f);
    if (node.input_size() > 2 && !node.input(2).empty()) {
      auto it = constants.find(node.input(2));
      if (it == constants.end() || it->second.floats.size() != 1)
        return error(loc) << "the pad value must be a scalar constant";
      padValue = it->second.floats[0];
    }
    int64_t rank = typeOf(x->value).getRank();
    if (static_cast<int64_t>(pads.size()) != 2 * rank ||
        llvm::any_of(pads, [](int64_t p) { return p < 0; }))
      return error(loc) << "pads must hold " << 2 * rank
                        << " non-negative values";
    // ONNX [b0, b1, ..., e0, e1, ...] in ONNX's dimension order; qnt
    // [d0_low, d0_high, ...] in the value's order.
    SmallVector<int64_t> padding, shape;
    auto inShape = typeOf(x->value).getShape();
    for (int64_t d = 0; d < rank; ++d) {
      int64_t onnxDim = x->nhwc ? kToNhwc[d] : d;
      padding.push_back(pads[onnxDim]);
      padding.push_back(pads[onnxDim + rank]);
      shape.push_back(inShape[d] + pads[onnxDim] + pads[onnxDim + rank]);
    }
    Value result = qnt::PadOp::create(b, loc, f32(shape), x->value,
                                      b.getDenseI64ArrayAttr(padding),
                                      b.getF64FloatAttr(padValue));
    define(node, Tensor{result, x->nhwc});
    return success();
  }
  if (op == "Constant") {
    const auto *value = attr(node, "value");
    if (!value || !value->has_t())
      return error(loc) << "only the 'value' tensor form is supported";
    ConstantData data;
    if (!readTensor(value->t(), data, loc))
      return failure();
    constants[node.output(0)] = data;
    return success();
  }
  return error(loc) << "unsupported ONNX operator";
}

OwningOpRef<ModuleOp> Importer::run(const onnx::ModelProto &model) {
  // Opset of the default domain.
  int64_t opset = -1;
  for (const auto &o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset = o.version();
  if (opset < kMinOpset || opset > kMaxOpset) {
    emitError(fileLoc) << "ONNX opset " << opset << " is not supported (opsets "
                       << kMinOpset << " to " << kMaxOpset << " are)";
    return nullptr;
  }
  const onnx::GraphProto &graph = model.graph();
  for (const auto &t : graph.initializer()) {
    ConstantData data;
    if (!readTensor(t, data, fileLoc))
      return nullptr;
    constants[t.name()] = std::move(data);
  }

  // Arguments: graph inputs that are not initializers, all float tensors
  // with static (or given) shapes.
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const auto &in : graph.input()) {
    if (constants.count(in.name()))
      continue;
    const auto &tt = in.type().tensor_type();
    bool isInteger = tt.elem_type() == onnx::TensorProto::UINT8 ||
                     tt.elem_type() == onnx::TensorProto::INT8 ||
                     tt.elem_type() == onnx::TensorProto::INT32;
    if (!in.type().has_tensor_type() ||
        (tt.elem_type() != onnx::TensorProto::FLOAT && !isInteger)) {
      emitError(fileLoc) << "input '" << in.name()
                         << "' is not a float, uint8, int8 or int32 tensor";
      return nullptr;
    }
    std::vector<int64_t> shape;
    auto given = options.inputShapes.find(in.name());
    if (given != options.inputShapes.end()) {
      shape = given->second;
    } else {
      for (const auto &d : tt.shape().dim()) {
        if (!d.has_dim_value() || d.dim_value() <= 0) {
          emitError(fileLoc)
              << "input '" << in.name()
              << "' has a dynamic dimension; give its shape with "
                 "--input-shape "
              << in.name() << "=1x3x32x32 (for example)";
          return nullptr;
        }
        shape.push_back(d.dim_value());
      }
    }
    if (isInteger) {
      // Quantized data: its parameters come from the node that reads it.
      Type type = integerInputType(graph, in, shape);
      if (!type)
        return nullptr;
      argTypes.push_back(type);
    } else {
      argTypes.push_back(f32(shape));
    }
    argNames.push_back(in.name());
  }

  b.setInsertionPointToEnd(module->getBody());
  auto fn = func::FuncOp::create(b, fileLoc, "main",
                                 b.getFunctionType(argTypes, {}));
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  for (auto [i, name] : llvm::enumerate(argNames)) {
    fn.setArgAttr(i, "qnt.name", b.getStringAttr(name));
    values[name] = Tensor{entry->getArgument(i), false};
  }

  // Nodes in order (ONNX graphs are topologically sorted); every
  // unsupported or malformed node is reported, then the import fails.
  for (const auto &node : graph.node()) {
    // QLinearAdd is one of ONNX Runtime's quantized contrib operators.
    bool contrib =
        node.domain() == "com.microsoft" && node.op_type() == "QLinearAdd";
    if (!node.domain().empty() && node.domain() != "ai.onnx" && !contrib) {
      current = &node;
      error(nodeLoc(node)) << "operator of domain '" << node.domain()
                           << "' is not supported";
      current = nullptr;
      for (const std::string &out : node.output())
        poisoned.insert(out);
      continue;
    }
    if (node.output_size() < 1)
      continue;
    // A node fed by a failed one is not reported again.
    if (llvm::any_of(node.input(), [&](const std::string &in) {
          return poisoned.count(in) > 0;
        })) {
      for (const std::string &out : node.output())
        poisoned.insert(out);
      continue;
    }
    current = &node;
    if (failed(importNode(node)))
      for (const std::string &out : node.output())
        poisoned.insert(out);
    current = nullptr;
  }
  if (failedAny) {
    emitError(fileLoc) << "the model cannot be imported (see the errors above)";
    return nullptr;
  }

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const auto &out : graph.output()) {
    auto it = values.find(out.name());
    Value v = it != values.end() ? asNchw(it->second, fileLoc)
                                 : materialize(out.name(), fileLoc);
    if (!v) {
      // Say which node makes it, if one does (a second output such as
      // Dropout's mask or MaxPool's indices).
      for (const auto &node : graph.node())
        for (int i = 1; i < node.output_size(); ++i)
          if (node.output(i) == out.name()) {
            emitError(fileLoc)
                << "graph output '" << out.name() << "' is output " << i
                << " of node '"
                << (node.name().empty() ? node.output(0) : node.name())
                << "' (" << node.op_type()
                << "), which the importer does not produce";
            return nullptr;
          }
      emitError(fileLoc) << "graph output '" << out.name()
                         << "' is not computed by any node";
      return nullptr;
    }
    results.push_back(v);
    resultTypes.push_back(v.getType());
  }
  func::ReturnOp::create(b, fileLoc, results);
  fn.setFunctionType(b.getFunctionType(argTypes, resultTypes));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    fn.setResultAttr(i, "qnt.name", b.getStringAttr(out.name()));
  if (quantizedModel && failed(finishQuantizedModel(*module)))
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> qc::importOnnxBytes(StringRef bytes, StringRef name,
                                          MLIRContext *context,
                                          const OnnxImportOptions &options) {
  context->loadDialect<qnt::QntDialect, func::FuncDialect,
                       arith::ArithDialect>();
  onnx::ModelProto model;
  if (bytes.empty() ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      !model.has_graph()) {
    emitError(FileLineColLoc::get(context, name, 0, 0))
        << "not a readable ONNX model (truncated, or not an ONNX file)";
    return nullptr;
  }
  return Importer(context, name, options).run(model);
}

void qc::registerOnnxImport() {
  static llvm::cl::list<std::string> inputShapes(
      "input-shape",
      llvm::cl::desc("With --import-onnx: NAME=1x3x32x32 fixes the shape of an "
                     "input with dynamic dimensions (repeatable)"));
  TranslateToMLIRRegistration registration(
      "import-onnx",
      "Import an ONNX model (opsets 10-17; float, QDQ or QLinear*) as qnt "
      "graph ops",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        OnnxImportOptions options;
        for (const std::string &spec : inputShapes) {
          StringRef text(spec);
          auto [inputName, dims] = text.split('=');
          std::vector<int64_t> shape;
          SmallVector<StringRef> parts;
          dims.split(parts, 'x');
          bool ok = !inputName.empty() && !dims.empty();
          for (StringRef p : parts) {
            int64_t v;
            ok &= !p.getAsInteger(10, v) && v > 0;
            shape.push_back(v);
          }
          if (!ok) {
            emitError(UnknownLoc::get(context))
                << "--input-shape '" << spec
                << "' is not NAME=D0xD1x... with positive sizes";
            return nullptr;
          }
          options.inputShapes[inputName.str()] = shape;
        }
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        OwningOpRef<ModuleOp> module =
            importOnnxBytes(buffer->getBuffer(), buffer->getBufferIdentifier(),
                            context, options);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerQuantDialects(registry); });
}
