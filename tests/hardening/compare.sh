#!/usr/bin/env bash
# Hardening of pol diff and pol sweep (docs/limits.md, "Comparing and sweeping"): ranges at the
# edges of the decimals, whole-number and rate axes, CSV heads, outputs that are inputs, full
# disks and closed streams, cases neither or only one file can evaluate, the scale of
# pol diff, and pol explain --why-not (bad OUTPUT, VALUE and --fix names; a search too large
# stops at its budget). Each has a defined result: never an abort, a signal or a hang (every run has a time
# limit), never a success exit after output was lost.
#
#   tests/hardening/compare.sh POL_BINARY SOURCE_DIR
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
pol_test_args 2 2 "POL_BINARY SOURCE_DIR" "$@"
pol_test_paths "$1" "$2"
pol_test_tmp compare
cd "$TMP" || exit 2

JILIN=$SRC/policies/jilin_2025.pol
cp "$SRC/examples/jilin/01_platform_rider_combined.json" "$TMP/case.json"
CASE=$TMP/case.json


sweep() { check "$1" "$2" "$3" sweep "$JILIN" --case "$CASE" "${@:4}"; }

# ---------------------------------------------------------------- sweep ranges at the edges
sweep "sweep: a step of 1e-18 (a billion billion points)" 2 "--vary 'delivery_cost=0..1:0.000000000000000001': 1000000000000000000 steps" \
  --vary delivery_cost=0..1:0.000000000000000001
sweep "sweep: a step written 1e-18" 2 "STEP '1e-18' is not a number" --vary delivery_cost=0..1:1e-18
sweep "sweep: a step below the smallest decimal" 2 "at most 18 after the point" --vary delivery_cost=0..1:0.0000000000000000001
sweep "sweep: -9.2e18..9.2e18" 2 "the range is wider than the numbers pol holds exactly" \
  --vary delivery_cost=-9200000000000000000..9200000000000000000
sweep "sweep: up to the decimal limit in one step each" 2 "9223372036854775807 steps" --vary delivery_cost=0..9223372036854775807:1
sweep "sweep: a range up to the decimal limit" 0 "" --vary delivery_cost=0..9200000000000000000:1000000000000000000
expect "sweep: the last point below the limit is swept" grep -q '^9000000000000000000,' "$TMP/out"
sweep "sweep: an empty STEP" 2 "STEP is empty" --vary delivery_cost=0..10:
sweep "sweep: a range too narrow for 50 default steps" 2 "too narrow for the default 50 steps" \
  --vary delivery_cost=0..0.00000000000000001
sweep "sweep: half days" 2 "gap_days (办理转移接续前中断缴费天数) takes whole days, and the point 0.5 is not one" --vary gap_days=0..3:0.5
sweep "sweep: whole days" 0 "" --vary gap_days=0..3:1
expect "sweep: whole days, four points" test "$(wc -l <"$TMP/out")" -eq 5
sweep "sweep: a percentage step for money" 2 "a percentage is for rates, and delivery_cost" --vary delivery_cost=0..1000:1%
sweep "sweep: a percentage range for money" 2 "is money, not a rate" --vary delivery_cost=0..10%:1%
sweep "sweep: percentages for a rate" 0 "" --vary base_ratio=60%..80%:10%

# ---------------------------------------------------------------- the CSV head (RFC 4180)
check "sweep: a case label with a comma and quotes" 0 "" sweep "$JILIN" --case "a,\"b=$CASE" --case "c=$CASE" \
  --vary delivery_cost=0..10:5 --output monthly_contribution
expect "sweep: the label quoted in the head" grep -qF '"jilin_2025@a,""b:monthly_contribution"' "$TMP/out"
# Every line has as many cells as the head, read as CSV.
cells() { python3 -c 'import csv,sys; print(sorted({len(r) for r in csv.reader(open(sys.argv[1]))}))' "$1"; }
if command -v python3 >/dev/null; then expect "sweep: one cell count on every line" test "$(cells "$TMP/out")" = "[4]"; fi

# ---------------------------------------------------------------- outputs that are inputs
cp "$CASE" "$TMP/case.before"
cp "$JILIN" "$TMP/jilin.pol"
cp -r "$SRC/policies/national" "$TMP/"  # the file jilin.pol uses
sweep "sweep: --csv naming the case file" 2 "is the input" --vary delivery_cost=0..10:5 --csv "$CASE"
expect "sweep: the case file kept" cmp -s "$CASE" "$TMP/case.before"
check "sweep: --svg naming the rule file" 2 "is the input" sweep "$TMP/jilin.pol" --case "$CASE" --vary delivery_cost=0..10:5 \
  --svg "$TMP/jilin.pol"
