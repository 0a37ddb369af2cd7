// RUN: quant-opt %s --split-input-file --qnt-lower-to-integer -verify-diagnostics

// Ops the integer kernels do not cover are reported, each with the reason.

func.func @per_group(%x: tensor<1x4x!qnt.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x!qnt.uniform<u8:f32, 1.0>> {
  %wc = arith.constant dense<1> : tensor<2x4xi8>
  %w = qnt.storage_cast %wc : tensor<2x4xi8> to tensor<2x4x!qnt.uniform<i8:f32:1 group 2, {0.25, 0.5, 0.25, 0.5}>>
  // expected-error@+1 {{'qnt.fully_connected' cannot be lowered to integer arithmetic: per-group weights}}
  %y = qnt.fully_connected %x, %w : (tensor<1x4x!qnt.uniform<u8:f32, 0.5:128>>, tensor<2x4x!qnt.uniform<i8:f32:1 group 2, {0.25, 0.5, 0.25, 0.5}>>) -> tensor<1x2x!qnt.uniform<u8:f32, 1.0>>
  return %y : tensor<1x2x!qnt.uniform<u8:f32, 1.0>>
}

// -----

// Two problems in one function: both are reported.
func.func @two(%a: tensor<4x!qnt.uniform<i32:f32, 0.5>>, %b: tensor<4x!qnt.uniform<i32:f32, 0.5>>) -> (tensor<4x!qnt.uniform<i32:f32, 0.5>>, tensor<4x!qnt.uniform<i32:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.add' cannot be lowered to integer arithmetic}}
  %s = qnt.add %a, %b : tensor<4x!qnt.uniform<i32:f32, 0.5>>, tensor<4x!qnt.uniform<i32:f32, 0.5>> -> tensor<4x!qnt.uniform<i32:f32, 0.5>>
  // expected-error@+1 {{'qnt.mul' cannot be lowered to integer arithmetic}}
  %m = qnt.mul %a, %b : tensor<4x!qnt.uniform<i32:f32, 0.5>>, tensor<4x!qnt.uniform<i32:f32, 0.5>> -> tensor<4x!qnt.uniform<i32:f32, 0.5>>
  return %s, %m : tensor<4x!qnt.uniform<i32:f32, 0.5>>, tensor<4x!qnt.uniform<i32:f32, 0.5>>
}
