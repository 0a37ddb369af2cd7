//===- QntTypes.h - qnt quantized element types -------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_IR_QNTTYPES_H
#define QC_DIALECT_QNT_IR_QNTTYPES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "qc/Dialect/Qnt/IR/QntOpsTypes.h.inc"

namespace qc::qnt {

/// The qnt element type of `type` (a qnt type or a shaped type of one), or
/// null.
UniformType getUniformElementType(mlir::Type type);

/// True when every value representable in `from` is exactly representable
/// in `to`: both per tensor with the same expressed type, S_from = k * S_to
/// for a positive integer k, and the range of `from` maps inside `to`.
/// Requantizing through such a `to` loses nothing.
bool isExactlyRepresentableIn(UniformType from, UniformType to);

} // namespace qc::qnt

#endif // QC_DIALECT_QNT_IR_QNTTYPES_H
