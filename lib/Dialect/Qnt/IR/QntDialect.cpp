//===- QntDialect.cpp - qnt dialect registration -------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntDialect.h"
#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/IR/QntTypes.h"

using namespace mlir;
using namespace qc::qnt;

#include "qc/Dialect/Qnt/IR/QntOpsDialect.cpp.inc"

void QntDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "qc/Dialect/Qnt/IR/QntOps.cpp.inc"
      >();
  registerTypes();
  registerAttributes();
}

Operation *QntDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  // Folded integer rescales produce plain integer constants.
  if (auto typed = dyn_cast<TypedAttr>(value))
    if (arith::ConstantOp::isBuildableWith(typed, type))
      return arith::ConstantOp::create(builder, loc, type, typed);
  return nullptr;
}
