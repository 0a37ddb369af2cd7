//===- ScalarProgram.cpp - Compile and evaluate scalar bodies -------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Compilation maps each op of a body to one instruction (constants to
// preloaded slots) and checks types up front, so that evaluation needs no
// checks beyond arith's undefined behaviour. Evaluation is one switch per
// instruction over int64/double slots (ScalarProgram.h describes the
// canonical integer form every instruction maintains).
//
//===----------------------------------------------------------------------===//

#include "ScalarProgram.h"

#include "Values.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cfloat>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace qc;
using namespace qc::interp;

FailureOr<ScalarType> qc::interp::getScalarType(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (element.isIndex())
    return ScalarType{64, false};
  if (auto intType = dyn_cast<IntegerType>(element))
    if (intType.getWidth() <= 64)
      return ScalarType{intType.getWidth(), false};
  if (element.isF32())
    return ScalarType{32, true};
  if (element.isF64())
    return ScalarType{64, true};
  return failure();
}

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

namespace qc::interp {

/// Builds one ScalarProgram: slot allocation, constants, one instruction per
/// op. Every check that could fail at run time is done here instead.
class ProgramBuilder {
public:
  explicit ProgramBuilder(bool emitErrors) : emitErrors_(emitErrors) {}

  FailureOr<ScalarProgram> compileBlock(Block &block);
  FailureOr<ScalarProgram> compileElementwise(Operation *op);

private:
  LogicalResult fail(Operation *op, const Twine &message) {
    if (emitErrors_)
      op->emitError() << "interpreter: " << message;
    return failure();
  }

  uint32_t newSlot(Slot initial = Slot{0}) {
    program_.initialRegisters_.push_back(initial);
    return program_.initialRegisters_.size() - 1;
  }

  FailureOr<ScalarType> typeOf(Operation *user, Type type) {
    FailureOr<ScalarType> scalar = getScalarType(type);
    if (failed(scalar))
      (void)fail(user, "unsupported element type " + describe(type));
    return scalar;
  }

  static std::string describe(Type type) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "'" << type << "'";
    return text;
  }

  FailureOr<uint32_t> slotOf(Value value, Operation *user);
  FailureOr<uint32_t> constantSlot(Attribute attr, Type type, Operation *op);
  LogicalResult compileInstr(Operation *op, ArrayRef<uint32_t> operands,
                             ArrayRef<uint32_t> results);
  LogicalResult compileExtract(tensor::ExtractOp op,
                               ArrayRef<uint32_t> operands, uint32_t result);
  void emit(Operation *op, Opcode opcode, unsigned width, unsigned srcWidth,
            uint32_t dst, uint32_t a, uint32_t b = 0, uint32_t c = 0,
            unsigned predicate = 0) {
    program_.instrs_.push_back(Instr{
        opcode, static_cast<uint8_t>(width), static_cast<uint8_t>(srcWidth),
        static_cast<uint8_t>(predicate), dst, a, b, c});
    program_.origins_.push_back(op);
  }

  bool emitErrors_;
  ScalarProgram program_;
  llvm::DenseMap<Value, uint32_t> slots_;
  /// The block being compiled (null for a single elementwise op).
  Block *block_ = nullptr;
};

} // namespace qc::interp

FailureOr<uint32_t> ProgramBuilder::constantSlot(Attribute attr, Type type,
                                                 Operation *op) {
  FailureOr<ScalarType> scalar = typeOf(op, type);
  if (failed(scalar))
    return failure();
  Slot value{0};
  if (auto intAttr = dyn_cast<IntegerAttr>(attr); intAttr && !scalar->isFloat)
    value.i = canonicalize(intAttr.getValue().getZExtValue(), scalar->width);
  else if (auto floatAttr = dyn_cast<FloatAttr>(attr);
           floatAttr && scalar->isFloat)
    value.f = floatAttr.getValueAsDouble();
  else
    return fail(op, "unsupported constant (only integer, index and f32/f64 "
                    "scalars)");
  return newSlot(value);
}

FailureOr<uint32_t> ProgramBuilder::slotOf(Value value, Operation *user) {
  auto it = slots_.find(value);
  if (it != slots_.end())
    return it->second;
  // A value captured from outside the body: the interpreter only sees the
  // op's operands, so only constants can be read (from their attribute).
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant || isa<ShapedType>(value.getType())) {
    (void)fail(user, "the body uses a value defined outside it that is not a "
                     "scalar constant");
    return failure();
  }
  FailureOr<uint32_t> slot =
      constantSlot(constant.getValue(), constant.getType(), user);
  if (succeeded(slot))
    slots_[value] = *slot;
  return slot;
}

