// RUN: quant-opt %s --split-input-file --qnt-fold-batch-norm | FileCheck %s

// Folding into the producing layer. Most cases use epsilon 1.0 and
// variances 0, 3, 15 so that f = gamma / sqrt(variance + epsilon) and every
// folded value is exact: W'[o] = W[o] * f[o], b'[o] = beta + (b - mean) * f.

// conv2d with a bias. f = [2 / 2, 3 / 4] = [1, 0.75];
// b' = [0.5 + (1 - 3) * 1, -1 + (-2 + 4) * 0.75] = [-1.5, 0.5].
// CHECK-LABEL: func.func @conv2d_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x3x1xf32>)
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00], [2.000000e+00]], {{\[}}[3.000000e+00], [4.000000e+00]]], {{\[}}[{{\[}}-7.500000e-01], [3.750000e-01]], {{\[}}[1.875000e-01], [6.000000e+00]]]]> : tensor<2x2x2x1xf32>
// CHECK-NEXT: %[[B:.*]] = arith.constant dense<[-1.500000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-NEXT: %[[Y:.*]] = qnt.conv2d %[[X]], %[[W]], %[[B]] : (tensor<1x3x3x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: return %[[Y]]
func.func @conv2d_bias(%x: tensor<1x3x3x1xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[1.0], [2.0]], [[3.0], [4.0]]], [[[-1.0], [0.5]], [[0.25], [8.0]]]]> : tensor<2x2x2x1xf32>
  %b = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %gamma = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[3.0, -4.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %0 = qnt.conv2d %x, %w, %b : (tensor<1x3x3x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %1 = qnt.batch_norm %0, %gamma, %beta, %mean, %var epsilon 1.0 : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

// -----

// conv2d without a bias gets one: b' = beta - mean * f. Strides and padding
// are kept. f = [1, 0.5]; b' = [1 - 0.5, 2 - 2 * 0.5] = [0.5, 1].
// CHECK-LABEL: func.func @conv2d_no_bias
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<2.000000e+00> : tensor<2x1x1x1xf32>
// CHECK-NEXT: %[[B:.*]] = arith.constant dense<[5.000000e-01, 1.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: qnt.conv2d %{{.*}}, %[[W]], %[[B]] strides [2, 2] padding [1, 1, 1, 1] : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NOT: qnt.batch_norm
func.func @conv2d_no_bias(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[4.0]]]]> : tensor<2x1x1x1xf32>
  %gamma = arith.constant dense<1.0> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %var = arith.constant dense<[0.0, 3.0]> : tensor<2xf32>
  %0 = qnt.conv2d %x, %w strides [2, 2] padding [1, 1, 1, 1] : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %1 = qnt.batch_norm %0, %gamma, %beta, %mean, %var epsilon 1.0 : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

// -----

