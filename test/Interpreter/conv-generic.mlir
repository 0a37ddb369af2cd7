// A quantized 2-D convolution as linalg.generic ops: stride 2 and dilation
// 2 in the input map (oh * 2 + kh * 2), the input zero point subtracted in
// the body, then a per-channel bias added through a broadcasting map. Also
// the named linalg.conv_2d_nhwc_hwcf with the same strides and dilations.
// Checked against a NumPy sliding-window einsum.

// RUN: rm -rf %t.out
// RUN: %python3 -c "import numpy as np; r = np.random.default_rng(2); np.save('%t.x.npy', r.integers(-128, 128, (2, 17, 17, 3), dtype=np.int8)); np.save('%t.w.npy', r.integers(-127, 128, (3, 3, 3, 4), dtype=np.int8)); np.save('%t.b.npy', r.integers(-5000, 5000, (4,), dtype=np.int32))"
// RUN: quant-run %s --target=ref --input %t.x.npy --input %t.w.npy --input %t.b.npy --output-dir %t.out | FileCheck %s
// RUN: %python3 -c "import numpy as np; x = np.load('%t.x.npy').astype(np.int64) - 5; w = np.load('%t.w.npy').astype(np.int64); b = np.load('%t.b.npy'); win = np.lib.stride_tricks.sliding_window_view(x, (5, 5), axis=(1, 2))[:, ::2, ::2, :, ::2, ::2]; conv = np.einsum('nhwcij,ijcf->nhwf', win, w); out = np.load('%t.out/output0.npy'); named = np.load('%t.out/output1.npy'); assert out.shape == (2, 7, 7, 4) and (out == conv + b).all(); assert (named == np.einsum('nhwcij,ijcf->nhwf', win + 5, w)).all(); print('OK')" | FileCheck %s --check-prefix=NUMPY

// CHECK: output0: i32[2x7x7x4]
// CHECK: output1: i32[2x7x7x4]
// NUMPY: OK

#input = affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh * 2 + kh * 2, ow * 2 + kw * 2, c)>
#filter = affine_map<(n, oh, ow, f, kh, kw, c) -> (kh, kw, c, f)>
#output = affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh, ow, f)>
#id = affine_map<(n, h, w, f) -> (n, h, w, f)>
#channel = affine_map<(n, h, w, f) -> (f)>

func.func @main(%x: tensor<2x17x17x3xi8>, %w: tensor<3x3x3x4xi8>,
                %bias: tensor<4xi32>)
    -> (tensor<2x7x7x4xi32>, tensor<2x7x7x4xi32>) {
  %init = tensor.empty() : tensor<2x7x7x4xi32>
  %conv = linalg.generic {
      indexing_maps = [#input, #filter, #output],
      iterator_types = ["parallel", "parallel", "parallel", "parallel",
                        "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<2x17x17x3xi8>, tensor<3x3x3x4xi8>)
      outs(%init : tensor<2x7x7x4xi32>) {
  ^bb0(%in: i8, %wt: i8, %acc: i32):
    %zp = arith.constant 5 : i32
    %ie = arith.extsi %in : i8 to i32
    %centered = arith.subi %ie, %zp : i32
    %we = arith.extsi %wt : i8 to i32
    %p = arith.muli %centered, %we : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<2x7x7x4xi32>
  %biased = linalg.generic {
      indexing_maps = [#id, #channel, #id],
      iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv, %bias : tensor<2x7x7x4xi32>, tensor<4xi32>)
      outs(%init : tensor<2x7x7x4xi32>) {
  ^bb0(%c: i32, %b: i32, %unused: i32):
    %s = arith.addi %c, %b : i32
    linalg.yield %s : i32
  } -> tensor<2x7x7x4xi32>
  %named = linalg.conv_2d_nhwc_hwcf
      {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<2x17x17x3xi8>, tensor<3x3x3x4xi8>)
      outs(%init : tensor<2x7x7x4xi32>) -> tensor<2x7x7x4xi32>
  return %biased, %named : tensor<2x7x7x4xi32>, tensor<2x7x7x4xi32>
}
