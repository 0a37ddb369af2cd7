// Integer-only IR (linalg on tensors, tensor.pad/extract_slice, an i8 x i8
// -> i32 accumulation) through --qnt-loops-to-llvm and --emit-obj, linked
// with a C driver that checks every output against a plain C loop.
// RUN: quant-opt %s --qnt-loops-to-llvm | quant-translate --emit-obj -o %t.o
// RUN: %clang %S/Inputs/call-matmul.c %t.o -o %t.exe
// RUN: %t.exe | FileCheck %s
// CHECK: 12 of 12 outputs match
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
