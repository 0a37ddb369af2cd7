//===- Values.cpp - Interpreter values and MLIR types ---------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The bridge between MLIR types/attributes and runtime tensors: which dtype
// holds which element type, quantization parameters, constants (dense and
// dense_resource), and the checks and conversions at the program's edges.
//
//===----------------------------------------------------------------------===//

#include "Values.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace qc;

FailureOr<rt::DType> qc::getRuntimeDType(Type elementType) {
  if (isa<qnt::UniformType>(elementType))
    return rt::DType::I32;
  if (elementType.isF32())
    return rt::DType::F32;
  if (elementType.isF64())
    return rt::DType::F64;
  if (elementType.isIndex())
    return rt::DType::I64;
  if (auto intType = dyn_cast<IntegerType>(elementType)) {
    unsigned width = intType.getWidth();
    if (width == 1)
      return rt::DType::Bool;
    // Sub-byte integers live in bytes.
    if (width <= 8)
      return rt::DType::I8;
    if (width == 16)
      return rt::DType::I16;
    if (width == 32)
      return rt::DType::I32;
    if (width == 64)
      return rt::DType::I64;
  }
  return failure();
}

/// The dtype a user passes for a quantized value: its storage integer.
static rt::DType storageDType(qnt::UniformType type) {
  switch (type.getStorageWidth()) {
  case 16:
    return rt::DType::I16;
  case 32:
    return rt::DType::I32;
  default:
    return type.isSigned() ? rt::DType::I8 : rt::DType::U8;
  }
}

/// The dtype users see for values of `type`'s elements.
static FailureOr<rt::DType> userDType(Type elementType) {
  if (auto uniform = dyn_cast<qnt::UniformType>(elementType))
    return storageDType(uniform);
  return getRuntimeDType(elementType);
}

static std::string describeType(rt::DType dtype, ArrayRef<int64_t> shape) {
  std::string text = rt::dtypeName(dtype);
  text += "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      text += "x";
    text += ShapedType::isDynamic(shape[i]) ? "?" : std::to_string(shape[i]);
  }
  return text + "]";
}

LogicalResult qc::checkInputAgainstType(const rt::Tensor &tensor, Type type,
                                        std::string &message) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked) {
    message = "only ranked tensor arguments are supported";
    return failure();
  }
  FailureOr<rt::DType> dtype = userDType(ranked.getElementType());
  if (failed(dtype)) {
    llvm::raw_string_ostream os(message);
    os << "unsupported element type " << ranked.getElementType();
    return failure();
  }
  bool shapeOk = tensor.rank() == ranked.getRank();
  for (int64_t i = 0; shapeOk && i < ranked.getRank(); ++i)
    shapeOk = ranked.isDynamicDim(i) || ranked.getDimSize(i) == tensor.dim(i);
  if (tensor.dtype() == *dtype && shapeOk)
    return success();
  message = "expected " + describeType(*dtype, ranked.getShape()) + ", got " +
            tensor.describe();
  return failure();
}

rt::Tensor qc::toInterpreterValue(const rt::Tensor &tensor, Type type) {
  Type element = cast<ShapedType>(type).getElementType();
  FailureOr<rt::DType> dtype = getRuntimeDType(element);
  if (failed(dtype) || *dtype == tensor.dtype())
    return tensor;
  return tensor.castTo(*dtype);
}

rt::Tensor qc::toUserValue(const rt::Tensor &tensor, Type type) {
  Type element = cast<ShapedType>(type).getElementType();
  FailureOr<rt::DType> dtype = userDType(element);
  if (failed(dtype) || *dtype == tensor.dtype())
    return tensor;
  return tensor.castTo(*dtype);
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// Copies raw little-endian element bytes into a tensor of `dtype`,
/// widening sub-byte and narrow integers as needed. Only same-size copies
/// are supported (dense_resource blobs hold the element type's bytes).
static FailureOr<rt::Tensor> fromRawBytes(ArrayRef<char> bytes,
                                          RankedTensorType type,
                                          rt::DType dtype) {
  rt::Tensor tensor(dtype, std::vector<int64_t>(type.getShape().begin(),
                                                type.getShape().end()));
  if (bytes.size() != tensor.byteSize())
    return failure();
  std::memcpy(tensor.raw(), bytes.data(), bytes.size());
  return tensor;
}

FailureOr<rt::Tensor> qc::tensorFromAttr(Attribute attr,
                                         RankedTensorType type) {
  if (!type.hasStaticShape())
    return failure();
  FailureOr<rt::DType> dtype = getRuntimeDType(type.getElementType());
  if (failed(dtype))
    return failure();
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());

  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return failure();
    return fromRawBytes(blob->getData(), type, *dtype);
  }
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return failure();
  rt::Tensor tensor(*dtype, shape);
  int64_t i = 0;
  if (isa<FloatType>(dense.getElementType())) {
    for (const APFloat &v : dense.getValues<APFloat>())
      tensor.setFromDouble(i++, v.convertToDouble());
    return tensor;
  }
  if (auto intType = dyn_cast<IntegerType>(dense.getElementType())) {
    bool isUnsigned = intType.isUnsigned();
    for (const APInt &v : dense.getValues<APInt>())
      tensor.setFromInt(i++, isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                                        : v.getSExtValue());
    return tensor;
  }
  if (dense.getElementType().isIndex()) {
    for (const APInt &v : dense.getValues<APInt>())
      tensor.setFromInt(i++, v.getSExtValue());
    return tensor;
  }
  return failure();
}
