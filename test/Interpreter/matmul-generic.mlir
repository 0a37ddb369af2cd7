// An int8 x int8 -> int32 matmul as a linalg.generic with a reduction loop,
// next to the named linalg.matmul and linalg.batch_matmul (whose bodies
// extend the operands to i32 before multiplying): all three must equal
// NumPy's int32 product.

// RUN: rm -rf %t.out
// RUN: %python3 -c "import numpy as np; r = np.random.default_rng(1); np.save('%t.a.npy', r.integers(-128, 128, (7, 33), dtype=np.int8)); np.save('%t.b.npy', r.integers(-128, 128, (33, 5), dtype=np.int8))"
// RUN: quant-run %s --target=ref --input %t.a.npy --input %t.b.npy --output-dir %t.out | FileCheck %s
// RUN: %python3 -c "import numpy as np; a = np.load('%t.a.npy').astype(np.int32); b = np.load('%t.b.npy').astype(np.int32); outs = [np.load('%t.out/output%%d.npy' %% i) for i in range(3)]; assert all(o.dtype == np.int32 for o in outs); assert (outs[0] == a @ b).all() and (outs[1] == a @ b).all() and (outs[2] == (a @ b)[None]).all(); print('OK')" | FileCheck %s --check-prefix=NUMPY

// CHECK: output0: i32[7x5]
// CHECK: output1: i32[7x5]
// CHECK: output2: i32[1x7x5]
// NUMPY: OK

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#acc = affine_map<(m, n, k) -> (m, n)>

func.func @main(%a: tensor<7x33xi8>, %b: tensor<33x5xi8>)
    -> (tensor<7x5xi32>, tensor<7x5xi32>, tensor<1x7x5xi32>) {
  %zero = tensor.empty() : tensor<7x5xi32>
  %generic = linalg.generic {
      indexing_maps = [#lhs, #rhs, #acc],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<7x33xi8>, tensor<33x5xi8>)
      outs(%zero : tensor<7x5xi32>) {
  ^bb0(%x: i8, %y: i8, %sum: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %sum, %p : i32
    linalg.yield %s : i32
  } -> tensor<7x5xi32>
  %named = linalg.matmul ins(%a, %b : tensor<7x33xi8>, tensor<33x5xi8>)
                         outs(%zero : tensor<7x5xi32>) -> tensor<7x5xi32>
  %a3 = tensor.expand_shape %a [[0, 1], [2]] output_shape [1, 7, 33]
      : tensor<7x33xi8> into tensor<1x7x33xi8>
  %b3 = tensor.expand_shape %b [[0, 1], [2]] output_shape [1, 33, 5]
      : tensor<33x5xi8> into tensor<1x33x5xi8>
  %zero3 = tensor.empty() : tensor<1x7x5xi32>
  %batch = linalg.batch_matmul
      ins(%a3, %b3 : tensor<1x7x33xi8>, tensor<1x33x5xi8>)
      outs(%zero3 : tensor<1x7x5xi32>) -> tensor<1x7x5xi32>
  return %generic, %named, %batch
      : tensor<7x5xi32>, tensor<7x5xi32>, tensor<1x7x5xi32>
}
