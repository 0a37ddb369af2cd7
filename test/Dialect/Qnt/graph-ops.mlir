// RUN: quant-opt %s --verify-roundtrip | FileCheck %s
// RUN: quant-opt %s --mlir-print-op-generic | quant-opt | FileCheck %s

// Round trips of every graph op, on float tensors and on quantized tensors.
// Default-valued attributes are elided when printed.

!act = !qnt.uniform<u8:f32, 0.05:128>
!act2 = !qnt.uniform<i8:f32, 0.1:-3>
!w_pc = !qnt.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
!w_pt = !qnt.uniform<i8<-127:127>:f32, 0.5>
!b_pc = !qnt.uniform<i32:f32:0, {0.025, 0.0125}>
!dw_pc = !qnt.uniform<i8<-127:127>:f32:3, {0.5, 0.25, 0.125, 0.0625}>
!fc_grp = !qnt.uniform<i4:f32:1 group 4, {0.5, 0.25, 0.125, 0.0625}>

// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x3xf32>, %[[W:.*]]: tensor<16x3x3x3xf32>, %[[B:.*]]: tensor<16xf32>)
func.func @conv2d(%x: tensor<1x8x8x3xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>)
    -> (tensor<1x4x4x16xf32>, tensor<1x6x6x16xf32>) {
  // CHECK: qnt.conv2d %[[X]], %[[W]], %[[B]] strides [2, 2] padding [1, 1, 1, 1] : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x4x4x16xf32>
  %0 = qnt.conv2d %x, %w, %b strides [2, 2] padding [1, 1, 1, 1]
         : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x4x4x16xf32>
  // Explicit defaults are elided.
  // CHECK: qnt.conv2d %[[X]], %[[W]] : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>) -> tensor<1x6x6x16xf32>
  %1 = qnt.conv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] groups 1
         : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>) -> tensor<1x6x6x16xf32>
  return %0, %1 : tensor<1x4x4x16xf32>, tensor<1x6x6x16xf32>
}

// CHECK-LABEL: func.func @conv2d_grouped_dilated
func.func @conv2d_grouped_dilated(%x: tensor<1x9x9x8xf32>, %w: tensor<4x3x3x2xf32>) -> tensor<1x5x5x4xf32> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}} dilations [2, 2] groups 4 : (tensor<1x9x9x8xf32>, tensor<4x3x3x2xf32>) -> tensor<1x5x5x4xf32>
  %0 = qnt.conv2d %x, %w dilations [2, 2] groups 4
         : (tensor<1x9x9x8xf32>, tensor<4x3x3x2xf32>) -> tensor<1x5x5x4xf32>
  return %0 : tensor<1x5x5x4xf32>
}

// Per-tensor activations, per-channel weights and bias.
// CHECK-LABEL: func.func @conv2d_quantized
func.func @conv2d_quantized(%x: tensor<1x8x8x3x!act>, %w: tensor<2x3x3x3x!w_pc>, %b: tensor<2x!b_pc>)
    -> tensor<1x6x6x2x!act> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x8x8x3x!qnt.uniform<u8:f32, 5.000000e-02:128>>, tensor<2x3x3x3x!qnt.uniform<i8<-127:127>:f32:0, {5.000000e-01, 2.500000e-01}>>, tensor<2x!qnt.uniform<i32:f32:0, {2.500000e-02, 1.250000e-02}>>) -> tensor<1x6x6x2x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %0 = qnt.conv2d %x, %w, %b
         : (tensor<1x8x8x3x!act>, tensor<2x3x3x3x!w_pc>, tensor<2x!b_pc>) -> tensor<1x6x6x2x!act>
  return %0 : tensor<1x6x6x2x!act>
}

