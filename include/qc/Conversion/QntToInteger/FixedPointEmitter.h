//===- FixedPointEmitter.h - the runtime core's rescale as arith ops -*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// gemmlowp SaturatingRoundingDoublingHighMul / RoundingDivideByPOT and TOSA
// apply_scale_32 as arith ops on i64-held int32 values, bit-exact with
// qc/runtime/fixed_point.h (checked by test/Conversion/QntToArith).
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_QNTTOINTEGER_FIXEDPOINTEMITTER_H
#define QC_CONVERSION_QNTTOINTEGER_FIXEDPOINTEMITTER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace qc::lowering {

using mlir::Value;
using mlir::VectorType;
using mlir::dyn_cast;
using mlir::DenseElementsAttr;
namespace arith = mlir::arith;

/// Emission helpers over one builder and location. `t` is i64 or a vector
/// of i64: arith ops are elementwise, so the same code serves the scalar
/// bodies of qnt-lower-to-arith and the vector epilogues of the CPU
/// kernels.
struct FixedPointEmitter {
  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::Type t;

  Value c(int64_t v) {
    if (auto vec = dyn_cast<VectorType>(t))
      return arith::ConstantOp::create(
          b, loc, vec,
          DenseElementsAttr::get(vec, b.getIntegerAttr(vec.getElementType(), v)));
    return arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, v));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, loc, x, y); }
  Value shr(Value x, Value y) { return arith::ShRSIOp::create(b, loc, x, y); }
  Value band(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  Value clamp(Value x, int64_t lo, int64_t hi) {
    x = arith::MaxSIOp::create(b, loc, x, c(lo));
    return arith::MinSIOp::create(b, loc, x, c(hi));
  }
  Value zext(Value bit) { return arith::ExtUIOp::create(b, loc, t, bit); }

  /// gemmlowp SaturatingRoundingDoublingHighMul on i64-held int32 values.
  Value srdhm(Value a, Value m) {
    Value p = mul(a, m);
    Value nudge = select(cmp(arith::CmpIPredicate::sge, p, c(0)),
                         c(int64_t(1) << 30), c(1 - (int64_t(1) << 30)));
    Value r = arith::DivSIOp::create(b, loc, add(p, nudge), c(int64_t(1) << 31));
    Value overflow = band(cmp(arith::CmpIPredicate::eq, a, c(INT32_MIN)),
                          cmp(arith::CmpIPredicate::eq, m, c(INT32_MIN)));
    return select(overflow, c(INT32_MAX), r);
  }

  /// gemmlowp RoundingDivideByPOT (exponent in [0, 31], held in i64).
  Value rdbpot(Value x, Value e) {
    Value mask = sub(shl(c(1), e), c(1));
    Value rem = band(x, mask);
    Value negative = zext(cmp(arith::CmpIPredicate::slt, x, c(0)));
    Value thr = add(shr(mask, c(1)), negative);
    return add(shr(x, e), zext(cmp(arith::CmpIPredicate::sgt, rem, thr)));
  }

  /// qc_multiply_by_quantized_multiplier with left/right precomputed.
  Value gemmlowp(Value x, Value m0, Value left, Value right) {
    Value shifted = clamp(shl(x, left), INT32_MIN, INT32_MAX);
    return rdbpot(srdhm(shifted, m0), right);
  }

  /// x * m0 / 2^s rounded once, ties to even, saturated to int32
  /// (qc_multiply_by_quantized_multiplier_half_even; s in [0, 62]).
  Value halfEven(Value x, Value m, Value s) {
    Value p = mul(x, m);
    Value q = shr(p, s);
    Value remainder = sub(p, shl(q, s));
    Value half = shr(shl(c(1), s), c(1)); // 0 when s = 0: nothing to round
    Value above = cmp(arith::CmpIPredicate::sgt, remainder, half);
    Value tie = band(cmp(arith::CmpIPredicate::eq, remainder, half),
                     cmp(arith::CmpIPredicate::ne, half, c(0)));
    Value odd = cmp(arith::CmpIPredicate::ne, band(q, c(1)), c(0));
    Value up = arith::OrIOp::create(b, loc, above, band(tie, odd));
    return clamp(add(q, zext(up)), INT32_MIN, INT32_MAX);
  }

  /// TOSA apply_scale_32 with shift s = 31 - shift, clamped to [2, 62].
  Value tosa(Value x, Value m, Value s, bool doubleRound) {
    Value round = shl(c(1), sub(s, c(1)));
    if (doubleRound) {
      Value bump = select(cmp(arith::CmpIPredicate::sge, x, c(0)),
                          c(int64_t(1) << 30), c(-(int64_t(1) << 30)));
      round = select(cmp(arith::CmpIPredicate::sgt, s, c(31)),
                     add(round, bump), round);
    }
    return clamp(shr(add(mul(x, m), round), s), INT32_MIN, INT32_MAX);
  }
};

/// Per-entry parameters as i64: (m0, left, right) for gemmlowp, (m0, s, -)
/// for TOSA, with the runtime core's clamps applied at compile time.
inline std::array<int64_t, 3> fixedPointParams(bool gemmlowp, int64_t m0,
                                               int64_t shift) {
  if (gemmlowp)
    return {m0, std::min<int64_t>(std::max<int64_t>(shift, 0), 31),
            std::min<int64_t>(std::max<int64_t>(-shift, 0), 31)};
  return {m0, std::clamp<int64_t>(31 - shift, 2, 62), 0};
}

/// (m0, s, -) for half_even: s = 31 - shift clamped into [0, 62].
inline std::array<int64_t, 3> halfEvenParams(int64_t m0, int64_t shift) {
  return {m0, std::clamp<int64_t>(31 - shift, 0, 62), 0};
}

} // namespace qc::lowering

#endif // QC_CONVERSION_QNTTOINTEGER_FIXEDPOINTEMITTER_H