/// The opcode of a same-typed binary integer op.
static std::optional<Opcode> binaryIntegerOpcode(Operation *op) {
  return TypeSwitch<Operation *, std::optional<Opcode>>(op)
      .Case([](arith::AddIOp) { return Opcode::AddI; })
      .Case([](arith::SubIOp) { return Opcode::SubI; })
      .Case([](arith::MulIOp) { return Opcode::MulI; })
      .Case([](arith::DivSIOp) { return Opcode::DivSI; })
      .Case([](arith::DivUIOp) { return Opcode::DivUI; })
      .Case([](arith::RemSIOp) { return Opcode::RemSI; })
      .Case([](arith::RemUIOp) { return Opcode::RemUI; })
      .Case([](arith::CeilDivSIOp) { return Opcode::CeilDivSI; })
      .Case([](arith::CeilDivUIOp) { return Opcode::CeilDivUI; })
      .Case([](arith::FloorDivSIOp) { return Opcode::FloorDivSI; })
      .Case([](arith::MaxSIOp) { return Opcode::MaxSI; })
      .Case([](arith::MinSIOp) { return Opcode::MinSI; })
      .Case([](arith::MaxUIOp) { return Opcode::MaxUI; })
      .Case([](arith::MinUIOp) { return Opcode::MinUI; })
      .Case([](arith::AndIOp) { return Opcode::AndI; })
      .Case([](arith::OrIOp) { return Opcode::OrI; })
      .Case([](arith::XOrIOp) { return Opcode::XOrI; })
      .Case([](arith::ShLIOp) { return Opcode::ShLI; })
      .Case([](arith::ShRSIOp) { return Opcode::ShRSI; })
      .Case([](arith::ShRUIOp) { return Opcode::ShRUI; })
      .Default([](Operation *) { return std::nullopt; });
}

/// The opcode of a same-typed binary float op.
static std::optional<Opcode> binaryFloatOpcode(Operation *op) {
  return TypeSwitch<Operation *, std::optional<Opcode>>(op)
      .Case([](arith::AddFOp) { return Opcode::AddF; })
      .Case([](arith::SubFOp) { return Opcode::SubF; })
      .Case([](arith::MulFOp) { return Opcode::MulF; })
      .Case([](arith::DivFOp) { return Opcode::DivF; })
      .Case([](arith::RemFOp) { return Opcode::RemF; })
      .Case([](arith::MaxNumFOp) { return Opcode::MaxNumF; })
      .Case([](arith::MinNumFOp) { return Opcode::MinNumF; })
      .Case([](arith::MaximumFOp) { return Opcode::MaximumF; })
      .Case([](arith::MinimumFOp) { return Opcode::MinimumF; })
      .Default([](Operation *) { return std::nullopt; });
}

