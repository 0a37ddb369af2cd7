//===- Constants.cpp - reading and creating f32 constant tensors ----------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Reads f32 constants in every form a model brings them (dense literal,
// splat, dense_resource blob) into a flat vector, and creates new constants
// in the form that suits their size. Every helper is linear in the number
// of elements: weights of real models have millions of them.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/Utils/Constants.h"
#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

using namespace mlir;

namespace qc::qnt {

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

ElementsAttr getConstantElements(Value value) {
  ElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return {};
  return attr;
}

/// `dense<...>` literals: a splat stores one value for the whole tensor.
static std::vector<float> readDense(DenseElementsAttr attr, int64_t count) {
  if (attr.isSplat())
    return std::vector<float>(count, attr.getSplatValue<float>());
  auto values = attr.getValues<float>();
  return std::vector<float>(values.begin(), values.end());
}

/// `dense_resource` blobs: the blob must be present (printing may elide it)
/// and hold exactly one f32 per element.
static std::optional<std::vector<float>>
readResource(DenseF32ResourceElementsAttr attr, int64_t count) {
  std::optional<ArrayRef<float>> data = attr.tryGetAsArrayRef();
  if (!data || static_cast<int64_t>(data->size()) != count)
    return std::nullopt;
  return std::vector<float>(data->begin(), data->end());
}

/// Any other elements attribute, through the generic APFloat iterator.
static std::optional<std::vector<float>> readGeneric(ElementsAttr attr,
                                                     int64_t count) {
  auto values = attr.tryGetValues<APFloat>();
  if (!values)
    return std::nullopt;
  std::vector<float> result;
  result.reserve(count);
  for (const APFloat &value : *values)
    result.push_back(value.convertToFloat());
  return result;
}

/// True for a static f32 shape, the only kind these helpers handle.
static bool isStaticF32(ElementsAttr attr) {
  ShapedType type = attr.getShapedType();
  return type.getElementType().isF32() && type.hasStaticShape();
}

bool hasF32Elements(ElementsAttr attr) {
  if (!attr || !isStaticF32(attr))
    return false;
  if (isa<DenseElementsAttr>(attr))
    return true;
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    return data && static_cast<int64_t>(data->size()) ==
                       attr.getShapedType().getNumElements();
  }
  return attr.try_value_begin<APFloat>().has_value();
}

bool isF32Constant(Value value) {
  return hasF32Elements(getConstantElements(value));
}

std::optional<std::vector<float>> readF32Elements(ElementsAttr attr) {
  if (!attr || !isStaticF32(attr))
    return std::nullopt;
  int64_t count = attr.getShapedType().getNumElements();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return readDense(dense, count);
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr))
    return readResource(resource, count);
  return readGeneric(attr, count);
}

std::optional<std::vector<float>> readF32Constant(Value value) {
  return readF32Elements(getConstantElements(value));
}

StringRef getResourceKey(Value value) {
  auto resource = dyn_cast_if_present<DenseResourceElementsAttr>(
      getConstantElements(value));
  if (!resource)
    return {};
  return resource.getRawHandle().getKey();
}

//===----------------------------------------------------------------------===//
// Creating
//===----------------------------------------------------------------------===//

/// True when every value has the bits of the first (so -0.0 and 0.0 differ,
/// and equal NaNs are equal: a splat must reproduce each value exactly).
static bool allBitwiseEqual(ArrayRef<float> values) {
  return llvm::all_of(values, [&](float v) {
    return std::memcmp(&v, &values.front(), sizeof(float)) == 0;
  });
}

ElementsAttr createF32ElementsAttr(RankedTensorType type,
                                   ArrayRef<float> values, StringRef nameHint,
                                   int64_t maxInlineElements) {
  assert(type.getElementType().isF32() && type.hasStaticShape() &&
         "expected a static f32 tensor type");
  assert(type.getNumElements() == static_cast<int64_t>(values.size()) &&
         "one value per element");
  if (values.size() > 1 && allBitwiseEqual(values))
    return DenseElementsAttr::get(type, values.front());
  if (static_cast<int64_t>(values.size()) <= maxInlineElements)
    return DenseElementsAttr::get(type, values);
  // The context's blob manager owns the copy and renames on key clashes.
  return cast<ElementsAttr>(DenseF32ResourceElementsAttr::get(
      type, nameHint, HeapAsmResourceBlob::allocateAndCopyInferAlign(values)));
}

Value createF32Constant(OpBuilder &builder, Location loc, RankedTensorType type,
                        ArrayRef<float> values, StringRef nameHint,
                        int64_t maxInlineElements) {
  ElementsAttr attr =
      createF32ElementsAttr(type, values, nameHint, maxInlineElements);
  return arith::ConstantOp::create(builder, loc, type, cast<TypedAttr>(attr));
}

} // namespace qc::qnt

Value qc::qnt::createIntConstant(OpBuilder &b, Location loc,
                                 RankedTensorType type,
                                 ArrayRef<int64_t> values, StringRef hint) {
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  bool large = static_cast<int64_t>(values.size()) > kMaxInlineConstantElements;
  TypedAttr attr;
  if (large && width == 8) {
    SmallVector<int8_t> bytes(values.begin(), values.end());
    attr = cast<TypedAttr>(DenseI8ResourceElementsAttr::get(
        type, hint,
        HeapAsmResourceBlob::allocateAndCopyInferAlign<int8_t>(bytes)));
  } else if (large && width == 32) {
    SmallVector<int32_t> words(values.begin(), values.end());
    attr = cast<TypedAttr>(DenseI32ResourceElementsAttr::get(
        type, hint,
        HeapAsmResourceBlob::allocateAndCopyInferAlign<int32_t>(words)));
  } else {
    SmallVector<APInt> ints;
    ints.reserve(values.size());
    for (int64_t v : values)
      ints.push_back(APInt(width, static_cast<uint64_t>(v), /*isSigned=*/true));
    attr = DenseElementsAttr::get(type, ints);
  }
  return arith::ConstantOp::create(b, loc, type, attr);
}

Value qc::qnt::createQuantizedConstant(OpBuilder &b, Location loc,
                                       ArrayRef<int64_t> shape,
                                       UniformType qtype,
                                       ArrayRef<int64_t> values,
                                       StringRef hint) {
  auto storage = RankedTensorType::get(
      shape, IntegerType::get(b.getContext(), qtype.getStorageWidth()));
  Value bits = createIntConstant(b, loc, storage, values, hint);
  return qnt::StorageCastOp::create(b, loc, RankedTensorType::get(shape, qtype),
                                    bits);
}
