// RUN: quant-opt %s --split-input-file --qnt-verify-integer-only -verify-diagnostics
// RUN: quant-opt %s --split-input-file --qnt-verify-integer-only="allow-edge-casts" -verify-diagnostics

// Every float op is reported, not just the first; the pass fails. None of
// these ops is a float edge, so allow-edge-casts changes nothing here.

func.func @float_ops(%x: tensor<4xf32>, %i: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error@+1 {{'arith.constant' computes in floating point ('tensor<4xf32>'); the program is not integer-only}}
  %c = arith.constant dense<1.5> : tensor<4xf32>
  // expected-error@+1 {{'arith.mulf' computes in floating point ('tensor<4xf32>')}}
  %m = arith.mulf %x, %c : tensor<4xf32>
  // expected-error@+1 {{'arith.fptosi' computes in floating point ('tensor<4xf32>')}}
  %r = arith.fptosi %m : tensor<4xf32> to tensor<4xi32>
  return %r : tensor<4xi32>
}

// -----

// Scalars count too, and sitofp produces a float.
func.func @scalar(%i: i32) -> f64 {
  // expected-error@+1 {{'arith.sitofp' computes in floating point ('f64')}}
  %f = arith.sitofp %i : i32 to f64
  return %f : f64
}

// -----

// Float graph ops are not integer-only.
func.func @float_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'qnt.relu' computes in floating point ('tensor<4xf32>')}}
  %y = qnt.relu %x : tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Casts in the middle of a program are not edges, even with allow-edge-casts.
func.func @inner_casts(%q: tensor<4x!qnt.uniform<i8:f32, 0.5>>) -> tensor<4x!qnt.uniform<i8:f32, 0.25>> {
  // expected-error@+1 {{'qnt.dequantize' computes in floating point}}
  %x = qnt.dequantize %q : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4xf32>
  // expected-error@+1 {{'qnt.quantize' computes in floating point}}
  %r = qnt.quantize %x : tensor<4xf32> to tensor<4x!qnt.uniform<i8:f32, 0.25>>
  return %r : tensor<4x!qnt.uniform<i8:f32, 0.25>>
}

