//===- QntTypes.cpp - qnt quantized element types ------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Parser, printer and verifiers of !qnt.uniform. The syntax is
//
//   uniform   ::= `<` storage `:` expressed (`:` axis (`group` size)?)?
//                 `,` params `>`
//   storage   ::= (iN | uN) (`<` min `:` max `>`)?
//   params    ::= scale-zp | `{` scale-zp (`,` scale-zp)* `}`
//   scale-zp  ::= float (`:` integer)?
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntTypes.h"
#include "qc/Dialect/Qnt/IR/QntDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace qc::qnt;

#define GET_TYPEDEF_CLASSES
#include "qc/Dialect/Qnt/IR/QntOpsTypes.cpp.inc"

void QntDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "qc/Dialect/Qnt/IR/QntOpsTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Builders and queries
//===----------------------------------------------------------------------===//

UniformType UniformType::get(IntegerType storageType, int64_t storageMin,
                             int64_t storageMax, FloatType expressedType,
                             int32_t axis, int64_t groupSize,
                             ArrayRef<double> scales,
                             ArrayRef<int64_t> zeroPoints) {
  MLIRContext *ctx = storageType.getContext();
  return get(ctx, storageType, storageMin, storageMax, expressedType, axis,
             groupSize, DenseF64ArrayAttr::get(ctx, scales),
             DenseI64ArrayAttr::get(ctx, zeroPoints));
}

UniformType UniformType::get(IntegerType storageType, FloatType expressedType,
                             double scale, int64_t zeroPoint) {
  return get(storageType, getStorageTypeMin(storageType),
             getStorageTypeMax(storageType), expressedType, /*axis=*/-1,
             /*groupSize=*/0, ArrayRef<double>(scale),
             ArrayRef<int64_t>(zeroPoint));
}

int64_t UniformType::getStorageTypeMin(IntegerType storage) {
  if (storage.isUnsigned())
    return 0;
  return -(int64_t(1) << (storage.getWidth() - 1));
}

int64_t UniformType::getStorageTypeMax(IntegerType storage) {
  if (storage.isUnsigned())
    return (int64_t(1) << storage.getWidth()) - 1;
  return (int64_t(1) << (storage.getWidth() - 1)) - 1;
}

bool UniformType::hasNarrowRange() const {
  return getStorageMin() != getStorageTypeMin(getStorageType()) ||
         getStorageMax() != getStorageTypeMax(getStorageType());
}

int64_t UniformType::getParamIndex(ArrayRef<int64_t> index,
                                   ArrayRef<int64_t> shape) const {
  if (isPerTensor())
    return 0;
  if (isPerAxis())
    return index[getAxis()];
  // Per group: row-major position in the grid whose axis dimension is
  // divided by the group size.
  int64_t flat = 0;
  for (size_t d = 0, e = shape.size(); d < e; ++d) {
    bool grouped = static_cast<int64_t>(d) == getAxis();
    int64_t extent = grouped ? shape[d] / getGroupSize() : shape[d];
    int64_t pos = grouped ? index[d] / getGroupSize() : index[d];
    flat = flat * extent + pos;
  }
  return flat;
}

LogicalResult
UniformType::verifyShape(function_ref<InFlightDiagnostic()> emitError,
                         ArrayRef<int64_t> shape) const {
  if (isPerTensor())
    return success();
  int64_t axis = getAxis();
  int64_t rank = shape.size();
  if (axis >= rank)
    return emitError() << "quantization axis " << axis
                       << " is out of range for a tensor of rank " << rank;
  int64_t dim = shape[axis];
  int64_t count = getNumParams();
  if (isPerAxis()) {
    if (!ShapedType::isDynamic(dim) && dim != count)
      return emitError() << "per-axis quantization has " << count
                         << " scales but dimension " << axis << " has size "
                         << dim;
    return success();
  }
  int64_t group = getGroupSize();
  if (ShapedType::isDynamic(dim))
    return success();
  if (dim % group != 0)
    return emitError() << "dimension " << axis << " of size " << dim
                       << " is not a multiple of the group size " << group;
  int64_t expected = 1;
  for (int64_t d = 0; d < rank; ++d) {
    if (ShapedType::isDynamic(shape[d]))
      return success();
    expected *= d == axis ? shape[d] / group : shape[d];
  }
  if (expected != count)
    return emitError() << "per-group quantization has " << count
                       << " scales but the tensor has " << expected
                       << " groups of " << group << " along axis " << axis;
  return success();
}

UniformType
UniformType::withScalesAndZeroPoints(ArrayRef<double> scales,
                                     ArrayRef<int64_t> zps) const {
  return get(getStorageType(), getStorageMin(), getStorageMax(),
             getExpressedType(), getAxis(), getGroupSize(), scales, zps);
}

