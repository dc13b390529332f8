#!/usr/bin/env bash
# Golden tests: runs pol on every file it finds under tests/golden/ and compares the output
# with the expected files next to them. Nothing is listed by hand.
#
#   tests/golden/run.sh POL_BINARY SOURCE_DIR
#   POL_UPDATE_GOLDEN=1 tests/golden/run.sh …   # rewrite the expected files, then review the diff
#
# parse/NAME.pol                  pol check NAME.pol (run inside parse/) -> NAME.expected (stdout,
#                                 stderr, exit code): syntax errors (E01xx) and bad bytes; a bad_
#                                 prefix must exit non-zero, any other file must exit 0
# check/NAME.pol                  the same for everything the checker finds after parsing
#                                 (declarations, overrides, types, structure, test blocks, warnings)
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
# new/NAME.args                   pol new ARGS (the whole line) -> NAME.expected (stdout, stderr,
#                                 exit code); bad_ files must exit 2. A skeleton written with
#                                 --out must pass pol check with no error, its tests pass, and
#                                 it is in pol fmt's layout
# compare/NAME.args               pol compare ARGS (the whole line) --format F for F in text,
#                                 markdown, html, json, csv -> NAME.F.expected (stdout, stderr,
#                                 exit code); bad_ files must exit 2 and have one NAME.expected
# sweep/NAME.args                 pol sweep ARGS (the whole line) --csv … --svg … --html … ->
#                                 NAME.expected (the CSV, stderr, exit code), NAME.svg.expected,
#                                 NAME.html.expected; the SVG must be well-formed XML (xmllint
#                                 --noout) and its data points must be the CSV's cells
#                                 (tests/golden/sweep_svg_check.sh); bad_ files must exit 2
#
# readings/NAME.args, doc/NAME.args
#                                 pol readings (pol doc) POLICY ARGS -> NAME.expected (stdout)
# Languages: the runs whose output is a report an analyst reads (explain, and the eval, diff and
# sweep runs that succeed) are in Chinese (POL_LANG=zh), as analysts read them. Diagnostics,
# case and batch errors (parse/, check/, batch/ and every bad_ file) are run twice: in the
# default language (English: the tests' locale is C.UTF-8) against NAME.expected, and with
# POL_LANG=zh against NAME.zh.expected, whose first line says so.
#
# One folder a stage; a folder under tests/golden/ without a runner below fails the run, so that
# no golden file is left unchecked.
#
# NAME.args: the first line is the policy path relative to SOURCE_DIR, optionally followed by
# extra arguments on the same line (split on spaces). diff/ and sweep/ .args hold the whole
# argument list after the command, paths relative to SOURCE_DIR.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
pol_test_args 2 2 "POL_BINARY SOURCE_DIR" "$@"
pol_test_paths "$1" "$2"
pol_test_tmp golden
GOLDEN="$SRC/tests/golden"
UPDATE=${POL_UPDATE_GOLDEN:-0}
# Explanations say when they were generated: a fixed time keeps them stable (2025-08-01 UTC).
export SOURCE_DATE_EPOCH=1754006400
updated=0

# show FILE...: the files' lines, indented under a failure.
show() { sed 's/^/     | /' "$@"; }

# compare NAME EXPECTED_FILE ACTUAL_FILE
compare() {
  local name=$1 expected=$2 actual=$3
  if [ "$UPDATE" = 1 ]; then
    if [ ! -f "$expected" ] || ! cmp -s "$expected" "$actual"; then
      cp "$actual" "$expected"
      echo "UPDATED $name -> ${expected#"$SRC"/}"
      updated=$((updated + 1))
    fi
    pass
    return
  fi
  if [ ! -f "$expected" ]; then
    fail "$name" "missing ${expected#"$SRC"/} (run with POL_UPDATE_GOLDEN=1 to create it); actual output:"
    show "$actual"
    return
  fi
  if cmp -s "$expected" "$actual"; then
    pass
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
    echo "\$ ${LANG_NOTE:-}pol $*"
    echo "--- stdout"
    cat "$TMP/stdout"
    echo "--- stderr"
    cat "$TMP/stderr"
    echo "--- exit code: $rc"
  } >"$out"
  return $rc
}

# expect_exit NAME RC WANT: WANT is an exit code or "nonzero"; otherwise a failure that shows
# $TMP/actual, and status 1.
expect_exit() {
  local name=$1 rc=$2 want=$3
  if [ "$want" = nonzero ]; then
    [ "$rc" -ne 0 ] && return 0
    fail "$name" "exited 0; a bad_ file must fail"
  else
    [ "$rc" -eq "$want" ] && return 0
    fail "$name" "exited $rc, expected $want$([ "$want" = 2 ] && echo ' (a bad_ file)')"
  fi
  show "$TMP/actual"
  return 1
}

