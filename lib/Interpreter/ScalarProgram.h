//===- ScalarProgram.h - Interpreter internals: scalar bodies ----*- C++
//-*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The scalar half of the integer-only IR interpreter. A linalg body (or a
// tensor.pad body, or one elementwise arith op on tensors) is compiled once
// into a flat list of small instructions over a register file of slots, and
// then evaluated at every point of the iteration space. Compiling first keeps
// the per-point cost to a switch per instruction: a conv of a few million
// points runs in tens of milliseconds.
//
// Integers are int64 slots kept in canonical form for their bit width:
// sign-extended from the width, except i1 which is 0 or 1. Every operation
// wraps at its result width like arith's signless integers. Floats are
// double slots rounded to float after every f32 operation. arith's undefined
// behaviour (division by zero, INT_MIN / -1, shifts of the width or more,
// out-of-range float to integer conversions) is a located error rather than
// an arbitrary result.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_INTERPRETER_SCALARPROGRAM_H
#define QC_LIB_INTERPRETER_SCALARPROGRAM_H

#include "qc/runtime/Tensor.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

#include <cstring>
#include <vector>

namespace qc::interp {

/// The scalar view of an element type: integers (index is 64 bits) or f32 /
/// f64.
struct ScalarType {
  unsigned width = 64;
  bool isFloat = false;
};

/// The scalar type of `type`'s elements (or of `type` itself when it is not
/// shaped), or failure for element types the interpreter cannot compute with.
mlir::FailureOr<ScalarType> getScalarType(mlir::Type type);

/// One register: an integer in canonical form or a float.
union Slot {
  int64_t i;
  double f;
};

//===----------------------------------------------------------------------===//
// Integer canonical form
//===----------------------------------------------------------------------===//

/// The canonical value of the low `width` bits of `bits`.
inline int64_t canonicalize(uint64_t bits, unsigned width) {
  if (width >= 64)
    return static_cast<int64_t>(bits);
  if (width == 1)
    return static_cast<int64_t>(bits & 1);
  unsigned shift = 64 - width;
  return static_cast<int64_t>(bits << shift) >> shift;
}

/// The signed value of a canonical `width`-bit integer.
inline int64_t signedValue(int64_t v, unsigned width) {
  // Canonical i1 "true" is 1, which is -1 as a signed 1-bit number.
  return width == 1 ? -v : v;
}

/// The unsigned value of a canonical `width`-bit integer.
inline uint64_t unsignedValue(int64_t v, unsigned width) {
  if (width >= 64)
    return static_cast<uint64_t>(v);
  return static_cast<uint64_t>(v) & ((uint64_t(1) << width) - 1);
}

//===----------------------------------------------------------------------===//
// Tensor elements
//===----------------------------------------------------------------------===//

/// Reads element `index` of raw storage of `dtype` as a slot of `type`.
inline Slot loadElement(const unsigned char *data, rt::DType dtype,
                        int64_t index, ScalarType type) {
  auto read = [&](auto zero) {
    decltype(zero) v;
    std::memcpy(&v, data + index * static_cast<int64_t>(sizeof(v)), sizeof(v));
    return v;
  };
  Slot s;
  switch (dtype) {
  case rt::DType::F32:
    s.f = read(float());
    return s;
  case rt::DType::F64:
    s.f = read(double());
    return s;
  case rt::DType::I8:
    s.i = read(int8_t());
    break;
  case rt::DType::U8:
    s.i = read(uint8_t());
    break;
  case rt::DType::Bool:
    s.i = read(uint8_t()) != 0;
    break;
  case rt::DType::I16:
    s.i = read(int16_t());
    break;
  case rt::DType::I32:
    s.i = read(int32_t());
    break;
  case rt::DType::I64:
    s.i = read(int64_t());
    break;
  }
  // Sub-byte integers live in bytes; their storage may hold stray high bits.
  s.i = canonicalize(static_cast<uint64_t>(s.i), type.width);
  return s;
}

/// Writes `value` (a slot of the element type) into element `index`.
inline void storeElement(unsigned char *data, rt::DType dtype, int64_t index,
                         Slot value) {
  auto write = [&](auto v) {
    std::memcpy(data + index * static_cast<int64_t>(sizeof(v)), &v, sizeof(v));
  };
  switch (dtype) {
  case rt::DType::F32:
    return write(static_cast<float>(value.f));
  case rt::DType::F64:
    return write(value.f);
  case rt::DType::I8:
    return write(static_cast<int8_t>(value.i));
  case rt::DType::U8:
    return write(static_cast<uint8_t>(value.i));
  case rt::DType::Bool:
    return write(static_cast<uint8_t>(value.i != 0));
  case rt::DType::I16:
    return write(static_cast<int16_t>(value.i));
  case rt::DType::I32:
    return write(static_cast<int32_t>(value.i));
  case rt::DType::I64:
    return write(value.i);
  }
}

//===----------------------------------------------------------------------===//
// Programs
//===----------------------------------------------------------------------===//

/// What stopped an evaluation.
enum class FaultKind : uint8_t {
  DivisionByZero,
  DivisionOverflow,
  ShiftOutOfRange,
  IndexOutOfBounds,
  FloatToIntOutOfRange,
  /// Wrapping in an op marked nsw / nuw, which makes its result poison.
  NoWrapViolated,
};

/// A failed evaluation: the kind, the instruction and a value for the
/// message (the shift amount, the index, ...).
struct Fault {
  FaultKind kind = FaultKind::DivisionByZero;
  uint32_t instr = 0;
  int64_t detail = 0;
};

/// Instruction opcodes; one per supported scalar op (constants are not
/// instructions: they are preloaded into their slots). The evaluator relies
/// on the order: opcodes before CmpI use Instr::predicate only for nsw/nuw.
enum class Opcode : uint8_t {
  // Integer arithmetic (wrapping).
  AddI,
  SubI,
  MulI,
  DivSI,
  DivUI,
  RemSI,
  RemUI,
  CeilDivSI,
  CeilDivUI,
  FloorDivSI,
  MaxSI,
  MinSI,
  MaxUI,
  MinUI,
  AndI,
  OrI,
  XOrI,
  ShLI,
  ShRSI,
  ShRUI,
  MulSIExtended,
  MulUIExtended,
  // Integer conversions and comparisons.
  ExtSI,
  ExtUI,
  TruncI,
  CmpI,
  Select,
  // Floats.
  AddF,
  SubF,
  MulF,
  DivF,
  RemF,
  MaxNumF,
  MinNumF,
  MaximumF,
  MinimumF,
  NegF,
  CmpF,
  SIToFP,
  UIToFP,
  FPToSI,
  FPToUI,
  ExtF,
  TruncF,
  BitcastIntToFloat,
  BitcastFloatToInt,
  // Indices and tables.
  LinalgIndex,
  TensorExtract,
};

/// One instruction: result slot `dst` (and `c` for the high half of the
/// extended multiplications), operand slots `a`, `b`, `c`. linalg.index and
/// tensor.extract keep the dimension / table number in `c`.
struct Instr {
  Opcode opcode;
  /// Bit width of the result.
  uint8_t width;
  /// Bit width of the operands (conversions and comparisons).
  uint8_t srcWidth;
  /// cmpi / cmpf predicate, or the nsw (1) / nuw (2) flags of addi, subi,
  /// muli, shli and trunci.
  uint8_t predicate;
  uint32_t dst;
  uint32_t a;
  uint32_t b;
  uint32_t c;
};

/// A compiled scalar computation: arguments in slots 0..numArgs-1, results
/// read from getResultSlot().
class ScalarProgram {
public:
  /// Compiles `block`: its arguments become the program's arguments and its
  /// terminator's operands its results. Values defined outside the block
  /// must be constants. Emits located errors only when `emitErrors`.
  static mlir::FailureOr<ScalarProgram> compileBlock(mlir::Block &block,
                                                     bool emitErrors);

