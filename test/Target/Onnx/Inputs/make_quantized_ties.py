#!/usr/bin/env python3
"""Quantized ONNX models whose rescales hit exact ties, with the outputs of
ONNX's definition computed exactly.

ONNX defines QLinearConv / QLinearMatMul as
    y = saturate(round_half_even(acc * (x_scale * w_scale / y_scale)) + y_zp)
and QuantizeLinear as
    y = saturate(round_half_even(x / y_scale) + y_zp)
(the division in float32, as ONNX's reference and ONNX Runtime compute it).
Here every scale is a power of two, so the multiplier is exactly 2^-k and
about one accumulator in 2^k lands on a tie: rounding ties away from zero
(our default, gemmlowp) or to even gives different answers, and the
importer must select half-even for these models. The reference uses
Python's exact rationals (fractions.Fraction), not floats.

Writes, into OUT_DIR, for each case NAME: NAME.onnx, NAME.in.npy (the data
input) and NAME.out.npy (the expected output):
  qlinearconv       u8 x [1,3,7,7], i8 per-channel w [4,3,3,3], int32 bias,
                    pads 1, stride 1
  qlinearconv_dw    depthwise (group 3) with a per-tensor u8 weight
  qlinearmatmul     u8 a [5,16] x constant u8 b [16,6]
  quantizelinear    float x -> u8, values on and next to the ties
  qdq_conv          the QDQ form: QuantizeLinear -> DequantizeLinear -> Conv
                    (DequantizeLinear'd i8 weights and int32 bias) ->
                    QuantizeLinear, output u8

usage: make_quantized_ties.py OUT_DIR [SEED]
"""
import os
import sys
from fractions import Fraction

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13


def rint_exact(v):
    """Round a Fraction half to even."""
    fl = v.numerator // v.denominator
    rem = v - fl
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and fl % 2 == 1):
        return fl + 1
    return fl


def saturate(v, dtype):
    info = np.iinfo(dtype)
    return max(info.min, min(info.max, v))


def one_output_graph(nodes, name, x_name, x_type, x, y, inits):
    """A graph with one data input `x_name` and one uint8 output "y"."""
    return helper.make_graph(
        nodes, name, [helper.make_tensor_value_info(x_name, x_type, x.shape)],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, y.shape)],
        initializer=inits)


