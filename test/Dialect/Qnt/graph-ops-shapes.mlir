// RUN: quant-opt %s | quant-opt | FileCheck %s

// Shape edge cases the verifiers accept: odd sizes (floor division), padding
// that shrinks the output to 1x1, dilation, groups, dynamic dimensions (`?`
// propagates and is compatible with any declared size) and broadcasting.

// CHECK-LABEL: func.func @conv_odd_sizes
func.func @conv_odd_sizes(%x: tensor<1x7x7x3xf32>, %y: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>)
    -> (tensor<1x3x3x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) {
  // (7 - 3) / 2 + 1 = 3
  // CHECK: qnt.conv2d {{.*}} -> tensor<1x3x3x4xf32>
  %0 = qnt.conv2d %x, %w strides [2, 2] : (tensor<1x7x7x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x3x4xf32>
  // (7 + 2 - 3) / 2 + 1 = 4
  // CHECK: qnt.conv2d {{.*}} -> tensor<1x4x4x4xf32>
  %1 = qnt.conv2d %x, %w strides [2, 2] padding [1, 1, 1, 1] : (tensor<1x7x7x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
  // TF "SAME" on an even size pads only at the end: (8 + 1 - 3) / 2 + 1 = 4
  // CHECK: qnt.conv2d {{.*}} padding [0, 1, 0, 1] {{.*}} -> tensor<1x4x4x4xf32>
  %2 = qnt.conv2d %y, %w strides [2, 2] padding [0, 1, 0, 1] : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
  return %0, %1, %2 : tensor<1x3x3x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>
}

// CHECK-LABEL: func.func @conv_output_1x1
func.func @conv_output_1x1(%x: tensor<1x1x1x4xf32>, %w: tensor<2x3x3x4xf32>, %y: tensor<1x5x5x4xf32>, %k: tensor<2x1x1x4xf32>)
    -> (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>) {
  // A 1x1 input padded to 3x3 under a 3x3 kernel.
  // CHECK: qnt.conv2d {{.*}} -> tensor<1x1x1x2xf32>
  %0 = qnt.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x1x1x4xf32>, tensor<2x3x3x4xf32>) -> tensor<1x1x1x2xf32>
  // A stride larger than the input: (5 - 1) / 7 + 1 = 1
  // CHECK: qnt.conv2d {{.*}} strides [7, 7] {{.*}} -> tensor<1x1x1x2xf32>
  %1 = qnt.conv2d %y, %k strides [7, 7] : (tensor<1x5x5x4xf32>, tensor<2x1x1x4xf32>) -> tensor<1x1x1x2xf32>
  return %0, %1 : tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>
}

// CHECK-LABEL: func.func @conv_dilation
func.func @conv_dilation(%x: tensor<1x10x10x2xf32>, %w: tensor<2x3x3x2xf32>) -> (tensor<1x6x6x2xf32>, tensor<1x6x4x2xf32>) {
  // Dilated window 2 * (3 - 1) + 1 = 5: 10 - 5 + 1 = 6.
  // CHECK: qnt.conv2d {{.*}} dilations [2, 2] {{.*}} -> tensor<1x6x6x2xf32>
  %0 = qnt.conv2d %x, %w dilations [2, 2] : (tensor<1x10x10x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x6x6x2xf32>
  // Width window 3 * 2 + 1 = 7: 10 - 7 + 1 = 4.
  // CHECK: qnt.conv2d {{.*}} dilations [2, 3] {{.*}} -> tensor<1x6x4x2xf32>
  %1 = qnt.conv2d %x, %w dilations [2, 3] : (tensor<1x10x10x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x6x4x2xf32>
  return %0, %1 : tensor<1x6x6x2xf32>, tensor<1x6x4x2xf32>
}

// CHECK-LABEL: func.func @conv_groups
func.func @conv_groups(%x: tensor<1x4x4x8xf32>, %dw: tensor<8x3x3x1xf32>, %g2: tensor<6x1x1x4xf32>)
    -> (tensor<1x4x4x8xf32>, tensor<1x4x4x6xf32>) {
  // groups == C: a depthwise convolution in OHWI form.
  // CHECK: qnt.conv2d {{.*}} padding [1, 1, 1, 1] groups 8 {{.*}} -> tensor<1x4x4x8xf32>
  %0 = qnt.conv2d %x, %dw padding [1, 1, 1, 1] groups 8 : (tensor<1x4x4x8xf32>, tensor<8x3x3x1xf32>) -> tensor<1x4x4x8xf32>
  // Two groups of 4 input and 3 output channels.
  // CHECK: qnt.conv2d {{.*}} groups 2 {{.*}} -> tensor<1x4x4x6xf32>
  %1 = qnt.conv2d %x, %g2 groups 2 : (tensor<1x4x4x8xf32>, tensor<6x1x1x4xf32>) -> tensor<1x4x4x6xf32>
  return %0, %1 : tensor<1x4x4x8xf32>, tensor<1x4x4x6xf32>
}

// CHECK-LABEL: func.func @conv_dynamic
func.func @conv_dynamic(%x: tensor<?x8x8x3xf32>, %y: tensor<1x?x8x3xf32>, %w: tensor<16x3x3x3xf32>, %wd: tensor<16x?x3x3xf32>)
    -> (tensor<?x6x6x16xf32>, tensor<1x?x6x16xf32>, tensor<1x6x6x16xf32>, tensor<1x?x6x16xf32>, tensor<?x?x?x?xf32>) {
  // The batch dimension stays dynamic.
  // CHECK: qnt.conv2d {{.*}} -> tensor<?x6x6x16xf32>
  %0 = qnt.conv2d %x, %w : (tensor<?x8x8x3xf32>, tensor<16x3x3x3xf32>) -> tensor<?x6x6x16xf32>
  // A dynamic spatial size gives a dynamic output size...
  // CHECK: qnt.conv2d {{.*}} -> tensor<1x?x6x16xf32>
  %1 = qnt.conv2d %y, %w : (tensor<1x?x8x3xf32>, tensor<16x3x3x3xf32>) -> tensor<1x?x6x16xf32>
  // ...which a static declared size may refine.
  // CHECK: qnt.conv2d {{.*}} -> tensor<1x6x6x16xf32>
  %2 = qnt.conv2d %y, %w : (tensor<1x?x8x3xf32>, tensor<16x3x3x3xf32>) -> tensor<1x6x6x16xf32>
  // A dynamic kernel size also makes the output size dynamic.
  // CHECK: qnt.conv2d {{.*}} -> tensor<1x?x6x16xf32>
  %3 = qnt.conv2d %y, %wd : (tensor<1x?x8x3xf32>, tensor<16x?x3x3xf32>) -> tensor<1x?x6x16xf32>
  // A fully dynamic declared result is compatible with anything.
  // CHECK: qnt.conv2d {{.*}} -> tensor<?x?x?x?xf32>
  %4 = qnt.conv2d %x, %w : (tensor<?x8x8x3xf32>, tensor<16x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %0, %1, %2, %3, %4 : tensor<?x6x6x16xf32>, tensor<1x?x6x16xf32>, tensor<1x6x6x16xf32>, tensor<1x?x6x16xf32>, tensor<?x?x?x?xf32>
}

// CHECK-LABEL: func.func @depthwise_multiplier
func.func @depthwise_multiplier(%x: tensor<?x5x5x3xf32>, %w2: tensor<1x3x3x6xf32>, %b: tensor<6xf32>, %w1: tensor<1x2x2x3xf32>)
    -> (tensor<?x3x3x6xf32>, tensor<?x2x2x3xf32>) {
  // Channel multiplier 2.
  // CHECK: qnt.depthwise_conv2d {{.*}} -> tensor<?x3x3x6xf32>
  %0 = qnt.depthwise_conv2d %x, %w2, %b : (tensor<?x5x5x3xf32>, tensor<1x3x3x6xf32>, tensor<6xf32>) -> tensor<?x3x3x6xf32>
  // Multiplier 1, stride 2 over an odd size: (5 - 2) / 2 + 1 = 2.
  // CHECK: qnt.depthwise_conv2d {{.*}} strides [2, 2] {{.*}} -> tensor<?x2x2x3xf32>
  %1 = qnt.depthwise_conv2d %x, %w1 strides [2, 2] : (tensor<?x5x5x3xf32>, tensor<1x2x2x3xf32>) -> tensor<?x2x2x3xf32>
  return %0, %1 : tensor<?x3x3x6xf32>, tensor<?x2x2x3xf32>
}

// CHECK-LABEL: func.func @fc_and_matmul_dynamic
func.func @fc_and_matmul_dynamic(%x: tensor<?x64xf32>, %w: tensor<10x64xf32>, %a: tensor<?x8x?xf32>, %b: tensor<2x16x32xf32>)
    -> (tensor<?x10xf32>, tensor<?x8x32xf32>) {
  // CHECK: qnt.fully_connected {{.*}} -> tensor<?x10xf32>
  %0 = qnt.fully_connected %x, %w : (tensor<?x64xf32>, tensor<10x64xf32>) -> tensor<?x10xf32>
  // A dynamic batch or contraction size agrees with the static one.
  // CHECK: qnt.matmul {{.*}} -> tensor<?x8x32xf32>
  %1 = qnt.matmul %a, %b : tensor<?x8x?xf32>, tensor<2x16x32xf32> -> tensor<?x8x32xf32>
  return %0, %1 : tensor<?x10xf32>, tensor<?x8x32xf32>
}

// CHECK-LABEL: func.func @broadcasting
func.func @broadcasting(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>, %s: tensor<f32>, %d: tensor<?x3xf32>, %o: tensor<1x3xf32>,
                        %c: tensor<?x1xf32>, %r: tensor<1x5xf32>)
    -> (tensor<2x3x4xf32>, tensor<3x1xf32>, tensor<?x3xf32>, tensor<?x5xf32>, tensor<4x5xf32>) {
  // Trailing alignment: [2, 1, 4] and [3, 1] give [2, 3, 4].
  // CHECK: qnt.add {{.*}} -> tensor<2x3x4xf32>
  %0 = qnt.add %a, %b : tensor<2x1x4xf32>, tensor<3x1xf32> -> tensor<2x3x4xf32>
  // A rank-0 operand broadcasts to anything.
  // CHECK: qnt.mul {{.*}} -> tensor<3x1xf32>
  %1 = qnt.mul %s, %b : tensor<f32>, tensor<3x1xf32> -> tensor<3x1xf32>
  // `?` against 1 stays dynamic.
  // CHECK: qnt.add {{.*}} -> tensor<?x3xf32>
  %2 = qnt.add %d, %o : tensor<?x3xf32>, tensor<1x3xf32> -> tensor<?x3xf32>
  // `?` against 5 must be 5 or 1 at run time, so the result is 5.
  // CHECK: qnt.mul {{.*}} -> tensor<?x5xf32>
  %3 = qnt.mul %c, %r : tensor<?x1xf32>, tensor<1x5xf32> -> tensor<?x5xf32>
  // CHECK: qnt.mul {{.*}} -> tensor<4x5xf32>
  %4 = qnt.mul %c, %r : tensor<?x1xf32>, tensor<1x5xf32> -> tensor<4x5xf32>
  return %0, %1, %2, %3, %4 : tensor<2x3x4xf32>, tensor<3x1xf32>, tensor<?x3xf32>, tensor<?x5xf32>, tensor<4x5xf32>
}

// CHECK-LABEL: func.func @pools
func.func @pools(%x: tensor<?x7x7x4xf32>, %y: tensor<1x2x2x4xf32>)
    -> (tensor<?x3x3x4xf32>, tensor<1x1x1x4xf32>, tensor<?x1x1x4xf32>) {
  // Floor division drops the last row and column: (7 - 2) / 2 + 1 = 3.
  // CHECK: qnt.max_pool2d {{.*}} -> tensor<?x3x3x4xf32>
  %0 = qnt.max_pool2d %x kernel [2, 2] strides [2, 2] : tensor<?x7x7x4xf32> -> tensor<?x3x3x4xf32>
  // Padding lets a 3x3 window cover a 2x2 input once.
  // CHECK: qnt.avg_pool2d {{.*}} -> tensor<1x1x1x4xf32>
  %1 = qnt.avg_pool2d %y kernel [3, 3] padding [0, 1, 0, 1] : tensor<1x2x2x4xf32> -> tensor<1x1x1x4xf32>
  // CHECK: qnt.global_avg_pool {{.*}} -> tensor<?x1x1x4xf32>
  %2 = qnt.global_avg_pool %x : tensor<?x7x7x4xf32> -> tensor<?x1x1x4xf32>
  return %0, %1, %2 : tensor<?x3x3x4xf32>, tensor<1x1x1x4xf32>, tensor<?x1x1x4xf32>
}

// CHECK-LABEL: func.func @data_movement_dynamic
func.func @data_movement_dynamic(%x: tensor<?x3xf32>, %a: tensor<2x?xf32>, %b: tensor<3x4xf32>)
    -> (tensor<?x5xf32>, tensor<3x?xf32>, tensor<5x4xf32>, tensor<?xf32>, tensor<?x3xf32>) {
  // CHECK: qnt.pad {{.*}} -> tensor<?x5xf32>
  %0 = qnt.pad %x padding [1, 1, 0, 2] : tensor<?x3xf32> -> tensor<?x5xf32>
  // CHECK: qnt.transpose {{.*}} -> tensor<3x?xf32>
  %1 = qnt.transpose %x permutation [1, 0] : tensor<?x3xf32> -> tensor<3x?xf32>
  // The dynamic size of %a is fixed by %b.
  // CHECK: qnt.concat {{.*}} -> tensor<5x4xf32>
  %2 = qnt.concat %a, %b axis 0 : (tensor<2x?xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  // CHECK: qnt.reshape {{.*}} -> tensor<?xf32>
  %3 = qnt.reshape %x : tensor<?x3xf32> -> tensor<?xf32>
  // CHECK: qnt.softmax {{.*}} axis 0 {{.*}} -> tensor<?x3xf32>
  %4 = qnt.softmax %x axis 0 : tensor<?x3xf32> -> tensor<?x3xf32>
  return %0, %1, %2, %3, %4 : tensor<?x5xf32>, tensor<3x?xf32>, tensor<5x4xf32>, tensor<?xf32>, tensor<?x3xf32>
}

// Empty tensors are shapes like any other.
// CHECK-LABEL: func.func @zero_sizes
func.func @zero_sizes(%x: tensor<0x4x4x2xf32>, %w: tensor<2x1x1x2xf32>, %e: tensor<0x3xf32>) -> (tensor<0x4x4x2xf32>, tensor<2x3xf32>) {
  // CHECK: qnt.conv2d {{.*}} -> tensor<0x4x4x2xf32>
  %0 = qnt.conv2d %x, %w : (tensor<0x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<0x4x4x2xf32>
  // CHECK: qnt.pad {{.*}} -> tensor<2x3xf32>
  %1 = qnt.pad %e padding [1, 1, 0, 0] : tensor<0x3xf32> -> tensor<2x3xf32>
  return %0, %1 : tensor<0x4x4x2xf32>, tensor<2x3xf32>
}

// An empty tensor has no elements however large its other sizes are.
// CHECK-LABEL: func.func @reshape_empty
func.func @reshape_empty(%x: tensor<4294967296x4294967296x0xf32>) -> tensor<0x7xf32> {
  // CHECK: qnt.reshape {{.*}} -> tensor<0x7xf32>
  %0 = qnt.reshape %x : tensor<4294967296x4294967296x0xf32> -> tensor<0x7xf32>
  return %0 : tensor<0x7xf32>
}
