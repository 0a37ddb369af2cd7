// RUN: quant-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the graph ops: one case (at least) per message.

//===----------------------------------------------------------------------===//
// Element kinds
//===----------------------------------------------------------------------===//

func.func @mixes_float_and_quantized(%x: tensor<1x4x4x2x!qnt.uniform<u8:f32, 0.5:128>>, %w: tensor<2x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op mixes float and quantized tensors}}
  %0 = qnt.conv2d %x, %w : (tensor<1x4x4x2x!qnt.uniform<u8:f32, 0.5:128>>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2x!qnt.uniform<u8:f32, 0.5:128>>
  return
}

// -----

func.func @mixes_float_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error@+1 {{'qnt.add' op mixes expressed types 'f32' and 'f16'}}
  %0 = qnt.add %a, %b : tensor<4xf32>, tensor<4xf16> -> tensor<4xf32>
  return
}

// -----

func.func @mixes_expressed_types(%a: tensor<4x!qnt.uniform<i8:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.relu' op mixes expressed types 'f32' and 'f16'}}
  %0 = qnt.relu %a : tensor<4x!qnt.uniform<i8:f32, 0.5>> -> tensor<4x!qnt.uniform<i8:f16, 0.5>>
  return
}

//===----------------------------------------------------------------------===//
// Quantization granularity
//===----------------------------------------------------------------------===//

// -----

