// RUN: quant-opt %s --split-input-file --qnt-export-quant-types | FileCheck %s

// qnt casts and types become upstream quant casts and types.
// CHECK-LABEL: func.func @casts
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi8>)
// CHECK: %[[Q:.*]] = quant.qcast %[[X]] : tensor<4xf32> to tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>>
// CHECK: quant.dcast %[[Q]] : tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>> to tensor<4xf32>
// CHECK: quant.scast %[[Q]] : tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>> to tensor<4xi8>
// CHECK-NOT: qnt.
func.func @casts(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi8>) {
  %q = qnt.quantize %x : tensor<4xf32> to tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
  %y = qnt.dequantize %q : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> to tensor<4xf32>
  %s = qnt.storage_cast %q : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> to tensor<4xi8>
  return %y, %s : tensor<4xf32>, tensor<4xi8>
}

// -----

// Per-axis and narrow-range parameters carry over; float graph ops stay.
// CHECK-LABEL: func.func @per_axis
// CHECK-SAME: tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {5.000000e-01,2.500000e-01,1.250000e-01}>>
// CHECK: qnt.relu %{{.*}} : tensor<2x3xf32> -> tensor<2x3xf32>
func.func @per_axis(%w: tensor<2x3x!qnt.uniform<i8<-127:127>:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<2x3xf32> {
  %f = qnt.dequantize %w : tensor<2x3x!qnt.uniform<i8<-127:127>:f32:1, {0.5, 0.25, 0.125}>> to tensor<2x3xf32>
  %r = qnt.relu %f : tensor<2x3xf32> -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
