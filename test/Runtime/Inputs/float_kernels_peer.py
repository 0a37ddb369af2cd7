#!/usr/bin/env python3
"""Python half of test/Runtime/float-kernels-peer.test.

The C++ half is unittests/Runtime/FloatKernelsPeerMain.cpp (QCFloatKernelsPeer).

  float_kernels_peer.py CASES.npz
      Generates seeded random cases for every float reference kernel and
      their expected outputs, computed in float64 by PyTorch (convolutions,
      pools, fully connected, batch norm, softmax: NHWC/OHWI operands are
      transposed to PyTorch's NCHW/OIHW) or NumPy (the rest), and writes them
      with np.savez_compressed, so that the deflate path of our .npz reader
      is exercised too. Array names are "<NNN>-<op>-<tag>/<field>".
  float_kernels_peer.py --write-files DIR
      Writes .npy files of every supported dtype and rank 0 to 5 (format
      versions 1.0, 2.0 and 3.0), .npz archives (np.savez, np.savez_compressed,
      one with an archive comment) and malformed files, plus DIR/manifest.txt
      for `QCFloatKernelsPeer --check-files DIR`.
  float_kernels_peer.py --check-ours DIR
      Loads with NumPy the files `QCFloatKernelsPeer --write-ours DIR` wrote
      and checks every value.

Arrays of the file modes are named "<code>_<dims>" and hold pattern(); the C++
side computes the same values (setPatternValue).
"""

import os
import sys
import zipfile

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20240611

# ---------------------------------------------------------------------------
# Kernel cases
# ---------------------------------------------------------------------------


class Cases:
    def __init__(self):
        self.rng = np.random.default_rng(SEED)
        self.arrays = {}
        self.count = 0

    def rand(self, *shape, scale=1.0):
        return (self.rng.standard_normal(shape) * scale).astype(np.float32)

    def add(self, op, tag, expected, inputs, bias=None, attrs=None, fattrs=None):
        name = "%03d-%s-%s" % (self.count, op, tag)
        self.count += 1
        for i, x in enumerate(inputs):
            self.arrays["%s/in%d" % (name, i)] = np.array(x, order="C")
        if bias is not None:
            self.arrays[name + "/bias"] = bias
        if attrs is not None:
            self.arrays[name + "/attrs"] = np.asarray(attrs, dtype=np.int64)
        if fattrs is not None:
            self.arrays[name + "/fattrs"] = np.asarray(fattrs, dtype=np.float64)
        # C order: np.save writes a transposed view with fortran_order True,
        # which our reader rejects by design.
        self.arrays[name + "/expected"] = np.array(expected, dtype=np.float32,
                                                   order="C")


def t64(x):
    return torch.from_numpy(np.asarray(x, dtype=np.float64))


def nchw(x):
    """NHWC numpy array to an NCHW float64 torch tensor."""
    return t64(x).permute(0, 3, 1, 2)


def nhwc(y):
    return y.permute(0, 2, 3, 1).numpy()


def conv_ref(x, w_oihw, bias, stride, dil, pads, groups):
    """pads = (top, bottom, left, right); PyTorch pads symmetrically only."""
    pt, pb, pl, pr = pads
    xt = nchw(x)
    if pt == pb and pl == pr:
        padding = (pt, pl)
    else:
        xt = F.pad(xt, (pl, pr, pt, pb))
        padding = 0
    b = None if bias is None else t64(bias)
    y = F.conv2d(xt, w_oihw, b, stride=stride, padding=padding, dilation=dil,
                 groups=groups)
    return nhwc(y)


