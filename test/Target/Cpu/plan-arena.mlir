// RUN: quant-opt %s --split-input-file --qnt-plan-arena | FileCheck %s

// Three 64-byte buffers with lifetimes a: [alloc a, copy a->b], b: [alloc
// b, copy b->c], c: [alloc c, copy c->out]. a and b overlap, b and c
// overlap, a and c do not: c reuses a's slot and the arena is 128 bytes.
// The arena is the last argument, its size a function attribute and an
// exported constant.
// CHECK: memref.global "public" constant @chain_arena_size : memref<i64> = dense<128>
// CHECK-LABEL: func.func @chain
// CHECK-SAME: %[[ARENA:[a-z0-9]+]]: memref<128xi8> {qnt.arena}
// CHECK-SAME: qnt.arena_size = 128 : i64
// CHECK-NOT: memref.alloc
// CHECK: %[[A:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[ARENA]][%[[A]]][] : memref<128xi8> to memref<16xi32>
// CHECK: %[[B:.*]] = arith.constant 64 : index
// CHECK: memref.view %[[ARENA]][%[[B]]][] : memref<128xi8> to memref<16xi32>
// CHECK: %[[C:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[ARENA]][%[[C]]][] : memref<128xi8> to memref<16xi32>
func.func @chain(%in: memref<16xi32>, %out: memref<16xi32>) {
  %a = memref.alloc() : memref<16xi32>
  memref.copy %in, %a : memref<16xi32> to memref<16xi32>
  %b = memref.alloc() : memref<16xi32>
  memref.copy %a, %b : memref<16xi32> to memref<16xi32>
  %c = memref.alloc() : memref<16xi32>
  memref.copy %b, %c : memref<16xi32> to memref<16xi32>
  memref.copy %c, %out : memref<16xi32> to memref<16xi32>
  return
}

// -----

// A view keeps its buffer alive: %a is used through %e after %b is made,
// so they must not share memory (two distinct 64-byte slots).
// CHECK-LABEL: func.func @alias
// CHECK-SAME: memref<128xi8> {qnt.arena}
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: memref.view %{{.*}}[%[[C0]]]
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: memref.view %{{.*}}[%[[C64]]]
func.func @alias(%in: memref<16xi32>, %out: memref<4x4xi32>) {
  %a = memref.alloc() : memref<16xi32>
  memref.copy %in, %a : memref<16xi32> to memref<16xi32>
  %e = memref.expand_shape %a [[0, 1]] output_shape [4, 4] : memref<16xi32> into memref<4x4xi32>
  %b = memref.alloc() : memref<16xi32>
  memref.copy %in, %b : memref<16xi32> to memref<16xi32>
  memref.copy %e, %out : memref<4x4xi32> to memref<4x4xi32>
  memref.copy %b, %in : memref<16xi32> to memref<16xi32>
  return
}

// -----

// A returned buffer escapes and a dynamic one has no size: both stay
// allocations (the deallocation pipeline handles them); the arena is empty.
// CHECK-LABEL: func.func @escapes
// CHECK-SAME: memref<0xi8> {qnt.arena}
// CHECK: memref.alloc() : memref<16xi32>
// CHECK: memref.alloc(%{{.*}}) : memref<?xi32>
func.func @escapes(%n: index) -> memref<16xi32> {
  %a = memref.alloc() : memref<16xi32>
  %d = memref.alloc(%n) : memref<?xi32>
  memref.dealloc %d : memref<?xi32>
  return %a : memref<16xi32>
}

// -----

// Only entry points get an arena: a function something calls keeps its
// signature and its allocations.
// CHECK-LABEL: func.func private @callee
// CHECK-SAME: (%{{.*}}: memref<4xi32>)
// CHECK: memref.alloc
// CHECK-LABEL: func.func @caller
// CHECK-SAME: {qnt.arena}
func.func private @callee(%x: memref<4xi32>) {
  %a = memref.alloc() : memref<4xi32>
  memref.copy %x, %a : memref<4xi32> to memref<4xi32>
  return
}
func.func @caller(%x: memref<4xi32>) {
  func.call @callee(%x) : (memref<4xi32>) -> ()
  return
}
