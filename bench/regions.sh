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

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=""
N=1000000
KEEP=0
for arg in "$@"; do
  case "$arg" in
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "regions.sh: unknown option $arg" >&2; exit 2 ;;
    *[!0-9]*) BUILD_DIR=$arg ;;
    *) N=$arg ;;
  esac
done
BUILD_DIR=${BUILD_DIR:-build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$PWD/$BUILD_DIR" ;; esac
cd "$ROOT"

POL="$BUILD_DIR/pol"
GEN=$(find "$BUILD_DIR" -name pol_gen_cases -type f -perm -u+x | head -1)
if [ ! -x "$POL" ] || [ -z "$GEN" ]; then
  echo "regions.sh: $BUILD_DIR must hold pol and pol_gen_cases (cmake --build $BUILD_DIR --target pol pol_gen_cases)" >&2
  exit 1
fi
if [ ! -x /usr/bin/time ]; then
  echo "regions.sh: /usr/bin/time not found (Debian package time)" >&2
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pol_regions.XXXXXX")
if [ "$KEEP" = 1 ]; then echo "keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi

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
