#!/usr/bin/env bash
# `pol batch` of one build against another pol (an earlier commit's, say), side by side in one
# run: user CPU seconds of `pol batch --jobs 1` on the same generated cases, interleaved runs,
# medians, the ratio per 100,000 cases, and a check that both wrote the same output.
#
#   bench/versus.sh OTHER_POL [BUILD_DIR] [N] [--keep]
#
#   OTHER_POL  the pol binary to compare with (built from another commit)
#   BUILD_DIR  the CMake build directory holding this pol and pol_gen_cases (default: build)
#   N          the number of cases (default 100000); 7 runs of each, interleaved
#
# POLICY (default policies/jilin_2025.pol) and AT (default 2025-08-01) may be set in the
# environment. Needs /usr/bin/time (Debian package time).
set -euo pipefail

OTHER=${1:?usage: bench/versus.sh OTHER_POL [BUILD_DIR] [N] [--keep]}
shift
case "$OTHER" in /*) ;; *) OTHER="$PWD/$OTHER" ;; esac
[ -x "$OTHER" ] || { echo "versus.sh: $OTHER is not a program" >&2; exit 2; }
N=100000
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup versus.sh 12 1 "$@"
POLICY=${POLICY:-policies/jilin_2025.pol}
AT=${AT:-2025-08-01}
RUNS=7

"$GEN" "$N" >"$TMP/cases.jsonl"

# user PROGRAM OUT: the user CPU seconds of one pol batch run.
user() {
  /usr/bin/time -f "%U" -o "$TMP/time.txt" "$1" batch "$POLICY" "$TMP/cases.jsonl" --jobs 1 --at "$AT" \
    --out "$2" 2>/dev/null
  cat "$TMP/time.txt"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

: >"$TMP/other.txt"
: >"$TMP/this.txt"
for _ in $(seq "$RUNS"); do
  user "$OTHER" "$TMP/other.jsonl" >>"$TMP/other.txt"
  user "$POL" "$TMP/this.jsonl" >>"$TMP/this.txt"
done
if ! cmp -s "$TMP/other.jsonl" "$TMP/this.jsonl"; then
  echo "versus.sh: the two programs' outputs differ ($TMP kept)" >&2
  trap - EXIT
  exit 1
fi
a=$(median <"$TMP/other.txt")
b=$(median <"$TMP/this.txt")
awk -v a="$a" -v b="$b" -v n="$N" -v p="$POLICY" -v o="$OTHER" -v t="$POL" 'BEGIN {
  printf "pol batch --jobs 1, %s, %d cases, median of 7 user CPU runs (outputs identical)\n", p, n
  printf "  %-40s %.3f s  (%.3f s per 100,000 cases)\n", o, a, a * 100000 / n
  printf "  %-40s %.3f s  (%.3f s per 100,000 cases)\n", t, b, b * 100000 / n
  if (a > 0) printf "  ratio (this / other): %.2f\n", b / a
}'
