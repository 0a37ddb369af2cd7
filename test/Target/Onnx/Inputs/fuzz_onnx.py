"""Seeded mutation fuzzing of the ONNX importer: byte flips, deletions,
insertions and truncations of a valid model; every mutant must import or be
refused with an error (exit status 0 or 1), never crash.

  fuzz_onnx.py MODEL.onnx COUNT SEED   (run from a scratch directory)
"""
import random, subprocess, sys, os
src = open(sys.argv[1], 'rb').read()
n = int(sys.argv[2]); seed = int(sys.argv[3])
rng = random.Random(seed)
crashes = 0
for i in range(n):
    b = bytearray(src)
    k = rng.randint(1, 8)
    for _ in range(k):
        op = rng.random()
        pos = rng.randrange(len(b))
        if op < 0.5:
            b[pos] = rng.randrange(256)
        elif op < 0.7:
            del b[pos:pos + rng.randint(1, 16)]
        elif op < 0.85:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        else:
            b = b[:pos]
            break
    path = f"m{seed}_{i}.onnx"
    open(path, 'wb').write(b)
    r = subprocess.run(["quant-translate", "--import-onnx", path, "-o", "/dev/null"],
                       capture_output=True, timeout=60)
    if r.returncode not in (0, 1):
        crashes += 1
        print("CRASH", path, r.returncode, r.stderr.decode(errors='replace')[-300:])
    else:
        os.remove(path)
print(n, "mutants,", crashes, "crashes")
sys.exit(1 if crashes else 0)
