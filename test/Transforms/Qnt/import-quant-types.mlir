// RUN: quant-opt %s --split-input-file --qnt-import-quant-types | FileCheck %s
// Round trip: importing then exporting gives back the upstream program.
// RUN: quant-opt %s --split-input-file --qnt-import-quant-types --qnt-export-quant-types | FileCheck %s --check-prefix=BACK

// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>) -> tensor<2x3x!qnt.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: %[[Q:.*]] = qnt.quantize %[[X]] : tensor<2x3xf32> to tensor<2x3x!qnt.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: return %[[Q]]
// BACK-LABEL: func.func @per_tensor
// BACK-SAME: -> tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// BACK: quant.qcast %{{.*}} : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>
func.func @per_tensor(%x: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>> {
  %q = quant.qcast %x : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>
  return %q : tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>
}

// -----

// Unsigned storage, narrow ranges and per-axis parameters carry over.
// CHECK-LABEL: func.func @per_axis
// CHECK-SAME: tensor<3x2x!qnt.uniform<i8<-127:127>:f32:0, {5.000000e-01, 2.500000e-01, 1.000000e+00}>>
// CHECK-SAME: tensor<4x!qnt.uniform<u8:f32, 1.000000e+00:128>>
// CHECK: qnt.dequantize %{{.*}} : tensor<3x2x!qnt.uniform<i8<-127:127>:f32:0, {{.*}}>> to tensor<3x2xf32>
// CHECK: qnt.storage_cast %{{.*}} : tensor<4x!qnt.uniform<u8:f32, 1.000000e+00:128>> to tensor<4xi8>
// BACK-LABEL: func.func @per_axis
// BACK-SAME: tensor<3x2x!quant.uniform<i8<-127:127>:f32:0, {5.000000e-01,2.500000e-01,1.000000e+00}>>
// BACK-SAME: tensor<4x!quant.uniform<u8:f32, 1.000000e+00:128>>
// BACK: quant.dcast
// BACK: quant.scast
func.func @per_axis(%w: tensor<3x2x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 1.0}>>,
                    %a: tensor<4x!quant.uniform<u8:f32, 1.0:128>>) -> (tensor<3x2xf32>, tensor<4xi8>) {
  %f = quant.dcast %w : tensor<3x2x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 1.0}>> to tensor<3x2xf32>
  %s = quant.scast %a : tensor<4x!quant.uniform<u8:f32, 1.0:128>> to tensor<4xi8>
  return %f, %s : tensor<3x2xf32>, tensor<4xi8>
}

// -----

// Types nested anywhere (other dialects' ops, block arguments) are converted.
// CHECK-LABEL: func.func @nested
// CHECK: tensor.empty() : tensor<2x!qnt.uniform<i4:f32, 1.000000e+00>>
// CHECK: ^bb1(%{{.*}}: tensor<2x!qnt.uniform<i4:f32, 1.000000e+00>>)
func.func @nested() -> tensor<2x!quant.uniform<i4:f32, 1.0>> {
  %e = tensor.empty() : tensor<2x!quant.uniform<i4:f32, 1.0>>
  cf.br ^bb1(%e : tensor<2x!quant.uniform<i4:f32, 1.0>>)
^bb1(%a: tensor<2x!quant.uniform<i4:f32, 1.0>>):
  return %a : tensor<2x!quant.uniform<i4:f32, 1.0>>
}
