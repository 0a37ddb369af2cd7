//===- LinalgExecution.cpp - Execute linalg structured ops ----------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Every linalg structured op on tensors (linalg.generic and the named ops:
// fill, transpose, broadcast, matmul, batch_matmul, convolutions, ...) runs
// the same way: the loop ranges come from the operand shapes through the
// op's shapes-to-loops map, the results start as copies of the `outs`
// operands, and at each point of the loop nest the compiled body
// (ScalarProgram) reads one element per operand and writes the yielded
// values back. Named ops carry their body as a region too, so they get
// exactly linalg's semantics (e.g. an i8 x i8 -> i32 matmul extends the
// operands before multiplying, and accumulates wrapping at 32 bits).
//
// Indexing maps that are linear in the loop dimensions (all of ours,
// including conv windows such as d1 * 2 + d4) become per-loop strides into
// each operand: moving one step along a loop adds a constant to the flat
// offset, and the whole map is bounds-checked once from the corners of the
// iteration space. Other maps (floordiv, mod) are evaluated and checked at
// every point.
//
//===----------------------------------------------------------------------===//

#include "IntegerOps.h"
#include "ScalarProgram.h"
#include "Values.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/AffineMap.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace qc;
using namespace qc::interp;

namespace {

/// How one operand's elements are found from the loop indices.
struct Access {
  rt::DType dtype = rt::DType::I32;
  ScalarType type;
  /// Linear maps: the flat offset at the origin of the loop nest. Offsets
  /// use wrapping unsigned arithmetic: every offset actually visited is in
  /// bounds, whatever a pathological stride computes to.
  uint64_t base = 0;
  bool linear = true;
  /// Non-linear maps: evaluated at each point.
  AffineMap map;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
};

/// A linear affine expression: constant + sum(coefficients[d] * d).
struct LinearExpr {
  SmallVector<int64_t> coefficients;
  int64_t constant = 0;
};

} // namespace

/// Adds `scale` * `expr` to `linear`; false when `expr` is not linear in
/// the dimensions or a coefficient overflows.
static bool addLinear(AffineExpr expr, int64_t scale, LinearExpr &linear) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return !__builtin_add_overflow(linear.coefficients[dim.getPosition()],
                                   scale,
                                   &linear.coefficients[dim.getPosition()]);
  if (auto cst = dyn_cast<AffineConstantExpr>(expr)) {
    int64_t term;
    return !__builtin_mul_overflow(cst.getValue(), scale, &term) &&
           !__builtin_add_overflow(linear.constant, term, &linear.constant);
  }
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return false;
  if (binary.getKind() == AffineExprKind::Add)
    return addLinear(binary.getLHS(), scale, linear) &&
           addLinear(binary.getRHS(), scale, linear);
  if (binary.getKind() != AffineExprKind::Mul)
    return false;
  // Affine products have a constant on one side (on the right once
  // simplified, but accept either).
  AffineExpr lhs = binary.getLHS(), rhs = binary.getRHS();
  if (isa<AffineConstantExpr>(lhs))
    std::swap(lhs, rhs);
  auto factor = dyn_cast<AffineConstantExpr>(rhs);
  int64_t newScale;
  return factor &&
         !__builtin_mul_overflow(scale, factor.getValue(), &newScale) &&
         addLinear(lhs, newScale, linear);
}

/// `expr` at the point `dims`, or nullopt on overflow or a non-positive
/// divisor (affine floordiv, ceildiv and mod need positive divisors).
static std::optional<int64_t> evaluateAffine(AffineExpr expr,
                                             ArrayRef<int64_t> dims) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return dims[dim.getPosition()];
  if (auto cst = dyn_cast<AffineConstantExpr>(expr))
    return cst.getValue();
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return std::nullopt;
  std::optional<int64_t> lhs = evaluateAffine(binary.getLHS(), dims);
  std::optional<int64_t> rhs = evaluateAffine(binary.getRHS(), dims);
  if (!lhs || !rhs)
    return std::nullopt;
  int64_t a = *lhs, b = *rhs, r;
  switch (binary.getKind()) {
  case AffineExprKind::Add:
    return __builtin_add_overflow(a, b, &r) ? std::nullopt
                                            : std::optional<int64_t>(r);
  case AffineExprKind::Mul:
    return __builtin_mul_overflow(a, b, &r) ? std::nullopt
                                            : std::optional<int64_t>(r);
  default:
    break;
  }
  if (b <= 0)
    return std::nullopt;
  int64_t q = a / b, m = a % b;
  switch (binary.getKind()) {
  case AffineExprKind::FloorDiv:
    return q - (m < 0);
  case AffineExprKind::CeilDiv:
    return q + (m > 0);
  case AffineExprKind::Mod:
    return m < 0 ? m + b : m;
  default:
    return std::nullopt;
  }
}