// Depthwise, channel multiplier 2: the weight [1, KH, KW, C * M] holds
// output channels on its LAST axis, so W[0, kh, kw, o] scales by f[o].
// W = 1..16 (row-major), f = [1, 0.5, 2, 0.25]; b' = -mean * f = [-1, -1, -6, -1].
// CHECK-LABEL: func.func @depthwise_multiplier_2
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 1.000000e+00, 6.000000e+00, 1.000000e+00], [5.000000e+00, 3.000000e+00, 1.400000e+01, 2.000000e+00]], {{\[}}[9.000000e+00, 5.000000e+00, 2.200000e+01, 3.000000e+00], [1.300000e+01, 7.000000e+00, 3.000000e+01, 4.000000e+00]]]]> : tensor<1x2x2x4xf32>
// CHECK-NEXT: %[[B:.*]] = arith.constant dense<[-1.000000e+00, -1.000000e+00, -6.000000e+00, -1.000000e+00]> : tensor<4xf32>
// CHECK-NEXT: qnt.depthwise_conv2d %{{.*}}, %[[W]], %[[B]] : (tensor<1x3x3x2xf32>, tensor<1x2x2x4xf32>, tensor<4xf32>) -> tensor<1x2x2x4xf32>
// CHECK-NOT: qnt.batch_norm
func.func @depthwise_multiplier_2(%x: tensor<1x3x3x2xf32>) -> tensor<1x2x2x4xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]], [[9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]]]> : tensor<1x2x2x4xf32>
  %gamma = arith.constant dense<[1.0, 1.0, 2.0, 1.0]> : tensor<4xf32>
  %beta = arith.constant dense<0.0> : tensor<4xf32>
  %mean = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %var = arith.constant dense<[0.0, 3.0, 0.0, 15.0]> : tensor<4xf32>
  %0 = qnt.depthwise_conv2d %x, %w : (tensor<1x3x3x2xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %1 = qnt.batch_norm %0, %gamma, %beta, %mean, %var epsilon 1.0 : (tensor<1x2x2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x2x2x4xf32>
  return %1 : tensor<1x2x2x4xf32>
}

// -----

// fully_connected [O, K] scales rows; a dynamic batch size is fine.
// f = [1, -1]; b' = [0 + (1 - 2) * 1, 10 + (1 - 0) * -1] = [-1, 9].
// CHECK-LABEL: func.func @fully_connected
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [-4.000000e+00, -5.000000e+00, -6.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: %[[B:.*]] = arith.constant dense<[-1.000000e+00, 9.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: qnt.fully_connected %{{.*}}, %[[W]], %[[B]] : (tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<?x2xf32>
// CHECK-NOT: qnt.batch_norm
func.func @fully_connected(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<1.0> : tensor<2xf32>
  %gamma = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.0, 10.0]> : tensor<2xf32>
  %mean = arith.constant dense<[2.0, 0.0]> : tensor<2xf32>
  %var = arith.constant dense<[0.0, 3.0]> : tensor<2xf32>
  %0 = qnt.fully_connected %x, %w, %b : (tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %1 = qnt.batch_norm %0, %gamma, %beta, %mean, %var epsilon 1.0 : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %1 : tensor<?x2xf32>
}

// -----

// Grouped conv: weights [O, KH, KW, C / groups] still hold output channels
// on axis 0. f = [1, 0.5, 0.25, 1]; beta = mean = 0 gives a zero (splat)
// bias.
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 2.000000e+00]]], {{\[}}[{{\[}}1.500000e+00, 2.000000e+00]]], {{\[}}[{{\[}}1.250000e+00, 1.500000e+00]]], {{\[}}[{{\[}}7.000000e+00, 8.000000e+00]]]]> : tensor<4x1x1x2xf32>
// CHECK-NEXT: %[[B:.*]] = arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT: qnt.conv2d %{{.*}}, %[[W]], %[[B]] groups 2 : (tensor<1x1x1x4xf32>, tensor<4x1x1x2xf32>, tensor<4xf32>) -> tensor<1x1x1x4xf32>
func.func @conv2d_grouped(%x: tensor<1x1x1x4xf32>) -> tensor<1x1x1x4xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]], [[[5.0, 6.0]]], [[[7.0, 8.0]]]]> : tensor<4x1x1x2xf32>
  %gamma = arith.constant dense<1.0> : tensor<4xf32>
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %var = arith.constant dense<[0.0, 3.0, 15.0, 0.0]> : tensor<4xf32>
  %0 = qnt.conv2d %x, %w groups 2 : (tensor<1x1x1x4xf32>, tensor<4x1x1x2xf32>) -> tensor<1x1x1x4xf32>
  %1 = qnt.batch_norm %0, %gamma, %zero, %zero, %var epsilon 1.0 : (tensor<1x1x1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x1x1x4xf32>
  return %1 : tensor<1x1x1x4xf32>
}

// -----

// The default epsilon 1e-5 (an f32: 9.99999974e-06): f = 1 / sqrt(1 + eps)
// and 2 / sqrt(3 + eps), computed in double, rounded once to f32;
// b' = 0.1 - 0.3 * f[1] (f32 inputs 0.1 and 0.3).
// CHECK-LABEL: func.func @default_epsilon
// CHECK-NEXT: arith.constant dense<{{\[}}[0.999994993], [1.15469861]]> : tensor<2x1xf32>
// CHECK-NEXT: arith.constant dense<[0.000000e+00, -0.246409595]> : tensor<2xf32>
func.func @default_epsilon(%x: tensor<1x1xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0], [1.0]]> : tensor<2x1xf32>
  %gamma = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.0, 0.1]> : tensor<2xf32>
  %mean = arith.constant dense<[0.0, 0.3]> : tensor<2xf32>
  %var = arith.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %0 = qnt.fully_connected %x, %w : (tensor<1x1xf32>, tensor<2x1xf32>) -> tensor<1x2xf32>
  %1 = qnt.batch_norm %0, %gamma, %beta, %mean, %var : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %1 : tensor<1x2xf32>
}

