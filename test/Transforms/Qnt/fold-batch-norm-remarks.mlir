// RUN: quant-opt %s --split-input-file --qnt-fold-batch-norm -verify-diagnostics | FileCheck %s

// Batch norms the pass must leave alone: each gets one remark saying why,
// and the IR keeps the batch norm and its producer unchanged.

// The conv's result is also returned: folding would change that value.
// CHECK-LABEL: func.func @shared_producer
// CHECK: %[[Y:.*]] = qnt.conv2d %{{.*}}, %{{.*}}, %{{.*}} :
// CHECK: %[[N:.*]] = qnt.batch_norm %[[Y]]
// CHECK: return %[[Y]], %[[N]]
func.func @shared_producer(%x: tensor<1x2x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x1x1x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %0 = qnt.conv2d %x, %w, %p : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  // expected-remark@+1 {{batch norm not folded: its producer 'qnt.conv2d' has other users, whose values folding would change}}
  %1 = qnt.batch_norm %0, %p, %p, %p, %p : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %0, %1 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// Two batch norms on one fully_connected: neither may fold.
// CHECK-LABEL: func.func @two_batch_norms
// CHECK-COUNT-2: qnt.batch_norm
func.func @two_batch_norms(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %q = arith.constant dense<2.0> : tensor<2xf32>
  %0 = qnt.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  // expected-remark@+1 {{its producer 'qnt.fully_connected' has other users}}
  %1 = qnt.batch_norm %0, %p, %p, %p, %p : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  // expected-remark@+1 {{its producer 'qnt.fully_connected' has other users}}
  %2 = qnt.batch_norm %0, %q, %q, %q, %q : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %1, %2 : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// Parameters that are not constants (after a layer or not): no scale can be
// computed at compile time.
// CHECK-LABEL: func.func @non_constant_parameters
// CHECK-COUNT-2: qnt.batch_norm
func.func @non_constant_parameters(%x: tensor<1x2xf32>, %gamma: tensor<2xf32>, %var: tensor<2xf32>)
    -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %0 = qnt.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  // expected-remark@+1 {{batch norm not folded: 'gamma' is not a constant}}
  %1 = qnt.batch_norm %0, %gamma, %p, %p, %p : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  // expected-remark@+1 {{batch norm not folded: 'variance' is not a constant}}
  %2 = qnt.batch_norm %x, %p, %p, %p, %var : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %1, %2 : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// Folding would overflow f32: 3e38 * f with f = 4 / sqrt(0 + 1) = 4.
// CHECK-LABEL: func.func @overflow
// CHECK: qnt.fully_connected
// CHECK: qnt.batch_norm
func.func @overflow(%x: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %w = arith.constant dense<3.0e38> : tensor<1x1xf32>
  %four = arith.constant dense<4.0> : tensor<1xf32>
  %zero = arith.constant dense<0.0> : tensor<1xf32>
  %0 = qnt.fully_connected %x, %w : (tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<1x1xf32>
  // expected-remark@+1 {{batch norm not folded: the folded weights or bias would not be finite in f32}}
  %1 = qnt.batch_norm %0, %four, %zero, %zero, %zero epsilon 1.0 : (tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  return %1 : tensor<1x1xf32>
}

// -----

// The scale of a decomposition would overflow f32: 1e30 / sqrt(1e-30).
// CHECK-LABEL: func.func @scale_overflow
// CHECK: qnt.batch_norm
func.func @scale_overflow(%x: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %gamma = arith.constant dense<1.0e30> : tensor<1xf32>
  %zero = arith.constant dense<0.0> : tensor<1xf32>
  // expected-remark@+1 {{batch norm not folded: its scale or shift would not be finite in f32}}
  %0 = qnt.batch_norm %x, %gamma, %zero, %zero, %zero epsilon 1.0e-30 : (tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

// Only f32 is rewritten (constants are read and written as f32).
// CHECK-LABEL: func.func @f16
// CHECK: qnt.batch_norm
func.func @f16(%x: tensor<1x2xf16>) -> tensor<1x2xf16> {
  %p = arith.constant dense<1.0> : tensor<2xf16>
  // expected-remark@+1 {{batch norm not folded: only f32 batch norms are rewritten}}
  %0 = qnt.batch_norm %x, %p, %p, %p, %p : (tensor<1x2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>) -> tensor<1x2xf16>
  return %0 : tensor<1x2xf16>
}

// -----

// With a dynamic channel dimension the verifier cannot compare the
// parameter sizes; the pass does.
// CHECK-LABEL: func.func @parameter_sizes_differ
// CHECK: qnt.batch_norm
func.func @parameter_sizes_differ(%x: tensor<1x?xf32>) -> tensor<1x?xf32> {
  %two = arith.constant dense<1.0> : tensor<2xf32>
  %three = arith.constant dense<1.0> : tensor<3xf32>
  // expected-remark@+1 {{batch norm not folded: gamma, beta, mean and variance differ in size}}
  %0 = qnt.batch_norm %x, %two, %three, %two, %two : (tensor<1x?xf32>, tensor<2xf32>, tensor<3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x?xf32>
  return %0 : tensor<1x?xf32>
}
