"""Writes small ONNX models with onnx.helper (Debian python3-onnx) for the
importer's tests: a conv + relu model whose imported form is checked with
FileCheck, and malformed or unsupported models for the diagnostics.

  make_onnx_cases.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(model, path):
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


def conv_relu(opset=13, dims=(1, 3, 8, 8)):
    w = numpy_helper.from_array(
        np.arange(4 * 3 * 3 * 3, dtype=np.float32).reshape(4, 3, 3, 3) / 100, "w")
    b = numpy_helper.from_array(np.array([0.1, -0.1, 0.2, 0.0], np.float32), "b")
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv",
                         pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Relu", ["c"], ["y"], name="relu"),
    ]
    graph = helper.make_graph(
        nodes, "conv_relu",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(dims))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [w, b])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def unsupported():
    nodes = [
        helper.make_node("Relu", ["x"], ["a"], name="ok"),
        helper.make_node("Sin", ["a"], ["b"], name="first_bad"),
        helper.make_node("Relu", ["b"], ["c"], name="downstream"),
        helper.make_node("Tanh", ["a"], ["d"], name="second_bad"),
        helper.make_node("Add", ["c", "d"], ["y"], name="join"),
    ]
    graph = helper.make_graph(
        nodes, "unsupported",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    save(conv_relu(), os.path.join(out, "conv_relu.onnx"))
    save(conv_relu(opset=9), os.path.join(out, "opset9.onnx"))
    save(conv_relu(dims=("batch", 3, 8, 8)), os.path.join(out, "dynamic.onnx"))
    save(unsupported(), os.path.join(out, "unsupported.onnx"))
    data = conv_relu().SerializeToString()
    with open(os.path.join(out, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(out, "not_onnx.onnx"), "wb") as f:
        f.write(b"this is not a protobuf \xff\xff\xff\xff")
    np.save(os.path.join(out, "x.npy"),
            np.random.RandomState(0).rand(1, 3, 8, 8).astype(np.float32))


if __name__ == "__main__":
    main()