/// The opcode of a conversion between scalar types, chosen from the source
/// and result types (index_cast extends or truncates depending on widths).
static std::optional<Opcode> conversionOpcode(Operation *op, ScalarType src,
                                              ScalarType dst) {
  auto resize = [&](bool isSigned) {
    if (dst.width < src.width)
      return Opcode::TruncI;
    return isSigned ? Opcode::ExtSI : Opcode::ExtUI;
  };
  return TypeSwitch<Operation *, std::optional<Opcode>>(op)
      .Case([&](arith::ExtSIOp) { return Opcode::ExtSI; })
      .Case([&](arith::ExtUIOp) { return Opcode::ExtUI; })
      .Case([&](arith::TruncIOp) { return Opcode::TruncI; })
      .Case([&](arith::IndexCastOp) { return resize(/*isSigned=*/true); })
      .Case([&](arith::IndexCastUIOp) { return resize(/*isSigned=*/false); })
      .Case([&](arith::SIToFPOp) { return Opcode::SIToFP; })
      .Case([&](arith::UIToFPOp) { return Opcode::UIToFP; })
      .Case([&](arith::FPToSIOp) { return Opcode::FPToSI; })
      .Case([&](arith::FPToUIOp) { return Opcode::FPToUI; })
      .Case([&](arith::ExtFOp) { return Opcode::ExtF; })
      .Case([&](arith::TruncFOp op) -> std::optional<Opcode> {
        // Only the default rounding is implemented.
        std::optional<arith::RoundingMode> mode = op.getRoundingmode();
        if (mode && *mode != arith::RoundingMode::to_nearest_even)
          return std::nullopt;
        return Opcode::TruncF;
      })
      .Case([&](arith::BitcastOp) -> std::optional<Opcode> {
        if (src.isFloat == dst.isFloat)
          return src.isFloat ? Opcode::ExtF : Opcode::ExtSI;
        return src.isFloat ? Opcode::BitcastFloatToInt
                           : Opcode::BitcastIntToFloat;
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// The nsw (1) and nuw (2) flags of `op`: wrapping then makes the result
/// poison, which the evaluator reports.
static unsigned noWrapFlags(Operation *op) {
  auto flags = dyn_cast<arith::ArithIntegerOverflowFlagsInterface>(op);
  if (!flags)
    return 0;
  return (flags.hasNoSignedWrap() ? 1 : 0) |
         (flags.hasNoUnsignedWrap() ? 2 : 0);
}

LogicalResult ProgramBuilder::compileInstr(Operation *op,
                                           ArrayRef<uint32_t> operands,
                                           ArrayRef<uint32_t> results) {
  if (op->getNumRegions() != 0)
    return fail(op, "ops with regions are not supported in a body");
  SmallVector<ScalarType> in, out;
  for (Value v : op->getOperands()) {
    FailureOr<ScalarType> t = typeOf(op, v.getType());
    if (failed(t))
      return failure();
    in.push_back(*t);
  }
  for (Value v : op->getResults()) {
    FailureOr<ScalarType> t = typeOf(op, v.getType());
    if (failed(t))
      return failure();
    out.push_back(*t);
  }
  auto allInts = [&] {
    return llvm::none_of(in, [](ScalarType t) { return t.isFloat; }) &&
           llvm::none_of(out, [](ScalarType t) { return t.isFloat; });
  };
  auto allFloats = [&] {
    return llvm::all_of(in, [](ScalarType t) { return t.isFloat; }) &&
           llvm::all_of(out, [](ScalarType t) { return t.isFloat; });
  };
  auto badTypes = [&] {
    return fail(op, "unsupported operand types for '" +
                        op->getName().getStringRef() + "'");
  };

  if (std::optional<Opcode> opc = binaryIntegerOpcode(op)) {
    if (!allInts())
      return badTypes();
    emit(op, *opc, out[0].width, in[0].width, results[0], operands[0],
         operands[1], 0, noWrapFlags(op));
    return success();
  }
  if (std::optional<Opcode> opc = binaryFloatOpcode(op)) {
    if (!allFloats())
      return badTypes();
    emit(op, *opc, out[0].width, in[0].width, results[0], operands[0],
         operands[1]);
    return success();
  }
  if (op->getNumOperands() == 1 && op->getNumResults() == 1)
    if (std::optional<Opcode> opc = conversionOpcode(op, in[0], out[0])) {
      emit(op, *opc, out[0].width, in[0].width, results[0], operands[0], 0, 0,
           noWrapFlags(op));
      return success();
    }
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](arith::MulSIExtendedOp) {
        if (!allInts())
          return badTypes();
        emit(op, Opcode::MulSIExtended, out[0].width, in[0].width, results[0],
             operands[0], operands[1], results[1]);
        return success();
      })
      .Case([&](arith::MulUIExtendedOp) {
        if (!allInts())
          return badTypes();
        emit(op, Opcode::MulUIExtended, out[0].width, in[0].width, results[0],
             operands[0], operands[1], results[1]);
        return success();
      })
      .Case([&](arith::CmpIOp cmp) {
        if (!allInts())
          return badTypes();
        emit(op, Opcode::CmpI, 1, in[0].width, results[0], operands[0],
             operands[1], 0, static_cast<unsigned>(cmp.getPredicate()));
        return success();
      })
      .Case([&](arith::CmpFOp cmp) {
        if (!in[0].isFloat)
          return badTypes();
        emit(op, Opcode::CmpF, 1, in[0].width, results[0], operands[0],
             operands[1], 0, static_cast<unsigned>(cmp.getPredicate()));
        return success();
      })
      .Case([&](arith::NegFOp) {
        if (!allFloats())
          return badTypes();
        emit(op, Opcode::NegF, out[0].width, in[0].width, results[0],
             operands[0]);
        return success();
      })
      .Case([&](arith::SelectOp) {
        if (in[0].isFloat || in[0].width != 1)
          return badTypes();
        emit(op, Opcode::Select, out[0].width, out[0].width, results[0],
             operands[0], operands[1], operands[2]);
        return success();
      })
      .Case([&](linalg::IndexOp index) {
        program_.numLoopIndices_ =
            std::max<unsigned>(program_.numLoopIndices_, index.getDim() + 1);
        // The dimension goes in `c`: `a` and `b` are always read as slots.
        emit(op, Opcode::LinalgIndex, 64, 64, results[0], results[0],
             results[0], static_cast<uint32_t>(index.getDim()));
        return success();
      })
      .Case([&](tensor::ExtractOp extract) {
        return compileExtract(extract, operands, results[0]);
      })
      .Default([&](Operation *) {
        std::string where;
        if (block_)
          where = " in the body of '" +
                  block_->getParentOp()->getName().getStringRef().str() + "'";
        return fail(op, "'" + op->getName().getStringRef() +
                            "' is not supported" + where);
      });
}

LogicalResult ProgramBuilder::compileExtract(tensor::ExtractOp op,
                                             ArrayRef<uint32_t> operands,
                                             uint32_t result) {
  auto constant = op.getTensor().getDefiningOp<arith::ConstantOp>();
  auto type = op.getTensor().getType();
  FailureOr<rt::Tensor> tensor = constant
                                     ? tensorFromAttr(constant.getValue(), type)
                                     : FailureOr<rt::Tensor>(failure());
  if (failed(tensor))
    return fail(op, "tensor.extract in a body can only read a static-shape "
                    "constant tensor defined outside the body");
  FailureOr<ScalarType> element = typeOf(op, type);
  if (failed(element))
    return failure();
  ScalarProgram::Table table;
  table.type = *element;
  table.strides = rt::stridesOf(tensor->shape());
  table.tensor = std::move(*tensor);
  // Operand 0 is the tensor itself (no slot); the rest are the indices.
  table.indexSlots.assign(operands.begin() + 1, operands.end());
  program_.tables_.push_back(std::move(table));
  emit(op, Opcode::TensorExtract, element->width, 64, result, result, result,
       static_cast<uint32_t>(program_.tables_.size() - 1));
  return success();
}

FailureOr<ScalarProgram> ProgramBuilder::compileBlock(Block &block) {
  block_ = &block;
  for (BlockArgument arg : block.getArguments()) {
    FailureOr<ScalarType> type = typeOf(block.getParentOp(), arg.getType());
    if (failed(type))
      return failure();
    program_.argTypes_.push_back(*type);
    slots_[arg] = newSlot();
  }
  for (Operation &op : block) {
    SmallVector<uint32_t> operands;
    for (Value v : op.getOperands()) {
      // tensor.extract's tensor is read at compile time, not from a slot.
      if (isa<tensor::ExtractOp>(op) && v == op.getOperand(0)) {
        operands.push_back(0);
        continue;
      }
      FailureOr<uint32_t> slot = slotOf(v, &op);
      if (failed(slot))
        return failure();
      operands.push_back(*slot);
    }
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      for (auto [value, slot] : llvm::zip(op.getOperands(), operands)) {
        FailureOr<ScalarType> type = typeOf(&op, value.getType());
        if (failed(type))
          return failure();
        program_.resultTypes_.push_back(*type);
        program_.resultSlots_.push_back(slot);
      }
      return std::move(program_);
    }
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      FailureOr<uint32_t> slot =
          constantSlot(constant.getValue(), constant.getType(), &op);
      if (failed(slot))
        return failure();
      slots_[constant.getResult()] = *slot;
      continue;
    }
    SmallVector<uint32_t> results;
    for (Value v : op.getResults())
      results.push_back(slots_[v] = newSlot());
    if (failed(compileInstr(&op, operands, results)))
      return failure();
  }
  return fail(block.getParentOp(), "body has no terminator");
}

