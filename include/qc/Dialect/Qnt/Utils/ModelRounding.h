//===- ModelRounding.h - The rounding a model asks for ------------*- C++
//-*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// A model's rescales (every layer, add, pool and requantize output stage)
// and its qnt.quantize ops round one way for the whole model, chosen by the
// module attribute `qnt.rounding`:
//   - "gemmlowp" (the default, also when the attribute is absent): TFLite's
//     MultiplyByQuantizedMultiplier; quantize rounds r / S (double) half away
//     from zero (DESIGN.md section 3);
//   - "half_even": one rounding of the rescale, ties to even; quantize
//     rounds float32(r) / float32(S) ties to even. This is ONNX's
//     QuantizeLinear / QLinearConv / QLinearMatMul definition; the ONNX
//     importer sets it for models that bring their own quantization.
// The interpreter and the integer lowering both read it here, so they agree.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_UTILS_MODELROUNDING_H
#define QC_DIALECT_QNT_UTILS_MODELROUNDING_H

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/runtime/QuantParams.h"

#include "mlir/IR/BuiltinOps.h"

namespace qc {

/// Name of the module attribute.
inline constexpr llvm::StringLiteral kRoundingAttrName = "qnt.rounding";

/// The model-wide rounding modes `qnt.rounding` accepts.
std::optional<rt::Rounding> parseModelRounding(llvm::StringRef name);
llvm::StringRef modelRoundingName(rt::Rounding rounding);

/// The rounding of the module that holds `op` (Gemmlowp without the
/// attribute; the verifier rejects values parseModelRounding does not).
rt::Rounding getModelRounding(mlir::Operation *op);
/// Sets `qnt.rounding` on `module` (removes it for Gemmlowp, the default).
void setModelRounding(mlir::ModuleOp module, rt::Rounding rounding);

/// The qnt.fixed_point_mul mode of a runtime rounding.
qnt::RoundingMode toRoundingMode(rt::Rounding rounding);

} // namespace qc

#endif // QC_DIALECT_QNT_UTILS_MODELROUNDING_H