func.func @conv_input_per_axis(%x: tensor<1x4x4x2x!qnt.uniform<i8:f32:3, {0.5, 0.25}>>, %w: tensor<2x1x1x2x!qnt.uniform<i8:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.conv2d' op expects input to be quantized per tensor, got '!qnt.uniform<i8:f32:3, {5.000000e-01, 2.500000e-01}>'}}
  %0 = qnt.conv2d %x, %w : (tensor<1x4x4x2x!qnt.uniform<i8:f32:3, {0.5, 0.25}>>, tensor<2x1x1x2x!qnt.uniform<i8:f32, 0.5>>) -> tensor<1x4x4x2x!qnt.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @conv_weight_wrong_axis(%x: tensor<1x4x4x2x!qnt.uniform<i8:f32, 0.5>>, %w: tensor<2x1x1x2x!qnt.uniform<i8:f32:3, {0.5, 0.25}>>) {
  // expected-error@+1 {{'qnt.conv2d' op expects weight to be quantized per tensor, per axis 0 or per group, got}}
  %0 = qnt.conv2d %x, %w : (tensor<1x4x4x2x!qnt.uniform<i8:f32, 0.5>>, tensor<2x1x1x2x!qnt.uniform<i8:f32:3, {0.5, 0.25}>>) -> tensor<1x4x4x2x!qnt.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @conv_bias_per_group(%x: tensor<1x4x4x2x!qnt.uniform<i8:f32, 0.5>>, %w: tensor<2x1x1x2x!qnt.uniform<i8:f32, 0.5>>, %b: tensor<2x!qnt.uniform<i32:f32:0 group 2, {0.25}>>) {
  // expected-error@+1 {{'qnt.conv2d' op expects bias to be quantized per tensor or per axis 0, got}}
  %0 = qnt.conv2d %x, %w, %b : (tensor<1x4x4x2x!qnt.uniform<i8:f32, 0.5>>, tensor<2x1x1x2x!qnt.uniform<i8:f32, 0.5>>, tensor<2x!qnt.uniform<i32:f32:0 group 2, {0.25}>>) -> tensor<1x4x4x2x!qnt.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @depthwise_weight_wrong_axis(%x: tensor<1x4x4x1x!qnt.uniform<i8:f32, 0.5>>, %w: tensor<1x1x1x2x!qnt.uniform<i8:f32:0, {0.5}>>) {
  // expected-error@+1 {{'qnt.depthwise_conv2d' op expects weight to be quantized per tensor, per axis 3 or per group, got}}
  %0 = qnt.depthwise_conv2d %x, %w : (tensor<1x4x4x1x!qnt.uniform<i8:f32, 0.5>>, tensor<1x1x1x2x!qnt.uniform<i8:f32:0, {0.5}>>) -> tensor<1x4x4x2x!qnt.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @fully_connected_result_per_axis(%x: tensor<1x4x!qnt.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!qnt.uniform<i8:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.fully_connected' op expects result to be quantized per tensor, got}}
  %0 = qnt.fully_connected %x, %w : (tensor<1x4x!qnt.uniform<i8:f32, 0.5>>, tensor<2x4x!qnt.uniform<i8:f32, 0.5>>) -> tensor<1x2x!qnt.uniform<i8:f32:1, {0.5, 0.25}>>
  return
}

// -----

func.func @matmul_lhs_per_axis(%a: tensor<2x4x!qnt.uniform<i8:f32:0, {0.5, 0.25}>>, %b: tensor<4x3x!qnt.uniform<i8:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.matmul' op expects lhs to be quantized per tensor, got}}
  %0 = qnt.matmul %a, %b : tensor<2x4x!qnt.uniform<i8:f32:0, {0.5, 0.25}>>, tensor<4x3x!qnt.uniform<i8:f32, 0.5>> -> tensor<2x3x!qnt.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @matmul_rhs_wrong_axis(%a: tensor<2x2x!qnt.uniform<i8:f32, 0.5>>, %b: tensor<2x3x!qnt.uniform<i8:f32:0, {0.5, 0.25}>>) {
  // expected-error@+1 {{'qnt.matmul' op expects rhs to be quantized per tensor, per axis 1 or per group, got}}
  %0 = qnt.matmul %a, %b : tensor<2x2x!qnt.uniform<i8:f32, 0.5>>, tensor<2x3x!qnt.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x3x!qnt.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @max_pool_input_per_axis(%x: tensor<1x4x4x2x!qnt.uniform<i8:f32:3, {0.5, 0.25}>>) {
  // expected-error@+1 {{'qnt.max_pool2d' op expects input to be quantized per tensor, got}}
  %0 = qnt.max_pool2d %x kernel [2, 2] : tensor<1x4x4x2x!qnt.uniform<i8:f32:3, {0.5, 0.25}>> -> tensor<1x3x3x2x!qnt.uniform<i8:f32:3, {0.5, 0.25}>>
  return
}

// -----

func.func @global_avg_pool_result_per_axis(%x: tensor<1x4x4x2x!qnt.uniform<i8:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.global_avg_pool' op expects result to be quantized per tensor, got}}
  %0 = qnt.global_avg_pool %x : tensor<1x4x4x2x!qnt.uniform<i8:f32, 0.5>> -> tensor<1x1x1x2x!qnt.uniform<i8:f32:3, {0.5, 0.25}>>
  return
}

// -----

func.func @reshape_per_axis(%x: tensor<2x3x!qnt.uniform<i8:f32:0, {0.5, 0.25}>>) {
  // expected-error@+1 {{'qnt.reshape' op expects input to be quantized per tensor, got}}
  %0 = qnt.reshape %x : tensor<2x3x!qnt.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<6x!qnt.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @reshape_per_group_result(%x: tensor<2x4x!qnt.uniform<i8:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.reshape' op expects result to be quantized per tensor, got}}
  %0 = qnt.reshape %x : tensor<2x4x!qnt.uniform<i8:f32, 0.5>> -> tensor<8x!qnt.uniform<i8:f32:0 group 4, {0.5, 0.25}>>
  return
}

// -----

func.func @transpose_axis_not_followed(%w: tensor<2x3x!qnt.uniform<i8:f32:0, {0.5, 0.25}>>) {
  // expected-error@+1 {{'qnt.transpose' op expects the result to be quantized on axis 1 (input axis 0 after the permutation), got}}
  %0 = qnt.transpose %w permutation [1, 0] : tensor<2x3x!qnt.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<3x2x!qnt.uniform<i8:f32, 0.5>>
  return
}

//===----------------------------------------------------------------------===//
// Value attributes
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_quantized(%x: tensor<1x4x!qnt.uniform<i8:f32, 0.5>>, %p: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.batch_norm' op must be folded before quantization (run qnt-fold-batch-norm); got quantized operand}}
  %0 = qnt.batch_norm %x, %p, %p, %p, %p : (tensor<1x4x!qnt.uniform<i8:f32, 0.5>>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @batch_norm_zero_epsilon(%x: tensor<1x4xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.batch_norm' op expects 'epsilon' to be positive and finite, got 0}}
  %0 = qnt.batch_norm %x, %p, %p, %p, %p epsilon 0.0 : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @batch_norm_infinite_epsilon(%x: tensor<1x4xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.batch_norm' op expects 'epsilon' to be positive and finite}}
  %0 = qnt.batch_norm %x, %p, %p, %p, %p epsilon 0x7F800000 : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @clamp_infinite_min(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.clamp' op expects 'min' to be finite}}
  %0 = qnt.clamp %x min 0xFFF0000000000000 max 1.0 : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @clamp_nan_max(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.clamp' op expects 'max' to be finite}}
  %0 = qnt.clamp %x min 0.0 max 0x7FF8000000000000 : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @clamp_min_above_max(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.clamp' op expects 'min' (2.000000e+00) to be <= 'max' (1.000000e+00)}}
  %0 = qnt.clamp %x min 2.0 max 1.0 : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @pad_infinite_value(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.pad' op expects 'value' to be finite}}
  %0 = qnt.pad %x padding [1, 1] value 0x7FF0000000000000 : tensor<4xf32> -> tensor<6xf32>
  return
}

//===----------------------------------------------------------------------===//
// Shape attributes
//===----------------------------------------------------------------------===//

// -----

func.func @conv_zero_stride(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op expects 'strides' to be >= 1, got 0}}
  %0 = qnt.conv2d %x, %w strides [1, 0] : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @conv_negative_dilation(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op expects 'dilations' to be >= 1, got -1}}
  %0 = qnt.conv2d %x, %w dilations [-1, 1] : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @conv_negative_padding(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op expects 'padding' to be >= 0, got -9223372036854775808}}
  %0 = qnt.conv2d %x, %w padding [0, -9223372036854775808, 0, 0] : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @conv_zero_groups(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op expects 'groups' to be >= 1, got 0}}
  %0 = qnt.conv2d %x, %w groups 0 : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @conv_negative_groups(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op expects 'groups' to be >= 1, got -2}}
  %0 = qnt.conv2d %x, %w groups -2 : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @max_pool_zero_kernel(%x: tensor<1x4x4x2xf32>) {
  // expected-error@+1 {{'qnt.max_pool2d' op expects 'kernel' to be >= 1, got 0}}
  %0 = qnt.max_pool2d %x kernel [0, 2] : tensor<1x4x4x2xf32> -> tensor<1x4x3x2xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.pad' op expects 'padding' to be >= 0, got -1}}
  %0 = qnt.pad %x padding [-1, 1] : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @conv_three_strides(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op expects 'strides' to have 2 entries, got 3}}
  %0 = qnt.conv2d %x, %w strides [1, 1, 1] : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @depthwise_two_paddings(%x: tensor<1x4x4x2xf32>, %w: tensor<1x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.depthwise_conv2d' op expects 'padding' to have 4 entries, got 2}}
  %0 = qnt.depthwise_conv2d %x, %w padding [1, 1] : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @avg_pool_empty_strides(%x: tensor<1x4x4x2xf32>) {
  // expected-error@+1 {{'qnt.avg_pool2d' op expects 'strides' to have 2 entries, got 0}}
  %0 = qnt.avg_pool2d %x kernel [2, 2] strides [] : tensor<1x4x4x2xf32> -> tensor<1x3x3x2xf32>
  return
}

// -----

func.func @avg_pool_one_kernel_size(%x: tensor<1x4x4x2xf32>) {
  // expected-error@+1 {{'qnt.avg_pool2d' op expects 'kernel' to have 2 entries, got 1}}
  %0 = qnt.avg_pool2d %x kernel [2] : tensor<1x4x4x2xf32> -> tensor<1x3x3x2xf32>
  return
}

// -----

func.func @pad_wrong_length(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'qnt.pad' op expects 'padding' to have 4 entries, got 2}}
  %0 = qnt.pad %x padding [1, 1] : tensor<2x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @transpose_short_permutation(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'qnt.transpose' op expects 'permutation' to have 3 entries, got 2}}
  %0 = qnt.transpose %x permutation [1, 0] : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  return
}

// -----

func.func @transpose_repeated_index(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'qnt.transpose' op expects 'permutation' to be a permutation of [0, 2), got [0, 0]}}
  %0 = qnt.transpose %x permutation [0, 0] : tensor<2x3xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @transpose_index_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'qnt.transpose' op expects 'permutation' to be a permutation of [0, 2), got [2, -1]}}
  %0 = qnt.transpose %x permutation [2, -1] : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @concat_axis_too_large(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'qnt.concat' op expects 'axis' to be in [0, 2), got 2}}
  %0 = qnt.concat %a, %a axis 2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @concat_negative_axis(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'qnt.concat' op expects 'axis' to be in [0, 2), got -1}}
  %0 = qnt.concat %a, %a axis -1 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @softmax_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'qnt.softmax' op expects 'axis' to be in [-2, 2), got -3}}
  %0 = qnt.softmax %x axis -3 : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @softmax_rank_zero(%x: tensor<f32>) {
  // expected-error@+1 {{'qnt.softmax' op expects 'axis' to be in [0, 0), got -1}}
  %0 = qnt.softmax %x : tensor<f32> -> tensor<f32>
  return
}

