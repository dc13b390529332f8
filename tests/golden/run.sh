#!/usr/bin/env bash
# Golden tests: runs pol on every file it finds under tests/golden/ and compares the output
# with the expected files next to them. Nothing is listed by hand.
#
#   tests/golden/run.sh POL_BINARY SOURCE_DIR
#   POL_UPDATE_GOLDEN=1 tests/golden/run.sh …   # rewrite the expected files, then review the diff
#
# diagnostics/NAME.pol            pol check NAME.pol (run inside diagnostics/) -> NAME.expected
#                                 (stdout, stderr, exit code); a bad_ prefix must exit non-zero,
#                                 any other file must exit 0
# explain/NAME.case.json          pol explain POLICY CASE --format F [ARGS] for F in text, json,
#   + NAME.args                   markdown, html -> NAME.F.expected (standard output; must exit 0)
# eval/NAME.case.json + NAME.args pol eval … --format json and --format text -> NAME.json.expected,
#                                 NAME.text.expected (stdout, stderr, exit code); bad_ cases must
#                                 exit 2 and have one expected file, NAME.expected
# batch/NAME.jsonl|NAME.csv       pol batch POLICY CASES [ARGS] -> NAME.expected (stdout and exit
#   + NAME.args                   code; stderr holds timings and is dropped)
# fmt/                            every shipped policy passes pol fmt --check; every fmt/NAME.pol
#                                 fails it (-> NAME.check.expected), formats to
#                                 NAME.formatted.expected, and formatting again changes nothing
# diff/NAME.args                  pol diff ARGS (the whole line) --format F for F in text, json,
#                                 markdown, html -> NAME.F.expected (stdout, stderr, exit code);
#                                 bad_ files must exit 2 and have one expected file, NAME.expected.
#                                 Also: every shipped policy against a reformatted copy of itself
#                                 (and against its pol fmt output) shows no difference
# sweep/NAME.args                 pol sweep ARGS (the whole line) --csv … --svg … -> NAME.expected
#                                 (the CSV, stderr, exit code); the SVG must be well-formed XML
#                                 (xmllint --noout) and its data points must be the CSV's cells
#                                 (tests/golden/sweep_svg_check.sh); bad_ files must exit 2
#
# NAME.args: the first line is the policy path relative to SOURCE_DIR, optionally followed by
# extra arguments on the same line (split on spaces). diff/ and sweep/ .args hold the whole
# argument list after the command, paths relative to SOURCE_DIR.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 POL_BINARY SOURCE_DIR" >&2
  exit 2
fi
if [ ! -x "$1" ]; then
  echo "$0: $1 is not an executable pol binary (build it first)" >&2
  exit 2
fi
POL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
GOLDEN="$SRC/tests/golden"
UPDATE=${POL_UPDATE_GOLDEN:-0}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pol_golden.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C.UTF-8

passed=0
failed=0
updated=0

fail() {
  echo "FAIL $1"
  shift
  for line in "$@"; do echo "     $line"; done
  failed=$((failed + 1))
}

# compare NAME EXPECTED_FILE ACTUAL_FILE
compare() {
  local name=$1 expected=$2 actual=$3
  if [ "$UPDATE" = 1 ]; then
    if [ ! -f "$expected" ] || ! cmp -s "$expected" "$actual"; then
      cp "$actual" "$expected"
      echo "UPDATED $name -> ${expected#"$SRC"/}"
      updated=$((updated + 1))
    fi
    passed=$((passed + 1))
    return
  fi
  if [ ! -f "$expected" ]; then
    fail "$name" "missing ${expected#"$SRC"/} (run with POL_UPDATE_GOLDEN=1 to create it); actual output:"
    sed 's/^/     | /' "$actual"
    return
  fi
  if cmp -s "$expected" "$actual"; then
    passed=$((passed + 1))
  else
    fail "$name" "output differs from ${expected#"$SRC"/}:"
    diff -u --label expected --label actual "$expected" "$actual" | sed 's/^/     /'
  fi
}

# run_full OUT DIR ARGS...: runs pol in DIR; OUT gets the command, stdout, stderr and exit code.
run_full() {
  local out=$1 dir=$2
  shift 2
  (cd "$dir" && "$POL" "$@" >"$TMP/stdout" 2>"$TMP/stderr")
  local rc=$?
  {
    echo "\$ pol $*"
    echo "--- stdout"
    cat "$TMP/stdout"
    echo "--- stderr"
    cat "$TMP/stderr"
    echo "--- exit code: $rc"
  } >"$out"
  return $rc
}

