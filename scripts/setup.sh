#!/usr/bin/env bash
# Installs what quant needs on Debian bookworm (only when something is
# missing), then configures and builds. Sourced or run by the README's two
# commands; safe to run again (incremental).
#
#   BUILD_DIR   build directory (default: build)
#   QC_CXX      C++ compiler (default: clang++-22; g++ also works)
#   QC_TARGETS  ninja targets to build (default: all)
#   QC_WERROR   OFF to let warnings pass (default ON: our code is warning-free)
#   QC_ORT      0 to skip installing ONNX Runtime (default 1; the ORT tests
#               then fail, saying it is missing)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"

packages=(
  cmake ninja-build g++ python3 python3-numpy python3-torch
  clang-22 lld-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libgtest-dev zlib1g-dev libdnnl-dev
  libonnx-dev libprotobuf-dev python3-onnx libonnx-testdata dataset-fashion-mnist
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  # Fresh machines may have no package lists yet.
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}" ||
    { "${sudo_cmd[@]}" apt-get update && 
      "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; }
fi

# Node.js and npm run ONNX Runtime, the peer of the ORT comparison tests
# (test/e2e/ort-*.test): Debian's nodejs and npm, unless a node and npm are
# there already (e.g. NodeSource's node, which brings its own npm).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "== installing: nodejs npm"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends nodejs npm ||
    { "${sudo_cmd[@]}" apt-get update &&
      "${sudo_cmd[@]}" apt-get install -y --no-install-recommends nodejs npm; }
fi

# ONNX Runtime (npm onnxruntime-node, pinned) into $build_dir/ort, once per
# build directory: skipped when that version is there. Its CPU library is
# inside the package; its install script only fetches GPU libraries (which
# fails offline), so it is not run. npm keeps the download in its cache
# (~/.npm). A failed install does not stop the build: the ORT tests then
# fail and say why.
ort_version=1.30.0
ort_dir="$build_dir/ort"
if [ "${QC_ORT:-1}" != 0 ] &&
   ! grep -qs "\"version\": \"$ort_version\"" \
     "$ort_dir/node_modules/onnxruntime-node/package.json"; then
  echo "== installing onnxruntime-node@$ort_version into $ort_dir"
  mkdir -p "$ort_dir"
  ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$ort_dir" \
    --ignore-scripts --no-audit --no-fund --loglevel=error \
    "onnxruntime-node@$ort_version" ||
    echo "warning: onnxruntime-node was not installed; the ORT tests will fail"
fi

cxx="${QC_CXX:-clang++-22}"
case "$cxx" in
  clang++*) cc="${cxx/clang++/clang}"; linker=(-DLLVM_USE_LINKER=lld) ;;
  g++*)     cc="${cxx/g++/gcc}"; linker=() ;;
  *)        cc=cc; linker=() ;;
esac

# Configuring again is cheap and picks up changed options.
echo "== configuring $build_dir with $cxx"
cmake -G Ninja -S "$root" -B "$build_dir" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" "${linker[@]}" \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
  -DMLIR_LINK_MLIR_DYLIB=ON -DQC_WERROR="${QC_WERROR:-ON}" >/dev/null

echo "== building"
# shellcheck disable=SC2086
ninja -C "$build_dir" ${QC_TARGETS:-}
