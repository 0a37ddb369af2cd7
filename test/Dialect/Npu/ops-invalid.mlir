// RUN: quant-opt %s --split-input-file -verify-diagnostics

// What the encoder and the simulator reject (docs/npu.md sections 3 and 6)
// is rejected here first: fields out of their ranges, footprints outside
// the program's memories, misplaced END, too many waits.

// expected-error@+1 {{'npu.program' op must end with npu.end}}
npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  npu.fill {space = #npu<space isp>, dst = 0, bytes = 4, value = 0}
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.end' op must be the last instruction}}
  npu.end
  npu.fill {space = #npu<space isp>, dst = 0, bytes = 4, value = 0}
  npu.end
}

// -----

// expected-error@+1 {{'npu.program' op scratchpads must be 1..262144 bytes and the accumulators 1..16384 entries}}
npu.program attributes {rows = 16, cols = 16, isp = 1048576, wsp = 1024, acc = 256} {
  npu.end
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.matmul' op field 'n' = 17 is outside [1, 16]}}
  npu.matmul {in = 0, in_stride = 16, m = 4, k = 16, w = 0, n = 17, acc = 0}
  npu.end
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // The last input row ends at (65 - 1) * 16 + 16 = 1040, past 1024.
  // expected-error@+1 {{'npu.matmul' op touches ISP [0, 1040), outside its 1024 bytes}}
  npu.matmul {in = 0, in_stride = 16, m = 65, k = 16, w = 0, n = 16, acc = 0}
  npu.end
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.matmul' op touches ACC [0, 320), outside its 256 entries}}
  npu.matmul {in = 0, in_stride = 0, m = 20, k = 16, w = 0, n = 16, acc = 0}
  npu.end
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.load' op field 'buffer' = 16 is outside [0, 15]}}
  npu.load {space = #npu<space isp>, buffer = 16, dst = 0, src = 0, rows = 1, row_bytes = 4, src_stride = 4}
  npu.end
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.load' op touches WSP [1000, 1032), outside its 1024 bytes}}
  npu.load {space = #npu<space wsp>, buffer = 0, dst = 1000, src = 0, rows = 1, row_bytes = 32, src_stride = 32}
  npu.end
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.requant' op table address 2 is not 4-aligned}}
  npu.requant {acc = 0, m = 1, n = 4, out = 0, out_stride = 4, table = 2}
  npu.end
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.store' op waits on 3 semaphores; an instruction waits on at most 2}}
  npu.store {buffer = 2, src = 0, dst = 0, rows = 1, row_bytes = 4, dst_stride = 4, wait = array<i64: 0, 1, 2>}
  npu.end
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.fill' op field 'signal' = 8 is outside [0, 7]}}
  npu.fill {space = #npu<space isp>, dst = 0, bytes = 4, value = 0, signal = 8}
  npu.end
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.setreg' op field 'reg' = 2 is outside [0, 1]}}
  npu.setreg {queue = #npu<queue mm>, reg = 2, value = 0}
  npu.end
}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.pool' op the window does not fit the padded input, or a padding is not smaller than the window}}
  npu.pool {in = 0, out = 512, h = 4, w = 4, c = 1, kh = 2, kw = 2, sh = 1, sw = 1, pads = array<i64: 2, 0, 0, 0>}
  npu.end
}

// -----

// expected-error@+1 {{'npu.matmul' op expects parent op 'npu.program'}}
npu.matmul {in = 0, in_stride = 16, m = 4, k = 16, w = 0, n = 16, acc = 0}

// -----

npu.program attributes {rows = 16, cols = 16, isp = 1024, wsp = 1024, acc = 256} {
  // expected-error@+1 {{'npu.end' op takes no wait or signal}}
  npu.end {signal = 1}
}
