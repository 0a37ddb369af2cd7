// RUN: quant-opt %s --split-input-file | quant-opt --split-input-file | FileCheck %s
// RUN: quant-opt %s --split-input-file --mlir-print-op-generic | quant-opt --split-input-file | FileCheck %s

// Round trips of every !qnt.uniform spelling: storage types, narrow ranges,
// omitted zero points, per-axis and per-group forms.

// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: tensor<4x!qnt.uniform<i8:f32, 2.350000e-02:-3>>
// CHECK-SAME: tensor<4x!qnt.uniform<u8:f32, 5.000000e-01:128>>
// CHECK-SAME: tensor<4x!qnt.uniform<i8:f32, 1.000000e+00>>
func.func @per_tensor(%a: tensor<4x!qnt.uniform<i8:f32, 0.0235:-3>>,
                      %b: tensor<4x!qnt.uniform<u8:f32, 0.5:128>>,
                      %c: tensor<4x!qnt.uniform<i8:f32, 1.0:0>>) {
  return
}

// -----

// Every storage type; `si`/`ui` spellings are synonyms of `i`/`u`.
// CHECK-LABEL: func.func @storage_types
// CHECK-SAME: !qnt.uniform<i2:f32, 1.000000e+00>
// CHECK-SAME: !qnt.uniform<u2:f32, 1.000000e+00:3>
// CHECK-SAME: !qnt.uniform<i4:f32, 2.500000e-01:-8>
// CHECK-SAME: !qnt.uniform<u4:f32, 2.500000e-01:15>
// CHECK-SAME: !qnt.uniform<i16:f32, 3.0517578125E-5>
// CHECK-SAME: !qnt.uniform<i32:f32, 1.000000e-03>
// CHECK-SAME: !qnt.uniform<i8:f32, 1.000000e+00>
// CHECK-SAME: !qnt.uniform<u8:f32, 1.000000e+00>
func.func @storage_types(%a: tensor<2x!qnt.uniform<i2:f32, 1.0>>,
                         %b: tensor<2x!qnt.uniform<u2:f32, 1.0:3>>,
                         %c: tensor<2x!qnt.uniform<i4:f32, 0.25:-8>>,
                         %d: tensor<2x!qnt.uniform<u4:f32, 0.25:15>>,
                         %e: tensor<2x!qnt.uniform<i16:f32, 3.0517578125e-05>>,
                         %f: tensor<2x!qnt.uniform<i32:f32, 0.001>>,
                         %g: tensor<2x!qnt.uniform<si8:f32, 1.0>>,
                         %h: tensor<2x!qnt.uniform<ui8:f32, 1.0>>) {
  return
}

// -----

// Narrow range prints only when narrower than the storage type.
// CHECK-LABEL: func.func @narrow_range
// CHECK-SAME: !qnt.uniform<i8<-127:127>:f32, 5.000000e-01>
// CHECK-SAME: !qnt.uniform<i8:f32, 5.000000e-01>
// CHECK-SAME: !qnt.uniform<u8<0:254>:f32, 1.000000e+00:127>
// CHECK-SAME: !qnt.uniform<i4<-7:7>:f32, 1.000000e+00>
func.func @narrow_range(%a: tensor<2x!qnt.uniform<i8<-127:127>:f32, 0.5>>,
                        %b: tensor<2x!qnt.uniform<i8<-128:127>:f32, 0.5>>,
                        %c: tensor<2x!qnt.uniform<u8<0:254>:f32, 1.0:127>>,
                        %d: tensor<2x!qnt.uniform<i4<-7:7>:f32, 1.0>>) {
  return
}

// -----

// CHECK-LABEL: func.func @per_axis
// CHECK-SAME: tensor<3x2x!qnt.uniform<i8:f32:0, {5.000000e-01, 2.500000e-01, 1.000000e+00}>>
// CHECK-SAME: tensor<2x3x!qnt.uniform<u8:f32:1, {5.000000e-01:1, 2.500000e-01:2, 1.000000e+00:3}>>
// CHECK-SAME: tensor<?x3x!qnt.uniform<i8<-127:127>:f32:1, {1.000000e+00, 2.000000e+00, 3.000000e+00}>>
func.func @per_axis(%a: tensor<3x2x!qnt.uniform<i8:f32:0, {0.5:0, 0.25:0, 1.0:0}>>,
                    %b: tensor<2x3x!qnt.uniform<u8:f32:1, {0.5:1, 0.25:2, 1.0:3}>>,
                    %c: tensor<?x3x!qnt.uniform<i8<-127:127>:f32:1, {1.0, 2.0, 3.0}>>) {
  return
}

// -----

// Per group: [2, 64] with groups of 32 along axis 1 has 2 * 2 scales.
// CHECK-LABEL: func.func @per_group
// CHECK-SAME: tensor<2x64x!qnt.uniform<i4:f32:1 group 32, {5.000000e-01, 2.500000e-01, 1.000000e+00:1, 2.000000e+00}>>
// CHECK-SAME: tensor<8x!qnt.uniform<u4:f32:0 group 4, {1.000000e+00:8, 2.000000e+00:8}>>
func.func @per_group(%a: tensor<2x64x!qnt.uniform<i4:f32:1 group 32, {0.5, 0.25, 1.0:1, 2.0}>>,
                     %b: tensor<8x!qnt.uniform<u4:f32:0 group 4, {1.0:8, 2.0:8}>>) {
  return
}

// -----

// Other float expressed types.
// CHECK-LABEL: func.func @expressed_types
// CHECK-SAME: !qnt.uniform<i8:f16, 1.250000e-01>
// CHECK-SAME: !qnt.uniform<i8:bf16, 1.250000e-01>
// CHECK-SAME: !qnt.uniform<i8:f64, 1.250000e-01>
func.func @expressed_types(%a: tensor<2x!qnt.uniform<i8:f16, 0.125>>,
                           %b: tensor<2x!qnt.uniform<i8:bf16, 0.125>>,
                           %c: tensor<2x!qnt.uniform<i8:f64, 0.125>>) {
  return
}

// -----

// Scales print in the shortest form that parses back to the same double.
// CHECK-LABEL: func.func @exact_scales
// CHECK-SAME: !qnt.uniform<i8:f32, 1.000000e-01>
// CHECK-SAME: !qnt.uniform<i8:f32, 0.0039215686274509803:-128>
func.func @exact_scales(%a: tensor<2x!qnt.uniform<i8:f32, 0.1>>,
                        %b: tensor<2x!qnt.uniform<i8:f32, 0.0039215686274509803:-128>>) {
  return
}
