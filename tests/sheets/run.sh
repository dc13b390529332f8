#!/usr/bin/env bash
# The files analysts have, made by other programs: a workbook written by python3-openpyxl
# (text, numbers, dates, booleans, Chinese headers, an empty row, a formula with its cached
# value) gives the same outcomes as the same cases typed as CSV; pol's results workbook, read
# back by openpyxl, holds pol's CSV output cell by cell with money and date formats, a frozen
# header and filters; GB18030 and UTF-16 CSVs made by iconv give the UTF-8 file's outcomes.
# Every bad workbook is exit 2 naming the file, the sheet and the row or cells.
#   run.sh POL_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# The messages and the workbook headings checked here are the Chinese ones.
export POL_LANG=zh
pol_test_args 2 2 "POL_BINARY SOURCE_DIR" "$@"
pol_test_paths "$1" "$2"
pol_test_tmp sheets
PY=/usr/bin/python3  # Debian's, with python3-openpyxl (scripts/deps.sh)
HERE="$SRC/tests/sheets"
POLICY="$SRC/policies/jilin_2025.pol"
OUTS=(--output eligible --output monthly_contribution --output retirement_outcome --output delivery_reimbursement)
"$PY" -c "import openpyxl" 2>/dev/null || fatal "python3-openpyxl is not installed (scripts/deps.sh)"
"$PY" "$HERE/workbooks.py" make "$TMP"

# A workbook and the same cases as CSV: the same outcomes, line by line (a line is a row).
"$POL" batch "$POLICY" "$TMP/cases.xlsx" "${OUTS[@]}" >"$TMP/x.jsonl" 2>"$TMP/x.err" || fatal "workbook: exit $?: $(cat "$TMP/x.err")"
"$POL" batch "$POLICY" "$TMP/cases.csv" "${OUTS[@]}" >"$TMP/c.jsonl" 2>/dev/null || fatal "csv: exit $?"
grep -v '"line":4,' "$TMP/c.jsonl" | grep -v '"line":5,' >"$TMP/c_cases.jsonl"   # the blank line, the bad row
grep -v '"line":5,' "$TMP/x.jsonl" >"$TMP/x_cases.jsonl"
expect "the workbook's outcomes are not the CSV's" cmp -s "$TMP/x_cases.jsonl" "$TMP/c_cases.jsonl"
expect "an empty row gave an output line" [ "$(grep -c '"line":4,' "$TMP/x.jsonl" || true)" -eq 0 ]
expect "the formula's cached value was not read" grep -q '"line":6,.*"delivery_reimbursement":123.45' "$TMP/x.jsonl"
expect "5 cases expected" [ "$(wc -l <"$TMP/x.jsonl")" -eq 5 ]
# A cell of the wrong type: the error names the sheet, the row and the column; the batch goes on.
expect "wrong cell type: no sheet, row and column" \
  grep -q '"line":5,"id":"c3","error":{"kind":"wrong_type","field":"total_years","message":"工作表 '"'"'案例'"'"' 第 5 行 E 列' "$TMP/x.jsonl"

# The results workbook, read back by openpyxl, against the CSV output of the same run.
"$POL" batch "$POLICY" "$TMP/cases.xlsx" "${OUTS[@]}" --out "$TMP/results.xlsx" 2>/dev/null || fatal "--out results.xlsx: exit $?"
"$POL" batch "$POLICY" "$TMP/cases.xlsx" "${OUTS[@]}" --format csv --out "$TMP/results.csv" 2>/dev/null
"$POL" batch "$POLICY" "$TMP/cases.xlsx" "${OUTS[@]}" --format csv --labels --out "$TMP/results_l.csv" 2>/dev/null
# The expected cells: the case's own cells (the CSV of the same cases), then the outputs as the
# CSV output has them (enum values by label), under the identifiers of the CSV output's header.
"$PY" - "$TMP" <<'EOF'
import csv, sys
d = sys.argv[1]
cases = {r[0]: r for r in csv.reader(open(d + "/cases.csv", encoding="utf-8")) if r}
ids = list(csv.reader(open(d + "/results.csv", encoding="utf-8")))[0]
out = list(csv.reader(open(d + "/results_l.csv", encoding="utf-8")))
names = ["line", "id", "worker_type", "gender", "lives_in_jilin", "total_years", "jilin_years", "delivery_cost",
         "at_retirement_age", "as_of"] + ids[2:]
