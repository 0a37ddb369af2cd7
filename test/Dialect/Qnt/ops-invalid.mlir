// RUN: quant-opt %s -split-input-file -verify-diagnostics

// Verifier messages of the casts, of qnt.fixed_point_mul, and of quantized
// element types that do not fit the tensors they are used on.

func.func @quantize_expressed_mismatch(%x: tensor<4xf16>) {
  // expected-error@+1 {{'qnt.quantize' op result expressed type 'f32' does not match input element type 'f16'}}
  %q = qnt.quantize %x : tensor<4xf16> to tensor<4x!qnt.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @quantize_shape_mismatch(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.quantize' op requires the same shape for all operands and results}}
  %q = qnt.quantize %x : tensor<4xf32> to tensor<5x!qnt.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @quantize_to_float(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.quantize' op result #0 must be ranked tensor of uniformly quantized element type (per tensor, axis or group) values, but got 'tensor<4xf32>'}}
  %q = qnt.quantize %x : tensor<4xf32> to tensor<4xf32>
  return
}

// -----

func.func @dequantize_expressed_mismatch(%q: tensor<4x!qnt.uniform<i8:f32, 1.0>>) {
  // expected-error@+1 {{'qnt.dequantize' op input expressed type 'f32' does not match result element type 'f16'}}
  %x = qnt.dequantize %q : tensor<4x!qnt.uniform<i8:f32, 1.0>> to tensor<4xf16>
  return
}

// -----

func.func @dequantize_float(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.dequantize' op operand #0 must be ranked tensor of uniformly quantized element type (per tensor, axis or group) values, but got 'tensor<4xf32>'}}
  %y = qnt.dequantize %x : tensor<4xf32> to tensor<4xf32>
  return
}

// -----

func.func @requantize_expressed_mismatch(%q: tensor<4x!qnt.uniform<i8:f32, 1.0>>) {
  // expected-error@+1 {{'qnt.requantize' op input and result expressed types differ: 'f32' vs 'f16'}}
  %r = qnt.requantize %q : tensor<4x!qnt.uniform<i8:f32, 1.0>> to tensor<4x!qnt.uniform<i8:f16, 1.0>>
  return
}

// -----

func.func @storage_cast_both_int(%x: tensor<4xi8>) {
  // expected-error@+1 {{'qnt.storage_cast' op expects exactly one of input and result to be a quantized tensor}}
  %y = qnt.storage_cast %x : tensor<4xi8> to tensor<4xi8>
  return
}

// -----

func.func @storage_cast_width(%q: tensor<4x!qnt.uniform<u8:f32, 1.0>>) {
  // expected-error@+1 {{'qnt.storage_cast' op storage tensor element type must be 'i8' for '!qnt.uniform<u8:f32, 1.000000e+00>', got 'i16'}}
  %y = qnt.storage_cast %q : tensor<4x!qnt.uniform<u8:f32, 1.0>> to tensor<4xi16>
  return
}

// -----

func.func @storage_cast_float(%q: tensor<4x!qnt.uniform<i8:f32, 1.0>>) {
  // expected-error@+1 {{'qnt.storage_cast' op storage tensor element type must be 'i8' for '!qnt.uniform<i8:f32, 1.000000e+00>', got 'f32'}}
  %y = qnt.storage_cast %q : tensor<4x!qnt.uniform<i8:f32, 1.0>> to tensor<4xf32>
  return
}

// -----

func.func @fpm_count_mismatch(%a: tensor<2xi32>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op has 2 multipliers but 1 shifts}}
  %0 = qnt.fixed_point_mul %a by [1, 2] shift [0] axis 0 : tensor<2xi32>
  return
}

// -----

func.func @fpm_empty(%a: tensor<2xi32>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op expects at least one multiplier}}
  %0 = qnt.fixed_point_mul %a by [] shift [] : tensor<2xi32>
  return
}

// -----

func.func @fpm_negative_multiplier(%a: tensor<2xi32>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op multiplier must be in [0, 2^31 - 1], got -5}}
  %0 = qnt.fixed_point_mul %a by [-5] shift [0] : tensor<2xi32>
  return
}

// -----

func.func @fpm_shift_range(%a: tensor<2xi32>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op shift must be in [-31, 31], got 32}}
  %0 = qnt.fixed_point_mul %a by [1] shift [32] : tensor<2xi32>
  return
}

// -----

