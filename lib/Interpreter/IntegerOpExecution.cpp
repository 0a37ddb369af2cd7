//===- IntegerOpExecution.cpp - Execute integer-only IR -------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The entry points for the IR that qnt-lower-to-integer produces: linalg
// structured ops (LinalgExecution.cpp), tensor dialect ops
// (TensorExecution.cpp) and arith ops applied elementwise to whole tensors,
// which run here through the same scalar evaluator as linalg bodies so that
// `arith.addi` on a tensor and in a linalg.generic cannot disagree.
//
// Integer tensors are held in their own width (Values.cpp, getRuntimeDType);
// every op checks the dtype and shape of its operands first, so a value of
// an unexpected form is a located error rather than a misread buffer.
//
//===----------------------------------------------------------------------===//

#include "IntegerOps.h"
#include "ScalarProgram.h"
#include "Values.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace qc;
using namespace qc::interp;

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

std::string qc::interp::describeShape(ArrayRef<int64_t> shape) {
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      text += "x";
    text += ShapedType::isDynamic(shape[i]) ? "?" : std::to_string(shape[i]);
  }
  return text;
}

/// Whether `tensor` holds a value of `type`; `expected` describes `type`.
static bool matchesType(const rt::Tensor &tensor, Type type,
                        std::string &expected) {
  FailureOr<rt::DType> dtype = getRuntimeDType(getElementTypeOrSelf(type));
  auto ranked = dyn_cast<RankedTensorType>(type);
  ArrayRef<int64_t> shape = ranked ? ranked.getShape() : ArrayRef<int64_t>();
  expected = (succeeded(dtype) ? rt::dtypeName(*dtype) : "?") +
             std::string("[") + describeShape(shape) + "]";
  if (failed(dtype) || tensor.dtype() != *dtype ||
      (isa<ShapedType>(type) && !ranked) ||
      tensor.rank() != static_cast<int64_t>(shape.size()))
    return false;
  for (size_t i = 0; i < shape.size(); ++i)
    if (!ShapedType::isDynamic(shape[i]) && shape[i] != tensor.dim(i))
      return false;
  return true;
}

LogicalResult qc::interp::checkOperand(Operation *op, unsigned index,
                                       const rt::Tensor &tensor, Type type) {
  std::string expected;
  if (matchesType(tensor, type, expected))
    return success();
  return op->emitError() << "interpreter: operand #" << index << " is "
                         << tensor.describe() << ", expected " << expected;
}

LogicalResult qc::interp::checkResult(Operation *op, unsigned index,
                                      const rt::Tensor &tensor, Type type) {
  std::string expected;
  if (matchesType(tensor, type, expected))
    return success();
  return op->emitError() << "interpreter: result #" << index << " is "
                         << tensor.describe() << ", expected " << expected;
}

FailureOr<rt::Tensor> qc::interp::makeZeroTensor(Operation *op, Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape()) {
    op->emitError("interpreter: only static-shape results are supported");
    return failure();
  }
  FailureOr<rt::DType> dtype = getRuntimeDType(ranked.getElementType());
  if (failed(dtype)) {
    op->emitError() << "interpreter: unsupported element type "
                    << ranked.getElementType();
    return failure();
  }
  return rt::Tensor(*dtype, std::vector<int64_t>(ranked.getShape().begin(),
                                                 ranked.getShape().end()));
}

//===----------------------------------------------------------------------===//
// Elementwise arith on tensors
//===----------------------------------------------------------------------===//

/// An arith op applied to whole tensors (constants are the interpreter's).
static bool isElementwiseArithOp(Operation *op) {
  return isa_and_nonnull<arith::ArithDialect>(op->getDialect()) &&
         !isa<arith::ConstantOp>(op) && op->getNumResults() != 0 &&
         llvm::all_of(op->getResultTypes(),
                      [](Type t) { return isa<RankedTensorType>(t); });
}

