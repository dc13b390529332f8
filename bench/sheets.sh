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

best() {  # best of three: seconds
  local b="" t
  for _ in 1 2 3; do
    local s=$(date +%s.%N)
    "$@" 2>/dev/null
    t=$(echo "$(date +%s.%N) - $s" | bc)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" -eq 1 ]; then b=$t; fi
  done
  echo "$b"
}
csv_s=$(best "$POL" batch "$POLICY" "$TMP/cases.csv" --format csv --out "$TMP/out.csv")
xlsx_s=$(best "$POL" batch "$POLICY" "$TMP/cases.xlsx" --out "$TMP/out.xlsx")
read_s=$(best "$POL" batch "$POLICY" "$TMP/cases.xlsx" --format csv --out "$TMP/out2.csv")
printf 'cases: %d (CSV %s MB, workbook %s MB)\n' "$N" "$(du -m "$TMP/cases.csv" | cut -f1)" "$(du -m "$TMP/cases.xlsx" | cut -f1)"
printf 'CSV in, CSV out:            %.2f s\n' "$csv_s"
printf 'workbook in, CSV out:       %.2f s\n' "$read_s"
printf 'workbook in, workbook out:  %.2f s\n' "$xlsx_s"
printf 'ratio (workbook / CSV):     %.1f×\n' "$(echo "$xlsx_s / $csv_s" | bc -l)"
