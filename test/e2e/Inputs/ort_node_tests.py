#!/usr/bin/env python3
"""Runs ONNX's quantized-operator backend node tests (Debian's
libonnx-testdata) in ONNX Runtime through ort_run.js and requires ORT's
outputs to equal the expected ones exactly: a check of the harness that
the ORT comparisons (ort-*.test) rely on, from .pb/.npy conversion to
dtypes and scalar shapes.

Each test directory holds model.onnx and test_data_set_0/{input,output}_K.pb
(TensorProto). The inputs are written as .npy files, bound to the graph
inputs in order, and all models run in one node process. One line per
test, "PASS NAME" or "FAIL NAME: why", then "N tests, M failed".

usage: ort_node_tests.py --ort-dir DIR --work-dir DIR [--data-dir DIR]
                         [TEST ...]
Without TESTs: every test_qlinearconv, test_qlinearmatmul_*,
test_matmulinteger, test_convinteger_*, test_basic_convinteger,
test_quantizelinear* and test_dequantizelinear* found.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

SELECTED = re.compile(r"^test_(qlinearconv|qlinearmatmul_.*|matmulinteger|"
                      r"convinteger_.*|basic_convinteger|quantizelinear.*|"
                      r"dequantizelinear.*)$")


def read_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("tests", nargs="*")
    p.add_argument("--ort-dir", required=True)
    p.add_argument("--work-dir", required=True)
    p.add_argument("--data-dir", default="/usr/share/libonnx-testdata/data/node")
    args = p.parse_args(argv)
    names = args.tests or sorted(n for n in os.listdir(args.data_dir)
                                 if SELECTED.match(n))
    jobs, expected = [], {}
    for name in names:
        src = os.path.join(args.data_dir, name)
        work = os.path.join(args.work_dir, name)
        os.makedirs(work, exist_ok=True)
        data = os.path.join(src, "test_data_set_0")
        inputs = []
        for k in range(len(glob.glob(os.path.join(data, "input_*.pb")))):
            path = os.path.join(work, "input_%d.npy" % k)
            np.save(path, read_pb(os.path.join(data, "input_%d.pb" % k)))
            inputs.append(path)
        model = onnx.load(os.path.join(src, "model.onnx"))
        expected[name] = [
            (out.name, read_pb(os.path.join(data, "output_%d.pb" % k)))
            for k, out in enumerate(model.graph.output)]
        jobs.append({"model": os.path.join(src, "model.onnx"),
                     "inputs": inputs, "outputDir": os.path.join(work, "ort")})
    jobs_path = os.path.join(args.work_dir, "jobs.json")
    with open(jobs_path, "w") as f:
        json.dump(jobs, f)
    ort_run = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "ort_run.js")
    proc = subprocess.run(["node", ort_run, "--jobs", jobs_path,
                           "--ort-dir", args.ort_dir],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if "cannot load onnxruntime-node" in proc.stdout:
        print(proc.stdout.strip())
        print("%d tests, %d failed" % (len(names), len(names)))
        return 1
    passed = failed = 0
    for name in names:
        why = None
        for out_name, want in expected[name]:
            path = os.path.join(args.work_dir, name, "ort",
                                re.sub(r"[^A-Za-z0-9_.-]", "_", out_name) + ".npy")
            if not os.path.exists(path):
                errors = [l for l in proc.stdout.splitlines() if name in l]
                why = errors[0] if errors else "no output %s" % out_name
                break
            got = np.load(path)
            if got.dtype != want.dtype or got.shape != want.shape:
                why = "%s: %s%s, expected %s%s" % (out_name, got.dtype,
                                                   got.shape, want.dtype,
                                                   want.shape)
                break
            if not np.array_equal(got, want):
                why = "%s: %d of %d elements differ" % (
                    out_name, np.count_nonzero(got != want), got.size)
                break
        if why:
            failed += 1
            print("FAIL %s: %s" % (name, why))
        else:
            passed += 1
            print("PASS %s" % name)
    print("%d tests, %d failed" % (passed + failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
