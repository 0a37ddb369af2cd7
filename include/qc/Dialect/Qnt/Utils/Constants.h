//===- Constants.h - reading and creating f32 constants ---------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Helpers for passes that compute on constant weights. Real models keep
// their weights as `dense_resource` blobs in the module's dialect_resources
// section (tens of MB), small tests as printed `dense<...>` literals; these
// helpers read both kinds and create the kind that suits the size. All of
// them run in time linear in the number of elements.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_UTILS_CONSTANTS_H
#define QC_DIALECT_QNT_UTILS_CONSTANTS_H

#include "qc/Dialect/Qnt/IR/QntTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <vector>

namespace qc::qnt {

/// Constants with more elements than this are created as `dense_resource`
/// blobs; smaller ones as `dense<...>` literals that stay readable in tests.
inline constexpr int64_t kMaxInlineConstantElements = 64;

/// The elements attribute of the constant that defines `value` (any
/// ConstantLike op, e.g. `arith.constant`), or null when `value` is not a
/// constant tensor.
mlir::ElementsAttr getConstantElements(mlir::Value value);

/// The elements of `attr` in row-major order when its element type is f32:
/// `dense<...>` (splat or not), an f32 `dense_resource` blob, or any other
/// elements attribute that can enumerate APFloat values. nullopt for other
/// element types, dynamic shapes and resource blobs that are missing (e.g.
/// elided) or whose size does not match the type.
std::optional<std::vector<float>> readF32Elements(mlir::ElementsAttr attr);

/// True when readF32Elements(attr) would succeed. Constant time: checks
/// the form and size of the data without copying it.
bool hasF32Elements(mlir::ElementsAttr attr);

/// True when `value` is defined by a constant that readF32Constant reads.
/// Constant time.
bool isF32Constant(mlir::Value value);

/// readF32Elements of the constant that defines `value`; nullopt when
/// `value` is not an f32 constant tensor.
std::optional<std::vector<float>> readF32Constant(mlir::Value value);

/// The key of the `dense_resource` blob behind `value`'s constant (e.g.
/// "conv1_weight"), or an empty string. Passes derive names of new blobs
/// from it so that the output stays traceable to the model.
llvm::StringRef getResourceKey(mlir::Value value);

/// An f32 elements attribute of `type` holding `values` (row-major; one per
/// element of the static shape): a splat `dense<v>` when all values are
/// equal (bitwise), a `dense<...>` literal up to `maxInlineElements`
/// elements, otherwise a `dense_resource` blob whose key is `nameHint`,
/// made unique by the context's blob manager.
mlir::ElementsAttr
createF32ElementsAttr(mlir::RankedTensorType type, llvm::ArrayRef<float> values,
                      llvm::StringRef nameHint,
                      int64_t maxInlineElements = kMaxInlineConstantElements);

/// An `arith.constant` holding createF32ElementsAttr(type, values, ...).
mlir::Value
createF32Constant(mlir::OpBuilder &builder, mlir::Location loc,
                  mlir::RankedTensorType type, llvm::ArrayRef<float> values,
                  llvm::StringRef nameHint = "qnt_constant",
                  int64_t maxInlineElements = kMaxInlineConstantElements);

/// Integer constant of `type` (signless storage) holding `values`; large
/// byte and int32 tensors go to resource blobs named after `hint`.
mlir::Value createIntConstant(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::RankedTensorType type,
                              llvm::ArrayRef<int64_t> values,
                              llvm::StringRef hint);

/// qnt.storage_cast of an integer constant (createIntConstant) to the
/// quantized type `qtype` with `shape`: how quantized weights, biases and
/// constants appear in the IR.
mlir::Value createQuantizedConstant(mlir::OpBuilder &b, mlir::Location loc,
                                    llvm::ArrayRef<int64_t> shape,
                                    UniformType qtype,
                                    llvm::ArrayRef<int64_t> values,
                                    llvm::StringRef hint);

} // namespace qc::qnt

#endif // QC_DIALECT_QNT_UTILS_CONSTANTS_H