expect "sweep: the rule file kept" cmp -s "$TMP/jilin.pol" "$JILIN"
ln -s "$CASE" "$TMP/other_name.csv"
sweep "sweep: --csv naming the case file by another name" 2 "is the input" --vary delivery_cost=0..10:5 --csv "$TMP/other_name.csv"
sweep "sweep: --csv - is standard output" 0 "" --vary delivery_cost=0..10:5 --csv -
expect "sweep: --csv - wrote the table" test "$(wc -l <"$TMP/out")" -eq 4
sweep "sweep: --csv FILE and --svg FILE" 0 "" --vary delivery_cost=0..10:5 --csv "$TMP/t.csv" --svg "$TMP/t.svg"
if [ "$(wc -l <"$TMP/t.csv")" -eq 4 ] && grep -q '</svg>' "$TMP/t.svg" && [ -z "$(find "$TMP" -name '.t.*.pol-*')" ]; then
  pass
else
  fail "sweep: both files written whole, no temporary file left"
fi
sweep "sweep: --csv to a device" 2 "--csv: cannot write '/dev/full'" --vary delivery_cost=0..10:5 --csv /dev/full
sweep "sweep: --svg - with the table on standard output" 2 "--svg -" --vary delivery_cost=0..10:5 --svg -
sweep "sweep: a case file that is a device" 2 "'/dev/zero' is a character device" --vary delivery_cost=0..10:5 --case /dev/zero

# ---------------------------------------------------------------- full disks and closed streams
for cmd in "sweep $JILIN --case $CASE --vary delivery_cost=0..10:5" "diff $JILIN $JILIN" \
  "diff $JILIN $JILIN --find-disagreement --at 2025-08-01" "diff $JILIN $JILIN --format json"; do
  # shellcheck disable=SC2086
  timeout "$(limit 20)" "$POL" $cmd 2>"$TMP/err" >/dev/full </dev/null
  rc=$?
  if [ "$rc" -eq 2 ] && grep -qF "cannot write standard output" "$TMP/err"; then pass; else fail "pol ${cmd%% *} > /dev/full: exit $rc" "$(head -c 300 "$TMP/err")"; fi
done
# Points that cannot be evaluated are reported on standard error; closed, they are lost, nothing else.
timeout "$(limit 20)" "$POL" sweep "$JILIN" --case "$CASE" --vary total_years=0..2:1 2>&- >"$TMP/out" </dev/null
rc=$?
expect "sweep 2>&- with failing points: exit $rc" test "$rc" -eq 0
printf 'policy broken "x"\n\noutput y : money "y" = nothing\n' >"$TMP/broken.pol"
timeout "$(limit 20)" "$POL" diff "$TMP/broken.pol" "$JILIN" 2>&- >/dev/null </dev/null
rc=$?
expect "diff 2>&- of a file with errors: exit $rc" test "$rc" -eq 1

# ---------------------------------------------------------------- bad options
sweep "sweep --at ''" 2 "--at: an empty value" --vary delivery_cost=0..10:5 --at ""
check "diff --at ''" 2 "--at: an empty value" diff "$JILIN" "$JILIN" --at ""
check "diff --show -1" 2 "--show: how many changed cases to list: 0 or more, got -1" diff "$JILIN" "$JILIN" --show -1

# ---------------------------------------------------------------- cases one side or neither can evaluate
check "diff --find-disagreement --at 1900-01-01" 2 "cases tried could be evaluated under either file" \
  diff "$JILIN" "$JILIN" --find-disagreement --at 1900-01-01
cat >"$TMP/rate_a.pol" <<'POL'
policy rate_a "A"

input wage : money "工资" default 0 min 0
param rate : rate "费率"
  8% from 2020-01-01 source "a"
output fee : money "缴费" = round(wage * rate, 2)
POL
sed 's/rate_a "A"/rate_b "B"/; s/2020-01-01/2024-01-01/' "$TMP/rate_a.pol" >"$TMP/rate_b.pol"
# The reports below are read in Chinese (--lang zh), their errors too.
check "diff: a case only one file can evaluate" 0 "" diff "$TMP/rate_a.pol" "$TMP/rate_b.pol" --find-disagreement --at 2022-01-01 --lang zh
expect "diff: the one-sided case shown with its error" grep -qF "B（rate_b）无法计算：参数 'rate'" "$TMP/out"
check "diff: a case only one file can evaluate (json)" 0 "" diff "$TMP/rate_a.pol" "$TMP/rate_b.pol" --find-disagreement \
  --at 2022-01-01 --format json
expect "diff: the one-sided case in JSON" grep -qF '"failed_only_b":1' "$TMP/out"
check "diff --find-disagreement: candidates valid under neither file, counted apart" 0 "" \
  diff "$JILIN" "$SRC/policies/regions/changchun_2025.pol" --find-disagreement --at 2025-08-01 --lang zh
