#!/usr/bin/python3
"""Writes the one-op models that bench/cpu-kernels.sh times.

For every shape of the kernel benchmark it writes, into OUT_DIR:

  NAME.q.mlir     the quantized op: u8 activations (asymmetric, zero point
                  != 0), i8 weights per output channel (symmetric, narrow
                  range), i32 bias with S_b = S_x * S_w[c], u8 output
                  (requantize); weights and bias are dense_resource blobs
  NAME.q.npy      its input: u8 storage values (quantized edges), or the
                  real values as f32 with --edges=float
  NAME.f.mlir     the float twin: the same op on f32 tensors with the
                  dequantized weights and bias
  NAME.f.npy      its input (the real values of NAME.q.npy), f32
  shapes.txt      one line per shape: NAME KIND DIMS... GOP, the same
                  dimensions bench/onednn-bench takes on its command line

Edges (--edges): `quantized` (default) makes the quantized model take and
return u8-storage tensors (!qnt.uniform at the function boundary) so that
only the kernel is timed; `float` wraps it in qnt.quantize /
qnt.dequantize for a back end that does not accept quantized arguments.

  make-bench-models.py OUT_DIR [--edges=quantized|float] [--only NAME,...]
  make-bench-models.py --count-ops MODEL.mlir   # 2*MACs of its conv/FC ops

Debian's python3 and numpy only.
"""
import argparse
import os
import re
import sys

import numpy as np

# name, kind, dims.  fc: M K N (input MxK, weights NxK, output MxN);
# conv: N H W IC OC KH KW PAD STRIDE (NHWC input, OHWI weights).
SHAPES = [
    ("gemm-1024", "fc", (1024, 1024, 1024)),
    ("gemm-256", "fc", (256, 256, 256)),
    ("fc-1x1024x1024", "fc", (1, 1024, 1024)),
    ("conv3x3-56x56x64", "conv", (1, 56, 56, 64, 64, 3, 3, 1, 1)),
    ("conv1x1-56x56x64", "conv", (1, 56, 56, 64, 64, 1, 1, 0, 1)),
]

# Activation parameters: real = S * (q - Z).
X_SCALE, X_ZP = 0.02, 120
Y_ZP = 128


def ops_of(kind, dims):
    """2 * multiply-accumulates."""
    if kind == "fc":
        m, k, n = dims
        return 2 * m * k * n
    n, h, w, ic, oc, kh, kw, pad, stride = dims
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (w + 2 * pad - kw) // stride + 1
    return 2 * n * oh * ow * oc * kh * kw * ic


def ttype(shape, elem):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + elem + ">"


def uniform(storage, scale, zp=0):
    return f"!qnt.uniform<{storage}:f32, {scale!r}:{zp}>"


def per_axis(storage, scales, axis=0):
    params = ", ".join(f"{float(s)!r}:0" for s in scales)
    return f"!qnt.uniform<{storage}:f32:{axis}, {{{params}}}>"


