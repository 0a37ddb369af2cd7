// RUN: quant-opt %s --split-input-file | quant-opt --split-input-file | FileCheck %s
// RUN: quant-opt %s --split-input-file --mlir-print-op-generic | quant-opt --split-input-file | FileCheck %s

// Casts and the integer fixed-point multiply.

// CHECK-LABEL: func.func @casts
// CHECK: qnt.quantize %{{.*}} : tensor<2x3xf32> to tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-01:128>>
// CHECK: qnt.requantize %{{.*}} : tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-01:128>> to tensor<2x3x!qnt.uniform<i8<-127:127>:f32, 2.500000e-01>>
// CHECK: qnt.dequantize %{{.*}} : tensor<2x3x!qnt.uniform<i8<-127:127>:f32, 2.500000e-01>> to tensor<2x3xf32>
func.func @casts(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = qnt.quantize %x : tensor<2x3xf32> to tensor<2x3x!qnt.uniform<u8:f32, 0.5:128>>
  %r = qnt.requantize %q : tensor<2x3x!qnt.uniform<u8:f32, 0.5:128>> to tensor<2x3x!qnt.uniform<i8<-127:127>:f32, 0.25>>
  %y = qnt.dequantize %r : tensor<2x3x!qnt.uniform<i8<-127:127>:f32, 0.25>> to tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @per_axis_casts
// CHECK: qnt.quantize %{{.*}} : tensor<3x4xf32> to tensor<3x4x!qnt.uniform<i8:f32:1, {1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00}>>
// CHECK: qnt.dequantize
func.func @per_axis_casts(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %q = qnt.quantize %x : tensor<3x4xf32> to tensor<3x4x!qnt.uniform<i8:f32:1, {1.0, 2.0, 3.0, 4.0}>>
  %y = qnt.dequantize %q : tensor<3x4x!qnt.uniform<i8:f32:1, {1.0, 2.0, 3.0, 4.0}>> to tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @storage_casts
// CHECK: qnt.storage_cast %{{.*}} : tensor<4x!qnt.uniform<u8:f32, 5.000000e-01:128>> to tensor<4xi8>
// CHECK: qnt.storage_cast %{{.*}} : tensor<4xi4> to tensor<4x!qnt.uniform<i4:f32, 1.000000e+00>>
func.func @storage_casts(%q: tensor<4x!qnt.uniform<u8:f32, 0.5:128>>, %i: tensor<4xi4>)
    -> (tensor<4xi8>, tensor<4x!qnt.uniform<i4:f32, 1.0>>) {
  %0 = qnt.storage_cast %q : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> to tensor<4xi8>
  %1 = qnt.storage_cast %i : tensor<4xi4> to tensor<4x!qnt.uniform<i4:f32, 1.0>>
  return %0, %1 : tensor<4xi8>, tensor<4x!qnt.uniform<i4:f32, 1.0>>
}

// -----

// Dynamic dimensions are allowed; per-axis counts are checked when static.
// CHECK-LABEL: func.func @dynamic
// CHECK: qnt.quantize %{{.*}} : tensor<?x2xf32> to tensor<?x2x!qnt.uniform<i8:f32:1, {1.000000e+00, 2.000000e+00}>>
func.func @dynamic(%x: tensor<?x2xf32>) -> tensor<?x2x!qnt.uniform<i8:f32:1, {1.0, 2.0}>> {
  %q = qnt.quantize %x : tensor<?x2xf32> to tensor<?x2x!qnt.uniform<i8:f32:1, {1.0, 2.0}>>
  return %q : tensor<?x2x!qnt.uniform<i8:f32:1, {1.0, 2.0}>>
}

// -----

// CHECK-LABEL: func.func @fixed_point_mul
// CHECK: qnt.fixed_point_mul %{{.*}} by [1518500250] shift [-7] : tensor<1x8xi32>
// CHECK: qnt.fixed_point_mul %{{.*}} by [1073741824, 1518500250] shift [0, -1] axis 1 rounding tosa_single : tensor<1x2xi32>
// CHECK: qnt.fixed_point_mul %{{.*}} by [2147483647] shift [29] rounding tosa_double : tensor<3xi32>
// CHECK: qnt.fixed_point_mul %{{.*}} by [0] shift [-31] : tensor<3xi32>
// CHECK: qnt.fixed_point_mul %{{.*}} by [1] shift [31] axis 0 : tensor<3xi32>
func.func @fixed_point_mul(%a: tensor<1x8xi32>, %b: tensor<1x2xi32>, %c: tensor<3xi32>)
    -> (tensor<1x8xi32>, tensor<1x2xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) {
  %0 = qnt.fixed_point_mul %a by [1518500250] shift [-7] : tensor<1x8xi32>
  %1 = qnt.fixed_point_mul %b by [1073741824, 1518500250] shift [0, -1] axis 1 rounding tosa_single : tensor<1x2xi32>
  %2 = qnt.fixed_point_mul %c by [2147483647] shift [29] rounding tosa_double : tensor<3xi32>
  %3 = qnt.fixed_point_mul %c by [0] shift [-31] rounding gemmlowp : tensor<3xi32>
  %4 = qnt.fixed_point_mul %c by [1] shift [31] axis 0 : tensor<3xi32>
  return %0, %1, %2, %3, %4 : tensor<1x8xi32>, tensor<1x2xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>
}

// -----

// The model-wide rounding attribute round-trips.
// CHECK: module attributes {qnt.rounding = "half_even"}
module attributes {qnt.rounding = "half_even"} {
}
