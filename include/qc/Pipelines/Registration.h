//===- Registration.h - everything a quant tool registers ---------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// One place that makes a DialectRegistry able to run every quant pipeline:
// the qnt dialect plus the upstream dialects, interface models (bufferization,
// LLVM translation) and extensions the pipelines use. Tools and embedders
// call it instead of listing dialects themselves.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PIPELINES_REGISTRATION_H
#define QC_PIPELINES_REGISTRATION_H

#include "mlir/IR/DialectRegistry.h"

namespace qc {

/// qnt plus all upstream dialects, their extensions and interface models.
void registerQuantDialects(mlir::DialectRegistry &registry);

/// All qnt and conversion passes, the named pipelines, and the upstream
/// passes (so textual pipelines can name any of them).
void registerQuantPasses();

} // namespace qc

#endif // QC_PIPELINES_REGISTRATION_H