# want_exit NAME SUCCESS BAD: BAD for a bad_ NAME, SUCCESS for any other.
want_exit() {
  if [[ $1 == bad_* ]]; then echo "$3"; else echo "$2"; fi
}

# golden_run NAME EXPECTED WANT DIR ARGS...: run_full ARGS in DIR, then the exit code is WANT
# (see expect_exit) and the record equals EXPECTED.
golden_run() {
  local name=$1 expected=$2 want=$3 dir=$4 rc
  shift 4
  run_full "$TMP/actual" "$dir" "$@"
  rc=$?
  expect_exit "$name" "$rc" "$want" || return 1
  compare "$name" "$expected" "$TMP/actual"
}

# golden_stdout NAME EXPECTED WANT DIR ARGS...: runs pol ARGS in DIR, which must exit 0 with an
# empty standard error; its standard output equals EXPECTED. (WANT is 0.)
golden_stdout() {
  local name=$1 expected=$2 dir=$4 rc
  shift 4
  (cd "$dir" && "$POL" "$@" >"$TMP/actual" 2>"$TMP/stderr")
  rc=$?
  if [ $rc -ne 0 ] || [ -s "$TMP/stderr" ]; then
    fail "$name" "pol $1 exited $rc; stderr:"
    show "$TMP/stderr"
    return 1
  fi
  compare "$name" "$expected" "$TMP/actual"
}

# golden_formats RUNNER KIND NAME FORMATS ARGS...: RUNNER (golden_run or golden_stdout) in
# SOURCE_DIR once a format F of FORMATS, with F in place of the word FORMAT in ARGS, against
# KIND/NAME.F.expected; each must exit 0.
golden_formats() {
  local runner=$1 kind=$2 name=$3 formats=$4 fmt a
  shift 4
  local -a args
  for fmt in $formats; do
    args=()
    for a in "$@"; do
      if [ "$a" = FORMAT ]; then args+=("$fmt"); else args+=("$a"); fi
    done
    "$runner" "$kind/$name ($fmt)" "$GOLDEN/$kind/$name.$fmt.expected" 0 "$SRC" "${args[@]}"
  done
}

# policy_args KIND NAME: sets POLICY and EXTRA (an array) from KIND/NAME.args (the policy path,
# then extra arguments); a failure, and status 1, when there is none.
policy_args() {
  local file="$GOLDEN/$1/$2.args" line
  local -a words
  if [ ! -f "$file" ]; then
    fail "$1/$2" "missing $1/$2.args (the policy path, then extra arguments)"
    return 1
  fi
  IFS= read -r line <"$file" || true
  read -r -a words <<<"$line"
  POLICY=${words[0]:-}
  EXTRA=("${words[@]:1}")
}

# line_args KIND NAME: sets LINE (the first line of KIND/NAME.args) and ARGS (its words).
line_args() {
  IFS= read -r LINE <"$GOLDEN/$1/$2.args" || true
  read -r -a ARGS <<<"$LINE"
}