/// The range of a linear expression over the loop nest [0, ranges); false
/// on overflow. Ranges are non-empty.
static bool linearBounds(const LinearExpr &linear, ArrayRef<int64_t> ranges,
                         int64_t &lo, int64_t &hi) {
  lo = hi = linear.constant;
  for (auto [c, range] : llvm::zip(linear.coefficients, ranges)) {
    int64_t extent;
    if (__builtin_mul_overflow(c, range - 1, &extent) ||
        __builtin_add_overflow(c < 0 ? lo : hi, extent, c < 0 ? &lo : &hi))
      return false;
  }
  return true;
}

static std::string describeMap(AffineMap map) {
  std::string text;
  llvm::raw_string_ostream os(text);
  map.print(os);
  return text;
}

static std::string describePoint(ArrayRef<int64_t> point) {
  std::string text = "(";
  for (size_t i = 0; i < point.size(); ++i)
    text += (i ? ", " : "") + std::to_string(point[i]);
  return text + ")";
}

/// Builds the access of operand `index` through `map` and bounds-checks it
/// over the whole loop nest when it is linear. `loopStrides` receives the
/// flat offset step of each loop for this operand.
static LogicalResult buildAccess(Operation *op, unsigned index, AffineMap map,
                                 const rt::Tensor &tensor,
                                 ArrayRef<int64_t> ranges, Access &access,
                                 SmallVectorImpl<uint64_t> &loopStrides) {
  access.map = map;
  access.shape = tensor.shape();
  access.strides = rt::stridesOf(access.shape);
  loopStrides.assign(ranges.size(), 0);
  if (map.getNumSymbols() != 0)
    return op->emitError() << "interpreter: indexing maps with symbols are "
                              "not supported";
  bool empty = llvm::is_contained(ranges, 0);
  for (auto [r, result] : llvm::enumerate(map.getResults())) {
    LinearExpr linear;
    linear.coefficients.assign(ranges.size(), 0);
    if (!addLinear(result, 1, linear)) {
      access.linear = false;
      continue;
    }
    int64_t lo, hi;
    if (!empty && (!linearBounds(linear, ranges, lo, hi) || lo < 0 ||
                   hi >= access.shape[r]))
      return op->emitError() << "interpreter: indexing map " << describeMap(map)
                             << " of operand #" << index
                             << " reads outside its shape " << tensor.describe()
                             << " over loop ranges " << describeShape(ranges);
    // Flat offset = sum over results of (tensor stride * linear result).
    uint64_t stride = static_cast<uint64_t>(access.strides[r]);
    access.base += stride * static_cast<uint64_t>(linear.constant);
    for (size_t d = 0; d < ranges.size(); ++d)
      loopStrides[d] += stride * static_cast<uint64_t>(linear.coefficients[d]);
  }
  return success();
}

/// The flat offset of a non-linear access at `point`; false when an index
/// is out of bounds.
static bool nonLinearOffset(const Access &access, ArrayRef<int64_t> point,
                            uint64_t &offset) {
  offset = 0;
  for (auto [r, result] : llvm::enumerate(access.map.getResults())) {
    std::optional<int64_t> v = evaluateAffine(result, point);
    if (!v || *v < 0 || *v >= access.shape[r])
      return false;
    offset += static_cast<uint64_t>(*v * access.strides[r]);
  }
  return true;
}

