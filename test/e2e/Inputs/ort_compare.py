#!/usr/bin/env python3
"""Compares our outputs with ONNX Runtime's (.npy files).

  ort_compare.py lsb OURS.npy ORT.npy --params-from MODEL.onnx [--output NAME]
                 [--min-exact F] [--max-lsb N]
      ORT.npy holds quantized integers (a model exported with
      --export-onnx-qdq-quantized-outputs); OURS.npy the same integers or
      their dequantized floats (quant-run of a model ending in
      qnt.dequantize), which are mapped back with the scale and zero point
      of the DequantizeLinear that makes output NAME (default: the first)
      in MODEL.onnx (the same model exported without that option). Prints

        lsb: E of N exact (P%), max D LSB, M within 1 LSB; top-1 agreement A of R

      and fails when the exact fraction is below F or a difference exceeds
      N LSBs.

  ort_compare.py float OURS.npy ORT.npy [--max-abs X] [--max-rel Y]
      Float outputs: prints "float: max abs error X, max relative error Y,
      top-1 agreement A of R" (relative to the largest |ORT| value) and
      fails above the given bounds.

Exit status 1 on failure, with the reason on the last line.
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def output_params(model_path, output=None):
    """(scales, zero point, axis) of the DequantizeLinear that makes graph
    output `output` (default: the first), looking through Identity,
    Transpose and Reshape; None when no DequantizeLinear makes it."""
    model = onnx.load(model_path)
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    producer = {o: n for n in model.graph.node for o in n.output}
    name = output or model.graph.output[0].name
    node = producer.get(name)
    while node is not None and node.op_type in ("Identity", "Transpose",
                                                "Reshape"):
        node = producer.get(node.input[0])
    if node is None or node.op_type != "DequantizeLinear":
        return None
    scale = inits[node.input[1]]
    zero = inits[node.input[2]] if len(node.input) > 2 else np.zeros((), np.int64)
    axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
    return scale, zero, axis


def top1(a, b):
    """Rows whose argmax agree, for [N, C] outputs (N = 1 for other shapes)."""
    a2 = a.reshape(a.shape[0], -1) if a.ndim >= 2 else a.reshape(1, -1)
    b2 = b.reshape(b.shape[0], -1) if b.ndim >= 2 else b.reshape(1, -1)
    return int(np.sum(a2.argmax(1) == b2.argmax(1))), a2.shape[0]


def lsb(args):
    ours, ort = np.load(args.ours), np.load(args.ort)
    if not np.issubdtype(ort.dtype, np.integer):
        return fail("%s is not integer (%s)" % (args.ort, ort.dtype))
    if np.issubdtype(ours.dtype, np.floating):
        params = output_params(args.params_from, args.output)
        if params is None:
            return fail("no DequantizeLinear makes the output of %s" %
                        args.params_from)
        scale, zero, _ = params
        if scale.size != 1:
            return fail("per-axis output scales are not supported here")
        # ours = scale * (q - zero) in float32: q is recovered exactly.
        q = np.rint(ours.astype(np.float64) / float(scale)).astype(np.int64)
        ours = q + int(zero)
    if ours.shape != ort.shape:
        return fail("shapes differ: ours %s, ORT %s" % (ours.shape, ort.shape))
    d = np.abs(ours.astype(np.int64) - ort.astype(np.int64))
    exact = int(np.sum(d == 0))
    within1 = int(np.sum(d <= 1))
    agree, rows = top1(ours, ort)
    print("lsb: %d of %d exact (%.2f%%), max %d LSB, %d within 1 LSB; "
          "top-1 agreement %d of %d" % (exact, d.size, 100.0 * exact / d.size,
                                        d.max(), within1, agree, rows))
    if args.min_exact is not None and exact < args.min_exact * d.size:
        return fail("fewer than %.2f%% exact" % (100 * args.min_exact))
    if args.max_lsb is not None and d.max() > args.max_lsb:
        return fail("a difference above %d LSB" % args.max_lsb)
    return 0


def flt(args):
    ours = np.load(args.ours).astype(np.float64)
    ort = np.load(args.ort).astype(np.float64)
    if ours.shape != ort.shape:
        return fail("shapes differ: ours %s, ORT %s" % (ours.shape, ort.shape))
    err = np.abs(ours - ort)
    max_abs = float(err.max())
    max_rel = max_abs / max(float(np.abs(ort).max()), 1e-30)
    agree, rows = top1(ours, ort)
    print("float: max abs error %.3g, max relative error %.3g; top-1 "
          "agreement %d of %d" % (max_abs, max_rel, agree, rows))
    if args.max_abs is not None and max_abs > args.max_abs:
        return fail("max abs error above %g" % args.max_abs)
    if args.max_rel is not None and max_rel > args.max_rel:
        return fail("max relative error above %g" % args.max_rel)
    return 0


def fail(why):
    print("FAIL: " + why)
    return 1


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)
    q = sub.add_parser("lsb")
    q.add_argument("ours")
    q.add_argument("ort")
    q.add_argument("--params-from", required=False)
    q.add_argument("--output", default=None)
    q.add_argument("--min-exact", type=float, default=None)
    q.add_argument("--max-lsb", type=int, default=None)
    f = sub.add_parser("float")
    f.add_argument("ours")
    f.add_argument("ort")
    f.add_argument("--max-abs", type=float, default=None)
    f.add_argument("--max-rel", type=float, default=None)
    args = p.parse_args(argv)
    return lsb(args) if args.mode == "lsb" else flt(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