rows = [names] + [[r[0], r[1]] + cases[r[1]][1:] + r[2:] for r in out[1:]]
csv.writer(open(d + "/expect.csv", "w", encoding="utf-8", newline="")).writerows(rows)
EOF
if "$PY" "$HERE/workbooks.py" results "$TMP/results.xlsx" "$TMP/expect.csv" >"$TMP/cells.txt"; then pass
else fail "results workbook cell by cell" "$(head -20 "$TMP/cells.txt")"; fi

# --sheet; a sheet that does not exist.
"$POL" batch "$POLICY" "$TMP/cases.xlsx" --sheet 第二页 --output eligible >"$TMP/s.jsonl" 2>/dev/null
expect "--sheet: the second sheet's case" grep -q '"line":2,"id":"s1","outputs":{"eligible":false}' "$TMP/s.jsonl"
set +e
"$POL" batch "$POLICY" "$TMP/cases.xlsx" --sheet 无此页 >/dev/null 2>"$TMP/e.txt"; rc=$?
set -e
expect "unknown sheet: exit 2" [ $rc -eq 2 ]
expect "unknown sheet: the sheets named" grep -q "'案例'、'第二页'" "$TMP/e.txt"

# --labels: output CSV named by labels, enum values by theirs.
"$POL" batch "$POLICY" "$TMP/cases.csv" --output retirement_outcome --format csv --labels >"$TMP/l.csv" 2>/dev/null
expect "--labels: the header is not labels" grep -q '^行号,案例编号,在职转退休结果,错误$' "$TMP/l.csv"
expect "--labels: enum values are not labels" grep -q '^2,c1,未达到法定退休年龄,$' "$TMP/l.csv"
# … and booleans as 是/否, which the case readers take back; JSON Lines keeps true/false.
"$POL" batch "$POLICY" "$TMP/cases.csv" --output eligible --format csv --labels >"$TMP/lb.csv" 2>/dev/null
expect "--labels: a CSV boolean is not 是/否" grep -qE '^2,c1,(是|否),$' "$TMP/lb.csv"
"$POL" batch "$POLICY" "$TMP/cases.csv" --output eligible --labels >"$TMP/lb.jsonl" 2>/dev/null
expect "--labels: a JSON boolean is not true/false" grep -qE '"(true|false)\}\}$|:(true|false)\}\}$' "$TMP/lb.jsonl"
# The summary on standard error, in both languages.
"$POL" batch "$POLICY" "$TMP/cases.csv" --output eligible --lang zh >/dev/null 2>"$TMP/sum_zh.txt"
expect "the Chinese summary is not Chinese" grep -qE '^pol batch：[0-9]+ 个案例，[0-9]+ 个错误' "$TMP/sum_zh.txt"
"$POL" batch "$POLICY" "$TMP/cases.csv" --output eligible --lang en >/dev/null 2>"$TMP/sum_en.txt"
expect "the English summary changed" grep -qE '^pol batch: [0-9]+ cases, [0-9]+ errors' "$TMP/sum_en.txt"

# A column that none of two files declares (the shared case reader of pol diff): in each language.
printf 'id,gendr\nx,male\n' >"$TMP/col.csv"
for l in zh en; do
  rc=0
  "$POL" diff "$SRC/policies/mohrss_2003.pol" "$POLICY" --cases "$TMP/col.csv" --lang $l >/dev/null 2>"$TMP/col_$l.txt" || rc=$?
  expect "diff, unknown column ($l): exit 2" [ $rc -eq 2 ]
