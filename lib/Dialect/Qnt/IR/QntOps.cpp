//===- QntOps.cpp - qnt casts and integer ops ----------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Op class definitions (generated) and the verifiers of the casts and of
// qnt.fixed_point_mul. Graph op verifiers are in QntGraphOps.cpp, folders
// in QntFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace qc::qnt;

#include "qc/Dialect/Qnt/IR/QntOpsEnums.cpp.inc"

#define GET_OP_CLASSES
#include "qc/Dialect/Qnt/IR/QntOps.cpp.inc"

//===----------------------------------------------------------------------===//
// QuantizedShapesVerified trait
//===----------------------------------------------------------------------===//

static LogicalResult verifyValueShape(Operation *op, Type type,
                                      StringRef role, unsigned index) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return success();
  auto uniform = dyn_cast<UniformType>(tensor.getElementType());
  if (!uniform)
    return success();
  return uniform.verifyShape(
      [&] { return op->emitOpError() << role << " #" << index << ": "; },
      tensor.getShape());
}

LogicalResult qc::qnt::verifyQuantizedShapes(Operation *op) {
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(verifyValueShape(op, type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(verifyValueShape(op, type, "result", i)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Casts
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  auto uniform = getUniformElementType(getOutput().getType());
  Type floatType = getInput().getType().getElementType();
  if (uniform.getExpressedType() != floatType)
    return emitOpError("result expressed type ")
           << uniform.getExpressedType() << " does not match input element type "
           << floatType;
  return success();
}

LogicalResult DequantizeOp::verify() {
  auto uniform = getUniformElementType(getInput().getType());
  Type floatType = getOutput().getType().getElementType();
  if (uniform.getExpressedType() != floatType)
    return emitOpError("input expressed type ")
           << uniform.getExpressedType()
           << " does not match result element type " << floatType;
  return success();
}

LogicalResult RequantizeOp::verify() {
  auto from = getUniformElementType(getInput().getType());
  auto to = getUniformElementType(getOutput().getType());
  if (from.getExpressedType() != to.getExpressedType())
    return emitOpError("input and result expressed types differ: ")
           << from.getExpressedType() << " vs " << to.getExpressedType();
  return success();
}

LogicalResult StorageCastOp::verify() {
  Type inElem = getInput().getType().getElementType();
  Type outElem = getOutput().getType().getElementType();
  auto inQ = dyn_cast<UniformType>(inElem);
  auto outQ = dyn_cast<UniformType>(outElem);
  if ((inQ != nullptr) == (outQ != nullptr))
    return emitOpError("expects exactly one of input and result to be a "
                       "quantized tensor");
  UniformType uniform = inQ ? inQ : outQ;
  Type storage = inQ ? outElem : inElem;
  auto expected = IntegerType::get(getContext(), uniform.getStorageWidth());
  if (storage != expected)
    return emitOpError("storage tensor element type must be ")
           << expected << " for " << uniform << ", got " << storage;
  return success();
}

//===----------------------------------------------------------------------===//
// FixedPointMulOp
//===----------------------------------------------------------------------===//

LogicalResult FixedPointMulOp::verify() {
  ArrayRef<int32_t> multipliers = getMultiplier();
  ArrayRef<int32_t> shifts = getShift();
  if (multipliers.empty())
    return emitOpError("expects at least one multiplier");
  if (multipliers.size() != shifts.size())
    return emitOpError("has ") << multipliers.size() << " multipliers but "
                               << shifts.size() << " shifts";
  for (int32_t m : multipliers)
    if (m < 0)
      return emitOpError("multiplier must be in [0, 2^31 - 1], got ") << m;
  bool tosa = getRounding() == RoundingMode::tosa_single ||
              getRounding() == RoundingMode::tosa_double;
  int32_t maxShift = tosa ? 29 : 31;
  for (int32_t s : shifts)
    if (s < -31 || s > maxShift)
      return emitOpError("shift must be in [-31, ")
             << maxShift << "]" << (tosa ? " for TOSA rounding" : "")
             << ", got " << s;

  RankedTensorType type = getInput().getType();
  std::optional<uint64_t> axis = getAxis();
  if (multipliers.size() == 1) {
    if (axis && *axis >= static_cast<uint64_t>(type.getRank()))
      return emitOpError("axis ") << *axis << " is out of range for rank "
                                  << type.getRank();
    return success();
  }
  if (!axis)
    return emitOpError("has ") << multipliers.size()
                               << " multipliers and needs an axis";
  if (*axis >= static_cast<uint64_t>(type.getRank()))
    return emitOpError("axis ") << *axis << " is out of range for rank "
                                << type.getRank();
  int64_t dim = type.getDimSize(*axis);
  if (!ShapedType::isDynamic(dim) &&
      dim != static_cast<int64_t>(multipliers.size()))
    return emitOpError("has ") << multipliers.size()
                               << " multipliers but dimension " << *axis
                               << " has size " << dim;
  return success();
}
