// RUN: quant-opt %s --split-input-file --qnt-import-quant-types -verify-diagnostics

// Upstream types without a qnt equivalent are reported where they are used.

// expected-error@+1 {{'!quant.uniform<i8:f32:{0:1, 1:2}, }}
func.func @sub_channel(%x: tensor<2x4x!quant.uniform<i8:f32:{0:1, 1:2}, {{2.0, 3.0}}>>) {
  return
}

// -----

func.func @calibrated(%x: tensor<4xf32>) {
  // expected-error@+1 {{'!quant.calibrated<f32<-1.000000e+00:1.000000e+00>>' has no qnt equivalent}}
  %c = tensor.empty() : tensor<4x!quant.calibrated<f32<-1.0:1.0>>>
  return
}

// -----

// Upstream accepts 3-bit storage; qnt does not.
// expected-error@+1 {{'!quant.uniform<i3:f32, 1.000000e+00>' has no qnt equivalent}}
func.func @odd_width(%x: tensor<4x!quant.uniform<i3:f32, 1.0>>) {
  return
}

// -----

// Upstream casts also work on scalars; qnt casts need ranked tensors.
func.func @scalar_cast(%x: f32) {
  // expected-error@+1 {{qnt casts need ranked tensors, got 'f32' to '!quant.uniform<i8:f32, 1.000000e+00>'}}
  %q = quant.qcast %x : f32 to !quant.uniform<i8:f32, 1.0>
  return
}