/// Loop ranges from the runtime shapes through the shapes-to-loops map;
/// dimensions that appear alone in a map result must match their range.
static LogicalResult computeLoopRanges(linalg::LinalgOp op,
                                       ArrayRef<const rt::Tensor *> operands,
                                       SmallVectorImpl<int64_t> &ranges) {
  AffineMap shapesToLoops = op.getShapesToLoopsMap();
  if (!shapesToLoops || shapesToLoops.getNumSymbols() != 0)
    return op->emitError("interpreter: cannot infer the loop ranges from the "
                         "indexing maps");
  SmallVector<int64_t> flatShapes;
  for (const rt::Tensor *t : operands)
    llvm::append_range(flatShapes, t->shape());
  if (flatShapes.size() != shapesToLoops.getNumDims())
    return op->emitError("interpreter: operand ranks do not match the "
                         "indexing maps");
  ranges.assign(shapesToLoops.compose(flatShapes));
  for (auto [index, map] : llvm::enumerate(op.getIndexingMapsArray()))
    for (auto [r, result] : llvm::enumerate(map.getResults())) {
      auto dim = dyn_cast<AffineDimExpr>(result);
      if (dim && ranges[dim.getPosition()] != operands[index]->dim(r))
        return op->emitError() << "interpreter: operand #" << index
                               << " has shape " << operands[index]->describe()
                               << " but loop d" << dim.getPosition() << " has "
                               << ranges[dim.getPosition()] << " iterations";
    }
  return success();
}

namespace {

/// One execution of a structured op: accesses, registers and the loop nest.
class LoopNestRunner {
public:
  LoopNestRunner(linalg::LinalgOp op, const ScalarProgram &program)
      : op_(op), program_(program) {}

  LogicalResult prepare(ArrayRef<const rt::Tensor *> operands,
                        SmallVectorImpl<rt::Tensor> &results);
  LogicalResult run();

private:
  linalg::LinalgOp op_;
  const ScalarProgram &program_;
  SmallVector<int64_t> ranges_;
  SmallVector<Access> accesses_;
  /// Data of each operand: inputs read from the operands, inits read from
  /// and written to the results.
  SmallVector<const unsigned char *> readData_;
  SmallVector<unsigned char *> writeData_;
  /// loopStrides_[d * numOperands + k]: offset step of operand k along d.
  SmallVector<uint64_t> loopStrides_;
  unsigned numInputs_ = 0;
};

} // namespace

LogicalResult LoopNestRunner::prepare(ArrayRef<const rt::Tensor *> operands,
                                      SmallVectorImpl<rt::Tensor> &results) {
  if (failed(computeLoopRanges(op_, operands, ranges_)))
    return failure();
  numInputs_ = op_.getNumDpsInputs();
  if (program_.getNumLoopIndicesUsed() > ranges_.size())
    return op_->emitError("interpreter: linalg.index beyond the loop nest");

  results.clear();
  for (unsigned i = numInputs_; i < operands.size(); ++i)
    results.push_back(*operands[i]);

  unsigned numOperands = operands.size();
  accesses_.resize(numOperands);
  loopStrides_.assign(ranges_.size() * numOperands, 0);
  for (OpOperand &operand : op_->getOpOperands()) {
    unsigned k = operand.getOperandNumber();
    const rt::Tensor &tensor = *operands[k];
    Access &access = accesses_[k];
    access.dtype = tensor.dtype();
    access.type = *getScalarType(operand.get().getType());
    SmallVector<uint64_t> strides;
    if (failed(buildAccess(op_, k, op_.getMatchingIndexingMap(&operand), tensor,
                           ranges_, access, strides)))
      return failure();
    for (size_t d = 0; d < ranges_.size(); ++d)
      loopStrides_[d * numOperands + k] = strides[d];
    readData_.push_back(k < numInputs_ ? tensor.raw()
                                       : results[k - numInputs_].raw());
    writeData_.push_back(k < numInputs_ ? nullptr
                                        : results[k - numInputs_].raw());
  }
  return success();
}

