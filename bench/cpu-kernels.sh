#!/usr/bin/env bash
# Our compiled int8 kernels side by side with oneDNN and with our own fp32
# path, single thread, on the same shapes; prints one markdown table.
#
#   bash bench/cpu-kernels.sh [--only NAME,...] [--no-model] [--keep]
#
# Shapes (bench/make-bench-models.py): GEMM u8*s8->u8 with requantize 1024^3
# and 256^3, batch-1 FC 1x1024x1024, conv 1x56x56x64->64 3x3 pad 1 and 1x1
# (NHWC), each one qnt op; then the whole example model examples/models/cnn
# (int8 calibrated like scripts/run-example.sh vs our fp32 compile of it).
#
#   ours int8   NAME.q.mlir compiled ahead of time (--qnt-compile-cpu,
#               --emit-obj, --emit-c-header) and timed by bench/time-compiled.c
#               through the header's layer_run(): u8 storage in and out, the
#               arena allocated once, nothing else in the timed loop
#   oneDNN int8 bench/onednn-bench (matmul / convolution_forward, u8 src, s8
#               weights, u8 dst, per-channel output scales, src and dst
#               zero points)
#   ours fp32   NAME.f.mlir (float graph ops, qnt-lower-float-to-linalg)
#               compiled and timed the same way
#
# GOPS = 2*MACs / time per run. Everything runs on one thread
# (OMP_NUM_THREADS=1, oneDNN asked for one OpenMP thread) pinned to one CPU
# with taskset when available. Timings are only meaningful on a quiet
# machine.
#
# Environment:
#   BUILD_DIR      the project's build (default: <repo>/build), already built
#                  (quant-opt, quant-run, quant-translate); onednn-bench is built in it with
#                  ninja when bench/ is part of it, else compiled standalone
#                  into the temporary directory
#   BENCH_SECONDS  aim for about this much timed work per measurement (1)
#   BENCH_GOPS     int8 throughput assumed to pick our run counts (100; the
#                  fp32 path assumes 4)
#   BENCH_RUNS     fixed run count for our measurements (overrides the above)
#   BENCH_REPS     timed repetitions of those runs, best kept (3)
#   CC             C compiler for the timing driver (clang-22)
#   BENCH_CPU      the CPU to pin to (0)
#   BENCH_CHECK    1 (default): also run every model in the reference
#                  interpreter; int8 outputs must be bit-identical, fp32 ones
#                  are compared (quant-compare); 0 skips this
#   CXX            compiler for the standalone onednn-bench (clang++-22)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
bin="$build/bin"
python=/usr/bin/python3
seconds="${BENCH_SECONDS:-1}"
assumed_gops="${BENCH_GOPS:-100}"
reps="${BENCH_REPS:-3}"
cpu="${BENCH_CPU:-0}"

only=""
run_model=1
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) only="$2"; shift 2 ;;
    --only=*) only="${1#--only=}"; shift ;;
    --no-model) run_model=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "cpu-kernels.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

for tool in quant-opt quant-run quant-translate; do
  if [[ ! -x "$bin/$tool" ]]; then
    echo "cpu-kernels.sh: $bin/$tool not found; build the project first" \
         "(or set BUILD_DIR)" >&2
    exit 1
  fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/qc-bench.XXXXXX")"
if [[ $keep == 1 ]]; then
  echo "keeping $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
log="$work/log"
mkdir -p "$log"

# --- one thread, one CPU ------------------------------------------------------
export OMP_NUM_THREADS=1
export OMP_PROC_BIND=false
pin=()
if command -v taskset >/dev/null && taskset -c "$cpu" true 2>/dev/null; then
  pin=(taskset -c "$cpu")
fi

# --- oneDNN bench ----------------------------------------------------------------
onednn=""
if [[ -f "$build/build.ninja" ]] &&
   ninja -C "$build" -t targets all 2>/dev/null | grep '^onednn-bench:' >/dev/null; then
  echo "building onednn-bench in $build" >&2
  ninja -C "$build" -j1 onednn-bench >"$log/onednn-build.txt" 2>&1 ||
    { cat "$log/onednn-build.txt" >&2; exit 1; }
  onednn="$bin/onednn-bench"
