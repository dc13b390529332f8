# The prelude of every test script (sourced, never run):
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"     # (../lib.sh from a subfolder)
#   pol_test_args 2 2 "POL_BINARY SOURCE_DIR" "$@"     # argument count, else usage and exit 2
#   pol_test_paths "$1" "$2"                           # POL and SRC as absolute paths
#   pol_test_tmp golden                                # TMP, removed when the script ends
#   ... checks that call pass, or fail NAME [DETAIL...] ...
#   pol_test_summary                                   # "N passed, M failed"; the exit status
#
# Every script that sources it runs in the C.UTF-8 locale, so that sort, grep and sed treat
# the Chinese text in policies and outputs alike on every machine.
export LC_ALL=C.UTF-8
# Messages in the default language (English for the C locale): a POL_LANG of the caller does not leak in.
unset POL_LANG LC_MESSAGES LANG

passed=0
failed=0

# pol_test_args MIN MAX USAGE ARGS...: between MIN and MAX arguments, else the usage line and
# exit 2.
pol_test_args() {
  local min=$1 max=$2 usage=$3
  shift 3
  if [ $# -lt "$min" ] || [ $# -gt "$max" ]; then
    echo "usage: $0 $usage" >&2
    exit 2
  fi
}

# pol_test_paths POL_BINARY SOURCE_DIR: sets POL and SRC, both absolute, so that a script may
# change directory; exit 2 when the binary is not executable or the folder does not exist.
pol_test_paths() {
  if [ ! -x "$1" ] || [ -d "$1" ]; then
    echo "$0: $1 is not an executable pol binary (build it first)" >&2
    exit 2
  fi
  if [ ! -d "$2" ]; then
    echo "$0: $2 is not the source folder" >&2
    exit 2
  fi
  POL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  SRC=$(cd "$2" && pwd)
}

# pol_test_tmp NAME: sets TMP to a new folder, removed when the script exits.
pol_test_tmp() {
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/pol_$1.XXXXXX") || exit 2
  trap 'rm -rf "$TMP"' EXIT
}

pass() {
  passed=$((passed + 1))
}

# report_failure NAME [DETAIL...]: counts a failure and prints it, each detail on its own
# indented line. fail is this; a script with its own notion of failure (known open bugs in
# tests/hardening/run.sh) redefines fail and ends in report_failure.
report_failure() {
  echo "FAIL $1"
  shift
  local line
  for line in "$@"; do echo "     $line"; done
  failed=$((failed + 1))
}

fail() { report_failure "$@"; }

# pol_test_summary [MORE]: prints "N passed, M failed" (then MORE, e.g. ", 2 known open bugs")
# and returns 0 only when nothing failed; the last command of a script.
pol_test_summary() {
  echo "$passed passed, $failed failed${1:-}"
  [ "$failed" -eq 0 ]
}

# memory_limit_kb KB: KB for a peak-memory check, or several times more for a pol built with
# AddressSanitizer (its shadow memory and the quarantine of freed blocks add their own).
memory_limit_kb() {
  if grep -qa __asan_init "$POL"; then echo $(($1 * 4)); else echo "$1"; fi
}

# shipped_policies: every rule file under policies/, one absolute path a line, in a fixed order.
shipped_policies() {
  find "$SRC/policies" -name '*.pol' | LC_ALL=C sort
}

# expect NAME CMD...: runs CMD; a pass when it succeeds, else the failure NAME.
expect() {
  local name=$1
  shift
  if "$@"; then pass; else fail "$name"; fi
}

# limit SECONDS: a run's time limit, the seconds it is given in a Release build times
# POL_TEST_SLOWDOWN (set by tests/CMakeLists.txt in a sanitizer build, whose runs take several
# times longer). A limit tells a hang from a run; how fast a run is, bench/ measures.
limit() {
  echo $(($1 * ${POL_TEST_SLOWDOWN:-1}))
}

# wait_until SECONDS CMD...: runs CMD every 50 ms until it succeeds (status 0) or the limit of
# SECONDS (limit, above) has passed (status 1): for a test to wait for what another process does
# rather than sleep a fixed time.
wait_until() {
  local tries=$(($(limit "$1") * 20))
  shift
  until "$@"; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || return 1
    sleep 0.05
  done
}

# check NAME WANT_RC TEXT CMD...: pol with the arguments CMD (standard input empty) exits
# WANT_RC within its time limit (20 s in a Release build) and its standard error contains TEXT
# (empty: anything); its standard output is left in $TMP/out, its standard error in $TMP/err.
check() {
  local name=$1 want=$2 text=$3 rc
  shift 3
  timeout "$(limit 20)" "$POL" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name" "exit $rc, expected $want$([ "$rc" -ge 124 ] && echo ' (a crash, a signal or a hang)')" "$(head -c 300 "$TMP/err")"
  elif [ -n "$text" ] && ! grep -qF -- "$text" "$TMP/err"; then
    fail "$name" "standard error does not say: $text" "$(head -c 300 "$TMP/err")"
  else
    pass
  fi
}

# fatal NAME [DETAIL...]: a failure after which nothing more can be checked: the summary, exit 1.
fatal() {
  report_failure "$@"
  pol_test_summary
  exit 1
}