LogicalResult LoopNestRunner::run() {
  if (llvm::is_contained(ranges_, 0))
    return success();
  const unsigned numOperands = accesses_.size();
  const int64_t numLoops = ranges_.size();
  bool allLinear =
      llvm::all_of(accesses_, [](const Access &a) { return a.linear; });
  std::vector<Slot> regs = program_.makeRegisters();
  SmallVector<int64_t> point(numLoops, 0);
  SmallVector<uint64_t> offsets;
  for (const Access &access : accesses_)
    offsets.push_back(access.base);
  Fault fault;
  while (true) {
    if (!allLinear)
      for (unsigned k = 0; k < numOperands; ++k)
        if (!accesses_[k].linear &&
            !nonLinearOffset(accesses_[k], point, offsets[k]))
          return op_->emitError()
                 << "interpreter: indexing map "
                 << describeMap(accesses_[k].map) << " of operand #" << k
                 << " reads outside its shape "
                 << describeShape(accesses_[k].shape) << " at loop point "
                 << describePoint(point);
    for (unsigned k = 0; k < numOperands; ++k)
      regs[k] =
          loadElement(readData_[k], accesses_[k].dtype,
                      static_cast<int64_t>(offsets[k]), accesses_[k].type);
    if (!program_.run(regs.data(), point.data(), fault))
      return program_.report(fault, op_);
    for (unsigned j = 0, e = program_.getNumResults(); j < e; ++j) {
      unsigned k = numInputs_ + j;
      storeElement(writeData_[k], accesses_[k].dtype,
                   static_cast<int64_t>(offsets[k]),
                   regs[program_.getResultSlot(j)]);
    }
    // Odometer step: the innermost loop moves fastest.
    int64_t d = numLoops - 1;
    for (; d >= 0; --d) {
      const uint64_t *step = &loopStrides_[d * numOperands];
      if (++point[d] < ranges_[d]) {
        for (unsigned k = 0; k < numOperands; ++k)
          offsets[k] += step[k];
        break;
      }
      uint64_t back = static_cast<uint64_t>(ranges_[d] - 1);
      for (unsigned k = 0; k < numOperands; ++k)
        offsets[k] -= back * step[k];
      point[d] = 0;
    }
    if (d < 0)
      return success();
  }
}

/// Checks what the body compiler cannot: tensor semantics and that the
/// block arguments and yielded values line up with the operands.
static LogicalResult checkStructure(linalg::LinalgOp op,
                                    const ScalarProgram &program,
                                    bool emitErrors) {
  auto fail = [&](const Twine &message) {
    if (emitErrors)
      op->emitError() << "interpreter: " << message;
    return failure();
  };
  if (!op.hasPureTensorSemantics())
    return fail("only linalg ops on tensors are supported");
  if (program.getNumArgs() != op->getNumOperands())
    return fail("the body's arguments do not match the operands");
  if (program.getNumResults() != op.getNumDpsInits() ||
      op->getNumResults() != op.getNumDpsInits())
    return fail("the body must yield one value per output");
  for (OpOperand &operand : op->getOpOperands()) {
    Type type = operand.get().getType();
    if (failed(getScalarType(type)) ||
        failed(getRuntimeDType(getElementTypeOrSelf(type))))
      return fail("unsupported element type in operand #" +
                  Twine(operand.getOperandNumber()));
  }
  return success();
}

bool qc::interp::isExecutableLinalgOp(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.getBlock())
    return false;
  FailureOr<ScalarProgram> program =
      ScalarProgram::compileBlock(*linalgOp.getBlock(), /*emitErrors=*/false);
  return succeeded(program) &&
         succeeded(checkStructure(linalgOp, *program, /*emitErrors=*/false));
}

LogicalResult
qc::interp::executeLinalgOp(Operation *op,
                            ArrayRef<const rt::Tensor *> operands,
                            SmallVectorImpl<rt::Tensor> &results) {
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (!linalgOp.getBlock())
    return op->emitError("interpreter: linalg op without a body");
  FailureOr<ScalarProgram> program =
      ScalarProgram::compileBlock(*linalgOp.getBlock(), /*emitErrors=*/true);
  if (failed(program) ||
      failed(checkStructure(linalgOp, *program, /*emitErrors=*/true)))
    return failure();
  for (auto [index, value] : llvm::enumerate(op->getOperands()))
    if (failed(checkOperand(op, index, *operands[index], value.getType())))
      return failure();
  LoopNestRunner runner(linalgOp, *program);
  if (failed(runner.prepare(operands, results)))
    return failure();
  return runner.run();
}
