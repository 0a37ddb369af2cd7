// RUN: quant-opt %s --split-input-file --qnt-verify-integer-only | FileCheck %s

// Integer-only programs pass unchanged.

// CHECK-LABEL: func.func @integer_only
// CHECK: qnt.fixed_point_mul
func.func @integer_only(%acc: tensor<1x4xi32>) -> tensor<1x4xi8> {
  %c = arith.constant dense<3> : tensor<1x4xi32>
  %s = arith.addi %acc, %c : tensor<1x4xi32>
  %m = qnt.fixed_point_mul %s by [1073741824] shift [-2] : tensor<1x4xi32>
  %t = arith.trunci %m : tensor<1x4xi32> to tensor<1x4xi8>
  return %t : tensor<1x4xi8>
}

// -----

// Graph ops on quantized tensors lower to integer arithmetic: accepted.
// CHECK-LABEL: func.func @quantized_graph
func.func @quantized_graph(%x: tensor<4x!qnt.uniform<u8:f32, 0.5:128>>) -> tensor<4x!qnt.uniform<u8:f32, 0.5:128>> {
  %y = qnt.relu %x : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> -> tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
  return %y : tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
}

