#!/usr/bin/env python3
"""Runs every model in a directory on the reference interpreter and compiled
for the host CPU, and requires bit-identical outputs.

For each NAME.mlir in DIR (inputs NAME.in0.npy, NAME.in1.npy, ... for the
arguments in order):

  quant-run NAME.mlir --target=ref --input arg0=NAME.in0.npy ... --output-dir DIR/NAME.ref
  quant-run NAME.mlir --target=cpu --input arg0=NAME.in0.npy ... --output-dir DIR/NAME.cpu

and then every .npy of NAME.ref must equal the one of the same name in
NAME.cpu: same dtype, same shape, same bytes (NaN payloads included). Prints
one line per case,

  PASS NAME
  FAIL NAME: <why> (first differing index, the two values, ...)

then "N cases, M failed", and exits with 1 if any case failed. quant-run is
taken from PATH (lit puts the build's tools there) or --bin-dir.

usage: check_cpu_vs_ref.py DIR [-j JOBS] [--bin-dir DIR] [--keep-going]
"""
import argparse
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
import time

import numpy as np


def tool(bin_dir, name):
    if bin_dir:
        return os.path.join(bin_dir, name)
    found = shutil.which(name)
    return found or name


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    return p.returncode, p.stdout


def first_line(text, limit=400):
    text = text.strip()
    for line in text.splitlines():
        if "error" in line:
            return line[:limit]
    return text.splitlines()[0][:limit] if text else "(no output)"


def compare(ref_path, cpu_path):
    """None when bit-identical, else a message."""
    a = np.load(ref_path)
    b = np.load(cpu_path)
    if a.dtype != b.dtype:
        return f"dtype differs: ref {a.dtype}, cpu {b.dtype}"
    if a.shape != b.shape:
        return f"shape differs: ref {a.shape}, cpu {b.shape}"
    if a.tobytes() == b.tobytes():
        return None
    ai = a.reshape(-1).view(np.uint8).reshape(a.size, -1) if a.size else a
    bi = b.reshape(-1).view(np.uint8).reshape(b.size, -1) if b.size else b
    diff = np.nonzero(np.any(ai != bi, axis=1))[0]
    first = int(diff[0])
    index = np.unravel_index(first, a.shape)
    av, bv = a.reshape(-1)[first], b.reshape(-1)[first]
    extra = ""
    if np.issubdtype(a.dtype, np.integer):
        d = np.abs(a.astype(np.int64) - b.astype(np.int64))
        extra = f", max |diff| {int(d.max())}"
    return (f"{len(diff)} of {a.size} elements differ; first at index "
            f"{tuple(int(i) for i in index)}: ref {av!r}, cpu {bv!r}{extra}")


CPU = "native"


def check_case(model, bin_dir, work):
    name = os.path.basename(model)[:-len(".mlir")]
    stem = model[:-len(".mlir")]
    inputs = []
    i = 0
    while os.path.exists(f"{stem}.in{i}.npy"):
        inputs += ["--input", f"arg{i}={stem}.in{i}.npy"]
        i += 1
    quant_run = tool(bin_dir, "quant-run")
    ref_dir = os.path.join(work, name + ".ref")
    cpu_dir = os.path.join(work, name + ".cpu")
    for d in (ref_dir, cpu_dir):
        shutil.rmtree(d, ignore_errors=True)
    start = time.time()
    rc, out = run([quant_run, model, "--target=ref"] + inputs + ["--output-dir", ref_dir])
    if rc != 0:
        return name, f"reference run failed (exit {rc}): {first_line(out)}", time.time() - start
    rc, out = run([quant_run, model, "--target=cpu", f"--cpu={CPU}"] + inputs +
                  ["--output-dir", cpu_dir])
    if rc != 0:
        return name, f"cpu run failed (exit {rc}): {first_line(out)}", time.time() - start
    refs = sorted(glob.glob(os.path.join(ref_dir, "*.npy")))
    if not refs:
        return name, "the reference run wrote no output", time.time() - start
    problems = []
    for ref in refs:
        cpu = os.path.join(cpu_dir, os.path.basename(ref))
        if not os.path.exists(cpu):
            problems.append(f"{os.path.basename(ref)}: missing from the cpu run")
            continue
        msg = compare(ref, cpu)
        if msg:
            problems.append(f"{os.path.basename(ref)}: {msg}")
    extra = set(map(os.path.basename, glob.glob(os.path.join(cpu_dir, "*.npy")))) - \
        set(map(os.path.basename, refs))
    for e in sorted(extra):
        problems.append(f"{e}: only in the cpu run")
    return name, "; ".join(problems) or None, time.time() - start


def main(argv):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir", help="directory of NAME.mlir + NAME.inK.npy")
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("--bin-dir", default=None, help="where quant-run is (default: PATH)")
    p.add_argument("--work-dir", default=None,
                   help="where outputs go (default: DIR/out)")
    p.add_argument("--filter", default=None, help="only cases whose name contains this")
    p.add_argument("--times", action="store_true", help="print each case's time")
    p.add_argument("--cpu", default="native",
                   help="quant-run --cpu for the compiled side (native, generic, x86-64-v3, ...)")
    args = p.parse_args(argv)
    global CPU
    CPU = args.cpu

    models = sorted(glob.glob(os.path.join(args.dir, "*.mlir")))
    if args.filter:
        models = [m for m in models if args.filter in os.path.basename(m)]
    if not models:
        print(f"no models in {args.dir}")
        return 1
    work = args.work_dir or os.path.join(args.dir, "out")
    os.makedirs(work, exist_ok=True)
    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda m: check_case(m, args.bin_dir, work), models))
    failed = 0
    for name, problem, seconds in results:
        t = f" ({seconds:.2f} s)" if args.times else ""
        if problem is None:
            print(f"PASS {name}{t}")
        else:
            failed += 1
            print(f"FAIL {name}: {problem}{t}")
    print(f"{len(results)} cases, {failed} failed ({time.time() - start:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
