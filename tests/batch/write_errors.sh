#!/usr/bin/env bash
# pol batch when its output cannot be written: a pipe closed by the reader (| head -1), a full
# disk (--out /dev/full, and standard output redirected to /dev/full). Each must end with a
# message naming the destination and a non-zero exit, never a success.
#   write_errors.sh POL ROOT
set -uo pipefail
POL=$1 ROOT=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/pol-write.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
POLICY="$ROOT/policies/jilin_2025.pol"
awk -v n=20000 -f "$ROOT/tests/batch/gen_cases.awk" >"$T/cases.jsonl"

for jobs in 1 2; do
  # A closed pipe: far more output than a pipe holds, and a reader that stops after one line.
  "$POL" batch "$POLICY" "$T/cases.jsonl" --at 2025-08-01 --jobs $jobs 2>"$T/err.txt" | head -1 >"$T/head.txt"
  rc=${PIPESTATUS[0]}
  [ "$rc" -ne 0 ] || fail "--jobs $jobs | head -1: exit 0"
  grep -q 'cannot write output to standard output: Broken pipe' "$T/err.txt" || fail "--jobs $jobs | head -1: message '$(cat "$T/err.txt")'"
  grep -q '^{"line":1,"id":"c1","outputs":' "$T/head.txt" || fail "--jobs $jobs | head -1: first line '$(cut -c1-80 "$T/head.txt")'"

  # A full disk, as --out.
  "$POL" batch "$POLICY" "$T/cases.jsonl" --at 2025-08-01 --jobs $jobs --out /dev/full 2>"$T/err.txt"
  rc=$?
  [ "$rc" -ne 0 ] || fail "--jobs $jobs --out /dev/full: exit 0"
  grep -q "cannot write output to '/dev/full': No space left on device" "$T/err.txt" || fail "--out /dev/full: message '$(cat "$T/err.txt")'"
  if grep -q 'cases,' "$T/err.txt"; then fail "--out /dev/full: a summary was printed as if the run succeeded"; fi

  # A full disk, as standard output; with a few cases too (everything fits one write).
  for n in 20000 3; do
    head -n $n "$T/cases.jsonl" | "$POL" batch "$POLICY" - --at 2025-08-01 --jobs $jobs >/dev/full 2>"$T/err.txt"
    rc=${PIPESTATUS[1]}
    [ "$rc" -ne 0 ] || fail "--jobs $jobs, $n cases, >/dev/full: exit 0"
    grep -q 'cannot write output to standard output: No space left on device' "$T/err.txt" ||
      fail ">/dev/full: message '$(cat "$T/err.txt")'"
  done
done

# And the ordinary case still succeeds, every line written.
"$POL" batch "$POLICY" "$T/cases.jsonl" --at 2025-08-01 --out "$T/out.jsonl" 2>/dev/null || fail "plain run: exit $?"
[ "$(wc -l <"$T/out.jsonl")" -eq 20000 ] || fail "plain run: $(wc -l <"$T/out.jsonl") lines"
echo "ok: closed pipe and full disk reported with a non-zero exit"
