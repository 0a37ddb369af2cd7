#!/usr/bin/env python3
"""Writes a function of qnt.quantize and qnt.dequantize ops over many
storage types and parameters, and its inputs, for the bit-exactness test
of --qnt-lower-to-arith against rt::quantizeValue / rt::dequantizeValue.

quantize: f32 values with exact ties of the power-of-two scales
((k + 1/2) * S), +-0, NaN, +-inf, huge and subnormal values, random ones,
and 3.0 / 6.000000000000001, whose quotient 0.5 - 2^-54 rounds to 0 but
becomes 1.0 if 0.5 is added before truncating. Per tensor (i8, u8, narrow
i8, i16, i32, and i4/u4/i2/u2 through a dequantize round trip, since .npy
has no 4-bit type) and per axis (axis 0 and 1).
dequantize: every 8-bit pattern, i16 and i32 extremes (q - Z of i32
storage needs 33 bits), per tensor and per axis.

usage: make_quantize.py OUT.mlir OUT_DIR SEED
"""
import os
import sys

import numpy as np

out_mlir, out_dir, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(seed)
N = 2048
MAGIC = 6.000000000000001  # 6 + 2^-50


def floats():
    v = [0.0, -0.0, np.nan, np.inf, -np.inf, 1e30, -1e30, 3.4e38, -3.4e38,
         1e-45, -1e-45, 3.0, -3.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 127.5,
         -128.5, 255.5, 32767.5, 2147483647.0, -2147483648.0, 4294967296.0]
    for e in range(-6, 3):
        for k in rng.integers(-400, 400, 40):
            v.append((k + 0.5) * 2.0**e)
    v += list(rng.normal(0, 100, 400)) + list(rng.uniform(-3e4, 3e4, 300))
    v += list(rng.uniform(-2, 2, N))
    return np.array(v[:N], dtype=np.float32)


def num(s):
    """A float literal MLIR parses back to the same double (1e-30 needs a
    dot: 1.0e-30)."""
    r = repr(float(s))
    return r.replace("e", ".0e") if "e" in r and "." not in r else r


def uni(storage, params, axis=None):
    if axis is None:
        s, z = params[0]
        return f"!qnt.uniform<{storage}:f32, {num(s)}:{z}>"
    body = ", ".join(f"{num(s)}:{z}" for s, z in params)
    return f"!qnt.uniform<{storage}:f32:{axis}, {{{body}}}>"


def t(shape, elem):
    return "tensor<" + "x".join(map(str, shape)) + "x" + elem + ">"


def bits(storage):
    return "i" + "".join(c for c in storage.split("<")[0] if c.isdigit())


lines, results, types = [], [], []
count = [0]


def fresh():
    count[0] += 1
    return f"%v{count[0]}"


def quantize(src, shape, storage, params, axis=None, round_trip=False):
    q = uni(storage, params, axis)
    v = fresh()
    lines.append(f"  {v} = qnt.quantize {src} : {t(shape, 'f32')} to {t(shape, q)}")
    r = fresh()
    if round_trip:
        lines.append(f"  {r} = qnt.dequantize {v} : {t(shape, q)} to {t(shape, 'f32')}")
        results.append(r)
        types.append(t(shape, "f32"))
        return
    lines.append(f"  {r} = qnt.storage_cast {v} : {t(shape, q)} to {t(shape, bits(storage))}")
    results.append(r)
    types.append(t(shape, bits(storage)))


def dequantize(src, shape, storage, params, axis=None):
    q = uni(storage, params, axis)
    c = fresh()
    lines.append(f"  {c} = qnt.storage_cast {src} : {t(shape, bits(storage))} to {t(shape, q)}")
    r = fresh()
    lines.append(f"  {r} = qnt.dequantize {c} : {t(shape, q)} to {t(shape, 'f32')}")
    results.append(r)
    types.append(t(shape, "f32"))


