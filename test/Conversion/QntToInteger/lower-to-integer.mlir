// RUN: quant-opt %s --split-input-file --qnt-lower-to-integer --canonicalize | FileCheck %s
// RUN: quant-opt %s --split-input-file --qnt-lower-to-integer --canonicalize --qnt-verify-integer-only | FileCheck %s --check-prefix=INT

// The lowered programs are integer-only.
// INT-NOT: qnt.relu
// INT-NOT: qnt.fully_connected
// INT-NOT: qnt.add

// relu from (S 0.5, Z 128) to (S 0.25, Z 0): x - 128, then M = 2 as
// (2^30, shift 2), then clamp to [quantize(0), 255] = [0, 255] and narrow.
// CHECK-LABEL: func.func @relu
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : i32
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[C255:.*]] = arith.constant 255 : i32
// CHECK: %[[S:.*]] = qnt.storage_cast %{{.*}} to tensor<4xi8>
// CHECK: %[[CENTRED:.*]] = linalg.generic {{.*}} ins(%[[S]] : tensor<4xi8>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.subi %{{.*}}, %[[C128]] : i32
// CHECK: %[[M:.*]] = qnt.fixed_point_mul %[[CENTRED]] by [1073741824] shift [2] : tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%[[M]] : tensor<4xi32>)
// CHECK: arith.maxsi %{{.*}}, %[[C0]] : i32
// CHECK: arith.minsi %{{.*}}, %[[C255]] : i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: qnt.storage_cast %{{.*}} : tensor<4xi8> to tensor<4x!qnt.uniform<u8:f32, 2.500000e-01>>
func.func @relu(%x: tensor<4x!qnt.uniform<u8:f32, 0.5:128>>) -> tensor<4x!qnt.uniform<u8:f32, 0.25>> {
  %y = qnt.relu %x : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> -> tensor<4x!qnt.uniform<u8:f32, 0.25>>
  return %y : tensor<4x!qnt.uniform<u8:f32, 0.25>>
}

// -----

// Zero-point expansion (Jacob et al. 2018, eq. 7): with symmetric weights
// the -Z_x * sum_k w term is folded into the bias at compile time:
//   channel 0: 10 - 128 * (1 + 2) = -374;  channel 1: -5 - 128 * (3 + 4) = -901
// and the loop multiplies raw storage values. M[c] = S_x S_w[c] / S_y:
// 0.5 * 0.25 = 0.125 -> (2^30, -2) and 0.5 * 0.5 = 0.25 -> (2^30, -1).
// CHECK-LABEL: func.func @fully_connected
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[-374, -901]> : tensor<2xi32>
// CHECK: %[[ACC0:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<2xi32>)
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: outs(%[[ACC0]] : tensor<1x2xi32>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: qnt.fixed_point_mul %[[ACC]] by [1073741824, 1073741824] shift [-2, -1] axis 1 : tensor<1x2xi32>
func.func @fully_connected(%x: tensor<1x2x!qnt.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x!qnt.uniform<u8:f32, 1.0>> {
  %wc = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %w = qnt.storage_cast %wc : tensor<2x2xi8> to tensor<2x2x!qnt.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>>
  %bc = arith.constant dense<[10, -5]> : tensor<2xi32>
  %b = qnt.storage_cast %bc : tensor<2xi32> to tensor<2x!qnt.uniform<i32:f32:0, {0.125, 0.25}>>
  %y = qnt.fully_connected %x, %w, %b : (tensor<1x2x!qnt.uniform<u8:f32, 0.5:128>>, tensor<2x2x!qnt.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>>, tensor<2x!qnt.uniform<i32:f32:0, {0.125, 0.25}>>) -> tensor<1x2x!qnt.uniform<u8:f32, 1.0>>
  return %y : tensor<1x2x!qnt.uniform<u8:f32, 1.0>>
}

// -----

// Asymmetric weights (Z_w = 3): all four terms of eq. 7. The bias folds
// -Z_x sum_k w + K Z_x Z_w: channel 0: -1 * 3 + 2 * 1 * 3 = 3, channel 1:
// -1 * 7 + 6 = -1. The loop multiplies raw values, a second loop sums the
// input window, and Z_w * sum_k x is subtracted before the rescale.
// CHECK-LABEL: func.func @asymmetric_weights
// CHECK-DAG: %[[ZW:.*]] = arith.constant dense<3> : tensor<2xi32>
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[3, -1]> : tensor<2xi32>
// CHECK: %[[ACC0:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<2xi32>)
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}}outs(%[[ACC0]] : tensor<1x2xi32>)
// CHECK: arith.muli
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %[[SUM]], %[[ZW]] : tensor<1x2xi32>, tensor<1x2xi32>, tensor<2xi32>)
// CHECK: arith.muli
// CHECK: arith.subi
func.func @asymmetric_weights(%x: tensor<1x2x!qnt.uniform<i8:f32, 0.5:1>>) -> tensor<1x2x!qnt.uniform<i8:f32, 1.0>> {
  %wc = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %w = qnt.storage_cast %wc : tensor<2x2xi8> to tensor<2x2x!qnt.uniform<i8:f32, 0.25:3>>
  %y = qnt.fully_connected %x, %w : (tensor<1x2x!qnt.uniform<i8:f32, 0.5:1>>, tensor<2x2x!qnt.uniform<i8:f32, 0.25:3>>) -> tensor<1x2x!qnt.uniform<i8:f32, 1.0>>
  return %y : tensor<1x2x!qnt.uniform<i8:f32, 1.0>>
}