def conv_cases(c):
    # (input NHWC, O, (KH, KW), stride, dilation, pads, groups, bias)
    specs = [
        ((1, 5, 7, 3), 4, (3, 3), (1, 1), (1, 1), (0, 0, 0, 0), 1, True),
        ((2, 9, 8, 4), 6, (3, 2), (2, 1), (1, 1), (1, 1, 0, 1), 2, True),
        ((1, 11, 10, 6), 6, (3, 3), (2, 3), (2, 1), (2, 1, 1, 2), 3, False),
        ((1, 8, 8, 4), 8, (1, 1), (1, 1), (1, 1), (0, 0, 0, 0), 4, True),
        ((3, 7, 7, 2), 5, (5, 5), (1, 1), (1, 1), (2, 2, 2, 2), 1, True),
        ((1, 6, 6, 8), 3, (3, 3), (2, 2), (1, 1), (0, 1, 0, 1), 1, False),
        ((1, 13, 9, 3), 2, (2, 4), (3, 2), (3, 2), (0, 2, 3, 1), 1, True),
        ((2, 4, 5, 1), 1, (4, 5), (1, 1), (1, 1), (0, 0, 0, 0), 1, True),
    ]
    for i, (shape, o, (kh, kw), s, d, pads, g, has_bias) in enumerate(specs):
        x = c.rand(*shape)
        w = c.rand(o, kh, kw, shape[3] // g)
        b = c.rand(o) if has_bias else None
        y = conv_ref(x, t64(w).permute(0, 3, 1, 2), b, s, d, pads, g)
        c.add("conv2d", "k%dx%d_s%d%d_d%d%d_g%d_%d" % (kh, kw, *s, *d, g, i), y,
              [x, w], b, [*s, *d, *pads, g])


def depthwise_cases(c):
    # (input NHWC, M, (KH, KW), stride, dilation, pads, bias)
    specs = [
        ((1, 7, 7, 3), 1, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True),
        ((2, 6, 9, 4), 2, (3, 3), (2, 2), (1, 1), (0, 1, 1, 1), True),
        ((1, 9, 9, 2), 2, (3, 2), (1, 2), (2, 2), (2, 2, 1, 0), False),
        ((1, 5, 8, 5), 1, (5, 3), (1, 1), (1, 3), (0, 2, 3, 3), True),
        ((3, 4, 4, 1), 2, (2, 2), (2, 2), (1, 1), (0, 0, 0, 0), True),
    ]
    for i, (shape, m, (kh, kw), s, d, pads, has_bias) in enumerate(specs):
        ch = shape[3]
        x = c.rand(*shape)
        w = c.rand(1, kh, kw, ch * m)
        b = c.rand(ch * m) if has_bias else None
        # [1, KH, KW, C*M] -> [C*M, 1, KH, KW]; with groups = C, PyTorch's
        # output channel c*M+m reads input channel c, as ours does.
        y = conv_ref(x, t64(w).permute(3, 0, 1, 2), b, s, d, pads, ch)
        c.add("depthwise_conv2d", "m%d_k%dx%d_%d" % (m, kh, kw, i), y, [x, w],
              b, [*s, *d, *pads, 1])


def product_cases(c):
    for i, (n, k, o, has_bias) in enumerate(
            [(1, 17, 5, True), (4, 33, 10, False), (3, 1, 2, True),
             (2, 64, 7, True)]):
        x, w = c.rand(n, k), c.rand(o, k)
        b = c.rand(o) if has_bias else None
        y = F.linear(t64(x), t64(w), None if b is None else t64(b)).numpy()
        c.add("fully_connected", "%dx%dx%d_%d" % (n, k, o, i), y, [x, w], b)
    for i, (ls, rs) in enumerate(
            [((3, 4), (4, 5)), ((2, 3, 7), (2, 7, 2)),
             ((2, 1, 3, 5), (2, 1, 5, 4)), ((1, 1), (1, 1)),
             ((5, 1, 9), (5, 9, 3))]):
        a, b = c.rand(*ls), c.rand(*rs)
        c.add("matmul", "r%d_%d" % (len(ls), i),
              np.matmul(a.astype(np.float64), b.astype(np.float64)), [a, b])


def batch_norm_cases(c):
    for i, (shape, eps) in enumerate(
            [((2, 5, 5, 3), 1e-5), ((7, 4), 1e-3), ((6,), 0.0)]):
        ch = shape[-1]
        x = c.rand(*shape)
        gamma, beta, mean = c.rand(ch), c.rand(ch), c.rand(ch)
        var = (c.rng.random(ch) + 0.1).astype(np.float32)
        # F.batch_norm wants channels at dim 1: [..., C] -> [rows, C].
        y = F.batch_norm(t64(x).reshape(-1, ch), t64(mean), t64(var),
                         t64(gamma), t64(beta), training=False, eps=eps)
        c.add("batch_norm", "r%d_%d" % (len(shape), i),
              y.numpy().reshape(shape), [x, gamma, beta, mean, var],
              fattrs=[eps])


def elementwise_cases(c):
    pairs = [((2, 3, 4), (4,)), ((2, 1, 4), (3, 1)), ((1,), (5,)),
             ((), (2, 3)), ((3, 1, 5, 1), (1, 4, 1, 6)), ((2, 3), (2, 3)),
             ((4, 1), ()), ((0, 3), (1, 3))]
    for op, fn in (("add", np.add), ("mul", np.multiply)):
        for i, (sa, sb) in enumerate(pairs):
            a, b = c.rand(*sa), c.rand(*sb)
            y = fn(a.astype(np.float64), b.astype(np.float64))
            c.add(op, "bcast%d" % i, y, [a, b])
    for i, (lo, hi) in enumerate([(0.0, np.inf), (0.0, 6.0), (-0.5, 0.25)]):
        x = c.rand(3, 5, 7, scale=4.0)
        c.add("clamp", "c%d" % i, np.clip(x, lo, hi), [x], fattrs=[lo, hi])


def pool_ref(x, k, s, pads, kind, include_pad):
    """Max or average pool over NHWC x with pads (top, bottom, left, right)."""
    pt, pb, pl, pr = pads
    xt = nchw(x)
    native = pt == pb and pl == pr and pt <= k[0] // 2 and pl <= k[1] // 2
    if kind == "max":
        if native:
            return nhwc(F.max_pool2d(xt, k, s, padding=(pt, pl)))
        xt = F.pad(xt, (pl, pr, pt, pb), value=-np.inf)
        return nhwc(F.max_pool2d(xt, k, s))
    if native:
        return nhwc(F.avg_pool2d(xt, k, s, padding=(pt, pl),
                                 count_include_pad=include_pad))
    # Asymmetric padding: window sums over a zero-padded input, divided by
    # either the window size or the count of real positions in it.
    area = k[0] * k[1]
    sums = F.avg_pool2d(F.pad(xt, (pl, pr, pt, pb)), k, s) * area
    if include_pad:
        return nhwc(sums / area)
    ones = F.pad(torch.ones_like(xt), (pl, pr, pt, pb))
    counts = F.avg_pool2d(ones, k, s) * area
    return nhwc(sums / counts)


def pool_cases(c):
    specs = [
        ((1, 7, 7, 3), (3, 3), (2, 2), (1, 1, 1, 1)),
        ((2, 8, 6, 2), (2, 2), (2, 2), (0, 0, 0, 0)),
        ((1, 9, 10, 4), (3, 2), (1, 2), (0, 2, 1, 0)),
        ((1, 5, 5, 1), (5, 5), (1, 1), (2, 2, 2, 2)),
        ((1, 6, 6, 3), (3, 3), (2, 2), (0, 1, 0, 1)),
        ((2, 3, 11, 2), (2, 4), (1, 3), (1, 1, 3, 2)),
    ]
    for i, (shape, k, s, pads) in enumerate(specs):
        x = c.rand(*shape)
        attrs = [*k, *s, *pads]
        c.add("max_pool2d", "k%dx%d_%d" % (*k, i),
              pool_ref(x, k, s, pads, "max", False), [x], attrs=attrs + [0])
        for include in (False, True):
            c.add("avg_pool2d", "k%dx%d_cip%d_%d" % (*k, include, i),
                  pool_ref(x, k, s, pads, "avg", include), [x],
                  attrs=attrs + [int(include)])
    for i, shape in enumerate([(2, 5, 7, 3), (1, 1, 1, 4), (3, 13, 2, 5)]):
        x = c.rand(*shape)
        y = nhwc(F.adaptive_avg_pool2d(nchw(x), 1))
        c.add("global_avg_pool", "g%d" % i, y, [x])


def movement_cases(c):
    for i, (shape, pads, value) in enumerate(
            [((2, 3), [1, 0, 0, 2], 0.5), ((1, 4, 5, 3), [0, 0, 1, 2, 2, 1, 0, 0], 0.0),
             ((5,), [3, 0], -2.0), ((), [], 0.0), ((2, 1, 3), [0, 1, 2, 0, 1, 1], 7.0)]):
        x = c.rand(*shape)
        widths = np.array(pads, dtype=np.int64).reshape(len(shape), 2)
        # np.pad refuses rank 0, where padding is the identity.
        y = np.pad(x, widths, constant_values=value) if shape else x
        c.add("pad", "r%d_%d" % (len(shape), i), y, [x], attrs=pads,
              fattrs=[value])
    for i, (shape, perm) in enumerate(
            [((2, 3, 4, 5), [0, 3, 1, 2]), ((2, 3, 4, 5), [0, 2, 3, 1]),
             ((3, 4), [1, 0]), ((2, 3, 4), [2, 0, 1]), ((7,), [0])]):
        x = c.rand(*shape)
        c.add("transpose", "p%s" % "".join(map(str, perm)),
              np.transpose(x, perm), [x], attrs=perm)
    for i, (shapes, axis) in enumerate(
            [([(2, 3, 4), (2, 5, 4)], 1), ([(2, 3), (2, 3), (2, 1)], -1),
             ([(1, 4, 4, 3), (1, 4, 4, 5)], 3), ([(1, 3), (4, 3)], 0),
             ([(2, 2, 2)], -3)]):
        xs = [c.rand(*s) for s in shapes]
        c.add("concat", "n%d_axis%d" % (len(xs), axis),
              np.concatenate(xs, axis=axis), xs, attrs=[axis])
    for i, (shape, axis, scale) in enumerate(
            [((4, 10), -1, 1.0), ((2, 3, 5), 1, 1.0), ((2, 3, 5), -3, 1.0),
             ((1, 1000), -1, 30.0), ((3, 7), 0, 5.0), ((1, 2, 2, 6), 3, 1.0)]):
        x = c.rand(*shape, scale=scale)
        y = torch.softmax(t64(x), dim=axis).numpy()
        c.add("softmax", "axis%d_%d" % (axis, i), y, [x], attrs=[axis])


def write_cases(path):
    c = Cases()
    conv_cases(c)
    depthwise_cases(c)
    product_cases(c)
    batch_norm_cases(c)
    elementwise_cases(c)
    pool_cases(c)
    movement_cases(c)
    np.savez_compressed(path, **c.arrays)
    print("wrote %d cases to %s" % (c.count, path))


# ---------------------------------------------------------------------------
# File interoperability
# ---------------------------------------------------------------------------

CODES = ["f4", "f8", "i1", "u1", "i2", "i4", "i8", "b1"]
SHAPES = {"s": (), "0": (0,), "5": (5,), "16x16": (16, 16), "2x0x3": (2, 0, 3),
          "2x3x4": (2, 3, 4), "1x2x1x3x1": (1, 2, 1, 3, 1)}


def pattern(code, shape):
    """The values FloatKernelsPeerMain.cpp's setPatternValue computes."""
    n = int(np.prod(shape, dtype=np.int64))
    i = list(range(n))
    if code == "f4":
        v = (np.arange(n, dtype=np.float32) - np.float32(7)) / np.float32(3)
    elif code == "f8":
        v = (np.arange(n, dtype=np.float64) - 7.0) / 3.0
    elif code == "i1":
        v = np.array([(k * 37 + 5) % 256 - 128 for k in i], dtype=np.int8)
    elif code == "u1":
        v = np.array([(k * 37 + 5) % 256 for k in i], dtype=np.uint8)
    elif code == "i2":
        v = np.array([(k * 4099 + 3) % 65536 - 32768 for k in i], dtype=np.int16)
    elif code == "i4":
        v = np.array([(k * 2654435761 + 11) % 2**32 - 2**31 for k in i],
                     dtype=np.int32)
    elif code == "i8":
        v = np.array([(k * 0x9E3779B97F4A7C15 + 13) % 2**64 - 2**63 for k in i],
                     dtype=np.int64)
    else:
        v = np.array([k % 3 == 0 for k in i], dtype=np.bool_)
    return v.reshape(shape)


def all_patterns():
    return {"%s_%s" % (code, dims): pattern(code, shape)
            for code in CODES for dims, shape in SHAPES.items()}


def write_with_version(path, array, version):
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version)


