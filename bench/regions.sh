#!/usr/bin/env bash
# Measures `pol compare` of the Jilin base against its nine prefecture-level variants over a
# population, against the separate `pol diff` runs it replaces (the base against each variant):
# seconds and peak memory, and the ratio. pol compare parses each case line once for all ten
# files that share an input list (the base and its variants), and evaluates each file once a
# case; the separate runs parse every line twice a run and evaluate the base once a run.
#
#   bench/regions.sh [BUILD_DIR] [N] [--keep]
#
#   BUILD_DIR  the CMake build directory holding pol and pol_gen_cases (default: build)
#   N          the number of cases (default 1000000)
#   --keep     keep the temporary directory with the generated cases
#
# Needs /usr/bin/time (Debian package time).
set -euo pipefail

N=1000000
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup regions.sh 14 1 "$@"

BASE=policies/jilin_2025.pol
VARIANTS=(changchun jilin_city siping liaoyuan tonghua baishan songyuan baicheng yanbian)
FILES=("$BASE")
for v in "${VARIANTS[@]}"; do FILES+=("policies/regions/${v}_2025.pol"); done

echo "generating $N cases ..."
"$GEN" "$N" >"$TMP/cases.jsonl"

# seconds and peak KB of one command, its output to a file
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >"$out"
  cat "$TMP/time"
}

echo "pol compare: the base and ${#VARIANTS[@]} variants, --cases ..."
read -r c_s c_kb < <(timed "$TMP/compare.json" "$POL" compare "${FILES[@]}" --cases "$TMP/cases.jsonl" --format json)
echo "  ${c_s} s, peak ${c_kb} KB"

d_total=0
d_peak=0
for v in "${VARIANTS[@]}"; do
  read -r s kb < <(timed "$TMP/diff_$v.txt" "$POL" diff "$BASE" "policies/regions/${v}_2025.pol" --cases "$TMP/cases.jsonl" --format json)
  echo "  pol diff base ${v}: ${s} s, peak ${kb} KB"
  d_total=$(echo "$d_total + $s" | bc -l)
  [ "$kb" -gt "$d_peak" ] && d_peak=$kb
done
echo "pol diff, ${#VARIANTS[@]} runs: ${d_total} s in all, peak ${d_peak} KB"
printf 'ratio compare / separate diffs: %.3f (%d cases)\n' "$(echo "$c_s / $d_total" | bc -l)" "$N"