// -----

// Weights in a dense_resource blob (as real models store them) stay a blob,
// named after the original; the original blob is no longer referenced.
// f = [1, 1, 1, 1, 0.5, 1, 1, -0.5]; b' = beta + (0.5 - mean) * f.
// CHECK-LABEL: func.func @dense_resource_weight
// CHECK-NEXT: %[[W:.*]] = arith.constant dense_resource<conv1_weight_bn> : tensor<8x3x3x1xf32>
// CHECK-NEXT: %[[B:.*]] = arith.constant dense<[-5.000000e-01, 5.000000e-01, 1.500000e+00, 2.500000e+00, 4.750000e+00, 6.500000e+00, 7.500000e+00, 6.250000e+00]> : tensor<8xf32>
// CHECK-NEXT: qnt.conv2d %{{.*}}, %[[W]], %[[B]] : (tensor<1x3x3x1xf32>, tensor<8x3x3x1xf32>, tensor<8xf32>) -> tensor<1x1x1x8xf32>
// CHECK: dialect_resources
// CHECK-NOT: conv1_weight:
// CHECK: conv1_weight_bn: "0x04000000000070C0000068C0000060C0000058C0000050C0000048C0000040C0000038C0000030C0000028C0000020C0000018C0000010C0000008C0000000C00000F0BF0000E0BF0000D0BF0000C0BF0000B0BF0000A0BF000090BF000080BF000060BF000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000C03E0000E03E0000003F0000103F0000203F0000303F0000403F0000503F0000603F0000F03F0000004000000840000010400000184000002040000028400000304000003840000040400000484000005040000058400000604000006840000070400000784000008040000004C0000008C000000CC0000010C0000014C0000018C000001CC0000020C0000024C0"
// CHECK-NOT: conv1_weight:
func.func @dense_resource_weight(%x: tensor<1x3x3x1xf32>) -> tensor<1x1x1x8xf32> {
  %w = arith.constant dense_resource<conv1_weight> : tensor<8x3x3x1xf32>
  %b = arith.constant dense<0.5> : tensor<8xf32>
  %gamma = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 0.5, 1.0, 2.0, -1.0]> : tensor<8xf32>
  %beta = arith.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]> : tensor<8xf32>
  %mean = arith.constant dense<[1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0]> : tensor<8xf32>
  %var = arith.constant dense<[0.0, 3.0, 8.0, 15.0, 0.0, 0.0, 3.0, 3.0]> : tensor<8xf32>
  %0 = qnt.conv2d %x, %w, %b : (tensor<1x3x3x1xf32>, tensor<8x3x3x1xf32>, tensor<8xf32>) -> tensor<1x1x1x8xf32>
  %1 = qnt.batch_norm %0, %gamma, %beta, %mean, %var epsilon 1.0 : (tensor<1x1x1x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x1x1x8xf32>
  return %1 : tensor<1x1x1x8xf32>
}

