#!/usr/bin/env bash
# pol batch over 20,000 cases of which 1% are broken in twelve ways (bad JSON, a value of the
# wrong type, an unknown field, negative years, a missing required input, jilin_years above
# total_years, an unknown enum value, a blank line, a line of spaces, a JSON array, a field
# given twice, a fraction of a day): exactly one output line per input line, in input order
# (a blank line gets a blank_line error), with the error kind expected for each broken line, and a summary whose counts
# by kind are those of the output. The same for --jobs 1 and --jobs 2, and for CSV output.
#   broken.sh POL ROOT [N]
set -euo pipefail
POL=$1 ROOT=$2 N=${3:-20000}
T=$(mktemp -d "${TMPDIR:-/tmp}/pol-broken.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

awk -v n="$N" -v broken=1 -v expect_file="$T/expect.txt" -f "$ROOT/tests/batch/gen_cases.awk" >"$T/cases.jsonl"
POLICY="$ROOT/policies/jilin_2025.pol"

for jobs in 1 2; do
  "$POL" batch "$POLICY" "$T/cases.jsonl" --at 2025-08-01 --jobs $jobs --out "$T/out$jobs.jsonl" 2>"$T/err$jobs.txt" ||
    fail "--jobs $jobs: exit $? ($(cat "$T/err$jobs.txt"))"
done
cmp -s "$T/out1.jsonl" "$T/out2.jsonl" || fail "--jobs 1 and --jobs 2 differ"
OUT="$T/out1.jsonl"

# One output line per input line, with that line's number, in order.
awk '{print $1}' "$T/expect.txt" >"$T/want_lines.txt"
sed -E 's/^\{"line":([0-9]+),.*/\1/' "$OUT" >"$T/got_lines.txt"
cmp -s "$T/want_lines.txt" "$T/got_lines.txt" || fail "the output lines are not the input's lines, in order"
[ "$(wc -l <"$T/got_lines.txt")" -eq "$(wc -l <"$T/cases.jsonl")" ] || fail "not one output line per input line"

# The kind of every line: "ok" for outputs, else the error's kind.
sed -E 's/^\{"line":([0-9]+),.*"outputs":.*/\1 ok/; s/^\{"line":([0-9]+),.*"error":\{"kind":"([a-z_]+)".*/\1 \2/' "$OUT" >"$T/got_kinds.txt"
awk '{ if ($2 == "-") $2 = "blank_line"; print }' "$T/expect.txt" >"$T/want_kinds.txt"
if ! cmp -s "$T/want_kinds.txt" "$T/got_kinds.txt"; then
  diff "$T/want_kinds.txt" "$T/got_kinds.txt" | head -5 >&2
  fail "error kinds differ from the expected ones"
fi

# The summary counts the cases and the errors by kind, as the output has them.
cases=$(wc -l <"$OUT")
errors=$(grep -c '"error":' "$OUT" || true)
summary=$(tail -1 "$T/err1.txt")
case "$summary" in
  "pol batch: $cases cases, $errors errors ("*) ;;
  *) fail "summary '$summary' does not say $cases cases, $errors errors" ;;
esac
while read -r n kind; do
  case "$summary" in *"$kind: $n"*) ;; *) fail "summary '$summary' lacks '$kind: $n'" ;; esac
done < <(grep -o '"error":{"kind":"[a-z_]*"' "$OUT" | sed 's/.*"kind":"//; s/"$//' | sort | uniq -c | awk '{print $1, $2}')
for kind in invalid_json wrong_type unknown_field invalid_case missing_input duplicate_field blank_line; do
  case "$summary" in *"$kind: "*) ;; *) fail "no $kind error in '$summary'" ;; esac
done

# CSV output: a header and one row per case, the same errors in the last cell.
"$POL" batch "$POLICY" "$T/cases.jsonl" --at 2025-08-01 --jobs 2 --format csv --out "$T/out.csv" 2>/dev/null ||
  fail "--format csv: exit $?"
[ "$(wc -l <"$T/out.csv")" -eq $((cases + 1)) ] || fail "CSV output has $(wc -l <"$T/out.csv") lines, want $((cases + 1))"
[ "$(tail -n +2 "$T/out.csv" | cut -d, -f1 | tr '\n' ' ')" = "$(tr '\n' ' ' <"$T/want_lines.txt")" ] ||
  fail "CSV line numbers differ"

# Standard input gives the same as the file.
"$POL" batch "$POLICY" - --at 2025-08-01 --jobs 2 <"$T/cases.jsonl" >"$T/stdin.jsonl" 2>/dev/null || fail "stdin: exit $?"
cmp -s "$OUT" "$T/stdin.jsonl" || fail "standard input and file differ"
echo "ok: $cases lines, $errors errors, $(grep -c '"kind":"blank_line"' "$OUT") of them blank lines; $summary"
