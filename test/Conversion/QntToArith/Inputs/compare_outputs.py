#!/usr/bin/env python3
"""Runs `quant-compare REF OTHER --exact` on every output*.npy of REF_DIR
and its namesake in OTHER_DIR; fails if any differs or is missing.

usage: compare_outputs.py REF_DIR OTHER_DIR
"""
import os
import subprocess
import sys

ref_dir, other_dir = sys.argv[1], sys.argv[2]
names = sorted(n for n in os.listdir(ref_dir) if n.endswith(".npy"))
failed = 0
for name in names:
    cmd = ["quant-compare", os.path.join(ref_dir, name),
           os.path.join(other_dir, name), "--exact"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        failed += 1
        print(f"{name}: {done.stdout.strip()} {done.stderr.strip()}")
print(f"compared {len(names)} outputs, {failed} differ")
sys.exit(1 if failed or not names else 0)
