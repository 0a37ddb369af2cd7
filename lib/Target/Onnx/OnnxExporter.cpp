//===- OnnxExporter.cpp - qnt models as ONNX QDQ models -------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Writes a function of qnt graph ops as an ONNX model (opset 13) with the
// protobuf classes of Debian's libonnx, in the QDQ form that ONNX Runtime
// and other runtimes recognise (docs/onnx-export.md):
//
//   quantized op  ->  DequantizeLinear on each quantized operand,
//                     the float ONNX op,
//                     QuantizeLinear to the result's scale and zero point
//
// Quantized tensors travel between nodes as their storage integers (int8,
// uint8; int32 for biases), with our scales (as float32) and zero points.
// Constant weights become integer initializers with per-channel scales;
// float ops and float constants are exported as they are.
//
// Layout: every exported value carries a permutation `perm` with ONNX
// dimension j = our dimension perm[j]. A consumer asks for its operands in
// the layout it needs (NCHW for convolutions and pools, our own order for
// reshapes and the function's results) and a Transpose is emitted only
// when the value is held in another one; qnt.transpose itself emits no
// node, it only changes the permutation. So the NCHW -> NHWC -> NCHW edge
// transposes of an imported model disappear, and NHWC values are NCHW
// tensors in the ONNX model. Constants are written directly in the layout
// their consumer asks for (OHWI weights as OIHW).
//
//===----------------------------------------------------------------------===//

#include "qc/Target/Onnx/OnnxExporter.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Utils/Constants.h"
#include "qc/Pipelines/Registration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/CommandLine.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <map>
#include <numeric>

using namespace mlir;
using namespace qc;
using qnt::UniformType;

namespace {

constexpr int64_t kOpset = 13;
constexpr int64_t kIrVersion = 7; // the IR version of opset 13

using Perm = SmallVector<int64_t, 4>;

Perm identity(int64_t rank) {
  Perm p(rank);
  std::iota(p.begin(), p.end(), 0);
  return p;
}
/// NHWC values as NCHW tensors: ONNX dimension j is our dimension kNchw[j].
const Perm kNchw = {0, 3, 1, 2};

Perm inverse(ArrayRef<int64_t> p) {
  Perm inv(p.size());
  for (size_t j = 0; j < p.size(); ++j)
    inv[p[j]] = j;
  return inv;
}

/// The ONNX dimension that holds our dimension `axis` under `perm`.
int64_t onnxAxis(ArrayRef<int64_t> perm, int64_t axis) {
  return llvm::find(perm, axis) - perm.begin();
}

SmallVector<int64_t> permuteShape(ArrayRef<int64_t> shape,
                                  ArrayRef<int64_t> perm) {
  SmallVector<int64_t> out;
  for (int64_t p : perm)
    out.push_back(shape[p]);
  return out;
}

/// Elements of a row-major tensor of `shape`, re-laid out so that
/// dimension j of the result is dimension perm[j] of the input.
template <typename T>
std::vector<T> permuteData(ArrayRef<T> data, ArrayRef<int64_t> shape,
                           ArrayRef<int64_t> perm) {
  int64_t rank = shape.size();
  if (rank == 0 || llvm::equal(perm, identity(rank)))
    return std::vector<T>(data.begin(), data.end());
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  SmallVector<int64_t> outShape = permuteShape(shape, perm);
  std::vector<T> out(data.size());
  SmallVector<int64_t> index(rank, 0);
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t src = 0;
    for (int64_t j = 0; j < rank; ++j)
      src += index[j] * strides[perm[j]];
    out[i] = data[src];
    for (int64_t j = rank - 1; j >= 0; --j) {
      if (++index[j] < outShape[j])
        break;
      index[j] = 0;
    }
  }
  return out;
}

/// True when the elements of a value of `shape` held under `perm` are in
/// our row-major order already: only dimensions of size 1 moved. Such a
/// tensor reshapes without a Transpose.
bool keepsElementOrder(ArrayRef<int64_t> shape, ArrayRef<int64_t> perm) {
  int64_t last = -1;
  for (int64_t p : perm) {
    if (shape[p] == 1)
      continue;
    if (p < last)
      return false;
    last = p;
  }
  return true;
}

RankedTensorType tensorType(Value v) {
  return dyn_cast<RankedTensorType>(v.getType());
}
UniformType quantType(Value v) {
  return qnt::getUniformElementType(v.getType());
}

/// The data of a constant operand: a float constant, or the storage
/// integers of a qnt.storage_cast of an integer constant.
struct ConstantData {
  SmallVector<int64_t> shape;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  UniformType type; // set for quantized constants
};

