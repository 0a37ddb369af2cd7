#!/usr/bin/env python3
"""Runs ONNX's own backend node tests (Debian's libonnx-testdata) through
`quant-translate --import-onnx` and `quant-run`, and compares the results with
the outputs ONNX ships.

Each node test is a directory

  /usr/share/libonnx-testdata/data/node/test_NAME/
      model.onnx                       one node; every operand is a graph input
      test_data_set_0/input_K.pb       the K-th graph input (TensorProto)
      test_data_set_0/output_K.pb      the K-th graph output, as ONNX computes it

ONNX feeds weights, biases, pads, shapes, clip bounds, ... as graph INPUTS,
but the importer needs them as constants (a convolution's weights, a
reshape's shape, ... must be known at compile time). So the model is
rewritten before it is imported: every graph input except the first (the
activation) becomes an initializer holding that test's input_K.pb data.
Weights are compiled in, as in a deployed model. For operators with two
activations (Add, Mul, MatMul, Concat) the second one is then a constant as
well; that is still the same computation. A test whose first input would
also have to be a constant is not applicable.

The only other rewrite: a model exported at an opset below the importer's
11..17 is converted to opset 13 with ONNX's own onnx.version_converter
(GlobalAveragePool's node tests are opset 1, the pytorch-converted ones
opset 6).

Two suites of libonnx-testdata are run:

  node                ONNX's backend node tests (one node each), the ones of
                      the operators docs/onnx-import.md lists; named test_X
  pytorch-converted   PyTorch modules exported by ONNX's test generator, the
                      2-D ones of those operators (grouped, depthwise,
                      dilated and multi-channel convolutions, which the node
                      tests lack); named pytorch-converted/test_X. Their
                      weights already are initializers.

For each selected test and target (ref: the reference interpreter; cpu:
compiled for this CPU):

  quant-translate --import-onnx WORK/NAME/model.onnx -o WORK/NAME/model.mlir
  quant-run WORK/NAME/model.mlir --target=T --input X=WORK/NAME/input_0.npy \\
            --output-dir WORK/NAME/T

and every output_K.pb must match WORK/NAME/T/<output name>.npy: same shape,
same dtype; floats within np.allclose(rtol=1e-4, atol=1e-5), integers and
booleans exactly. One line per test and target:

  PASS NAME (ref)
  FAIL NAME (cpu): <why>                       import / run error, max error
  SKIP NAME: <why>                             in SKIP, or not applicable
  XFAIL NAME (ref): <bug> [<what happened>]    in KNOWN_BUGS, still failing

then one summary line per target, "ref: N passed, N failed, N skipped, N
xfail". A test in KNOWN_BUGS that passes is reported as a FAIL ("remove it
from KNOWN_BUGS"). Exits with 1 if anything failed.

usage: run_node_tests.py [--target ref|cpu|both] [-j N] [--filter TEXT]
                         [--suite node|pytorch-converted|all] [--list]
                         [--run-skipped] [--data-dir DIR] [--work-dir DIR]
                         [--bin-dir DIR] [--times] [TEST ...]

TEST is a name as printed (test_relu, pytorch-converted/test_Conv2d), or
any directory holding model.onnx and test_data_set_0/ (then nothing is
skipped unless its name is in SKIP).

quant-translate and quant-run are taken from PATH (lit puts the build's
tools there) or from --bin-dir.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import numpy_helper

DATA_DIR = "/usr/share/libonnx-testdata/data"

# The tests of the operators docs/onnx-import.md lists (float models), per
# suite (a directory of DATA_DIR). Regular expressions, matched against the
# whole test directory name.
SELECT = {}
SELECT["node"] = [
    r"test_relu",
    r"test_clip.*",
    r"test_add.*",
    r"test_mul.*",
    r"test_(basic_)?conv_.*",
    r"test_averagepool_.*",
    r"test_maxpool_.*",
    r"test_globalaveragepool.*",
    r"test_gemm_.*",
    r"test_matmul_.*",
    r"test_batchnorm_.*",
    r"test_concat_.*",
    r"test_flatten_.*",
    r"test_reshape_.*",
    r"test_transpose_.*",
    r"test_softmax_(?!.*_expanded).*",
    r"test_identity",
    r"test_constant",
    r"test_constant_pad",
    r"test_edge_pad",
    r"test_reflect_pad",
    r"test_dropout_.*",
    # Quantized operators (bit-exact: ONNX's round-half-to-even).
    r"test_quantizelinear.*",
    r"test_dequantizelinear.*",
    r"test_qlinearconv",
    r"test_qlinearmatmul_.*",
    r"test_matmulinteger",
    r"test_(basic_)?convinteger.*",
]
SELECT["pytorch-converted"] = [
    r"test_Conv2d.*",
    r"test_AvgPool2d.*",
    r"test_MaxPool2d.*",
    r"test_BatchNorm2d_.*",
    r"test_Linear.*",
    r"test_ReLU",
    r"test_(Softmax|softmax_.*)",
    r"test_(ConstantPad|ZeroPad|ReflectionPad|ReplicationPad)2d",
]

# Models below the importer's lowest opset are converted to this one.
MIN_OPSET = 10
CONVERT_TO_OPSET = 13

# Not run: out of scope, or a limitation of the importer, which reports it
# with a clean error. Those marked "(gap)" are in operators the table of
# docs/onnx-import.md lists without stating the limitation.
SKIP = {
    # Pooling: 1-D / 3-D, ceil_mode, dilations, the Indices output.
    "test_averagepool_1d_default": "1-D pooling (qnt pools are 2-D)",
    "test_averagepool_3d_default": "3-D pooling (qnt pools are 2-D)",
    "test_maxpool_1d_default": "1-D pooling (qnt pools are 2-D)",
    "test_maxpool_3d_default": "3-D pooling (qnt pools are 2-D)",
    "test_averagepool_2d_ceil": "ceil_mode=1 is not supported",
    "test_maxpool_2d_ceil": "ceil_mode=1 is not supported",
    "test_maxpool_2d_dilations": "dilations in pooling are not supported",
    "pytorch-converted/test_MaxPool2d_stride_padding_dilation":
        "dilations in pooling are not supported",
    "test_maxpool_with_argmax_2d_precomputed_pads":
        "MaxPool's second output (Indices) is not supported",
    "test_maxpool_with_argmax_2d_precomputed_strides":
        "MaxPool's second output (Indices) is not supported",
    # Plain integer arithmetic: the importer's integer tensors are quantized
    # ones, whose scale and zero point a QuantizeLinear, DequantizeLinear,
    # QLinear* or *Integer node states; these models have none.
    "test_add_uint8": "uint8 tensors without quantization parameters",
    "test_mul_uint8": "uint8 tensors without quantization parameters",
    "test_maxpool_2d_uint8": "uint8 tensors without quantization parameters",
    "test_clip_default_int8_inbounds": "int8 tensors without quantization parameters",
    "test_clip_default_int8_max": "int8 tensors without quantization parameters",
    "test_clip_default_int8_min": "int8 tensors without quantization parameters",
    "test_edge_pad": "int32 tensors, and Pad mode 'edge' (only 'constant' is supported)",
    "test_reflect_pad": "int32 tensors, and Pad mode 'reflect' (only 'constant' is supported)",
    "pytorch-converted/test_ReflectionPad2d": "Pad mode 'reflect' (only 'constant' is supported)",
    "pytorch-converted/test_ReplicationPad2d": "Pad mode 'edge' (only 'constant' is supported)",
    # Gemm and Clip: what the importer maps them to cannot express.
    "test_gemm_transposeA": "Gemm transA=1 is not supported (only transB is)",
    "test_gemm_all_attributes": "Gemm transA=1 is not supported (only transB is)",
    "test_gemm_default_matrix_bias":
        "Gemm with an [M, N] matrix C (qnt.fully_connected takes one bias per output)",
    # Outside the table.
    "test_batchnorm_epsilon_training_mode":
        "BatchNormalization training_mode=1 (inference only)",
    "test_batchnorm_example_training_mode":
        "BatchNormalization training_mode=1 (inference only)",
    "test_reshape_allowzero_reordered": "a tensor with a 0-sized dimension",
    "test_dropout_default_mask": "Dropout's mask output (bool) is not supported",
    "test_dropout_default_mask_ratio": "Dropout's mask output (bool) is not supported",
}

# Importer / compiler bugs, reported to the lead: run, and reported as XFAIL
# while they fail (as FAIL once they pass, so the list stays true).
KNOWN_BUGS = {
}

FLOAT_RTOL = 1e-4
FLOAT_ATOL = 1e-5


def tool(bin_dir, name):
    if bin_dir:
        return os.path.join(bin_dir, name)
    return shutil.which(name) or name


def run(cmd, timeout=300):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout} s"
    return p.returncode, p.stdout


def strip_location(line):
    """'FILE:0:0: error: MESSAGE' -> 'MESSAGE'."""
    return re.sub(r"^.*?:\d+:\d+: error: ", "", line.strip())


def first_error(text, limit=300):
    text = text.strip()
    for line in text.splitlines():
        if "error" in line:
            return strip_location(line)[:limit]
    return text.splitlines()[0][:limit] if text else "(no output)"


def import_errors(text, limit=300):
    """Every error but the closing "cannot be imported", joined."""
    errs = [strip_location(line) for line in text.splitlines()
            if "error: " in line and "cannot be imported" not in line]
    return "; ".join(errs)[:limit] if errs else first_error(text, limit)


def load_tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t


def prepare(src, work):
    """Rewrites the model (weights compiled in) and writes the activation as
    .npy. Returns (input name or None, [(output name, expected array)]) or
    raises NotApplicable."""
    model = onnx.load(os.path.join(src, "model.onnx"))
    g = model.graph
    init_names = {t.name for t in g.initializer}
    inputs = [vi for vi in g.input if vi.name not in init_names]
    ds = os.path.join(src, "test_data_set_0")
    if not os.path.isdir(ds):
        raise NotApplicable("no test_data_set_0")
    if any(vi.type.WhichOneof("value") != "tensor_type" for vi in inputs):
        raise NotApplicable("a non-tensor (sequence / optional) input")
    for k, vi in enumerate(inputs[1:], start=1):
        t = load_tensor(os.path.join(ds, f"input_{k}.pb"))
        t.name = vi.name
        g.initializer.append(t)
    for vi in inputs[1:]:
        g.input.remove(vi)
    opset = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
    if opset and opset[0] < MIN_OPSET:
        from onnx import version_converter
        try:
            model = version_converter.convert_version(model, CONVERT_TO_OPSET)
        except Exception as e:
            raise NotApplicable(f"onnx.version_converter cannot convert opset "
                                f"{opset[0]} to {CONVERT_TO_OPSET}: {str(e)[:120]}")
        g = model.graph
    onnx.save(model, os.path.join(work, "model.onnx"))

    in_name = None
    if inputs:
        in_name = inputs[0].name
        x = numpy_helper.to_array(load_tensor(os.path.join(ds, "input_0.pb")))
        if x.size == 0:
            raise NotApplicable("the input has a 0-sized dimension")
        np.save(os.path.join(work, "input_0.npy"), x)
    expected = []
    for k, vo in enumerate(g.output):
        y = numpy_helper.to_array(load_tensor(os.path.join(ds, f"output_{k}.pb")))
        expected.append((vo.name, y))
    return in_name, expected


class NotApplicable(Exception):
    pass


def compare(expected, got):
    """None when they match, else a message."""
    if got.shape != expected.shape:
        return f"shape {got.shape}, expected {expected.shape}"
    if got.dtype != expected.dtype:
        return f"dtype {got.dtype}, expected {expected.dtype}"
    if expected.size == 0:
        return None
    if np.issubdtype(expected.dtype, np.floating):
        if np.allclose(got, expected, rtol=FLOAT_RTOL, atol=FLOAT_ATOL, equal_nan=True):
            return None
        err = np.abs(got.astype(np.float64) - expected.astype(np.float64))
        err = np.where(np.isnan(err), np.inf, err)
        i = np.unravel_index(int(np.argmax(err)), err.shape)
        return (f"max abs error {float(err[i]):.3g} at {tuple(int(v) for v in i)}: "
                f"got {got[i]!r}, expected {expected[i]!r}")
    if np.array_equal(got, expected):
        return None
    diff = np.nonzero(got != expected)
    i = tuple(int(d[0]) for d in diff)
    return (f"{len(diff[0])} of {expected.size} elements differ; first at {i}: "
            f"got {got[i]!r}, expected {expected[i]!r}")


def run_test(name, args, targets):
    """Returns (status, message, {target: (status, message)}, seconds); the
    first two are set when the test did not get as far as running (SKIP)."""
    start = time.time()
    work = os.path.join(args.work_dir, name.strip("/").replace("/", "__"))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        in_name, expected = prepare(test_dir(name, args.data_dir), work)
    except NotApplicable as e:
        return "SKIP", f"not applicable: {e}", {}, time.time() - start
    except Exception as e:  # a broken test directory is a failure of the suite
        return "FAIL", f"cannot prepare the test: {type(e).__name__}: {e}", {}, \
            time.time() - start

    mlir = os.path.join(work, "model.mlir")
    rc, out = run([tool(args.bin_dir, "quant-translate"), "--import-onnx",
                   os.path.join(work, "model.onnx"), "-o", mlir])
    if rc != 0:
        return "FAIL", f"import failed: {import_errors(out)}", {}, time.time() - start

    results = {}
    for target in targets:
        out_dir = os.path.join(work, target)
        cmd = [tool(args.bin_dir, "quant-run"), mlir, f"--target={target}",
               "--output-dir", out_dir]
        if in_name is not None:
            cmd += ["--input", f"{in_name}={os.path.join(work, 'input_0.npy')}"]
        rc, out = run(cmd)
        if rc != 0:
            results[target] = ("FAIL", f"run failed (exit {rc}): {first_error(out)}")
            continue
        problems = []
        for out_name, y in expected:
            path = os.path.join(out_dir, out_name + ".npy")
            if not os.path.exists(path):
                problems.append(f"{out_name}: no output file")
                continue
            msg = compare(y, np.load(path))
            if msg:
                problems.append(f"{out_name}: {msg}")
        results[target] = ("FAIL", "; ".join(problems)) if problems else ("PASS", "")
    return None, None, results, time.time() - start


def test_dir(name, data_dir):
    """test_X is a node test; SUITE/test_X one of another suite; anything
    else a directory."""
    if os.path.isdir(name) and os.sep in name:
        return name
    if "/" not in name:
        return os.path.join(data_dir, "node", name)
    return os.path.join(data_dir, name)


def selected_tests(data_dir, suites):
    tests = []
    for suite in suites:
        d = os.path.join(data_dir, suite)
        names = sorted(n for n in os.listdir(d)
                       if os.path.isfile(os.path.join(d, n, "model.onnx")))
        pats = [re.compile(p + r"\Z") for p in SELECT[suite]]
        prefix = "" if suite == "node" else suite + "/"
        tests += [prefix + n for n in names if any(p.match(n) for p in pats)]
    return tests


def main(argv):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("tests", nargs="*", help="test names (default: the selection)")
    p.add_argument("--target", choices=["ref", "cpu", "both"], default="both")
    p.add_argument("--suite", choices=list(SELECT) + ["all"], default="all",
                   help="which selection to run (default: all)")
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("--filter", default=None,
                   help="only tests whose name contains this (or matches it as a regex)")
    p.add_argument("--list", action="store_true",
                   help="list the selected tests and their status, run nothing")
    p.add_argument("--run-skipped", action="store_true",
                   help="also run the tests of SKIP (to see what they do now)")
    p.add_argument("--data-dir", default=DATA_DIR,
                   help=f"libonnx-testdata's data directory (default: {DATA_DIR})")
    p.add_argument("--work-dir", default=None,
                   help="where rewritten models and outputs go (default: a temporary directory)")
    p.add_argument("--bin-dir", default=None,
                   help="where quant-translate and quant-run are (default: PATH)")
    p.add_argument("--times", action="store_true", help="print each test's time")
    args = p.parse_args(argv)

    if not os.path.isdir(os.path.join(args.data_dir, "node")):
        print(f"no ONNX node tests in {args.data_dir}/node (install libonnx-testdata)")
        return 1
    suites = list(SELECT) if args.suite == "all" else [args.suite]
    tests = args.tests or selected_tests(args.data_dir, suites)
    missing = [t for t in tests if not os.path.isdir(test_dir(t, args.data_dir))]
    if missing:
        print(f"no such node test: {', '.join(missing)}")
        return 1
    if args.filter:
        tests = [t for t in tests if args.filter in t or re.search(args.filter, t)]
    if not tests:
        print("no tests selected")
        return 1

    if args.list:
        for t in tests:
            if t in SKIP:
                print(f"{t}  SKIP: {SKIP[t]}")
            elif t in KNOWN_BUGS:
                print(f"{t}  XFAIL: {KNOWN_BUGS[t]}")
            else:
                print(t)
        print(f"{len(tests)} tests")
        return 0

    targets = ["ref", "cpu"] if args.target == "both" else [args.target]
    temp = None
    if args.work_dir is None:
        temp = tempfile.mkdtemp(prefix="onnx-node-tests.")
        args.work_dir = temp
    os.makedirs(args.work_dir, exist_ok=True)

    to_run = [t for t in tests if args.run_skipped or t not in SKIP]
    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = dict(zip(to_run, pool.map(lambda t: run_test(t, args, targets), to_run)))

    counts = {t: {"passed": 0, "failed": 0, "skipped": 0, "xfail": 0} for t in targets}
    for name in tests:
        if name not in results:
            print(f"SKIP {name}: {SKIP[name]}")
            for t in targets:
                counts[t]["skipped"] += 1
            continue
        status, message, per_target, seconds = results[name]
        tm = f" ({seconds:.2f} s)" if args.times else ""
        if status is not None:
            # The same for every target (prepare / import).
            per_target = {t: (status, message) for t in targets}
        if status == "SKIP":
            print(f"SKIP {name}: {message}{tm}")
            for t in targets:
                counts[t]["skipped"] += 1
            continue
        for t in targets:
            st, msg = per_target[t]
            if name in SKIP:  # --run-skipped
                print(f"SKIP {name} ({t}): {SKIP[name]} [now: {st}{': ' + msg if msg else ''}]{tm}")
                counts[t]["skipped"] += 1
            elif name in KNOWN_BUGS:
                if st == "PASS":
                    print(f"FAIL {name} ({t}): passes now; remove it from KNOWN_BUGS{tm}")
                    counts[t]["failed"] += 1
                else:
                    print(f"XFAIL {name} ({t}): {KNOWN_BUGS[name]} [{msg}]{tm}")
                    counts[t]["xfail"] += 1
            elif st == "PASS":
                print(f"PASS {name} ({t}){tm}")
                counts[t]["passed"] += 1
            else:
                print(f"FAIL {name} ({t}): {msg}{tm}")
                counts[t]["failed"] += 1
    failed = 0
    for t in targets:
        c = counts[t]
        failed += c["failed"]
        print(f"{t}: {c['passed']} passed, {c['failed']} failed, "
              f"{c['skipped']} skipped, {c['xfail']} xfail")
    print(f"{len(tests)} tests, {failed} failed ({time.time() - start:.1f} s)")
    if temp:
        shutil.rmtree(temp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
