//===- Importer.h - The ONNX importer's state (internal) ----------*- C++
//-*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Shared by the importer's source files: OnnxImporter.cpp (the graph, float
// nodes, layout) and QuantizedNodes.cpp (QuantizeLinear, DequantizeLinear,
// QLinear* and *Integer nodes). Not installed.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_TARGET_ONNX_IMPORTER_H
#define QC_LIB_TARGET_ONNX_IMPORTER_H

#include "qc/Target/Onnx/OnnxImporter.h"

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Utils/Constants.h"

#include "mlir/IR/Builders.h"

#include <onnx/onnx_pb.h>

#include <map>
#include <optional>
#include <set>

namespace qc::onnx_import {

using namespace mlir;

inline constexpr int64_t kMinOpset = 10, kMaxOpset = 17;

/// A value of the graph, with the layout its 4-D data is in.
struct Tensor {
  Value value;
  bool nhwc = false; // 4-D data permuted from ONNX's NCHW to NHWC
};

/// Quantization parameters that a QuantizeLinear, DequantizeLinear,
/// QLinear* or *Integer node gives a tensor, in ONNX's terms.
struct QuantSpec {
  IntegerType storage;             ///< ui8, i8 or i32 (signless = signed)
  std::vector<double> scales;      ///< float32 values
  std::vector<int64_t> zeroPoints; ///< as many as scales
  int64_t axis = -1;               ///< ONNX (NCHW) axis; -1: per tensor
};

/// A constant's data (initializers and Constant nodes), kept on the side
/// so that weights can be re-laid out at import time.
struct ConstantData {
  std::vector<int64_t> shape;
  std::vector<float> floats; // float tensors
  std::vector<int64_t> ints; // integer tensors (shapes, axes, weights)
  bool isFloat = false;
  int32_t dtype = 0; // onnx::TensorProto data type
  /// Set by DequantizeLinear of an integer constant: `ints` are the stored
  /// values, `floats` their dequantized reals (isFloat is true, so float
  /// consumers work unchanged), and layers keep the integers exactly.
  std::optional<QuantSpec> quant;
};

inline int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// The NCHW -> NHWC permutation and its inverse.
inline constexpr int64_t kToNhwc[4] = {0, 2, 3, 1};
inline constexpr int64_t kToNchw[4] = {0, 3, 1, 2};

class Importer {
public:
  Importer(MLIRContext *ctx, StringRef file, const OnnxImportOptions &options)
      : b(ctx), fileLoc(FileLineColLoc::get(ctx, file, 0, 0)),
        options(options) {}

  OwningOpRef<ModuleOp> run(const onnx::ModelProto &model);

private:
  OpBuilder b;
  Location fileLoc;
  const OnnxImportOptions &options;
  std::map<std::string, Tensor> values;
  std::map<std::string, ConstantData> constants;
  bool failedAny = false;

  /// The node being imported, named in every error about it.
  const onnx::NodeProto *current = nullptr;
  std::set<std::string> poisoned; // outputs of nodes that failed

  InFlightDiagnostic error(Location loc) {
    failedAny = true;
    InFlightDiagnostic diag = emitError(loc);
    if (current)
      diag << "node '"
           << (current->name().empty() ? current->output(0) : current->name())
           << "' (" << current->op_type() << "): ";
    return diag;
  }
  Location nodeLoc(const onnx::NodeProto &) { return fileLoc; }

