// RUN: quant-opt %s --qnt-verify-integer-only="allow-edge-casts" | FileCheck %s

// Quantize of an argument and dequantize into the return are the model's
// float edges: accepted with allow-edge-casts.
// CHECK-LABEL: func.func @edges
// CHECK: qnt.quantize
// CHECK: qnt.relu
// CHECK: qnt.dequantize
func.func @edges(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qnt.quantize %x : tensor<4xf32> to tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
  %y = qnt.relu %q : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> -> tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
  %r = qnt.dequantize %y : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> to tensor<4xf32>
  return %r : tensor<4xf32>
}