/// Storage integers of an integer elements attribute, read with the
/// signedness of the quantized type they stand for (u8 storage is kept in
/// signless i8 constants).
std::optional<std::vector<int64_t>> readStorage(ElementsAttr attr,
                                                UniformType q) {
  auto type = attr.getShapedType();
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  if (!intType || !type.hasStaticShape() ||
      intType.getWidth() != q.getStorageWidth())
    return std::nullopt;
  int64_t count = type.getNumElements();
  unsigned width = intType.getWidth();
  bool isSigned = q.isSigned();
  std::vector<int64_t> out;
  out.reserve(count);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || (width != 8 && width != 16 && width != 32))
      return std::nullopt;
    ArrayRef<char> bytes = blob->getData();
    size_t size = width / 8;
    if (bytes.size() != count * size)
      return std::nullopt;
    for (int64_t i = 0; i < count; ++i) {
      const char *p = bytes.data() + i * size;
      if (width == 8) {
        uint8_t v;
        std::memcpy(&v, p, 1);
        out.push_back(isSigned ? int64_t(int8_t(v)) : int64_t(v));
      } else if (width == 16) {
        uint16_t v;
        std::memcpy(&v, p, 2);
        out.push_back(isSigned ? int64_t(int16_t(v)) : int64_t(v));
      } else {
        uint32_t v;
        std::memcpy(&v, p, 4);
        out.push_back(isSigned ? int64_t(int32_t(v)) : int64_t(v));
      }
    }
    return out;
  }
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  for (const APInt &v : dense.getValues<APInt>())
    out.push_back(isSigned ? v.getSExtValue()
                           : static_cast<int64_t>(v.getZExtValue()));
  if (static_cast<int64_t>(out.size()) != count)
    return std::nullopt;
  return out;
}

std::optional<ConstantData> constantData(Value v) {
  auto type = tensorType(v);
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  ConstantData data;
  data.shape.assign(type.getShape().begin(), type.getShape().end());
  if (auto cast = v.getDefiningOp<qnt::StorageCastOp>()) {
    UniformType q = quantType(v);
    ElementsAttr attr = qnt::getConstantElements(cast.getInput());
    if (!q || !attr)
      return std::nullopt;
    std::optional<std::vector<int64_t>> ints = readStorage(attr, q);
    if (!ints)
      return std::nullopt;
    data.ints = std::move(*ints);
    data.type = q;
    return data;
  }
  std::optional<std::vector<float>> floats = qnt::readF32Constant(v);
  if (!floats)
    return std::nullopt;
  data.floats = std::move(*floats);
  return data;
}

bool isConstant(Value v) {
  if (auto cast = v.getDefiningOp<qnt::StorageCastOp>())
    return quantType(v) && qnt::getConstantElements(cast.getInput());
  return qnt::isF32Constant(v);
}

/// A value of the ONNX graph: its tensor name and layout.
struct Exported {
  std::string name;
  Perm perm;
};

class Exporter {
public:
  explicit Exporter(const OnnxExportOptions &options) : options(options) {}

  LogicalResult run(func::FuncOp fn, std::string &bytes);

private:
  const OnnxExportOptions &options;
  onnx::ModelProto model;
  onnx::GraphProto *graph = nullptr;
  llvm::StringSet<> used;
  llvm::DenseMap<Value, Exported> values;
  /// Tensors already made for (value, layout): transposes and constants.
  std::map<std::pair<const void *, std::vector<int64_t>>, std::string> layouts;
  /// Scale and zero-point initializers by content.
  std::map<std::string, std::string> params;
  /// The base name of the op being exported (e.g. "conv2d_3").
  std::string base;
  bool failedAny = false;

  std::string unique(StringRef name);
  InFlightDiagnostic error(Operation *op) {
    failedAny = true;
    return op->emitError() << "cannot export '" << op->getName()
                           << "' to ONNX: ";
  }

  // --- graph building -------------------------------------------------------
  onnx::NodeProto *node(StringRef opType, ArrayRef<std::string> inputs,
                        ArrayRef<std::string> outputs);
  static void attr(onnx::NodeProto *n, StringRef name, int64_t v);
  static void attr(onnx::NodeProto *n, StringRef name, ArrayRef<int64_t> v);
  static void attr(onnx::NodeProto *n, StringRef name, float v);
  std::string initializer(StringRef name, int dtype, ArrayRef<int64_t> dims,
                          const void *data, size_t bytes);
  std::string floatScalar(StringRef name, float v) {
    return initializer(name, onnx::TensorProto::FLOAT, {}, &v, sizeof v);
  }
  std::string int64s(StringRef name, ArrayRef<int64_t> v) {
    return initializer(name, onnx::TensorProto::INT64,
                       {static_cast<int64_t>(v.size())}, v.data(),
                       v.size() * sizeof(int64_t));
  }
  std::string sharedInitializer(StringRef name, int dtype,
                                ArrayRef<int64_t> dims,
                                const std::string &bytes);
  void valueInfo(onnx::ValueInfoProto *info, StringRef name, Type type);

  // --- values ---------------------------------------------------------------
  std::optional<int> dtypeOf(Type element);
  std::optional<std::string> constantTensor(Value v, ArrayRef<int64_t> perm,
                                            Operation *user);
  std::optional<std::string> tensorIn(Value v, ArrayRef<int64_t> perm,
                                      Operation *user);
  std::optional<std::string> floatIn(Value v, ArrayRef<int64_t> perm,
                                     Operation *user);
  LogicalResult defineFloat(Value result, const std::string &floatName,
                            ArrayRef<int64_t> perm, Operation *op);
  struct QParams {
    std::string scale, zeroPoint;
    std::optional<int64_t> axis;
  };
  std::optional<QParams> qparams(UniformType q, ArrayRef<int64_t> perm,
                                 StringRef tensor, Operation *op);
  /// The layout a value is held in (identity for constants).
  Perm layoutOf(Value v) {
    auto it = values.find(v);
    if (it != values.end())
      return it->second.perm;
    return identity(tensorType(v).getRank());
  }