# each_golden KIND SUFFIX FUNC: FUNC KIND NAME FILE for every file KIND/NAME SUFFIX, in order.
each_golden() {
  local kind=$1 suffix=$2 func=$3 f
  for f in "$GOLDEN/$kind"/*"$suffix"; do
    [ -e "$f" ] || continue
    "$func" "$kind" "$(basename "$f" "$suffix")" "$f"
  done
}

# ---------------------------------------------------------------- parse, check
# A rule file: pol check inside its folder, so that the names in the diagnostics are short.
golden_rule_file() {
  local kind=$1 name=$2
  golden_run "$kind/$name" "$GOLDEN/$kind/$name.expected" "$(want_exit "$name" 0 nonzero)" \
    "$GOLDEN/$kind" check "$name.pol"
  LANG_NOTE="POL_LANG=zh " POL_LANG=zh golden_run "$kind/$name (zh)" "$GOLDEN/$kind/$name.zh.expected" \
    "$(want_exit "$name" 0 nonzero)" "$GOLDEN/$kind" check "$name.pol"
}

# golden_twice NAME EXPECTED WANT DIR ARGS...: golden_run, then again in Chinese against
# the .zh.expected file beside EXPECTED.
golden_twice() {
  local name=$1 expected=$2
  shift 2
  golden_run "$name" "$expected" "$@"
  LANG_NOTE="POL_LANG=zh " POL_LANG=zh golden_run "$name (zh)" "${expected%.expected}.zh.expected" "$@"
}

# ---------------------------------------------------------------- explain
golden_explain() {
  local kind=$1 name=$2
  policy_args "$kind" "$name" || return
  POL_LANG=zh golden_formats golden_stdout "$kind" "$name" "text json markdown html" \
    explain "$POLICY" "tests/golden/$kind/$name.case.json" --format FORMAT ${EXTRA[@]+"${EXTRA[@]}"}
}

# ---------------------------------------------------------------- eval
golden_eval() {
  local kind=$1 name=$2
  policy_args "$kind" "$name" || return
  if [[ $name == bad_* ]]; then
    golden_twice "$kind/$name" "$GOLDEN/$kind/$name.expected" 2 "$SRC" \
      eval "$POLICY" "tests/golden/$kind/$name.case.json" --format json ${EXTRA[@]+"${EXTRA[@]}"}
    return
  fi
  POL_LANG=zh golden_formats golden_run "$kind" "$name" "json text" \
    eval "$POLICY" "tests/golden/$kind/$name.case.json" --format FORMAT ${EXTRA[@]+"${EXTRA[@]}"}
}

# ---------------------------------------------------------------- batch
golden_batch() {
  local kind=$1 name=$2 file rc lang
  file=$(basename "$3")
  policy_args "$kind" "$name" || return
  for lang in "" zh; do
    (cd "$SRC" && POL_LANG=$lang "$POL" batch "$POLICY" "tests/golden/$kind/$file" ${EXTRA[@]+"${EXTRA[@]}"} \
      >"$TMP/stdout" 2>"$TMP/stderr")
    rc=$?
    {
      echo "\$ ${lang:+POL_LANG=$lang }pol batch $POLICY tests/golden/$kind/$file ${EXTRA[*]+"${EXTRA[*]}"}"
      cat "$TMP/stdout"
      echo "--- exit code: $rc"
    } >"$TMP/actual"
    compare "$kind/$name${lang:+ ($lang)}" "$GOLDEN/$kind/$name${lang:+.$lang}.expected" "$TMP/actual"
  done
}

# ---------------------------------------------------------------- fmt
# Every shipped policy is in the canonical layout, and formatting a copy changes nothing.
fmt_shipped() {
  local f rel rc
  while IFS= read -r f; do
    rel=${f#"$SRC"/}
    (cd "$SRC" && "$POL" fmt --check "$rel" >"$TMP/stdout" 2>"$TMP/stderr")
    rc=$?
    if [ $rc -ne 0 ]; then
      fail "fmt --check $rel" "exited $rc:"
      show "$TMP/stderr"
      continue
    fi
    cp "$f" "$TMP/copy.pol"
    "$POL" fmt "$TMP/copy.pol" >/dev/null 2>&1
    if cmp -s "$f" "$TMP/copy.pol"; then
      pass
    else
      fail "fmt $rel" "formatting a file that passes --check changed it:"
      diff -u --label "$rel" --label formatted "$f" "$TMP/copy.pol" | sed 's/^/     /'
    fi
  done < <(shipped_policies)
}

# diagnostic_codes DIR FILE: the sorted error and warning codes pol check gives for DIR/FILE.
diagnostic_codes() {
  (cd "$1" && "$POL" check "$2" 2>&1 | grep -o 'error\[E[0-9]*\]\|warning\[W[0-9]*\]' | sort)
}

# A file out of the layout: --check fails and names the file; pol fmt gives the expected layout,
# and a second pol fmt (and --check) finds nothing to change.
golden_fmt() {
  local kind=$1 name=$2 dir="$GOLDEN/$1" rc
  run_full "$TMP/actual" "$dir" fmt --check "$name.pol"
  rc=$?
  if [ $rc -eq 0 ]; then
    fail "$kind/$name (--check)" "pol fmt --check accepted a file out of the canonical layout"
  else
    compare "$kind/$name (--check)" "$dir/$name.check.expected" "$TMP/actual"
  fi
  mkdir -p "$TMP/fmt"
  cp "$dir/$name.pol" "$TMP/fmt/$name.pol"
  (cd "$TMP/fmt" && "$POL" fmt "$name.pol" >"$TMP/stdout" 2>"$TMP/stderr")
  rc=$?
  if [ $rc -ne 0 ]; then
    fail "$kind/$name" "pol fmt exited $rc:"
    show "$TMP/stderr"
    return
  fi
  compare "$kind/$name (formatted)" "$dir/$name.formatted.expected" "$TMP/fmt/$name.pol"
  cp "$TMP/fmt/$name.pol" "$TMP/fmt/once.pol"
  (cd "$TMP/fmt" && "$POL" fmt --check "$name.pol" >/dev/null 2>&1)
  rc=$?
  (cd "$TMP/fmt" && "$POL" fmt "$name.pol" >/dev/null 2>&1)
  if [ $rc -eq 0 ] && cmp -s "$TMP/fmt/once.pol" "$TMP/fmt/$name.pol"; then
    pass
  else
    fail "$kind/$name (idempotent)" "formatting the formatted file changed it (--check exit $rc):"
    diff -u --label once --label twice "$TMP/fmt/once.pol" "$TMP/fmt/$name.pol" | sed 's/^/     /'
  fi
  # The formatted file still checks like the original: same diagnostics, other than positions.
  diagnostic_codes "$dir" "$name.pol" >"$TMP/codes_before"
  diagnostic_codes "$TMP/fmt" "$name.pol" >"$TMP/codes_after"
  if cmp -s "$TMP/codes_before" "$TMP/codes_after"; then
    pass
  else
    fail "$kind/$name (meaning)" "pol check gives other diagnostics after formatting:"
    diff -u --label before --label after "$TMP/codes_before" "$TMP/codes_after" | sed 's/^/     /'
  fi
}

# ---------------------------------------------------------------- diff
# golden_command KIND NAME COMMAND FORMATS: pol COMMAND with NAME.args, once a format of FORMATS
# (NAME.F.expected, exit 0); a bad_ NAME must exit 2 and has one NAME.expected.
golden_command() {
  local kind=$1 name=$2 command=$3 formats=$4
  line_args "$kind" "$name"
  if [[ $name == bad_* ]]; then
    golden_twice "$kind/$name" "$GOLDEN/$kind/$name.expected" 2 "$SRC" "$command" "${ARGS[@]}"
    return
  fi
  POL_LANG=zh golden_formats golden_run "$kind" "$name" "$formats" "$command" "${ARGS[@]}" --format FORMAT
}

golden_diff() { golden_command "$1" "$2" diff "text json markdown html"; }

golden_new() {
  local kind=$1 name=$2 rc
  line_args "$kind" "$name"
  if [[ $name == bad_* ]]; then
    POL_LANG=zh golden_run "$kind/$name" "$GOLDEN/$kind/$name.expected" 2 "$SRC" new "${ARGS[@]}"
    return
  fi
  POL_LANG=zh golden_run "$kind/$name" "$GOLDEN/$kind/$name.expected" 0 "$SRC" new "${ARGS[@]}" || return
  # The same skeleton written to a file elsewhere: its extends line finds the base from there,
  # it checks without errors, its tests (filled in from the base) pass, and it is in pol fmt's
  # layout.
  rm -f "$TMP/new_skeleton.pol"
  (cd "$SRC" && "$POL" new "${ARGS[@]}" --out "$TMP/new_skeleton.pol" >/dev/null 2>&1 &&
    "$POL" check "$TMP/new_skeleton.pol" >"$TMP/actual" 2>&1 && "$POL" test "$TMP/new_skeleton.pol" >>"$TMP/actual" 2>&1 &&
    "$POL" fmt --check "$TMP/new_skeleton.pol" >>"$TMP/actual" 2>&1)
  rc=$?
  if [ $rc -eq 0 ]; then pass; else fail "$kind/$name (written, checked, tested)" "exit $rc:"; show "$TMP/actual"; fi
}

golden_compare() { golden_command "$1" "$2" compare "text markdown html json csv"; }

# Reformatting shows no difference: each shipped policy against a copy whose layout is changed
# (deeper indentation, extra blank lines and comments), and against its pol fmt output.
diff_shipped() {
  local f rel copy rc
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
      pass
    else
      fail "diff reformatted $rel" "pol diff of a file and its reformatted copy must show no difference (exit $rc):"
      show "$TMP/stdout" "$TMP/stderr"
    fi
    "$POL" fmt "$copy" >/dev/null 2>&1
    (cd "$SRC" && "$POL" diff "policies/$rel" "$copy" --format json >"$TMP/stdout" 2>"$TMP/stderr")
    rc=$?
    if [ $rc -eq 0 ] && grep -q '"changes":\[\]' "$TMP/stdout"; then
      pass
    else
      fail "diff formatted $rel" "pol diff of a file and its pol fmt output must show no difference (exit $rc):"
      show "$TMP/stdout" "$TMP/stderr"
    fi
  done < <(shipped_policies)
}

# ---------------------------------------------------------------- sweep
golden_sweep() {
  if [[ $2 == bad_* ]]; then
    sweep_in "" "$@"
    sweep_in zh "$@"
  else
    sweep_in zh "$@"
  fi
}

# sweep_in LANG KIND NAME: one sweep in LANG; a bad_ file in Chinese is compared with NAME.zh.expected.
sweep_in() {
  local lang=$1 kind=$2 name=$3 rc note="" expected="$GOLDEN/$2/$3.expected"
  [[ $name == bad_* && -n $lang ]] && note="POL_LANG=$lang " && expected="$GOLDEN/$kind/$name.$lang.expected"
  line_args "$kind" "$name"
  rm -f "$TMP/sweep.csv" "$TMP/sweep.svg" "$TMP/sweep.html"
  (cd "$SRC" && POL_LANG=$lang "$POL" sweep "${ARGS[@]}" --csv "$TMP/sweep.csv" --svg "$TMP/sweep.svg" --html "$TMP/sweep.html" \
    >"$TMP/stdout" 2>"$TMP/stderr")
  rc=$?
  {
    echo "\$ ${note}pol sweep $LINE --csv sweep.csv --svg sweep.svg"
    echo "--- sweep.csv"
    [ -f "$TMP/sweep.csv" ] && cat "$TMP/sweep.csv"
    echo "--- stdout"
    cat "$TMP/stdout"
    echo "--- stderr"
    cat "$TMP/stderr"
    echo "--- exit code: $rc"
  } >"$TMP/actual"
  expect_exit "$kind/$name" "$rc" "$(want_exit "$name" 0 2)" || return
  compare "$kind/$name${note:+ ($lang)}" "$expected" "$TMP/actual"
  [[ $name == bad_* ]] && return
  if bash "$GOLDEN/sweep_svg_check.sh" "$TMP/sweep.svg" "$TMP/sweep.csv" >"$TMP/svgcheck" 2>&1; then
    pass
  else
    fail "$kind/$name (svg)" "the chart does not match the table:"
    show "$TMP/svgcheck"
  fi
  compare "$kind/$name (svg)" "$GOLDEN/$kind/$name.svg.expected" "$TMP/sweep.svg"
  compare "$kind/$name (html)" "$GOLDEN/$kind/$name.html.expected" "$TMP/sweep.html"
}

# ---------------------------------------------------------------- code
# The compiled code (pol debug code): NAME.args holds the policy and the options.
golden_code() {
  local kind=$1 name=$2
  line_args "$kind" "$name"
  golden_stdout "$kind/$name" "$GOLDEN/$kind/$name.expected" 0 "$SRC" debug code "${ARGS[@]}"
}

# ---------------------------------------------------------------- readings, doc
# pol readings / pol doc: NAME.args holds the policy and the options (paths relative to SOURCE_DIR).
golden_readings() {
  local kind=$1 name=$2
  line_args "$kind" "$name"
  if [[ $name == bad_* ]]; then  # exit 2, the message in both languages
    golden_twice "$kind/$name" "$GOLDEN/$kind/$name.expected" 2 "$SRC" "$kind" "${ARGS[@]}"
    return
  fi
  POL_LANG=zh golden_stdout "$kind/$name" "$GOLDEN/$kind/$name.expected" 0 "$SRC" "$kind" "${ARGS[@]}"
}

# ---------------------------------------------------------------- the stages
STAGES=(parse check explain eval batch fmt diff sweep code readings doc new compare)
for d in "$GOLDEN"/*/; do
  stage=$(basename "$d")
  [[ " ${STAGES[*]} " == *" $stage "* ]] ||
    fail "golden/$stage" "tests/golden/run.sh has no runner for this folder: its files are not checked"
done

each_golden parse .pol golden_rule_file
each_golden check .pol golden_rule_file
each_golden explain .case.json golden_explain
each_golden eval .case.json golden_eval
each_golden batch .jsonl golden_batch
each_golden batch .csv golden_batch
fmt_shipped
each_golden fmt .pol golden_fmt
each_golden diff .args golden_diff
POL_LANG=zh diff_shipped
each_golden sweep .args golden_sweep
each_golden code .args golden_code
each_golden readings .args golden_readings
each_golden doc .args golden_readings
each_golden new .args golden_new
each_golden compare .args golden_compare

if [ "$UPDATE" = 1 ]; then
  echo "$updated expected file(s) written; review them (git diff tests/golden) before committing"
fi
pol_test_summary
