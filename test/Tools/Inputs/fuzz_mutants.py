#!/usr/bin/env python3
"""Mutation fuzzer for quant-opt: bad input must never crash it.

Takes the lit test files as seeds, applies random textual mutations (cut a
range, duplicate one, swap two, replace a number by an extreme value, flip
a character, truncate) and runs each mutant through quant-opt with a pass
pipeline. A mutant may be rejected with diagnostics or accepted; it must
never crash (signal, LLVM crash banner) or hang. Deterministic per seed.

usage: fuzz_mutants.py QUANT_OPT SEED_DIRS COUNT SEED [--keep DIR]

SEED_DIRS is a comma-separated list of directories of .mlir seeds.
"""
import glob
import os
import random
import subprocess
import sys
import tempfile

EXTREMES = ["0", "-1", "1", "-128", "255", "2147483647", "-2147483648",
            "9223372036854775807", "-9223372036854775809", "1.0e308",
            "-0.0", "0x7FF8000000000000", "0x7FF0000000000000", "1e-320",
            "99999999999999999999999", "?", "0.0"]
TOKENS = ["{", "}", "<", ">", "[", "]", "(", ")", ":", ",", "x", "?",
          "!qnt.uniform<", "tensor<", "group", "axis", "->", "%0", "\"", "\0"]
PIPELINE = ["--canonicalize", "--qnt-verify-integer-only",
            "--qnt-import-quant-types", "--qnt-export-quant-types",
            "--qnt-fold-batch-norm", "--qnt-propagate-ranges",
            "--qnt-quantize", "--qnt-lower-to-integer",
            "--qnt-quantize-pipeline", "--qnt-lower-pipeline",
            "--qnt-lower-to-arith"]


def mutate(text, rng):
    n = len(text)
    if n < 2:
        return text
    kind = rng.randrange(7)
    a = rng.randrange(n)
    b = min(n, a + rng.randrange(1, 40))
    if kind == 0:  # cut
        return text[:a] + text[b:]
    if kind == 1:  # duplicate
        return text[:b] + text[a:b] + text[b:]
    if kind == 2:  # swap two ranges
        c = rng.randrange(n)
        d = min(n, c + rng.randrange(1, 20))
        if c < a:
            a, b, c, d = c, d, a, b
        if c < b:
            return text
        return text[:a] + text[c:d] + text[b:c] + text[a:b] + text[d:]
    if kind == 3:  # replace a number
        digits = [i for i, ch in enumerate(text) if ch.isdigit()]
        if not digits:
            return text
        i = rng.choice(digits)
        j = i
        while j < n and (text[j].isdigit() or text[j] in ".e"):
            j += 1
        while i > 0 and (text[i - 1].isdigit() or text[i - 1] in ".-"):
            i -= 1
        return text[:i] + rng.choice(EXTREMES) + text[j:]
    if kind == 4:  # insert a token
        return text[:a] + rng.choice(TOKENS) + text[a:]
    if kind == 5:  # flip a character
        return text[:a] + chr(rng.randrange(32, 127)) + text[a + 1:]
    return text[:a]  # truncate


def crashed(proc):
    err = proc.stderr.decode("utf-8", "replace")
    return (proc.returncode < 0 or proc.returncode >= 128 or
            "PLEASE submit a bug report" in err or "Stack dump" in err or
            "Assertion" in err)


def main():
    opt, seed_dir, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    keep = sys.argv[6] if len(sys.argv) > 6 and sys.argv[5] == "--keep" else None
    seeds = sorted(path for d in seed_dir.split(",")
                   for path in glob.glob(os.path.join(d, "**", "*.mlir"),
                                         recursive=True))
    seeds = [s for s in seeds if "/Inputs/" not in s]
    rng = random.Random(seed)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            source = rng.choice(seeds)
            with open(source, encoding="utf-8", errors="replace") as f:
                text = f.read()
            # One chunk of split-input-file tests keeps mutants small.
            chunks = text.split("// -----")
            text = rng.choice(chunks)
            for _ in range(rng.randrange(1, 4)):
                text = mutate(text, rng)
            path = os.path.join(tmp, "mutant.mlir")
            with open(path, "w", encoding="utf-8", errors="replace") as f:
                f.write(text)
            passes = rng.sample(PIPELINE, rng.randrange(0, 3))
            try:
                proc = subprocess.run([opt, path, "-o", os.devnull] + passes,
                                      capture_output=True, timeout=20)
            except subprocess.TimeoutExpired:
                print(f"HANG on mutant {i} of {source} with {passes}")
                failures += 1
                continue
            if crashed(proc):
                failures += 1
                print(f"CRASH on mutant {i} of {source} with {passes}")
                print(proc.stderr.decode("utf-8", "replace")[:2000])
                if keep:
                    os.makedirs(keep, exist_ok=True)
                    with open(os.path.join(keep, f"crash{i}.mlir"), "w") as f:
                        f.write(text)
    print(f"{count} mutants, {failures} crashes or hangs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
