// RUN: quant-opt %s --split-input-file --qnt-quantize -verify-diagnostics
// RUN: not quant-opt %s --split-input-file --qnt-quantize="activations=u16" 2>&1 | FileCheck %s --check-prefix=ACT
// RUN: not quant-opt %s --split-input-file --qnt-quantize="weight-bits=9" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not quant-opt %s --split-input-file --qnt-quantize="granularity=per-row" 2>&1 | FileCheck %s --check-prefix=GRAN
// RUN: not quant-opt %s --split-input-file --qnt-quantize="rounding=tosa_single" 2>&1 | FileCheck %s --check-prefix=ROUND
// ACT: error: activations must be u8 or i8, got 'u16'
// BITS: error: weight-bits must be between 2 and 8, got 9
// GRAN: error: granularity must be per-channel, per-tensor or per-group, got 'per-row'
// ROUND: error: rounding must be gemmlowp or half_even, got 'tosa_single'

// Every problem is reported at once: a missing range, a batch norm.
// expected-error@+2 {{argument #0 has no range: run qnt-propagate-ranges (with calibration=... or a qnt.range on the arguments) first}}
// expected-error@+1 {{argument #1 has no range}}
func.func @problems(%x: tensor<1x2xf32>, %g: tensor<2xf32>) -> tensor<1x2xf32> {
  // expected-error@+1 {{qnt.batch_norm cannot be quantized; fold it into the preceding layer first (qnt-fold-batch-norm)}}
  %b = qnt.batch_norm %x, %g, %g, %g, %g : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %b : tensor<1x2xf32>
}

// -----

func.func @no_range(%x: tensor<4xf32> {qnt.range = #qnt.range<0.0, 1.0>}) -> tensor<4xf32> {
  // expected-error@+1 {{this value has no range}}
  %y = qnt.relu %x : tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// expected-error@+1 {{argument #1 has no range}}
func.func @weights_not_constant(%x: tensor<1x2xf32> {qnt.range = #qnt.range<0.0, 1.0>}, %w: tensor<2x2xf32>) -> tensor<1x2xf32> {
  // expected-error@+1 {{operand #1 (weight or bias) must be a constant to be quantized}}
  %y = qnt.fully_connected %x, %w {qnt.range = #qnt.range<0.0, 1.0>} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @foreign_float_op(%x: tensor<4xf32> {qnt.range = #qnt.range<0.0, 1.0>}) -> tensor<4xf32> {
  // expected-error@+1 {{'arith.addf' on float tensors cannot be quantized}}
  %y = arith.addf %x, %x : tensor<4xf32>
  return %y : tensor<4xf32>
}
