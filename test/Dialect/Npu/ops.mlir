// RUN: quant-opt %s | quant-opt | FileCheck %s
// RUN: quant-opt %s --mlir-print-op-generic | quant-opt | FileCheck %s

// One of every instruction of docs/npu.md, round-tripped: a 3x3 tap of a
// convolution (load input and weights, matmul accumulating, requantize,
// store) with dependency tokens between the queues.
// CHECK-LABEL: npu.program attributes
// CHECK-SAME: acc = 16384 : i64, cols = 16 : i64, isp = 262144 : i64, rows = 16 : i64, wsp = 262144 : i64
// CHECK: npu.setreg {queue = #npu<queue mm>, reg = 0 : i64, value = 128 : i64}
// CHECK: npu.setreg {queue = #npu<queue pp>, reg = 3 : i64, value = 3 : i64}
// CHECK: npu.fill {bytes = 512 : i64, dst = 0 : i64, space = #npu<space isp>, value = 128 : i64}
// CHECK: npu.load {buffer = 1 : i64, dst = 512 : i64, row_bytes = 128 : i64, rows = 8 : i64, signal = 0 : i64, space = #npu<space isp>, src = 0 : i64, src_stride = 128 : i64}
// CHECK: npu.load {buffer = 0 : i64, dst = 0 : i64, row_bytes = 256 : i64, rows = 1 : i64, signal = 1 : i64, space = #npu<space wsp>, src = 0 : i64, src_stride = 256 : i64}
// CHECK: npu.matmul {acc = 0 : i64, accumulate, in = 512 : i64, in_signed, in_stride = 16 : i64, k = 16 : i64, m = 8 : i64, n = 16 : i64, signal = 2 : i64, w = 0 : i64, w_signed, wait = array<i64: 0, 1>}
// CHECK: npu.requant {acc = 0 : i64, m = 8 : i64, n = 16 : i64, out = 4096 : i64, out_stride = 16 : i64, signal = 3 : i64, table = 256 : i64, wait = array<i64: 2>}
// CHECK: npu.add {a = 4096 : i64, b = 4096 : i64, count = 128 : i64, out = 8192 : i64}
// CHECK: npu.pool {c = 16 : i64, h = 4 : i64, in = 4096 : i64, is_avg, kh = 2 : i64, kw = 2 : i64, out = 12288 : i64, pads = array<i64: 0, 0, 0, 0>, sh = 2 : i64, sw = 2 : i64, w = 2 : i64}
// CHECK: npu.store {buffer = 2 : i64, dst = 0 : i64, dst_stride = 16 : i64, row_bytes = 16 : i64, rows = 8 : i64, src = 4096 : i64, wait = array<i64: 3>}
// CHECK: npu.end
npu.program attributes {rows = 16, cols = 16, isp = 262144, wsp = 262144, acc = 16384} {
  npu.setreg {queue = #npu<queue mm>, reg = 0, value = 128}
  npu.setreg {queue = #npu<queue pp>, reg = 3, value = 3}
  npu.fill {space = #npu<space isp>, dst = 0, bytes = 512, value = 128}
  npu.load {space = #npu<space isp>, buffer = 1, dst = 512, src = 0, rows = 8, row_bytes = 128, src_stride = 128, signal = 0}
  npu.load {space = #npu<space wsp>, buffer = 0, dst = 0, src = 0, rows = 1, row_bytes = 256, src_stride = 256, signal = 1}
  npu.matmul {accumulate, in_signed, w_signed, in = 512, in_stride = 16, m = 8, k = 16, w = 0, n = 16, acc = 0, wait = array<i64: 0, 1>, signal = 2}
  npu.requant {acc = 0, m = 8, n = 16, out = 4096, out_stride = 16, table = 256, wait = array<i64: 2>, signal = 3}
  npu.add {a = 4096, b = 4096, out = 8192, count = 128}
  npu.pool {is_avg, in = 4096, out = 12288, h = 4, w = 2, c = 16, kh = 2, kw = 2, sh = 2, sw = 2, pads = array<i64: 0, 0, 0, 0>}
  npu.store {buffer = 2, src = 4096, dst = 0, rows = 8, row_bytes = 16, dst_stride = 16, wait = array<i64: 3>}
  npu.end
}