/// Whether every tensor `op` reads or writes has a runtime dtype.
static bool hasStorableTensors(Operation *op) {
  auto storable = [](Type t) {
    return !isa<ShapedType>(t) ||
           succeeded(getRuntimeDType(getElementTypeOrSelf(t)));
  };
  return llvm::all_of(op->getOperandTypes(), storable) &&
         llvm::all_of(op->getResultTypes(), storable);
}

/// Runs the one-instruction program of an elementwise op over every element;
/// non-tensor operands (a scalar select condition) are broadcast.
static LogicalResult runElementwise(Operation *op,
                                    ArrayRef<const rt::Tensor *> operands,
                                    SmallVectorImpl<rt::Tensor> &results) {
  FailureOr<ScalarProgram> program =
      ScalarProgram::compileElementwise(op, /*emitErrors=*/true);
  if (failed(program))
    return failure();
  const rt::Tensor *shapeSource = nullptr;
  for (auto [index, value] : llvm::enumerate(op->getOperands())) {
    if (failed(checkOperand(op, index, *operands[index], value.getType())))
      return failure();
    if (!isa<ShapedType>(value.getType()))
      continue;
    if (!shapeSource)
      shapeSource = operands[index];
    else if (operands[index]->shape() != shapeSource->shape())
      return op->emitError() << "interpreter: operand shapes differ: "
                             << shapeSource->describe() << " and "
                             << operands[index]->describe();
  }
  if (!shapeSource)
    return op->emitError("interpreter: no tensor operand");
  results.clear();
  for (auto [index, type] : llvm::enumerate(op->getResultTypes())) {
    // Scalars of any width up to 64 compute, but tensors only come in the
    // widths getRuntimeDType stores (i12 elements, say, have no dtype).
    FailureOr<rt::DType> dtype = getRuntimeDType(getElementTypeOrSelf(type));
    if (failed(dtype))
      return op->emitError() << "interpreter: unsupported result element type "
                             << getElementTypeOrSelf(type);
    results.emplace_back(*dtype, shapeSource->shape());
    if (failed(checkResult(op, index, results.back(), type)))
      return failure();
  }

  std::vector<Slot> regs = program->makeRegisters();
  Fault fault;
  for (int64_t i = 0, n = shapeSource->numElements(); i < n; ++i) {
    for (auto [k, value] : llvm::enumerate(op->getOperands())) {
      int64_t at = isa<ShapedType>(value.getType()) ? i : 0;
      regs[k] = loadElement(operands[k]->raw(), operands[k]->dtype(), at,
                            program->getArgType(k));
    }
    if (!program->run(regs.data(), nullptr, fault))
      return program->report(fault, nullptr);
    for (unsigned j = 0; j < results.size(); ++j)
      storeElement(results[j].raw(), results[j].dtype(), i,
                   regs[program->getResultSlot(j)]);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

bool qc::isExecutableIntegerOp(Operation *op) {
  if (isa<linalg::LinalgOp>(op))
    return interp::isExecutableLinalgOp(op);
  if (isa_and_nonnull<tensor::TensorDialect>(op->getDialect()))
    return interp::isExecutableTensorOp(op);
  if (isElementwiseArithOp(op))
    return hasStorableTensors(op) &&
           succeeded(
               ScalarProgram::compileElementwise(op, /*emitErrors=*/false));
  return false;
}

LogicalResult qc::executeIntegerOp(Operation *op,
                                   ArrayRef<const rt::Tensor *> operands,
                                   SmallVectorImpl<rt::Tensor> &results) {
  if (isa<linalg::LinalgOp>(op))
    return interp::executeLinalgOp(op, operands, results);
  if (isa_and_nonnull<tensor::TensorDialect>(op->getDialect()))
    return interp::executeTensorOp(op, operands, results);
  if (isElementwiseArithOp(op))
    return runElementwise(op, operands, results);
  return op->emitError() << "interpreter: '" << op->getName()
                         << "' is not supported by the reference interpreter";
}