FailureOr<ScalarProgram> ProgramBuilder::compileElementwise(Operation *op) {
  SmallVector<uint32_t> operands, results;
  for (Value v : op->getOperands()) {
    FailureOr<ScalarType> type = typeOf(op, v.getType());
    if (failed(type))
      return failure();
    program_.argTypes_.push_back(*type);
    operands.push_back(newSlot());
  }
  for (Value v : op->getResults()) {
    FailureOr<ScalarType> type = typeOf(op, v.getType());
    if (failed(type))
      return failure();
    program_.resultTypes_.push_back(*type);
    results.push_back(newSlot());
  }
  program_.resultSlots_.assign(results.begin(), results.end());
  if (isa<linalg::IndexOp, tensor::ExtractOp>(op))
    return fail(op, "'" + op->getName().getStringRef() +
                        "' is only supported inside a body");
  if (failed(compileInstr(op, operands, results)))
    return failure();
  return std::move(program_);
}

FailureOr<ScalarProgram> ScalarProgram::compileBlock(Block &block,
                                                     bool emitErrors) {
  return ProgramBuilder(emitErrors).compileBlock(block);
}

FailureOr<ScalarProgram> ScalarProgram::compileElementwise(Operation *op,
                                                           bool emitErrors) {
  return ProgramBuilder(emitErrors).compileElementwise(op);
}

