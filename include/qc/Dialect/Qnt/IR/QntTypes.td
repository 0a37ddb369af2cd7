//===- QntTypes.td - qnt quantized element types -----------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_IR_QNTTYPES_TD
#define QC_DIALECT_QNT_IR_QNTTYPES_TD

include "qc/Dialect/Qnt/IR/QntDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributes.td"

class Qnt_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Qnt_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Qnt_UniformType : Qnt_Type<"Uniform", "uniform"> {
  let summary = "uniformly quantized element type (per tensor, axis or group)";
  let description = [{
    A quantized integer `q` stored in `storageType` stands for the real value
    `r = scale * (q - zero_point)` of `expressedType` (Jacob et al. 2018,
    eq. 1). Storage is `i2`, `i4`, `i8`, `i16`, `i32` (signed) or `u2`, `u4`,
    `u8` (unsigned); an optional storage range narrows it, e.g. `i8<-127:127>`
    for symmetric narrow-range weights. A zero point left out means 0.

    Three granularities share one spelling:

    ```mlir
    // Per tensor: one scale and zero point.
    !qnt.uniform<i8:f32, 0.0235:-3>
    !qnt.uniform<i8<-127:127>:f32, 0.5>
    // Per axis: one scale/zero point per index of axis 0.
    !qnt.uniform<i8:f32:0, {0.5:0, 0.25:0, 1.0:0}>
    // Per group: blocks of 32 consecutive elements along axis 1 share a
    // scale; every other axis keeps full resolution. For an [O, I] weight
    // this is one scale per (row, block): O * I/32 scales, row-major.
    !qnt.uniform<i4:f32:1 group 32, {0.5, 0.25, ...}>
    ```

    The type alone does not know the shape it is used on. Every qnt op
    verifies the tensors it touches: the axis must be in range, and the
    number of scales must match the (static) dimension, or the number of
    groups for the per-group form.
  }];

  let parameters = (ins
    "::mlir::IntegerType":$storageType,
    "int64_t":$storageMin,
    "int64_t":$storageMax,
    "::mlir::FloatType":$expressedType,
    "int32_t":$axis,
    "int64_t":$groupSize,
    "::mlir::DenseF64ArrayAttr":$scales,
    "::mlir::DenseI64ArrayAttr":$zeroPoints
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;

  let builders = [
    // Every parameter given, scales and zero points as plain arrays.
    TypeBuilderWithInferredContext<(ins
        "::mlir::IntegerType":$storageType, "int64_t":$storageMin,
        "int64_t":$storageMax, "::mlir::FloatType":$expressedType,
        "int32_t":$axis, "int64_t":$groupSize,
        "::llvm::ArrayRef<double>":$scales,
        "::llvm::ArrayRef<int64_t>":$zeroPoints)>,
    // Per tensor over the full storage range.
    TypeBuilderWithInferredContext<(ins
        "::mlir::IntegerType":$storageType, "::mlir::FloatType":$expressedType,
        "double":$scale, "int64_t":$zeroPoint)>
  ];

  let extraClassDeclaration = [{
    /// Kinds of parameter sharing.
    bool isPerTensor() const { return getAxis() < 0; }
    bool isPerAxis() const { return getAxis() >= 0 && getGroupSize() == 0; }
    bool isPerGroup() const { return getGroupSize() > 0; }

    /// Storage signedness: `iN` is signed, `uN` unsigned.
    bool isSigned() const { return !getStorageType().isUnsigned(); }
    unsigned getStorageWidth() const { return getStorageType().getWidth(); }
    /// The full range of the storage type, ignoring any narrowing.
    static int64_t getStorageTypeMin(::mlir::IntegerType storage);
    static int64_t getStorageTypeMax(::mlir::IntegerType storage);
    /// True when the storage range is narrower than the storage type.
    bool hasNarrowRange() const;

    size_t getNumParams() const { return getScales().size(); }
    double getScale(size_t i = 0) const { return getScales()[i]; }
    int64_t getZeroPoint(size_t i = 0) const { return getZeroPoints()[i]; }

    /// Index of the scale/zero point used by the element at `index` of a
    /// tensor of `shape` (row-major over the per-group parameter grid).
    int64_t getParamIndex(::llvm::ArrayRef<int64_t> index,
                          ::llvm::ArrayRef<int64_t> shape) const;

    /// Checks that this type fits a tensor of `shape`: axis in range and one
    /// parameter per channel or group (dynamic dimensions are not checked).
    ::llvm::LogicalResult verifyShape(
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError,
        ::llvm::ArrayRef<int64_t> shape) const;

    /// The same type with other parameters (used by per-tensor rewrites).
    UniformType withScalesAndZeroPoints(::llvm::ArrayRef<double> scales,
                                        ::llvm::ArrayRef<int64_t> zps) const;
    /// The same per-axis parameters along another axis.
    UniformType withAxis(int32_t axis) const;
    /// The type of a tensor transposed by `perm` (result dimension i is
    /// input dimension perm[i]): a per-axis type's axis moves with its
    /// channels; per-tensor types are unchanged; per-group types and an
    /// axis missing from `perm` give null.
    UniformType permuted(::llvm::ArrayRef<int64_t> perm) const;
  }];
}

#endif // QC_DIALECT_QNT_IR_QNTTYPES_TD
