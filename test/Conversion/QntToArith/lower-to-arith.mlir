// RUN: quant-opt %s --split-input-file --qnt-lower-to-arith | FileCheck %s

// No qnt op or type survives in any function below.
// CHECK-NOT: {{(= |^ *)qnt\.[a-z_0-9]+ }}
// CHECK-NOT: !qnt.

// Per axis: m0, left shift and right shift are i64 constant tensors read
// along the axis; the body is branch-free: saturating left shift, SRDHM
// with a truncating division by 2^31 and the INT32_MIN * INT32_MIN
// saturation, RoundingDivideByPOT with mask and threshold.
// CHECK: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @per_axis
// CHECK-DAG: %[[M0:.*]] = arith.constant dense<[1073741824, 1518500250, 2147483647]> : tensor<3xi64>
// CHECK-DAG: %[[LEFT:.*]] = arith.constant dense<[0, 0, 3]> : tensor<3xi64>
// CHECK-DAG: %[[RIGHT:.*]] = arith.constant dense<[1, 0, 0]> : tensor<3xi64>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[AXIS]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %[[M0]], %[[LEFT]], %[[RIGHT]] :
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.shli
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.muli
// CHECK: arith.select
// CHECK: arith.divsi
// CHECK: arith.andi
// CHECK: arith.shrsi
// CHECK: arith.trunci %{{.*}} : i64 to i32
// CHECK-NEXT: linalg.yield
// CHECK-NOT: cf.
// CHECK-NOT: scf.
func.func @per_axis(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %y = qnt.fixed_point_mul %x by [1073741824, 1518500250, 2147483647] shift [-1, 0, 3] axis 1 : tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}

// -----

// Per tensor: the parameters are constants of the body; only the input is
// read. TOSA double rounding adds +-2^30 when 31 - shift > 31.
// CHECK-LABEL: func.func @per_tensor_tosa_double
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{[a-z0-9]+}} : tensor<8xi32>)
// CHECK: arith.muli
// CHECK: arith.shrsi
// CHECK: arith.trunci %{{.*}} : i64 to i32
// CHECK-NEXT: linalg.yield
func.func @per_tensor_tosa_double(%x: tensor<8xi32>) -> tensor<8xi32> {
  %y = qnt.fixed_point_mul %x by [1518500250] shift [-7] rounding tosa_double : tensor<8xi32>
  return %y : tensor<8xi32>
}

// -----

// The float edges: quantize writes the u8 storage bits directly (i8), the
// storage_cast pairs around it fold away, and dequantize reads them back
// (zero-extended, since the storage is unsigned) in f64 before truncating.
// CHECK-LABEL: func.func @edges
// CHECK: %[[Q:.*]] = linalg.generic
// CHECK-SAME: ins(%{{.*}} : tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: arith.divf
// CHECK: arith.fptosi
// CHECK: arith.cmpf uno
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK: %[[D:.*]] = linalg.generic
// CHECK-SAME: ins(%[[Q]] : tensor<4xi8>) outs(%{{.*}} : tensor<4xf32>)
// CHECK: arith.extui %{{.*}} : i8 to i64
// CHECK: arith.subi
// CHECK: arith.sitofp %{{.*}} : i64 to f64
// CHECK: arith.mulf
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK: return %[[D]]
func.func @edges(%r: tensor<4xf32>) -> tensor<4xf32> {
  %q = qnt.quantize %r : tensor<4xf32> to tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
  %s = qnt.storage_cast %q : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> to tensor<4xi8>
  %c = qnt.storage_cast %s : tensor<4xi8> to tensor<4x!qnt.uniform<u8:f32, 0.5:128>>
  %d = qnt.dequantize %c : tensor<4x!qnt.uniform<u8:f32, 0.5:128>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Per-axis quantize: scales (f64) and zero points (i64) along axis 0.
// CHECK: #[[AX0:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK-DAG: arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf64>
// CHECK-DAG: arith.constant dense<[1, -2]> : tensor<2xi64>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[AX0]], #[[AX0]], #{{.*}}]
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @quantize_per_axis(%r: tensor<2x5xf32>) -> tensor<2x5xi8> {
  %q = qnt.quantize %r : tensor<2x5xf32> to tensor<2x5x!qnt.uniform<i8:f32:0, {0.5:1, 0.25:-2}>>
  %s = qnt.storage_cast %q : tensor<2x5x!qnt.uniform<i8:f32:0, {0.5:1, 0.25:-2}>> to tensor<2x5xi8>
  return %s : tensor<2x5xi8>
}
