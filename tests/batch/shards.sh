#!/usr/bin/env bash
# Splitting a case file into shards, running pol batch on each separately (in parallel) with
# --line-offset set to the number of lines before the shard, and joining the outputs in shard
# order gives byte for byte the output of one run over the whole file; for JSON Lines (with
# blank and broken lines) and for CSV (each shard repeats the header row). docs/scale.md.
#   shards.sh POL_BINARY SOURCE_DIR [N] [SHARDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
pol_test_args 2 4 "POL_BINARY SOURCE_DIR [N] [SHARDS]" "$@"
pol_test_paths "$1" "$2"
N=${3:-20000} K=${4:-4}
pol_test_tmp shards
POLICY="$SRC/policies/jilin_2025.pol"

# JSON Lines.
awk -v n="$N" -v broken=1 -f "$SRC/tests/batch/gen_cases.awk" >"$TMP/cases.jsonl"
"$POL" batch "$POLICY" "$TMP/cases.jsonl" --at 2025-08-01 --jobs 1 --out "$TMP/whole.jsonl" 2>/dev/null
lines=$(wc -l <"$TMP/cases.jsonl")
per=$(( (lines + K - 1) / K ))
split -d -a 3 -l "$per" "$TMP/cases.jsonl" "$TMP/shard."
for f in "$TMP"/shard.*; do
  i=${f##*.}
  offset=$(( 10#$i * per ))
  "$POL" batch "$POLICY" "$f" --at 2025-08-01 --jobs 1 --line-offset "$offset" --out "$f.out" 2>/dev/null &
done
wait
cat "$TMP"/shard.*.out >"$TMP/joined.jsonl"
expect "JSON Lines: shards joined differ from one run" cmp "$TMP/whole.jsonl" "$TMP/joined.jsonl"

# CSV: a header row, then cases; each shard is the header and a slice of the rows.
{
  echo "id,worker_type,gender,mode,total_years,jilin_years,gap_days"
  awk -v n="$N" 'BEGIN { split("part_time migrant_worker employee", w, " "); split("male female", g, " ");
    for (i = 1; i <= n; i++) { t = (i * 37) % 4000; j = (i * 53) % 1700; if (j > t) j = t;
      printf "c%d,%s,%s,%s,%d.%02d,%d.%02d,%d\n", i, w[i % 3 + 1], g[i % 2 + 1], (i % 2 ? "combined" : "pooling_only"),
             int(t / 100), t % 100, int(j / 100), j % 100, (i % 11 == 0 ? -1 : i % 120) } }'
} >"$TMP/cases.csv"
"$POL" batch "$POLICY" "$TMP/cases.csv" --at 2025-08-01 --jobs 2 --format csv --out "$TMP/whole.csv" 2>/dev/null
rows=$(( $(wc -l <"$TMP/cases.csv") - 1 ))
per=$(( (rows + K - 1) / K ))
tail -n +2 "$TMP/cases.csv" | split -d -a 3 -l "$per" - "$TMP/rows."
for f in "$TMP"/rows.*; do
  i=${f##*.}
  { head -1 "$TMP/cases.csv"; cat "$f"; } >"$f.csv"
  # Line numbers count the header row: a shard's first row is line 2 in the shard and line
  # 2 + (rows before it) in the whole file.
  "$POL" batch "$POLICY" "$f.csv" --at 2025-08-01 --jobs 1 --format csv --line-offset $(( 10#$i * per )) --out "$f.out" 2>/dev/null &
done
wait
{ head -1 "$TMP/whole.csv"; for f in "$TMP"/rows.*.out; do tail -n +2 "$f"; done; } >"$TMP/joined.csv"
expect "CSV: shards joined differ from one run" cmp "$TMP/whole.csv" "$TMP/joined.csv"
echo "$lines JSON lines and $rows CSV rows in $K shards each, joined byte for byte equal to one run"
pol_test_summary
