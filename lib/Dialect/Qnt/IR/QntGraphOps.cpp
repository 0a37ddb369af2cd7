//===- QntGraphOps.cpp - qnt graph op verifiers ---------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers and shape inference of the graph ops. Graph ops accept float or
// quantized tensors; shared checks keep the operands consistent (all float,
// or all quantized with the same expressed type).
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"

using namespace mlir;
using namespace qc::qnt;

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

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult ReluOp::verify() {
  return verifySameExpressedKind(
      *this, {getInput().getType(), getOutput().getType()});
}
