#!/usr/bin/env bash
# Installs what quant needs on Debian bookworm (only when something is
# missing), then configures and builds. Sourced or run by the README's two
# commands; safe to run again (incremental).
#
#   BUILD_DIR   build directory (default: build)
#   QC_CXX      C++ compiler (default: clang++-22; g++ also works)
#   QC_TARGETS  ninja targets to build (default: all)
#   QC_WERROR   OFF to let warnings pass (default ON: our code is warning-free)
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
