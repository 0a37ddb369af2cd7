//===- QntDialect.cpp - qnt dialect registration -------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntDialect.h"
#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/IR/QntTypes.h"

#include "mlir/IR/BuiltinOps.h"

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

LogicalResult QntDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  // The model-wide rounding (qc/Dialect/Qnt/Utils/ModelRounding.h); other
  // qnt.* discardable attributes are checked by the passes that read them.
  if (attr.getName() != "qnt.rounding")
    return success();
  if (!isa<ModuleOp>(op))
    return op->emitError("'qnt.rounding' belongs on a builtin.module");
  auto name = dyn_cast<StringAttr>(attr.getValue());
  if (!name ||
      (name.getValue() != "gemmlowp" && name.getValue() != "half_even"))
    return op->emitError("'qnt.rounding' must be \"gemmlowp\" or "
                         "\"half_even\", got ")
           << attr.getValue();
  return success();
}

Operation *QntDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  // Folded integer rescales produce plain integer constants.
  if (auto typed = dyn_cast<TypedAttr>(value))
    if (arith::ConstantOp::isBuildableWith(typed, type))
      return arith::ConstantOp::create(builder, loc, type, typed);
  return nullptr;
}
