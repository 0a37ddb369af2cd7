// Named linalg ops run through their implicit bodies, so they keep linalg's
// exact semantics: transpose, broadcast, map, reduce, max pooling and a
// depthwise convolution with i8 inputs accumulating in i32.

// RUN: rm -rf %t.out
// RUN: %python3 -c "import numpy as np; r = np.random.default_rng(6); np.save('%t.x.npy', r.integers(-128, 128, (1, 6, 6, 3), dtype=np.int8)); np.save('%t.w.npy', r.integers(-128, 128, (3, 3, 3), dtype=np.int8))"
// RUN: quant-run %s --target=ref --input %t.x.npy --input %t.w.npy --output-dir %t.out | FileCheck %s
// RUN: %python3 -c "import numpy as np; x = np.load('%t.x.npy'); w = np.load('%t.w.npy').astype(np.int32); o = [np.load('%t.out/output%%d.npy' %% i) for i in range(6)]; assert (o[0] == x.transpose(0, 3, 1, 2)).all(); assert (o[1] == np.broadcast_to(w[:, :, None, :], (3, 3, 2, 3))).all(); assert (o[2] == (x.astype(np.int32) * 3 - 1).astype(np.int8)).all(); assert (o[3] == x.astype(np.int32).sum(axis=(1, 2))).all(); win = np.lib.stride_tricks.sliding_window_view(x, (2, 2), axis=(1, 2))[:, ::2, ::2]; assert (o[4] == win.max(axis=(4, 5))).all(); dw = np.lib.stride_tricks.sliding_window_view(x.astype(np.int32), (3, 3), axis=(1, 2)); assert (o[5] == np.einsum('nhwcij,ijc->nhwc', dw, w)).all(); print('OK')" | FileCheck %s --check-prefix=NUMPY

// CHECK: output0: i8[1x3x6x6]
// CHECK: output1: i32[3x3x2x3]
// CHECK: output2: i8[1x6x6x3]
// CHECK: output3: i32[1x3]
// CHECK: output4: i8[1x3x3x3]
// CHECK: output5: i32[1x4x4x3]
// NUMPY: OK

func.func @main(%x: tensor<1x6x6x3xi8>, %w: tensor<3x3x3xi8>)
    -> (tensor<1x3x6x6xi8>, tensor<3x3x2x3xi32>, tensor<1x6x6x3xi8>,
        tensor<1x3xi32>, tensor<1x3x3x3xi8>, tensor<1x4x4x3xi32>) {
  %t0 = tensor.empty() : tensor<1x3x6x6xi8>
  %t = linalg.transpose ins(%x : tensor<1x6x6x3xi8>)
                        outs(%t0 : tensor<1x3x6x6xi8>) permutation = [0, 3, 1, 2]

  %w32_0 = tensor.empty() : tensor<3x3x3xi32>
  %w32 = linalg.generic {
      indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>,
                       affine_map<(a, b, c) -> (a, b, c)>],
      iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%w : tensor<3x3x3xi8>) outs(%w32_0 : tensor<3x3x3xi32>) {
  ^bb0(%v: i8, %unused: i32):
    %e = arith.extsi %v : i8 to i32
    linalg.yield %e : i32
  } -> tensor<3x3x3xi32>
  %b0 = tensor.empty() : tensor<3x3x2x3xi32>
  %b = linalg.broadcast ins(%w32 : tensor<3x3x3xi32>)
                        outs(%b0 : tensor<3x3x2x3xi32>) dimensions = [2]

  %m0 = tensor.empty() : tensor<1x6x6x3xi8>
  %m = linalg.map ins(%x : tensor<1x6x6x3xi8>) outs(%m0 : tensor<1x6x6x3xi8>)
      (%v: i8, %init: i8) {
        %three = arith.constant 3 : i8
        %one = arith.constant 1 : i8
        %p = arith.muli %v, %three : i8
        %s = arith.subi %p, %one : i8
        linalg.yield %s : i8
      }

  %x32_0 = tensor.empty() : tensor<1x6x6x3xi32>
  %x32 = linalg.generic {
      indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>,
                       affine_map<(a, b, c, d) -> (a, b, c, d)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x6x6x3xi8>) outs(%x32_0 : tensor<1x6x6x3xi32>) {
  ^bb0(%v: i8, %unused: i32):
    %e = arith.extsi %v : i8 to i32
    linalg.yield %e : i32
  } -> tensor<1x6x6x3xi32>
  %r0 = tensor.empty() : tensor<1x3xi32>
  %r = linalg.reduce ins(%x32 : tensor<1x6x6x3xi32>)
                     outs(%r0 : tensor<1x3xi32>) dimensions = [1, 2]
      (%in: i32, %acc: i32) {
        %s = arith.addi %in, %acc : i32
        linalg.yield %s : i32
      }

  %window = tensor.empty() : tensor<2x2xi8>
  %p0 = tensor.empty() : tensor<1x3x3x3xi8>
  %lowest = arith.constant dense<-128> : tensor<1x3x3x3xi8>
  %pool = linalg.pooling_nhwc_max
      {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %window : tensor<1x6x6x3xi8>, tensor<2x2xi8>)
      outs(%lowest : tensor<1x3x3x3xi8>) -> tensor<1x3x3x3xi8>

  %d0 = tensor.empty() : tensor<1x4x4x3xi32>
  %dw = linalg.depthwise_conv_2d_nhwc_hwc
      {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x6x6x3xi8>, tensor<3x3x3xi8>)
      outs(%d0 : tensor<1x4x4x3xi32>) -> tensor<1x4x4x3xi32>
  return %t, %b, %m, %r, %pool, %dw
      : tensor<1x3x6x6xi8>, tensor<3x3x2x3xi32>, tensor<1x6x6x3xi8>,
        tensor<1x3xi32>, tensor<1x3x3x3xi8>, tensor<1x4x4x3xi32>
}
