#!/usr/bin/env python3
"""Checks a model written by quant-translate --export-onnx-qdq with ONNX's
own checker (onnx.checker.check_model, full_check: shape inference too)
and prints what the lit test looks at:

  model: opset 13, ir_version 7
  input NAME: DTYPE [DIMS]                  graph inputs and outputs
  output NAME: DTYPE [DIMS]
  op TYPE: COUNT                            node types, sorted by name
  const NAME: DTYPE [DIMS] axis A           integer initializers dequantized
                                            per channel (axis) or per tensor
  qdq: N layers (Conv, Gemm, MatMul) between DequantizeLinear and QuantizeLinear,
       M bias scales = input scale x weight scales, F float layers

and a line "ERROR: ..." for each thing that is not as QDQ models have it: an
input of a quantized layer (one with any dequantized input) that is not a
DequantizeLinear output, a layer output that
does not go to QuantizeLinear (or to the graph output), a bias whose scale
is not the input scale times the weight scale (relative 1e-6), an
integer initializer that is not int8/uint8/int32.

usage: check_qdq.py MODEL.onnx
"""
import collections
import sys

import numpy as np
import onnx
from onnx import numpy_helper

LAYERS = ("Conv", "Gemm", "MatMul")


def dims_of(value_info):
    return [d.dim_value for d in value_info.type.tensor_type.shape.dim]


def dtype_name(elem_type):
    return onnx.TensorProto.DataType.Name(elem_type).lower()


def main(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    graph = model.graph
    opset = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
    print("model: opset %s, ir_version %d" % (opset[0], model.ir_version))
    for kind, values in (("input", graph.input), ("output", graph.output)):
        for v in values:
            print("%s %s: %s %s" % (kind, v.name,
                                    dtype_name(v.type.tensor_type.elem_type),
                                    dims_of(v)))
    for op, n in sorted(collections.Counter(n.op_type for n in graph.node).items()):
        print("op %s: %d" % (op, n))

    inits = {t.name: t for t in graph.initializer}
    arrays = {name: numpy_helper.to_array(t) for name, t in inits.items()}
    producer = {o: n for n in graph.node for o in n.output}
    consumers = collections.defaultdict(list)
    for n in graph.node:
        for i in n.input:
            consumers[i].append(n)
    outputs = {o.name for o in graph.output}
    errors = []

    for n in graph.node:
        if n.op_type != "DequantizeLinear" or n.input[0] not in inits:
            continue
        t = inits[n.input[0]]
        if t.data_type not in (onnx.TensorProto.INT8, onnx.TensorProto.UINT8,
                               onnx.TensorProto.INT32):
            errors.append("initializer %s has type %s" %
                          (t.name, dtype_name(t.data_type)))
        axis = next((a.i for a in n.attribute if a.name == "axis"), None)
        per_channel = arrays[n.input[1]].size > 1
        print("const %s: %s %s %s" % (
            t.name, dtype_name(t.data_type), list(t.dims),
            "axis %d" % axis if per_channel else "per tensor"))

    def scale_of(tensor):
        """The scale of the DequantizeLinear that makes `tensor`."""
        node = producer.get(tensor)
        if node is None or node.op_type != "DequantizeLinear":
            return None
        return arrays.get(node.input[1])

    layers = float_layers = biases = 0
    for n in graph.node:
        if n.op_type not in LAYERS:
            continue
        if all(producer.get(i) is None or
               producer[i].op_type != "DequantizeLinear" for i in n.input):
            float_layers += 1  # a float layer of a float (part of a) model
            continue
        layers += 1
        for i in n.input:
            node = producer.get(i)
            if node is None or node.op_type != "DequantizeLinear":
                errors.append("%s input %s is not dequantized" % (n.name, i))
        for o in n.output:
            if o in outputs:
                continue
            if not consumers[o] or any(c.op_type != "QuantizeLinear"
                                       for c in consumers[o]):
                errors.append("%s output %s is not quantized" % (n.name, o))
        if len(n.input) > 2:
            sx, sw, sb = (scale_of(i) for i in n.input[:3])
            if sx is None or sw is None or sb is None:
                continue
            want = sx.astype(np.float64) * sw.astype(np.float64)
            if np.allclose(sb, want, rtol=1e-6, atol=0):
                biases += 1
            else:
                errors.append("%s bias scale is not input x weight scale" %
                              n.name)
    print("qdq: %d layers (Conv, Gemm, MatMul) between DequantizeLinear and "
          "QuantizeLinear, %d bias scales = input scale x weight scales, "
          "%d float layers" % (layers, biases, float_layers))
    for e in errors:
        print("ERROR: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
