#!/usr/bin/env bash
# The README's main job: installs what is missing, configures, builds, then
# runs quant-opt on the bundled example model, examples/tiny_cnn.mlir (a
# quantized conv/pool/FC network). Until the CPU back end lands, the job
# shows the compiler's front half: the model is parsed and verified, the
# integer-only check names the float ops left in it, --canonicalize folds
# them away exactly, and the check then passes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
export BUILD_DIR="$build_dir"
QC_TARGETS=quant-opt bash "$root/scripts/setup.sh"

opt="$build_dir/bin/quant-opt"
model="$root/examples/tiny_cnn.mlir"
out="$build_dir/examples"
mkdir -p "$out"

echo
echo "== 1. integer-only check of $model as written (float edges allowed)"
if "$opt" "$model" --qnt-verify-integer-only=allow-edge-casts \
     --mlir-print-op-on-diagnostic=false -o /dev/null; then
  echo "integer-only: yes"
else
  echo "integer-only: no (the ops above still compute in floating point)"
fi

echo
echo "== 2. after --canonicalize (written to $out/tiny_cnn.canonical.mlir)"
"$opt" "$model" --canonicalize -o "$out/tiny_cnn.canonical.mlir"
cat "$out/tiny_cnn.canonical.mlir"

echo
echo "== 3. integer-only check after --canonicalize"
"$opt" "$out/tiny_cnn.canonical.mlir" \
  --qnt-verify-integer-only=allow-edge-casts -o /dev/null
echo "integer-only: yes (float only at the input and output edges)"
