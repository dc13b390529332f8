#!/usr/bin/env bash
# Scaling of rule files: `pol test` and `pol check` on generated files with many test blocks
# and with many inputs, and `pol diff f f` on a long chain of lets and on many declarations,
# at two sizes ten times apart, and the ratio of their times.
#
#   bench/scale.sh [BUILD_DIR]
#
#   BUILD_DIR  the CMake build directory holding pol (default: build)
#
# A linear command shows a ratio near 10 (n log n a little more); a quadratic one near 100.
# The files are generated in a temporary directory and removed afterwards. Not a ctest
# entry: speed is measured by benchmarks, not by timed tests.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${1:-build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$PWD/$BUILD_DIR" ;; esac
POL="$BUILD_DIR/pol"
[ -x "$POL" ] || { echo "scale.sh: no pol in $BUILD_DIR (build the project first)" >&2; exit 2; }
cd "$ROOT"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# N test blocks over one input and one output.
gen_tests() {
  awk -v n="$1" 'BEGIN {
    print "policy scale \"scale\"\n\ninput x : money \"x\" default 0\noutput y : money \"y\" = x + 1\n"
    for (i = 0; i < n; i++) printf "test \"t%d\" {\n  given x = %d\n  expect y = %d\n}\n\n", i, i, i + 1
  }'
}
# N inputs (all but one unused: N-1 warnings), one output, no tests.
gen_inputs() {
  awk -v n="$1" 'BEGIN {
    print "policy scale \"scale\"\n"
    for (i = 0; i < n; i++) printf "input x%d : money \"x%d\" default 0\n", i, i
    print "output y : money \"y\" = x0 + 1"
  }'
}

# A chain of N lets, each reading the one before (let x2 = x1 + 1, …), ending in one output.
gen_lets() {
  awk -v n="$1" 'BEGIN {
    print "policy scale \"scale\"\n\ninput x0 : money \"x0\" default 0"
    for (i = 1; i <= n; i++) printf "let x%d : money \"x%d\" = x%d + 1\n", i, i, i - 1
    printf "output y : money \"y\" = x%d\n", n
  }'
}

gen_tests 2000 >"$TMP/tests_2k.pol"
gen_tests 20000 >"$TMP/tests_20k.pol"
gen_inputs 10000 >"$TMP/inputs_10k.pol"
gen_inputs 100000 >"$TMP/inputs_100k.pol"
gen_lets 5000 >"$TMP/lets_5k.pol"
gen_lets 50000 >"$TMP/lets_50k.pol"

# Seconds (best of three) of one pol command; its exit status and output do not matter here.
seconds() {
  local best=""
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$POL" "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { d = b - a; if (best == "" || d < best) best = d; printf "%.3f", best }')
  done
  echo "$best"
}

# row COMMAND SMALL LARGE: one line of the table, `pol COMMAND` on each file (diff: the file
# compared with itself).
row() {
  local cmd=$1 small large ratio
  if [ "$cmd" = diff ]; then
    small=$(seconds diff "$TMP/$2.pol" "$TMP/$2.pol")
    large=$(seconds diff "$TMP/$3.pol" "$TMP/$3.pol")
  else
    small=$(seconds "$cmd" "$TMP/$2.pol")
    large=$(seconds "$cmd" "$TMP/$3.pol")
  fi
  ratio=$(awk -v s="$small" -v l="$large" 'BEGIN { if (s < 0.001) s = 0.001; printf "%.1f", l / s }')
  printf '%-10s %-26s %10s %10s %8s\n' "pol $cmd" "$2 → $3" "$small" "$large" "$ratio"
}

printf '%-10s %-26s %10s %10s %8s\n' command file small_s large_s ratio
for cmd in test check; do
  row "$cmd" tests_2k tests_20k
  row "$cmd" inputs_10k inputs_100k
done
row diff lets_5k lets_50k
row diff inputs_10k inputs_100k