  /// Compiles one elementwise op applied to tensors: operand i is argument
  /// i, result i is result i, all of the tensors' element types.
  static mlir::FailureOr<ScalarProgram> compileElementwise(mlir::Operation *op,
                                                           bool emitErrors);

  unsigned getNumArgs() const { return argTypes_.size(); }
  ScalarType getArgType(unsigned i) const { return argTypes_[i]; }
  unsigned getNumResults() const { return resultSlots_.size(); }
  ScalarType getResultType(unsigned i) const { return resultTypes_[i]; }
  uint32_t getResultSlot(unsigned i) const { return resultSlots_[i]; }
  /// 1 + the highest linalg.index dimension (0 without linalg.index).
  unsigned getNumLoopIndicesUsed() const { return numLoopIndices_; }

  /// A register file with the constants in place.
  std::vector<Slot> makeRegisters() const { return initialRegisters_; }

  /// Evaluates the instructions on `regs` (arguments already stored);
  /// `loopIndices` feeds linalg.index. False with `fault` set on undefined
  /// behaviour.
  bool run(Slot *regs, const int64_t *loopIndices, Fault &fault) const;

  /// Emits the located error of `fault`; `context` (may be null) gets a note
  /// (the linalg op being executed) so that both places are visible.
  mlir::LogicalResult report(const Fault &fault,
                             mlir::Operation *context) const;

private:
  friend class ProgramBuilder;

  /// A table that tensor.extract reads from: a constant tensor.
  struct Table {
    rt::Tensor tensor;
    ScalarType type;
    std::vector<int64_t> strides;
    std::vector<uint32_t> indexSlots;
  };

  bool runExtract(const Instr &instr, Slot *regs, Fault &fault) const;

  std::vector<Instr> instrs_;
  /// The op of each instruction, for located errors.
  std::vector<mlir::Operation *> origins_;
  std::vector<Slot> initialRegisters_;
  std::vector<ScalarType> argTypes_;
  std::vector<ScalarType> resultTypes_;
  std::vector<uint32_t> resultSlots_;
  std::vector<Table> tables_;
  unsigned numLoopIndices_ = 0;
};

} // namespace qc::interp

#endif // QC_LIB_INTERPRETER_SCALARPROGRAM_H
