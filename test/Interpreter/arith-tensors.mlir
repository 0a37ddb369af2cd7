// arith ops applied to whole tensors, elementwise: i8 arithmetic wraps at 8
// bits, extensions and truncations follow signedness, comparisons give i1
// (bool) tensors, and select/shifts/bitwise ops work per element. Checked
// against NumPy's int8 arithmetic, which also wraps.

// RUN: rm -rf %t.out
// RUN: %python3 -c "import numpy as np; r = np.random.default_rng(4); np.save('%t.a.npy', r.integers(-128, 128, 256, dtype=np.int8)); np.save('%t.b.npy', r.integers(-128, 128, 256, dtype=np.int8)); np.save('%t.s.npy', r.integers(0, 8, 256, dtype=np.int8)); np.save('%t.c.npy', r.integers(-2**31, 2**31, 256, dtype=np.int64).astype(np.int32))"
// RUN: quant-run %s --target=ref --input %t.a.npy --input %t.b.npy --input %t.s.npy --input %t.c.npy --output-dir %t.out | FileCheck %s
// RUN: %python3 -c "import numpy as np; a, b, s, c = [np.load('%t.%%s.npy' %% n) for n in 'absc']; o = [np.load('%t.out/output%%d.npy' %% i) for i in range(15)]; u = a.view(np.uint8); lt = a < b; ref = [a + b, a - b, a * b, np.maximum(a, b), np.minimum(a, b), a.astype(np.int32), u.astype(np.int32), c.astype(np.int8), lt, np.where(lt, a, b), a << s, a >> s, (u >> s.view(np.uint8)).view(np.int8), (a & b) | (a ^ s), np.int16(-3) * c.astype(np.int16)]; bad = [i for i in range(15) if o[i].dtype != ref[i].dtype or not (o[i] == ref[i]).all()]; assert not bad, bad; print('OK')" | FileCheck %s --check-prefix=NUMPY

// CHECK: output0: i8[256]
// CHECK: output5: i32[256]
// CHECK: output8: bool[256]
// CHECK: output14: i16[256]
// NUMPY: OK

func.func @main(%a: tensor<256xi8>, %b: tensor<256xi8>, %s: tensor<256xi8>,
                %c: tensor<256xi32>)
    -> (tensor<256xi8>, tensor<256xi8>, tensor<256xi8>, tensor<256xi8>,
        tensor<256xi8>, tensor<256xi32>, tensor<256xi32>, tensor<256xi8>,
        tensor<256xi1>, tensor<256xi8>, tensor<256xi8>, tensor<256xi8>,
        tensor<256xi8>, tensor<256xi8>, tensor<256xi16>) {
  %add = arith.addi %a, %b : tensor<256xi8>
  %sub = arith.subi %a, %b : tensor<256xi8>
  %mul = arith.muli %a, %b : tensor<256xi8>
  %max = arith.maxsi %a, %b : tensor<256xi8>
  %min = arith.minsi %a, %b : tensor<256xi8>
  %sext = arith.extsi %a : tensor<256xi8> to tensor<256xi32>
  %zext = arith.extui %a : tensor<256xi8> to tensor<256xi32>
  %trunc = arith.trunci %c : tensor<256xi32> to tensor<256xi8>
  %lt = arith.cmpi slt, %a, %b : tensor<256xi8>
  %sel = arith.select %lt, %a, %b : tensor<256xi1>, tensor<256xi8>
  %shl = arith.shli %a, %s : tensor<256xi8>
  %shrs = arith.shrsi %a, %s : tensor<256xi8>
  %shru = arith.shrui %a, %s : tensor<256xi8>
  %and = arith.andi %a, %b : tensor<256xi8>
  %xor = arith.xori %a, %s : tensor<256xi8>
  %or = arith.ori %and, %xor : tensor<256xi8>
  %minus3 = arith.constant dense<-3> : tensor<256xi16>
  %c16 = arith.trunci %c : tensor<256xi32> to tensor<256xi16>
  %mul16 = arith.muli %minus3, %c16 : tensor<256xi16>
  return %add, %sub, %mul, %max, %min, %sext, %zext, %trunc, %lt, %sel, %shl,
         %shrs, %shru, %or, %mul16
      : tensor<256xi8>, tensor<256xi8>, tensor<256xi8>, tensor<256xi8>,
        tensor<256xi8>, tensor<256xi32>, tensor<256xi32>, tensor<256xi8>,
        tensor<256xi1>, tensor<256xi8>, tensor<256xi8>, tensor<256xi8>,
        tensor<256xi8>, tensor<256xi8>, tensor<256xi16>
}