//===----------------------------------------------------------------------===//
// Evaluation
//===----------------------------------------------------------------------===//

/// The most negative `width`-bit signed integer.
static int64_t minSigned(unsigned width) {
  return width >= 64 ? std::numeric_limits<int64_t>::min()
                     : -(int64_t(1) << (width - 1));
}

/// `v` rounded to the nearest float (ties to even), overflowing to an
/// infinity as IEEE does rather than hitting C++'s undefined conversion.
static double roundToF32(double v) {
  // FLT_MAX plus half an ulp: from there on, round-to-nearest gives inf.
  constexpr double kOverflow = 0x1.ffffffp127;
  if (std::isfinite(v) && std::fabs(v) >= kOverflow)
    return v > 0 ? std::numeric_limits<double>::infinity()
                 : -std::numeric_limits<double>::infinity();
  return static_cast<double>(static_cast<float>(v));
}

/// `v` rounded to a float of `width` bits.
static double roundFloat(double v, unsigned width) {
  return width == 32 ? roundToF32(v) : v;
}

static bool compareInts(arith::CmpIPredicate predicate, int64_t a, int64_t b,
                        unsigned width) {
  int64_t sa = signedValue(a, width), sb = signedValue(b, width);
  uint64_t ua = unsignedValue(a, width), ub = unsignedValue(b, width);
  switch (predicate) {
  case arith::CmpIPredicate::eq:
    return a == b;
  case arith::CmpIPredicate::ne:
    return a != b;
  case arith::CmpIPredicate::slt:
    return sa < sb;
  case arith::CmpIPredicate::sle:
    return sa <= sb;
  case arith::CmpIPredicate::sgt:
    return sa > sb;
  case arith::CmpIPredicate::sge:
    return sa >= sb;
  case arith::CmpIPredicate::ult:
    return ua < ub;
  case arith::CmpIPredicate::ule:
    return ua <= ub;
  case arith::CmpIPredicate::ugt:
    return ua > ub;
  case arith::CmpIPredicate::uge:
    return ua >= ub;
  }
  return false;
}

static bool compareFloats(arith::CmpFPredicate predicate, double a, double b) {
  bool unordered = std::isnan(a) || std::isnan(b);
  switch (predicate) {
  case arith::CmpFPredicate::AlwaysFalse:
    return false;
  case arith::CmpFPredicate::OEQ:
    return !unordered && a == b;
  case arith::CmpFPredicate::OGT:
    return !unordered && a > b;
  case arith::CmpFPredicate::OGE:
    return !unordered && a >= b;
  case arith::CmpFPredicate::OLT:
    return !unordered && a < b;
  case arith::CmpFPredicate::OLE:
    return !unordered && a <= b;
  case arith::CmpFPredicate::ONE:
    return !unordered && a != b;
  case arith::CmpFPredicate::ORD:
    return !unordered;
  case arith::CmpFPredicate::UEQ:
    return unordered || a == b;
  case arith::CmpFPredicate::UGT:
    return unordered || a > b;
  case arith::CmpFPredicate::UGE:
    return unordered || a >= b;
  case arith::CmpFPredicate::ULT:
    return unordered || a < b;
  case arith::CmpFPredicate::ULE:
    return unordered || a <= b;
  case arith::CmpFPredicate::UNE:
    return unordered || a != b;
  case arith::CmpFPredicate::UNO:
    return unordered;
  case arith::CmpFPredicate::AlwaysTrue:
    return true;
  }
  return false;
}

/// IEEE maximum/minimum (arith.maximumf/minimumf): NaN wins, -0 < +0.
static double ieeeMaxMin(double a, double b, bool isMax) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<double>::quiet_NaN();
  if (a == b)
    return (std::signbit(a) == isMax) ? b : a;
  return (a > b) == isMax ? a : b;
}

