#!/usr/bin/env python3
"""Writes a float qnt model that uses every float graph op, in the forms
the example models do not: grouped, strided, dilated and asymmetrically
padded convolution, depthwise multiplier 2 and 1, max pooling with padding,
average pooling with and without counting padding (varying divisors),
batch norm on rank 4 and rank 2, add and mul with broadcasting, relu, relu6,
clamp, concat of three inputs, pad with a value, reshape, transpose,
fully connected with and without bias, matmul of rank 2, 3 and 4, and
softmax on the last, a middle and the first axis. The end-to-end test
lowers it with qnt-lower-float-to-linalg, runs it on the CPU and compares
with the reference interpreter.

usage: make_float_ops_model.py OUT.mlir OUT_INPUT.npy [SEED]
"""
import sys

import numpy as np

rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 7)


def t(shape):
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"


def floats(shape, lo=-1.0, hi=1.0):
    a = rng.uniform(lo, hi, shape).astype(np.float32)
    return np.array2string(a.astype(np.float64), separator=", ",
                           threshold=10**9, floatmode="unique").replace("\n", "")


def window(size, k, s, d, lo, hi):
    return (size + lo + hi - d * (k - 1) - 1) // s + 1


lines = []
shapes = {"%x": (1, 9, 9, 4)}


def const(name, shape, lo=-1.0, hi=1.0):
    lines.append(f"  {name} = arith.constant dense<{floats(shape, lo, hi)}> : {t(shape)}")
    shapes[name] = shape


# Ops whose assembly format prints functional-type(operands, results); the
# others print the operand types, an arrow and the result type.
FUNCTIONAL = ("conv2d", "depthwise_conv2d", "fully_connected", "batch_norm",
              "concat")


def op(name, mnemonic, operands, shape, attrs=""):
    types = ", ".join(t(shapes[o]) for o in operands)
    if mnemonic in FUNCTIONAL:
        sig = f"({types}) -> {t(shape)}"
    else:
        sig = f"{types} -> {t(shape)}"
    lines.append(f"  {name} = qnt.{mnemonic} {', '.join(operands)}{attrs} : {sig}")
    shapes[name] = shape


def conv_shape(x, w, s, d, p, out_c):
    return (x[0], window(x[1], w[1], s[0], d[0], p[0], p[1]),
            window(x[2], w[2], s[1], d[1], p[2], p[3]), out_c)


# Grouped conv: groups 2, strides, dilations, asymmetric padding, bias.
const("%w1", (6, 3, 3, 2)); const("%b1", (6,))
c1 = conv_shape(shapes["%x"], (6, 3, 3, 2), (2, 1), (1, 2), (1, 2, 2, 1), 6)
op("%c1", "conv2d", ["%x", "%w1", "%b1"], c1,
   " strides [2, 1] dilations [1, 2] padding [1, 2, 2, 1] groups 2")
const("%g1", (6,), 0.5, 1.5); const("%be1", (6,)); const("%m1", (6,))
const("%v1", (6,), 0.2, 2.0)
op("%bn1", "batch_norm", ["%c1", "%g1", "%be1", "%m1", "%v1"], c1, " epsilon 1.0e-03")
op("%r6", "relu6", ["%bn1"], c1)
# Depthwise, multiplier 2, bias, strides and dilations; then multiplier 1.
const("%wd", (1, 3, 3, 12)); const("%bd", (12,))
d1 = conv_shape(c1, (1, 3, 3), (1, 2), (2, 1), (2, 2, 1, 1), 12)
op("%d1", "depthwise_conv2d", ["%r6", "%wd", "%bd"], d1,
   " strides [1, 2] dilations [2, 1] padding [2, 2, 1, 1]")
op("%cl", "clamp", ["%d1"], d1, " min -0.75 max 1.5")
const("%wd1", (1, 2, 2, 12))
d2 = conv_shape(d1, (1, 2, 2), (1, 1), (1, 1), (0, 0, 0, 0), 12)
op("%d2", "depthwise_conv2d", ["%cl", "%wd1"], d2)
# Pools: average without and with the padding counted, max with padding.
a1 = conv_shape(d1, (1, 3, 3), (2, 1), (1, 1), (1, 1, 1, 1), 12)
op("%ap1", "avg_pool2d", ["%cl"], a1, " kernel [3, 3] strides [2, 1] padding [1, 1, 1, 1]")
a2 = conv_shape(d1, (1, 2, 3), (1, 2), (1, 1), (1, 0, 2, 1), 12)
op("%ap2", "avg_pool2d", ["%cl"], a2,
   " kernel [2, 3] strides [1, 2] padding [1, 0, 2, 1] {count_include_pad = true}")
