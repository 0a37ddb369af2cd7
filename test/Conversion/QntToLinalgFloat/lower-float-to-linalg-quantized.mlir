// RUN: quant-opt %s --qnt-lower-float-to-linalg | FileCheck %s
// RUN: quant-opt %s --qnt-lower-float-to-linalg --qnt-lower-to-integer --canonicalize --qnt-lower-to-arith --canonicalize | FileCheck %s --check-prefix=BOTH
// RUN: quant-opt %s --qnt-lower-to-integer --qnt-lower-float-to-linalg --canonicalize --qnt-lower-to-arith --canonicalize | FileCheck %s --check-prefix=BOTH

// Quantized graph ops and the casts at the float edges are left for
// qnt-lower-to-integer; only the float ops around them are lowered. The
// float pass may run before or after qnt-lower-to-integer, but before
// qnt-lower-to-arith, which reports any qnt op still there; together they
// leave none.

!u8 = !qnt.uniform<u8:f32, 0.05:128>
!w8 = !qnt.uniform<i8<-127:127>:f32, 0.02>
!y8 = !qnt.uniform<u8:f32, 0.1:0>

// CHECK-LABEL: func.func @mixed
// CHECK: linalg.generic
// CHECK: arith.cmpf olt
// CHECK: %[[Q:.*]] = qnt.quantize %{{.*}} : tensor<1x8xf32> to tensor<1x8x!qnt.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: %[[FC:.*]] = qnt.fully_connected %[[Q]], %{{.*}} : (tensor<1x8x!qnt.uniform
// CHECK: %[[R:.*]] = qnt.relu %[[FC]] : tensor<1x4x!qnt.uniform
// CHECK: %[[D:.*]] = qnt.dequantize %[[R]]
// CHECK-NOT: qnt.softmax
// CHECK: linalg.generic {{.*}} ins(%[[D]] :
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK-NOT: qnt.

// BOTH-LABEL: func.func @mixed
// BOTH-NOT: qnt.
// BOTH: math.exp
// BOTH-NOT: qnt.
func.func @mixed(%x: tensor<1x8xf32>) -> tensor<1x4xf32> {
  %r0 = qnt.relu %x : tensor<1x8xf32> -> tensor<1x8xf32>
  %q = qnt.quantize %r0 : tensor<1x8xf32> to tensor<1x8x!u8>
  %wc = arith.constant dense<3> : tensor<4x8xi8>
  %w = qnt.storage_cast %wc : tensor<4x8xi8> to tensor<4x8x!w8>
  %fc = qnt.fully_connected %q, %w : (tensor<1x8x!u8>, tensor<4x8x!w8>) -> tensor<1x4x!y8>
  %r = qnt.relu %fc : tensor<1x4x!y8> -> tensor<1x4x!y8>
  %d = qnt.dequantize %r : tensor<1x4x!y8> to tensor<1x4xf32>
  %s = qnt.softmax %d : tensor<1x4xf32> -> tensor<1x4xf32>
  return %s : tensor<1x4xf32>
}
