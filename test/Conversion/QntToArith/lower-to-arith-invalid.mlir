// RUN: quant-opt %s --split-input-file --qnt-lower-to-arith -verify-diagnostics

// A quantized function argument has no storage type to cast to: the
// storage_cast at the boundary stays and is reported.
func.func @quantized_argument(%q: tensor<4x!qnt.uniform<i8:f32, 0.5>>) -> tensor<4xi8> {
  // expected-error@+1 {{'qnt.storage_cast' cannot be lowered to arith}}
  %s = qnt.storage_cast %q : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4xi8>
  return %s : tensor<4xi8>
}

// -----

// Likewise a quantized result: the quantize is lowered, the cast of its
// storage integers back to the quantized type (at the quantize's location)
// is reported.
func.func @quantized_result(%r: tensor<4xf32>) -> tensor<4x!qnt.uniform<i8:f32, 0.5>> {
  // expected-error@+1 {{'qnt.storage_cast' cannot be lowered to arith}}
  %q = qnt.quantize %r : tensor<4xf32> to tensor<4x!qnt.uniform<i8:f32, 0.5>>
  return %q : tensor<4x!qnt.uniform<i8:f32, 0.5>>
}

// -----

// Several leftovers are all reported: a graph op that qnt-lower-to-integer
// has not rewritten and a per-group quantize.
func.func @two(%x: tensor<4xf32>, %w: tensor<2x4xf32>) -> (tensor<4xf32>, tensor<2x4xi8>) {
  // expected-error@+1 {{'qnt.relu' cannot be lowered to arith}}
  %r = qnt.relu %x : tensor<4xf32> -> tensor<4xf32>
  // expected-error@+1 {{'qnt.quantize' cannot be lowered to arith}}
  %q = qnt.quantize %w : tensor<2x4xf32> to tensor<2x4x!qnt.uniform<i8:f32:1 group 2, {0.25, 0.5, 0.25, 0.5}>>
  // expected-error@+1 {{'qnt.storage_cast' cannot be lowered to arith}}
  %s = qnt.storage_cast %q : tensor<2x4x!qnt.uniform<i8:f32:1 group 2, {0.25, 0.5, 0.25, 0.5}>> to tensor<2x4xi8>
  return %r, %s : tensor<4xf32>, tensor<2x4xi8>
}
