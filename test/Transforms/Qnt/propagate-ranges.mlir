// RUN: quant-opt %s --split-input-file --qnt-propagate-ranges | FileCheck %s

// Static interval analysis: the argument carries a user-given range; every
// float result gets the interval the ops imply.

// CHECK-LABEL: func.func @static
// CHECK-SAME: qnt.range = #qnt.range<-1.000000e+00, 2.000000e+00>
// CHECK: qnt.relu {{.*}}qnt.range = #qnt.range<0.000000e+00, 2.000000e+00>
// CHECK: qnt.clamp {{.*}}qnt.range = #qnt.range<-5.000000e-01, 5.000000e-01>
// CHECK: qnt.add {{.*}}qnt.range = #qnt.range<-5.000000e-01, 2.500000e+00>
// Interval product: [-0.5, 0.5] * [-1, 2] = [-1, 1].
// CHECK: qnt.mul {{.*}}qnt.range = #qnt.range<-1.000000e+00, 1.000000e+00>
// CHECK: qnt.concat {{.*}}qnt.range = #qnt.range<-1.000000e+00, 2.500000e+00>
// CHECK: qnt.max_pool2d {{.*}}qnt.range = #qnt.range<-1.000000e+00, 2.500000e+00>
// Weights are constants: they get no range (qnt-quantize uses their values).
// CHECK: arith.constant dense<{{\[}}[1.000000e+00, -2.000000e+00]
// CHECK-NOT: qnt.range
// CHECK: qnt.reshape {{.*}}qnt.range = #qnt.range<-1.000000e+00, 2.000000e+00>
// Per channel: 1*x - 2*x + 0.25 in [-4.75, 4.25]; 0.5x + 0.5x - 1 in [-2, 1].
// CHECK: qnt.fully_connected {{.*}}qnt.range = #qnt.range<-4.750000e+00, 4.250000e+00>
// CHECK: qnt.relu6 {{.*}}qnt.range = #qnt.range<0.000000e+00, 4.250000e+00>
// CHECK: qnt.softmax {{.*}}qnt.range = #qnt.range<0.000000e+00, 1.000000e+00>
func.func @static(%x: tensor<1x4x4x2xf32> {qnt.range = #qnt.range<-1.0, 2.0>}) -> tensor<1x2x2x4xf32> {
  %r = qnt.relu %x : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %c = qnt.clamp %x min -0.5 max 0.5 : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %s = qnt.add %r, %c : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %m = qnt.mul %c, %x : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %j = qnt.concat %s, %m axis 3 : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32>
  %p = qnt.max_pool2d %j kernel [2, 2] strides [2, 2] : tensor<1x4x4x4xf32> -> tensor<1x2x2x4xf32>
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 0.5]]> : tensor<2x2xf32>
  %b = arith.constant dense<[0.25, -1.0]> : tensor<2xf32>
  %f = qnt.reshape %x : tensor<1x4x4x2xf32> -> tensor<16x2xf32>
  %fc = qnt.fully_connected %f, %w, %b : (tensor<16x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<16x2xf32>
  %r6 = qnt.relu6 %fc : tensor<16x2xf32> -> tensor<16x2xf32>
  %sm = qnt.softmax %fc : tensor<16x2xf32> -> tensor<16x2xf32>
  return %p : tensor<1x2x2x4xf32>
}

// -----

// Without a range on the argument nothing downstream is bounded, except
// where an op bounds it by itself.
// CHECK-LABEL: func.func @unknown
// CHECK-NOT: qnt.range<-
// CHECK: qnt.relu6 {{.*}}qnt.range = #qnt.range<0.000000e+00, 6.000000e+00>
// CHECK: qnt.softmax {{.*}}qnt.range = #qnt.range<0.000000e+00, 1.000000e+00>
func.func @unknown(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = qnt.relu %x : tensor<4xf32> -> tensor<4xf32>
  %r6 = qnt.relu6 %x : tensor<4xf32> -> tensor<4xf32>
  %s = qnt.softmax %r : tensor<4xf32> -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

// Depthwise weights are per last axis; padding adds 0 to the input range;
// a conv with a bounded input gets per-channel interval sums.
// CHECK-LABEL: func.func @conv_bounds
// 2 taps of channel 0 with weight 1, input [1, 3], padding adds 0: [0, 6].
// Channel 1: weight -1: [-6, 0]. Hull [-6, 6].
// CHECK: qnt.depthwise_conv2d {{.*}}qnt.range = #qnt.range<-6.000000e+00, 6.000000e+00>
func.func @conv_bounds(%x: tensor<1x2x1x2xf32> {qnt.range = #qnt.range<1.0, 3.0>}) -> tensor<1x2x1x2xf32> {
  %w = arith.constant dense<[[[[1.0, -1.0]], [[1.0, -1.0]]]]> : tensor<1x2x1x2xf32>
  %y = qnt.depthwise_conv2d %x, %w padding [1, 0, 0, 0] : (tensor<1x2x1x2xf32>, tensor<1x2x1x2xf32>) -> tensor<1x2x1x2xf32>
  return %y : tensor<1x2x1x2xf32>
}