def write_files(d):
    os.makedirs(d, exist_ok=True)
    manifest = []
    arrays = all_patterns()
    for name, a in arrays.items():
        np.save(os.path.join(d, name + ".npy"), a)
        manifest.append("npy %s.npy" % name)
    for version in ((2, 0), (3, 0)):
        for name in ("f4_2x3x4", "i8_1x2x1x3x1", "b1_s"):
            file = "%s_v%d.npy" % (name, version[0])
            write_with_version(os.path.join(d, file), arrays[name], version)
            manifest.append("npy " + file)
    np.savez(os.path.join(d, "stored.npz"), **arrays)
    np.savez_compressed(os.path.join(d, "deflated.npz"), **arrays)
    manifest += ["npz stored.npz", "npz deflated.npz"]
    commented = os.path.join(d, "commented.npz")
    np.savez(commented, **{k: arrays[k] for k in ("f4_5", "u1_16x16")})
    with zipfile.ZipFile(commented, "a") as z:
        z.comment = b"archive comment written by Python's zipfile"
    manifest.append("npz commented.npz")

    # Files our reader must reject, with the phrase its message contains.
    def bad(file, phrase):
        manifest.append("bad %s %s" % (file, phrase))

    x = arrays["f4_2x3x4"]
    np.save(os.path.join(d, "bigendian.npy"), x.astype(">f4"))
    bad("bigendian.npy", "unsupported dtype '>f4' (big-endian)")
    np.save(os.path.join(d, "fortran.npy"), np.asfortranarray(x))
    bad("fortran.npy", "fortran_order")
    np.save(os.path.join(d, "uint16.npy"), x.astype(np.uint16))
    bad("uint16.npy", "unsupported dtype '<u2'")
    np.save(os.path.join(d, "complex.npy"), x.astype(np.complex64))
    bad("complex.npy", "unsupported dtype '<c8'")
    np.save(os.path.join(d, "record.npy"),
            np.zeros(3, dtype=[("a", "<f4"), ("b", "<i4")]))
    bad("record.npy", "structured")
    with open(os.path.join(d, "f4_2x3x4.npy"), "rb") as f:
        data = f.read()
    with open(os.path.join(d, "truncated.npy"), "wb") as f:
        f.write(data[:-3])
    bad("truncated.npy", "truncated data")
    with open(os.path.join(d, "cut_header.npy"), "wb") as f:
        f.write(data[:40])
    bad("cut_header.npy", "extends beyond the end of the file")
    with zipfile.ZipFile(os.path.join(d, "bzip2.npz"), "w",
                         zipfile.ZIP_BZIP2) as z:
        z.writestr("a.npy", data)
    bad("bzip2.npz", "unsupported compression method 12")
    with zipfile.ZipFile(os.path.join(d, "text.npz"), "w") as z:
        z.writestr("a.npy", data)
        z.writestr("readme.txt", "hello")
    bad("text.npz", "'readme.txt' is not a .npy file")
    with open(os.path.join(d, "stored.npz"), "rb") as f:
        data = f.read()
    with open(os.path.join(d, "cut.npz"), "wb") as f:
        f.write(data[:-30])
    bad("cut.npz", "end-of-central-directory")

    with open(os.path.join(d, "manifest.txt"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    print("wrote %d files" % len(manifest))


def same(got, want):
    return (got.dtype == want.dtype and got.shape == want.shape
            and np.array_equal(got, want))


def check_ours(d):
    expected = all_patterns()
    failures = 0
    checked = 0
    for name, want in expected.items():
        got = np.load(os.path.join(d, "ours_%s.npy" % name))
        checked += 1
        if not same(got, want):
            failures += 1
            print("MISMATCH ours_%s.npy: %s %s" % (name, got.dtype, got.shape))
    with np.load(os.path.join(d, "ours.npz")) as z:
        if sorted(z.files) != sorted(expected):
            failures += 1
            print("MISMATCH ours.npz members: %s" % z.files)
        for name in z.files:
            checked += 1
            if name in expected and not same(z[name], expected[name]):
                failures += 1
                print("MISMATCH ours.npz[%s]" % name)
    with zipfile.ZipFile(os.path.join(d, "ours.npz")) as z:
        bad = z.testzip()  # checks every member's CRC-32
        if bad is not None:
            failures += 1
            print("MISMATCH CRC of %s" % bad)
    print("numpy loaded %d arrays, %d mismatches" % (checked, failures))
    return 1 if failures else 0


def main(argv):
    if len(argv) == 2 and not argv[1].startswith("-"):
        write_cases(argv[1])
        return 0
    if len(argv) == 3 and argv[1] == "--write-files":
        write_files(argv[2])
        return 0
    if len(argv) == 3 and argv[1] == "--check-ours":
        return check_ours(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
