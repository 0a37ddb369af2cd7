// RUN: quant-opt %s --split-input-file --canonicalize | FileCheck %s

// Cast folds. Each is exact: the folded program computes the same values.

!q = !qnt.uniform<i8:f32, 0.5:-1>

// quantize(dequantize(q : T)) : T is q.
// CHECK-LABEL: func.func @quantize_of_dequantize
// CHECK-SAME: (%[[Q:.*]]: tensor<4x!qnt.uniform
// CHECK-NEXT: return %[[Q]]
func.func @quantize_of_dequantize(%q: tensor<4x!q>) -> tensor<4x!q> {
  %x = qnt.dequantize %q : tensor<4x!q> to tensor<4xf32>
  %r = qnt.quantize %x : tensor<4xf32> to tensor<4x!q>
  return %r : tensor<4x!q>
}

// -----

// A different target type is a real requantization: kept.
// CHECK-LABEL: func.func @quantize_of_dequantize_other_type
// CHECK: qnt.dequantize
// CHECK: qnt.quantize
func.func @quantize_of_dequantize_other_type(%q: tensor<4x!qnt.uniform<i8:f32, 0.5>>) -> tensor<4x!qnt.uniform<i8:f32, 0.25>> {
  %x = qnt.dequantize %q : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4xf32>
  %r = qnt.quantize %x : tensor<4xf32> to tensor<4x!qnt.uniform<i8:f32, 0.25>>
  return %r : tensor<4x!qnt.uniform<i8:f32, 0.25>>
}

// -----

// i32 storage does not survive a trip through f32 (24-bit significand): kept.
// CHECK-LABEL: func.func @quantize_of_dequantize_i32
// CHECK: qnt.dequantize
// CHECK: qnt.quantize
func.func @quantize_of_dequantize_i32(%q: tensor<4x!qnt.uniform<i32:f32, 0.5>>) -> tensor<4x!qnt.uniform<i32:f32, 0.5>> {
  %x = qnt.dequantize %q : tensor<4x!qnt.uniform<i32:f32, 0.5>> to tensor<4xf32>
  %r = qnt.quantize %x : tensor<4xf32> to tensor<4x!qnt.uniform<i32:f32, 0.5>>
  return %r : tensor<4x!qnt.uniform<i32:f32, 0.5>>
}

// -----

