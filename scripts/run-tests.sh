#!/usr/bin/env bash
# The README's test command: installs what is missing, configures, builds,
# and runs every test (lit regression tests, GoogleTest unit tests through
# ctest). Ends with one line "N passed, N failed" (lit's and ctest's counts
# added up) and exits non-zero when anything failed.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
export BUILD_DIR="$build_dir"

if ! bash "$root/scripts/setup.sh"; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

results="$build_dir/test-results"
rm -rf "$results" && mkdir -p "$results"

echo "== lit"
/usr/lib/llvm-22/bin/lit -sv --xunit-xml-output "$results/lit.xml" "$build_dir/test"
lit_rc=$?

echo "== ctest"
ctest --test-dir "$build_dir" --output-on-failure --output-junit "$results/ctest.xml"
ctest_rc=$?

# Count test cases and failures in both JUnit files.
count() { grep -o "$1" "$2" 2>/dev/null | wc -l; }
total=0 failed=0 skipped=0
for f in "$results/lit.xml" "$results/ctest.xml"; do
  total=$((total + $(count '<testcase ' "$f")))
  failed=$((failed + $(count '<failure' "$f")))
  skipped=$((skipped + $(count '<skipped' "$f")))
done
# A runner that crashed before writing its report still counts as a failure.
if [ "$lit_rc" -ne 0 ] && [ "$(count '<failure' "$results/lit.xml")" -eq 0 ]; then
  failed=$((failed + 1))
fi
if [ "$ctest_rc" -ne 0 ] && [ "$(count '<failure' "$results/ctest.xml")" -eq 0 ]; then
  failed=$((failed + 1))
fi
passed=$((total - failed - skipped))
[ "$skipped" -gt 0 ] && echo "($skipped skipped: unsupported on this machine)"
[ "$passed" -lt 0 ] && passed=0
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$lit_rc" -eq 0 ] && [ "$ctest_rc" -eq 0 ]
