// RUN: quant-opt %s --qnt-verify-integer-only -verify-diagnostics

// Without allow-edge-casts the edges are reported as well.
func.func @edges(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'qnt.quantize' computes in floating point}}
  %q = qnt.quantize %x : tensor<4xf32> to tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
  // expected-error@+1 {{'qnt.dequantize' computes in floating point}}
  %r = qnt.dequantize %q : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> to tensor<4xf32>
  return %r : tensor<4xf32>
}
