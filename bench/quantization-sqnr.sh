#!/usr/bin/env bash
# Float vs int8 error of every example model under every calibration method:
# each model is quantized (per-channel weights, u8 activations) with the
# bundled calibration samples, both versions run in the reference
# interpreter on the bundled test inputs, and quant-compare reports the
# SQNR of the int8 outputs against the float ones.
#
#   bash bench/quantization-sqnr.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
bin="$build/bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

methods=(minmax ema percentile kl mse)
printf '%-8s' model
for m in "${methods[@]}"; do printf '%14s' "$m"; done
printf '\n'
for model in mlp cnn dwsep; do
  dir="$root/examples/models/$model"
  "$bin/quant-run" "$dir/model.mlir" --input "$dir/test.npy" \
    --output-dir "$work/$model.float" >/dev/null
  printf '%-8s' "$model"
  for method in "${methods[@]}"; do
    "$bin/quant-opt" "$dir/model.mlir" \
      --qnt-quantize-pipeline="calibration=$dir/calibration.npy method=$method" \
      -o "$work/$model.$method.mlir"
    "$bin/quant-run" "$work/$model.$method.mlir" --input "$dir/test.npy" \
      --output-dir "$work/$model.$method" >/dev/null
    sqnr=$("$bin/quant-compare" "$work/$model.float/output0.npy" \
             "$work/$model.$method/output0.npy" |
           sed -n 's/.*SQNR \([-0-9.inf]*\) dB.*/\1/p')
    printf '%11s dB' "$sqnr"
  done
  printf '\n'
done