elif [[ -f /usr/include/oneapi/dnnl/dnnl.hpp ]]; then
  # bench/ not (yet) part of the build: compile the one file standalone.
  echo "compiling onednn-bench standalone (bench/ is not in $build)" >&2
  "${CXX:-clang++-22}" -std=c++17 -O2 "$root/bench/onednn-bench.cpp" \
    -ldnnl -ldl -o "$work/onednn-bench" >"$log/onednn-build.txt" 2>&1 ||
    { cat "$log/onednn-build.txt" >&2; exit 1; }
  onednn="$work/onednn-bench"
else
  echo "oneDNN not found (libdnnl-dev): its column is n/a" >&2
fi

# --- fp32 path available? -----------------------------------------------------
have_float=0
# (grep reads everything: with pipefail, grep -q could SIGPIPE the writer.)
if "$bin/quant-opt" --help 2>/dev/null | grep -- '--qnt-lower-float-to-linalg' >/dev/null; then
  have_float=1
fi

# --- models -------------------------------------------------------------------
echo "writing the models into $work" >&2
only_arg=()
[[ -n "$only" ]] && only_arg=(--only "$only")
"$python" "$root/bench/make-bench-models.py" "$work/qe" --edges=quantized "${only_arg[@]}"
"$python" "$root/bench/make-bench-models.py" "$work/fe" --edges=float "${only_arg[@]}"

# --- helpers ------------------------------------------------------------------
# Our run count for a measurement of OPS operations at about GOPS.
runs_for() { # OPS GOPS
  if [[ -n "${BENCH_RUNS:-}" ]]; then echo "$BENCH_RUNS"; return; fi
  awk -v ops="$1" -v s="$seconds" -v g="$2" 'BEGIN {
    n = int(s * g * 1e9 / ops + 0.5); if (n < 3) n = 3; if (n > 2000) n = 2000;
    print n }'
}

# MODEL INPUT RUNS TAG: compiles MODEL ahead of time (object + header, as a
# user ships it), links bench/time-compiled.c, prints its best "us per
# inference" over BENCH_REPS repetitions of RUNS calls; also writes the
# output of the same pipeline (quant-run --target=cpu) for the checks.
# Prints nothing (status 1) on failure.
ours_us() {
  local model="$1" input="$2" runs="$3" tag="$4" dir="$work/aot/$4"
  mkdir -p "$dir"
  {
    "$bin/quant-run" "$model" --target=cpu --input "$input" \
      --output-dir "$work/out/$tag" &&
    "$bin/quant-opt" "$model" --qnt-set-entry-name=to=layer -o "$dir/layer.mlir" &&
    "$bin/quant-translate" --emit-c-header "$dir/layer.mlir" -o "$dir/layer.h" &&
    "$bin/quant-opt" "$dir/layer.mlir" --qnt-compile-cpu="cpu=native" -o "$dir/layer.ll.mlir" &&
    "$bin/quant-translate" --emit-obj "$dir/layer.ll.mlir" -o "$dir/layer.o" &&
    "${CC:-clang-22}" -O2 -std=c11 -I"$dir" "$root/bench/time-compiled.c" \
      "$dir/layer.o" -o "$dir/time" &&
    "${pin[@]}" "$dir/time" "$runs" "$reps"
  } >"$log/$tag.txt" 2>&1 || return 1
  local us
  us=$(sed -n 's/^us per inference \([0-9.]*\)$/\1/p' "$log/$tag.txt")
  [[ -n "$us" ]] || return 1
  echo "$us"
}

gops() { # OPS US
  awk -v ops="$1" -v us="$2" 'BEGIN { printf "%.2f", ops / (us * 1e3) }'
}
ratio() { # A B (n/a when either is)
  if [[ "$1" == n/a || "$2" == n/a ]]; then echo n/a; return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.3f", a / b }'
}

rows=()
details=()
checks=()
mismatch=0
notes=()
float_edges_used=0