UniformType UniformType::withAxis(int32_t axis) const {
  return get(getStorageType(), getStorageMin(), getStorageMax(),
             getExpressedType(), axis, getGroupSize(),
             getScales().asArrayRef(), getZeroPoints().asArrayRef());
}

UniformType UniformType::permuted(ArrayRef<int64_t> perm) const {
  if (isPerTensor())
    return *this;
  if (!isPerAxis())
    return nullptr;
  for (size_t i = 0; i < perm.size(); ++i)
    if (perm[i] == getAxis())
      return withAxis(static_cast<int32_t>(i));
  return nullptr;
}

UniformType qc::qnt::getUniformElementType(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  return dyn_cast<UniformType>(type);
}

bool qc::qnt::isExactlyRepresentableIn(UniformType from, UniformType to) {
  if (!from || !to || !from.isPerTensor() || !to.isPerTensor() ||
      from.getExpressedType() != to.getExpressedType())
    return false;
  double ratio = from.getScale() / to.getScale();
  // k must be a small positive integer and reproduce S_from exactly.
  if (!(ratio >= 1.0) || ratio > 4294967296.0 || ratio != std::rint(ratio) ||
      to.getScale() * ratio != from.getScale())
    return false;
  int64_t k = static_cast<int64_t>(ratio);
  auto map = [&](int64_t q) {
    return (q - from.getZeroPoint()) * k + to.getZeroPoint();
  };
  return map(from.getStorageMin()) >= to.getStorageMin() &&
         map(from.getStorageMax()) <= to.getStorageMax();
}

//===----------------------------------------------------------------------===//
// Verifier
//===----------------------------------------------------------------------===//

static bool isSupportedStorage(IntegerType storage) {
  unsigned w = storage.getWidth();
  if (storage.isUnsigned())
    return w == 2 || w == 4 || w == 8;
  return w == 2 || w == 4 || w == 8 || w == 16 || w == 32;
}

LogicalResult UniformType::verify(function_ref<InFlightDiagnostic()> emitError,
                                  IntegerType storageType, int64_t storageMin,
                                  int64_t storageMax, FloatType expressedType,
                                  int32_t axis, int64_t groupSize,
                                  DenseF64ArrayAttr scales,
                                  DenseI64ArrayAttr zeroPoints) {
  if (!storageType || !isSupportedStorage(storageType))
    return emitError() << "storage type must be one of i2, i4, i8, i16, i32, "
                          "u2, u4, u8";
  if (!expressedType)
    return emitError() << "expressed type must be a float type";
  int64_t typeMin = getStorageTypeMin(storageType);
  int64_t typeMax = getStorageTypeMax(storageType);
  if (storageMin < typeMin || storageMax > typeMax)
    return emitError() << "storage range [" << storageMin << ", "
                       << storageMax << "] is outside the range [" << typeMin
                       << ", " << typeMax << "] of the storage type";
  if (storageMin >= storageMax)
    return emitError() << "storage range [" << storageMin << ", "
                       << storageMax << "] is empty or a single value";
  if (axis < -1)
    return emitError() << "quantization axis must be non-negative";
  if (groupSize < 0 || (groupSize > 0 && axis < 0))
    return emitError() << "group size " << groupSize
                       << " needs a quantization axis and must be positive";
  if (!scales || !zeroPoints || scales.empty())
    return emitError() << "expected at least one scale";
  if (scales.size() != zeroPoints.size())
    return emitError() << "got " << scales.size() << " scales but "
                       << zeroPoints.size() << " zero points";
  if (axis < 0 && scales.size() != 1)
    return emitError() << "per-tensor quantization takes one scale, got "
                       << scales.size();
  for (double scale : scales.asArrayRef())
    if (!std::isfinite(scale) || scale <= 0.0)
      return emitError() << "scale must be positive and finite, got "
                         << scale;
  for (int64_t zp : zeroPoints.asArrayRef())
    if (zp < storageMin || zp > storageMax)
      return emitError() << "zero point " << zp
                         << " is outside the storage range [" << storageMin
                         << ", " << storageMax << "]";
  return success();
}

//===----------------------------------------------------------------------===//
// Parser
//===----------------------------------------------------------------------===//

/// Parses `iN` (signed, stored as a signless integer type) or `uN`
/// (unsigned); `siN` and `uiN` are accepted as synonyms. MLIR lexes `i8` as
/// an integer-type keyword and `u8` as a bare identifier; both arrive here
/// through parseKeyword.
static ParseResult parseStorageType(AsmParser &parser, IntegerType &storage) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  bool isUnsigned = keyword.consume_front("ui") || keyword.consume_front("u");
  if (!isUnsigned && !keyword.consume_front("si"))
    keyword.consume_front("i");
  unsigned width = 0;
  if (keyword.getAsInteger(10, width) || width == 0 || width > 64)
    return parser.emitError(loc, "expected storage type iN or uN");
  storage = IntegerType::get(parser.getContext(), width,
                             isUnsigned ? IntegerType::Unsigned
                                        : IntegerType::Signless);
  return success();
}