# read_args FILE: sets POLICY and EXTRA (an array) from an .args file.
read_args() {
  local line
  IFS= read -r line <"$1" || true
  read -r -a words <<<"$line"
  POLICY=${words[0]:-}
  EXTRA=("${words[@]:1}")
}

# ---------------------------------------------------------------- diagnostics
check_diagnostics() {
  local dir="$GOLDEN/diagnostics" f name rc
  for f in "$dir"/*.pol; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pol)
    run_full "$TMP/actual" "$dir" check "$name.pol"
    rc=$?
    if [[ $name == bad_* ]]; then
      if [ $rc -eq 0 ]; then
        fail "diagnostics/$name" "a bad_ file must make pol check exit non-zero, but it exited 0"
        continue
      fi
    elif [ $rc -ne 0 ]; then
      fail "diagnostics/$name" "pol check exited $rc; only bad_ files may fail"
      sed 's/^/     | /' "$TMP/actual"
      continue
    fi
    compare "diagnostics/$name" "$dir/$name.expected" "$TMP/actual"
  done
}

# ---------------------------------------------------------------- explain
check_explain() {
  local dir="$GOLDEN/explain" c name fmt rc
  for c in "$dir"/*.case.json; do
    [ -e "$c" ] || continue
    name=$(basename "$c" .case.json)
    if [ ! -f "$dir/$name.args" ]; then
      fail "explain/$name" "missing explain/$name.args (the policy path, then extra arguments)"
      continue
    fi
    read_args "$dir/$name.args"
    for fmt in text json markdown html; do
      (cd "$SRC" && "$POL" explain "$POLICY" "tests/golden/explain/$name.case.json" --format "$fmt" ${EXTRA[@]+"${EXTRA[@]}"} \
        >"$TMP/actual" 2>"$TMP/stderr")
      rc=$?
      if [ $rc -ne 0 ] || [ -s "$TMP/stderr" ]; then
        fail "explain/$name ($fmt)" "pol explain exited $rc; stderr:"
        sed 's/^/     | /' "$TMP/stderr"
        continue
      fi
      compare "explain/$name ($fmt)" "$dir/$name.$fmt.expected" "$TMP/actual"
    done
  done
}

# ---------------------------------------------------------------- eval
check_eval() {
  local dir="$GOLDEN/eval" c name fmt rc
  for c in "$dir"/*.case.json; do
    [ -e "$c" ] || continue
    name=$(basename "$c" .case.json)
    if [ ! -f "$dir/$name.args" ]; then
      fail "eval/$name" "missing eval/$name.args (the policy path, then extra arguments)"
      continue
    fi
    read_args "$dir/$name.args"
    if [[ $name == bad_* ]]; then
      run_full "$TMP/actual" "$SRC" eval "$POLICY" "tests/golden/eval/$name.case.json" --format json ${EXTRA[@]+"${EXTRA[@]}"}
      rc=$?
      if [ $rc -ne 2 ]; then
        fail "eval/$name" "a bad case must make pol eval exit 2, but it exited $rc"
        sed 's/^/     | /' "$TMP/actual"
        continue
      fi
      compare "eval/$name" "$dir/$name.expected" "$TMP/actual"
      continue
    fi
    for fmt in json text; do
      run_full "$TMP/actual" "$SRC" eval "$POLICY" "tests/golden/eval/$name.case.json" --format "$fmt" ${EXTRA[@]+"${EXTRA[@]}"}
      rc=$?
      if [ $rc -ne 0 ]; then
        fail "eval/$name ($fmt)" "pol eval exited $rc"
        sed 's/^/     | /' "$TMP/actual"
        continue
      fi
      compare "eval/$name ($fmt)" "$dir/$name.$fmt.expected" "$TMP/actual"
    done
  done
}

# ---------------------------------------------------------------- batch
check_batch() {
  local dir="$GOLDEN/batch" c name rc
  for c in "$dir"/*.jsonl "$dir"/*.csv; do
    [ -e "$c" ] || continue
    name=$(basename "$c")
    name=${name%.*}
    if [ ! -f "$dir/$name.args" ]; then
      fail "batch/$name" "missing batch/$name.args (the policy path, then extra arguments)"
      continue
    fi
    read_args "$dir/$name.args"
    (cd "$SRC" && "$POL" batch "$POLICY" "tests/golden/batch/$(basename "$c")" ${EXTRA[@]+"${EXTRA[@]}"} \
      >"$TMP/stdout" 2>"$TMP/stderr")
    rc=$?
    {
      echo "\$ pol batch $POLICY tests/golden/batch/$(basename "$c") ${EXTRA[*]+"${EXTRA[*]}"}"
      cat "$TMP/stdout"
      echo "--- exit code: $rc"
    } >"$TMP/actual"
    compare "batch/$name" "$dir/$name.expected" "$TMP/actual"
  done
}

# ---------------------------------------------------------------- fmt
check_fmt() {
  local dir="$GOLDEN/fmt" f rel name rc
  # Every shipped policy is in the canonical layout, and formatting a copy changes nothing.
  while IFS= read -r f; do
    rel=${f#"$SRC"/}
    (cd "$SRC" && "$POL" fmt --check "$rel" >"$TMP/stdout" 2>"$TMP/stderr")
    rc=$?
    if [ $rc -ne 0 ]; then
      fail "fmt --check $rel" "exited $rc:"
      sed 's/^/     | /' "$TMP/stderr"
      continue
    fi
    cp "$f" "$TMP/copy.pol"
    "$POL" fmt "$TMP/copy.pol" >/dev/null 2>&1
    if cmp -s "$f" "$TMP/copy.pol"; then
      passed=$((passed + 1))
    else
      fail "fmt $rel" "formatting a file that passes --check changed it:"
      diff -u --label "$rel" --label formatted "$f" "$TMP/copy.pol" | sed 's/^/     /'
    fi
  done < <(find "$SRC/policies" -name '*.pol' | LC_ALL=C sort)

  # Files out of the layout: --check fails and names the file; pol fmt gives the expected
  # layout, and a second pol fmt (and --check) finds nothing to change.
  for f in "$dir"/*.pol; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pol)
    run_full "$TMP/actual" "$dir" fmt --check "$name.pol"
    rc=$?
    if [ $rc -eq 0 ]; then
      fail "fmt/$name (--check)" "pol fmt --check accepted a file out of the canonical layout"
    else
      compare "fmt/$name (--check)" "$dir/$name.check.expected" "$TMP/actual"
    fi
    mkdir -p "$TMP/fmt"
    cp "$f" "$TMP/fmt/$name.pol"
    (cd "$TMP/fmt" && "$POL" fmt "$name.pol" >"$TMP/stdout" 2>"$TMP/stderr")
    rc=$?
    if [ $rc -ne 0 ]; then
      fail "fmt/$name" "pol fmt exited $rc:"
      sed 's/^/     | /' "$TMP/stderr"
      continue
    fi
    compare "fmt/$name (formatted)" "$dir/$name.formatted.expected" "$TMP/fmt/$name.pol"
    cp "$TMP/fmt/$name.pol" "$TMP/fmt/once.pol"
    (cd "$TMP/fmt" && "$POL" fmt --check "$name.pol" >/dev/null 2>&1)
    rc=$?
    (cd "$TMP/fmt" && "$POL" fmt "$name.pol" >/dev/null 2>&1)
    if [ $rc -eq 0 ] && cmp -s "$TMP/fmt/once.pol" "$TMP/fmt/$name.pol"; then
      passed=$((passed + 1))
    else
      fail "fmt/$name (idempotent)" "formatting the formatted file changed it (--check exit $rc):"
      diff -u --label once --label twice "$TMP/fmt/once.pol" "$TMP/fmt/$name.pol" | sed 's/^/     /'
    fi
    # The formatted file still checks like the original: same diagnostics, other than positions.
    (cd "$dir" && "$POL" check "$name.pol" 2>&1 | grep -o 'error\[E[0-9]*\]\|warning\[W[0-9]*\]' | sort >"$TMP/codes_before")
    (cd "$TMP/fmt" && "$POL" check "$name.pol" 2>&1 | grep -o 'error\[E[0-9]*\]\|warning\[W[0-9]*\]' | sort >"$TMP/codes_after")
    if cmp -s "$TMP/codes_before" "$TMP/codes_after"; then
      passed=$((passed + 1))
    else
      fail "fmt/$name (meaning)" "pol check gives other diagnostics after formatting:"
      diff -u --label before --label after "$TMP/codes_before" "$TMP/codes_after" | sed 's/^/     /'
    fi
  done
}

# ---------------------------------------------------------------- diff
check_diff() {
  local dir="$GOLDEN/diff" f name fmt rc line
  local -a args
  for f in "$dir"/*.args; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .args)
    IFS= read -r line <"$f" || true
    read -r -a args <<<"$line"
    if [[ $name == bad_* ]]; then
      run_full "$TMP/actual" "$SRC" diff "${args[@]}"
      rc=$?
      if [ $rc -ne 2 ]; then
        fail "diff/$name" "a bad_ diff must exit 2, but it exited $rc"
        sed 's/^/     | /' "$TMP/actual"
        continue
      fi
      compare "diff/$name" "$dir/$name.expected" "$TMP/actual"
      continue
    fi
    for fmt in text json markdown html; do
      run_full "$TMP/actual" "$SRC" diff "${args[@]}" --format "$fmt"
      rc=$?
      if [ $rc -ne 0 ]; then
        fail "diff/$name ($fmt)" "pol diff exited $rc"
        sed 's/^/     | /' "$TMP/actual"
        continue
      fi
      compare "diff/$name ($fmt)" "$dir/$name.$fmt.expected" "$TMP/actual"
    done
  done

  # Reformatting shows no difference: each shipped policy against a copy whose layout is
  # changed (deeper indentation, extra blank lines and comments), and against its pol fmt output.
  local rel copy
  rm -rf "$TMP/diffcopy"
  cp -r "$SRC/policies" "$TMP/diffcopy"
  while IFS= read -r f; do
    rel=${f#"$SRC"/policies/}
    copy="$TMP/diffcopy/$rel"
    sed -e 's/^  /      /' -e 's/^\(policy\|param\|input\|output\|let\|override\|enum\|test\) /\n# 重排版的副本\n\n\1 /' "$f" >"$copy"
    (cd "$SRC" && "$POL" diff "policies/$rel" "$copy" >"$TMP/stdout" 2>"$TMP/stderr")
    rc=$?
    if [ $rc -eq 0 ] && grep -q '^声明的差异（0 处）' "$TMP/stdout" && cmp -s "$f" "$copy"; then
      fail "diff reformatted $rel" "the reformatted copy is identical to the file: the test changed nothing"
    elif [ $rc -eq 0 ] && grep -q '^声明的差异（0 处）' "$TMP/stdout"; then
      passed=$((passed + 1))
    else
      fail "diff reformatted $rel" "pol diff of a file and its reformatted copy must show no difference (exit $rc):"
      sed 's/^/     | /' "$TMP/stdout" "$TMP/stderr"
    fi
    "$POL" fmt "$copy" >/dev/null 2>&1
    (cd "$SRC" && "$POL" diff "policies/$rel" "$copy" --format json >"$TMP/stdout" 2>"$TMP/stderr")
    rc=$?
    if [ $rc -eq 0 ] && grep -q '"changes":\[\]' "$TMP/stdout"; then
      passed=$((passed + 1))
    else
      fail "diff formatted $rel" "pol diff of a file and its pol fmt output must show no difference (exit $rc):"
      sed 's/^/     | /' "$TMP/stdout" "$TMP/stderr"
    fi
  done < <(find "$SRC/policies" -name '*.pol' | LC_ALL=C sort)
}

# ---------------------------------------------------------------- sweep
check_sweep() {
  local dir="$GOLDEN/sweep" f name rc line
  local -a args
  for f in "$dir"/*.args; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .args)
    IFS= read -r line <"$f" || true
    read -r -a args <<<"$line"
    rm -f "$TMP/sweep.csv" "$TMP/sweep.svg"
    (cd "$SRC" && "$POL" sweep "${args[@]}" --csv "$TMP/sweep.csv" --svg "$TMP/sweep.svg" >"$TMP/stdout" 2>"$TMP/stderr")
    rc=$?
    {
      echo "\$ pol sweep $line --csv sweep.csv --svg sweep.svg"
      echo "--- sweep.csv"
      [ -f "$TMP/sweep.csv" ] && cat "$TMP/sweep.csv"
      echo "--- stdout"
      cat "$TMP/stdout"
      echo "--- stderr"
      cat "$TMP/stderr"
      echo "--- exit code: $rc"
    } >"$TMP/actual"
    if [[ $name == bad_* ]]; then
      if [ $rc -ne 2 ]; then
        fail "sweep/$name" "a bad_ sweep must exit 2, but it exited $rc"
        sed 's/^/     | /' "$TMP/actual"
        continue
      fi
    elif [ $rc -ne 0 ]; then
      fail "sweep/$name" "pol sweep exited $rc"
      sed 's/^/     | /' "$TMP/actual"
      continue
    fi
    compare "sweep/$name" "$dir/$name.expected" "$TMP/actual"
    [[ $name == bad_* ]] && continue
    if bash "$GOLDEN/sweep_svg_check.sh" "$TMP/sweep.svg" "$TMP/sweep.csv" >"$TMP/svgcheck" 2>&1; then
      passed=$((passed + 1))
    else
      fail "sweep/$name (svg)" "the chart does not match the table:"
      sed 's/^/     | /' "$TMP/svgcheck"
    fi
  done
}

check_diagnostics
check_explain
check_eval
check_batch
check_fmt
check_diff
check_sweep

if [ "$UPDATE" = 1 ]; then
  echo "$updated expected file(s) written; review them (git diff tests/golden) before committing"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
