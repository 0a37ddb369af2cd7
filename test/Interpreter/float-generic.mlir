// Float bodies run too: int32 to f32, a multiply-add in f32 (rounded to
// float after every op, like the hardware), a clamp with maxnumf/minnumf and
// the conversion back with fptosi. Compared with NumPy's float32 arithmetic,
// which rounds the same way.

// RUN: rm -rf %t.out
// RUN: %python3 -c "import numpy as np; r = np.random.default_rng(5); np.save('%t.x.npy', r.integers(-100000, 100000, (3, 40), dtype=np.int32))"
// RUN: quant-run %s --target=ref --input %t.x.npy --output-dir %t.out | FileCheck %s
// RUN: %python3 -c "import numpy as np; x = np.load('%t.x.npy'); f = x.astype(np.float32) * np.float32(0.0123) + np.float32(0.5); ref = np.minimum(np.maximum(f, np.float32(-1000)), np.float32(1000)); out = np.load('%t.out/output0.npy'); assert (out == ref.astype(np.int32)).all(); assert (np.load('%t.out/output1.npy') == f.astype(np.float64)).all(); print('OK')" | FileCheck %s --check-prefix=NUMPY

// CHECK: output0: i32[3x40]
// CHECK: output1: f64[3x40]
// NUMPY: OK

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @main(%x: tensor<3x40xi32>) -> (tensor<3x40xi32>, tensor<3x40xf64>) {
  %init = tensor.empty() : tensor<3x40xi32>
  %init64 = tensor.empty() : tensor<3x40xf64>
  %y:2 = linalg.generic {indexing_maps = [#id, #id, #id],
                         iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<3x40xi32>) outs(%init, %init64 : tensor<3x40xi32>, tensor<3x40xf64>) {
  ^bb0(%v: i32, %unused: i32, %unused64: f64):
    %scale = arith.constant 0.0123 : f32
    %half = arith.constant 0.5 : f32
    %lo = arith.constant -1000.0 : f32
    %hi = arith.constant 1000.0 : f32
    %f = arith.sitofp %v : i32 to f32
    %m = arith.mulf %f, %scale : f32
    %a = arith.addf %m, %half : f32
    %c0 = arith.maxnumf %a, %lo : f32
    %c1 = arith.minnumf %c0, %hi : f32
    %i = arith.fptosi %c1 : f32 to i32
    %wide = arith.extf %a : f32 to f64
    linalg.yield %i, %wide : i32, f64
  } -> (tensor<3x40xi32>, tensor<3x40xf64>)
  return %y#0, %y#1 : tensor<3x40xi32>, tensor<3x40xf64>
}