/// Signed division family: checks arith's undefined cases, then divides.
static bool divideSigned(Opcode opcode, int64_t x, int64_t y, unsigned width,
                         int64_t &out, FaultKind &fault) {
  if (y == 0) {
    fault = FaultKind::DivisionByZero;
    return false;
  }
  if (x == minSigned(width) && y == -1) {
    fault = FaultKind::DivisionOverflow;
    return false;
  }
  int64_t q = x / y, r = x % y;
  switch (opcode) {
  case Opcode::RemSI:
    out = r;
    return true;
  case Opcode::CeilDivSI:
    out = q + (r != 0 && (r < 0) == (y < 0));
    return true;
  case Opcode::FloorDivSI:
    out = q - (r != 0 && (r < 0) != (y < 0));
    return true;
  default:
    out = q;
    return true;
  }
}

/// Unsigned division family.
static bool divideUnsigned(Opcode opcode, uint64_t x, uint64_t y, uint64_t &out,
                           FaultKind &fault) {
  if (y == 0) {
    fault = FaultKind::DivisionByZero;
    return false;
  }
  switch (opcode) {
  case Opcode::RemUI:
    out = x % y;
    return true;
  case Opcode::CeilDivUI:
    out = x / y + (x % y != 0);
    return true;
  default:
    out = x / y;
    return true;
  }
}

/// Float to integer conversion, which is poison in arith when the truncated
/// value does not fit.
static bool floatToInt(double v, unsigned width, bool isSigned, int64_t &out) {
  if (std::isnan(v))
    return false;
  double t = std::trunc(v);
  if (isSigned) {
    double limit = std::ldexp(1.0, static_cast<int>(width) - 1);
    if (t < -limit || t >= limit)
      return false;
    out = canonicalize(static_cast<uint64_t>(static_cast<int64_t>(t)), width);
    return true;
  }
  if (t < 0 || t >= std::ldexp(1.0, static_cast<int>(width)))
    return false;
  out = canonicalize(static_cast<uint64_t>(t), width);
  return true;
}

/// The flag, nsw (1) or nuw (2), that `in` (addi, subi, muli, shli or trunci
/// carrying flags) violates on operands `a` and `b`, or 0.
static unsigned violatedNoWrapFlag(const Instr &in, int64_t a, int64_t b) {
  const unsigned w = in.width;
  const bool nsw = in.predicate & 1, nuw = in.predicate & 2;
  auto signedFits = [&](__int128 v) {
    return v == signedValue(canonicalize(static_cast<uint64_t>(v), w), w);
  };
  auto unsignedFits = [&](unsigned __int128 v) {
    return w >= 64 ? (v >> 64) == 0 : (v >> w) == 0;
  };
  auto verdict = [&](bool signedWraps, bool unsignedWraps) -> unsigned {
    return nsw && signedWraps ? 1 : nuw && unsignedWraps ? 2 : 0;
  };
  __int128 sa = signedValue(a, in.srcWidth), sb = signedValue(b, w);
  unsigned __int128 ua = unsignedValue(a, in.srcWidth),
                    ub = unsignedValue(b, w);
  switch (in.opcode) {
  case Opcode::AddI:
    return verdict(!signedFits(sa + sb), !unsignedFits(ua + ub));
  case Opcode::SubI:
    return verdict(!signedFits(sa - sb), ua < ub);
  case Opcode::MulI:
    return verdict(!signedFits(sa * sb), !unsignedFits(ua * ub));
  case Opcode::ShLI: {
    // Shifted-out bits must all equal the result's sign bit (nsw) or be
    // zero (nuw). Too large amounts are reported by the shift itself.
    uint64_t amount = unsignedValue(b, w);
    if (amount >= w)
      return 0;
    int64_t r = canonicalize(static_cast<uint64_t>(a) << amount, w);
    return verdict((signedValue(r, w) >> amount) != signedValue(a, w),
                   (unsignedValue(r, w) >> amount) != unsignedValue(a, w));
  }
  case Opcode::TruncI:
    return verdict(!signedFits(sa), !unsignedFits(ua));
  default:
    return 0;
  }
}

bool ScalarProgram::runExtract(const Instr &instr, Slot *regs,
                               Fault &fault) const {
  const Table &table = tables_[instr.c];
  int64_t offset = 0;
  for (size_t d = 0; d < table.indexSlots.size(); ++d) {
    int64_t index = regs[table.indexSlots[d]].i;
    if (index < 0 || index >= table.tensor.dim(d)) {
      fault.kind = FaultKind::IndexOutOfBounds;
      fault.detail = index;
      return false;
    }
    offset += index * table.strides[d];
  }
  regs[instr.dst] =
      loadElement(table.tensor.raw(), table.tensor.dtype(), offset, table.type);
  return true;
}

