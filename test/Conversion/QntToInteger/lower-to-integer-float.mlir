// RUN: quant-opt %s --qnt-lower-to-integer --canonicalize | FileCheck %s

// Float ops and the float edges are left alone.
// CHECK-LABEL: func.func @float
// CHECK: qnt.relu %{{.*}} : tensor<4xf32> -> tensor<4xf32>
// CHECK: qnt.quantize
// CHECK: qnt.dequantize
func.func @float(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = qnt.relu %x : tensor<4xf32> -> tensor<4xf32>
  %q = qnt.quantize %r : tensor<4xf32> to tensor<4x!qnt.uniform<i8:f32, 0.5>>
  %d = qnt.dequantize %q : tensor<4x!qnt.uniform<i8:f32, 0.5>> to tensor<4xf32>
  return %d : tensor<4xf32>
}
