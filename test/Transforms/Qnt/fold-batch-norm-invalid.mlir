// RUN: quant-opt %s --split-input-file --qnt-fold-batch-norm -verify-diagnostics

// Constant parameters that make a batch norm undefined are errors at the
// batch norm, all of them reported before anything is rewritten; the pass
// fails.

// sqrt(-1 + 1e-5) does not exist.
func.func @negative_variance(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %var = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  // expected-error@+1 {{'qnt.batch_norm' op variance + epsilon must be positive and finite, got -1.000000e+00 + 1.000000e-05 at channel 1}}
  %0 = qnt.batch_norm %x, %p, %p, %p, %var : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

// variance + epsilon = 0 divides by zero; an infinite variance is no
// better. Both batch norms are reported; the layer before the first one
// does not change that.
func.func @zero_and_infinite(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %minus_one = arith.constant dense<-1.0> : tensor<2xf32>
  %inf = arith.constant dense<[1.0, 0x7F800000]> : tensor<2xf32>
  %0 = qnt.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  // expected-error@+1 {{variance + epsilon must be positive and finite, got -1.000000e+00 + 1.000000e+00 at channel 0}}
  %1 = qnt.batch_norm %0, %p, %p, %p, %minus_one epsilon 1.0 : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  // expected-error@+1 {{variance + epsilon must be positive and finite, got INF}}
  %2 = qnt.batch_norm %x, %p, %p, %p, %inf : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %1, %2 : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// gamma, beta and mean must be finite too.
func.func @nan_gamma(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %nan = arith.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  // expected-error@+1 {{'qnt.batch_norm' op 'gamma' is not finite (nan) at channel 0}}
  %0 = qnt.batch_norm %x, %nan, %p, %p, %p : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

func.func @infinite_mean(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %inf = arith.constant dense<[1.0, 0xFF800000]> : tensor<2xf32>
  // expected-error@+1 {{'mean' is not finite}}
  %0 = qnt.batch_norm %x, %p, %p, %inf, %p : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
