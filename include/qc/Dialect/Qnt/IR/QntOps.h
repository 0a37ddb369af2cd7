//===- QntOps.h - qnt dialect operations --------------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_IR_QNTOPS_H
#define QC_DIALECT_QNT_IR_QNTOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "qc/Dialect/Qnt/IR/QntDialect.h"
#include "qc/Dialect/Qnt/IR/QntTypes.h"

#include "qc/Dialect/Qnt/IR/QntOpsEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/Qnt/IR/QntOpsAttrs.h.inc"

namespace qc::qnt {

/// Verifies, for every ranked tensor operand and result of `op` whose
/// element type is a qnt type, that the type fits the tensor's shape.
mlir::LogicalResult verifyQuantizedShapes(mlir::Operation *op);

/// Op trait that runs verifyQuantizedShapes on every qnt op.
template <typename ConcreteType>
class QuantizedShapesVerified
    : public mlir::OpTrait::TraitBase<ConcreteType, QuantizedShapesVerified> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifyQuantizedShapes(op);
  }
};

} // namespace qc::qnt

#define GET_OP_CLASSES
#include "qc/Dialect/Qnt/IR/QntOps.h.inc"

#endif // QC_DIALECT_QNT_IR_QNTOPS_H