bool ScalarProgram::run(Slot *regs, const int64_t *loopIndices,
                        Fault &fault) const {
  for (size_t pc = 0, e = instrs_.size(); pc < e; ++pc) {
    const Instr &in = instrs_[pc];
    const unsigned w = in.width;
    const int64_t a = regs[in.a].i, b = regs[in.b].i;
    const uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
    const double fa = regs[in.a].f, fb = regs[in.b].f;
    Slot &dst = regs[in.dst];
    auto setInt = [&](uint64_t bits) { dst.i = canonicalize(bits, w); };
    auto setFloat = [&](double v) { dst.f = roundFloat(v, w); };
    auto trap = [&](FaultKind kind, int64_t detail) {
      fault.kind = kind;
      fault.instr = static_cast<uint32_t>(pc);
      fault.detail = detail;
      return false;
    };
    // Below CmpI, only ops carrying nsw / nuw flags have a predicate.
    if (in.predicate && in.opcode < Opcode::CmpI)
      if (unsigned flag = violatedNoWrapFlag(in, a, b))
        return trap(FaultKind::NoWrapViolated, flag);
    switch (in.opcode) {
    case Opcode::AddI:
      setInt(ua + ub);
      break;
    case Opcode::SubI:
      setInt(ua - ub);
      break;
    case Opcode::MulI:
      setInt(ua * ub);
      break;
    case Opcode::DivSI:
    case Opcode::RemSI:
    case Opcode::CeilDivSI:
    case Opcode::FloorDivSI: {
      int64_t q;
      FaultKind kind;
      if (!divideSigned(in.opcode, signedValue(a, w), signedValue(b, w), w, q,
                        kind))
        return trap(kind, 0);
      setInt(static_cast<uint64_t>(q));
      break;
    }
    case Opcode::DivUI:
    case Opcode::RemUI:
    case Opcode::CeilDivUI: {
      uint64_t q;
      FaultKind kind;
      if (!divideUnsigned(in.opcode, unsignedValue(a, w), unsignedValue(b, w),
                          q, kind))
        return trap(kind, 0);
      setInt(q);
      break;
    }
    case Opcode::MaxSI:
      dst.i = signedValue(a, w) >= signedValue(b, w) ? a : b;
      break;
    case Opcode::MinSI:
      dst.i = signedValue(a, w) <= signedValue(b, w) ? a : b;
      break;
    case Opcode::MaxUI:
      dst.i = unsignedValue(a, w) >= unsignedValue(b, w) ? a : b;
      break;
    case Opcode::MinUI:
      dst.i = unsignedValue(a, w) <= unsignedValue(b, w) ? a : b;
      break;
    case Opcode::AndI:
      setInt(ua & ub);
      break;
    case Opcode::OrI:
      setInt(ua | ub);
      break;
    case Opcode::XOrI:
      setInt(ua ^ ub);
      break;
    case Opcode::ShLI:
    case Opcode::ShRSI:
    case Opcode::ShRUI: {
      // Shifting by the width or more is poison in arith.
      uint64_t amount = unsignedValue(b, w);
      if (amount >= w)
        return trap(FaultKind::ShiftOutOfRange, static_cast<int64_t>(amount));
      if (in.opcode == Opcode::ShLI)
        setInt(ua << amount);
      else if (in.opcode == Opcode::ShRSI)
        setInt(static_cast<uint64_t>(signedValue(a, w) >> amount));
      else
        setInt(unsignedValue(a, w) >> amount);
      break;
    }
    case Opcode::MulSIExtended: {
      __int128 p = static_cast<__int128>(signedValue(a, w)) * signedValue(b, w);
      int64_t high = canonicalize(static_cast<uint64_t>(p >> w), w);
      setInt(static_cast<uint64_t>(p));
      regs[in.c].i = high;
      break;
    }
    case Opcode::MulUIExtended: {
      unsigned __int128 p =
          static_cast<unsigned __int128>(unsignedValue(a, w)) *
          unsignedValue(b, w);
      int64_t high = canonicalize(static_cast<uint64_t>(p >> w), w);
      setInt(static_cast<uint64_t>(p));
      regs[in.c].i = high;
      break;
    }
    case Opcode::ExtSI:
      setInt(static_cast<uint64_t>(signedValue(a, in.srcWidth)));
      break;
    case Opcode::ExtUI:
      setInt(unsignedValue(a, in.srcWidth));
      break;
    case Opcode::TruncI:
      setInt(ua);
      break;
    case Opcode::CmpI:
      dst.i = compareInts(static_cast<arith::CmpIPredicate>(in.predicate), a, b,
                          in.srcWidth);
      break;
    case Opcode::Select:
      dst = a ? regs[in.b] : regs[in.c];
      break;
    case Opcode::AddF:
      setFloat(fa + fb);
      break;
    case Opcode::SubF:
      setFloat(fa - fb);
      break;
    case Opcode::MulF:
      setFloat(fa * fb);
      break;
    case Opcode::DivF:
      setFloat(fa / fb);
      break;
    case Opcode::RemF:
      setFloat(std::fmod(fa, fb));
      break;
    case Opcode::MaxNumF:
      setFloat(std::fmax(fa, fb));
      break;
    case Opcode::MinNumF:
      setFloat(std::fmin(fa, fb));
      break;
    case Opcode::MaximumF:
      setFloat(ieeeMaxMin(fa, fb, /*isMax=*/true));
      break;
    case Opcode::MinimumF:
      setFloat(ieeeMaxMin(fa, fb, /*isMax=*/false));
      break;
    case Opcode::NegF:
      dst.f = -fa;
      break;
    case Opcode::CmpF:
      dst.i = compareFloats(static_cast<arith::CmpFPredicate>(in.predicate), fa,
                            fb);
      break;
    case Opcode::SIToFP: {
      int64_t v = signedValue(a, in.srcWidth);
      // Convert once: int64 -> double -> float could round twice.
      dst.f = w == 32 ? static_cast<double>(static_cast<float>(v))
                      : static_cast<double>(v);
      break;
    }
    case Opcode::UIToFP: {
      uint64_t v = unsignedValue(a, in.srcWidth);
      dst.f = w == 32 ? static_cast<double>(static_cast<float>(v))
                      : static_cast<double>(v);
      break;
    }
    case Opcode::FPToSI:
    case Opcode::FPToUI:
      if (!floatToInt(fa, w, in.opcode == Opcode::FPToSI, dst.i))
        return trap(FaultKind::FloatToIntOutOfRange, 0);
      break;
    case Opcode::ExtF:
      dst.f = fa;
      break;
    case Opcode::TruncF:
      setFloat(fa);
      break;
    case Opcode::BitcastIntToFloat:
      if (w == 32) {
        uint32_t bits = static_cast<uint32_t>(ua);
        float f;
        std::memcpy(&f, &bits, sizeof(f));
        dst.f = f;
      } else {
        std::memcpy(&dst.f, &ua, sizeof(double));
      }
      break;
    case Opcode::BitcastFloatToInt:
      if (w == 32) {
        float f = static_cast<float>(fa);
        uint32_t bits;
        std::memcpy(&bits, &f, sizeof(bits));
        setInt(bits);
      } else {
        uint64_t bits;
        std::memcpy(&bits, &fa, sizeof(bits));
        setInt(bits);
      }
      break;
    case Opcode::LinalgIndex:
      dst.i = loopIndices[in.c];
      break;
    case Opcode::TensorExtract:
      if (!runExtract(in, regs, fault)) {
        fault.instr = static_cast<uint32_t>(pc);
        return false;
      }
      break;
    }
  }
  return true;
}

