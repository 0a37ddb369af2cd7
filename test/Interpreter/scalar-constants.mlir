// Function-level scalar constants as qnt-lower-to-integer emits them: the
// value of a linalg.fill, the padding value of a tensor.pad, and constants
// captured by a linalg.generic body.
//
// The interpreter holds scalar constants as rank-0 tensors.

// RUN: rm -rf %t.out
// RUN: %python3 -c "import numpy as np; np.save('%t.x.npy', np.arange(4, dtype=np.int32))"
// RUN: quant-run %s --target=ref --input %t.x.npy --output-dir %t.out | FileCheck %s
// RUN: %python3 -c "import numpy as np; o = [np.load('%t.out/output%%d.npy' %% i).tolist() for i in range(3)]; assert o == [[7, 8, 9, 10], [-2, 0, 1, 2, 3, -2], [2, 3, 4, 5]], o; print('OK')" | FileCheck %s --check-prefix=NUMPY

// CHECK: output0: i32[4]
// NUMPY: OK

#id = affine_map<(d0) -> (d0)>

func.func @main(%x: tensor<4xi32>)
    -> (tensor<4xi32>, tensor<6xi32>, tensor<4xi32>) {
  %seven = arith.constant 7 : i32
  %zp = arith.constant -2 : i32
  %true = arith.constant true
  %e = tensor.empty() : tensor<4xi32>
  %f = linalg.fill ins(%seven : i32) outs(%e : tensor<4xi32>) -> tensor<4xi32>
  %sum = arith.addi %f, %x : tensor<4xi32>
  %p = tensor.pad %x low[1] high[1] {
  ^bb0(%i: index):
    tensor.yield %zp : i32
  } : tensor<4xi32> to tensor<6xi32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xi32>) outs(%e : tensor<4xi32>) {
  ^bb0(%a: i32, %o: i32):
    %s = arith.subi %a, %zp : i32
    %q = arith.select %true, %s, %a : i32
    linalg.yield %q : i32
  } -> tensor<4xi32>
  return %sum, %p, %g : tensor<4xi32>, tensor<6xi32>, tensor<4xi32>
}