func.func @fpm_shift_range_low(%a: tensor<2xi32>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op shift must be in [-31, 31], got -32}}
  %0 = qnt.fixed_point_mul %a by [1] shift [-32] : tensor<2xi32>
  return
}

// -----

// TOSA's apply_scale_32 needs a right shift of at least 2.
func.func @fpm_tosa_shift(%a: tensor<2xi32>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op shift must be in [-31, 29] for TOSA rounding, got 30}}
  %0 = qnt.fixed_point_mul %a by [1] shift [30] rounding tosa_single : tensor<2xi32>
  return
}

// -----

func.func @fpm_needs_axis(%a: tensor<2xi32>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op has 2 multipliers and needs an axis}}
  %0 = qnt.fixed_point_mul %a by [1, 2] shift [0, 0] : tensor<2xi32>
  return
}

// -----

func.func @fpm_axis_range(%a: tensor<2xi32>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op axis 1 is out of range for rank 1}}
  %0 = qnt.fixed_point_mul %a by [1, 2] shift [0, 0] axis 1 : tensor<2xi32>
  return
}

// -----

func.func @fpm_axis_range_per_tensor(%a: tensor<2xi32>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op axis 3 is out of range for rank 1}}
  %0 = qnt.fixed_point_mul %a by [1] shift [0] axis 3 : tensor<2xi32>
  return
}

// -----

func.func @fpm_dim_mismatch(%a: tensor<1x3xi32>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op has 2 multipliers but dimension 1 has size 3}}
  %0 = qnt.fixed_point_mul %a by [1, 2] shift [0, 0] axis 1 : tensor<1x3xi32>
  return
}

// -----

func.func @fpm_not_i32(%a: tensor<2xi8>) {
  // expected-error@+1 {{'qnt.fixed_point_mul' op operand #0 must be ranked tensor of 32-bit signless integer values}}
  %0 = qnt.fixed_point_mul %a by [1] shift [0] : tensor<2xi8>
  return
}

// -----

func.func @fpm_bad_rounding(%a: tensor<2xi32>) {
  // expected-error@+1 {{custom op 'qnt.fixed_point_mul' expected string or keyword containing one of the following enum values for attribute 'rounding' [gemmlowp, tosa_single, tosa_double, half_even]}}
  %0 = qnt.fixed_point_mul %a by [1] shift [0] rounding nearest : tensor<2xi32>
  return
}

// -----

// Quantized element types that do not fit the tensor they are used on.
func.func @axis_out_of_range(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.quantize' op result #0: quantization axis 1 is out of range for a tensor of rank 1}}
  %q = qnt.quantize %x : tensor<4xf32> to tensor<4x!qnt.uniform<i8:f32:1, {1.0, 1.0, 1.0, 1.0}>>
  return
}

// -----

func.func @scale_count(%q: tensor<2x3x!qnt.uniform<i8:f32:1, {1.0, 2.0}>>) {
  // expected-error@+1 {{'qnt.dequantize' op operand #0: per-axis quantization has 2 scales but dimension 1 has size 3}}
  %x = qnt.dequantize %q : tensor<2x3x!qnt.uniform<i8:f32:1, {1.0, 2.0}>> to tensor<2x3xf32>
  return
}

// -----

func.func @group_not_multiple(%x: tensor<2x48xf32>) {
  // expected-error@+1 {{'qnt.quantize' op result #0: dimension 1 of size 48 is not a multiple of the group size 32}}
  %q = qnt.quantize %x : tensor<2x48xf32> to tensor<2x48x!qnt.uniform<i4:f32:1 group 32, {1.0, 1.0}>>
  return
}

// -----

func.func @group_count(%x: tensor<2x64xf32>) {
  // expected-error@+1 {{'qnt.quantize' op result #0: per-group quantization has 2 scales but the tensor has 4 groups of 32 along axis 1}}
  %q = qnt.quantize %x : tensor<2x64xf32> to tensor<2x64x!qnt.uniform<i4:f32:1 group 32, {1.0, 1.0}>>
  return
}

// -----

// half_even has no TOSA shift limit: shift 31 is fine, 32 is not.
func.func @half_even_shift(%x: tensor<4xi32>) -> tensor<4xi32> {
  %ok = qnt.fixed_point_mul %x by [1073741824] shift [31] rounding half_even : tensor<4xi32>
  // expected-error@+1 {{shift must be in [-31, 31], got 32}}
  %y = qnt.fixed_point_mul %ok by [1073741824] shift [32] rounding half_even : tensor<4xi32>
  return %y : tensor<4xi32>
}
