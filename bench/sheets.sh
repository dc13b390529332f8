#!/usr/bin/env bash
# Workbooks against CSV: `pol batch` over 100,000 cases read from an .xlsx workbook and written
# as a results workbook, against the same cases read from CSV and written as CSV. Prints the
# seconds of each (best of three) and their ratio (the target: at most 5).
#
#   bench/sheets.sh [BUILD_DIR] [N]
#
# The cases come from bench/pol_gen_cases (CSV); the workbook holding them is written by
# Debian's python3-openpyxl (write-only mode), so the reader is measured on another program's file.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${1:-build}
N=${2:-100000}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$PWD/$BUILD_DIR" ;; esac
POL="$BUILD_DIR/pol"
GEN="$BUILD_DIR/bench/pol_gen_cases"
POLICY="$ROOT/policies/jilin_2025.pol"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pol_bench_sheets.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

"$GEN" "$N" --format csv >"$TMP/cases.csv"
/usr/bin/python3 - "$TMP/cases.csv" "$TMP/cases.xlsx" <<'PY'
import csv, sys
import openpyxl
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("cases")
def cell(v):
    try:
        return int(v)
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return {"true": True, "false": False}.get(v, v if v != "" else None)
for i, row in enumerate(csv.reader(open(sys.argv[1], encoding="utf-8"))):
    ws.append(row if i == 0 else [cell(v) for v in row])
wb.save(sys.argv[2])
PY

best() {  # best of three: "WALL CPU" seconds
  local bw="" bc="" t
  for _ in 1 2 3; do
    t=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1; } 2>&1 )
    read -r w u s <<<"$t"
    local c=$(echo "$u + $s" | bc)
    if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc)" -eq 1 ]; then bw=$w; fi
    if [ -z "$bc" ] || [ "$(echo "$c < $bc" | bc)" -eq 1 ]; then bc=$c; fi
  done
  echo "$bw $bc"
}
runs() {  # the three runs of one pol: prints "CSV_WALL CSV_CPU READ_WALL READ_CPU XLSX_WALL XLSX_CPU"
  local pol=$1
  echo "$(best "$pol" batch "$POLICY" "$TMP/cases.csv" --format csv --out "$TMP/out.csv") \
$(best "$pol" batch "$POLICY" "$TMP/cases.xlsx" --format csv --out "$TMP/out2.csv") \
$(best "$pol" batch "$POLICY" "$TMP/cases.xlsx" --out "$TMP/out.xlsx")"
}
report() {  # NAME CSV_WALL CSV_CPU READ_WALL READ_CPU XLSX_WALL XLSX_CPU
  printf '%s\n' "$1"
  printf '  CSV in, CSV out:            %6.2f s wall  %6.2f s CPU\n' "$2" "$3"
  printf '  workbook in, CSV out:       %6.2f s wall  %6.2f s CPU\n' "$4" "$5"
  printf '  workbook in, workbook out:  %6.2f s wall  %6.2f s CPU  (%s MB)\n' "$6" "$7" "$8"
  printf '  ratio (workbook / CSV):     %6.1f× wall   %6.1f× CPU\n' "$(echo "$6 / $2" | bc -l)" "$(echo "$7 / $3" | bc -l)"
}
printf 'cases: %d (CSV %s MB, workbook %s MB)\n' "$N" "$(du -m "$TMP/cases.csv" | cut -f1)" "$(du -m "$TMP/cases.xlsx" | cut -f1)"
if [ -n "${POL_BEFORE:-}" ]; then
  read -r -a b <<<"$(runs "$POL_BEFORE")"
  report "$POL_BEFORE" "${b[@]}" "$(du -m "$TMP/out.xlsx" | cut -f1)"
fi
read -r -a a <<<"$(runs "$POL")"
report "$POL" "${a[@]}" "$(du -m "$TMP/out.xlsx" | cut -f1)"
