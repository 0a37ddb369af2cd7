#!/usr/bin/env bash
# The README's main job: installs what is missing, configures, builds, then
# compiles the bundled example model examples/models/cnn (a float CNN with
# batch norms, a residual add and a concat) to integer-only IR and runs it:
#
#   1. quantize: fold batch norms, calibrate on the bundled samples,
#      choose scales and zero points (--qnt-quantize-pipeline)
#   2. lower to integer-only IR and check it (--qnt-lower-pipeline)
#   3. compile it for this CPU to an object file and a C header
#      (--qnt-compile-cpu, quant-translate --emit-obj / --emit-c-header) and
#      link it with a small C program, examples/classify.c
#   4. run the program on the bundled test images, print its predictions,
#      report agreement with the float model, and check that the compiled
#      int8 results are bit-identical to the reference interpreter's
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
export BUILD_DIR="$build_dir"
QC_TARGETS="quant-opt quant-run quant-compare quant-translate" bash "$root/scripts/setup.sh"

bin="$build_dir/bin"
model="$root/examples/models/cnn"
out="$build_dir/examples/cnn"
rm -rf "$out" && mkdir -p "$out"

echo
echo "== 1. quantize $model/model.mlir (calibration: $model/calibration.npy)"
"$bin/quant-opt" "$model/model.mlir" \
  --qnt-quantize-pipeline="calibration=$model/calibration.npy method=percentile" \
  -o "$out/quantized.mlir"
echo "wrote $out/quantized.mlir"

echo
echo "== 2. lower to integer-only IR (checked by qnt-verify-integer-only)"
"$bin/quant-opt" "$out/quantized.mlir" --qnt-lower-pipeline \
  -o "$out/integer.mlir"
echo "wrote $out/integer.mlir: $(grep -c 'linalg.generic' "$out/integer.mlir") linalg.generic ops, float only at the edges"

echo
echo "== 3. compile for this CPU: object file + C header, linked with examples/classify.c"
"$bin/quant-opt" "$out/quantized.mlir" --qnt-set-entry-name=to=cnn \
  -o "$out/cnn.mlir"
"$bin/quant-translate" --emit-c-header "$out/cnn.mlir" -o "$out/cnn.h"
"$bin/quant-opt" "$out/cnn.mlir" --qnt-compile-cpu="cpu=native" |
  "$bin/quant-translate" --emit-obj -o "$out/cnn.o"
clang-22 -O2 -std=c11 -Wall -Wextra -Werror -I"$out" "$root/examples/classify.c" \
  "$out/cnn.o" -o "$out/classify"
echo "wrote $out/cnn.o ($(stat -c %s "$out/cnn.o") bytes), $out/cnn.h (arena: $(grep -m1 'define CNN_ARENA_SIZE' "$out/cnn.h" | cut -d' ' -f3) bytes), $out/classify"

echo
echo "== 4. run on $model/test.npy (8 images)"
"$out/classify" "$model/test.npy" "$out/int8-cpu.npy"
"$bin/quant-run" "$model/model.mlir" --input "$model/test.npy" \
  --output-dir "$out/float" > /dev/null
"$bin/quant-run" "$out/integer.mlir" --input "$model/test.npy" \
  --output-dir "$out/int8-ref" > /dev/null
echo
echo "int8 (compiled C program) vs float model:"
"$bin/quant-compare" "$out/float/output0.npy" "$out/int8-cpu.npy"
echo "int8 compiled vs int8 reference interpreter:"
"$bin/quant-compare" "$out/int8-ref/output0.npy" "$out/int8-cpu.npy" --exact
echo
echo "time per inference (same pipeline, JIT):"
"$bin/quant-run" "$out/quantized.mlir" --target=cpu --bench 200 \
  --input "$model/test.npy" --output-dir "$out/int8-jit" | grep bench