done
expect "diff, unknown column (zh)" grep -q "列 'gendr'：mohrss_2003 和 jilin_2025 都没有这个名称的输入项，是否想写 'gender'？" "$TMP/col_zh.txt"
expect "diff, unknown column (en)" grep -q "column 'gendr': neither mohrss_2003 nor jilin_2025 has an input of that name; did you mean 'gender'?" "$TMP/col_en.txt"

# --help in Chinese: no description left in English (a line with letters and no Chinese).
for c in "" batch diff compare readings new serve sweep eval explain check test fmt; do
  "$POL" $c --help --lang zh >"$TMP/help.txt" 2>&1 || fatal "pol $c --help: exit $?"
  expect "pol $c --help --lang zh has English lines" bash -c "! grep -vP '[\\x{4e00}-\\x{9fff}]' '$TMP/help.txt' | grep -qP '[a-z]{3,} [a-z]{3,}|[A-Z]{3,}:'"
done

# A rule file with errors: a command that evaluates it says so once, counted as the language counts.
printf 'policy broken "有错误"\n  effective 2025-01-01\ninput y : years "年限" default 0\noutput ok : bool "足够"\n  = yy >= 2\n' >"$TMP/broken.pol"
echo "{}" >"$TMP/empty.json"
"$POL" eval "$TMP/broken.pol" "$TMP/empty.json" --lang zh >/dev/null 2>"$TMP/broken_zh.txt" || true
"$POL" eval "$TMP/broken.pol" "$TMP/empty.json" --lang en >/dev/null 2>"$TMP/broken_en.txt" || true
expect "a rule file with errors (zh)" grep -q "broken.pol 有 1 个错误；请先改正（pol check " "$TMP/broken_zh.txt"
expect "a rule file with errors (en)" grep -q "broken.pol has 1 error; fix them first (pol check " "$TMP/broken_en.txt"

# GB18030 and UTF-16 (with its BOM) made by iconv: the UTF-8 file's outcomes.
printf 'id,就业类型,性别,total_years,jilin_years\nc1,个体工商户,女,26,16\nc2,农民工,男,3,1\n' >"$TMP/u.csv"
iconv -f UTF-8 -t GB18030 "$TMP/u.csv" >"$TMP/gb.csv"
iconv -f UTF-8 -t UTF-16 "$TMP/u.csv" >"$TMP/w.csv"
expect "iconv's UTF-16 has no BOM" [ "$(head -c2 "$TMP/w.csv" | od -An -tx1 | tr -d ' ')" = fffe ]
"$POL" batch "$POLICY" "$TMP/u.csv" "${OUTS[@]}" >"$TMP/u.jsonl" 2>"$TMP/u.err"
for f in gb w; do
  "$POL" batch "$POLICY" "$TMP/$f.csv" "${OUTS[@]}" >"$TMP/$f.jsonl" 2>"$TMP/$f.err" || fatal "$f.csv: exit $?"
  expect "$f.csv: outcomes differ from UTF-8's" cmp -s "$TMP/u.jsonl" "$TMP/$f.jsonl"
  expect "$f.csv: output is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$TMP/$f.jsonl" -o /dev/null
