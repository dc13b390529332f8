#!/usr/bin/env bash
# Measures `pol diff A B --cases FILE` over a population: seconds and peak memory (RSS) for
# 100,000 and for 1,000,000 cases. The comparison streams the cases, so memory must not grow
# with their number (it grows only with the number of distinct changes per numeric output,
# which the exact median counts; see docs/cli.md).
#
#   bench/compare.sh [BUILD_DIR] [--keep]
#
#   BUILD_DIR  the CMake build directory holding pol and pol_gen_cases (default: build)
#   --keep     keep the temporary directory with the generated cases
#
# Compares policies/jilin_2025.pol with policies/regions/changchun_2025.pol (whose rates on
# 2024 dates differ from the province's) on cases from bench/pol_gen_cases (JSON Lines), and
# also a rate proposal (employer_medical_rate 6.5%, tests/golden/diff/proposal_6_5.pol) where
# most cases change. Needs /usr/bin/time (Debian package time).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup compare.sh 16 0 "$@"

A=policies/jilin_2025.pol
echo "generating 1,000,000 cases ..."
"$GEN" 1000000 >"$TMP/1m.jsonl"
head -n 100000 "$TMP/1m.jsonl" >"$TMP/100k.jsonl"

# run LABEL B CASES: one timed pol diff; prints seconds and peak RSS.
run() {
  local label=$1 b=$2 cases=$3
  /usr/bin/time -v "$POL" diff "$A" "$b" --cases "$cases" --at 2025-08-01 --format json >"$TMP/out.json" 2>"$TMP/time.txt" || {
    echo "pol diff failed:" >&2
    cat "$TMP/time.txt" >&2
    exit 1
  }
  local secs rss changed
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$TMP/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$TMP/time.txt")
  changed=$(grep -o '"changed_cases":[0-9]*' "$TMP/out.json" | cut -d: -f2)
  printf '%-44s %9s s %9s MB peak RSS  (%s cases changed)\n' "$label" "$secs" "$rss" "$changed"
}

for b in policies/regions/changchun_2025.pol tests/golden/diff/proposal_6_5.pol; do
  run "$(basename "$b" .pol), 100,000 cases" "$b" "$TMP/100k.jsonl"
  run "$(basename "$b" .pol), 1,000,000 cases" "$b" "$TMP/1m.jsonl"
done