  // --- ops ------------------------------------------------------------------
  LogicalResult exportOp(Operation *op);
  void prune();
  LogicalResult conv(Operation *op, Value input, Value weight, Value bias,
                     ArrayRef<int64_t> weightPerm, ArrayRef<int64_t> strides,
                     ArrayRef<int64_t> dilations, ArrayRef<int64_t> padding,
                     int64_t groups);
  LogicalResult pool(Operation *op, StringRef opType, Value input,
                     ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                     ArrayRef<int64_t> padding,
                     std::optional<bool> countIncludePad);
  LogicalResult unary(Operation *op, StringRef opType, Value input,
                      ArrayRef<std::string> extraInputs = {});
  LogicalResult binary(Operation *op, StringRef opType, Value lhs, Value rhs);
  LogicalResult clip(Operation *op, Value input, float lo, float hi) {
    return unary(
        op, "Clip", input,
        {floatScalar(base + "_min", lo), floatScalar(base + "_max", hi)});
  }
};

std::string Exporter::unique(StringRef name) {
  std::string candidate = name.str();
  for (int i = 1; used.contains(candidate); ++i)
    candidate = (name + "_" + Twine(i)).str();
  used.insert(candidate);
  return candidate;
}

onnx::NodeProto *Exporter::node(StringRef opType, ArrayRef<std::string> inputs,
                                ArrayRef<std::string> outputs) {
  onnx::NodeProto *n = graph->add_node();
  n->set_op_type(opType.str());
  n->set_name(unique((outputs.front() + "/" + opType).str()));
  for (const std::string &in : inputs)
    n->add_input(in);
  for (const std::string &out : outputs)
    n->add_output(out);
  return n;
}

