// RUN: quant-opt %s --split-input-file --qnt-lower-float-to-linalg | FileCheck %s

// Each float graph op and the upstream ops it becomes.

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

// Padding is a tensor.pad with 0; the bias is broadcast into the
// accumulator; OHWI weights are linalg's FHWC as they are.
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x3xf32>, %[[W:.*]]: tensor<16x3x3x3xf32>, %[[B:.*]]: tensor<16xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 0, 1, 0]
// CHECK: tensor.yield %[[ZERO]]
// CHECK: } : tensor<1x8x8x3xf32> to tensor<1x9x10x3xf32>
// CHECK: %[[ACC:.*]] = linalg.broadcast ins(%[[B]] : tensor<16xf32>) outs(%{{.*}} : tensor<1x4x3x16xf32>) dimensions = [0, 1, 2]
// CHECK: %[[Y:.*]] = linalg.conv_2d_nhwc_fhwc {dilations = dense<[1, 2]> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
// CHECK-SAME: ins(%[[PAD]], %[[W]] : tensor<1x9x10x3xf32>, tensor<16x3x3x3xf32>) outs(%[[ACC]] : tensor<1x4x3x16xf32>)
// CHECK: return %[[Y]]
func.func @conv2d(%x: tensor<1x8x8x3xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x4x3x16xf32> {
  %y = qnt.conv2d %x, %w, %b strides [2, 2] dilations [1, 2] padding [1, 0, 1, 1] : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x4x3x16xf32>
  return %y : tensor<1x4x3x16xf32>
}

// -----

// No padding, no bias: the accumulator starts at zero.
// CHECK-LABEL: func.func @conv2d_plain
// CHECK-NOT: tensor.pad
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x8x8x4xf32>)
// CHECK: linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg0, %arg1 : {{.*}}) outs(%[[ACC]] : tensor<1x8x8x4xf32>)
func.func @conv2d_plain(%x: tensor<1x8x8x3xf32>, %w: tensor<4x1x1x3xf32>) -> tensor<1x8x8x4xf32> {
  %y = qnt.conv2d %x, %w : (tensor<1x8x8x3xf32>, tensor<4x1x1x3xf32>) -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// -----

// Groups: channels split as (group, channel in group) on input, weights and
// accumulator; linalg.conv_2d_nhwgc_gfhwc; the result collapsed back.
// CHECK-LABEL: func.func @conv2d_groups
// CHECK-SAME: (%[[X:.*]]: tensor<1x6x6x4xf32>, %[[W:.*]]: tensor<6x3x3x2xf32>, %[[B:.*]]: tensor<6xf32>)
// CHECK: %[[ACC:.*]] = linalg.broadcast ins(%[[B]]
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 6, 6, 2, 2]
// CHECK: %[[WG:.*]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 3, 3, 2]
// CHECK: %[[AG:.*]] = tensor.expand_shape %[[ACC]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 4, 4, 2, 3]
// CHECK: %[[Y:.*]] = linalg.conv_2d_nhwgc_gfhwc {{.*}} ins(%[[XG]], %[[WG]] : tensor<1x6x6x2x2xf32>, tensor<2x3x3x3x2xf32>) outs(%[[AG]] : tensor<1x4x4x2x3xf32>)
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[Y]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x4x4x2x3xf32> into tensor<1x4x4x6xf32>
// CHECK: return %[[R]]
func.func @conv2d_groups(%x: tensor<1x6x6x4xf32>, %w: tensor<6x3x3x2xf32>, %b: tensor<6xf32>) -> tensor<1x4x4x6xf32> {
  %y = qnt.conv2d %x, %w, %b groups 2 : (tensor<1x6x6x4xf32>, tensor<6x3x3x2xf32>, tensor<6xf32>) -> tensor<1x4x4x6xf32>
  return %y : tensor<1x4x4x6xf32>
}

// -----