expect "diff: the candidates valid under neither file reported" grep -qF "个在两个文件下都不是有效案例（违反输入的上下限或约束），已跳过" "$TMP/out"

# ---------------------------------------------------------------- scale: pol diff linear in the file
# 100,000 declarations took 52 s and a 50,000-let chain 9 s before the look-ups and the
# dependency closure were made linear; now one to two seconds each in a Release build
# (bench/scale.sh measures them). The time limit tells a hang from a run.
awk 'BEGIN { print "policy decl \"d\"\n"; for (i = 0; i < 100000; i++) printf "input x%d : money \"x%d\" default 0\n", i, i
             print "output y : money \"y\" = x0 + 1" }' >"$TMP/decl.pol"
awk 'BEGIN { print "policy chain \"c\"\n\ninput x0 : money \"x0\" default 0"
             for (i = 1; i <= 50000; i++) printf "let x%d : money \"x%d\" = x%d + 1\n", i, i, i - 1
             print "output y : money \"y\" = x50000" }' >"$TMP/lets.pol"
sed 's/+ 1$/+ 2/; s/default 0/default 1/' "$TMP/lets.pol" >"$TMP/lets_b.pol"
check "diff of 100,000 declarations with itself" 0 "" diff "$TMP/decl.pol" "$TMP/decl.pol"
check "diff of a 50,000-let chain with itself" 0 "" diff "$TMP/lets.pol" "$TMP/lets.pol"
check "diff of two 50,000-let chains that differ in every let" 0 "" diff "$TMP/lets.pol" "$TMP/lets_b.pol" --lang zh
expect "diff: every let changed, each affecting y" test "$(grep -c '^    可能影响的输出：y$' "$TMP/out")" -eq 50001

# ---------------------------------------------------------------- explain --why-not: names, values, scale
RETIRE=$SRC/tests/golden/explain/retire_female_20_10.case.json
whynot() { check "$1" "$2" "$3" explain "$JILIN" "$RETIRE" --format json "${@:4}"; }
whynot "why-not: an unknown output" 2 "has no output 'retirment_outcome'; did you mean 'retirement_outcome'?" \
  --why-not retirment_outcome
whynot "why-not: a definition that is not an output" 2 "has no output 'flexible_worker'" --why-not flexible_worker
whynot "why-not: an unknown enum value" 2 "expected one of not_at_retirement_age" --why-not retirement_outcome=retired
whynot "why-not: a value by its label" 0 "" --why-not retirement_outcome=享受退休人员待遇
expect "why-not: the label names the value" grep -q '"target":"retiree_benefits"' "$TMP/out"
whynot "why-not: the value the case already has" 2 "is already 可一次性趸缴或继续缴费 for this case" \
  --why-not retirement_outcome=lump_sum_or_continue
whynot "why-not: money that is not a number" 2 "--why-not lump_sum_amount=abc: lump_sum_amount" --why-not lump_sum_amount=abc
whynot "why-not: a number" 0 "" --why-not lump_sum_amount=0
whynot "why-not: a yes/no output asked maybe" 2 "expected true or false" --why-not continuity_kept=maybe
whynot "why-not: an empty OUTPUT" 2 "--why-not" --why-not ''
whynot "why-not: an unknown --fix" 2 "has no input 'jilin_yeras'; did you mean 'jilin_years'?" \
  --why-not retirement_outcome --fix jilin_yeras
whynot "why-not: --fix without --why-not" 2 "--fix holds an input fixed for --why-not" --fix gender
whynot "why-not: --fix held" 0 "" --why-not retirement_outcome=retiree_benefits --fix jilin_years
expect "why-not: nothing found with jilin_years fixed" grep -q '"fixed":\["jilin_years"\],"tried":[0-9]*,"invalid":[0-9]*,"cut":false,"found":\[\]' "$TMP/out"
grep -v as_of "$RETIRE" >"$TMP/no_date.json"
check "why-not: an output with no value on the date" 2 \
  "--why-not retirement_outcome: $TMP/no_date.json: parameter 'required_years_female' (女性退休时应达到的累计缴费年限) has no value on 2024-01-01" \
  explain "$JILIN" "$TMP/no_date.json" --output flexible_worker --at 2024-01-01 --why-not retirement_outcome
# 20,000 yes/no inputs: the search stops at its work budget (about a second) and says so.
awk 'BEGIN { print "policy many \"m\"\n"; for (i = 0; i < 20000; i++) printf "input b%d : bool \"b%d\" default false\n", i, i
             print "output y : bool \"y\" = b19999 and b19998" }' >"$TMP/many.pol"
echo '{}' >"$TMP/empty.json"
check "why-not over 20,000 inputs" 0 "" explain "$TMP/many.pol" "$TMP/empty.json" --format json --why-not y
expect "why-not: the cut search says so" grep -q '"cut":true' "$TMP/out"

pol_test_summary
