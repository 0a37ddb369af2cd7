//===- IntegerBuilder.h - building blocks of the integer lowering -*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Small builders shared by the qnt-to-integer patterns: crossing between
// quantized and storage tensors, elementwise linalg.generic ops, numpy
// broadcasting maps, reading integer constants, and the output stage
// clamp(zp + fixed_point_mul(acc)) of every rescaling op.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QNTTOINTEGER_INTEGERBUILDER_H
#define QC_LIB_CONVERSION_QNTTOINTEGER_INTEGERBUILDER_H

#include "qc/Dialect/Qnt/IR/QntOps.h"
#include "qc/runtime/QuantParams.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>
#include <vector>

namespace qc::lowering {

using BodyFn = llvm::function_ref<mlir::Value(mlir::OpBuilder &,
                                              mlir::Location,
                                              mlir::ValueRange)>;

/// The qnt type of a quantized tensor value.
qnt::UniformType qtype(mlir::Value v);
/// Its parameters for the runtime preparation functions.
rt::QuantParams paramsOf(mlir::Value v);
/// The per-tensor zero point.
int32_t zeroPointOf(mlir::Value v);

/// storage_cast of a quantized tensor to its signless storage integers.
mlir::Value toStorage(mlir::OpBuilder &b, mlir::Location loc, mlir::Value q);
/// storage_cast of storage integers back to the quantized type `type`.
mlir::Value fromStorage(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value ints, mlir::RankedTensorType type);

/// Scalar constants.
mlir::Value constInt(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                     int64_t value);
/// Extends a scalar storage integer to `to` (extui for unsigned storage).
mlir::Value extend(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                   bool isSigned, mlir::Type to);
mlir::IntegerType i32(mlir::MLIRContext *ctx);
mlir::IntegerType i64(mlir::MLIRContext *ctx);

/// One linalg.generic producing a tensor of `resultType` from `inputs`
/// (maps given), all loops parallel over the result's dimensions.
mlir::Value mapElementwise(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::ValueRange inputs,
                           llvm::ArrayRef<mlir::AffineMap> inputMaps,
                           mlir::RankedTensorType resultType, BodyFn body);

/// The map reading an operand of `shape` broadcast (numpy rules) into a
/// result of rank `resultRank` (size-1 dims read index 0).
mlir::AffineMap broadcastMap(mlir::MLIRContext *ctx,
                             llvm::ArrayRef<int64_t> shape,
                             llvm::ArrayRef<int64_t> resultShape);

/// An i32 (or i64) tensor constant.
mlir::Value constTensor(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::ArrayRef<int64_t> shape, mlir::Type element,
                        llvm::ArrayRef<int64_t> values);
/// tensor.empty filled with `value`.
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc,
                         llvm::ArrayRef<int64_t> shape, mlir::Type element,
                         int64_t value);

/// The storage integers of a constant quantized tensor (looking through
/// storage_cast to the arith.constant), sign- or zero-extended per the
/// qnt type; nullopt if it is not a constant.
std::optional<std::vector<int64_t>> readQuantizedConstant(mlir::Value q);

/// x - zp[c] as i32 over x's shape: zp per tensor (1 entry) or per index
/// of `axis`.
mlir::Value subtractZeroPoints(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value storage, bool isSigned,
                               llvm::ArrayRef<int32_t> zps, int64_t axis);

/// The rounding of the module being built into (qnt.rounding, see
/// qc/Dialect/Qnt/Utils/ModelRounding.h) as a fixed_point_mul mode.
qnt::RoundingMode modelRoundingAt(mlir::OpBuilder &b);

/// clamp(stage.zeroPoint + fixed_point_mul(acc, M[c]), lo, hi) truncated to
/// the storage of `resultType`, returned as a quantized tensor. `axis`
/// indexes the multipliers when there is more than one. The multiply
/// rounds as the module says (modelRoundingAt), like the interpreter.
mlir::Value applyOutputStage(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value acc, const rt::OutputStage &stage,
                             int64_t axis, mlir::RankedTensorType resultType);

/// round(num / den) with ties away from zero for den > 0 (scalars of one
/// integer type), without overflow: |num| / den, plus one when
/// rem >= den - rem; the reference kernels round the same way.
mlir::Value roundHalfAwayDiv(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value num, mlir::Value den);

/// Pads H and W of an NHWC storage tensor ([top, bottom, left, right]) with
/// the storage integer `bits`; returns the input when there is no padding.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value storage, llvm::ArrayRef<int64_t> padding,
                       int64_t bits);

/// The zero point as the storage integer bits of the same width (u8 128 is
/// i8 -128), for padding storage tensors.
int64_t storageBits(int64_t value, unsigned width);

} // namespace qc::lowering

#endif // QC_LIB_CONVERSION_QNTTOINTEGER_INTEGERBUILDER_H
