// RUN: quant-opt %s --qnt-lower-to-integer --canonicalize | FileCheck %s

// In a half_even model (ONNX), an average rounds once: sum(x - Z) times
// the multiplier M / count of its position (rt::poolMultiplier), ties to
// even, in i64; no rounding division first. Here M = 1 over a 2x2 window:
// M / 4 = 2^30 * 2^-32, so m0 = 2^30 and a right shift of 32.
// Every other output stage is a fixed_point_mul with rounding half_even.
// CHECK-LABEL: func.func @avg
// CHECK-NOT: arith.divsi
// CHECK-DAG: arith.constant dense<1073741824> : tensor<2x2x1xi64>
// CHECK-DAG: arith.constant dense<32> : tensor<2x2x1xi64>
// CHECK: linalg.generic
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.muli %{{.*}} : i64
// CHECK: arith.shrsi %{{.*}} : i64
// CHECK-NOT: arith.divsi
// CHECK: return
module attributes {qnt.rounding = "half_even"} {
  func.func @avg(%x: tensor<1x4x4x1x!qnt.uniform<u8:f32, 0.5:10>>) -> tensor<1x2x2x1x!qnt.uniform<u8:f32, 0.5:10>> {
    %y = qnt.avg_pool2d %x kernel [2, 2] strides [2, 2] : tensor<1x4x4x1x!qnt.uniform<u8:f32, 0.5:10>> -> tensor<1x2x2x1x!qnt.uniform<u8:f32, 0.5:10>>
    return %y : tensor<1x2x2x1x!qnt.uniform<u8:f32, 0.5:10>>
  }

  // CHECK-LABEL: func.func @relu
  // CHECK: qnt.fixed_point_mul {{.*}} rounding half_even
  func.func @relu(%x: tensor<4x!qnt.uniform<u8:f32, 0.5:128>>) -> tensor<4x!qnt.uniform<u8:f32, 0.25>> {
    %y = qnt.relu %x : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> -> tensor<4x!qnt.uniform<u8:f32, 0.25>>
    return %y : tensor<4x!qnt.uniform<u8:f32, 0.25>>
  }
}
