#!/usr/bin/env bash
# pol batch when its output cannot be written: a pipe closed by the reader (| head -1), a full
# disk (standard output redirected to /dev/full; --out /dev/full is refused as not an ordinary
# file), standard error closed or a pipe closed under it. Each must end with a message naming
# the destination and a non-zero exit, never a success, and never an abort.
#   write_errors.sh POL_BINARY SOURCE_DIR
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
pol_test_args 2 2 "POL_BINARY SOURCE_DIR" "$@"
pol_test_paths "$1" "$2"
pol_test_tmp write
POLICY="$SRC/policies/jilin_2025.pol"
awk -v n=20000 -f "$SRC/tests/batch/gen_cases.awk" >"$TMP/cases.jsonl"

for jobs in 1 2; do
  # A closed pipe: far more output than a pipe holds, and a reader that stops after one line.
  "$POL" batch "$POLICY" "$TMP/cases.jsonl" --at 2025-08-01 --jobs $jobs 2>"$TMP/err.txt" | head -1 >"$TMP/head.txt"
  rc=${PIPESTATUS[0]}
  expect "--jobs $jobs | head -1: exit 0" [ "$rc" -ne 0 ]
  expect "--jobs $jobs | head -1: message '$(cat "$TMP/err.txt")'" grep -q 'cannot write standard output: Broken pipe' "$TMP/err.txt"
  expect "--jobs $jobs | head -1: first line '$(cut -c1-80 "$TMP/head.txt")'" grep -q '^{"line":1,"id":"c1","outputs":' "$TMP/head.txt"

  # --out naming a device: refused before anything is written.
  "$POL" batch "$POLICY" "$TMP/cases.jsonl" --at 2025-08-01 --jobs $jobs --out /dev/full 2>"$TMP/err.txt"
  rc=$?
  expect "--jobs $jobs --out /dev/full: exit $rc, not 2" [ "$rc" -eq 2 ]
  expect "--out /dev/full: message '$(cat "$TMP/err.txt")'" grep -q "cannot write '/dev/full': it is a character device, not an ordinary file" "$TMP/err.txt"
  if grep -q 'cases,' "$TMP/err.txt"; then fail "--out /dev/full: a summary was printed as if the run succeeded"; else pass; fi

  # Standard error into a pipe that closes (| head -c 10), and closed (2>&-): no abort.
  "$POL" batch "$POLICY" "$TMP/cases.jsonl" --at 2025-08-01 --jobs $jobs --out "$TMP/o.jsonl" 2>&1 | head -c 10 >/dev/null
  rc=${PIPESTATUS[0]}
  expect "--jobs $jobs 2>&1 | head -c 10: exit $rc" [ "$rc" -eq 0 ]
  expect "2>&1 | head -c 10: all lines written" [ "$(wc -l <"$TMP/o.jsonl")" -eq 20000 ]
  "$POL" batch "$POLICY" "$TMP/cases.jsonl" --at 2025-08-01 --jobs $jobs --out "$TMP/o2.jsonl" 2>&-
  rc=$?
  expect "--jobs $jobs 2>&-: exit $rc" [ "$rc" -eq 0 ]
  expect "2>&-: all lines written, nothing else" [ "$(wc -l <"$TMP/o2.jsonl")" -eq 20000 ]
  "$POL" batch "$POLICY" "$TMP/missing.jsonl" --jobs $jobs 2>&-
  rc=$?
  expect "--jobs $jobs 2>&- with an error: exit $rc, not 2" [ "$rc" -eq 2 ]

  # A full disk, as standard output; with a few cases too (everything fits one write).
  for n in 20000 3; do
    head -n $n "$TMP/cases.jsonl" | "$POL" batch "$POLICY" - --at 2025-08-01 --jobs $jobs >/dev/full 2>"$TMP/err.txt"
    rc=${PIPESTATUS[1]}
    expect "--jobs $jobs, $n cases, >/dev/full: exit 0" [ "$rc" -ne 0 ]
    expect ">/dev/full: message '$(cat "$TMP/err.txt")'" \
      grep -q 'cannot write standard output: No space left on device' "$TMP/err.txt"
  done
done

# And the ordinary case still succeeds, every line written.
"$POL" batch "$POLICY" "$TMP/cases.jsonl" --at 2025-08-01 --out "$TMP/out.jsonl" 2>/dev/null || fatal "plain run: exit $?"
expect "plain run: $(wc -l <"$TMP/out.jsonl") lines" [ "$(wc -l <"$TMP/out.jsonl")" -eq 20000 ]
pol_test_summary
