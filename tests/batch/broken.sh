#!/usr/bin/env bash
# pol batch over 20,000 cases of which 1% are broken in twelve ways (bad JSON, a value of the
# wrong type, an unknown field, negative years, a missing required input, jilin_years above
# total_years, an unknown enum value, a blank line, a line of spaces, a JSON array, a field
# given twice, a fraction of a day): exactly one output line per input line, in input order
# (a blank line gets a blank_line error), with the error kind expected for each broken line, and a summary whose counts
# by kind are those of the output. The same for --jobs 1 and --jobs 2, and for CSV output.
#   broken.sh POL_BINARY SOURCE_DIR [N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
pol_test_args 2 3 "POL_BINARY SOURCE_DIR [N]" "$@"
pol_test_paths "$1" "$2"
N=${3:-20000}
pol_test_tmp broken

awk -v n="$N" -v broken=1 -v expect_file="$TMP/expect.txt" -f "$SRC/tests/batch/gen_cases.awk" >"$TMP/cases.jsonl"
POLICY="$SRC/policies/jilin_2025.pol"

for jobs in 1 2; do
  "$POL" batch "$POLICY" "$TMP/cases.jsonl" --at 2025-08-01 --jobs $jobs --out "$TMP/out$jobs.jsonl" 2>"$TMP/err$jobs.txt" ||
    fatal "--jobs $jobs: exit $? ($(cat "$TMP/err$jobs.txt"))"
done
expect "--jobs 1 and --jobs 2 differ" cmp -s "$TMP/out1.jsonl" "$TMP/out2.jsonl"
OUT="$TMP/out1.jsonl"

# One output line per input line, with that line's number, in order.
awk '{print $1}' "$TMP/expect.txt" >"$TMP/want_lines.txt"
sed -E 's/^\{"line":([0-9]+),.*/\1/' "$OUT" >"$TMP/got_lines.txt"
expect "the output lines are not the input's lines, in order" cmp -s "$TMP/want_lines.txt" "$TMP/got_lines.txt"
expect "not one output line per input line" [ "$(wc -l <"$TMP/got_lines.txt")" -eq "$(wc -l <"$TMP/cases.jsonl")" ]

# The kind of every line: "ok" for outputs, else the error's kind.
sed -E 's/^\{"line":([0-9]+),.*"outputs":.*/\1 ok/; s/^\{"line":([0-9]+),.*"error":\{"kind":"([a-z_]+)".*/\1 \2/' "$OUT" >"$TMP/got_kinds.txt"
awk '{ if ($2 == "-") $2 = "blank_line"; print }' "$TMP/expect.txt" >"$TMP/want_kinds.txt"
if cmp -s "$TMP/want_kinds.txt" "$TMP/got_kinds.txt"; then
  pass
else
  fail "error kinds differ from the expected ones" "$(diff "$TMP/want_kinds.txt" "$TMP/got_kinds.txt" | head -5 || true)"
fi

# The summary counts the cases and the errors by kind, as the output has them.
cases=$(wc -l <"$OUT")
errors=$(grep -c '"error":' "$OUT" || true)
summary=$(tail -1 "$TMP/err1.txt")
case "$summary" in
  "pol batch: $cases cases, $errors errors ("*) pass ;;
  *) fail "summary '$summary' does not say $cases cases, $errors errors" ;;
esac
while read -r n kind; do
  case "$summary" in *"$kind: $n"*) pass ;; *) fail "summary '$summary' lacks '$kind: $n'" ;; esac
done < <(grep -o '"error":{"kind":"[a-z_]*"' "$OUT" | sed 's/.*"kind":"//; s/"$//' | sort | uniq -c | awk '{print $1, $2}')
for kind in invalid_json wrong_type unknown_field invalid_case missing_input duplicate_field blank_line; do
  case "$summary" in *"$kind: "*) pass ;; *) fail "no $kind error in '$summary'" ;; esac
done

# CSV output: a header and one row per case, the same errors in the last cell.
"$POL" batch "$POLICY" "$TMP/cases.jsonl" --at 2025-08-01 --jobs 2 --format csv --out "$TMP/out.csv" 2>/dev/null ||
  fatal "--format csv: exit $?"
expect "CSV output has $(wc -l <"$TMP/out.csv") lines, want $((cases + 1))" [ "$(wc -l <"$TMP/out.csv")" -eq $((cases + 1)) ]
expect "CSV line numbers differ" \
  [ "$(tail -n +2 "$TMP/out.csv" | cut -d, -f1 | tr '\n' ' ')" = "$(tr '\n' ' ' <"$TMP/want_lines.txt")" ]

# Standard input gives the same as the file.
"$POL" batch "$POLICY" - --at 2025-08-01 --jobs 2 <"$TMP/cases.jsonl" >"$TMP/stdin.jsonl" 2>/dev/null || fatal "stdin: exit $?"
expect "standard input and file differ" cmp -s "$OUT" "$TMP/stdin.jsonl"
echo "$cases lines, $errors errors, $(grep -c '"kind":"blank_line"' "$OUT") of them blank lines; $summary"
pol_test_summary