void Exporter::attr(onnx::NodeProto *n, StringRef name, int64_t v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
void Exporter::attr(onnx::NodeProto *n, StringRef name, ArrayRef<int64_t> v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v)
    a->add_ints(x);
}
void Exporter::attr(onnx::NodeProto *n, StringRef name, float v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

std::string Exporter::initializer(StringRef name, int dtype,
                                  ArrayRef<int64_t> dims, const void *data,
                                  size_t bytes) {
  onnx::TensorProto *t = graph->add_initializer();
  std::string unique_ = unique(name);
  t->set_name(unique_);
  t->set_data_type(dtype);
  for (int64_t d : dims)
    t->add_dims(d);
  t->set_raw_data(std::string(static_cast<const char *>(data), bytes));
  return unique_;
}

std::optional<int> Exporter::dtypeOf(Type element) {
  if (element.isF32())
    return onnx::TensorProto::FLOAT;
  if (auto q = dyn_cast<UniformType>(element)) {
    unsigned w = q.getStorageWidth();
    if (w == 8)
      return q.isSigned() ? onnx::TensorProto::INT8 : onnx::TensorProto::UINT8;
    if (w == 32 && q.isSigned())
      return onnx::TensorProto::INT32;
  }
  return std::nullopt;
}

void Exporter::valueInfo(onnx::ValueInfoProto *info, StringRef name,
                         Type type) {
  auto tensor = cast<RankedTensorType>(type);
  info->set_name(name.str());
  auto *tt = info->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(*dtypeOf(tensor.getElementType()));
  auto *shape = tt->mutable_shape();
  for (int64_t d : tensor.getShape())
    shape->add_dim()->set_dim_value(d);
}

/// Integers as the raw data of an int8, uint8 or int32 tensor.
std::string storageBytes(ArrayRef<int64_t> values, int dtype) {
  std::string bytes;
  for (int64_t x : values) {
    if (dtype == onnx::TensorProto::INT32) {
      int32_t w = static_cast<int32_t>(x);
      bytes.append(reinterpret_cast<const char *>(&w), sizeof w);
    } else {
      bytes.push_back(static_cast<char>(static_cast<uint8_t>(x)));
    }
  }
  return bytes;
}

/// An initializer shared by every user of the same content.
std::string Exporter::sharedInitializer(StringRef name, int dtype,
                                        ArrayRef<int64_t> dims,
                                        const std::string &bytes) {
  std::string key =
      std::to_string(dtype) + ":" + std::to_string(dims.size()) + ":" + bytes;
  auto it = params.find(key);
  if (it == params.end())
    it = params
             .emplace(key, initializer(name, dtype, dims, bytes.data(),
                                       bytes.size()))
             .first;
  return it->second;
}

/// Scale and zero-point initializers of `q` for `tensor`, held under `perm`
/// (shared between all tensors with the same parameters).
std::optional<Exporter::QParams> Exporter::qparams(UniformType q,
                                                   ArrayRef<int64_t> perm,
                                                   StringRef tensor,
                                                   Operation *op) {
  if (q.isPerGroup()) {
    error(op) << "per-group quantization has no ONNX opset 13 form";
    return std::nullopt;
  }
  std::optional<int> dtype = dtypeOf(q);
  if (!dtype) {
    error(op) << "storage type " << q.getStorageType()
              << (q.isSigned() ? " (signed)" : " (unsigned)")
              << " has no ONNX opset 13 form (i8, u8 and, for biases, i32 do)";
    return std::nullopt;
  }
  std::vector<float> scales;
  for (double s : q.getScales().asArrayRef()) {
    float f = static_cast<float>(s);
    if (!std::isnormal(f) || f <= 0) {
      error(op) << "scale " << s << " is not a normal positive float32";
      return std::nullopt;
    }
    scales.push_back(f);
  }
  ArrayRef<int64_t> zps = q.getZeroPoints().asArrayRef();
  QParams out;
  std::vector<int64_t> dims;
  if (q.isPerAxis()) {
    out.axis = onnxAxis(perm, q.getAxis());
    dims.push_back(scales.size());
  }
  // Scales: float32; zero points in the storage type.
  std::string scaleBytes(reinterpret_cast<const char *>(scales.data()),
                         scales.size() * sizeof(float));
  out.scale = sharedInitializer((tensor + "_scale").str(),
                                onnx::TensorProto::FLOAT, dims, scaleBytes);
  out.zeroPoint = sharedInitializer((tensor + "_zero_point").str(), *dtype,
                                    dims, storageBytes(zps, *dtype));
  return out;
}

/// A constant as an initializer laid out under `perm`. `perm` may have a
/// higher rank than the constant: it is then broadcast with leading 1s
/// first (a per-channel operand of an elementwise op).
std::optional<std::string>
Exporter::constantTensor(Value v, ArrayRef<int64_t> perm, Operation *user) {
  auto key = std::make_pair(v.getAsOpaquePointer(),
                            std::vector<int64_t>(perm.begin(), perm.end()));
  auto it = layouts.find(key);
  if (it != layouts.end())
    return it->second;
  std::optional<ConstantData> data = constantData(v);
  if (!data) {
    error(user) << "operand is a constant whose data cannot be read";
    return std::nullopt;
  }
  SmallVector<int64_t> shape = data->shape;
  while (shape.size() < perm.size())
    shape.insert(shape.begin(), 1);
  SmallVector<int64_t> dims = permuteShape(shape, perm);
  std::string name =
      qnt::getResourceKey(v.getDefiningOp<qnt::StorageCastOp>()
                              ? v.getDefiningOp<qnt::StorageCastOp>().getInput()
                              : v)
          .str();
  if (name.empty()) {
    // Named after its role: conv2d_3_bias, add_5_operand1, ...
    unsigned index = 0;
    while (index < user->getNumOperands() && user->getOperand(index) != v)
      ++index;
    bool layer =
        isa<qnt::Conv2DOp, qnt::DepthwiseConv2DOp, qnt::FullyConnectedOp>(user);
    name = base + "_" +
           (layer && index == 1   ? std::string("weight")
            : layer && index == 2 ? std::string("bias")
                                  : "operand" + std::to_string(index));
  }
  std::string result;
  if (!data->type) {
    std::vector<float> f = permuteData<float>(data->floats, shape, perm);
    result = initializer(name, onnx::TensorProto::FLOAT, dims, f.data(),
                         f.size() * sizeof(float));
  } else {
    std::optional<int> dtype = dtypeOf(data->type);
    if (!dtype) {
      error(user) << "storage type " << data->type.getStorageType()
                  << " has no ONNX opset 13 form";
      return std::nullopt;
    }
    std::string bytes =
        storageBytes(permuteData<int64_t>(data->ints, shape, perm), *dtype);
    result = initializer(name, *dtype, dims, bytes.data(), bytes.size());
  }
  layouts[key] = result;
  return result;
}

/// The tensor of `v` (storage integers when quantized) laid out under
/// `perm`, transposed if it is held in another layout.
std::optional<std::string> Exporter::tensorIn(Value v, ArrayRef<int64_t> perm,
                                              Operation *user) {
  if (isConstant(v))
    return constantTensor(v, perm, user);
  auto it = values.find(v);
  if (it == values.end()) {
    error(user) << "an operand is not produced by an exported op";
    return std::nullopt;
  }
  const Exported &have = it->second;
  if (have.perm.size() != perm.size()) {
    error(user) << "operand of rank " << have.perm.size()
                << " cannot be broadcast in this layout";
    return std::nullopt;
  }
  if (llvm::equal(have.perm, perm))
    return have.name;
  auto key = std::make_pair(v.getAsOpaquePointer(),
                            std::vector<int64_t>(perm.begin(), perm.end()));
  auto cached = layouts.find(key);
  if (cached != layouts.end())
    return cached->second;
  // ONNX dimension j of the result is dimension t[j] of the held tensor.
  Perm inv = inverse(have.perm), t;
  for (int64_t p : perm)
    t.push_back(inv[p]);
  std::string out = unique(have.name + "_t");
  attr(node("Transpose", {have.name}, {out}), "perm", ArrayRef<int64_t>(t));
  layouts[key] = out;
  return out;
}

/// The float tensor of `v` under `perm`: a DequantizeLinear of its integers
/// when quantized (one per use, as QDQ models have it).
std::optional<std::string> Exporter::floatIn(Value v, ArrayRef<int64_t> perm,
                                             Operation *user) {
  std::optional<std::string> t = tensorIn(v, perm, user);
  UniformType q = quantType(v);
  if (!t || !q)
    return t;
  std::optional<QParams> p = qparams(q, perm, *t, user);
  if (!p)
    return std::nullopt;
  std::string out = unique(*t + "_dq");
  onnx::NodeProto *n =
      node("DequantizeLinear", {*t, p->scale, p->zeroPoint}, {out});
  if (p->axis)
    attr(n, "axis", *p->axis);
  return out;
}

/// Defines `result` as the float tensor `floatName` (held under `perm`),
/// through a QuantizeLinear when `result` is quantized.
LogicalResult Exporter::defineFloat(Value result, const std::string &floatName,
                                    ArrayRef<int64_t> perm, Operation *op) {
  UniformType q = quantType(result);
  if (!q) {
    values[result] = Exported{floatName, Perm(perm)};
    return success();
  }
  std::optional<QParams> p = qparams(q, perm, floatName + "_q", op);
  if (!p)
    return failure();
  if (q.getStorageWidth() == 32)
    return error(op) << "a quantized i32 result has no QuantizeLinear form "
                        "in opset 13";
  std::string in = floatName;
  if (q.hasNarrowRange()) {
    // QuantizeLinear saturates to the whole storage type: clip first.
    if (!q.isPerTensor())
      return error(op) << "narrow-range results must be quantized per tensor";
    double s = q.getScale(), z = q.getZeroPoint();
    std::string clipped = unique(floatName + "_narrow");
    node("Clip",
         {floatName,
          floatScalar(base + "_min",
                      static_cast<float>(s * (q.getStorageMin() - z))),
          floatScalar(base + "_max",
                      static_cast<float>(s * (q.getStorageMax() - z)))},
         {clipped});
    in = clipped;
  }
  std::string out = unique(floatName + "_q");
  onnx::NodeProto *n =
      node("QuantizeLinear", {in, p->scale, p->zeroPoint}, {out});
  if (p->axis)
    attr(n, "axis", *p->axis);
  values[result] = Exported{out, Perm(perm)};
  return success();
}

// --- ops ---------------------------------------------------------------------

LogicalResult Exporter::conv(Operation *op, Value input, Value weight,
                             Value bias, ArrayRef<int64_t> weightPerm,
                             ArrayRef<int64_t> strides,
                             ArrayRef<int64_t> dilations,
                             ArrayRef<int64_t> padding, int64_t groups) {
  std::optional<std::string> x = floatIn(input, kNchw, op);
  std::optional<std::string> w = floatIn(weight, weightPerm, op);
  if (!x || !w)
    return failure();
  SmallVector<std::string> inputs = {*x, *w};
  if (bias) {
    std::optional<std::string> b = floatIn(bias, {0}, op);
    if (!b)
      return failure();
    inputs.push_back(*b);
  }
  auto wShape = permuteShape(tensorType(weight).getShape(), weightPerm);
  std::string y = unique(base);
  onnx::NodeProto *n = node("Conv", inputs, {y});
  attr(n, "kernel_shape", ArrayRef<int64_t>{wShape[2], wShape[3]});
  attr(n, "strides", strides);
  attr(n, "dilations", dilations);
  // qnt [top, bottom, left, right] -> ONNX [top, left, bottom, right].
  attr(n, "pads",
       ArrayRef<int64_t>{padding[0], padding[2], padding[1], padding[3]});
  attr(n, "group", groups);
  return defineFloat(op->getResult(0), y, kNchw, op);
}

LogicalResult Exporter::pool(Operation *op, StringRef opType, Value input,
                             ArrayRef<int64_t> kernel,
                             ArrayRef<int64_t> strides,
                             ArrayRef<int64_t> padding,
                             std::optional<bool> countIncludePad) {
  std::optional<std::string> x = floatIn(input, kNchw, op);
  if (!x)
    return failure();
  std::string y = unique(base);
  onnx::NodeProto *n = node(opType, {*x}, {y});
  if (!kernel.empty()) {
    attr(n, "kernel_shape", kernel);
    attr(n, "strides", strides);
    attr(n, "pads",
         ArrayRef<int64_t>{padding[0], padding[2], padding[1], padding[3]});
  }
  if (countIncludePad)
    attr(n, "count_include_pad", int64_t(*countIncludePad));
  return defineFloat(op->getResult(0), y, kNchw, op);
}

/// An elementwise op on one operand, in whatever layout the operand is held.
LogicalResult Exporter::unary(Operation *op, StringRef opType, Value input,
                              ArrayRef<std::string> extraInputs) {
  Perm perm = layoutOf(input);
  std::optional<std::string> x = floatIn(input, perm, op);
  if (!x)
    return failure();
  SmallVector<std::string> inputs = {*x};
  inputs.append(extraInputs.begin(), extraInputs.end());
  std::string y = unique(base);
  node(opType, inputs, {y});
  return defineFloat(op->getResult(0), y, perm, op);
}

/// Add/Mul with numpy broadcasting. Operands of the result's rank share the
/// layout of the first non-constant one; lower-rank constants are broadcast
/// to the full rank first; a lower-rank computed operand makes everything
/// use our own order.
LogicalResult Exporter::binary(Operation *op, StringRef opType, Value lhs,
                               Value rhs) {
  int64_t rank = tensorType(op->getResult(0)).getRank();
  Perm perm = identity(rank);
  bool lowRankComputed = false;
  for (Value v : {lhs, rhs})
    if (!isConstant(v) && tensorType(v).getRank() != rank)
      lowRankComputed = true;
  if (!lowRankComputed)
    for (Value v : {lhs, rhs})
      if (!isConstant(v)) {
        perm = layoutOf(v);
        break;
      }
  SmallVector<std::string> inputs;
  for (Value v : {lhs, rhs}) {
    bool full = tensorType(v).getRank() == rank;
    std::optional<std::string> t =
        floatIn(v,
                full || isConstant(v)
                    ? ArrayRef<int64_t>(perm)
                    : ArrayRef<int64_t>(identity(tensorType(v).getRank())),
                op);
    if (!t)
      return failure();
    inputs.push_back(*t);
  }
  std::string y = unique(base);
  node(opType, inputs, {y});
  return defineFloat(op->getResult(0), y, perm, op);
}

LogicalResult Exporter::exportOp(Operation *op) {
  Value result = op->getNumResults() == 1 ? op->getResult(0) : Value();
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](qnt::Conv2DOp c) {
        return conv(op, c.getInput(), c.getWeight(), c.getBias(), kNchw,
                    c.getStrides(), c.getDilations(), c.getPadding(),
                    static_cast<int64_t>(c.getGroups()));
      })
      .Case([&](qnt::DepthwiseConv2DOp c) {
        // [1, KH, KW, C*M] -> ONNX [C*M, 1, KH, KW], one group per channel.
        return conv(op, c.getInput(), c.getWeight(), c.getBias(),
                    Perm{3, 0, 1, 2}, c.getStrides(), c.getDilations(),
                    c.getPadding(), tensorType(c.getInput()).getDimSize(3));
      })
      .Case([&](qnt::FullyConnectedOp f) -> LogicalResult {
        std::optional<std::string> x = floatIn(f.getInput(), identity(2), op);
        std::optional<std::string> w = floatIn(f.getWeight(), identity(2), op);
        if (!x || !w)
          return failure();
        SmallVector<std::string> inputs = {*x, *w};
        if (f.getBias()) {
          std::optional<std::string> b = floatIn(f.getBias(), {0}, op);
          if (!b)
            return failure();
          inputs.push_back(*b);
        }
        std::string y = unique(base);
        attr(node("Gemm", inputs, {y}), "transB", int64_t(1));
        return defineFloat(result, y, identity(2), op);
      })
      .Case([&](qnt::MatMulOp m) -> LogicalResult {
        Perm perm = identity(tensorType(result).getRank());
        std::optional<std::string> a = floatIn(m.getLhs(), perm, op);
        std::optional<std::string> b = floatIn(m.getRhs(), perm, op);
        if (!a || !b)
          return failure();
        std::string y = unique(base);
        node("MatMul", {*a, *b}, {y});
        return defineFloat(result, y, perm, op);
      })
      .Case([&](qnt::AddOp a) {
        return binary(op, "Add", a.getLhs(), a.getRhs());
      })
      .Case([&](qnt::MulOp m) {
        return binary(op, "Mul", m.getLhs(), m.getRhs());
      })
      .Case([&](qnt::ReluOp r) { return unary(op, "Relu", r.getInput()); })
      .Case([&](qnt::Relu6Op r) { return clip(op, r.getInput(), 0.0f, 6.0f); })
      .Case([&](qnt::ClampOp c) {
        return clip(op, c.getInput(),
                    static_cast<float>(c.getMin().convertToDouble()),
                    static_cast<float>(c.getMax().convertToDouble()));
      })
      .Case([&](qnt::MaxPool2DOp p) {
        return pool(op, "MaxPool", p.getInput(), p.getKernel(), p.getStrides(),
                    p.getPadding(), std::nullopt);
      })
      .Case([&](qnt::AvgPool2DOp p) {
        return pool(op, "AveragePool", p.getInput(), p.getKernel(),
                    p.getStrides(), p.getPadding(), p.getCountIncludePad());
      })
      .Case([&](qnt::GlobalAvgPoolOp p) {
        return pool(op, "GlobalAveragePool", p.getInput(), {}, {}, {},
                    std::nullopt);
      })
      .Case([&](qnt::BatchNormOp bn) -> LogicalResult {
        // Channels are our last dimension, ONNX's dimension 1.
        int64_t rank = tensorType(bn.getInput()).getRank();
        Perm perm;
        if (rank == 4)
          perm = kNchw;
        else if (rank == 2)
          perm = identity(2);
        else
          return error(op) << "only rank 2 and 4 inputs are supported";
        SmallVector<std::string> inputs;
        for (Value v : op->getOperands()) {
          std::optional<std::string> t =
              floatIn(v,
                      v == bn.getInput() ? ArrayRef<int64_t>(perm)
                                         : ArrayRef<int64_t>{0},
                      op);
          if (!t)
            return failure();
          inputs.push_back(*t);
        }
        std::string y = unique(base);
        attr(node("BatchNormalization", inputs, {y}), "epsilon",
             bn.getEpsilon().convertToFloat());
        return defineFloat(result, y, perm, op);
      })
      .Case([&](qnt::PadOp p) -> LogicalResult {
        Perm perm = layoutOf(p.getInput());
        std::optional<std::string> x = floatIn(p.getInput(), perm, op);
        if (!x)
          return failure();
        // ONNX: every dimension's begin, then every end, in ONNX order.
        ArrayRef<int64_t> padding = p.getPadding();
        SmallVector<int64_t> pads(2 * perm.size());
        for (size_t j = 0; j < perm.size(); ++j) {
          pads[j] = padding[2 * perm[j]];
          pads[j + perm.size()] = padding[2 * perm[j] + 1];
        }
        std::string y = unique(base);
        onnx::NodeProto *n = node(
            "Pad",
            {*x, int64s(base + "_pads", pads),
             floatScalar(base + "_value",
                         static_cast<float>(p.getValue().convertToDouble()))},
            {y});
        onnx::AttributeProto *mode = n->add_attribute();
        mode->set_name("mode");
        mode->set_type(onnx::AttributeProto::STRING);
        mode->set_s("constant");
        return defineFloat(result, y, perm, op);
      })
      .Case([&](qnt::ReshapeOp r) -> LogicalResult {
        auto inType = tensorType(r.getInput());
        // Our row-major element order is what reshape keeps: the operand
        // must be in our order (or differ only in where 1s stand).
        Perm have = layoutOf(r.getInput());
        Perm perm = keepsElementOrder(inType.getShape(), have)
                        ? have
                        : identity(inType.getRank());
        bool sameType =
            inType.getElementType() == tensorType(result).getElementType();
        std::optional<std::string> x = sameType
                                           ? tensorIn(r.getInput(), perm, op)
                                           : floatIn(r.getInput(), perm, op);
        if (!x)
          return failure();
        auto shape = tensorType(result).getShape();
        std::string y = unique(base);
        node("Reshape",
             {*x, int64s(base + "_shape", SmallVector<int64_t>(shape))}, {y});
        Perm outPerm = identity(shape.size());
        if (sameType) {
          values[result] = Exported{y, outPerm};
          return success();
        }
        return defineFloat(result, y, outPerm, op);
      })
      .Case([&](qnt::TransposeOp t) -> LogicalResult {
        // No node: the result is the same tensor under another layout.
        // r[i] = in[p[i]], so ONNX dimension j (= in[have[j]]) is
        // r[inverse(p)[have[j]]].
        Perm have = layoutOf(t.getInput());
        Perm invP = inverse(t.getPermutation()), perm;
        for (int64_t h : have)
          perm.push_back(invP[h]);
        Type inElem = tensorType(t.getInput()).getElementType();
        Type outElem = tensorType(result).getElementType();
        bool alias = inElem == outElem &&
                     (!quantType(result) || quantType(result).isPerTensor());
        std::optional<std::string> x = alias ? tensorIn(t.getInput(), have, op)
                                             : floatIn(t.getInput(), have, op);
        if (!x)
          return failure();
        if (alias) {
          values[result] = Exported{*x, perm};
          return success();
        }
        return defineFloat(result, *x, perm, op);
      })
      .Case([&](qnt::ConcatOp c) -> LogicalResult {
        int64_t rank = tensorType(result).getRank();
        Perm perm = identity(rank);
        for (Value v : c.getInputs())
          if (!isConstant(v)) {
            perm = layoutOf(v);
            break;
          }
        SmallVector<std::string> inputs;
        for (Value v : c.getInputs()) {
          std::optional<std::string> x = floatIn(v, perm, op);
          if (!x)
            return failure();
          inputs.push_back(*x);
        }
        std::string y = unique(base);
        attr(node("Concat", inputs, {y}), "axis",
             onnxAxis(perm, static_cast<int64_t>(c.getAxis())));
        return defineFloat(result, y, perm, op);
      })
      .Case([&](qnt::SoftmaxOp s) -> LogicalResult {
        int64_t rank = tensorType(result).getRank();
        int64_t axis = static_cast<int64_t>(s.getAxis());
        if (axis < 0)
          axis += rank;
        Perm perm = layoutOf(s.getInput());
        std::optional<std::string> x = floatIn(s.getInput(), perm, op);
        if (!x)
          return failure();
        std::string y = unique(base);
        attr(node("Softmax", {*x}, {y}), "axis", onnxAxis(perm, axis));
        return defineFloat(result, y, perm, op);
      })
      .Case<qnt::QuantizeOp, qnt::RequantizeOp, qnt::DequantizeOp>(
          [&](Operation *) {
            // DequantizeLinear on the input (when quantized), QuantizeLinear
            // to the result (when quantized).
            Value in = op->getOperand(0);
            Perm perm = layoutOf(in);
            std::optional<std::string> x = floatIn(in, perm, op);
            if (!x)
              return failure();
            return defineFloat(result, *x, perm, op);
          })
      .Case([&](qnt::StorageCastOp c) -> LogicalResult {
        // Quantized values are their storage integers in ONNX; a cast
        // between the two keeps the tensor when the bits mean the same.
        UniformType q = quantType(c.getInput()) ? quantType(c.getInput())
                                                : quantType(result);
        if (!q || !q.isSigned() || q.getStorageWidth() != 8)
          return error(op) << "only casts between i8 storage and signed "
                              "8-bit quantized tensors are supported";
        Perm perm = layoutOf(c.getInput());
        std::optional<std::string> x = tensorIn(c.getInput(), perm, op);
        if (!x)
          return failure();
        values[result] = Exported{*x, perm};
        return success();
      })
      .Default([&](Operation *) {
        return error(op) << "no ONNX form for this op (docs/onnx-export.md "
                            "lists the supported ones; export before "
                            "qnt-lower-to-integer)";
      });
}