LogicalResult ScalarProgram::report(const Fault &fault,
                                    Operation *context) const {
  Operation *op = origins_[fault.instr];
  const Instr &instr = instrs_[fault.instr];
  InFlightDiagnostic diag = op->emitError() << "interpreter: ";
  switch (fault.kind) {
  case FaultKind::DivisionByZero:
    diag << "division by zero";
    break;
  case FaultKind::DivisionOverflow:
    diag << "signed division overflow (INT_MIN / -1)";
    break;
  case FaultKind::ShiftOutOfRange:
    diag << "shift amount " << fault.detail
         << " is not less than the bit width " << unsigned(instr.width);
    break;
  case FaultKind::IndexOutOfBounds:
    diag << "index " << fault.detail << " out of bounds";
    break;
  case FaultKind::FloatToIntOutOfRange:
    diag << "value out of the range of the result type";
    break;
  case FaultKind::NoWrapViolated:
    diag << (fault.detail == 1 ? "signed" : "unsigned")
         << " wrap-around despite the " << (fault.detail == 1 ? "nsw" : "nuw")
         << " flag";
    break;
  }
  diag << " in " << op->getName();
  if (context && context != op)
    diag.attachNote(context->getLoc())
        << "while executing '" << context->getName() << "'";
  return diag;
}
