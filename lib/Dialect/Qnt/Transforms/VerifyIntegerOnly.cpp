//===- VerifyIntegerOnly.cpp - report floating-point ops ------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// qnt-verify-integer-only: the gate before code generation. Integer-only
// inference (Jacob et al. 2018, section 2) means no op may compute on
// floating-point values; this pass names every op that still does.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/Dialect/Qnt/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"

namespace qc::qnt {
#define GEN_PASS_DEF_QNTVERIFYINTEGERONLYPASS
#include "qc/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace qc::qnt

using namespace mlir;
using namespace qc::qnt;

namespace {

/// True for float scalars and shaped types (tensor, vector, memref) of
/// floats. Quantized element types are not float.
bool isFloatLike(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  return isa<FloatType>(type);
}

/// The first float-typed operand or result of `op`, or null.
Type findFloatType(Operation *op) {
  for (Type t : op->getOperandTypes())
    if (isFloatLike(t))
      return t;
  for (Type t : op->getResultTypes())
    if (isFloatLike(t))
      return t;
  return {};
}

/// A quantize of a function argument, or a dequantize whose every use is a
/// return: the float edges of an otherwise integer model.
bool isEdgeCast(Operation *op) {
  if (auto quantize = dyn_cast<QuantizeOp>(op))
    return isa<BlockArgument>(quantize.getInput()) &&
           isa<FunctionOpInterface>(
               quantize.getInput().getParentBlock()->getParentOp());
  if (auto dequantize = dyn_cast<DequantizeOp>(op))
    return !dequantize->use_empty() &&
           llvm::all_of(dequantize->getUsers(), [](Operation *user) {
             return user->hasTrait<OpTrait::ReturnLike>();
           });
  return false;
}

struct QntVerifyIntegerOnly
    : public qc::qnt::impl::QntVerifyIntegerOnlyPassBase<QntVerifyIntegerOnly> {
  using QntVerifyIntegerOnlyPassBase::QntVerifyIntegerOnlyPassBase;

  void runOnOperation() override {
    unsigned count = 0;
    getOperation()->walk([&](Operation *op) {
      // Returns only forward values; the producer is what computes.
      if (op->hasTrait<OpTrait::ReturnLike>())
        return;
      if (allowEdgeCasts && isEdgeCast(op))
        return;
      Type floatType = findFloatType(op);
      if (!floatType)
        return;
      op->emitError() << "'" << op->getName()
                      << "' computes in floating point (" << floatType
                      << "); the program is not integer-only";
      ++count;
    });
    if (count)
      signalPassFailure();
  }
};

} // namespace
