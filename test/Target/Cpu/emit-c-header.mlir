// --emit-c-header describes the entry point of a tensor-level model; a C
// program includes it, links the object --emit-obj wrote, and runs.
// RUN: rm -rf %t && mkdir -p %t
// RUN: quant-translate --emit-c-header %s -o %t/model.h
// RUN: FileCheck %s --input-file=%t/model.h
// CHECK: typedef struct {
// CHECK-NEXT:   int8_t *allocated;
// CHECK: } matmul_i8_arg0_t;
// CHECK: #define MATMUL_I8_ARG0_RANK 2
// CHECK: static const int64_t MATMUL_I8_ARG0_SHAPE[2] = {4, 8};
// CHECK: } matmul_i8_result0_t;
// CHECK: #define MATMUL_I8_ARENA_SIZE 64
// CHECK: extern const int64_t matmul_i8_arena_size;
// CHECK: void _mlir_ciface_matmul_i8(matmul_i8_arg0_t *arg0, matmul_i8_arg1_t *arg1, matmul_i8_result0_t *result0, matmul_i8_arena_t *arena);
// CHECK: static inline void matmul_i8_run(const int8_t *arg0, const int8_t *arg1, int32_t *result0, void *arena)
// RUN: quant-opt %s --qnt-loops-to-llvm | quant-translate --emit-obj -o %t/model.o
// RUN: %clang -I%t %S/Inputs/call-matmul-header.c %t/model.o -o %t/run
// RUN: %t/run | FileCheck %s --check-prefix=EXE
// EXE: i8: ok
//
// Dynamic shapes cannot be described: a located error.
// RUN: not quant-translate --emit-c-header %S/Inputs/dynamic.mlir 2>&1 | FileCheck %s --check-prefix=DYN
// DYN: dynamic.mlir:1:1: error: --emit-c-header needs static tensor arguments and results
func.func @matmul_i8(%x: tensor<4x8xi8>, %w: tensor<8x3xi8>) -> tensor<4x3xi32> attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : i32
  %c0i8 = arith.constant 0 : i8
  %e = tensor.empty() : tensor<4x3xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<4x3xi32>) -> tensor<4x3xi32>
  %p = tensor.pad %x low[0, 1] high[0, 1] { ^bb0(%i: index, %j: index): tensor.yield %c0i8 : i8 } : tensor<4x8xi8> to tensor<4x10xi8>
  %s = tensor.extract_slice %p[0, 1] [4, 8] [1, 1] : tensor<4x10xi8> to tensor<4x8xi8>
  %r = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%s, %w : tensor<4x8xi8>, tensor<8x3xi8>) outs(%f : tensor<4x3xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %a32 = arith.extsi %a : i8 to i32
    %b32 = arith.extsi %b : i8 to i32
    %m = arith.muli %a32, %b32 : i32
    %t = arith.addi %acc, %m : i32
    linalg.yield %t : i32
  } -> tensor<4x3xi32>
  return %r : tensor<4x3xi32>
}
