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
