#!/usr/bin/env python3
"""Writes a quantized qnt model that uses every quantized graph op in the
forms the example models do not: asymmetric (Z_w != 0) per-channel weights,
grouped and dilated/strided convolution, depthwise multiplier 2, matmul,
mul, pad, transpose, avg pool counting padding, softmax on a middle axis,
per-axis requantize, clamp, concat of inputs with different parameters,
i8 and u8 activations. The end-to-end test runs it as a quantized graph and
as integer-only IR and requires identical outputs.

usage: make_ops_model.py OUT.mlir OUT_INPUT.npy [SEED]
"""
import sys

import numpy as np

rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 7)


def q(storage, scale, zp=0, axis=None):
    if axis is None:
        return f"!qnt.uniform<{storage}:f32, {scale!r}:{zp}>"
    params = ", ".join(f"{s!r}:{z}" for s, z in zip(scale, zp))
    return f"!qnt.uniform<{storage}:f32:{axis}, {{{params}}}>"


def t(shape, elem):
    return "tensor<" + "x".join(map(str, shape)) + "x" + elem + ">"


def ints(shape, lo, hi):
    a = rng.integers(lo, hi + 1, shape)
    return np.array2string(a, separator=", ", threshold=10**9).replace("\n", "")


lines = []
X = q("u8", 0.05, 120)
xin = t((1, 8, 8, 4), X)

