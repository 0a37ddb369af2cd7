// Table lookups as qnt-lower-to-integer emits them for nonlinear
// activations: the element, widened and offset, becomes an index
// (index_cast / index_castui) into a constant table that tensor.extract
// reads inside the linalg.generic body. The second lookup reads a 2-D table
// with linalg.index as the row.

// RUN: rm -rf %t.out
// RUN: %python3 -c "import numpy as np; np.save('%t.x.npy', np.arange(-8, 8, dtype=np.int8).reshape(2, 8))"
// RUN: quant-run %s --target=ref --input %t.x.npy --output-dir %t.out | FileCheck %s
// RUN: %python3 -c "import numpy as np; x = np.load('%t.x.npy').astype(np.int64); t = np.array([-128, -100, -60, -30, -10, -3, -1, 0, 0, 1, 3, 10, 30, 60, 100, 127]); out = np.load('%t.out/output0.npy'); assert out.dtype == np.int8 and (out == t[x + 8]).all(); t2 = np.arange(32).reshape(2, 16) * 1000; out2 = np.load('%t.out/output1.npy'); assert (out2 == t2[np.arange(2)[:, None], x & 15]).all(); print('OK')" | FileCheck %s --check-prefix=NUMPY

// CHECK: output0: i8[2x8] -> {{.*}} (min -128, max 127
// CHECK: output1: i32[2x8]
// NUMPY: OK

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @main(%x: tensor<2x8xi8>) -> (tensor<2x8xi8>, tensor<2x8xi32>) {
  %table = arith.constant dense<[-128, -100, -60, -30, -10, -3, -1, 0, 0, 1, 3,
                                 10, 30, 60, 100, 127]> : tensor<16xi8>
  %table2 = arith.constant dense<[[0, 1000, 2000, 3000, 4000, 5000, 6000,
      7000, 8000, 9000, 10000, 11000, 12000, 13000, 14000, 15000],
      [16000, 17000, 18000, 19000, 20000, 21000, 22000, 23000, 24000, 25000,
       26000, 27000, 28000, 29000, 30000, 31000]]> : tensor<2x16xi32>
  %init = tensor.empty() : tensor<2x8xi8>
  %y = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x8xi8>) outs(%init : tensor<2x8xi8>) {
  ^bb0(%v: i8, %unused: i8):
    %offset = arith.constant 8 : i32
    %wide = arith.extsi %v : i8 to i32
    %shifted = arith.addi %wide, %offset : i32
    %i = arith.index_cast %shifted : i32 to index
    %t = tensor.extract %table[%i] : tensor<16xi8>
    linalg.yield %t : i8
  } -> tensor<2x8xi8>
  %init2 = tensor.empty() : tensor<2x8xi32>
  %z = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x8xi8>) outs(%init2 : tensor<2x8xi32>) {
  ^bb0(%v: i8, %unused: i32):
    %mask = arith.constant 15 : i8
    %low = arith.andi %v, %mask : i8
    %col = arith.index_castui %low : i8 to index
    %row = linalg.index 0 : index
    %t = tensor.extract %table2[%row, %col] : tensor<2x16xi32>
    linalg.yield %t : i32
  } -> tensor<2x8xi32>
  return %y, %z : tensor<2x8xi8>, tensor<2x8xi32>
}