class Blobs:
    """dense_resource blobs: hex text, 4-byte little-endian alignment first."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.items = []

    def add(self, array, hint):
        key = f"{self.prefix}_{hint}"
        data = (4).to_bytes(4, "little") + np.ascontiguousarray(array).tobytes()
        self.items.append((key, "0x" + data.hex().upper()))
        return key

    def text(self):
        if not self.items:
            return []
        return (["", "{-#", "  dialect_resources: {", "    builtin: {",
                 ",\n".join(f"      {k}: \"{v}\"" for k, v in self.items),
                 "    }", "  }", "#-}"])


def make(name, kind, dims, edges, rng):
    if kind == "fc":
        m, k, n = dims
        in_shape, w_shape, out_shape = (m, k), (n, k), (m, n)
        fan_in, oc = k, n
    else:
        nb, h, w, ic, oc, kh, kw, pad, stride = dims
        oh = (h + 2 * pad - kh) // stride + 1
        ow = (w + 2 * pad - kw) // stride + 1
        in_shape, w_shape, out_shape = (nb, h, w, ic), (oc, kh, kw, ic), (nb, oh, ow, oc)
        fan_in = kh * kw * ic

    # Weights: He-style floats, quantized symmetric per output channel.
    wf = rng.normal(0, np.sqrt(2.0 / fan_in), w_shape).astype(np.float32)
    w_scale = np.abs(wf.reshape(oc, -1)).max(axis=1) / 127.0
    w_scale = w_scale.astype(np.float32).astype(np.float64)
    wq = np.clip(np.round(wf / w_scale.reshape((oc,) + (1,) * (len(w_shape) - 1))),
                 -127, 127).astype(np.int8)
    b_scale = X_SCALE * w_scale
    bq = rng.integers(-2000, 2001, oc).astype(np.int32)

    # Input: u8 storage; real values spread over about [-2.4, 2.7].
    xq = rng.integers(0, 256, in_shape).astype(np.uint8)
    xf = (X_SCALE * (xq.astype(np.float64) - X_ZP)).astype(np.float32)

    # Output scale from the real output's spread: std(x) ~ 74 * S_x and
    # var(w) = 2 / fan_in give std(y) ~ 74 * S_x * sqrt(2); +-5 sigma.
    sigma = X_SCALE * 74.0 * np.sqrt(2.0)
    y_scale = float(np.float32(10 * sigma / 255.0))

    X = uniform("u8", X_SCALE, X_ZP)
    W = per_axis("i8<-127:127>", w_scale)
    B = per_axis("i32", b_scale)
    Y = uniform("u8", y_scale, Y_ZP)

    if kind == "fc":
        op = "qnt.fully_connected %x, %w, %b"
    else:
        op = f"qnt.conv2d %x, %w, %b padding [{pad}, {pad}, {pad}, {pad}]"
        if stride != 1:
            op += f" strides [{stride}, {stride}]"

    # Quantized model.
    qb = Blobs(name.replace("-", "_") + "_q")
    wkey = qb.add(wq, "w")
    bkey = qb.add(bq, "b")
    xt_q, yt_q = ttype(in_shape, X), ttype(out_shape, Y)
    wt_q, bt_q = ttype(w_shape, W), ttype((oc,), B)
    body = [
        f"  %wc = arith.constant dense_resource<{wkey}> : {ttype(w_shape, 'i8')}",
        f"  %w = qnt.storage_cast %wc : {ttype(w_shape, 'i8')} to {wt_q}",
        f"  %bc = arith.constant dense_resource<{bkey}> : {ttype((oc,), 'i32')}",
        f"  %b = qnt.storage_cast %bc : {ttype((oc,), 'i32')} to {bt_q}",
        f"  %y = {op} : ({xt_q}, {wt_q}, {bt_q}) -> {yt_q}",
    ]
    if edges == "quantized":
        head = f"func.func @main(%x: {xt_q}) -> {yt_q} {{"
        tail = [f"  return %y : {yt_q}"]
        q_input = xq
    else:
        head = (f"func.func @main(%xf: {ttype(in_shape, 'f32')}) -> "
                f"{ttype(out_shape, 'f32')} {{")
        body.insert(0, f"  %x = qnt.quantize %xf : {ttype(in_shape, 'f32')} to {xt_q}")
        tail = [f"  %yf = qnt.dequantize %y : {yt_q} to {ttype(out_shape, 'f32')}",
                f"  return %yf : {ttype(out_shape, 'f32')}"]
        q_input = xf
    text = [f"// Generated by bench/make-bench-models.py: {name}, int8 ({edges} edges).",
            head] + body + tail + ["}"] + qb.text()
    return text, q_input, float_twin(name, op, in_shape, w_shape, out_shape, oc,
                                     wq, w_scale, bq, b_scale), xf


def float_twin(name, op, in_shape, w_shape, out_shape, oc, wq, w_scale, bq, b_scale):
    fb = Blobs(name.replace("-", "_") + "_f")
    wf = (wq.astype(np.float64) *
          w_scale.reshape((oc,) + (1,) * (len(w_shape) - 1))).astype(np.float32)
    bf = (bq.astype(np.float64) * b_scale).astype(np.float32)
    wkey = fb.add(wf, "w")
    bkey = fb.add(bf, "b")
    xt, yt = ttype(in_shape, "f32"), ttype(out_shape, "f32")
    wt, bt = ttype(w_shape, "f32"), ttype((oc,), "f32")
    return ([f"// Generated by bench/make-bench-models.py: {name}, float twin.",
             f"func.func @main(%x: {xt}) -> {yt} {{",
             f"  %w = arith.constant dense_resource<{wkey}> : {wt}",
             f"  %b = arith.constant dense_resource<{bkey}> : {bt}",
             f"  %y = {op} : ({xt}, {wt}, {bt}) -> {yt}",
             f"  return %y : {yt}",
             "}"] + fb.text())


def count_ops(path):
    """2*MACs of every qnt.conv2d / depthwise_conv2d / fully_connected /
    matmul in a model, read from the types in its text."""
    total = 0
    shape_re = r"tensor<([0-9x]+)x[^>]*>"

    def dims(t):
        return [int(d) for d in t.split("x") if d]

    with open(path) as f:
        for line in f:
            mo = re.search(r"qnt\.(conv2d|depthwise_conv2d|fully_connected|matmul)\b", line)
            if not mo:
                continue
            shapes = [dims(s) for s in re.findall(shape_re, line.split(" : ", 1)[1])]
            out = shapes[-1]
            w = shapes[1]
            kind = mo.group(1)
            if kind == "conv2d":  # out NHWO, weight O KH KW C/g
                total += 2 * np.prod(out) * w[1] * w[2] * w[3]
            elif kind == "depthwise_conv2d":  # weight 1 KH KW C*mult
                total += 2 * np.prod(out) * w[1] * w[2]
            elif kind == "fully_connected":  # out NxO, weight OxK
                total += 2 * np.prod(out) * w[1]
            else:  # matmul: out [..., M, N], lhs [..., M, K]
                total += 2 * np.prod(out) * shapes[0][-1]
    return int(total)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out_dir", nargs="?")
    p.add_argument("--edges", choices=["quantized", "float"], default="quantized")
    p.add_argument("--only", default="", help="comma-separated shape names")
    p.add_argument("--count-ops", metavar="MODEL", help="print 2*MACs of MODEL and exit")
    p.add_argument("--seed", type=int, default=2024)
    a = p.parse_args()
    if a.count_ops:
        print(count_ops(a.count_ops))
        return 0
    if not a.out_dir:
        p.error("OUT_DIR is required")
    os.makedirs(a.out_dir, exist_ok=True)
    only = set(filter(None, a.only.split(",")))
    manifest = []
    for index, (name, kind, dims) in enumerate(SHAPES):
        if only and name not in only:
            continue
        # One generator per shape: --only does not change the data.
        rng = np.random.default_rng([a.seed, index])
        qtext, qin, ftext, fin = make(name, kind, dims, a.edges, rng)
        base = os.path.join(a.out_dir, name)
        with open(base + ".q.mlir", "w") as f:
            f.write("\n".join(qtext) + "\n")
        with open(base + ".f.mlir", "w") as f:
            f.write("\n".join(ftext) + "\n")
        np.save(base + ".q.npy", qin)
        np.save(base + ".f.npy", fin)
        manifest.append(f"{name} {kind} {' '.join(map(str, dims))} {ops_of(kind, dims)}")
    with open(os.path.join(a.out_dir, "shapes.txt"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
