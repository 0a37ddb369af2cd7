// The bundled example model of the README's main job: a tiny quantized CNN
// on an 8x8 RGB input (NHWC), in the qnt dialect. Weights are int8,
// symmetric, narrow range, per output channel; biases are int32 with
// S_b = S_w * S_x (Jacob et al. 2018, section 2.4); activations are uint8,
// asymmetric, per tensor. Float appears only at the edges (quantize of the
// input, dequantize of the logits).
//
//   conv 3x3 (3 -> 4 channels) + bias, ReLU, 2x2 max pool,
//   global average pool, fully connected (4 -> 3 classes)
//
// The model also carries a redundant dequantize/quantize pair, the kind a
// front end leaves behind; `quant-opt --canonicalize` folds it away exactly.
func.func @tiny_cnn(%image: tensor<1x8x8x3xf32>) -> tensor<1x3xf32> {
  %x = qnt.quantize %image : tensor<1x8x8x3xf32> to tensor<1x8x8x3x!qnt.uniform<u8:f32, 0.02:128>>

  %w_bits = arith.constant dense<[[[[-93, 18, 89], [78, 68, -111], [-62, -97, -1]], [[67, -12, -7], [39, -30, 74], [-74, -103, -3]], [[-120, 101, 86], [-28, -17, 28], [68, 69, -127]]], [[[51, -13, -59], [57, 78, -69], [24, 114, -101]], [[103, -46, -120], [-122, -121, 39], [11, -125, 113]], [[98, -30, 48], [-72, 121, -19], [58, -120, 8]]], [[[-71, 68, -15], [113, -1, 14], [-68, -39, -68]], [[46, -71, 67], [-10, 116, -53], [110, -122, -21]], [[87, 107, 15], [109, 37, -102], [-80, 34, 127]]], [[[58, 93, -52], [-97, 63, -42], [102, 57, 122]], [[55, 1, 112], [120, -19, 2], [85, 106, 44]], [[-79, -50, -55], [23, 122, 98], [0, 89, 113]]]]> : tensor<4x3x3x3xi8>
  %w = qnt.storage_cast %w_bits : tensor<4x3x3x3xi8> to tensor<4x3x3x3x!qnt.uniform<i8<-127:127>:f32:0, {0.004, 0.005, 0.003, 0.006}>>
  %b_bits = arith.constant dense<[120, -40, 15, 300]> : tensor<4xi32>
  %b = qnt.storage_cast %b_bits : tensor<4xi32> to tensor<4x!qnt.uniform<i32:f32:0, {8.0e-05, 1.0e-04, 6.0e-05, 1.2e-04}>>
  %conv = qnt.conv2d %x, %w, %b padding [1, 1, 1, 1]
      : (tensor<1x8x8x3x!qnt.uniform<u8:f32, 0.02:128>>, tensor<4x3x3x3x!qnt.uniform<i8<-127:127>:f32:0, {0.004, 0.005, 0.003, 0.006}>>, tensor<4x!qnt.uniform<i32:f32:0, {8.0e-05, 1.0e-04, 6.0e-05, 1.2e-04}>>) -> tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05>>
  %relu = qnt.relu %conv : tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05>> -> tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05>>

  // A float round trip with the same parameters: exact, folded away.
  %relu_f = qnt.dequantize %relu : tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05>> to tensor<1x8x8x4xf32>
  %relu_q = qnt.quantize %relu_f : tensor<1x8x8x4xf32> to tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05>>

  %pool = qnt.max_pool2d %relu_q kernel [2, 2] strides [2, 2]
      : tensor<1x8x8x4x!qnt.uniform<u8:f32, 0.05>> -> tensor<1x4x4x4x!qnt.uniform<u8:f32, 0.05>>
  %gap = qnt.global_avg_pool %pool : tensor<1x4x4x4x!qnt.uniform<u8:f32, 0.05>> -> tensor<1x1x1x4x!qnt.uniform<u8:f32, 0.05>>
  %flat = qnt.reshape %gap : tensor<1x1x1x4x!qnt.uniform<u8:f32, 0.05>> -> tensor<1x4x!qnt.uniform<u8:f32, 0.05>>

  %fc_bits = arith.constant dense<[[2, -27, 23, 91], [-119, -5, -65, 63], [77, -24, -21, 43]]> : tensor<3x4xi8>
  %fc_w = qnt.storage_cast %fc_bits : tensor<3x4xi8> to tensor<3x4x!qnt.uniform<i8<-127:127>:f32:0, {0.01, 0.012, 0.009}>>
  %fc_b_bits = arith.constant dense<[10, -25, 5]> : tensor<3xi32>
  %fc_b = qnt.storage_cast %fc_b_bits : tensor<3xi32> to tensor<3x!qnt.uniform<i32:f32:0, {5.0e-04, 6.0e-04, 4.5e-04}>>
  %logits = qnt.fully_connected %flat, %fc_w, %fc_b
      : (tensor<1x4x!qnt.uniform<u8:f32, 0.05>>, tensor<3x4x!qnt.uniform<i8<-127:127>:f32:0, {0.01, 0.012, 0.009}>>, tensor<3x!qnt.uniform<i32:f32:0, {5.0e-04, 6.0e-04, 4.5e-04}>>) -> tensor<1x3x!qnt.uniform<i8:f32, 0.1:-10>>

  %result = qnt.dequantize %logits : tensor<1x3x!qnt.uniform<i8:f32, 0.1:-10>> to tensor<1x3xf32>
  return %result : tensor<1x3xf32>
}
