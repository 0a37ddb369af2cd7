#!/usr/bin/env bash
# Whole-model latency of the trained Fashion-MNIST CNN
# (examples/models/fashion, one 1x1x28x28 image per inference, batch 1):
# ours int8 against ONNX Runtime int8 on the same quantized model (our
# --export-onnx-qdq export) and ORT float on the original model.onnx, one
# thread, pinned to one CPU; prints one markdown table.
#
#   bash bench/ort-latency.sh [--keep]
#
#   ours int8        the quantized model compiled for this CPU and run by
#                    quant-run --target=cpu --bench N (the JIT optimizes as
#                    --emit-obj does; per run it adds quant-run's argument
#                    and result handling: the same model compiled ahead of
#                    time and called through its C header, as
#                    bench/cpu-kernels.sh times models, measured 117.6 us
#                    against 118.1 us here)
#   ours fp32        our float path (qnt-lower-float-to-linalg), the same way
#   ORT int8         the exported QDQ model in onnxruntime-node (CPU
#                    provider, intra- and inter-op threads 1, all graph
#                    optimizations: ORT fuses the QDQ groups into
#                    QLinearConv, QLinearAdd, QLinearGlobalAveragePool and
#                    QGemm), timed by test/e2e/Inputs/ort_run.js --bench
#   ORT fp32         examples/models/fashion/model.onnx, the same way
#   ORT call         an Identity model of the same input: the cost of one
#                    session.run() through ORT's Node.js binding, included
#                    in both ORT rows
#
# Every row is the best mean over BENCH_REPS repetitions of BENCH_RUNS runs
# after a warm-up. Timings mean something only on a quiet machine.
#
# Environment:
#   BUILD_DIR      the project's build (default: <repo>/build), with
#                  quant-opt, quant-run, quant-translate built and
#                  onnxruntime-node in BUILD_DIR/ort (scripts/setup.sh)
#   BENCH_RUNS     runs per repetition (2000)
#   BENCH_REPS     repetitions, best kept (5)
#   BENCH_CPU      the CPU to pin to (0)
#   BENCH_ROUNDING qnt-quantize rounding= for our model: gemmlowp (default)
#                  or half_even
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
bin="$build/bin"
python=/usr/bin/python3
runs="${BENCH_RUNS:-2000}"
reps="${BENCH_REPS:-5}"
cpu="${BENCH_CPU:-0}"
rounding="${BENCH_ROUNDING:-gemmlowp}"
fashion="$root/examples/models/fashion"
ort_run="$root/test/e2e/Inputs/ort_run.js"

keep=0
case "${1:-}" in
  --keep) keep=1 ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "ort-latency.sh: unknown argument '$1'" >&2; exit 2 ;;
esac

for tool in quant-opt quant-run quant-translate; do
  [[ -x "$bin/$tool" ]] || {
    echo "ort-latency.sh: $bin/$tool not found; build the project first" \
         "(or set BUILD_DIR)" >&2
    exit 1
  }
done
[[ -d "$build/ort/node_modules/onnxruntime-node" ]] || {
  echo "ort-latency.sh: onnxruntime-node is not in $build/ort;" \
       "run scripts/setup.sh" >&2
  exit 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/qc-ort-bench.XXXXXX")"
if [[ $keep == 1 ]]; then
  echo "keeping $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
pin=()
command -v taskset >/dev/null && pin=(taskset -c "$cpu")

# The model, its quantized form and the QDQ export; one test image.
"$python" "$fashion/fashion_npy.py" t10k "$work" --count 1 >/dev/null
"$bin/quant-translate" --import-onnx "$fashion/model.onnx" -o "$work/float.mlir"
"$bin/quant-opt" "$work/float.mlir" --qnt-quantize-pipeline="calibration=$fashion/calibration.npy method=percentile rounding=$rounding" \
  -o "$work/int8.mlir"
"$bin/quant-translate" --export-onnx-qdq "$work/int8.mlir" -o "$work/int8.onnx"
"$python" - "$work/identity.onnx" <<'EOF'
import sys
from onnx import TensorProto, helper, save
x = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 28, 28])
y = helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 1, 28, 28])
graph = helper.make_graph([helper.make_node("Identity", ["image"], ["out"])],
                          "identity", [x], [y])
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
     sys.argv[1])
EOF

# MODEL.mlir: ours through quant-run's JIT; best of BENCH_REPS.
jit_us() {
  local best="" us
  for ((r = 0; r < reps; ++r)); do
    us=$("${pin[@]}" "$bin/quant-run" "$1" --target=cpu --bench "$runs" \
           --input "$work/images.npy" --output-dir "$work/jit" 2>&1 |
         sed -n 's/^bench: .* runs, \([0-9.]*\) us per inference$/\1/p')
    [[ -z "$us" ]] && { echo "n/a"; return; }
    if [[ -z "$best" ]] || awk -v a="$us" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best="$us"
    fi
  done
  echo "$best"
}

# MODEL.onnx: ORT through its Node.js binding.
ort_us() {
  "${pin[@]}" node "$ort_run" "$1" --ort-dir "$build/ort" \
    --input "$work/images.npy" --bench "$runs" --reps "$reps" 2>/dev/null |
    sed -n 's/^ort: \([0-9.]*\) us per inference.*/\1/p' | grep . || echo "n/a"
}

echo "measuring ($runs runs x $reps, CPU $cpu, rounding $rounding)..." >&2
ours_int8=$(jit_us "$work/int8.mlir")
ours_fp32=$(jit_us "$work/float.mlir")
ort_int8=$(ort_us "$work/int8.onnx")
ort_fp32=$(ort_us "$fashion/model.onnx")
ort_call=$(ort_us "$work/identity.onnx")

ratio() { # A B: A / B, or n/a
  awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0)
    printf "%.2f", a / b; else printf "n/a" }'
}
cpu_name=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
ort_version=$(sed -n 's/^ *"version": "\(.*\)",$/\1/p' \
  "$build/ort/node_modules/onnxruntime-node/package.json" | head -1)
echo "Fashion-MNIST CNN, batch 1, one thread on CPU $cpu ($cpu_name);" \
     "onnxruntime-node $ort_version; our rounding: $rounding"
echo
echo "| runtime | us per inference | / ORT int8 |"
echo "|---|---|---|"
echo "| ours int8 | $ours_int8 | $(ratio "$ours_int8" "$ort_int8") |"
echo "| ours fp32 | $ours_fp32 | $(ratio "$ours_fp32" "$ort_int8") |"
echo "| ORT int8 (QDQ export) | $ort_int8 | 1.00 |"
echo "| ORT fp32 (model.onnx) | $ort_fp32 | $(ratio "$ort_fp32" "$ort_int8") |"
echo "| ORT call (Identity model) | $ort_call | $(ratio "$ort_call" "$ort_int8") |"
