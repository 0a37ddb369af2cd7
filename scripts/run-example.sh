#!/usr/bin/env bash
# The README's main job: installs what is missing, configures, builds, then
# compiles the bundled example model examples/models/cnn (a float CNN with
# batch norms, a residual add and a concat) to integer-only IR and runs it:
#
#   1. quantize: fold batch norms, calibrate on the bundled samples,
#      choose scales and zero points (--qnt-quantize-pipeline)
#   2. lower to integer-only IR and check it (--qnt-lower-pipeline)
#   3. run the float model (reference interpreter) and the quantized model
#      compiled for this CPU (quant-run --target=cpu, JIT) on the bundled
#      test inputs, report their agreement, and check that the compiled
#      int8 results are bit-identical to the reference interpreter's
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
export BUILD_DIR="$build_dir"
QC_TARGETS="quant-opt quant-run quant-compare" bash "$root/scripts/setup.sh"

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
echo "== 3. run on $model/test.npy (8 images)"
"$bin/quant-run" "$model/model.mlir" --input "$model/test.npy" \
  --output-dir "$out/float"
"$bin/quant-run" "$out/quantized.mlir" --target=cpu --bench 100 \
  --input "$model/test.npy" --output-dir "$out/int8-cpu"
"$bin/quant-run" "$out/integer.mlir" --input "$model/test.npy" \
  --output-dir "$out/int8-ref"
echo
echo "int8 (compiled for this CPU) vs float:"
"$bin/quant-compare" "$out/float/output0.npy" "$out/int8-cpu/output0.npy"
echo "int8 compiled vs int8 reference interpreter:"
"$bin/quant-compare" "$out/int8-ref/output0.npy" "$out/int8-cpu/output0.npy" --exact
