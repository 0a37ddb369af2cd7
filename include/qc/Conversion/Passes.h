//===- Passes.h - quant conversion passes -------------------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_PASSES_H
#define QC_CONVERSION_PASSES_H

#include "qc/Conversion/QntToInteger/QntToInteger.h"
#include "qc/Conversion/QntToLinalgFloat/QntToLinalgFloat.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace qc {

#define GEN_PASS_DECL
#include "qc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qc/Conversion/Passes.h.inc"

} // namespace qc

#endif // QC_CONVERSION_PASSES_H