/// Drops the nodes and initializers no graph output depends on (e.g. the
/// final DequantizeLinear with --export-onnx-qdq-quantized-outputs, or the
/// results of ops the function computes but does not return).
void Exporter::prune() {
  llvm::StringSet<> live;
  for (const auto &out : graph->output())
    live.insert(out.name());
  // Nodes are in topological order: walk them backwards once.
  std::vector<bool> keep(graph->node_size(), false);
  for (int i = graph->node_size() - 1; i >= 0; --i) {
    const onnx::NodeProto &n = graph->node(i);
    if (llvm::none_of(n.output(),
                      [&](const std::string &o) { return live.contains(o); }))
      continue;
    keep[i] = true;
    for (const std::string &in : n.input())
      live.insert(in);
  }
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  for (int i = 0; i < graph->node_size(); ++i)
    if (keep[i])
      *nodes.Add() = graph->node(i);
  graph->mutable_node()->Swap(&nodes);
  google::protobuf::RepeatedPtrField<onnx::TensorProto> inits;
  for (const auto &t : graph->initializer())
    if (live.contains(t.name()))
      *inits.Add() = t;
  graph->mutable_initializer()->Swap(&inits);
}

LogicalResult Exporter::run(func::FuncOp fn, std::string &bytes) {
  model.set_ir_version(kIrVersion);
  model.set_producer_name("quant");
  model.set_producer_version("0");
  onnx::OperatorSetIdProto *opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpset);
  graph = model.mutable_graph();
  graph->set_name(fn.getName().str());

  auto nameOf = [](DictionaryAttr attrs, StringRef prefix, unsigned i) {
    if (attrs)
      if (auto name = attrs.getAs<StringAttr>("qnt.name"))
        return name.str();
    return (prefix + Twine(i)).str();
  };
  // Graph inputs and outputs keep the function's names; reserve them first.
  SmallVector<std::string> argNames, resultNames;
  for (unsigned i = 0; i < fn.getNumArguments(); ++i)
    argNames.push_back(unique(nameOf(fn.getArgAttrDict(i), "input", i)));
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    resultNames.push_back(unique(nameOf(fn.getResultAttrDict(i), "output", i)));

  for (auto [i, arg] : llvm::enumerate(fn.getArguments())) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.hasStaticShape() || !dtypeOf(type.getElementType()) ||
        (quantType(arg) && quantType(arg).getStorageWidth() != 8)) {
      failedAny = true;
      fn.emitError() << "cannot export argument " << i << " of type "
                     << arg.getType()
                     << " to ONNX (static f32, i8 or u8 tensors are supported)";
      continue;
    }
    valueInfo(graph->add_input(), argNames[i], type);
    values[arg] = Exported{argNames[i], identity(type.getRank())};
  }

  if (!fn.getBody().hasOneBlock()) {
    fn.emitError() << "cannot export a function with control flow to ONNX";
    return failure();
  }
  unsigned index = 0;
  for (Operation &op : fn.getBody().front()) {
    if (isa<func::ReturnOp>(op))
      break;
    // Constants are written where they are used, in the layout wanted.
    if (op.getNumResults() == 1 && isConstant(op.getResult(0)))
      continue;
    if (op.hasTrait<OpTrait::ConstantLike>())
      continue;
    // An op fed by a failed one is not reported again.
    if (llvm::any_of(
            op.getOperands(),
            [&](Value v) { return !isConstant(v) && !values.count(v); }) &&
        failedAny)
      continue;
    base = (op.getName().stripDialect() + "_" + Twine(index++)).str();
    if (failed(exportOp(&op)))
      failedAny = true;
  }
  if (failedAny)
    return failure();

  auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  base = "output";
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    Value out = v;
    if (options.quantizedOutputs)
      if (auto dq = out.getDefiningOp<qnt::DequantizeOp>())
        out = dq.getInput();
    auto type = tensorType(out);
    if (!type || !dtypeOf(type.getElementType()))
      return ret.emitError() << "cannot export result " << i << " of type "
                             << out.getType() << " to ONNX";
    std::optional<std::string> t = tensorIn(out, identity(type.getRank()), ret);
    if (!t)
      return failure();
    node("Identity", {*t}, {resultNames[i]});
    valueInfo(graph->add_output(), resultNames[i], type);
  }
  prune();
  if (!model.SerializeToString(&bytes))
    return fn.emitError() << "the ONNX model could not be serialized";
  return success();
}

} // namespace

