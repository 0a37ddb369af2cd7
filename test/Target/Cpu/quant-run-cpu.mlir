// quant-run --target=cpu compiles the model for the host (JIT) and runs it
// with the same interface as --target=ref; the results are identical.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python3 -c "import numpy as np; r = np.random.default_rng(1); np.save('%t/x.npy', r.integers(-128, 128, (4, 8)).astype(np.int8)); np.save('%t/w.npy', r.integers(-128, 128, (8, 3)).astype(np.int8))"
// RUN: quant-run %s --target=ref --input %t/x.npy --input %t/w.npy --output-dir %t/ref
// RUN: quant-run %s --target=cpu --input %t/x.npy --input %t/w.npy --output-dir %t/cpu --bench 100 | FileCheck %s
// CHECK: bench: 100 runs, {{[0-9.]+}} us per inference
// CHECK: output0: i32[4x3]
// RUN: quant-compare %t/ref/output0.npy %t/cpu/output0.npy --exact
//
// A float qnt model compiles too (qnt-lower-float-to-linalg): same results
// as the reference interpreter, up to float rounding.
// RUN: %python3 -c "import numpy as np; np.save('%t/f.npy', np.array([-1, 0.5, 2, 3], dtype=np.float32))"
// RUN: quant-run %S/Inputs/float-model.mlir --target=cpu --input %t/f.npy --output-dir %t/fc
// RUN: quant-run %S/Inputs/float-model.mlir --input %t/f.npy --output-dir %t/fr
// RUN: quant-compare %t/fr/output0.npy %t/fc/output0.npy --max-abs-error 1e-6
func.func @matmul_i8(%x: tensor<4x8xi8>, %w: tensor<8x3xi8>) -> tensor<4x3xi32> {
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