mp = conv_shape(d2, (1, 3, 2), (1, 1), (1, 1), (1, 1, 0, 1), 12)
op("%mp", "max_pool2d", ["%d2"], mp, " kernel [3, 2] padding [1, 1, 0, 1]")
# 1x1 conv without bias, relu, broadcasting add and mul, concat, pad.
const("%w2", (8, 1, 1, 12))
c2 = mp[:3] + (8,)
op("%c2", "conv2d", ["%mp", "%w2"], c2)
op("%rl", "relu", ["%c2"], c2)
const("%av", (8,))
op("%ad", "add", ["%rl", "%av"], c2)
const("%sc", (1, 1, c2[2], 1))
op("%mu", "mul", ["%ad", "%sc"], c2)
cat = c2[:3] + (24,)
op("%cat", "concat", ["%mu", "%rl", "%c2"], cat, " axis 3")
pd = (1, cat[1] + 1, cat[2] + 2, 24)
op("%pd", "pad", ["%cat"], pd, " padding [0, 0, 1, 0, 0, 2, 0, 0] value -5.0e-01")
# Head: global average pool, reshape, fully connected, batch norm, softmax.
op("%gp", "global_avg_pool", ["%pd"], (1, 1, 1, 24))
op("%rs", "reshape", ["%gp"], (1, 24))
const("%fw", (10, 24)); const("%fb", (10,))
op("%fc", "fully_connected", ["%rs", "%fw", "%fb"], (1, 10))
const("%g2", (10,), 0.5, 1.5); const("%be2", (10,)); const("%m2", (10,))
const("%v2", (10,), 0.2, 2.0)
op("%bn2", "batch_norm", ["%fc", "%g2", "%be2", "%m2", "%v2"], (1, 10))
const("%fw2", (5, 10))
op("%fc2", "fully_connected", ["%bn2", "%fw2"], (1, 5))
op("%sm", "softmax", ["%fc2"], (1, 5))
# Softmax on a middle axis of a transposed tensor.
tr = (1, a1[3], a1[1], a1[2])
op("%tr", "transpose", ["%ap1"], tr, " permutation [0, 3, 1, 2]")
op("%sm2", "softmax", ["%tr"], tr, " axis 1")
# Matmuls of rank 2, 3 and 4 on reshapes of the second average pool.
n = int(np.prod(a2))
assert n % 5 == 0 and (n // 5) % 12 == 0
op("%q2", "reshape", ["%ap2"], (5, n // 5))
const("%k2", (n // 5, 7))
op("%mm", "matmul", ["%q2", "%k2"], (5, 7))
op("%sm3", "softmax", ["%mm"], (5, 7), " axis 0")
op("%q3", "reshape", ["%ap2"], (5, n // 60, 12))
const("%k3", (5, 12, 4))
op("%bm", "matmul", ["%q3", "%k3"], (5, n // 60, 4))
const("%s3", (n // 60, 1))
op("%mu2", "mul", ["%bm", "%s3"], (5, n // 60, 4))
op("%q4", "reshape", ["%ap2"], (5, n // 60, 3, 4))
const("%k4", (5, n // 60, 4, 2))
op("%bm4", "matmul", ["%q4", "%k4"], (5, n // 60, 3, 2))

results = ["%pd", "%sm", "%sm2", "%sm3", "%mu2", "%bm4", "%fc"]
types = ", ".join(t(shapes[r]) for r in results)
text = [f"func.func @main(%x: {t(shapes['%x'])}) -> ({types}) {{"]
text += lines
text.append(f"  return {', '.join(results)} : {types}")
text.append("}")
with open(sys.argv[1], "w") as f:
    f.write("\n".join(text) + "\n")
# Three samples stacked along the batch dimension.
np.save(sys.argv[2], rng.uniform(-2.0, 2.0, (3,) + shapes["%x"][1:]).astype(np.float32))
