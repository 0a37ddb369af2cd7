// RUN: quant-opt %s --split-input-file --qnt-fuse-qdq | FileCheck %s

// A QLinearConv as the ONNX importer writes it: dequantize the input
// (after the NCHW -> NHWC transpose), the weights and the bias, a float
// conv, quantize. The dequantize sinks below the transpose, and the conv
// becomes a quantized conv with the quantize's result type.
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x3x3x!qnt.uniform<u8:f32, 5.000000e-01:128>>)
// CHECK: %[[T:.*]] = qnt.transpose %[[X]] permutation [0, 2, 3, 1] : tensor<1x1x3x3x!qnt.uniform<u8:f32, 5.000000e-01:128>> -> tensor<1x3x3x1x!qnt.uniform<u8:f32, 5.000000e-01:128>>
// CHECK: %[[W:.*]] = qnt.storage_cast %{{.*}} : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!qnt.uniform<i8:f32:0, {2.500000e-01, 1.250000e-01}>>
// CHECK: %[[B:.*]] = qnt.storage_cast %{{.*}} : tensor<2xi32> to tensor<2x!qnt.uniform<i32:f32:0, {1.250000e-01, 6.250000e-02}>>
// CHECK: %[[Y:.*]] = qnt.conv2d %[[T]], %[[W]], %[[B]] : {{.*}} -> tensor<1x3x3x2x!qnt.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NOT: qnt.dequantize
// CHECK: return %[[Y]]
func.func @conv(%x: tensor<1x1x3x3x!qnt.uniform<u8:f32, 0.5:128>>) -> tensor<1x3x3x2x!qnt.uniform<u8:f32, 0.25:10>> {
  %xf = qnt.dequantize %x : tensor<1x1x3x3x!qnt.uniform<u8:f32, 0.5:128>> to tensor<1x1x3x3xf32>
  %xt = qnt.transpose %xf permutation [0, 2, 3, 1] : tensor<1x1x3x3xf32> -> tensor<1x3x3x1xf32>
  %wi = arith.constant dense<[[[[3]]], [[[-5]]]]> : tensor<2x1x1x1xi8>
  %wq = qnt.storage_cast %wi : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!qnt.uniform<i8:f32:0, {0.25, 0.125}>>
  %wf = qnt.dequantize %wq : tensor<2x1x1x1x!qnt.uniform<i8:f32:0, {0.25, 0.125}>> to tensor<2x1x1x1xf32>
  %bi = arith.constant dense<[7, -9]> : tensor<2xi32>
  %bq = qnt.storage_cast %bi : tensor<2xi32> to tensor<2x!qnt.uniform<i32:f32:0, {0.125, 0.0625}>>
  %bf = qnt.dequantize %bq : tensor<2x!qnt.uniform<i32:f32:0, {0.125, 0.0625}>> to tensor<2xf32>
  %y = qnt.conv2d %xt, %wf, %bf : (tensor<1x3x3x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  %yq = qnt.quantize %y : tensor<1x3x3x2xf32> to tensor<1x3x3x2x!qnt.uniform<u8:f32, 0.25:10>>
  return %yq : tensor<1x3x3x2x!qnt.uniform<u8:f32, 0.25:10>>
}

// -----

// QDQ chain: Q -> DQ -> relu -> Q -> DQ -> max_pool -> Q with different
// parameters. relu and max_pool run on the quantized values (the pool
// rescales to its own parameters); the entry quantize and the exit
// dequantize stay (the model's edges are float).
// CHECK-LABEL: func.func @chain
// CHECK: %[[Q:.*]] = qnt.quantize %{{.*}} : tensor<1x4x4x1xf32> to tensor<1x4x4x1x!qnt.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK: %[[R:.*]] = qnt.relu %[[Q]] : {{.*}} -> tensor<1x4x4x1x!qnt.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK: %[[P:.*]] = qnt.max_pool2d %[[R]] kernel [2, 2] {{.*}} -> tensor<1x2x2x1x!qnt.uniform<i8:f32, 2.000000e-01>>
// CHECK: %[[D:.*]] = qnt.dequantize %[[P]]
// CHECK: return %[[D]]
func.func @chain(%x: tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32> {
  %q = qnt.quantize %x : tensor<1x4x4x1xf32> to tensor<1x4x4x1x!qnt.uniform<i8:f32, 0.1:-3>>
  %d = qnt.dequantize %q : tensor<1x4x4x1x!qnt.uniform<i8:f32, 0.1:-3>> to tensor<1x4x4x1xf32>
  %r = qnt.relu %d : tensor<1x4x4x1xf32> -> tensor<1x4x4x1xf32>
  %rq = qnt.quantize %r : tensor<1x4x4x1xf32> to tensor<1x4x4x1x!qnt.uniform<i8:f32, 0.1:-3>>
  %rd = qnt.dequantize %rq : tensor<1x4x4x1x!qnt.uniform<i8:f32, 0.1:-3>> to tensor<1x4x4x1xf32>
  %p = qnt.max_pool2d %rd kernel [2, 2] strides [2, 2] : tensor<1x4x4x1xf32> -> tensor<1x2x2x1xf32>
  %pq = qnt.quantize %p : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!qnt.uniform<i8:f32, 0.2>>
  %pd = qnt.dequantize %pq : tensor<1x2x2x1x!qnt.uniform<i8:f32, 0.2>> to tensor<1x2x2x1xf32>
  return %pd : tensor<1x2x2x1xf32>
}

// -----

// Left float: an op with a float (not dequantized) operand, an op whose
// result also feeds a float user, and a pad whose value is not a
// quantized value.
// CHECK-LABEL: func.func @kept
// CHECK: qnt.add %{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CHECK: qnt.relu %{{.*}} : tensor<4xf32> -> tensor<4xf32>
// CHECK: qnt.pad %{{.*}} : tensor<4xf32> -> tensor<6xf32>
func.func @kept(%a: tensor<4x!qnt.uniform<u8:f32, 0.5>>, %b: tensor<4xf32>) -> (tensor<4x!qnt.uniform<u8:f32, 0.5>>, tensor<4xf32>, tensor<6xf32>) {
  %ad = qnt.dequantize %a : tensor<4x!qnt.uniform<u8:f32, 0.5>> to tensor<4xf32>
  %s = qnt.add %ad, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %r = qnt.relu %s : tensor<4xf32> -> tensor<4xf32>
  %rq = qnt.quantize %r : tensor<4xf32> to tensor<4x!qnt.uniform<u8:f32, 0.5>>
  %p = qnt.pad %ad padding [1, 1] value 0.25 : tensor<4xf32> -> tensor<6xf32>
  return %rq, %r, %p : tensor<4x!qnt.uniform<u8:f32, 0.5>>, tensor<4xf32>, tensor<6xf32>
}
