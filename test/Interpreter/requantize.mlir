// A requantize-like elementwise linalg.generic on int32 accumulators: widen
// to i64, multiply by a Q31 multiplier, add the rounding term, shift right
// arithmetically, narrow, add the output zero point, clamp with maxsi/minsi
// and truncate to i8. Includes INT32_MIN and INT32_MAX, whose products use
// nearly all 64 bits. Checked against the same computation in NumPy int64.

// RUN: rm -rf %t.out
// RUN: %python3 -c "import numpy as np; r = np.random.default_rng(3); a = r.integers(-2**31, 2**31, (6, 50), dtype=np.int64); a[0, :4] = [-2**31, 2**31 - 1, 0, -1]; a[1:4] = r.integers(-25000, 25000, (3, 50)); np.save('%t.acc.npy', a.astype(np.int32))"
// RUN: quant-run %s --target=ref --input %t.acc.npy --output-dir %t.out | FileCheck %s
// RUN: %python3 -c "import numpy as np; a = np.load('%t.acc.npy').astype(np.int64); scaled = ((a * 1518500250 + (1 << 37)) >> 38).astype(np.int32); ref = np.clip(scaled.astype(np.int64) - 7, -128, 127).astype(np.int8); out = np.load('%t.out/output0.npy'); assert out.dtype == np.int8 and (out == ref).all(); assert len(np.unique(out)) > 50; print('OK')" | FileCheck %s --check-prefix=NUMPY

// CHECK: output0: i8[6x50] {{.*}}(min -128, max 127
// NUMPY: OK

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @main(%acc: tensor<6x50xi32>) -> tensor<6x50xi8> {
  %init = tensor.empty() : tensor<6x50xi8>
  %q = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%acc : tensor<6x50xi32>) outs(%init : tensor<6x50xi8>) {
  ^bb0(%a: i32, %unused: i8):
    %multiplier = arith.constant 1518500250 : i64
    %round = arith.constant 137438953472 : i64
    %shift = arith.constant 38 : i64
    %zp = arith.constant -7 : i32
    %lo = arith.constant -128 : i32
    %hi = arith.constant 127 : i32
    %wide = arith.extsi %a : i32 to i64
    %p = arith.muli %wide, %multiplier : i64
    %r = arith.addi %p, %round : i64
    %s = arith.shrsi %r, %shift : i64
    %n = arith.trunci %s : i64 to i32
    %z = arith.addi %n, %zp : i32
    %c0 = arith.maxsi %z, %lo : i32
    %c1 = arith.minsi %c0, %hi : i32
    %o = arith.trunci %c1 : i32 to i8
    linalg.yield %o : i8
  } -> tensor<6x50xi8>
  return %q : tensor<6x50xi8>
}
