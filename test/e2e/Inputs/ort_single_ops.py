#!/usr/bin/env python3
"""Runs every single-op quantized model of make_single_op_models.py (or of
make_sweep_models.py: any directory of NAME.mlir + NAME.inK.npy) through
`quant-translate --export-onnx-qdq` and ONNX Runtime, and compares ORT's
outputs with ours (quant-run, the reference interpreter, which the CPU
back end matches bit for bit) in LSBs of the output's quantization.

For each case NAME in DIR (NAME.mlir, NAME.in0.npy, ...):

  quant-translate --export-onnx-qdq NAME.mlir -o WORK/NAME.onnx
  quant-run NAME.mlir --input arg0=NAME.in0.npy ... --output-dir WORK/NAME.ours
  node ort_run.js (all models in one process) -> WORK/NAME.ort/

Quantized outputs are storage integers on both sides; the difference is in
LSBs directly. Float outputs (a qnt.dequantize at the end) are compared in
units of the scale of the exported model's last DequantizeLinear. One line
per case:

  EXACT NAME                              every output element equal
  KNOWN NAME: <why> (N of M differ, ...)  in KNOWN_DIFFERENT, within its
                                          bound (not a failure)
  LSB NAME: N of M differ, max D LSB      (D <= --max-lsb)
  FAIL NAME: ...                          export/run error, or D > --max-lsb
  NOEXPORT NAME: <diagnostic>             the exporter refused it (expected
                                          for i16 models: no opset 13 form)

then "N cases: E exact, L within 1 LSB, F failed, X not exported, K known
to differ" and "elements (...): N of M differ (P%), max D LSB". A case in EXPECT_NOEXPORT that
exports, or one outside it that does not, is a failure. Exits with 1 if
anything failed.

With --rounding MODE every model runs under `module attributes
{qnt.rounding = "MODE"}` (half_even: ONNX's rounding).

usage: ort_single_ops.py DIR --ort-dir DIR [--work-dir DIR] [--bin-dir DIR]
                         [--max-lsb N] [--rounding MODE] [-j N]
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_compare import output_params  # noqa: E402

# Our models that ONNX opset 13 cannot express: 16-bit activations
# (QuantizeLinear/DequantizeLinear take 8-bit integers until opset 21).
EXPECT_NOEXPORT = re.compile(r"_i16$")

# Cases whose results differ by more than the rounding of one rescale, with
# the largest difference allowed (None: any) and why.
KNOWN_DIFFERENT = [
    (r"_bias_saturates_", None,
     "the int32 accumulator overflows: we saturate it (DESIGN.md section 3), "
     "ORT's integer kernels wrap around"),
    (r"^float_edge_(per_axis_)?quantize_dequantize", None,
     "NaN inputs: we quantize NaN to the zero point, ORT's QuantizeLinear to "
     "0 or the storage minimum; also ties of x/S (half away from zero here, "
     "half to even in ORT, whose float32 x/S makes ties of its own)"),
    (r"^float_edge_(conv2d|softmax)_", 2,
     "ties in the input QuantizeLinear (see above) move an input by 1 LSB, "
     "the result by up to 2"),
    (r"^softmax_len1_u8$", None,
     "a softmax over one element is 1.0, which saturates to 255; ORT's fused "
     "QLinearSoftmax returns 0 (ORT without graph optimizations gives 255)"),
]


def known_difference(name):
    for pattern, bound, why in KNOWN_DIFFERENT:
        if re.search(pattern, name):
            return bound, why
    return None


def tool(bin_dir, name):
    return os.path.join(bin_dir, name) if bin_dir else name


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return p.returncode, p.stdout


def first_line(text):
    for line in text.splitlines():
        if "error" in line:
            return line.strip()[:300]
    return text.strip().splitlines()[0][:300] if text.strip() else ""


def prepare(name, src, work, bin_dir, rounding):
    """Export and run ours; returns (name, status, message, job)."""
    model = os.path.join(src, name + ".mlir")
    if rounding:
        # The same model under the module-wide rounding mode.
        with open(model) as f:
            text = f.read()
        model = os.path.join(work, name + ".mlir")
        with open(model, "w") as f:
            f.write('module attributes {qnt.rounding = "%s"} {\n%s}\n' %
                    (rounding, text))
    onnx_path = os.path.join(work, name + ".onnx")
    inputs = sorted(glob.glob(os.path.join(src, name + ".in*.npy")),
                    key=lambda p: int(re.search(r"\.in(\d+)\.npy$", p).group(1)))
    rc, out = run([tool(bin_dir, "quant-translate"), "--export-onnx-qdq", model,
                   "-o", onnx_path])
    expect_fail = bool(EXPECT_NOEXPORT.search(name))
    if rc != 0:
        if expect_fail:
            return name, "NOEXPORT", first_line(out), None
        return name, "FAIL", "export: " + first_line(out), None
    if expect_fail:
        return name, "FAIL", "exported, but EXPECT_NOEXPORT lists it", None
    ours = os.path.join(work, name + ".ours")
    cmd = [tool(bin_dir, "quant-run"), model, "--output-dir", ours]
    for i, path in enumerate(inputs):
        cmd += ["--input", "arg%d=%s" % (i, path)]
    rc, out = run(cmd)
    if rc != 0:
        return name, "FAIL", "quant-run: " + first_line(out), None
    job = {"model": onnx_path, "inputs": inputs,
           "outputDir": os.path.join(work, name + ".ort")}
    return name, "OK", "", job


def compare(name, work):
    """(status, message, differing, total, max_lsb) for one exported case."""
    onnx_path = os.path.join(work, name + ".onnx")
    model = onnx.load(onnx_path)
    differ = total = 0
    worst = 0.0
    for i, out in enumerate(model.graph.output):
        ort_path = os.path.join(work, name + ".ort",
                                re.sub(r"[^A-Za-z0-9_.-]", "_", out.name) + ".npy")
        ours_path = os.path.join(work, name + ".ours", "output%d.npy" % i)
        if not os.path.exists(ort_path):
            return "FAIL", "ORT wrote no %s" % out.name, 0, 0, 0
        a, b = np.load(ours_path), np.load(ort_path)
        if a.shape != b.shape or a.dtype != b.dtype:
            return ("FAIL", "output %d: ours %s %s, ORT %s %s" %
                    (i, a.dtype, a.shape, b.dtype, b.shape), 0, 0, 0)
        if np.issubdtype(a.dtype, np.integer):
            d = np.abs(a.astype(np.int64) - b.astype(np.int64)).astype(np.float64)
        else:
            # In units of the smallest scale, so the LSB count errs high.
            params = output_params(onnx_path, out.name)
            if params is None:
                return "FAIL", "float output %d without a scale" % i, 0, 0, 0
            scale = np.min(params[0])
            same = (a == b) | (np.isnan(a) & np.isnan(b))
            d = np.where(same, 0.0, np.abs(a.astype(np.float64) - b) /
                         float(scale))
            d = np.where(np.isnan(d), np.inf, np.round(d, 3))
        differ += int(np.count_nonzero(d))
        total += d.size
        worst = max(worst, float(d.max()) if d.size else 0.0)
    return "OK", "", differ, total, worst


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("dir", help="output of make_single_op_models.py")
    p.add_argument("--ort-dir", required=True,
                   help="directory whose node_modules holds onnxruntime-node")
    p.add_argument("--work-dir", default=None)
    p.add_argument("--bin-dir", default=None,
                   help="where quant-translate and quant-run are (default: PATH)")
    p.add_argument("--max-lsb", type=float, default=1.0,
                   help="largest difference that is not a failure")
    p.add_argument("--rounding", default=None,
                   help="run every model under this qnt.rounding (e.g. "
                        "half_even, ONNX's rounding)")
    p.add_argument("-j", type=int, default=2)
    args = p.parse_args(argv)
    work = args.work_dir or os.path.join(args.dir, "ort")
    os.makedirs(work, exist_ok=True)
    names = sorted(os.path.basename(m)[:-5]
                   for m in glob.glob(os.path.join(args.dir, "*.mlir")))

    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        prepared = list(pool.map(
            lambda n: prepare(n, args.dir, work, args.bin_dir, args.rounding),
            names))
    jobs = [job for _, status, _, job in prepared if status == "OK"]
    jobs_path = os.path.join(work, "jobs.json")
    with open(jobs_path, "w") as f:
        json.dump(jobs, f)
    ort_run = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "ort_run.js")
    rc, out = run(["node", ort_run, "--jobs", jobs_path,
                   "--ort-dir", args.ort_dir])
    if rc != 0 and not jobs:
        print(out)
    if "cannot load onnxruntime-node" in out:
        print(out.strip())
        print("FAIL: ONNX Runtime is not installed")
        return 1

    counts = {"EXACT": 0, "LSB": 0, "FAIL": 0, "NOEXPORT": 0, "KNOWN": 0}
    differ_all = total_all = 0
    worst_all = 0.0
    for name, status, message, job in prepared:
        if status != "OK":
            counts[status] += 1
            print("%s %s: %s" % (status, name, message))
            continue
        status, message, differ, total, worst = compare(name, work)
        if status == "FAIL":
            errors = [l for l in out.splitlines() if job["model"] in l]
            counts["FAIL"] += 1
            print("FAIL %s: %s" % (name, errors[0] if errors else message))
            continue
        known = known_difference(name)
        if known:
            bound, why = known
            if bound is not None and worst > bound:
                counts["FAIL"] += 1
                print("FAIL %s: %d of %d differ, max %g LSB (KNOWN_DIFFERENT "
                      "allows %g: %s)" % (name, differ, total, worst, bound, why))
                continue
            counts["KNOWN"] += 1
            print("KNOWN %s: %s (%d of %d differ, max %g LSB)" %
                  (name, why, differ, total, worst))
            continue
        differ_all += differ
        total_all += total
        worst_all = max(worst_all, worst)
        if differ == 0:
            counts["EXACT"] += 1
            print("EXACT %s" % name)
        elif worst <= args.max_lsb:
            counts["LSB"] += 1
            print("LSB %s: %d of %d differ, max %g LSB" % (name, differ, total,
                                                           worst))
        else:
            counts["FAIL"] += 1
            print("FAIL %s: %d of %d differ, max %g LSB" % (name, differ,
                                                            total, worst))
    print("%d cases: %d exact, %d within %g LSB, %d failed, %d not exported, "
          "%d known to differ" %
          (len(names), counts["EXACT"], counts["LSB"], args.max_lsb,
           counts["FAIL"], counts["NOEXPORT"], counts["KNOWN"]))
    print("elements (without the known ones): %d of %d differ (%.3f%%), "
          "max %g LSB" %
          (differ_all, total_all, 100.0 * differ_all / max(total_all, 1),
           worst_all))
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