per_tensor = [
    ("i8", 0.5, 0), ("i8", 0.25, -1), ("i8", MAGIC, 0), ("i8", 0.1, 3),
    ("u8", 0.1, 128), ("u8", 0.03125, 0), ("u8", 1.0, 255),
    ("i8<-127:127>", 0.5, 0), ("i16", 0.001, 0), ("i16", 2.0, -100),
    ("i32", 0.5, 0), ("i32", 1e-3, 12345),
    ("i32", MAGIC, 0), ("i32", 1e-30, -7),
]
for storage, s, z in per_tensor:
    quantize("%r", (N,), storage, [(s, z)])
for storage, s, z in [("i4", 0.5, 0), ("u4", 0.25, 8), ("i4<-7:7>", 1.0, 1),
                         ("i2", 1.0, 0), ("u2", 0.5, 1)]:
    quantize("%r", (N,), storage, [(s, z)], round_trip=True)

axis_params = [(0.5, 0), (0.25, -3), (MAGIC, 0), (0.1, 7), (1.0, -128),
               (0.03125, 127), (2.0, 1), (0.007, -20)]
quantize("%p", (8, 256), "i8", axis_params, axis=0)
quantize("%pt", (256, 8), "u8", [(s, z + 128) for s, z in axis_params], axis=1)
quantize("%pt", (256, 8), "i32", axis_params, axis=1)

for storage, s, z in [("i8", 0.5, 0), ("i8", 0.1, -128), ("i8", 3.0, 127),
                      ("u8", 0.1, 128), ("u8", 1e-3, 0), ("u8", 7.5, 255),
                      ("i8<-127:127>", 0.02, 0)]:
    dequantize("%d8", (256,), storage, [(s, z)])
for storage, s, z in [("i16", 0.001, -32768), ("i16", 0.5, 32767)]:
    dequantize("%d16", (1024,), storage, [(s, z)])
for storage, s, z in [("i32", 1e-5, 2147483647), ("i32", 0.3, -2147483648),
                      ("i32", MAGIC, 0)]:
    dequantize("%d32", (1024,), storage, [(s, z)])
dequantize("%d8a", (4, 256), "i8", [(0.5, 0), (0.1, -128), (3.0, 127), (1e-3, 5)], axis=0)
dequantize("%d8a", (4, 256), "u8", [(0.5, 0), (0.1, 128), (3.0, 255), (1e-3, 5)], axis=0)

r = floats()
p = np.stack([np.roll(r, 31 * j)[:256] for j in range(8)])
d8 = np.arange(-128, 128, dtype=np.int8)
d16 = np.concatenate([[-32768, -32767, -1, 0, 1, 32766, 32767],
                      rng.integers(-32768, 32768, 1024 - 7)]).astype(np.int16)
d32 = np.concatenate([[-2**31, -2**31 + 1, -1, 0, 1, 2**31 - 2, 2**31 - 1],
                      rng.integers(-2**31, 2**31, 1024 - 7)]).astype(np.int32)
inputs = {"r": r, "p": p, "pt": np.ascontiguousarray(p.T), "d8": d8,
          "d16": d16, "d32": d32, "d8a": np.stack([np.roll(d8, 7 * j) for j in range(4)])}
os.makedirs(out_dir, exist_ok=True)
for name, a in inputs.items():
    np.save(os.path.join(out_dir, name + ".npy"), a)

args = [f"%r: {t((N,), 'f32')}", f"%p: {t((8, 256), 'f32')}",
        f"%pt: {t((256, 8), 'f32')}", f"%d8: {t((256,), 'i8')}",
        f"%d16: {t((1024,), 'i16')}", f"%d32: {t((1024,), 'i32')}",
        f"%d8a: {t((4, 256), 'i8')}"]
with open(out_mlir, "w") as f:
    f.write(f"func.func @main({', '.join(args)}) -> ({', '.join(types)}) {{\n")
    f.write("\n".join(lines) + "\n")
    f.write(f"  return {', '.join(results)} : {', '.join(types)}\n}}\n")
print(f"{len(results)} results")