// dequantize(quantize(x)) rounds x to the grid: never folded.
// CHECK-LABEL: func.func @dequantize_of_quantize
// CHECK: qnt.quantize
// CHECK: qnt.dequantize
func.func @dequantize_of_quantize(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qnt.quantize %x : tensor<4xf32> to tensor<4x!qnt.uniform<i8:f32, 0.5>>
  %y = qnt.dequantize %q : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// requantize to the same type is the identity.
// CHECK-LABEL: func.func @requantize_identity
// CHECK-SAME: (%[[Q:.*]]: tensor
// CHECK-NEXT: return %[[Q]]
func.func @requantize_identity(%q: tensor<4x!qnt.uniform<u8:f32, 0.5:3>>) -> tensor<4x!qnt.uniform<u8:f32, 0.5:3>> {
  %r = qnt.requantize %q : tensor<4x!qnt.uniform<u8:f32, 0.5:3>> to tensor<4x!qnt.uniform<u8:f32, 0.5:3>>
  return %r : tensor<4x!qnt.uniform<u8:f32, 0.5:3>>
}

// -----

// i8 scale 0.5 -> i16 scale 0.25 is lossless (k = 2, range fits), so the
// chain through it folds to one requantize, and back to i8 folds away.
// CHECK-LABEL: func.func @requantize_chain_lossless
// CHECK-SAME: (%[[Q:.*]]: tensor<4x!qnt.uniform<i8:f32, 5.000000e-01>>)
// CHECK-NEXT: %[[R:.*]] = qnt.requantize %[[Q]] : tensor<4x!qnt.uniform<i8:f32, 5.000000e-01>> to tensor<4x!qnt.uniform<u8:f32, 1.000000e+00:128>>
// CHECK-NEXT: return %[[R]], %[[Q]]
func.func @requantize_chain_lossless(%q: tensor<4x!qnt.uniform<i8:f32, 0.5>>)
    -> (tensor<4x!qnt.uniform<u8:f32, 1.0:128>>, tensor<4x!qnt.uniform<i8:f32, 0.5>>) {
  %wide = qnt.requantize %q : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4x!qnt.uniform<i16:f32, 0.25>>
  %r = qnt.requantize %wide : tensor<4x!qnt.uniform<i16:f32, 0.25>> to tensor<4x!qnt.uniform<u8:f32, 1.0:128>>
  %back = qnt.requantize %wide : tensor<4x!qnt.uniform<i16:f32, 0.25>> to tensor<4x!qnt.uniform<i8:f32, 0.5>>
  return %r, %back : tensor<4x!qnt.uniform<u8:f32, 1.0:128>>, tensor<4x!qnt.uniform<i8:f32, 0.5>>
}

// -----

// 0.5 -> 0.75 is not an integer ratio: the intermediate rounds, kept.
// CHECK-LABEL: func.func @requantize_chain_lossy
// CHECK: qnt.requantize
// CHECK-NEXT: qnt.requantize
func.func @requantize_chain_lossy(%q: tensor<4x!qnt.uniform<i8:f32, 0.5>>) -> tensor<4x!qnt.uniform<i8:f32, 0.5>> {
  %a = qnt.requantize %q : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4x!qnt.uniform<i8:f32, 0.75>>
  %b = qnt.requantize %a : tensor<4x!qnt.uniform<i8:f32, 0.75>> to tensor<4x!qnt.uniform<i8:f32, 0.5>>
  return %b : tensor<4x!qnt.uniform<i8:f32, 0.5>>
}

// -----

// Integer ratio but the range does not fit (i8 * 2 overflows i8): kept.
// CHECK-LABEL: func.func @requantize_chain_range
// CHECK: qnt.requantize
// CHECK-NEXT: qnt.requantize
func.func @requantize_chain_range(%q: tensor<4x!qnt.uniform<i8:f32, 0.5>>) -> tensor<4x!qnt.uniform<i8:f32, 0.5>> {
  %a = qnt.requantize %q : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4x!qnt.uniform<i8:f32, 0.25>>
  %b = qnt.requantize %a : tensor<4x!qnt.uniform<i8:f32, 0.25>> to tensor<4x!qnt.uniform<i8:f32, 0.5>>
  return %b : tensor<4x!qnt.uniform<i8:f32, 0.5>>
}

// -----

// dequantize after a lossless requantize reads the source directly.
// CHECK-LABEL: func.func @dequantize_of_lossless_requantize
// CHECK-SAME: (%[[Q:.*]]: tensor
// CHECK-NEXT: %[[X:.*]] = qnt.dequantize %[[Q]] : tensor<4x!qnt.uniform<u8:f32, 5.000000e-01:128>> to tensor<4xf32>
// CHECK-NEXT: return %[[X]]
func.func @dequantize_of_lossless_requantize(%q: tensor<4x!qnt.uniform<u8:f32, 0.5:128>>) -> tensor<4xf32> {
  %a = qnt.requantize %q : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> to tensor<4x!qnt.uniform<i16:f32, 0.125>>
  %x = qnt.dequantize %a : tensor<4x!qnt.uniform<i16:f32, 0.125>> to tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// storage_cast there and back is the identity.
// CHECK-LABEL: func.func @storage_cast_round_trip
// CHECK-SAME: (%[[Q:.*]]: tensor
// CHECK-NEXT: return %[[Q]]
func.func @storage_cast_round_trip(%q: tensor<4x!qnt.uniform<u8:f32, 0.5:128>>) -> tensor<4x!qnt.uniform<u8:f32, 0.5:128>> {
  %i = qnt.storage_cast %q : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> to tensor<4xi8>
  %r = qnt.storage_cast %i : tensor<4xi8> to tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
  return %r : tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
}

// -----

// Per-axis types are never treated as lossless.
// CHECK-LABEL: func.func @per_axis_chain
// CHECK: qnt.requantize
// CHECK-NEXT: qnt.requantize
func.func @per_axis_chain(%q: tensor<2x!qnt.uniform<i8:f32:0, {0.5, 0.5}>>) -> tensor<2x!qnt.uniform<i8:f32:0, {0.5, 0.5}>> {
  %a = qnt.requantize %q : tensor<2x!qnt.uniform<i8:f32:0, {0.5, 0.5}>> to tensor<2x!qnt.uniform<i16:f32:0, {0.25, 0.25}>>
  %b = qnt.requantize %a : tensor<2x!qnt.uniform<i16:f32:0, {0.25, 0.25}>> to tensor<2x!qnt.uniform<i8:f32:0, {0.5, 0.5}>>
  return %b : tensor<2x!qnt.uniform<i8:f32:0, {0.5, 0.5}>>
}

// -----

// fixed_point_mul of a constant folds through the runtime core. Multiplier
// 2^30 with shift s is M = 0.5 * 2^s. gemmlowp rounds twice: ties toward +inf
// in the doubling high multiply (1.5 -> 2, -1.5 -> -1), then ties away from
// zero in the shift; the left shift saturates (INT32_MAX * 2 -> INT32_MAX).
// CHECK-LABEL: func.func @fold_fixed_point_mul
// CHECK-DAG: %[[A:.*]] = arith.constant dense<[50, 2, -1, 3, -2, 1073741824, -1073741824]> : tensor<7xi32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[25, 1, -1, 2, -1, 536870912, -536870912]> : tensor<7xi32>
// CHECK-DAG: %[[C:.*]] = arith.constant dense<[25, 1, -1, 1, -1, 536870912, -536870912]> : tensor<7xi32>
// CHECK-DAG: %[[D:.*]] = arith.constant dense<[100, 3, -3, 5, -5, 1073741824, -1073741824]> : tensor<7xi32>
// CHECK: return %[[A]], %[[B]], %[[C]], %[[B]], %[[D]]
func.func @fold_fixed_point_mul() -> (tensor<7xi32>, tensor<7xi32>, tensor<7xi32>, tensor<7xi32>, tensor<7xi32>) {
  %c = arith.constant dense<[100, 3, -3, 5, -5, 2147483647, -2147483648]> : tensor<7xi32>
  %half = qnt.fixed_point_mul %c by [1073741824] shift [0] : tensor<7xi32>
  // 5 * 0.25 = 1.25: gemmlowp's double rounding gives 2, TOSA single gives 1,
  // TOSA double rounding (shift 32 > 31) gives 2 again.
  %quarter = qnt.fixed_point_mul %c by [1073741824] shift [-1] : tensor<7xi32>
  %single = qnt.fixed_point_mul %c by [1073741824] shift [-1] rounding tosa_single : tensor<7xi32>
  %double = qnt.fixed_point_mul %c by [1073741824] shift [-1] rounding tosa_double : tensor<7xi32>
  %one = qnt.fixed_point_mul %c by [1073741824] shift [1] : tensor<7xi32>
  return %half, %quarter, %single, %double, %one : tensor<7xi32>, tensor<7xi32>, tensor<7xi32>, tensor<7xi32>, tensor<7xi32>
}

// -----

// Per-axis multipliers index the axis; a splat stays a splat.
// CHECK-LABEL: func.func @fold_fixed_point_mul_per_axis
// CHECK-DAG: arith.constant dense<{{\[}}[5, 3, 10], [4, 2, 7]]> : tensor<2x3xi32>
// CHECK-DAG: arith.constant dense<5> : tensor<4xi32>
func.func @fold_fixed_point_mul_per_axis() -> (tensor<2x3xi32>, tensor<4xi32>) {
  %c = arith.constant dense<[[10, 10, 10], [7, 7, 7]]> : tensor<2x3xi32>
  %0 = qnt.fixed_point_mul %c by [1073741824, 1073741824, 1073741824] shift [0, -1, 1] axis 1 : tensor<2x3xi32>
  %s = arith.constant dense<9> : tensor<4xi32>
  %1 = qnt.fixed_point_mul %s by [1073741824] shift [0] : tensor<4xi32>
  return %0, %1 : tensor<2x3xi32>, tensor<4xi32>
}

// -----

// Non-constant inputs stay.
// CHECK-LABEL: func.func @no_fold_fixed_point_mul
// CHECK: qnt.fixed_point_mul
func.func @no_fold_fixed_point_mul(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = qnt.fixed_point_mul %x by [1073741824] shift [0] : tensor<4xi32>
  return %0 : tensor<4xi32>
}
