// RUN: quant-opt %s --qnt-storage-boundary --split-input-file --verify-diagnostics | FileCheck %s

// Quantized edges take their signless storage integers; the body still sees
// the quantized type and `qnt.type` remembers it. Inputs are read-only to
// bufferization.
// CHECK-LABEL: func.func @edges
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xi8> {bufferization.writable = false, qnt.type = tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-01:128>>}, %[[F:.*]]: tensor<4xf32> {bufferization.writable = false})
// CHECK-SAME: -> (tensor<2x3xi8> {qnt.type = tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-01:128>>}, tensor<4xf32>)
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: %[[Q:.*]] = qnt.storage_cast %[[X]] : tensor<2x3xi8> to tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-01:128>>
// CHECK: %[[R:.*]] = qnt.relu %[[Q]]
// CHECK: %[[S:.*]] = qnt.storage_cast %[[R]] : tensor<2x3x!qnt.uniform<u8:f32, 5.000000e-01:128>> to tensor<2x3xi8>
// CHECK: return %[[S]], %[[F]]
func.func @edges(%x: tensor<2x3x!qnt.uniform<u8:f32, 0.5:128>>, %f: tensor<4xf32>)
    -> (tensor<2x3x!qnt.uniform<u8:f32, 0.5:128>>, tensor<4xf32>) {
  %r = qnt.relu %x : tensor<2x3x!qnt.uniform<u8:f32, 0.5:128>> -> tensor<2x3x!qnt.uniform<u8:f32, 0.5:128>>
  return %r, %f : tensor<2x3x!qnt.uniform<u8:f32, 0.5:128>>, tensor<4xf32>
}

// -----

// 16- and 32-bit storage, per-axis parameters; an argument returned as is.
// CHECK-LABEL: func.func @wide
// CHECK-SAME: (%[[X:.*]]: tensor<4xi16> {bufferization.writable = false, qnt.type = {{.*}}}) -> (tensor<4xi16> {qnt.type = {{.*}}})
// CHECK: %[[Q:.*]] = qnt.storage_cast %[[X]]
// CHECK: %[[S:.*]] = qnt.storage_cast %[[Q]]
// CHECK: return %[[S]]
func.func @wide(%x: tensor<4x!qnt.uniform<i16:f32:0, {0.5, 0.25, 0.125, 1.0}>>)
    -> tensor<4x!qnt.uniform<i16:f32:0, {0.5, 0.25, 0.125, 1.0}>> {
  return %x : tensor<4x!qnt.uniform<i16:f32:0, {0.5, 0.25, 0.125, 1.0}>>
}

// -----

// Declarations have nothing to rewrite.
// CHECK-LABEL: func.func private @external
// CHECK-SAME: !qnt.uniform
func.func private @external(tensor<4x!qnt.uniform<u8:f32, 0.5>>)

// -----

// Sub-byte storage has no C element type.
// expected-error @+1 {{argument 0 has 4-bit storage}}
func.func @nibbles(%x: tensor<4x!qnt.uniform<i4:f32, 0.5>>) -> tensor<4x!qnt.uniform<i4:f32, 0.5>> {
  return %x : tensor<4x!qnt.uniform<i4:f32, 0.5>>
}