done
expect "GB18030 detected: said once" [ "$(grep -c 'GB18030' "$TMP/gb.err")" -eq 1 ]
expect "UTF-8 and UTF-16: no note" [ "$(grep -c 'GB18030' "$TMP/u.err" "$TMP/w.err" | grep -vc ':0$')" -eq 0 ]
"$POL" batch "$POLICY" "$TMP/gb.csv" --encoding GBK "${OUTS[@]}" >"$TMP/gb2.jsonl" 2>"$TMP/gb2.err"
expect "--encoding GBK: outcomes differ" cmp -s "$TMP/u.jsonl" "$TMP/gb2.jsonl"
expect "--encoding GBK: a note" bash -c "! grep -q GB18030 '$TMP/gb2.err'"
set +e
"$POL" batch "$POLICY" "$TMP/gb.csv" --encoding UTF-8 --out "$TMP/never.jsonl" 2>"$TMP/e.txt"; rc=$?
"$POL" batch "$POLICY" "$TMP/gb.csv" --encoding klingon 2>"$TMP/e2.txt" >/dev/null; rc2=$?
set -e
expect "--encoding UTF-8 on GB18030 bytes: exit 2" [ $rc -eq 2 ]
expect "--encoding UTF-8 on GB18030 bytes: the line named" grep -q '第 1 行' "$TMP/e.txt"
expect "a failed run left an output file" [ ! -e "$TMP/never.jsonl" ]
expect "unknown encoding: exit 2" [ $rc2 -eq 2 ]
# pol diff --cases reads them too.
"$POL" diff "$POLICY" "$SRC/policies/regions/changchun_2025.pol" --cases "$TMP/gb.csv" --format json >"$TMP/d.json" 2>/dev/null
expect "diff --cases GB18030: not 2 cases" grep -q '"cases":2' "$TMP/d.json"

# Bad workbooks: exit 2, the file, the sheet and the place named; no output left behind.
bad() {  # bad FILE WHAT PATTERN
  set +e
  "$POL" batch "$POLICY" "$TMP/$1" --out "$TMP/bad_out.jsonl" >/dev/null 2>"$TMP/bad.txt"
  local rc=$?
  set -e
  expect "$2: exit $rc, expected 2" [ $rc -eq 2 ]
  expect "$2: message '$(cat "$TMP/bad.txt")' lacks '$3'" grep -q -- "$3" "$TMP/bad.txt"
  expect "$2: an output file was left" [ ! -e "$TMP/bad_out.jsonl" ]
}
bad not_zip.xlsx "not a ZIP" "not_zip.xlsx：不是 Excel 工作簿"
bad no_sheet.xlsx "a ZIP without a sheet" "no_sheet.xlsx：工作簿里没有 xl/workbook.xml"
bad merged.xlsx "a merged header" "工作表 '合并' 的表头有合并单元格 A1:B1"
bad last_row.xlsx "1,048,576 rows" "工作表 '大表' 用到了第 1048576 行"
bad past_last_row.xlsx "a row past the limit" "工作表 '大表' 第 3 行"
bad big_badref.xlsx "a cell naming another row, in a large sheet" "工作表 'cases' 第 25000 行"
bad big_crc.xlsx "a sheet whose checksum is wrong" "big_crc.xlsx：工作簿里的 xl/worksheets/sheet1.xml 已损坏"
bad big_corrupt.xlsx "a sheet whose compressed data is damaged" "big_corrupt.xlsx：工作簿里的 xl/worksheets/sheet1.xml"

# A large sheet is read in pieces on every core: the same outcomes as its CSV, also when a row
# near its end has no number and the sheet is read again by one parser.
"$POL" batch "$POLICY" "$TMP/big.csv" --output monthly_contribution >"$TMP/big_c.jsonl" 2>/dev/null || fatal "big.csv: exit $?"
for f in big big_norow; do
  "$POL" batch "$POLICY" "$TMP/$f.xlsx" --output monthly_contribution >"$TMP/$f.jsonl" 2>"$TMP/$f.err" || fatal "$f.xlsx: exit $?: $(cat "$TMP/$f.err")"
  expect "$f.xlsx: outcomes differ from the CSV's" cmp -s "$TMP/big_c.jsonl" "$TMP/$f.jsonl"
done
expect "big.xlsx: 30000 cases" [ "$(wc -l <"$TMP/big.jsonl")" -eq 30000 ]
expect "diff --out report.xlsx" bash -c "'$POL' diff '$POLICY' '$SRC/policies/mohrss_2003.pol' --cases '$TMP/cases.xlsx' --out '$TMP/report.xlsx' 2>/dev/null && '$PY' '$HERE/workbooks.py' report '$TMP/report.xlsx'"
pol_test_summary