/// Parses `scale` or `scale:zero_point`.
static ParseResult parseScaleZeroPoint(AsmParser &parser,
                                       SmallVectorImpl<double> &scales,
                                       SmallVectorImpl<int64_t> &zeroPoints) {
  double scale = 0;
  int64_t zeroPoint = 0;
  if (parser.parseFloat(scale))
    return failure();
  if (succeeded(parser.parseOptionalColon()) && parser.parseInteger(zeroPoint))
    return failure();
  scales.push_back(scale);
  zeroPoints.push_back(zeroPoint);
  return success();
}

Type UniformType::parse(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  IntegerType storage;
  if (parser.parseLess() || parseStorageType(parser, storage))
    return {};
  if (storage.getWidth() > 32)
    return parser.emitError(loc, "storage type must be one of i2, i4, i8, "
                                 "i16, i32, u2, u4, u8"),
           Type();
  int64_t storageMin = getStorageTypeMin(storage);
  int64_t storageMax = getStorageTypeMax(storage);
  if (succeeded(parser.parseOptionalLess())) {
    if (parser.parseInteger(storageMin) || parser.parseColon() ||
        parser.parseInteger(storageMax) || parser.parseGreater())
      return {};
  }

  Type expressed;
  SMLoc expressedLoc;
  if (parser.parseColon() || parser.getCurrentLocation(&expressedLoc) ||
      parser.parseType(expressed))
    return {};
  auto expressedFloat = dyn_cast<FloatType>(expressed);
  if (!expressedFloat)
    return parser.emitError(expressedLoc, "expressed type must be a float "
                                          "type, got ")
               << expressed,
           Type();

  int32_t axis = -1;
  int64_t groupSize = 0;
  if (succeeded(parser.parseOptionalColon())) {
    SMLoc axisLoc = parser.getCurrentLocation();
    int64_t axisValue = 0;
    if (parser.parseInteger(axisValue))
      return {};
    if (axisValue < 0 || axisValue > INT32_MAX)
      return parser.emitError(axisLoc, "quantization axis must be "
                                       "non-negative, got ")
                 << axisValue,
             Type();
    axis = static_cast<int32_t>(axisValue);
    if (succeeded(parser.parseOptionalKeyword("group"))) {
      SMLoc groupLoc = parser.getCurrentLocation();
      if (parser.parseInteger(groupSize))
        return {};
      if (groupSize <= 0)
        return parser.emitError(groupLoc, "group size must be positive, got ")
                   << groupSize,
               Type();
    }
  }

  if (parser.parseComma())
    return {};
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  SMLoc paramsLoc = parser.getCurrentLocation();
  if (succeeded(parser.parseOptionalLBrace())) {
    if (axis < 0)
      return parser.emitError(paramsLoc, "a list of scales needs a "
                                         "quantization axis, e.g. f32:0"),
             Type();
    if (parser.parseCommaSeparatedList([&] {
          return parseScaleZeroPoint(parser, scales, zeroPoints);
        }) ||
        parser.parseRBrace())
      return {};
  } else {
    if (axis >= 0)
      return parser.emitError(paramsLoc, "per-axis and per-group types take "
                                         "a list of scales in braces"),
             Type();
    if (parseScaleZeroPoint(parser, scales, zeroPoints))
      return {};
  }
  if (parser.parseGreater())
    return {};

  MLIRContext *ctx = parser.getContext();
  return parser.getChecked<UniformType>(
      loc, ctx, storage, storageMin, storageMax, expressedFloat, axis,
      groupSize, DenseF64ArrayAttr::get(ctx, scales),
      DenseI64ArrayAttr::get(ctx, zeroPoints));
}

//===----------------------------------------------------------------------===//
// Printer
//===----------------------------------------------------------------------===//

static void printScaleZeroPoint(AsmPrinter &printer, double scale,
                                int64_t zeroPoint) {
  printer.printFloat(llvm::APFloat(scale));
  if (zeroPoint != 0)
    printer << ":" << zeroPoint;
}

void UniformType::print(AsmPrinter &printer) const {
  printer << "<" << (isSigned() ? "i" : "u") << getStorageWidth();
  if (hasNarrowRange())
    printer << "<" << getStorageMin() << ":" << getStorageMax() << ">";
  printer << ":" << getExpressedType();
  if (!isPerTensor()) {
    printer << ":" << getAxis();
    if (isPerGroup())
      printer << " group " << getGroupSize();
  }
  printer << ", ";
  if (isPerTensor()) {
    printScaleZeroPoint(printer, getScale(), getZeroPoint());
  } else {
    printer << "{";
    for (size_t i = 0, e = getNumParams(); i < e; ++i) {
      if (i)
        printer << ", ";
      printScaleZeroPoint(printer, getScale(i), getZeroPoint(i));
    }
    printer << "}";
  }
  printer << ">";
}
