//===- IntegerOpExecution.cpp - integer-only IR in the interpreter --------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Not implemented yet: the interpreter reports every linalg/tensor/arith op
// of integer-only IR as unsupported (checkInterpretable lists them all).
//
//===----------------------------------------------------------------------===//

#include "Values.h"

using namespace mlir;

bool qc::isExecutableIntegerOp(Operation *) { return false; }

LogicalResult qc::executeIntegerOp(Operation *op, ArrayRef<const rt::Tensor *>,
                                   SmallVectorImpl<rt::Tensor> &) {
  return op->emitError("interpreter: integer-only IR is not supported yet");
}
