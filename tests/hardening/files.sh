#!/usr/bin/env bash
# Hardening: paths that are not ordinary files, outputs that would overwrite an input, full
# disks and closed streams (docs/limits.md, "Files and streams"). Each has a defined result:
# exit 2 with a message naming the file, or the output written; never an abort, a signal or a
# hang (every run has a time limit), never a success exit after output was lost.
#
#   tests/hardening/files.sh POL_BINARY SOURCE_DIR
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
pol_test_args 2 2 "POL_BINARY SOURCE_DIR" "$@"
pol_test_paths "$1" "$2"
pol_test_tmp files
cd "$TMP" || exit 2

JILIN=$SRC/policies/jilin_2025.pol
CASE=$SRC/examples/jilin/01_platform_rider_combined.json


# ---------------------------------------------------------------- rule files that are not files
mkfifo "$TMP/fifo.pol"
ln -s "$TMP/loop_b.pol" "$TMP/loop_a.pol"
ln -s "$TMP/loop_a.pol" "$TMP/loop_b.pol"
mkdir "$TMP/dir.pol"
for cmd in check test fmt; do
  check "pol $cmd /dev/zero" 2 "'/dev/zero' is a character device" "$cmd" /dev/zero
  check "pol $cmd /dev/urandom" 2 "is a character device" "$cmd" /dev/urandom
  check "pol $cmd on a FIFO nobody writes" 2 "is a FIFO" "$cmd" "$TMP/fifo.pol"
  check "pol $cmd on a directory" 2 "is a directory" "$cmd" "$TMP/dir.pol"
  check "pol $cmd on a symlink loop" 2 "symbolic link loop" "$cmd" "$TMP/loop_a.pol"
  check "pol $cmd ''" 2 "the path is empty" "$cmd" ""
done
check "pol eval with a directory as the rule file" 2 "is a directory" eval "$TMP/dir.pol" "$CASE"
check "pol diff with /dev/zero as a rule file" 2 "is a character device" diff /dev/zero "$JILIN"

# A variant that extends what is not a file: an error at its extends line, no hang.
for target in fifo.pol loop_a.pol dir.pol /dev/zero; do
  printf 'policy v "variant" extends "%s"\n' "$target" >"$TMP/variant.pol"
  check "extends $target" 1 "variant.pol:1:" check "$TMP/variant.pol"
done

# Over 4 MiB: refused while reading (the size comes from the file; memory stays far below it).
truncate -s $((256 * 1024 * 1024)) "$TMP/huge.pol"  # sparse: no disk space used
/usr/bin/time -f "%M" -o "$TMP/rss" "$POL" check "$TMP/huge.pol" >/dev/null 2>"$TMP/err"; tail -n 1 "$TMP/rss" >"$TMP/rss1"; mv "$TMP/rss1" "$TMP/rss"
if grep -qF "file is 268435456 bytes; rule files may be at most 4194304 bytes" "$TMP/err" &&
  [ "$(cat "$TMP/rss")" -lt "$(memory_limit_kb 40000)" ]; then
  pass
else
  fail "a 256 MiB rule file is refused without reading it" "peak $(cat "$TMP/rss") KB" "$(head -c 300 "$TMP/err")"
fi

# ---------------------------------------------------------------- full disks, closed streams
for args in "eval $JILIN $CASE" "explain $JILIN $CASE --format text" "explain $JILIN $CASE --format html" \
  "test $JILIN" "test $JILIN --coverage" "debug code $JILIN" "--help" "eval --help"; do
  # shellcheck disable=SC2086
  timeout "$(limit 20)" "$POL" $args >/dev/full 2>"$TMP/err"
  rc=$?
  if [ "$rc" -eq 2 ] && grep -qF "cannot write standard output" "$TMP/err"; then
    pass
  else
    fail "pol $args > /dev/full" "exit $rc, expected 2 with 'cannot write standard output'" "$(head -c 300 "$TMP/err")"
  fi
done
for args in "check $JILIN" "eval $JILIN $CASE --at 1900-01-01" "test $JILIN"; do
  for redirect in full closed; do
    # shellcheck disable=SC2086
    if [ $redirect = full ]; then timeout "$(limit 20)" "$POL" $args >/dev/null 2>/dev/full; else timeout "$(limit 20)" "$POL" $args >/dev/null 2>&-; fi
    rc=$?
    if [ "$rc" -le 2 ]; then pass; else fail "pol $args with standard error $redirect" "exit $rc (an abort or a signal)"; fi
  done
done
# A reader that goes away: an error, not a signal.
"$POL" debug code "$JILIN" 2>/dev/null | head -c 10 >/dev/null
rc=${PIPESTATUS[0]}
if [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ]; then pass; else fail "pol debug code | head -c 10" "exit $rc (a signal?)"; fi

# ---------------------------------------------------------------- options
check "pol eval --at ''" 2 "--at: an empty value" eval "$JILIN" "$CASE" --at ""
check "pol explain --at ''" 2 "--at: an empty value" explain "$JILIN" "$CASE" --at ""

# ---------------------------------------------------------------- pol fmt rewrites whole files
sed 's/^param /param  /' "$SRC/policies/mohrss_2003.pol" >"$TMP/m.pol"
chmod 600 "$TMP/m.pol"
check "pol fmt rewrites a file" 0 "" fmt "$TMP/m.pol"
if cmp -s "$TMP/m.pol" "$SRC/policies/mohrss_2003.pol" && [ "$(stat -c %a "$TMP/m.pol")" = 600 ] &&
  [ -z "$(find "$TMP" -name '.m.pol.pol-*')" ]; then
  pass
else
  fail "pol fmt: the file formatted, its permissions kept, no temporary file left"
fi

pol_test_summary