{-#
  dialect_resources: {
    builtin: {
      conv1_weight: "0x04000000000070C0000068C0000060C0000058C0000050C0000048C0000040C0000038C0000030C0000028C0000020C0000018C0000010C0000008C0000000C00000F0BF0000E0BF0000D0BF0000C0BF0000B0BF0000A0BF000090BF000080BF000060BF000040BF000020BF000000BF0000C0BE000080BE000000BE000000000000003E0000803E0000C03E0000003F0000203F0000403F0000603F0000803F0000903F0000A03F0000B03F0000C03F0000D03F0000E03F0000F03F0000004000000840000010400000184000002040000028400000304000003840000040400000484000005040000058400000604000006840000070400000784000008040000084400000884000008C4000009040000094400000984000009C400000A0400000A440"
    }
  }
#-}

// -----

// Two batch norms in a row both fold into the conv (top-down traversal):
// [3, 1] -> (f = 2) [6, 3] -> (f = 0.5, mean 3) [3, 0].
// CHECK-LABEL: func.func @conv_bn_bn
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<3.000000e+00> : tensor<1x1x1x1xf32>
// CHECK-NEXT: %[[B:.*]] = arith.constant dense<0.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %[[Y:.*]] = qnt.conv2d %{{.*}}, %[[W]], %[[B]]
// CHECK-NEXT: return %[[Y]]
func.func @conv_bn_bn(%x: tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32> {
  %w = arith.constant dense<3.0> : tensor<1x1x1x1xf32>
  %b = arith.constant dense<1.0> : tensor<1xf32>
  %one = arith.constant dense<1.0> : tensor<1xf32>
  %two = arith.constant dense<2.0> : tensor<1xf32>
  %three = arith.constant dense<3.0> : tensor<1xf32>
  %zero = arith.constant dense<0.0> : tensor<1xf32>
  %0 = qnt.conv2d %x, %w, %b : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %1 = qnt.batch_norm %0, %two, %one, %zero, %zero epsilon 1.0 : (tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %2 = qnt.batch_norm %1, %one, %zero, %three, %three epsilon 1.0 : (tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %2 : tensor<1x1x1x1xf32>
}

// -----

// conv -> bn -> relu: the folded conv takes the batch norm's place and the
// relu still reads it.
// CHECK-LABEL: func.func @conv_bn_relu
// CHECK: %[[Y:.*]] = qnt.conv2d
// CHECK-NEXT: %[[R:.*]] = qnt.relu %[[Y]]
// CHECK-NEXT: return %[[R]]
func.func @conv_bn_relu(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x1x1x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %0 = qnt.conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %1 = qnt.batch_norm %0, %p, %p, %p, %p : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %2 = qnt.relu %1 : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  return %2 : tensor<1x4x4x2xf32>
}

// -----

// Decomposition into qnt.mul + qnt.add with scale f and shift beta - mean * f.

// A block argument: f = [1, 0.75]; shift = [0.5 - 3, -1 + 4 * 0.75] = [-2.5, 2].
// CHECK-LABEL: func.func @block_argument
// CHECK-SAME: (%[[X:.*]]: tensor<2x2xf32>)
// CHECK-NEXT: %[[S:.*]] = arith.constant dense<[1.000000e+00, 7.500000e-01]> : tensor<2xf32>
// CHECK-NEXT: %[[T:.*]] = arith.constant dense<[-2.500000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[M:.*]] = qnt.mul %[[X]], %[[S]] : tensor<2x2xf32>, tensor<2xf32> -> tensor<2x2xf32>
// CHECK-NEXT: %[[A:.*]] = qnt.add %[[M]], %[[T]] : tensor<2x2xf32>, tensor<2xf32> -> tensor<2x2xf32>
// CHECK-NEXT: return %[[A]]
func.func @block_argument(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %gamma = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[3.0, -4.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %1 = qnt.batch_norm %x, %gamma, %beta, %mean, %var epsilon 1.0 : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %1 : tensor<2x2xf32>
}

// -----

// After a relu (not a layer): the relu stays, mul + add follow it.
// f = 0.5 / 2 = 0.25; shift = 0.5 - [1, 0] * 0.25 = [0.25, 0.5].
// CHECK-LABEL: func.func @after_relu
// CHECK: %[[R:.*]] = qnt.conv2d
// CHECK-NEXT: %[[S:.*]] = qnt.relu %[[R]]
// CHECK-NEXT: %[[SC:.*]] = arith.constant dense<2.500000e-01> : tensor<2xf32>
// CHECK-NEXT: %[[SH:.*]] = arith.constant dense<[2.500000e-01, 5.000000e-01]> : tensor<2xf32>
// CHECK-NEXT: %[[M:.*]] = qnt.mul %[[S]], %[[SC]]
// CHECK-NEXT: %[[A:.*]] = qnt.add %[[M]], %[[SH]]
// CHECK-NEXT: return %[[A]]
func.func @after_relu(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x1x1x2xf32>
  %half = arith.constant dense<0.5> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %three = arith.constant dense<3.0> : tensor<2xf32>
  %0 = qnt.conv2d %x, %w : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %1 = qnt.relu %0 : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
  %2 = qnt.batch_norm %1, %half, %half, %mean, %three epsilon 1.0 : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %2 : tensor<1x2x2x2xf32>
}

// -----

// A layer whose weights are not constant cannot fold; neither can one with
// a non-constant bias.
// CHECK-LABEL: func.func @non_constant_layer
// CHECK: %[[Y:.*]] = qnt.fully_connected
// CHECK: qnt.mul %[[Y]]
// CHECK: qnt.add
// CHECK: %[[Z:.*]] = qnt.fully_connected
// CHECK: qnt.mul %[[Z]]
// CHECK: qnt.add
// CHECK-NOT: qnt.batch_norm
func.func @non_constant_layer(%x: tensor<1x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %cw = arith.constant dense<1.0> : tensor<2x2xf32>
  %0 = qnt.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %1 = qnt.batch_norm %0, %p, %p, %p, %p : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %2 = qnt.fully_connected %x, %cw, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %3 = qnt.batch_norm %2, %p, %p, %p, %p : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %1, %3 : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// Many channels with splat parameters: the constants stay splats, not
// blobs. f = 2 / 2 = 1, shift = 0.5 - 0.25 = 0.25.
// CHECK-LABEL: func.func @wide_splat
// CHECK-NEXT: arith.constant dense<1.000000e+00> : tensor<100xf32>
// CHECK-NEXT: arith.constant dense<2.500000e-01> : tensor<100xf32>
// CHECK-NEXT: qnt.mul
// CHECK-NEXT: qnt.add
func.func @wide_splat(%x: tensor<1x100xf32>) -> tensor<1x100xf32> {
  %gamma = arith.constant dense<2.0> : tensor<100xf32>
  %beta = arith.constant dense<0.5> : tensor<100xf32>
  %mean = arith.constant dense<0.25> : tensor<100xf32>
  %var = arith.constant dense<3.0> : tensor<100xf32>
  %0 = qnt.batch_norm %x, %gamma, %beta, %mean, %var epsilon 1.0 : (tensor<1x100xf32>, tensor<100xf32>, tensor<100xf32>, tensor<100xf32>, tensor<100xf32>) -> tensor<1x100xf32>
  return %0 : tensor<1x100xf32>
}

// -----

// Two convs share one weight constant; each folds its own batch norm into
// its own copy (f = 1 and f = 0.5), and the shared original goes away.
// CHECK-LABEL: func.func @shared_weight_constant
// CHECK-NEXT: %[[W1:.*]] = arith.constant dense<{{\[}}[1.000000e+00], [2.000000e+00]]> : tensor<2x1xf32>
// CHECK-NEXT: %[[B1:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-NEXT: %[[Y1:.*]] = qnt.fully_connected %{{.*}}, %[[W1]], %[[B1]]
// CHECK-NEXT: %[[W2:.*]] = arith.constant dense<{{\[}}[5.000000e-01], [1.000000e+00]]> : tensor<2x1xf32>
// CHECK-NEXT: %[[B2:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-NEXT: %[[Y2:.*]] = qnt.fully_connected %{{.*}}, %[[W2]], %[[B2]]
// CHECK-NEXT: return %[[Y1]], %[[Y2]]
func.func @shared_weight_constant(%x: tensor<1x1xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %one = arith.constant dense<1.0> : tensor<2xf32>
  %zero = arith.constant dense<0.0> : tensor<2xf32>
  %three = arith.constant dense<3.0> : tensor<2xf32>
  %0 = qnt.fully_connected %x, %w : (tensor<1x1xf32>, tensor<2x1xf32>) -> tensor<1x2xf32>
  %1 = qnt.batch_norm %0, %one, %zero, %zero, %zero epsilon 1.0 : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %2 = qnt.fully_connected %x, %w : (tensor<1x1xf32>, tensor<2x1xf32>) -> tensor<1x2xf32>
  %3 = qnt.batch_norm %2, %one, %zero, %zero, %three epsilon 1.0 : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %1, %3 : tensor<1x2xf32>, tensor<1x2xf32>
}
