#!/usr/bin/env python3
"""A 1x1 convolution written by hand as an NPU program (docs/npu.md), with
its host buffers and the expected output from a plain reference of the
same integer arithmetic (TFLite's MultiplyByQuantizedMultiplier, DESIGN.md
section 3): 16 pixels x 16 u8 input channels -> 16 u8 output channels.

Writes OUT_DIR/conv.mlir (an npu.program), weights.bin (buffer 0: int8
weights [K][N], then the REQUANT table: bias, m0, shift per channel),
input.bin (buffer 1) and expected.bin (what buffer 2 must hold).

usage: make_conv1x1.py OUT_DIR [SEED]
"""
import os
import struct
import sys

import numpy as np


def srdhm(a, b):
    if a == b == -(1 << 31):
        return (1 << 31) - 1
    ab = a * b
    nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
    v = ab + nudge
    q = abs(v) // (1 << 31)  # C's division truncates toward zero
    return q if v >= 0 else -q


def rdbpot(x, e):
    mask = (1 << e) - 1
    rem = x & mask
    thr = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> e) + (1 if rem > thr else 0)


def mbqm(x, m0, shift):
    left, right = max(shift, 0), max(-shift, 0)
    x = max(-(1 << 31), min((1 << 31) - 1, x << left))
    return rdbpot(srdhm(x, m0), right)


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    os.makedirs(out, exist_ok=True)
    M, K, N = 16, 16, 16
    zx, zy = 117, 9
    x = rng.integers(0, 256, (M, K)).astype(np.uint8)
    w = rng.integers(-127, 128, (K, N)).astype(np.int8)
    bias = rng.integers(-20000, 20000, N).astype(np.int32)
    m0 = rng.integers(1 << 30, (1 << 31) - 1, N).astype(np.int64)
    shift = rng.integers(-11, -8, N).astype(np.int64)
    acc = (x.astype(np.int64) - zx) @ w.astype(np.int64)
    y = np.zeros((M, N), np.uint8)
    for m in range(M):
        for n in range(N):
            v = int(acc[m, n]) + int(bias[n])
            y[m, n] = max(0, min(255, zy + mbqm(v, int(m0[n]), int(shift[n]))))
    table = b"".join(struct.pack("<iii", int(bias[n]), int(m0[n]), int(shift[n]))
                     for n in range(N))
    with open(os.path.join(out, "weights.bin"), "wb") as f:
        f.write(w.tobytes() + table)
    x.tofile(os.path.join(out, "input.bin"))
    y.tofile(os.path.join(out, "expected.bin"))
    wbytes = K * N + len(table)
    with open(os.path.join(out, "conv.mlir"), "w") as f:
        f.write(f"""npu.program attributes {{rows = 16, cols = 16, isp = 262144, wsp = 262144, acc = 16384}} {{
  npu.setreg {{queue = #npu<queue mm>, reg = 0, value = {zx}}}
  npu.setreg {{queue = #npu<queue pp>, reg = 0, value = {zy}}}
  npu.setreg {{queue = #npu<queue pp>, reg = 1, value = 0}}
  npu.setreg {{queue = #npu<queue pp>, reg = 2, value = 255}}
  npu.load {{space = #npu<space isp>, buffer = 1, dst = 0, src = 0, rows = {M}, row_bytes = {K}, src_stride = {K}, signal = 0}}
  npu.load {{space = #npu<space wsp>, buffer = 0, dst = 0, src = 0, rows = 1, row_bytes = {wbytes}, src_stride = {wbytes}, signal = 1}}
  npu.matmul {{w_signed, in = 0, in_stride = {K}, m = {M}, k = {K}, w = 0, n = {N}, acc = 0, wait = array<i64: 0, 1>, signal = 2}}
  npu.requant {{acc = 0, m = {M}, n = {N}, out = 1024, out_stride = {N}, table = {K * N}, wait = array<i64: 2>, signal = 3}}
  npu.store {{buffer = 2, src = 1024, dst = 0, rows = {M}, row_bytes = {N}, dst_stride = {N}, wait = array<i64: 3>}}
  npu.end
}}
""")


if __name__ == "__main__":
    main()