//===----------------------------------------------------------------------===//
// Operand shapes
//===----------------------------------------------------------------------===//

// -----

func.func @conv_input_rank(%x: tensor<4x4x2xf32>, %w: tensor<2x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op expects input to have rank 4, got 3}}
  %0 = qnt.conv2d %x, %w : (tensor<4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @conv_bias_rank(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>, %b: tensor<1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op expects bias to have rank 1, got 2}}
  %0 = qnt.conv2d %x, %w, %b : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @fully_connected_weight_rank(%x: tensor<1x4xf32>, %w: tensor<2x4x1xf32>) {
  // expected-error@+1 {{'qnt.fully_connected' op expects weight to have rank 2, got 3}}
  %0 = qnt.fully_connected %x, %w : (tensor<1x4xf32>, tensor<2x4x1xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @global_avg_pool_rank(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{'qnt.global_avg_pool' op expects input to have rank 4, got 2}}
  %0 = qnt.global_avg_pool %x : tensor<4x2xf32> -> tensor<1x1x1x2xf32>
  return
}

// -----

func.func @batch_norm_param_rank(%x: tensor<1x4xf32>, %p: tensor<4xf32>, %g: tensor<1x4xf32>) {
  // expected-error@+1 {{'qnt.batch_norm' op expects gamma to have rank 1, got 2}}
  %0 = qnt.batch_norm %x, %g, %p, %p, %p : (tensor<1x4xf32>, tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @matmul_rank_one(%a: tensor<4xf32>, %b: tensor<4x3xf32>) {
  // expected-error@+1 {{'qnt.matmul' op expects lhs to have rank >= 2, got 1}}
  %0 = qnt.matmul %a, %b : tensor<4xf32>, tensor<4x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @batch_norm_scalar(%x: tensor<f32>, %p: tensor<1xf32>) {
  // expected-error@+1 {{'qnt.batch_norm' op expects input to have rank >= 1, got 0}}
  %0 = qnt.batch_norm %x, %p, %p, %p, %p : (tensor<f32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<f32>
  return
}

// -----

func.func @conv_weight_channels(%x: tensor<1x4x4x8xf32>, %w: tensor<2x1x1x3xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op weight input channels times 'groups' (3) does not match input channels (8)}}
  %0 = qnt.conv2d %x, %w : (tensor<1x4x4x8xf32>, tensor<2x1x1x3xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @conv_grouped_weight_channels(%x: tensor<1x4x4x8xf32>, %w: tensor<4x1x1x8xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op weight input channels times 'groups' (16) does not match input channels (8)}}
  %0 = qnt.conv2d %x, %w groups 2 : (tensor<1x4x4x8xf32>, tensor<4x1x1x8xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @conv_bias_size(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op bias size (3) does not match output channels (2)}}
  %0 = qnt.conv2d %x, %w, %b : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<3xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @conv_groups_do_not_divide_input(%x: tensor<1x4x4x6xf32>, %w: tensor<4x1x1x1xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op input channels (6) is not a multiple of 'groups' (4)}}
  %0 = qnt.conv2d %x, %w groups 4 : (tensor<1x4x4x6xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @conv_groups_do_not_divide_output(%x: tensor<1x4x4x8xf32>, %w: tensor<3x1x1x4xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op output channels (3) is not a multiple of 'groups' (2)}}
  %0 = qnt.conv2d %x, %w groups 2 : (tensor<1x4x4x8xf32>, tensor<3x1x1x4xf32>) -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @conv_empty_kernel(%x: tensor<1x4x4x2xf32>, %w: tensor<2x0x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op expects weight kernel sizes to be >= 1, got 0}}
  %0 = qnt.conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<2x0x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @conv_window_too_large(%x: tensor<1x2x2x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op padded input height (2) is smaller than the dilated window (3)}}
  %0 = qnt.conv2d %x, %w : (tensor<1x2x2x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x1x1x2xf32>
  return
}

// -----

func.func @conv_dilated_window_too_large(%x: tensor<1x8x5x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op padded input width (6) is smaller than the dilated window (7)}}
  %0 = qnt.conv2d %x, %w dilations [3, 3] padding [0, 0, 1, 0] : (tensor<1x8x5x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x2x1x2xf32>
  return
}

