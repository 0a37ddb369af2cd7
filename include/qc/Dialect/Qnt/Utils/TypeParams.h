//===- TypeParams.h - qnt types as runtime parameters -------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The bridge from !qnt.uniform to the runtime's QuantParams, which the
// float-to-integer preparation functions take. The interpreter and the
// integer lowering both go through it, so they see the same numbers.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_UTILS_TYPEPARAMS_H
#define QC_DIALECT_QNT_UTILS_TYPEPARAMS_H

#include "qc/Dialect/Qnt/IR/QntTypes.h"
#include "qc/runtime/QuantParams.h"

namespace qc {

/// The runtime view of a qnt type's scales, zero points, axis, group size
/// and storage range.
rt::QuantParams getQuantParams(qnt::UniformType type);

} // namespace qc

#endif // QC_DIALECT_QNT_UTILS_TYPEPARAMS_H