def conv_acc(x, xzp, w, wzp, bias, pad, group):
    """Integer NCHW conv accumulator (int64), per-channel w zero points."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.full((n, c, h + 2 * pad, wd + 2 * pad), xzp, dtype=np.int64)
    xp[:, :, pad:pad + h, pad:pad + wd] = x
    oh, ow = h + 2 * pad - kh + 1, wd + 2 * pad - kw + 1
    acc = np.zeros((n, o, oh, ow), dtype=np.int64)
    per_group = o // group
    for oc in range(o):
        g = oc // per_group
        wc = w[oc].astype(np.int64) - wzp[oc]
        for i in range(oh):
            for j in range(ow):
                win = xp[0, g * cg:(g + 1) * cg, i:i + kh, j:j + kw] - xzp
                acc[0, oc, i, j] = int((win * wc).sum())
        if bias is not None:
            acc[0, oc] += int(bias[oc])
    return acc


def requantize(acc, xs, ws, ys, yzp, dtype, axis_len=None):
    out = np.zeros(acc.shape, dtype=np.int64)
    for idx, a in np.ndenumerate(acc):
        c = idx[1] if axis_len else 0
        m = Fraction(float(np.float32(xs))) * Fraction(float(np.float32(ws[c]))) \
            / Fraction(float(np.float32(ys)))
        out[idx] = saturate(rint_exact(int(a) * m) + yzp, dtype)
    return out.astype(dtype)


def qlinearconv(rng, depthwise):
    c, o = 3, (3 if depthwise else 4)
    # Values near the zero points keep the accumulators small, so that
    # multipliers 2^-2 .. 2^-5 give many ties without saturating.
    xs, xzp = np.float32(0.5), 131
    x = (xzp + rng.integers(-4, 5, (1, c, 7, 7))).astype(np.uint8)
    if depthwise:
        w = rng.integers(120, 137, (o, 1, 3, 3)).astype(np.uint8)
        ws = np.array([0.25], np.float32)
        wzp = np.array([128], np.uint8)
    else:
        w = rng.integers(-8, 9, (o, c, 3, 3)).astype(np.int8)
        ws = np.array([0.25, 0.125, 0.5, 0.0625], np.float32)
        wzp = np.zeros(o, np.int8)
    bias = rng.integers(-50, 51, (o,)).astype(np.int32)
    ys, yzp = np.float32(1.0), 120
    group = c if depthwise else 1
    wzps = np.broadcast_to(wzp.astype(np.int64), (o,))
    acc = conv_acc(x.astype(np.int64), xzp, w, wzps, bias, 1, group)
    wsv = np.broadcast_to(ws, (o,))
    y = requantize(acc, xs, wsv, ys, yzp, np.uint8, axis_len=o)
    inits = [
        numpy_helper.from_array(np.array(xs), "x_scale"),
        numpy_helper.from_array(np.array(xzp, np.uint8), "x_zero_point"),
        numpy_helper.from_array(w, "w"),
        numpy_helper.from_array(ws if not depthwise else ws.reshape(()), "w_scale"),
        numpy_helper.from_array(wzp if not depthwise else wzp.reshape(()), "w_zero_point"),
        numpy_helper.from_array(np.array(ys), "y_scale"),
        numpy_helper.from_array(np.array(yzp, np.uint8), "y_zero_point"),
        numpy_helper.from_array(bias, "B"),
    ]
    node = helper.make_node(
        "QLinearConv",
        ["x", "x_scale", "x_zero_point", "w", "w_scale", "w_zero_point",
         "y_scale", "y_zero_point", "B"], ["y"], pads=[1, 1, 1, 1],
        group=group)
    graph = one_output_graph([node], "qlinearconv", "x", TensorProto.UINT8, x, y, inits)
    return graph, x, y


def qlinearmatmul(rng):
    azp, bzp, yzp = 100, 130, 60
    a = (azp + rng.integers(-3, 4, (5, 16))).astype(np.uint8)
    bm = (bzp + rng.integers(-3, 4, (16, 6))).astype(np.uint8)
    s_a, s_b, s_y = np.float32(0.5), np.float32(0.25), np.float32(0.5)
    acc = (a.astype(np.int64) - azp) @ (bm.astype(np.int64) - bzp)
    y = requantize(acc.reshape(1, 5, 6), s_a, [s_b], s_y, yzp, np.uint8)
    y = y.reshape(5, 6)
    inits = [
        numpy_helper.from_array(np.array(s_a), "a_scale"),
        numpy_helper.from_array(np.array(azp, np.uint8), "a_zero_point"),
        numpy_helper.from_array(bm, "b"),
        numpy_helper.from_array(np.array(s_b), "b_scale"),
        numpy_helper.from_array(np.array(bzp, np.uint8), "b_zero_point"),
        numpy_helper.from_array(np.array(s_y), "y_scale"),
        numpy_helper.from_array(np.array(yzp, np.uint8), "y_zero_point"),
    ]
    node = helper.make_node(
        "QLinearMatMul",
        ["a", "a_scale", "a_zero_point", "b", "b_scale", "b_zero_point",
         "y_scale", "y_zero_point"], ["y"])
    graph = one_output_graph([node], "qlinearmatmul", "a", TensorProto.UINT8, a, y, inits)
    return graph, a, y


def quantizelinear(rng):
    s = np.float32(0.375)
    # Exact ties k/2 * s, and floats one ulp either side of them.
    k = rng.integers(-600, 600, 200)
    ties = (k.astype(np.float32) * np.float32(0.5)) * s
    x = np.concatenate([ties, np.nextafter(ties, np.float32(np.inf)),
                        np.nextafter(ties, np.float32(-np.inf))]).astype(np.float32)
    zp = 128
    y = np.clip(np.rint(x / s) + zp, 0, 255).astype(np.uint8)
    inits = [numpy_helper.from_array(np.array(s), "y_scale"),
             numpy_helper.from_array(np.array(zp, np.uint8), "y_zero_point")]
    node = helper.make_node("QuantizeLinear", ["x", "y_scale", "y_zero_point"], ["y"])
    graph = one_output_graph([node], "quantizelinear", "x", TensorProto.FLOAT, x, y, inits)
    return graph, x, y


def qdq_conv(rng):
    """QuantizeLinear(x) -> DequantizeLinear -> Conv(DQ(w), DQ(b)) ->
    QuantizeLinear: the same arithmetic as QLinearConv."""
    c, o = 3, 4
    xs, xzp = np.float32(0.5), 131
    xq = (xzp + rng.integers(-4, 5, (1, c, 7, 7))).astype(np.int64)
    x = ((xq - xzp).astype(np.float32) * xs).astype(np.float32)  # exact
    w = rng.integers(-8, 9, (o, c, 3, 3)).astype(np.int8)
    ws = np.array([0.25, 0.125, 0.5, 0.0625], np.float32)
    bias = rng.integers(-50, 51, (o,)).astype(np.int32)
    bs = (xs * ws).astype(np.float32)
    ys, yzp = np.float32(1.0), 120
    acc = conv_acc(xq, xzp, w, np.zeros(o, np.int64), bias, 1, 1)
    y = requantize(acc, xs, ws, ys, yzp, np.uint8, axis_len=o)
    inits = [
        numpy_helper.from_array(np.array(xs), "xs"),
        numpy_helper.from_array(np.array(xzp, np.uint8), "xzp"),
        numpy_helper.from_array(w, "wq"),
        numpy_helper.from_array(ws, "ws"),
        numpy_helper.from_array(np.zeros(o, np.int8), "wzp"),
        numpy_helper.from_array(bias, "bq"),
        numpy_helper.from_array(bs, "bs"),
        numpy_helper.from_array(np.zeros(o, np.int32), "bzp"),
        numpy_helper.from_array(np.array(ys), "ys"),
        numpy_helper.from_array(np.array(yzp, np.uint8), "yzp"),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xzp"], ["x_q"]),
        helper.make_node("DequantizeLinear", ["x_q", "xs", "xzp"], ["x_dq"]),
        helper.make_node("DequantizeLinear", ["wq", "ws", "wzp"], ["w_dq"], axis=0),
        helper.make_node("DequantizeLinear", ["bq", "bs", "bzp"], ["b_dq"], axis=0),
        helper.make_node("Conv", ["x_dq", "w_dq", "b_dq"], ["conv"], pads=[1, 1, 1, 1]),
        helper.make_node("QuantizeLinear", ["conv", "ys", "yzp"], ["y"]),
    ]
    graph = one_output_graph(nodes, "qdq_conv", "x", TensorProto.FLOAT, x, y, inits)
    return graph, x, y


def main():
    out = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = np.random.default_rng(seed)
    os.makedirs(out, exist_ok=True)
    cases = {
        "qlinearconv": qlinearconv(rng, False),
        "qlinearconv_dw": qlinearconv(rng, True),
        "qlinearmatmul": qlinearmatmul(rng),
        "quantizelinear": quantizelinear(rng),
        "qdq_conv": qdq_conv(rng),
    }
    for name, (graph, x, y) in cases.items():
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(out, name + ".onnx"))
        np.save(os.path.join(out, name + ".in.npy"), x)
        np.save(os.path.join(out, name + ".out.npy"), y)
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