// -----

// Quantized add as TFLite's: both inputs shifted left by 20, rescaled to
// twice the larger scale, 2 * 0.5 = 1 (M = 0.25 -> (2^30, -1) and
// M = 0.5 -> (2^30, 0)), added, then rescaled by 1 / (2^20 * 0.5) = 2^-19
// -> (2^30, -18).
// CHECK-LABEL: func.func @add
// CHECK: arith.shli
// CHECK: qnt.fixed_point_mul %{{.*}} by [1073741824] shift [-1]
// CHECK: arith.shli
// CHECK: qnt.fixed_point_mul %{{.*}} by [1073741824] shift [0]
// CHECK: arith.addi
// CHECK: qnt.fixed_point_mul %{{.*}} by [1073741824] shift [-18]
func.func @add(%a: tensor<4x!qnt.uniform<i8:f32, 0.25>>, %b: tensor<4x!qnt.uniform<i8:f32, 0.5>>) -> tensor<4x!qnt.uniform<i8:f32, 0.5>> {
  %s = qnt.add %a, %b : tensor<4x!qnt.uniform<i8:f32, 0.25>>, tensor<4x!qnt.uniform<i8:f32, 0.5>> -> tensor<4x!qnt.uniform<i8:f32, 0.5>>
  return %s : tensor<4x!qnt.uniform<i8:f32, 0.5>>
}


// -----

// A bias at the int32 limit: the exact sum can leave int32, so it is
// accumulated in i64 and saturated once (docs/quantized-kernels.md section
// 4), not wrapped.
// CHECK-LABEL: func.func @bias_saturates
// CHECK: linalg.generic
// CHECK: arith.extsi {{.*}} : i8 to i64
// CHECK: arith.muli {{.*}} : i64
// CHECK: arith.maxsi {{.*}} : i64
// CHECK: arith.minsi {{.*}} : i64
// CHECK: arith.trunci {{.*}} : i64 to i32
func.func @bias_saturates(%x: tensor<1x1x!qnt.uniform<i8:f32, 1.0:0>>) -> tensor<1x1x!qnt.uniform<i8:f32, 33554432.0:0>> {
  %c0 = arith.constant dense<[[1]]> : tensor<1x1xi8>
  %w = qnt.storage_cast %c0 : tensor<1x1xi8> to tensor<1x1x!qnt.uniform<i8<-127:127>:f32, 1.0:0>>
  %c1 = arith.constant dense<[2147483647]> : tensor<1xi32>
  %b = qnt.storage_cast %c1 : tensor<1xi32> to tensor<1x!qnt.uniform<i32:f32, 1.0:0>>
  %y = qnt.fully_connected %x, %w, %b : (tensor<1x1x!qnt.uniform<i8:f32, 1.0:0>>, tensor<1x1x!qnt.uniform<i8<-127:127>:f32, 1.0:0>>, tensor<1x!qnt.uniform<i32:f32, 1.0:0>>) -> tensor<1x1x!qnt.uniform<i8:f32, 33554432.0:0>>
  return %y : tensor<1x1x!qnt.uniform<i8:f32, 33554432.0:0>>
}

// -----

// A per-axis transpose moves the data; its parameters move with it to the
// new axis (0 here), and the rescale to the output's parameters (the same
// ones: a multiplier of exactly 1) runs along that axis.
// CHECK-LABEL: func.func @transpose_per_axis
// CHECK: linalg.transpose
// CHECK: qnt.fixed_point_mul %{{.*}} by [1073741824, 1073741824, 1073741824] shift [1, 1, 1] axis 0 : tensor<3x2xi32>
func.func @transpose_per_axis(%x: tensor<2x3x!qnt.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<3x2x!qnt.uniform<i8:f32:0, {0.5, 0.25, 0.125}>> {
  %y = qnt.transpose %x permutation [1, 0] : tensor<2x3x!qnt.uniform<i8:f32:1, {0.5, 0.25, 0.125}>> -> tensor<3x2x!qnt.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
  return %y : tensor<3x2x!qnt.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
}