  RankedTensorType typeOf(Value v) {
    return cast<RankedTensorType>(v.getType());
  }
  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, b.getF32Type());
  }

  // --- constants ------------------------------------------------------------
  bool readTensor(const onnx::TensorProto &t, ConstantData &out, Location loc);
  Value materialize(const std::string &name, Location loc);
  /// A constant as a graph value (quantized ones behind a dequantize).
  Value valueOf(const ConstantData &data, StringRef hint, Location loc);
  Value constant(ArrayRef<int64_t> shape, ArrayRef<float> data,
                 StringRef hint) {
    return createF32Constant(b, fileLoc, f32(shape), data, hint);
  }
  Value createF32Constant(OpBuilder &builder, Location loc,
                          RankedTensorType type, ArrayRef<float> data,
                          StringRef hint) {
    return qnt::createF32Constant(builder, loc, type, data, hint);
  }

  /// `shape` with the element type of `v` (float, or the quantized type of
  /// a value-moving op's input).
  RankedTensorType like(Value v, ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, typeOf(v).getElementType());
  }
  /// A layer's weights [dst] = w[src[dst]] of `shape`: a float constant, or
  /// for quantized `w` the integers behind a dequantize, with the
  /// per-channel axis moved from ONNX's `onnxAxis` to `axis`.
  FailureOr<Value> weights(const ConstantData &w, ArrayRef<int64_t> shape,
                           ArrayRef<int64_t> src, int64_t onnxAxis,
                           int64_t axis, StringRef hint, Location loc);

  // --- layout ---------------------------------------------------------------
  Value permute(Value v, ArrayRef<int64_t> perm, Location loc);
  Value asNhwc(const Tensor &t, Location loc) {
    return t.nhwc ? t.value : permute(t.value, kToNhwc, loc);
  }
  Value asNchw(const Tensor &t, Location loc) {
    return t.nhwc ? permute(t.value, kToNchw, loc) : t.value;
  }

  // --- nodes ----------------------------------------------------------------
  LogicalResult importNode(const onnx::NodeProto &node);
  std::optional<Tensor> input(const onnx::NodeProto &node, int i);
  void define(const onnx::NodeProto &node, Tensor t) {
    values[node.output(0)] = t;
  }

  LogicalResult conv(const onnx::NodeProto &node, Location loc);
  /// Conv on `x` with constant weights `w` (ONNX OIHW) and `bias` (may be
  /// null); returns the float NHWC result.
  FailureOr<Value> convWith(const onnx::NodeProto &node, Location loc,
                            const Tensor &x, const ConstantData &w, Value bias);
  /// MatMul of `a` with a constant `bConst` or a value `bValue`.
  FailureOr<Tensor> matmulWith(const onnx::NodeProto &node, Location loc,
                               const Tensor &a, const ConstantData *bConst,
                               Value bValue);
  LogicalResult pool(const onnx::NodeProto &node, Location loc, bool isMax);
  LogicalResult gemm(const onnx::NodeProto &node, Location loc);
  LogicalResult matmul(const onnx::NodeProto &node, Location loc);
  LogicalResult batchNorm(const onnx::NodeProto &node, Location loc);
  LogicalResult binary(const onnx::NodeProto &node, Location loc);
  /// Add (or Mul) of two float tensors with numpy broadcasting.
  FailureOr<Tensor> binaryWith(const onnx::NodeProto &node, Location loc,
                               const Tensor &l, const Tensor &r, bool isAdd);
  LogicalResult reshape(const onnx::NodeProto &node, Location loc,
                        std::vector<int64_t> shape);

  // --- quantized nodes (QuantizedNodes.cpp) ---------------------------------
  /// True once a node with ONNX's quantized semantics was imported: the
  /// module then rounds half to even and its Q/DQ pairs are fused.
  bool quantizedModel = false;
  /// The quantized type an integer graph input takes from its first
  /// quantized consumer; null with an error when none gives one.
  Type integerInputType(const onnx::GraphProto &graph,
                        const onnx::ValueInfoProto &in,
                        ArrayRef<int64_t> shape);
  /// The parameters node input `dataIdx` has under `node`'s scale and zero
  /// point inputs (QLinear*, Quantize/DequantizeLinear) or zero point
  /// only with scale 1 (*Integer), for data of ONNX type `dtype` and rank
  /// `rank`. Errors name the node.
  std::optional<QuantSpec> specOf(const onnx::NodeProto &node, int dataIdx,
                                  int32_t dtype, int64_t rank, Location loc);
  /// The qnt type of `spec` on a value of rank `rank` (in NHWC if `nhwc`).
  qnt::UniformType uniformOf(const QuantSpec &spec, int64_t rank, bool nhwc);
  /// The ONNX data type of node input `i` (value or constant), 0 if unknown.
  int32_t dtypeOf(const onnx::NodeProto &node, int i);
  /// Node input `i` as a float tensor: a quantized value (its parameters
  /// must be `spec`'s) behind a qnt.dequantize.
  std::optional<Tensor> dequantized(const onnx::NodeProto &node, int i,
                                    const QuantSpec &spec, Location loc);
  /// The integer constant at node input `i` with `spec`'s parameters.
  std::optional<ConstantData> quantizedConstant(const onnx::NodeProto &node,
                                                int i, const QuantSpec &spec,
                                                Location loc);
  /// `v` (float, NHWC if `nhwc`) quantized to `spec`.
  Value quantizeTo(Value v, const QuantSpec &spec, bool nhwc, Location loc);
  /// The int32 bias of QLinearConv with scale x_scale * w_scale[c].
  std::optional<Value> qlinearBias(const onnx::NodeProto &node, int i,
                                   const QuantSpec &x, const QuantSpec &w,
                                   Location loc);

  LogicalResult quantizeLinear(const onnx::NodeProto &node, Location loc);
  LogicalResult dequantizeLinear(const onnx::NodeProto &node, Location loc);
  LogicalResult qlinearConv(const onnx::NodeProto &node, Location loc,
                            bool integerOnly);
  LogicalResult qlinearMatMul(const onnx::NodeProto &node, Location loc,
                              bool integerOnly);
  LogicalResult qlinearAdd(const onnx::NodeProto &node, Location loc);
  /// Runs qnt-fuse-qdq's patterns and sets the half_even rounding.
  LogicalResult finishQuantizedModel(ModuleOp module);
};

// --- attributes ----------------------------------------------------------

const onnx::AttributeProto *attr(const onnx::NodeProto &node, StringRef name);
int64_t intAttr(const onnx::NodeProto &node, StringRef name, int64_t dflt);
float floatAttr(const onnx::NodeProto &node, StringRef name, float dflt);
std::vector<int64_t> intsAttr(const onnx::NodeProto &node, StringRef name,
                              std::vector<int64_t> dflt);
std::string stringAttr(const onnx::NodeProto &node, StringRef name,
                       std::string dflt);

} // namespace qc::onnx_import

#endif // QC_LIB_TARGET_ONNX_IMPORTER_H
