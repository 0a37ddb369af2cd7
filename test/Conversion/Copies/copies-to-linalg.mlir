// RUN: quant-opt %s --split-input-file --qnt-copies-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @copy
// CHECK-SAME: (%[[A:.*]]: memref<4x8xi8>, %[[B:.*]]: memref<4x8xi8>)
// CHECK-NEXT: linalg.copy ins(%[[A]] : memref<4x8xi8>) outs(%[[B]] : memref<4x8xi8>)
// CHECK-NOT: memref.copy
func.func @copy(%a: memref<4x8xi8>, %b: memref<4x8xi8>) {
  memref.copy %a, %b : memref<4x8xi8> to memref<4x8xi8>
  return
}

// -----

// Strided views (what bufferized tensor.pad writes into) are copied too.
// CHECK-LABEL: func.func @strided
// CHECK: %[[V:.*]] = memref.subview
// CHECK: linalg.copy ins(%{{.*}} : memref<2x3xi32>) outs(%[[V]] : memref<2x3xi32, strided<[5, 1], offset: 6>>)
func.func @strided(%a: memref<2x3xi32>, %b: memref<4x5xi32>) {
  %v = memref.subview %b[1, 1] [2, 3] [1, 1] : memref<4x5xi32> to memref<2x3xi32, strided<[5, 1], offset: 6>>
  memref.copy %a, %v : memref<2x3xi32> to memref<2x3xi32, strided<[5, 1], offset: 6>>
  return
}

// -----

// Functions without copies are unchanged.
// CHECK-LABEL: func.func @none
// CHECK-NEXT: return
func.func @none() {
  return
}
