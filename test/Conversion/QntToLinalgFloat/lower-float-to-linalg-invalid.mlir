// RUN: quant-opt %s --split-input-file --qnt-lower-float-to-linalg -verify-diagnostics

// Float ops the lowering does not cover are reported, each with the reason
// its pattern gave.

// Window geometry and pooling divisors are computed at compile time.
func.func @dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'qnt.relu' cannot be lowered to linalg on floats: dynamic shapes are not supported}}
  %y = qnt.relu %x : tensor<?x8xf32> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Padding as large as the kernel can leave a window without a real input
// position; the reference kernels reject it too.
func.func @max_pool_padding(%x: tensor<1x4x4x2xf32>) -> tensor<1x5x4x2xf32> {
  // expected-error@+1 {{'qnt.max_pool2d' cannot be lowered to linalg on floats: padding must be smaller than the kernel}}
  %y = qnt.max_pool2d %x kernel [2, 1] padding [2, 0, 0, 0] : tensor<1x4x4x2xf32> -> tensor<1x5x4x2xf32>
  return %y : tensor<1x5x4x2xf32>
}

// -----

// Two problems in one function: both are reported.
func.func @two(%x: tensor<1x4x4x2xf32>, %d: tensor<?x2xf32>) -> (tensor<1x4x6x2xf32>, tensor<1x4x4x2xf32>, tensor<?x2xf32>) {
  // expected-error@+1 {{'qnt.avg_pool2d' cannot be lowered to linalg on floats: padding must be smaller than the kernel}}
  %a = qnt.avg_pool2d %x kernel [1, 2] padding [0, 0, 2, 1] : tensor<1x4x4x2xf32> -> tensor<1x4x6x2xf32>
  %r = qnt.relu6 %x : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  // expected-error@+1 {{'qnt.softmax' cannot be lowered to linalg on floats: dynamic shapes are not supported}}
  %s = qnt.softmax %d : tensor<?x2xf32> -> tensor<?x2xf32>
  return %a, %r, %s : tensor<1x4x6x2xf32>, tensor<1x4x4x2xf32>, tensor<?x2xf32>
}

// -----

// The verifier lets an empty input through; the reference rejects it.
func.func @pool_no_pixels(%x: tensor<1x0x4x2xf32>) -> tensor<1x1x4x2xf32> {
  // expected-error@+1 {{'qnt.avg_pool2d' cannot be lowered to linalg on floats: input has no pixels}}
  %y = qnt.avg_pool2d %x kernel [2, 1] padding [1, 1, 0, 0] : tensor<1x0x4x2xf32> -> tensor<1x1x4x2xf32>
  return %y : tensor<1x1x4x2xf32>
}

// -----

func.func @depthwise_no_channels(%x: tensor<1x4x4x0xf32>, %w: tensor<1x3x3x0xf32>) -> tensor<1x2x2x0xf32> {
  // expected-error@+1 {{'qnt.depthwise_conv2d' cannot be lowered to linalg on floats: input has no channels}}
  %y = qnt.depthwise_conv2d %x, %w : (tensor<1x4x4x0xf32>, tensor<1x3x3x0xf32>) -> tensor<1x2x2x0xf32>
  return %y : tensor<1x2x2x0xf32>
}