// Multiplier 1: the [1, KH, KW, C] weight loses its leading 1.
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[ACC:.*]] = linalg.broadcast ins(%arg2
// CHECK: %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2], [3]] : tensor<1x3x3x4xf32> into tensor<3x3x4xf32>
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%[[PAD]], %[[W]] : tensor<1x10x10x4xf32>, tensor<3x3x4xf32>) outs(%[[ACC]] : tensor<1x8x8x4xf32>)
func.func @depthwise(%x: tensor<1x8x8x4xf32>, %w: tensor<1x3x3x4xf32>, %b: tensor<4xf32>) -> tensor<1x8x8x4xf32> {
  %y = qnt.depthwise_conv2d %x, %w, %b padding [1, 1, 1, 1] : (tensor<1x8x8x4xf32>, tensor<1x3x3x4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// -----

// Multiplier 2: output channel c * 2 + m splits as (c, m) for _hwcm.
// CHECK-LABEL: func.func @depthwise_multiplier
// CHECK: %[[ACC:.*]] = linalg.fill
// CHECK: %[[W1:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2], [3]] : tensor<1x3x3x8xf32> into tensor<3x3x8xf32>
// CHECK: %[[W:.*]] = tensor.expand_shape %[[W1]] {{\[\[}}0], [1], [2, 3]] output_shape [3, 3, 4, 2]
// CHECK: %[[AM:.*]] = tensor.expand_shape %[[ACC]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 2, 2, 4, 2]
// CHECK: %[[Y:.*]] = linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<[2, 1]> : vector<2xi64>, strides = dense<[2, 3]> : vector<2xi64>}
// CHECK-SAME: ins(%arg0, %[[W]] : tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>) outs(%[[AM]] : tensor<1x2x2x4x2xf32>)
// CHECK: tensor.collapse_shape %[[Y]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x2x2x4x2xf32> into tensor<1x2x2x8xf32>
func.func @depthwise_multiplier(%x: tensor<1x8x8x4xf32>, %w: tensor<1x3x3x8xf32>) -> tensor<1x2x2x8xf32> {
  %y = qnt.depthwise_conv2d %x, %w strides [2, 3] dilations [2, 1] : (tensor<1x8x8x4xf32>, tensor<1x3x3x8xf32>) -> tensor<1x2x2x8xf32>
  return %y : tensor<1x2x2x8xf32>
}

// -----

// The [O, K] weight is read transposed through the matmul's indexing map.
// CHECK-DAG: #[[FC_X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[FC_W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[FC_Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @fully_connected
// CHECK: %[[ACC:.*]] = linalg.broadcast ins(%arg2 : tensor<10xf32>) outs(%{{.*}} : tensor<2x10xf32>) dimensions = [0]
// CHECK: linalg.matmul indexing_maps = [#[[FC_X]], #[[FC_W]], #[[FC_Y]]] ins(%arg0, %arg1 : tensor<2x64xf32>, tensor<10x64xf32>) outs(%[[ACC]] : tensor<2x10xf32>)
func.func @fully_connected(%x: tensor<2x64xf32>, %w: tensor<10x64xf32>, %b: tensor<10xf32>) -> tensor<2x10xf32> {
  %y = qnt.fully_connected %x, %w, %b : (tensor<2x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return %y : tensor<2x10xf32>
}

// -----

// CHECK-LABEL: func.func @matmul
// CHECK: %[[ACC:.*]] = linalg.fill
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<8x16xf32>, tensor<16x4xf32>) outs(%[[ACC]] : tensor<8x4xf32>)
func.func @matmul(%a: tensor<8x16xf32>, %b: tensor<16x4xf32>) -> tensor<8x4xf32> {
  %y = qnt.matmul %a, %b : tensor<8x16xf32>, tensor<16x4xf32> -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_batch
// CHECK: linalg.batch_matmul ins(%arg0, %arg1 : tensor<3x8x16xf32>, tensor<3x16x4xf32>)
func.func @matmul_batch(%a: tensor<3x8x16xf32>, %b: tensor<3x16x4xf32>) -> tensor<3x8x4xf32> {
  %y = qnt.matmul %a, %b : tensor<3x8x16xf32>, tensor<3x16x4xf32> -> tensor<3x8x4xf32>
  return %y : tensor<3x8x4xf32>
}

// -----

// Leading batch dimensions fold into one.
// CHECK-LABEL: func.func @matmul_rank4
// CHECK: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2], [3]] : tensor<2x3x8x16xf32> into tensor<6x8x16xf32>
// CHECK: %[[B:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2], [3]] : tensor<2x3x16x4xf32> into tensor<6x16x4xf32>
// CHECK: %[[Y:.*]] = linalg.batch_matmul ins(%[[A]], %[[B]] : {{.*}}) outs(%{{.*}} : tensor<6x8x4xf32>)
// CHECK: tensor.expand_shape %[[Y]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 3, 8, 4]
func.func @matmul_rank4(%a: tensor<2x3x8x16xf32>, %b: tensor<2x3x16x4xf32>) -> tensor<2x3x8x4xf32> {
  %y = qnt.matmul %a, %b : tensor<2x3x8x16xf32>, tensor<2x3x16x4xf32> -> tensor<2x3x8x4xf32>
  return %y : tensor<2x3x8x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// scale = gamma / sqrt(variance + epsilon) once per channel, then
// (x - mean) * scale + beta.
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH4:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>, %[[M:.*]]: tensor<8xf32>, %[[V:.*]]: tensor<8xf32>)
// CHECK: %[[EPS:.*]] = arith.constant 1.000000e-03 : f32
// CHECK: %[[SCALE:.*]] = linalg.generic {indexing_maps = [#[[ID1]], #[[ID1]], #[[ID1]]], iterator_types = ["parallel"]} ins(%[[G]], %[[V]] :
// CHECK: ^bb0(%[[GAMMA:.*]]: f32, %[[VAR:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[S:.*]] = arith.addf %[[VAR]], %[[EPS]] : f32
// CHECK:   %[[ROOT:.*]] = math.sqrt %[[S]] : f32
// CHECK:   %[[Q:.*]] = arith.divf %[[GAMMA]], %[[ROOT]] : f32
// CHECK:   linalg.yield %[[Q]]
// CHECK: linalg.generic {indexing_maps = [#[[ID4]], #[[CH4]], #[[CH4]], #[[CH4]], #[[ID4]]], {{.*}} ins(%[[X]], %[[M]], %[[SCALE]], %[[B]] :
// CHECK: ^bb0(%[[XV:.*]]: f32, %[[MV:.*]]: f32, %[[SV:.*]]: f32, %[[BV:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[C:.*]] = arith.subf %[[XV]], %[[MV]] : f32
// CHECK:   %[[P:.*]] = arith.mulf %[[C]], %[[SV]] : f32
// CHECK:   %[[R:.*]] = arith.addf %[[P]], %[[BV]] : f32
// CHECK:   linalg.yield %[[R]]
func.func @batch_norm(%x: tensor<1x4x4x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<8xf32>, %v: tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  %y = qnt.batch_norm %x, %g, %b, %m, %v epsilon 1.0e-3 : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}

// -----

// Broadcasting through the indexing maps: missing leading dimensions are
// not indexed, size-1 dimensions read index 0.
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH4:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @add
// CHECK: linalg.generic {indexing_maps = [#[[ID4]], #[[CH4]], #[[ID4]]]
// CHECK: arith.addf
func.func @add(%a: tensor<1x8x8x4xf32>, %b: tensor<4xf32>) -> tensor<1x8x8x4xf32> {
  %y = qnt.add %a, %b : tensor<1x8x8x4xf32>, tensor<4xf32> -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// -----

// CHECK-DAG: #[[BA:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[BB:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @mul
// CHECK: linalg.generic {indexing_maps = [#[[BA]], #[[BB]], #[[ID3]]]
// CHECK-SAME: ins(%arg0, %arg1 : tensor<2x1x4xf32>, tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK: arith.mulf
func.func @mul(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %y = qnt.mul %a, %b : tensor<2x1x4xf32>, tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// x < lo ? lo : x > hi ? hi : x, so that NaN passes through as in the
// reference; relu has no upper bound to check.
// CHECK-LABEL: func.func @relu
// CHECK: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK-NOT: ogt
// CHECK:   %[[BELOW:.*]] = arith.cmpf olt, %[[V]], %[[LO]] : f32
// CHECK:   %[[R:.*]] = arith.select %[[BELOW]], %[[LO]], %[[V]] : f32
// CHECK:   linalg.yield %[[R]]
func.func @relu(%x: tensor<16xf32>) -> tensor<16xf32> {
  %y = qnt.relu %x : tensor<16xf32> -> tensor<16xf32>
  return %y : tensor<16xf32>
}

// -----

// CHECK-LABEL: func.func @relu6
// CHECK-DAG: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 6.000000e+00 : f32
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[ABOVE:.*]] = arith.cmpf ogt, %[[V]], %[[HI]] : f32
// CHECK:   %[[T:.*]] = arith.select %[[ABOVE]], %[[HI]], %[[V]] : f32
// CHECK:   %[[BELOW:.*]] = arith.cmpf olt, %[[V]], %[[LO]] : f32
// CHECK:   %[[R:.*]] = arith.select %[[BELOW]], %[[LO]], %[[T]] : f32
// CHECK:   linalg.yield %[[R]]
func.func @relu6(%x: tensor<16xf32>) -> tensor<16xf32> {
  %y = qnt.relu6 %x : tensor<16xf32> -> tensor<16xf32>
  return %y : tensor<16xf32>
}

// -----

// CHECK-LABEL: func.func @clamp
// CHECK-DAG: %[[LO:.*]] = arith.constant -1.500000e+00 : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: arith.cmpf ogt, %{{.*}}, %[[HI]] : f32
// CHECK: arith.cmpf olt, %{{.*}}, %[[LO]] : f32
func.func @clamp(%x: tensor<16xf32>) -> tensor<16xf32> {
  %y = qnt.clamp %x min -1.5 max 0.25 : tensor<16xf32> -> tensor<16xf32>
  return %y : tensor<16xf32>
}

// -----

// Other float types compute in their own type.
// CHECK-LABEL: func.func @f16
// CHECK: arith.addf %{{.*}}, %{{.*}} : f16
func.func @f16(%a: tensor<4xf16>, %b: tensor<4xf16>) -> tensor<4xf16> {
  %y = qnt.add %a, %b : tensor<4xf16>, tensor<4xf16> -> tensor<4xf16>
  return %y : tensor<4xf16>
}

// -----

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// -inf padding and accumulator: padded positions never win.
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 1, 1, 0] high[0, 0, 0, 0]
// CHECK: tensor.yield %[[NEGINF]]
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<1x4x4x4xf32>)
// CHECK: linalg.pooling_nhwc_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%[[PAD]], %[[WIN]] : tensor<1x9x9x4xf32>, tensor<3x3xf32>) outs(%[[ACC]] : tensor<1x4x4x4xf32>)
func.func @max_pool(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  %y = qnt.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 0, 1, 0] : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// Without count_include_pad each window divides by its real positions:
// 2x2 windows over a 3x3 input padded at the bottom and right hold 4, 2,
// 2 and 1 of them.
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[HW:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-LABEL: func.func @avg_pool
// CHECK: %[[COUNTS:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 2.000000e+00], [2.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 0, 0] high[0, 1, 1, 0]
// CHECK: %[[SUM:.*]] = linalg.pooling_nhwc_sum {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%[[PAD]], %{{.*}} : tensor<1x4x4x2xf32>, tensor<2x2xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID4]], #[[HW]], #[[ID4]]], {{.*}} ins(%[[SUM]], %[[COUNTS]] :
// CHECK: arith.divf
func.func @avg_pool(%x: tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32> {
  %y = qnt.avg_pool2d %x kernel [2, 2] strides [2, 2] padding [0, 1, 0, 1] : tensor<1x3x3x2xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// With count_include_pad the divisor is the kernel size.
// CHECK-LABEL: func.func @avg_pool_count_pad
// CHECK: %[[NINE:.*]] = arith.constant 9.000000e+00 : f32
// CHECK: linalg.pooling_nhwc_sum
// CHECK: arith.divf %{{.*}}, %[[NINE]] : f32
func.func @avg_pool_count_pad(%x: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> {
  %y = qnt.avg_pool2d %x kernel [3, 3] padding [1, 1, 1, 1] {count_include_pad = true} : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// -----

// CHECK-LABEL: func.func @global_avg_pool
// CHECK: %[[N:.*]] = arith.constant 4.900000e+01 : f32
// CHECK-NOT: tensor.pad
// CHECK: linalg.pooling_nhwc_sum {{.*}} ins(%arg0, %{{.*}} : tensor<1x7x7x64xf32>, tensor<7x7xf32>) outs(%{{.*}} : tensor<1x1x1x64xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
func.func @global_avg_pool(%x: tensor<1x7x7x64xf32>) -> tensor<1x1x1x64xf32> {
  %y = qnt.global_avg_pool %x : tensor<1x7x7x64xf32> -> tensor<1x1x1x64xf32>
  return %y : tensor<1x1x1x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @pad
// CHECK: %[[V:.*]] = arith.constant 1.000000e-01 : f32
// CHECK: tensor.pad %arg0 low[0, 1, 2, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[V]] : f32
// CHECK: } : tensor<1x8x8x4xf32> to tensor<1x10x11x4xf32>
func.func @pad(%x: tensor<1x8x8x4xf32>) -> tensor<1x10x11x4xf32> {
  %y = qnt.pad %x padding [0, 0, 1, 1, 2, 1, 0, 0] value 0.1 : tensor<1x8x8x4xf32> -> tensor<1x10x11x4xf32>
  return %y : tensor<1x10x11x4xf32>
}

// -----

// CHECK-LABEL: func.func @reshape
// CHECK: %[[F:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2, 3]] : tensor<1x1x1x64xf32> into tensor<64xf32>
// CHECK: tensor.expand_shape %[[F]] {{\[\[}}0, 1]] output_shape [8, 8] : tensor<64xf32> into tensor<8x8xf32>
func.func @reshape(%x: tensor<1x1x1x64xf32>) -> tensor<8x8xf32> {
  %y = qnt.reshape %x : tensor<1x1x1x64xf32> -> tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_scalar
// CHECK: %[[F:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1]] : tensor<1x1xf32> into tensor<1xf32>
// CHECK: tensor.collapse_shape %[[F]] [] : tensor<1xf32> into tensor<f32>
func.func @reshape_scalar(%x: tensor<1x1xf32>) -> tensor<f32> {
  %y = qnt.reshape %x : tensor<1x1xf32> -> tensor<f32>
  return %y : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK: linalg.transpose ins(%arg0 : tensor<1x8x6x4xf32>) outs(%{{.*}} : tensor<1x4x8x6xf32>) permutation = [0, 3, 1, 2]
func.func @transpose(%x: tensor<1x8x6x4xf32>) -> tensor<1x4x8x6xf32> {
  %y = qnt.transpose %x permutation [0, 3, 1, 2] : tensor<1x8x6x4xf32> -> tensor<1x4x8x6xf32>
  return %y : tensor<1x4x8x6xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: tensor.concat dim(3) %arg0, %arg1 : (tensor<1x8x8x4xf32>, tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32>
func.func @concat(%a: tensor<1x8x8x4xf32>, %b: tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32> {
  %y = qnt.concat %a, %b axis 3 : (tensor<1x8x8x4xf32>, tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32>
  return %y : tensor<1x8x8x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

// max from -inf, exp(x - max), sum from 0, divide.
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAX0:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<2x10xf32>) outs(%[[MAX0]] : tensor<2xf32>)
// CHECK: arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %[[MAX]] :
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM0:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[EXP]] : tensor<2x10xf32>) outs(%[[SUM0]] : tensor<2xf32>)
// CHECK: arith.addf
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[EXP]], %[[SUM]] :
// CHECK: arith.divf
// CHECK: return %[[Y]]
func.func @softmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %y = qnt.softmax %x : tensor<2x10xf32> -> tensor<2x10xf32>
  return %y : tensor<2x10xf32>
}

// -----

// A middle axis (given from the end) is the reduction dimension.
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[MID:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax_mid_axis
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[MID]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0 : tensor<2x5x3xf32>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[MID]], #[[ID3]]]
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[MID]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[MID]], #[[ID3]]]
func.func @softmax_mid_axis(%x: tensor<2x5x3xf32>) -> tensor<2x5x3xf32> {
  %y = qnt.softmax %x axis -2 : tensor<2x5x3xf32> -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}
