//===- QntOps.td - qnt dialect operations ------------------*- tablegen -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Casts between float, quantized and storage tensors, and the integer
// fixed-point rescale. Graph ops live in QntGraphOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QNT_IR_QNTOPS_TD
#define QC_DIALECT_QNT_IR_QNTOPS_TD

include "qc/Dialect/Qnt/IR/QntDialect.td"
include "qc/Dialect/Qnt/IR/QntTypes.td"
include "qc/Dialect/Qnt/IR/QntAttrs.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Qnt_QuantizedTensor : RankedTensorOf<[Qnt_UniformType]>;
def Qnt_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Qnt_FloatOrQuantizedTensor : RankedTensorOf<[AnyFloat, Qnt_UniformType]>;
def Qnt_I32Tensor : RankedTensorOf<[I32]>;
def Qnt_StorageTensor : RankedTensorOf<[AnySignlessInteger]>;

//===----------------------------------------------------------------------===//
// Rounding modes of the fixed-point rescale
//===----------------------------------------------------------------------===//

def Qnt_RoundingGemmlowp : I32EnumAttrCase<"gemmlowp", 0>;
def Qnt_RoundingTosaSingle : I32EnumAttrCase<"tosa_single", 1>;
def Qnt_RoundingTosaDouble : I32EnumAttrCase<"tosa_double", 2>;
def Qnt_RoundingHalfEven : I32EnumAttrCase<"half_even", 3>;

def Qnt_RoundingModeAttr : I32EnumAttr<"RoundingMode",
    "rounding of the fixed-point rescale",
    [Qnt_RoundingGemmlowp, Qnt_RoundingTosaSingle, Qnt_RoundingTosaDouble,
     Qnt_RoundingHalfEven]> {
  let cppNamespace = "::qc::qnt";
}

//===----------------------------------------------------------------------===//
// Casts
//===----------------------------------------------------------------------===//

class Qnt_CastOp<string mnemonic, list<Trait> traits = []>
    : Qnt_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultShape])> {
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($output)";
  let hasVerifier = 1;
}

def Qnt_QuantizeOp : Qnt_CastOp<"quantize"> {
  let summary = "quantize a float tensor";
  let description = [{
    `q = clamp(round(r / S) + Z, storage_min, storage_max)` with the scale
    and zero point of the result element type, applied per tensor, per axis
    or per group. Rounding is half away from zero (as TFLite's reference
    Quantize). The result's expressed type must be the input element type.

    ```mlir
    %q = qnt.quantize %x : tensor<4xf32> to tensor<4x!qnt.uniform<i8:f32, 0.5:-1>>
    ```
  }];
  let arguments = (ins Qnt_FloatTensor:$input);
  let results = (outs Qnt_QuantizedTensor:$output);
  let hasFolder = 1;
}

def Qnt_DequantizeOp : Qnt_CastOp<"dequantize"> {
  let summary = "dequantize a quantized tensor to float";
  let description = [{
    `r = S * (q - Z)` with the parameters of the input element type. The
    result element type must be the input's expressed type.

    ```mlir
    %r = qnt.dequantize %q : tensor<4x!qnt.uniform<i8:f32, 0.5:-1>> to tensor<4xf32>
    ```
  }];
  let arguments = (ins Qnt_QuantizedTensor:$input);
  let results = (outs Qnt_FloatTensor:$output);
  let hasFolder = 1;
}

def Qnt_RequantizeOp : Qnt_CastOp<"requantize"> {
  let summary = "change the quantization parameters of a tensor";
  let description = [{
    Re-expresses a quantized tensor with the parameters of the result type:
    `q' = clamp(Z' + round((S / S') * (q - Z)), storage_min', storage_max')`.
    Both types must have the same expressed type. Lowering turns this into
    integer arithmetic with `qnt.fixed_point_mul`.

    ```mlir
    %b = qnt.requantize %a : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4x!qnt.uniform<u8:f32, 0.25:128>>
    ```
  }];
  let arguments = (ins Qnt_QuantizedTensor:$input);
  let results = (outs Qnt_QuantizedTensor:$output);
  let hasFolder = 1;
}

def Qnt_StorageCastOp : Qnt_CastOp<"storage_cast"> {
  let summary = "reinterpret quantized values as their storage integers, or back";
  let description = [{
    A bit-preserving cast between a quantized tensor and a tensor of its
    signless storage integers (`u8` storage becomes `i8` bits). This is the
    seam between quantized graph ops and integer-only arithmetic.

    ```mlir
    %i = qnt.storage_cast %q : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> to tensor<4xi8>
    %q2 = qnt.storage_cast %i : tensor<4xi8> to tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Integer arithmetic
//===----------------------------------------------------------------------===//

def Qnt_FixedPointMulOp : Qnt_Op<"fixed_point_mul",
    [Pure, SameOperandsAndResultType]> {
  let summary = "multiply i32 values by a quantized real multiplier";
  let description = [{
    Multiplies each i32 element by the real multiplier
    `M = multiplier * 2^(shift - 31)` (per tensor, or per index of `axis`)
    with the exact integer semantics of DESIGN.md section 3 and the runtime
    core in `qc/runtime/fixed_point.h`:

    - `gemmlowp` (default): `RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(x * 2^max(shift, 0), multiplier),
      max(-shift, 0))` — gemmlowp/TFLite double rounding
      (`qc_multiply_by_quantized_multiplier`); the left shift saturates.
    - `tosa_single` / `tosa_double`: TOSA RESCALE `apply_scale_32(x,
      multiplier, 31 - shift, double_round)` (`qc_apply_scale_tosa`), which
      needs `31 - shift` in [2, 62], i.e. `shift <= 29`.
    - `half_even`: `x * multiplier * 2^(shift - 31)` rounded once, to
      nearest with ties to even, saturated
      (`qc_multiply_by_quantized_multiplier_half_even`): ONNX's
      QuantizeLinear / QLinear* requantization.

    `multiplier` is in [0, 2^31 - 1] and `shift` in [-31, 31], as produced by
    `qc_quantize_multiplier`. With one entry the multiplier applies to the
    whole tensor; with several, `axis` names the dimension they index and
    its size must match.

    ```mlir
    %y = qnt.fixed_point_mul %acc by [1518500250] shift [-7] : tensor<1x8xi32>
    %z = qnt.fixed_point_mul %acc by [1073741824, 1518500250] shift [0, -1]
           axis 1 rounding tosa_single : tensor<1x2xi32>
    ```
  }];
  let arguments = (ins
    Qnt_I32Tensor:$input,
    DenseI32ArrayAttr:$multiplier,
    DenseI32ArrayAttr:$shift,
    OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$axis,
    DefaultValuedAttr<Qnt_RoundingModeAttr, "::qc::qnt::RoundingMode::gemmlowp">:$rounding
  );
  let results = (outs Qnt_I32Tensor:$output);
  let assemblyFormat = [{
    $input `by` $multiplier `shift` $shift (`axis` $axis^)?
    (`rounding` $rounding^)? attr-dict `:` type($output)
  }];
  let hasVerifier = 1;
  // Constant inputs fold through the runtime core itself, so compile-time
  // and run-time results cannot differ.
  let hasFolder = 1;

  let extraClassDeclaration = [{
    /// Applies the rescale of entry `i` (multiplier/shift) to one value,
    /// with this op's rounding mode, through the runtime core.
    int32_t applyTo(int32_t value, size_t i);
  }];
}

include "qc/Dialect/Qnt/IR/QntGraphOps.td"

#endif // QC_DIALECT_QNT_IR_QNTOPS_TD