# Grouped, strided, dilated conv with asymmetric per-channel weights.
WC = q("i8", [0.02, 0.03, 0.025, 0.01], [3, -5, 0, 7], axis=0)
BC = q("i32", [0.05 * s for s in [0.02, 0.03, 0.025, 0.01]], [0] * 4, axis=0)
C1 = q("u8", 0.1, 10)
lines += [
    f"  %wc = arith.constant dense<{ints((4, 3, 3, 2), -100, 100)}> : {t((4, 3, 3, 2), 'i8')}",
    f"  %w1 = qnt.storage_cast %wc : {t((4, 3, 3, 2), 'i8')} to {t((4, 3, 3, 2), WC)}",
    f"  %bc = arith.constant dense<{ints((4,), -500, 500)}> : {t((4,), 'i32')}",
    f"  %b1 = qnt.storage_cast %bc : {t((4,), 'i32')} to {t((4,), BC)}",
    f"  %c1 = qnt.conv2d %x, %w1, %b1 strides [2, 1] dilations [1, 2] padding [1, 1, 2, 2] groups 2"
    f" : ({xin}, {t((4, 3, 3, 2), WC)}, {t((4,), BC)}) -> {t((1, 4, 8, 4), C1)}",
]
# Depthwise, multiplier 2, symmetric weights, output clamp.
WD = q("i8<-127:127>", [0.03] * 8, [0] * 8, axis=3)
D1 = q("u8", 0.08, 30)
lines += [
    f"  %wdc = arith.constant dense<{ints((1, 3, 3, 8), -127, 127)}> : {t((1, 3, 3, 8), 'i8')}",
    f"  %wd = qnt.storage_cast %wdc : {t((1, 3, 3, 8), 'i8')} to {t((1, 3, 3, 8), WD)}",
    f"  %d1 = qnt.depthwise_conv2d %c1, %wd padding [1, 1, 1, 1] : ({t((1, 4, 8, 4), C1)}, {t((1, 3, 3, 8), WD)}) -> {t((1, 4, 8, 8), D1)}",
    f"  %d2 = qnt.clamp %d1 min -0.5 max 3.0 : {t((1, 4, 8, 8), D1)} -> {t((1, 4, 8, 8), D1)}",
]
# Avg pool counting padding, max pool; pad; transpose; mul; concat.
P1 = q("u8", 0.07, 25)
lines += [
    f"  %p1 = qnt.avg_pool2d %d2 kernel [3, 3] strides [1, 2] padding [1, 1, 1, 1] {{count_include_pad = true}} : {t((1, 4, 8, 8), D1)} -> {t((1, 4, 4, 8), P1)}",
    f"  %p2 = qnt.max_pool2d %d2 kernel [2, 2] strides [2, 2] : {t((1, 4, 8, 8), D1)} -> {t((1, 2, 4, 8), D1)}",
    f"  %pd = qnt.pad %p2 padding [0, 0, 1, 1, 0, 0, 0, 0] value 0.5 : {t((1, 2, 4, 8), D1)} -> {t((1, 4, 4, 8), P1)}",
    f"  %m1 = qnt.mul %p1, %pd : {t((1, 4, 4, 8), P1)}, {t((1, 4, 4, 8), P1)} -> {t((1, 4, 4, 8), q('i8', 0.05, -3))}",
    f"  %cat = qnt.concat %m1, %p1 axis 3 : ({t((1, 4, 4, 8), q('i8', 0.05, -3))}, {t((1, 4, 4, 8), P1)}) -> {t((1, 4, 4, 16), q('i8', 0.06, -10))}",
    f"  %tr = qnt.transpose %cat permutation [0, 3, 1, 2] : {t((1, 4, 4, 16), q('i8', 0.06, -10))} -> {t((1, 16, 4, 4), q('i8', 0.06, -10))}",
    f"  %sm = qnt.softmax %tr axis 1 : {t((1, 16, 4, 4), q('i8', 0.06, -10))} -> {t((1, 16, 4, 4), q('u8', 1 / 256.0, 0))}",
    f"  %flat = qnt.reshape %sm : {t((1, 16, 4, 4), q('u8', 1 / 256.0, 0))} -> {t((16, 16), q('u8', 1 / 256.0, 0))}",
]
# matmul with a constant asymmetric rhs, per-axis requantize, add, relu6.
RH = q("i8", [0.01 * (1 + i % 3) for i in range(8)], [(-1) ** i * i for i in range(8)], axis=1)
MM = q("i8", 0.01, 2)
MMA = q("i8", [0.02] * 8, [1] * 8, axis=1)
lines += [
    f"  %rc = arith.constant dense<{ints((16, 8), -120, 120)}> : {t((16, 8), 'i8')}",
    f"  %rhs = qnt.storage_cast %rc : {t((16, 8), 'i8')} to {t((16, 8), RH)}",
    f"  %mm = qnt.matmul %flat, %rhs : {t((16, 16), q('u8', 1 / 256.0, 0))}, {t((16, 8), RH)} -> {t((16, 8), MM)}",
    f"  %rq = qnt.requantize %mm : {t((16, 8), MM)} to {t((16, 8), q('i8', 0.015, -4))}",
    f"  %ad = qnt.add %rq, %mm : {t((16, 8), q('i8', 0.015, -4))}, {t((16, 8), MM)} -> {t((16, 8), q('i8', 0.02, 0))}",
    f"  %r6 = qnt.relu6 %ad : {t((16, 8), q('i8', 0.02, 0))} -> {t((16, 8), q('u8', 0.025, 0))}",
    f"  %rl = qnt.relu %mm : {t((16, 8), MM)} -> {t((16, 8), q('u8', 0.004, 0))}",
    f"  %fc = arith.constant dense<{ints((8, 8), -127, 127)}> : {t((8, 8), 'i8')}",
    f"  %fw = qnt.storage_cast %fc : {t((8, 8), 'i8')} to {t((8, 8), q('i8<-127:127>', 0.02))}",
    f"  %fo = qnt.fully_connected %r6, %fw : ({t((16, 8), q('u8', 0.025, 0))}, {t((8, 8), q('i8<-127:127>', 0.02))}) -> {t((16, 8), q('i8', 0.03, 5))}",
    f"  %g = qnt.global_avg_pool %p1 : {t((1, 4, 4, 8), P1)} -> {t((1, 1, 1, 8), q('u8', 0.01, 3))}",
]
results = [("%fo", t((16, 8), q('i8', 0.03, 5))), ("%rl", t((16, 8), q('u8', 0.004, 0))),
           ("%g", t((1, 1, 1, 8), q('u8', 0.01, 3))), ("%sm", t((1, 16, 4, 4), q('u8', 1 / 256.0, 0)))]
text = [f"func.func @main(%x: {xin}) -> ({', '.join(r[1] for r in results)}) {{"]
text += lines
text.append(f"  return {', '.join(r[0] for r in results)} : {', '.join(r[1] for r in results)}")
text.append("}")
with open(sys.argv[1], "w") as f:
    f.write("\n".join(text) + "\n")
np.save(sys.argv[2], rng.integers(0, 256, (3, 8, 8, 4)).astype(np.uint8))
