// RUN: quant-opt %s --split-input-file --qnt-quantize | FileCheck %s
// RUN: quant-opt %s --split-input-file --qnt-quantize="activations=i8 granularity=per-tensor weight-bits=4" | FileCheck %s --check-prefix=OPTS

// A layer with weights, bias and a ReLU. The argument [0, 1] becomes u8
// with S = 1/255, Z = 0. Weights: symmetric, narrow range, per output
// channel: S_w = max|w| / 127, so row 0 [1, -0.5] -> [127, -64] (-63.5
// rounds away from zero) and row 1 [0.25, 0.125] -> [127, 64]. Bias:
// S_b = S_x * S_w, zero point 0: 0.5 / (1/255 * 1/127) = 16192.5 -> 16193.
// The layer feeds only the ReLU, so it takes the ReLU's range [0, 2]:
// S = 2/255, and the ReLU keeps the same parameters.

// CHECK-LABEL: func.func @layer
// CHECK-SAME: (%[[X:.*]]: tensor<1x2xf32>
// CHECK: %[[Q:.*]] = qnt.quantize %[[X]] : tensor<1x2xf32> to tensor<1x2x!qnt.uniform<u8:f32, 0.0039215686274509803>>
// CHECK: %[[WC:.*]] = arith.constant dense<{{\[}}[127, -64], [127, 64]]> : tensor<2x2xi8>
// CHECK: %[[W:.*]] = qnt.storage_cast %[[WC]] : tensor<2x2xi8> to tensor<2x2x!qnt.uniform<i8<-127:127>:f32:0, {0.0078740157480314959, 0.001968503937007874}>>
// CHECK: %[[BC:.*]] = arith.constant dense<[16193, -32385]> : tensor<2xi32>
// CHECK: %[[B:.*]] = qnt.storage_cast %[[BC]] : tensor<2xi32> to tensor<2x!qnt.uniform<i32:f32:0, {3.0878493129535278E-5, 7.7196232823838196E-6}>>
// CHECK: %[[Y:.*]] = qnt.fully_connected %[[Q]], %[[W]], %[[B]]
// CHECK-SAME: -> tensor<1x2x!qnt.uniform<u8:f32, 0.0078431372549019607>>
// CHECK: %[[R:.*]] = qnt.relu %[[Y]]
// CHECK-SAME: -> tensor<1x2x!qnt.uniform<u8:f32, 0.0078431372549019607>>
// CHECK: %[[D:.*]] = qnt.dequantize %[[R]] {{.*}} to tensor<1x2xf32>
// CHECK: return %[[D]]

// With activations=i8 the zero point moves to -128; weight-bits=4 gives
// i4<-7:7> storage; per-tensor weights have one scale (1/7) and the bias one.
// OPTS-LABEL: func.func @layer
// OPTS: qnt.quantize {{.*}} to tensor<1x2x!qnt.uniform<i8:f32, 0.0039215686274509803:-128>>
// OPTS: qnt.storage_cast {{.*}} : tensor<2x2xi4> to tensor<2x2x!qnt.uniform<i4<-7:7>:f32, 0.14285714285714285>>
// OPTS: qnt.storage_cast {{.*}} : tensor<2xi32> to tensor<2x!qnt.uniform<i32:f32, 5.602240896358543E-4>>
// OPTS: qnt.fully_connected
// OPTS-SAME: -> tensor<1x2x!qnt.uniform<i8:f32, 0.0078431372549019607:-128>>
func.func @layer(%x: tensor<1x2xf32> {qnt.range = #qnt.range<0.0, 1.0>}) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, -0.5], [0.25, 0.125]]> : tensor<2x2xf32>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %y = qnt.fully_connected %x, %w, %b {qnt.range = #qnt.range<-1.0, 2.0>} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = qnt.relu %y {qnt.range = #qnt.range<0.0, 2.0>} : tensor<1x2xf32> -> tensor<1x2xf32>
  return %r : tensor<1x2xf32>
}

// -----

// Ranges that exclude 0 are widened to include it (real 0 exact, Jacob
// 2018 section 3.1): [0.5, 1.0] quantizes like [0, 1]. Asymmetric: [-1, 3]
// gives S = 4/255 and Z = round(255/4) = 64.
// CHECK-LABEL: func.func @nudging
// CHECK: qnt.quantize {{.*}} to tensor<4x!qnt.uniform<u8:f32, 0.0039215686274509803>>
// CHECK: qnt.quantize {{.*}} to tensor<4x!qnt.uniform<u8:f32, 0.015686274509803921:64>>
func.func @nudging(%a: tensor<4xf32> {qnt.range = #qnt.range<0.5, 1.0>},
                   %b: tensor<4xf32> {qnt.range = #qnt.range<-1.0, 3.0>}) -> (tensor<4xf32>, tensor<4xf32>) {
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// max_pool2d, reshape and concat share one set of parameters between
// inputs and output: the hull of their ranges, [-1, 3] here.
// CHECK-LABEL: func.func @shared
// CHECK-COUNT-2: qnt.quantize {{.*}}!qnt.uniform<u8:f32, 0.015686274509803921:64>>
// CHECK: qnt.max_pool2d {{.*}} -> tensor<1x1x1x2x!qnt.uniform<u8:f32, 0.015686274509803921:64>>
// CHECK: qnt.concat {{.*}} -> tensor<1x1x1x4x!qnt.uniform<u8:f32, 0.015686274509803921:64>>
// CHECK: qnt.reshape {{.*}} -> tensor<1x4x!qnt.uniform<u8:f32, 0.015686274509803921:64>>
func.func @shared(%a: tensor<1x2x2x2xf32> {qnt.range = #qnt.range<-1.0, 1.0>},
                  %b: tensor<1x1x1x2xf32> {qnt.range = #qnt.range<0.0, 3.0>}) -> tensor<1x4xf32> {
  %p = qnt.max_pool2d %a kernel [2, 2] strides [2, 2] {qnt.range = #qnt.range<-1.0, 1.0>} : tensor<1x2x2x2xf32> -> tensor<1x1x1x2xf32>
  %c = qnt.concat %p, %b axis 3 {qnt.range = #qnt.range<-1.0, 3.0>} : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x1x4xf32>
  %r = qnt.reshape %c {qnt.range = #qnt.range<-1.0, 3.0>} : tensor<1x1x1x4xf32> -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

// -----

// A constant used as an activation (the rhs of an add) is quantized with
// its own per-tensor parameters from its values ([0, 2] -> S = 2/255);
// the storage constant holds u8 values as i8 bits (128 -> -128, 255 -> -1).
// CHECK-LABEL: func.func @constant_activation
// CHECK: %[[C:.*]] = arith.constant dense<[0, -128, -1, 64]> : tensor<4xi8>
// CHECK: qnt.storage_cast %[[C]] : tensor<4xi8> to tensor<4x!qnt.uniform<u8:f32, 0.0078431372549019607>>
// CHECK: qnt.add
func.func @constant_activation(%a: tensor<4xf32> {qnt.range = #qnt.range<0.0, 1.0>}) -> tensor<4xf32> {
  %c = arith.constant dense<[0.0, 1.0, 2.0, 0.5]> : tensor<4xf32>
  %s = qnt.add %a, %c {qnt.range = #qnt.range<0.0, 3.0>} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %s : tensor<4xf32>
}