// CHECK-LABEL: func.func @depthwise_conv2d
func.func @depthwise_conv2d(%x: tensor<1x8x8x4xf32>, %w: tensor<1x3x3x8xf32>, %b: tensor<8xf32>) -> tensor<1x8x8x8xf32> {
  // CHECK: qnt.depthwise_conv2d %{{.*}}, %{{.*}}, %{{.*}} padding [1, 1, 1, 1] : (tensor<1x8x8x4xf32>, tensor<1x3x3x8xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %0 = qnt.depthwise_conv2d %x, %w, %b padding [1, 1, 1, 1]
         : (tensor<1x8x8x4xf32>, tensor<1x3x3x8xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// Depthwise weights are quantized per channel on their last axis.
// CHECK-LABEL: func.func @depthwise_conv2d_quantized
func.func @depthwise_conv2d_quantized(%x: tensor<1x8x8x4x!act>, %w: tensor<1x3x3x4x!dw_pc>) -> tensor<1x3x3x4x!act> {
  // CHECK: qnt.depthwise_conv2d %{{.*}}, %{{.*}} strides [2, 2] :
  // CHECK-SAME: -> tensor<1x3x3x4x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %0 = qnt.depthwise_conv2d %x, %w strides [2, 2] dilations [1, 1]
         : (tensor<1x8x8x4x!act>, tensor<1x3x3x4x!dw_pc>) -> tensor<1x3x3x4x!act>
  return %0 : tensor<1x3x3x4x!act>
}

// CHECK-LABEL: func.func @fully_connected
func.func @fully_connected(%x: tensor<2x64xf32>, %w: tensor<10x64xf32>, %b: tensor<10xf32>) -> tensor<2x10xf32> {
  // CHECK: qnt.fully_connected %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  %0 = qnt.fully_connected %x, %w, %b
         : (tensor<2x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// Per-group weights: blocks of 4 input features share a scale.
// CHECK-LABEL: func.func @fully_connected_per_group
func.func @fully_connected_per_group(%x: tensor<1x8x!act2>, %w: tensor<2x8x!fc_grp>) -> tensor<1x2x!act2> {
  // CHECK: qnt.fully_connected %{{.*}}, %{{.*}} : (tensor<1x8x!qnt.uniform<i8:f32, 1.000000e-01:-3>>, tensor<2x8x!qnt.uniform<i4:f32:1 group 4, {5.000000e-01, 2.500000e-01, 1.250000e-01, 6.250000e-02}>>) -> tensor<1x2x!qnt.uniform<i8:f32, 1.000000e-01:-3>>
  %0 = qnt.fully_connected %x, %w : (tensor<1x8x!act2>, tensor<2x8x!fc_grp>) -> tensor<1x2x!act2>
  return %0 : tensor<1x2x!act2>
}

// CHECK-LABEL: func.func @matmul
func.func @matmul(%a: tensor<4x8x16xf32>, %b: tensor<4x16x32xf32>, %qa: tensor<8x16x!act>, %qb: tensor<16x32x!w_pt>)
    -> (tensor<4x8x32xf32>, tensor<8x32x!act>) {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} : tensor<4x8x16xf32>, tensor<4x16x32xf32> -> tensor<4x8x32xf32>
  %0 = qnt.matmul %a, %b : tensor<4x8x16xf32>, tensor<4x16x32xf32> -> tensor<4x8x32xf32>
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} : tensor<8x16x!qnt.uniform<u8:f32, 5.000000e-02:128>>, tensor<16x32x!qnt.uniform<i8<-127:127>:f32, 5.000000e-01>> -> tensor<8x32x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %1 = qnt.matmul %qa, %qb : tensor<8x16x!act>, tensor<16x32x!w_pt> -> tensor<8x32x!act>
  return %0, %1 : tensor<4x8x32xf32>, tensor<8x32x!act>
}

// CHECK-LABEL: func.func @batch_norm
func.func @batch_norm(%x: tensor<1x8x8x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>)
    -> (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) {
  // CHECK: qnt.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
  %0 = qnt.batch_norm %x, %g, %b, %m, %v
         : (tensor<1x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
  // CHECK: qnt.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} epsilon 1.000000e-03 :
  %1 = qnt.batch_norm %x, %g, %b, %m, %v epsilon 1.0e-3
         : (tensor<1x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
  return %0, %1 : tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>
}

// CHECK-LABEL: func.func @add_mul
func.func @add_mul(%a: tensor<1x8x8x4xf32>, %b: tensor<4xf32>, %qa: tensor<2x3x!act>, %qb: tensor<2x3x!act2>)
    -> (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>, tensor<2x3x!act>) {
  // CHECK: qnt.add %{{.*}}, %{{.*}} : tensor<1x8x8x4xf32>, tensor<4xf32> -> tensor<1x8x8x4xf32>
  %0 = qnt.add %a, %b : tensor<1x8x8x4xf32>, tensor<4xf32> -> tensor<1x8x8x4xf32>
  // CHECK: qnt.mul %{{.*}}, %{{.*}} : tensor<4xf32>, tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
  %1 = qnt.mul %b, %a : tensor<4xf32>, tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
  // Quantized operands may have different scales; the result has its own.
  // CHECK: qnt.add %{{.*}}, %{{.*}} : tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-02:128>>, tensor<2x3x!qnt.uniform<i8:f32, 1.000000e-01:-3>> -> tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %2 = qnt.add %qa, %qb : tensor<2x3x!act>, tensor<2x3x!act2> -> tensor<2x3x!act>
  return %0, %1, %2 : tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>, tensor<2x3x!act>
}

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<16xf32>, %q: tensor<16x!act>)
    -> (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16x!act>) {
  // CHECK: qnt.relu %{{.*}} : tensor<16xf32> -> tensor<16xf32>
  %0 = qnt.relu %x : tensor<16xf32> -> tensor<16xf32>
  // CHECK: qnt.relu6 %{{.*}} : tensor<16xf32> -> tensor<16xf32>
  %1 = qnt.relu6 %x : tensor<16xf32> -> tensor<16xf32>
  // CHECK: qnt.clamp %{{.*}} min -1.000000e+00 max 1.000000e+00 : tensor<16xf32> -> tensor<16xf32>
  %2 = qnt.clamp %x min -1.0 max 1.0 : tensor<16xf32> -> tensor<16xf32>
  // A point interval is allowed.
  // CHECK: qnt.clamp %{{.*}} min 0.000000e+00 max 0.000000e+00 : tensor<16x!qnt.uniform<u8:f32, 5.000000e-02:128>> -> tensor<16x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %3 = qnt.clamp %q min 0.0 max 0.0 : tensor<16x!act> -> tensor<16x!act>
  return %0, %1, %2, %3 : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16x!act>
}

// CHECK-LABEL: func.func @pools
func.func @pools(%x: tensor<1x8x8x4xf32>, %q: tensor<1x7x7x4x!act>)
    -> (tensor<1x4x4x4xf32>, tensor<1x8x8x4xf32>, tensor<1x1x1x4xf32>, tensor<1x3x3x4x!act>, tensor<1x1x1x4x!act>) {
  // CHECK: qnt.max_pool2d %{{.*}} kernel [2, 2] strides [2, 2] : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  %0 = qnt.max_pool2d %x kernel [2, 2] strides [2, 2] : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  // CHECK: qnt.avg_pool2d %{{.*}} kernel [3, 3] padding [1, 1, 1, 1] {count_include_pad = true} : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
  %1 = qnt.avg_pool2d %x kernel [3, 3] padding [1, 1, 1, 1] {count_include_pad = true}
         : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
  // CHECK: qnt.global_avg_pool %{{.*}} : tensor<1x8x8x4xf32> -> tensor<1x1x1x4xf32>
  %2 = qnt.global_avg_pool %x : tensor<1x8x8x4xf32> -> tensor<1x1x1x4xf32>
  // CHECK: qnt.avg_pool2d %{{.*}} kernel [3, 3] strides [2, 2] : tensor<1x7x7x4x!qnt.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x3x3x4x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %3 = qnt.avg_pool2d %q kernel [3, 3] strides [2, 2] {count_include_pad = false}
         : tensor<1x7x7x4x!act> -> tensor<1x3x3x4x!act>
  // CHECK: qnt.global_avg_pool %{{.*}} : tensor<1x7x7x4x!qnt.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x1x1x4x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %4 = qnt.global_avg_pool %q : tensor<1x7x7x4x!act> -> tensor<1x1x1x4x!act>
  return %0, %1, %2, %3, %4 : tensor<1x4x4x4xf32>, tensor<1x8x8x4xf32>, tensor<1x1x1x4xf32>, tensor<1x3x3x4x!act>, tensor<1x1x1x4x!act>
}

// CHECK-LABEL: func.func @pad
func.func @pad(%x: tensor<1x8x8x4xf32>, %q: tensor<2x3x!act>) -> (tensor<1x10x10x4xf32>, tensor<3x6x!act>) {
  // CHECK: qnt.pad %{{.*}} padding [0, 0, 1, 1, 1, 1, 0, 0] : tensor<1x8x8x4xf32> -> tensor<1x10x10x4xf32>
  %0 = qnt.pad %x padding [0, 0, 1, 1, 1, 1, 0, 0] value 0.0 : tensor<1x8x8x4xf32> -> tensor<1x10x10x4xf32>
  // CHECK: qnt.pad %{{.*}} padding [1, 0, 0, 3] value -1.500000e+00 : tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-02:128>> -> tensor<3x6x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %1 = qnt.pad %q padding [1, 0, 0, 3] value -1.5 : tensor<2x3x!act> -> tensor<3x6x!act>
  return %0, %1 : tensor<1x10x10x4xf32>, tensor<3x6x!act>
}

// CHECK-LABEL: func.func @reshape
func.func @reshape(%x: tensor<1x1x1x64xf32>, %q: tensor<2x3x!act>) -> (tensor<1x64xf32>, tensor<6x!act>) {
  // CHECK: qnt.reshape %{{.*}} : tensor<1x1x1x64xf32> -> tensor<1x64xf32>
  %0 = qnt.reshape %x : tensor<1x1x1x64xf32> -> tensor<1x64xf32>
  // CHECK: qnt.reshape %{{.*}} : tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-02:128>> -> tensor<6x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %1 = qnt.reshape %q : tensor<2x3x!act> -> tensor<6x!act>
  return %0, %1 : tensor<1x64xf32>, tensor<6x!act>
}

// A per-axis tensor keeps its scales on the moved axis.
// CHECK-LABEL: func.func @transpose
func.func @transpose(%x: tensor<1x8x8x4xf32>, %w: tensor<2x3x3x3x!w_pc>) -> (tensor<1x4x8x8xf32>, tensor<3x3x3x2x!qnt.uniform<i8<-127:127>:f32:3, {0.5, 0.25}>>) {
  // CHECK: qnt.transpose %{{.*}} permutation [0, 3, 1, 2] : tensor<1x8x8x4xf32> -> tensor<1x4x8x8xf32>
  %0 = qnt.transpose %x permutation [0, 3, 1, 2] : tensor<1x8x8x4xf32> -> tensor<1x4x8x8xf32>
  // CHECK: qnt.transpose %{{.*}} permutation [1, 2, 3, 0] : tensor<2x3x3x3x!qnt.uniform<i8<-127:127>:f32:0, {5.000000e-01, 2.500000e-01}>> -> tensor<3x3x3x2x!qnt.uniform<i8<-127:127>:f32:3, {5.000000e-01, 2.500000e-01}>>
  %1 = qnt.transpose %w permutation [1, 2, 3, 0]
         : tensor<2x3x3x3x!w_pc> -> tensor<3x3x3x2x!qnt.uniform<i8<-127:127>:f32:3, {0.5, 0.25}>>
  return %0, %1 : tensor<1x4x8x8xf32>, tensor<3x3x3x2x!qnt.uniform<i8<-127:127>:f32:3, {0.5, 0.25}>>
}

// CHECK-LABEL: func.func @concat
func.func @concat(%a: tensor<1x8x8x4xf32>, %b: tensor<1x8x8x12xf32>, %q: tensor<2x3x!act>)
    -> (tensor<1x8x8x16xf32>, tensor<1x8x8x4xf32>, tensor<4x3x!act>) {
  // CHECK: qnt.concat %{{.*}}, %{{.*}} axis 3 : (tensor<1x8x8x4xf32>, tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32>
  %0 = qnt.concat %a, %b axis 3 : (tensor<1x8x8x4xf32>, tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32>
  // A single input is allowed.
  // CHECK: qnt.concat %{{.*}} axis 0 : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %1 = qnt.concat %a axis 0 : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  // CHECK: qnt.concat %{{.*}}, %{{.*}} axis 0 : (tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-02:128>>, tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-02:128>>) -> tensor<4x3x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %2 = qnt.concat %q, %q axis 0 : (tensor<2x3x!act>, tensor<2x3x!act>) -> tensor<4x3x!act>
  return %0, %1, %2 : tensor<1x8x8x16xf32>, tensor<1x8x8x4xf32>, tensor<4x3x!act>
}

// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<2x10xf32>, %q: tensor<2x10x!act>) -> (tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10x!act>) {
  // The default axis -1 is elided.
  // CHECK: qnt.softmax %{{.*}} : tensor<2x10xf32> -> tensor<2x10xf32>
  %0 = qnt.softmax %x axis -1 : tensor<2x10xf32> -> tensor<2x10xf32>
  // CHECK: qnt.softmax %{{.*}} axis 0 : tensor<2x10xf32> -> tensor<2x10xf32>
  %1 = qnt.softmax %x axis 0 : tensor<2x10xf32> -> tensor<2x10xf32>
  // CHECK: qnt.softmax %{{.*}} axis -2 : tensor<2x10x!qnt.uniform<u8:f32, 5.000000e-02:128>> -> tensor<2x10x!qnt.uniform<u8:f32, 5.000000e-02:128>>
  %2 = qnt.softmax %q axis -2 : tensor<2x10x!act> -> tensor<2x10x!act>
  return %0, %1, %2 : tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10x!act>
}

// Other float types work when all tensors agree.
// CHECK-LABEL: func.func @f16
func.func @f16(%x: tensor<1x4x4x2xf16>, %w: tensor<2x1x1x2xf16>) -> tensor<1x4x4x2xf16> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}} : (tensor<1x4x4x2xf16>, tensor<2x1x1x2xf16>) -> tensor<1x4x4x2xf16>
  %0 = qnt.conv2d %x, %w : (tensor<1x4x4x2xf16>, tensor<2x1x1x2xf16>) -> tensor<1x4x4x2xf16>
  return %0 : tensor<1x4x4x2xf16>
}
