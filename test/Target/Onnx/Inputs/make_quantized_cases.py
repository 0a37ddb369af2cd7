#!/usr/bin/env python3
"""Quantized ONNX models for the importer's diagnostics, and ONNX Runtime's
QLinearAdd (domain com.microsoft) with its expected output.

Writes into OUT_DIR:
  int_input.onnx        a uint8 input that no quantized node describes
  scale_input.onnx      DequantizeLinear whose scale is a graph input
  weight_axis.onnx      QDQ Conv whose weights are quantized along axis 1
  mismatch.onnx         QuantizeLinear(scale 0.5) read by DequantizeLinear(0.25)
  qlinearadd.onnx       QLinearAdd of two uint8 inputs [1,3,4,4] and [1,3,4,4]
  qlinearadd.a.npy, qlinearadd.b.npy, qlinearadd.out.npy (ONNX Runtime's
                        definition: round_half_even((A - Azp) As + (B - Bzp) Bs)
                        / Cs) + Czp, saturated)

usage: make_quantized_cases.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def model(nodes, inputs, outputs, inits, domains=()):
    graph = helper.make_graph(nodes, "m", inputs, outputs, initializer=inits)
    opsets = [helper.make_opsetid("", 13)] + [helper.make_opsetid(d, 1) for d in domains]
    return helper.make_model(graph, opset_imports=opsets)


def const(name, value, dtype):
    return numpy_helper.from_array(np.array(value, dtype), name)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    u8 = TensorProto.UINT8
    f32 = TensorProto.FLOAT

    m = model([helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2])],
              [helper.make_tensor_value_info("x", u8, [1, 1, 4, 4])],
              [helper.make_tensor_value_info("y", u8, [1, 1, 3, 3])], [])
    onnx.save(m, os.path.join(out, "int_input.onnx"))

    m = model([helper.make_node("DequantizeLinear", ["x", "s"], ["y"])],
              [helper.make_tensor_value_info("x", u8, [4]),
               helper.make_tensor_value_info("s", f32, [])],
              [helper.make_tensor_value_info("y", f32, [4])], [])
    onnx.save(m, os.path.join(out, "scale_input.onnx"))

    w = np.ones((2, 3, 1, 1), np.int8)
    m = model([helper.make_node("DequantizeLinear", ["wq", "ws", "wzp"], ["w"], axis=1),
               helper.make_node("Conv", ["x", "w"], ["y"])],
              [helper.make_tensor_value_info("x", f32, [1, 3, 4, 4])],
              [helper.make_tensor_value_info("y", f32, [1, 2, 4, 4])],
              [numpy_helper.from_array(w, "wq"),
               const("ws", [0.5, 0.25, 0.125], np.float32),
               const("wzp", [0, 0, 0], np.int8)])
    onnx.save(m, os.path.join(out, "weight_axis.onnx"))

    m = model([helper.make_node("QuantizeLinear", ["x", "s1", "z"], ["q"], name="quant"),
               helper.make_node("DequantizeLinear", ["q", "s2", "z"], ["y"], name="dequant")],
              [helper.make_tensor_value_info("x", f32, [4])],
              [helper.make_tensor_value_info("y", f32, [4])],
              [const("s1", 0.5, np.float32), const("s2", 0.25, np.float32),
               const("z", 3, np.uint8)])
    onnx.save(m, os.path.join(out, "mismatch.onnx"))

    rng = np.random.default_rng(3)
    a = rng.integers(0, 256, (1, 3, 4, 4)).astype(np.uint8)
    bb = rng.integers(0, 256, (1, 3, 4, 4)).astype(np.uint8)
    sa, za, sb, zb, sc, zc = (np.float32(0.02), 128, np.float32(0.05), 100,
                              np.float32(0.06), 90)
    real = (a.astype(np.float64) - za) * np.float64(sa) + \
        (bb.astype(np.float64) - zb) * np.float64(sb)
    y = np.clip(np.rint(real / np.float64(sc)) + zc, 0, 255).astype(np.uint8)
    m = model([helper.make_node("QLinearAdd", ["a", "sa", "za", "b", "sb", "zb", "sc", "zc"],
                                ["y"], domain="com.microsoft")],
              [helper.make_tensor_value_info("a", u8, a.shape),
               helper.make_tensor_value_info("b", u8, bb.shape)],
              [helper.make_tensor_value_info("y", u8, y.shape)],
              [const("sa", sa, np.float32), const("za", za, np.uint8),
               const("sb", sb, np.float32), const("zb", zb, np.uint8),
               const("sc", sc, np.float32), const("zc", zc, np.uint8)],
              domains=["com.microsoft"])
    onnx.save(m, os.path.join(out, "qlinearadd.onnx"))
    np.save(os.path.join(out, "qlinearadd.a.npy"), a)
    np.save(os.path.join(out, "qlinearadd.b.npy"), bb)
    np.save(os.path.join(out, "qlinearadd.out.npy"), y)


if __name__ == "__main__":
    main()
