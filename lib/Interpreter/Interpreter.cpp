//===- Interpreter.cpp - Reference interpreter of qnt programs ------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Walks a function's single block in order, keeping one runtime tensor per
// SSA value. Supported: the qnt ops (QntOpExecution.cpp), arith.constant
// (dense and dense_resource), func.call and func.return, and the
// integer-only IR that qnt-lower-to-integer produces
// (IntegerOpExecution.cpp).
//
//===----------------------------------------------------------------------===//

#include "Values.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace qc;

namespace {

/// Values of one function activation.
class Frame {
public:
  void set(Value v, rt::Tensor t) { values_[v] = std::move(t); }
  const rt::Tensor *get(Value v) const {
    auto it = values_.find(v);
    return it == values_.end() ? nullptr : &it->second;
  }

private:
  llvm::DenseMap<Value, rt::Tensor> values_;
};

bool isSupportedOp(Operation *op) {
  return isa<arith::ConstantOp, func::CallOp, func::ReturnOp>(op) ||
         isExecutableQntOp(op) || isExecutableIntegerOp(op);
}

} // namespace

LogicalResult qc::checkInterpretable(func::FuncOp function) {
  bool ok = true;
  function.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op == function.getOperation())
      return WalkResult::advance();
    // Ops with bodies (linalg.generic) vouch for what they contain.
    if (isSupportedOp(op))
      return op->getNumRegions() ? WalkResult::skip() : WalkResult::advance();
    op->emitError() << "interpreter: '" << op->getName()
                    << "' is not supported by the reference interpreter";
    ok = false;
    return WalkResult::skip();
  });
  if (!function.getBody().hasOneBlock()) {
    function.emitError("interpreter: functions with control flow (more than "
                       "one block) are not supported");
    ok = false;
  }
  return success(ok);
}

static LogicalResult runConstant(arith::ConstantOp op, Frame &frame) {
  Attribute value = op.getValue();
  auto type = dyn_cast<RankedTensorType>(op.getType());
  // Scalars (linalg.fill values, tensor.pad padding values) are rank-0
  // tensors.
  if (isa<IntegerType, IndexType, FloatType>(op.getType())) {
    type = RankedTensorType::get({}, op.getType());
    value = DenseElementsAttr::get(type, value);
  }
  FailureOr<rt::Tensor> tensor =
      type ? tensorFromAttr(value, type) : FailureOr<rt::Tensor>();
  if (failed(tensor))
    return op->emitError("interpreter: cannot read this constant (only "
                         "static-shape dense and dense_resource tensors of "
                         "f32/f64/integer elements)");
  frame.set(op.getResult(), std::move(*tensor));
  return success();
}

LogicalResult Interpreter::run(func::FuncOp function,
                               ArrayRef<rt::Tensor> inputs,
                               std::vector<rt::Tensor> &outputs) {
  if (function.isExternal())
    return function.emitError("interpreter: function has no body");
  if (inputs.size() != function.getNumArguments())
    return function.emitError("interpreter: expected ")
           << function.getNumArguments() << " inputs, got " << inputs.size();
  Block &block = function.getBody().front();
  Frame frame;
  for (auto [arg, input] : llvm::zip(block.getArguments(), inputs))
    frame.set(arg, input);

  for (Operation &op : block) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      outputs.clear();
      for (Value v : ret.getOperands())
        outputs.push_back(*frame.get(v));
      return success();
    }
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      if (failed(runConstant(constant, frame)))
        return failure();
      continue;
    }
    SmallVector<const rt::Tensor *> operands;
    for (Value v : op.getOperands()) {
      const rt::Tensor *t = frame.get(v);
      if (!t)
        return op.emitError("interpreter: operand has no value");
      operands.push_back(t);
    }
    SmallVector<rt::Tensor> results;
    if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
          &op, call.getCalleeAttr());
      if (!callee)
        return op.emitError("interpreter: unknown callee");
      SmallVector<rt::Tensor> args;
      for (const rt::Tensor *t : operands)
        args.push_back(*t);
      std::vector<rt::Tensor> callResults;
      if (failed(run(callee, args, callResults)))
        return failure();
      results.assign(callResults.begin(), callResults.end());
    } else if (isExecutableQntOp(&op)) {
      if (failed(executeQntOp(&op, operands, results)))
        return failure();
    } else if (failed(executeIntegerOp(&op, operands, results))) {
      return failure();
    }
    if (results.size() != op.getNumResults())
      return op.emitError("interpreter: produced ")
             << results.size() << " results, expected " << op.getNumResults();
    for (auto [value, tensor] : llvm::zip(op.getResults(), results)) {
      if (observer_)
        observer_(value, tensor);
      frame.set(value, std::move(tensor));
    }
  }
  return function.emitError("interpreter: function has no return");
}
