#!/usr/bin/env bash
# The README's main job: installs what is missing, configures, builds, then
# runs quant-opt on the bundled example model. Until the CPU back end lands
# the job shows the model parsed, verified and canonicalized, and lists the
# ops that still compute in floating point.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
export BUILD_DIR="$build_dir"
QC_TARGETS=quant-opt bash "$root/scripts/setup.sh"

opt="$build_dir/bin/quant-opt"
model="$root/examples/quantized_block.mlir"

echo "== $model: parsed, verified and canonicalized"
"$opt" "$model" --canonicalize

echo "== integer-only check (the float edges are allowed)"
if "$opt" "$model" --qnt-verify-integer-only=allow-edge-casts -o /dev/null; then
  echo "integer-only: yes"
else
  echo "integer-only: no (the ops above still compute in floating point)"
fi
