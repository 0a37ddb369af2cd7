// RUN: quant-opt %s --split-input-file --qnt-export-quant-types -verify-diagnostics

// expected-error@+1 {{'!qnt.uniform<i4:f32:1 group 2, {1.000000e+00, 2.000000e+00}>' has no upstream quant equivalent}}
func.func @per_group(%x: tensor<1x4x!qnt.uniform<i4:f32:1 group 2, {1.0, 2.0}>>) {
  return
}

// -----

// Graph ops on quantized tensors must be lowered first.
func.func @graph_op(%x: tensor<4x!qnt.uniform<i8:f32, 1.0>>) -> tensor<4x!qnt.uniform<i8:f32, 1.0>> {
  // expected-error@+1 {{'qnt.relu' on quantized tensors has no upstream quant equivalent; lower it before exporting}}
  %y = qnt.relu %x : tensor<4x!qnt.uniform<i8:f32, 1.0>> -> tensor<4x!qnt.uniform<i8:f32, 1.0>>
  return %y : tensor<4x!qnt.uniform<i8:f32, 1.0>>
}
