//===- QntFolds.cpp - qnt cast folders -------------------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Folds of the casts. Each fold is exact: it never changes a value the
// program computes, so canonicalization is safe on bit-exact pipelines.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/runtime/fixed_point.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace qc::qnt;

/// Float round trips q -> r = S (q - Z) -> round(r / S) + Z give back q when
/// the float type holds every q - Z exactly with room to spare: the
/// relative error of r is then far below half a quantization step.
static bool roundTripsThroughFloat(UniformType type) {
  auto floatType = cast<FloatType>(type.getExpressedType());
  // Storage values need width + 1 bits (the subtraction of Z); f32's 24-bit
  // significand covers up to 16-bit storage with a wide margin.
  return type.getStorageWidth() + 2 <= floatType.getFPMantissaWidth();
}

/// The input of `op` if it is produced by a requantize whose step is lossless
/// (every value of the source type survives it), or null.
static Value skipLosslessRequantize(Value value) {
  auto requantize = value.getDefiningOp<RequantizeOp>();
  if (!requantize)
    return {};
  auto from = getUniformElementType(requantize.getInput().getType());
  auto to = getUniformElementType(requantize.getOutput().getType());
  return isExactlyRepresentableIn(from, to) ? requantize.getInput() : Value();
}

/// quantize(dequantize(q : T)) : T -> q.
OpFoldResult QuantizeOp::fold(FoldAdaptor) {
  auto dequantize = getInput().getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getInput().getType() != getType())
    return {};
  if (!roundTripsThroughFloat(getUniformElementType(getType())))
    return {};
  return dequantize.getInput();
}

/// dequantize(requantize(x : A) : B) -> dequantize(x : A) when A -> B is
/// lossless: both dequantize to the same reals.
OpFoldResult DequantizeOp::fold(FoldAdaptor) {
  Value source = skipLosslessRequantize(getInput());
  if (!source)
    return {};
  getInputMutable().assign(source);
  return getResult();
}

/// requantize(x : T) : T -> x, and requantize(requantize(x : A) : B) : C ->
/// requantize(x : A) : C when A -> B is lossless.
OpFoldResult RequantizeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  Value source = skipLosslessRequantize(getInput());
  if (!source)
    return {};
  if (source.getType() == getType())
    return source;
  getInputMutable().assign(source);
  return getResult();
}

/// storage_cast(storage_cast(x : T)) : T -> x.
OpFoldResult StorageCastOp::fold(FoldAdaptor) {
  auto inner = getInput().getDefiningOp<StorageCastOp>();
  if (inner && inner.getInput().getType() == getType())
    return inner.getInput();
  return {};
}

int32_t FixedPointMulOp::applyTo(int32_t value, size_t i) {
  int32_t multiplier = getMultiplier()[i];
  int32_t shift = getShift()[i];
  switch (getRounding()) {
  case RoundingMode::gemmlowp:
    return qc_multiply_by_quantized_multiplier(value, multiplier, shift);
  case RoundingMode::tosa_single:
  case RoundingMode::tosa_double:
    // M = multiplier * 2^(shift - 31) is TOSA's multiplier * 2^-(31 - shift).
    return qc_apply_scale_tosa(value, multiplier, 31 - shift,
                               getRounding() == RoundingMode::tosa_double);
  case RoundingMode::half_even:
    return qc_multiply_by_quantized_multiplier_half_even(value, multiplier,
                                                         shift);
  }
  llvm_unreachable("unknown rounding mode");
}

/// fixed_point_mul of a constant is computed now, with the runtime core.
OpFoldResult FixedPointMulOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  RankedTensorType type = getType();
  bool perTensor = getMultiplier().size() == 1;
  if (input.isSplat() && perTensor)
    return DenseElementsAttr::get(
        type, APInt(32, applyTo(input.getSplatValue<APInt>().getSExtValue(),
                                0),
                    /*isSigned=*/true));
  if (!type.hasStaticShape())
    return {};
  // Row-major walk: the index along `axis` selects the multiplier.
  ArrayRef<int64_t> shape = type.getShape();
  int64_t axis = perTensor ? 0 : static_cast<int64_t>(*getAxis());
  int64_t inner = 1;
  for (int64_t d = axis + 1, e = type.getRank(); d < e; ++d)
    inner *= shape[d];
  int64_t axisSize = type.getRank() ? shape[axis] : 1;
  SmallVector<APInt> results;
  results.reserve(type.getNumElements());
  int64_t flat = 0;
  for (const APInt &v : input.getValues<APInt>()) {
    size_t entry = perTensor ? 0 : (flat / inner) % axisSize;
    results.push_back(APInt(32, applyTo(v.getSExtValue(), entry),
                            /*isSigned=*/true));
    ++flat;
  }
  return DenseElementsAttr::get(type, results);
}