LogicalResult qc::exportOnnxQdq(ModuleOp module, raw_ostream &os,
                                const OnnxExportOptions &options) {
  func::FuncOp fn;
  if (!options.entry.empty()) {
    fn = module.lookupSymbol<func::FuncOp>(options.entry);
    if (!fn)
      return module.emitError() << "no function @" << options.entry;
  } else if (!(fn = module.lookupSymbol<func::FuncOp>("main"))) {
    SmallVector<func::FuncOp> functions;
    for (auto f : module.getOps<func::FuncOp>())
      if (!f.isExternal())
        functions.push_back(f);
    if (functions.size() != 1)
      return module.emitError()
             << "no @main and not exactly one function: name the one to "
                "export with --export-onnx-entry";
    fn = functions.front();
  }
  std::string bytes;
  if (failed(Exporter(options).run(fn, bytes)))
    return failure();
  os << bytes;
  return success();
}

void qc::registerOnnxExport() {
  static llvm::cl::opt<bool> quantizedOutputs(
      "export-onnx-qdq-quantized-outputs",
      llvm::cl::desc("With --export-onnx-qdq: results made by qnt.dequantize "
                     "are returned as their integers (int8/uint8), without "
                     "the final DequantizeLinear"),
      llvm::cl::init(false));
  static llvm::cl::opt<std::string> entry(
      "export-onnx-entry",
      llvm::cl::desc("With --export-onnx-qdq: the function to export "
                     "(default: @main, or the only function)"),
      llvm::cl::init(""));
  TranslateFromMLIRRegistration registration(
      "export-onnx-qdq", "Export a qnt model as an ONNX QDQ model (opset 13)",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a module");
        OnnxExportOptions options;
        options.quantizedOutputs = quantizedOutputs;
        options.entry = entry;
        return exportOnnxQdq(module, os, options);
      },
      [](DialectRegistry &registry) { registerQuantDialects(registry); });
}
