// The data-movement ops of integer-only IR: tensor.pad (a constant body and
// an index-dependent body), collapse_shape / expand_shape, tensor.reshape,
// concat, extract_slice (strided and rank-reducing), insert_slice and
// tensor.cast, each compared with its NumPy counterpart.

// RUN: rm -rf %t.out
// RUN: %python3 -c "import numpy as np; np.save('%t.x.npy', np.arange(24, dtype=np.int8).reshape(2, 3, 4) - 12)"
// RUN: quant-run %s --target=ref --input %t.x.npy --output-dir %t.out | FileCheck %s
// RUN: %python3 -c "import numpy as np; x = np.load('%t.x.npy'); o = [np.load('%t.out/output%%d.npy' %% i) for i in range(9)]; p = np.pad(x, ((0, 1), (1, 0), (2, 1)), constant_values=9); assert (o[0] == p).all(); assert (o[1] == p.reshape(12, 7)).all() and (o[2] == p).all(); cat = np.concatenate([x, x], 0); assert (o[3] == cat).all(); s = cat[1:3, 0:3, 1:5:2]; assert (o[4] == s).all(); ins = x.copy(); ins[:, :, 0:4:2] = s; assert (o[5] == ins).all(); assert (o[6] == x[1]).all(); assert (o[7] == x.reshape(4, 6)).all(); i, j = np.indices((4, 6)); p2 = (i * 10 + j).astype(np.int8); p2[1:3, 1:5] = x[0, 1:3, :]; assert (o[8] == p2).all(); print('OK')" | FileCheck %s --check-prefix=NUMPY

// CHECK: output0: i8[3x4x7]
// CHECK: output1: i8[12x7]
// CHECK: output2: i8[3x4x7]
// CHECK: output3: i8[4x3x4]
// CHECK: output4: i8[2x3x2]
// CHECK: output5: i8[2x3x4]
// CHECK: output6: i8[3x4]
// CHECK: output7: i8[4x6]
// CHECK: output8: i8[4x6]
// NUMPY: OK

func.func @main(%x: tensor<2x3x4xi8>)
    -> (tensor<3x4x7xi8>, tensor<12x7xi8>, tensor<3x4x7xi8>, tensor<4x3x4xi8>,
        tensor<2x3x2xi8>, tensor<2x3x4xi8>, tensor<3x4xi8>, tensor<4x6xi8>,
        tensor<4x6xi8>) {
  %p = tensor.pad %x low[0, 1, 2] high[1, 0, 1] {
  ^bb0(%i: index, %j: index, %k: index):
    %nine = arith.constant 9 : i8
    tensor.yield %nine : i8
  } : tensor<2x3x4xi8> to tensor<3x4x7xi8>
  %c = tensor.collapse_shape %p [[0, 1], [2]]
      : tensor<3x4x7xi8> into tensor<12x7xi8>
  %e = tensor.expand_shape %c [[0, 1], [2]] output_shape [3, 4, 7]
      : tensor<12x7xi8> into tensor<3x4x7xi8>
  %cat = tensor.concat dim(0) %x, %x
      : (tensor<2x3x4xi8>, tensor<2x3x4xi8>) -> tensor<4x3x4xi8>
  %s = tensor.extract_slice %cat[1, 0, 1] [2, 3, 2] [1, 1, 2]
      : tensor<4x3x4xi8> to tensor<2x3x2xi8>
  %ins = tensor.insert_slice %s into %x[0, 0, 0] [2, 3, 2] [1, 1, 2]
      : tensor<2x3x2xi8> into tensor<2x3x4xi8>
  %row = tensor.extract_slice %x[1, 0, 0] [1, 3, 4] [1, 1, 1]
      : tensor<2x3x4xi8> to tensor<3x4xi8>
  %shape = arith.constant dense<[4, 6]> : tensor<2xi64>
  %r = tensor.reshape %x(%shape)
      : (tensor<2x3x4xi8>, tensor<2xi64>) -> tensor<4x6xi8>
  %dyn = tensor.cast %r : tensor<4x6xi8> to tensor<?x6xi8>
  %plane = tensor.extract_slice %x[0, 1, 0] [1, 2, 4] [1, 1, 1]
      : tensor<2x3x4xi8> to tensor<2x4xi8>
  %p2 = tensor.pad %plane low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    %ten = arith.constant 10 : index
    %i10 = arith.muli %i, %ten : index
    %v = arith.addi %i10, %j : index
    %v32 = arith.index_cast %v : index to i32
    %v8 = arith.trunci %v32 : i32 to i8
    tensor.yield %v8 : i8
  } : tensor<2x4xi8> to tensor<4x6xi8>
  %static = tensor.cast %dyn : tensor<?x6xi8> to tensor<4x6xi8>
  return %p, %c, %e, %cat, %s, %ins, %row, %static, %p2
      : tensor<3x4x7xi8>, tensor<12x7xi8>, tensor<3x4x7xi8>, tensor<4x3x4xi8>,
        tensor<2x3x2xi8>, tensor<2x3x4xi8>, tensor<3x4xi8>, tensor<4x6xi8>,
        tensor<4x6xi8>
}