// -----

func.func @max_pool_window_too_large(%x: tensor<1x4x4x2xf32>) {
  // expected-error@+1 {{'qnt.max_pool2d' op padded input height (4) is smaller than the dilated window (5)}}
  %0 = qnt.max_pool2d %x kernel [5, 1] : tensor<1x4x4x2xf32> -> tensor<1x1x4x2xf32>
  return
}

// -----

func.func @depthwise_weight_leading_dim(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.depthwise_conv2d' op weight dimension 0 (2) does not match the expected size (1)}}
  %0 = qnt.depthwise_conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @depthwise_multiplier_not_integral(%x: tensor<1x4x4x4xf32>, %w: tensor<1x1x1x6xf32>) {
  // expected-error@+1 {{'qnt.depthwise_conv2d' op weight channels (6) is not a multiple of input channels (4)}}
  %0 = qnt.depthwise_conv2d %x, %w : (tensor<1x4x4x4xf32>, tensor<1x1x1x6xf32>) -> tensor<1x4x4x6xf32>
  return
}

// -----

func.func @depthwise_bias_size(%x: tensor<1x4x4x2xf32>, %w: tensor<1x1x1x4xf32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{'qnt.depthwise_conv2d' op bias size (2) does not match weight channels (4)}}
  %0 = qnt.depthwise_conv2d %x, %w, %b : (tensor<1x4x4x2xf32>, tensor<1x1x1x4xf32>, tensor<2xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @fully_connected_features(%x: tensor<1x4xf32>, %w: tensor<2x5xf32>) {
  // expected-error@+1 {{'qnt.fully_connected' op weight input features (5) does not match input features (4)}}
  %0 = qnt.fully_connected %x, %w : (tensor<1x4xf32>, tensor<2x5xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @fully_connected_bias_size(%x: tensor<1x4xf32>, %w: tensor<2x4xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.fully_connected' op bias size (4) does not match output features (2)}}
  %0 = qnt.fully_connected %x, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<4xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @matmul_ranks_differ(%a: tensor<2x4xf32>, %b: tensor<1x4x3xf32>) {
  // expected-error@+1 {{'qnt.matmul' op rhs rank (3) does not match lhs rank (2)}}
  %0 = qnt.matmul %a, %b : tensor<2x4xf32>, tensor<1x4x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @matmul_batch_differs(%a: tensor<2x2x4xf32>, %b: tensor<3x4x3xf32>) {
  // expected-error@+1 {{'qnt.matmul' op rhs batch dimension 0 (3) does not match lhs batch dimension 0 (2)}}
  %0 = qnt.matmul %a, %b : tensor<2x2x4xf32>, tensor<3x4x3xf32> -> tensor<2x2x3xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<2x4xf32>, %b: tensor<5x3xf32>) {
  // expected-error@+1 {{'qnt.matmul' op rhs rows (5) does not match lhs columns (4)}}
  %0 = qnt.matmul %a, %b : tensor<2x4xf32>, tensor<5x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @batch_norm_channels(%x: tensor<1x4xf32>, %p: tensor<4xf32>, %m: tensor<3xf32>) {
  // expected-error@+1 {{'qnt.batch_norm' op mean size (3) does not match input channels (4)}}
  %0 = qnt.batch_norm %x, %p, %p, %m, %p : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @add_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.add' op operands are not broadcast-compatible: [2, 3] and [4]}}
  %0 = qnt.add %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @mul_not_broadcastable(%a: tensor<2x?xf32>, %b: tensor<3x1xf32>) {
  // expected-error@+1 {{'qnt.mul' op operands are not broadcast-compatible: [2, ?] and [3, 1]}}
  %0 = qnt.mul %a, %b : tensor<2x?xf32>, tensor<3x1xf32> -> tensor<2x?xf32>
  return
}

// -----

func.func @concat_no_inputs() {
  // expected-error@+1 {{'qnt.concat' op expects at least one input}}
  %0 = qnt.concat axis 0 : () -> tensor<1xf32>
  return
}

// -----

func.func @concat_ranks_differ(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) {
  // expected-error@+1 {{'qnt.concat' op input #1 rank (3) does not match input #0 rank (2)}}
  %0 = qnt.concat %a, %b axis 0 : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_dims_differ(%a: tensor<2x3xf32>, %b: tensor<2x?xf32>, %c: tensor<2x4xf32>) {
  // expected-error@+1 {{'qnt.concat' op input #2 dimension 1 (4) does not match the preceding inputs (3)}}
  %0 = qnt.concat %a, %b, %c axis 0 : (tensor<2x3xf32>, tensor<2x?xf32>, tensor<2x4xf32>) -> tensor<6x3xf32>
  return
}

// -----

func.func @reshape_element_count(%x: tensor<2x5xf32>) {
  // expected-error@+1 {{'qnt.reshape' op result element count (12) does not match input element count (10)}}
  %0 = qnt.reshape %x : tensor<2x5xf32> -> tensor<3x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Overflow: huge attributes and sizes are rejected, never wrapped
//===----------------------------------------------------------------------===//

// -----

func.func @conv_padding_overflows(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op shape computation overflows}}
  %0 = qnt.conv2d %x, %w padding [9223372036854775807, 1, 0, 0] : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @conv_dilation_overflows(%x: tensor<1x4x4x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op shape computation overflows}}
  %0 = qnt.conv2d %x, %w dilations [9223372036854775807, 1] : (tensor<1x4x4x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x2x2x2xf32>
  return
}

// -----

func.func @conv_groups_overflow(%x: tensor<1x4x4x0xf32>, %w: tensor<0x1x1x2xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op shape computation overflows}}
  %0 = qnt.conv2d %x, %w groups 4611686018427387904 : (tensor<1x4x4x0xf32>, tensor<0x1x1x2xf32>) -> tensor<1x4x4x0xf32>
  return
}

// -----

func.func @pad_overflows(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.pad' op shape computation overflows}}
  %0 = qnt.pad %x padding [9223372036854775807, 0] : tensor<4xf32> -> tensor<?xf32>
  return
}

// -----

func.func @concat_overflows(%a: tensor<9223372036854775807xf32>, %b: tensor<1xf32>) {
  // expected-error@+1 {{'qnt.concat' op shape computation overflows}}
  %0 = qnt.concat %a, %b axis 0 : (tensor<9223372036854775807xf32>, tensor<1xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @reshape_overflows(%x: tensor<4294967296x4294967296xf32>) {
  // expected-error@+1 {{'qnt.reshape' op shape computation overflows}}
  %0 = qnt.reshape %x : tensor<4294967296x4294967296xf32> -> tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Declared result shape against the inferred one, for every op kind
//===----------------------------------------------------------------------===//

// -----

func.func @conv_result_shape(%x: tensor<1x9x9x3xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error@+1 {{'qnt.conv2d' op result shape [1, 8, 8, 16] does not match the inferred shape [1, 7, 7, 16]}}
  %0 = qnt.conv2d %x, %w : (tensor<1x9x9x3xf32>, tensor<16x3x3x3xf32>) -> tensor<1x8x8x16xf32>
  return
}

// -----

func.func @depthwise_result_shape(%x: tensor<1x4x4x2xf32>, %w: tensor<1x1x1x4xf32>) {
  // expected-error@+1 {{'qnt.depthwise_conv2d' op result shape [1, 4, 4, 2] does not match the inferred shape [1, 4, 4, 4]}}
  %0 = qnt.depthwise_conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<1x1x1x4xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @fully_connected_result_shape(%x: tensor<?x4xf32>, %w: tensor<2x4xf32>) {
  // expected-error@+1 {{'qnt.fully_connected' op result shape [?, 4] does not match the inferred shape [?, 2]}}
  %0 = qnt.fully_connected %x, %w : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @matmul_result_shape(%a: tensor<2x4xf32>, %b: tensor<4x3xf32>) {
  // expected-error@+1 {{'qnt.matmul' op result shape [2, 3, 1] does not match the inferred shape [2, 3]}}
  %0 = qnt.matmul %a, %b : tensor<2x4xf32>, tensor<4x3xf32> -> tensor<2x3x1xf32>
  return
}

// -----

func.func @batch_norm_result_shape(%x: tensor<2x4xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.batch_norm' op result shape [1, 4] does not match the inferred shape [2, 4]}}
  %0 = qnt.batch_norm %x, %p, %p, %p, %p : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @add_result_shape(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'qnt.add' op result shape [2, 1] does not match the inferred shape [2, 3]}}
  %0 = qnt.add %a, %b : tensor<2x1xf32>, tensor<3xf32> -> tensor<2x1xf32>
  return
}

// -----

func.func @mul_result_shape(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'qnt.mul' op result shape [1, 3] does not match the inferred shape [3]}}
  %0 = qnt.mul %a, %b : tensor<3xf32>, tensor<3xf32> -> tensor<1x3xf32>
  return
}

// -----

func.func @max_pool_result_shape(%x: tensor<1x8x8x4xf32>) {
  // expected-error@+1 {{'qnt.max_pool2d' op result shape [1, 4, 4, 4] does not match the inferred shape [1, 7, 7, 4]}}
  %0 = qnt.max_pool2d %x kernel [2, 2] : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @avg_pool_result_shape(%x: tensor<1x8x8x4xf32>) {
  // expected-error@+1 {{'qnt.avg_pool2d' op result shape [1, 8, 8, 4] does not match the inferred shape [1, 4, 4, 4]}}
  %0 = qnt.avg_pool2d %x kernel [2, 2] strides [2, 2] : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
  return
}

// -----

func.func @global_avg_pool_result_shape(%x: tensor<1x8x8x4xf32>) {
  // expected-error@+1 {{'qnt.global_avg_pool' op result shape [1, 4] does not match the inferred shape [1, 1, 1, 4]}}
  %0 = qnt.global_avg_pool %x : tensor<1x8x8x4xf32> -> tensor<1x4xf32>
  return
}

// -----

func.func @pad_result_shape(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'qnt.pad' op result shape [4, 4] does not match the inferred shape [4, 5]}}
  %0 = qnt.pad %x padding [1, 1, 0, 2] : tensor<2x3xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @transpose_result_shape(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'qnt.transpose' op result shape [2, 3] does not match the inferred shape [3, 2]}}
  %0 = qnt.transpose %x permutation [1, 0] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @concat_result_shape(%a: tensor<2x3xf32>, %b: tensor<2x?xf32>) {
  // expected-error@+1 {{'qnt.concat' op result shape [3, 3] does not match the inferred shape [4, 3]}}
  %0 = qnt.concat %a, %b axis 0 : (tensor<2x3xf32>, tensor<2x?xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @softmax_result_shape(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'qnt.softmax' op result shape [3, 2] does not match the inferred shape [2, 3]}}
  %0 = qnt.softmax %x : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}
