#!/usr/bin/env python3
"""Writes a function applying qnt.fixed_point_mul with many multiplier/shift
pairs to many i32 values, and its inputs, for the bit-exactness test of
--qnt-lower-to-arith against the runtime core (qc/runtime/fixed_point.h).

Per axis: every pair is one channel of a (rows x pairs) input, once on the
last axis and once (transposed) on axis 0, in all four rounding modes.
Per tensor: a few pairs each applied to a vector of the same values, the
results concatenated. The values cover INT32_MIN/MAX, 0, +-1, powers of
two, exact ties of every right shift (k * 2^r + 2^(r-1), and +-1 around
them) and random int32s.

usage: make_fixed_point_mul.py OUT.mlir OUT_DIR SEED
"""
import os
import sys

import numpy as np

out_mlir, out_dir, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(seed)
I32_MIN, I32_MAX = -(2**31), 2**31 - 1
ROWS = 256


def values(count):
    """`count` int32 test values: special ones first, then ties, random."""
    special = [I32_MIN, I32_MIN + 1, -(2**30), -65536, -3, -2, -1, 0, 1, 2,
               3, 65536, 2**30, 2**30 - 1, I32_MAX - 1, I32_MAX]
    ties = []
    for r in range(1, 32):
        k = int(rng.integers(-(2**(31 - r)), 2**(31 - r)))
        t = k * 2**r + 2**(r - 1)
        ties += [t - 1, t, t + 1, -t]
    v = special + ties
    v += list(rng.integers(-(2**15), 2**15, count // 8))
    v += list(rng.integers(I32_MIN, I32_MAX, count, endpoint=True))
    v = np.clip(np.array(v[:count], dtype=np.int64), I32_MIN, I32_MAX)
    return v.astype(np.int32)


def pairs(max_shift):
    """(m0, shift) pairs: every shift in [-31, max_shift] with m0 0, 1,
    2^30, 2^30 + 1, 1518500250 (sqrt 2), INT32_MAX and random ones."""
    result = []
    for s in range(-31, max_shift + 1):
        for m in [0, 1, 2**30, 2**30 + 1, 1518500250, I32_MAX,
                  int(rng.integers(2**30, 2**31)), int(rng.integers(0, 2**31))]:
            result.append((m, s))
    return result


def tensor(shape, elem="i32"):
    return "tensor<" + "x".join(map(str, shape)) + "x" + elem + ">"


def fpm(name, src, prs, shape, axis, mode):
    ms = ", ".join(str(m) for m, _ in prs)
    ss = ", ".join(str(s) for _, s in prs)
    ax = f" axis {axis}" if axis is not None else ""
    return (f"  {name} = qnt.fixed_point_mul {src} by [{ms}] shift [{ss}]{ax}"
            f" rounding {mode} : {tensor(shape)}")


modes = [("gemmlowp", 31), ("tosa_single", 29), ("tosa_double", 29),
         ("half_even", 31)]
# The same number of pairs in every mode, so one input serves all: TOSA
# (shift <= 29) repeats the list's tail with fresh random multipliers.
P = len(pairs(31))
lines, results, types = [], [], []
x = values(ROWS)
args = {}
for i, (mode, max_shift) in enumerate(modes):
    prs = (pairs(max_shift) + pairs(max_shift))[:P]
    lines.append(fpm(f"%a{i}", "%x", prs, (ROWS, P), 1, mode))
    lines.append(fpm(f"%b{i}", "%xt", prs, (P, ROWS), 0, mode))
    results += [f"%a{i}", f"%b{i}"]
    types += [tensor((ROWS, P)), tensor((P, ROWS))]

# Per tensor: the pair is a constant of the body.
per_tensor = []
for mode, max_shift in modes:
    prs = pairs(max_shift)
    picks = [prs[j] for j in rng.choice(len(prs), 24, replace=False)]
    picks += [(I32_MAX, max_shift), (I32_MAX, -31), (2**30, 0), (0, 5)]
    for m, s in picks:
        name = f"%t{len(per_tensor)}"
        lines.append(fpm(name, "%y", [(m, s)], (ROWS,), None, mode))
        per_tensor.append(name)
n = len(per_tensor)
lines.append(f"  %cat = tensor.concat dim(0) {', '.join(per_tensor)} : ("
             + ", ".join([tensor((ROWS,))] * n) + f") -> {tensor((ROWS * n,))}")
results.append("%cat")
types.append(tensor((ROWS * n,)))

# Every value meets every pair: rows of x, and x itself for the vector.
grid = np.stack([np.roll(x, j) for j in range(P)], axis=1)
os.makedirs(out_dir, exist_ok=True)
np.save(os.path.join(out_dir, "x.npy"), grid)
np.save(os.path.join(out_dir, "xt.npy"), np.ascontiguousarray(grid.T))
np.save(os.path.join(out_dir, "y.npy"), x)

with open(out_mlir, "w") as f:
    f.write(f"func.func @main(%x: {tensor((ROWS, P))}, %xt: {tensor((P, ROWS))},"
            f" %y: {tensor((ROWS,))}) -> ({', '.join(types)}) {{\n")
    f.write("\n".join(lines) + "\n")
    f.write(f"  return {', '.join(results)} : {', '.join(types)}\n}}\n")
cases = 2 * len(modes) * ROWS * P + ROWS * n
print(f"{cases} fixed_point_mul cases")