measure() { # NAME OPS QMODEL QINPUT FMODEL FINPUT [ONEDNN-ARGS...]
  local name="$1" ops="$2" qmodel="$3" qinput="$4" fmodel="$5" finput="$6"
  shift 6
  local runs q_us q_g d_us=n/a d_g=n/a d_impl="" f_us=n/a f_g=n/a mark="" tag
  runs=$(runs_for "$ops" "$assumed_gops")
  local fruns
  fruns=$(runs_for "$ops" 4)
  tag=$(tr -c 'A-Za-z0-9.\n-' '_' <<<"$name")
  echo "  $name: ours int8 ($runs runs)" >&2

  # Ours, int8: quantized edges first, then the float-edge form.
  if q_us=$(ours_us "$qmodel" "$qinput" "$runs" "$tag.int8"); then :
  elif [[ -n "${QFALLBACK_MODEL:-}" ]] &&
       q_us=$(ours_us "$QFALLBACK_MODEL" "$QFALLBACK_INPUT" "$runs" "$tag.int8f"); then
    echo "    quantized edges failed, used float edges: $(grep -m1 'error' \
      "$log/$tag.int8.txt" | cut -c1-200)" >&2
    mark=" †"
    float_edges_used=1
  else
    echo "    failed:" >&2
    { cat "$log/$tag.int8.txt" "$log/$tag.int8f.txt" 2>/dev/null | grep -m3 error |
      cut -c1-300 >&2; } || true
    q_us=n/a
  fi
  q_g=n/a
  [[ "$q_us" != n/a ]] && q_g=$(gops "$ops" "$q_us")

  # What was timed computes the right thing: bit-exact with the reference.
  if [[ "${BENCH_CHECK:-1}" == 1 && "$q_us" != n/a ]]; then
    local used="$qmodel" input="$qinput" out="$work/out/$tag.int8"
    if [[ -n "$mark" ]]; then
      used="$QFALLBACK_MODEL" input="$QFALLBACK_INPUT" out="$work/out/$tag.int8f"
    fi
    echo "  $name: checking against the reference interpreter" >&2
    if "$bin/quant-run" "$used" --target=ref --input "$input" \
         --output-dir "$work/out/$tag.ref" >"$log/$tag.ref.txt" 2>&1 &&
       cmp -s "$out/output0.npy" "$work/out/$tag.ref/output0.npy"; then
      checks+=("$name: compiled int8 output bit-identical to the reference interpreter")
    else
      checks+=("$name: MISMATCH between compiled int8 and the reference interpreter")
      mismatch=1
    fi
  fi

  # oneDNN.
  if [[ -n "$onednn" && $# -gt 0 ]]; then
    echo "  $name: oneDNN" >&2
    if "${pin[@]}" "$onednn" --name "$name" "$@" >"$log/$tag.onednn.txt" 2>&1; then
      local line
      line=$(grep "^onednn $name " "$log/$tag.onednn.txt") || line=""
      d_us=$(sed -n 's/.* us=\([0-9.]*\).*/\1/p' <<<"$line")
      d_g=$(sed -n 's/.* gops=\([0-9.]*\).*/\1/p' <<<"$line")
      d_impl=$(sed -n 's/.* impl=\([^ ]*\).*/\1/p' <<<"$line")
      d_g=$(awk -v g="$d_g" 'BEGIN { printf "%.2f", g }')
      grep '^# oneDNN' "$log/$tag.onednn.txt" >"$work/onednn-header" || true
    else
      echo "    oneDNN failed:" >&2
      cut -c1-300 "$log/$tag.onednn.txt" >&2
    fi
  fi

  # Ours, fp32.
  if [[ $have_float == 1 && -n "$fmodel" ]]; then
    echo "  $name: ours fp32 ($fruns runs)" >&2
    local lowered="$work/$tag.f.lowered.mlir"
    if "$bin/quant-opt" "$fmodel" ${FLOAT_PRE_PASSES:-} --qnt-lower-float-to-linalg \
         -o "$lowered" >"$log/$tag.lower.txt" 2>&1 &&
       f_us=$(ours_us "$lowered" "$finput" "$fruns" "$tag.fp32"); then
      f_g=$(gops "$ops" "$f_us")
      if [[ "${BENCH_CHECK:-1}" == 1 ]]; then
        # fp32 compiled vs the float model in the reference interpreter.
        local cmpline=""
        if "$bin/quant-run" "$fmodel" --target=ref --input "$finput" \
             --output-dir "$work/out/$tag.fref" >"$log/$tag.fref.txt" 2>&1; then
          cmpline=$("$bin/quant-compare" "$work/out/$tag.fref/output0.npy" \
                      "$work/out/$tag.fp32/output0.npy" 2>&1 | head -n 1) ||
          cmpline=""
        fi
        checks+=("$name: fp32 compiled vs float reference: ${cmpline:-could not compare}")
      fi
    else
      echo "    fp32 path failed:" >&2
      { cat "$log/$tag.lower.txt" "$log/$tag.fp32.txt" 2>/dev/null | tail -n 5 |
        cut -c1-300 >&2; } || true
      f_us=n/a
    fi
  fi

  rows+=("| $name$mark | $q_g | $d_g | $(ratio "$q_g" "$d_g") | $f_g | $(ratio "$q_g" "$f_g") |")
  details+=("| $name | $ops | $q_us | $d_us | $f_us | ${d_impl:-n/a} |")
}

echo "running (single thread${pin:+, pinned to CPU $cpu})" >&2
while read -r name kind rest; do
  [[ -z "$name" ]] && continue
  read -r -a fields <<<"$rest"
  ops="${fields[-1]}"
  dims=("${fields[@]:0:${#fields[@]}-1}")
  QFALLBACK_MODEL="$work/fe/$name.q.mlir" QFALLBACK_INPUT="$work/fe/$name.q.npy" \
    measure "$name" "$ops" "$work/qe/$name.q.mlir" "$work/qe/$name.q.npy" \
      "$work/qe/$name.f.mlir" "$work/qe/$name.f.npy" "$kind" "${dims[@]}"
done <"$work/qe/shapes.txt"

# --- the whole example model --------------------------------------------------
if [[ $run_model == 1 ]] && [[ -z "$only" || ",$only," == *",cnn,"* ]]; then
  model="$root/examples/models/cnn"
  echo "  cnn: quantizing (percentile calibration)" >&2
  "$bin/quant-opt" "$model/model.mlir" \
    --qnt-quantize-pipeline="calibration=$model/calibration.npy method=percentile" \
    -o "$work/cnn.q.mlir"
  ops=$("$python" "$root/bench/make-bench-models.py" --count-ops "$model/model.mlir")
  # The float model has batch norms; fold them for fp32 as quantizing does.
  QFALLBACK_MODEL="" FLOAT_PRE_PASSES="--qnt-fold-batch-norm" \
    measure "cnn (model)" "$ops" "$work/cnn.q.mlir" "$model/test.npy" \
      "$model/model.mlir" "$model/test.npy"
  notes+=("cnn (model): float in and out (quantize/dequantize at its edges are part of the model); GOPS counts conv/FC MACs only; oneDNN does not run whole models here.")
fi

# --- report ---------------------------------------------------------------------
echo
echo "## int8 kernels: ours vs oneDNN vs our fp32 (single thread)"
echo
echo "$(uname -m), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
     "quant $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')," \
     "$(date -u +%Y-%m-%d)${pin:+, taskset -c $cpu}"
[[ -f "$work/onednn-header" ]] && sed 's/^# //' "$work/onednn-header"
echo
echo "| shape | ours int8 GOPS | oneDNN int8 GOPS | ours/oneDNN | ours fp32 GOPS | int8/fp32 |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "| shape | ops (2*MACs) | ours int8 us | oneDNN us | ours fp32 us | oneDNN implementation |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${details[@]}"
echo
[[ $float_edges_used == 1 ]] &&
  echo "† float edges: the CPU target did not take quantized arguments, so the model quantizes its input and dequantizes its output inside the timed run."
[[ $have_float == 0 ]] &&
  echo "fp32: n/a, quant-opt has no --qnt-lower-float-to-linalg in this build."
for n in "${notes[@]}"; do echo "$n"; done
for n in "${checks[@]}"; do echo "check: $n"; done
exit "$mismatch"
