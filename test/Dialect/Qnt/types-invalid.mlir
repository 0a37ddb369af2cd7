// RUN: quant-opt %s -split-input-file -verify-diagnostics

// Every verifier and parser message of !qnt.uniform, at its location.

// expected-error@+1 {{scale must be positive and finite, got 0}}
func.func @zero_scale(%a: tensor<2x!qnt.uniform<i8:f32, 0.0>>)

// -----

// expected-error@+1 {{scale must be positive and finite, got -5.000000e-01}}
func.func @negative_scale(%a: tensor<2x!qnt.uniform<i8:f32, -0.5>>)

// -----

// expected-error@+1 {{scale must be positive and finite, got INF}}
func.func @inf_scale(%a: tensor<2x!qnt.uniform<i8:f32, 0x7FF0000000000000>>)

// -----

// expected-error@+1 {{scale must be positive and finite, got nan}}
func.func @nan_scale(%a: tensor<2x!qnt.uniform<i8:f32, 0x7FF8000000000000>>)

// -----

// expected-error@+1 {{scale must be positive and finite}}
func.func @per_axis_bad_scale(%a: tensor<2x!qnt.uniform<i8:f32:0, {1.0, 0.0}>>)

// -----

// expected-error@+1 {{zero point 128 is outside the storage range [-128, 127]}}
func.func @zp_above(%a: tensor<2x!qnt.uniform<i8:f32, 1.0:128>>)

// -----

// expected-error@+1 {{zero point -1 is outside the storage range [0, 255]}}
func.func @zp_below_unsigned(%a: tensor<2x!qnt.uniform<u8:f32, 1.0:-1>>)

// -----

// The narrow range is the storage range the zero point must lie in.
// expected-error@+1 {{zero point -128 is outside the storage range [-127, 127]}}
func.func @zp_outside_narrow(%a: tensor<2x!qnt.uniform<i8<-127:127>:f32, 1.0:-128>>)

// -----

// expected-error@+1 {{zero point 8 is outside the storage range [-8, 7]}}
func.func @zp_i4(%a: tensor<2x!qnt.uniform<i4:f32:0, {1.0:0, 1.0:8}>>)

// -----

// expected-error@+1 {{storage range [-129, 127] is outside the range [-128, 127] of the storage type}}
func.func @range_too_wide(%a: tensor<2x!qnt.uniform<i8<-129:127>:f32, 1.0>>)

// -----

// expected-error@+1 {{storage range [0, 16] is outside the range [0, 15] of the storage type}}
func.func @range_too_wide_u4(%a: tensor<2x!qnt.uniform<u4<0:16>:f32, 1.0>>)

// -----

// expected-error@+1 {{storage range [5, 5] is empty or a single value}}
func.func @range_single(%a: tensor<2x!qnt.uniform<i8<5:5>:f32, 1.0:5>>)

// -----

// expected-error@+1 {{storage range [5, -5] is empty or a single value}}
func.func @range_reversed(%a: tensor<2x!qnt.uniform<i8<5:-5>:f32, 1.0>>)

// -----

// expected-error@+1 {{storage type must be one of i2, i4, i8, i16, i32, u2, u4, u8}}
func.func @bad_storage_width(%a: tensor<2x!qnt.uniform<i7:f32, 1.0>>)

// -----

// expected-error@+1 {{storage type must be one of i2, i4, i8, i16, i32, u2, u4, u8}}
func.func @unsigned_16(%a: tensor<2x!qnt.uniform<u16:f32, 1.0>>)

// -----

// expected-error@+1 {{storage type must be one of i2, i4, i8, i16, i32, u2, u4, u8}}
func.func @storage_64(%a: tensor<2x!qnt.uniform<i64:f32, 1.0>>)

// -----

// expected-error@+1 {{expected storage type iN or uN}}
func.func @float_storage(%a: tensor<2x!qnt.uniform<f8:f32, 1.0>>)

// -----

// expected-error@+1 {{expressed type must be a float type, got 'i32'}}
func.func @int_expressed(%a: tensor<2x!qnt.uniform<i8:i32, 1.0>>)

// -----

// expected-error@+1 {{a list of scales needs a quantization axis, e.g. f32:0}}
func.func @list_without_axis(%a: tensor<2x!qnt.uniform<i8:f32, {1.0, 2.0}>>)

// -----

// expected-error@+1 {{per-axis and per-group types take a list of scales in braces}}
func.func @axis_without_list(%a: tensor<2x!qnt.uniform<i8:f32:0, 1.0>>)

// -----

// expected-error@+1 {{quantization axis must be non-negative, got -1}}
func.func @negative_axis(%a: tensor<2x!qnt.uniform<i8:f32:-1, {1.0, 2.0}>>)

// -----

// expected-error@+1 {{group size must be positive, got 0}}
func.func @zero_group(%a: tensor<2x!qnt.uniform<i8:f32:0 group 0, {1.0}>>)

// -----

// expected-error@+1 {{expected integer value}}
func.func @missing_zero_point(%a: tensor<2x!qnt.uniform<i8:f32, 1.0:>>)

// -----

// expected-error@+1 {{unbalanced '<' character in pretty dialect name}}
func.func @unterminated(%a: tensor<2x!qnt.uniform<i8:f32, 1.0)

// -----

// expected-error@+1 {{expected floating point literal}}
func.func @missing_scale(%a: tensor<2x!qnt.uniform<i8:f32, >>)

// -----

// expected-error@+1 {{expected ','}}
func.func @missing_comma(%a: tensor<2x!qnt.uniform<i8:f32 1.0>>)

// -----

// expected-error@+1 {{unbalanced '{' character in pretty dialect name}}
func.func @unclosed_list(%a: tensor<2x!qnt.uniform<i8:f32:0, {1.0, 2.0>>)

// -----

// expected-error@+1 {{unknown  type `nonexistent` in dialect `qnt`}}
func.func @unknown_type(%a: tensor<2x!qnt.nonexistent<i8>>)

// -----

// expected-error@+1 {{expected '}'}}
func.func @list_missing_brace(%a: tensor<2x!qnt.uniform<i8:f32:0, {1.0, 2.0 3.0}>>)
