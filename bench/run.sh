#!/usr/bin/env bash
# The jilin_2025 benchmark: `pol` against a hand-written C++ baseline (bench/baseline.cpp).
#
#   bench/run.sh [BUILD_DIR] [N] [--runs K] [--memory] [--keep]
#
#   BUILD_DIR  the CMake build directory (default: build); it must hold pol_gen_cases and
#              pol_baseline (built with the project) and, for the pol figures, pol and
#              pol_bench_eval. Missing pol programs are skipped with a message.
#   N          the number of cases (default 1000000)
#   --runs K   timed runs of each program (default 5), interleaved, medians reported
#   --memory   also measure peak memory for 10,000,000 cases (slow: ~5 GB of input)
#   --keep     keep the temporary directory with the cases and outputs
#
# What it does, all in one run so the figures are side by side:
#   1. generates N deterministic cases (pol_gen_cases);
#   2. times, K times each and interleaved: pol_baseline, `pol batch --jobs 1`,
#      `pol batch --jobs 2`; prints the median cases/s of each and the ratios to the baseline;
#   3. checks that pol's output is byte-identical to the baseline's (and, on 100k cases with 5%
#      broken ones, that the same lines are errors, outputs and ids being identical; and that
#      pol reading the same cases as CSV gives the same output);
#   4. times the evaluator alone: pol_bench_eval and `pol_baseline --eval-only`;
#   5. peak RSS (/usr/bin/time -v) of pol batch for 100k cases (and 10M with --memory), and
#      the ratio, which should be within 10%;
#   6. wall time of `pol eval` on one case and of `pol check` on all shipped policies
#      (hyperfine when installed, else a timed loop), next to /bin/true and `pol --version`.
# Exit status: 0, or 1 when pol and the baseline disagree (or a program fails).
set -euo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=""
N=""
RUNS=5
MEMORY=0
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
    --memory) MEMORY=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage ;;
    -*) echo "run.sh: unknown option $1" >&2; usage ;;
    *)
      if [ -z "$BUILD_DIR" ]; then BUILD_DIR=$1
      elif [ -z "$N" ]; then N=$1
      else echo "run.sh: too many arguments" >&2; usage; fi
      shift ;;
  esac
done
BUILD_DIR=${BUILD_DIR:-build}
N=${N:-1000000}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$PWD/$BUILD_DIR" ;; esac
case "$N" in ''|*[!0-9]*) echo "run.sh: N must be a whole number" >&2; exit 2 ;; esac
cd "$ROOT"

POLICY=policies/jilin_2025.pol
AT=2025-08-01

# ---------------------------------------------------------------------------------------
# Programs.
find_bin() {  # name -> path, or empty
  local d
  for d in "$BUILD_DIR" "$BUILD_DIR/bench" "$BUILD_DIR/bin"; do
    if [ -x "$d/$1" ] && [ -f "$d/$1" ]; then echo "$d/$1"; return; fi
  done
}
GEN=$(find_bin pol_gen_cases)
BASE=$(find_bin pol_baseline)
if [ -z "$GEN" ] || [ -z "$BASE" ]; then
  echo "building pol_gen_cases and pol_baseline in $BUILD_DIR ..."
  cmake --build "$BUILD_DIR" --target pol_gen_cases pol_baseline -j2 >/dev/null
  GEN=$(find_bin pol_gen_cases)
  BASE=$(find_bin pol_baseline)
fi
if [ -z "$GEN" ] || [ -z "$BASE" ]; then
  echo "run.sh: pol_gen_cases/pol_baseline not found in $BUILD_DIR" >&2; exit 1
fi
POL=$(find_bin pol)
EVAL=$(find_bin pol_bench_eval)
if [ -z "$POL" ]; then echo "note: $BUILD_DIR/pol not found: the pol figures are skipped"; fi
if [ -n "$POL" ] && [ ! -f "$POLICY" ]; then echo "note: $POLICY not found: the pol figures are skipped"; POL=""; fi

EXIT=0  # 1 when pol and the baseline disagree
TMP=$(mktemp -d "${TMPDIR:-/tmp}/polbench.XXXXXX")
if [ "$KEEP" = 1 ]; then echo "keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi

# ---------------------------------------------------------------------------------------
# Helpers.
now_ns() { date +%s%N; }
minimum() { sort -g | head -1; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN {if (s>0) printf "%.0f", n/s; else print "nan"}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b>0) printf "%.3f", a/b; else print "nan"}'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f\n", (b-a)/1e9}'; }

# timed FILE -- CMD...: runs CMD (stdout to /dev/null, stderr kept in $TMP/last.err), appends
# the wall time in seconds to FILE; a failure stops the benchmark.
timed() {
  local file=$1; shift 2
  local t0 t1
  t0=$(now_ns)
  if ! "$@" >/dev/null 2>"$TMP/last.err"; then
    echo "run.sh: failed: $*" >&2; sed 's/^/  /' "$TMP/last.err" >&2; exit 1
  fi
  t1=$(now_ns)
  secs "$t0" "$t1" >>"$file"
}

# first_difference A B: prints where two outputs first differ, and the two lines.
first_difference() {
  local where line
  where=$(cmp "$1" "$2" 2>&1 || true)
  echo "    $where"
  line=$(echo "$where" | sed -n 's/.*line \([0-9]*\).*/\1/p')
  if [ -n "$line" ]; then
    echo "    $(basename "$1") line $line: $(sed -n "${line}{p;q}" "$1" | cut -c1-600)"
    echo "    $(basename "$2") line $line: $(sed -n "${line}{p;q}" "$2" | cut -c1-600)"
    if command -v python3 >/dev/null; then
      python3 - "$1" "$2" "$line" <<'EOF' || true
import json, sys, itertools
n = int(sys.argv[3])
a = next(itertools.islice(open(sys.argv[1], encoding='utf-8'), n - 1, None), '')
b = next(itertools.islice(open(sys.argv[2], encoding='utf-8'), n - 1, None), '')
try:
    ja, jb = json.loads(a, parse_float=str, parse_int=str), json.loads(b, parse_float=str, parse_int=str)
except Exception as e:
    print("    (not both JSON:", e, ")"); sys.exit(0)
oa, ob = ja.get('outputs', {}), jb.get('outputs', {})
for k in [] if not (oa and ob) else list(dict.fromkeys(list(oa) + list(ob))):
    if oa.get(k, '<missing>') != ob.get(k, '<missing>'):
        print(f"    output {k}: {oa.get(k, '<missing>')!r} vs {ob.get(k, '<missing>')!r}")
for k in ('line', 'id', 'error'):
    if ja.get(k) != jb.get(k):
        print(f"    {k}: {ja.get(k)!r} vs {jb.get(k)!r}")
EOF
    fi
  fi
}

# Error objects are each program's own (message, extra fields): compare everything else.
strip_messages() { sed -E 's/"error":\{("([^"\\]|\\.)*"|[^"{}])*\}/"error":{}/' "$1"; }
# Line numbers of a CSV file count the header row: compare everything else.
strip_lines() { sed -E 's/^\{"line":[0-9]+,/{/' "$1"; }

time_cmd() {  # label runs CMD...: median wall ms of a short command
  local label=$1 runs=$2; shift 2
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs "$runs" --export-json "$TMP/hf.json" "$*" >/dev/null 2>&1 || {
      echo "  $label: failed: $*"; return; }
    # Wall time, and the CPU time it used: on a loaded machine the two differ by the waiting.
    printf '  %-34s %8.2f ms (hyperfine median of %d; CPU user+system %.2f ms)\n' "$label" \
      "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"]*1000)' "$TMP/hf.json")" "$runs" \
      "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print((r["user"]+r["system"])*1000)' "$TMP/hf.json")"
  else
    : >"$TMP/t.txt"
    "$@" >/dev/null 2>&1 || { echo "  $label: failed: $*"; return; }  # warm-up
    local _
    for _ in $(seq "$runs"); do timed "$TMP/t.txt" -- "$@"; done
    printf '  %-34s %8.2f ms (median of %d)\n' "$label" \
      "$(median <"$TMP/t.txt" | awk '{print $1*1000}')" "$runs"
  fi
}

peak_rss_kb() {  # CMD... -> max RSS in KB (via /usr/bin/time -v)
  /usr/bin/time -v "$@" >/dev/null 2>"$TMP/time.err" || {
    echo "run.sh: failed: $*" >&2; tail -5 "$TMP/time.err" >&2; return 1; }
  sed -n 's/.*Maximum resident set size (kbytes): *//p' "$TMP/time.err"
}

# ---------------------------------------------------------------------------------------
echo "== pol benchmark: jilin_2025, $N cases, $RUNS runs each, $(nproc) cores"
echo "   build: $BUILD_DIR"
CASES="$TMP/cases.jsonl"
t0=$(now_ns)
"$GEN" "$N" >"$CASES"
t1=$(now_ns)
echo "   generated $(du -h "$CASES" | cut -f1) of cases in $(secs "$t0" "$t1") s"

# ---------------------------------------------------------------------------------------
echo
echo "== end to end (wall time, cases already on disk, output to a file)"
: >"$TMP/t_base"; : >"$TMP/t_pol1"; : >"$TMP/t_pol2"
for r in $(seq "$RUNS"); do
  # Rotate the order so that no program always runs first (or after the same one).
  for k in 0 1 2; do
    case $(( (r + k) % 3 )) in
      0) timed "$TMP/t_base" -- "$BASE" "$CASES" --out "$TMP/out_base.jsonl" ;;
      1) if [ -n "$POL" ]; then timed "$TMP/t_pol1" -- "$POL" batch "$POLICY" "$CASES" --at "$AT" --jobs 1 --out "$TMP/out_pol1.jsonl"; fi ;;
      2) if [ -n "$POL" ]; then timed "$TMP/t_pol2" -- "$POL" batch "$POLICY" "$CASES" --at "$AT" --jobs 2 --out "$TMP/out_pol2.jsonl"; fi ;;
    esac
  done
  printf '   run %d/%d done\r' "$r" "$RUNS"
done
echo
med_base=$(median <"$TMP/t_base")
rate_base=$(rate "$N" "$med_base")
printf '  %-26s %12s cases/s   (median %.3f s, best %.3f s; runs: %s)\n' "baseline (C++ by hand)" \
  "$rate_base" "$med_base" "$(minimum <"$TMP/t_base")" "$(tr '\n' ' ' <"$TMP/t_base")"
if [ -n "$POL" ]; then
  for j in 1 2; do
    med=$(median <"$TMP/t_pol$j")
    r=$(rate "$N" "$med")
    printf '  %-26s %12s cases/s   (median %.3f s, best %.3f s; runs: %s)  pol/baseline = %s\n' \
      "pol batch --jobs $j" "$r" "$med" "$(minimum <"$TMP/t_pol$j")" "$(tr '\n' ' ' <"$TMP/t_pol$j")" \
      "$(ratio "$r" "$rate_base")"
  done
fi

# ---------------------------------------------------------------------------------------
if [ -n "$POL" ]; then
  echo
  echo "== agreement with the baseline"
  status=0
  for j in 1 2; do
    if cmp -s "$TMP/out_base.jsonl" "$TMP/out_pol$j.jsonl"; then
      echo "  pol batch --jobs $j: identical to the baseline on all $N cases"
    else
      echo "  pol batch --jobs $j: DIFFERS from the baseline"
      first_difference "$TMP/out_base.jsonl" "$TMP/out_pol$j.jsonl"
      status=1
    fi
  done

  M=$(( N < 100000 ? N : 100000 ))
  "$GEN" "$M" --broken 5 >"$TMP/broken.jsonl"
  "$BASE" "$TMP/broken.jsonl" --out "$TMP/broken_base.jsonl" 2>/dev/null
  if "$POL" batch "$POLICY" "$TMP/broken.jsonl" --at "$AT" --jobs 1 --out "$TMP/broken_pol.jsonl" 2>"$TMP/last.err" ||
     [ -s "$TMP/broken_pol.jsonl" ]; then
    strip_messages "$TMP/broken_base.jsonl" >"$TMP/broken_base.stripped"
    strip_messages "$TMP/broken_pol.jsonl" >"$TMP/broken_pol.stripped"
    if cmp -s "$TMP/broken_base.stripped" "$TMP/broken_pol.stripped"; then
      echo "  $M cases with 5% broken: same errors, ids and outputs ($(grep -c '"error"' "$TMP/broken_base.jsonl") errors)"
    else
      echo "  $M cases with 5% broken: DIFFERS (error messages ignored)"
      first_difference "$TMP/broken_base.stripped" "$TMP/broken_pol.stripped"
      status=1
    fi
  else
    echo "  $M cases with 5% broken: pol batch failed:"; sed 's/^/    /' "$TMP/last.err" | head -5
    status=1
  fi

  "$GEN" "$M" --format csv >"$TMP/same.csv"
  "$GEN" "$M" >"$TMP/same.jsonl"
  "$BASE" "$TMP/same.jsonl" --out "$TMP/same_base.jsonl" 2>/dev/null
  if "$POL" batch "$POLICY" "$TMP/same.csv" --at "$AT" --jobs 1 --out "$TMP/same_pol.jsonl" 2>"$TMP/last.err"; then
    strip_lines "$TMP/same_base.jsonl" >"$TMP/same_base.stripped"
    strip_lines "$TMP/same_pol.jsonl" >"$TMP/same_pol.stripped"
    if cmp -s "$TMP/same_base.stripped" "$TMP/same_pol.stripped"; then
      echo "  the same $M cases as CSV: identical output (line numbers aside)"
    else
      echo "  the same $M cases as CSV: DIFFERS"
      first_difference "$TMP/same_base.stripped" "$TMP/same_pol.stripped"
      status=1
    fi
  else
    echo "  the same $M cases as CSV: pol batch failed:"; sed 's/^/    /' "$TMP/last.err" | head -5
    status=1
  fi
  if [ "$status" != 0 ]; then echo "  => pol and the baseline DISAGREE"; EXIT=1; fi
fi

# ---------------------------------------------------------------------------------------
echo
echo "== the evaluator alone (cases already parsed)"
: >"$TMP/e_base"; : >"$TMP/e_pol"
ERUNS=$(( RUNS < 3 ? RUNS : 3 ))
# The first "R cases/s" of a program's output (pol_bench_eval: its evaluation-alone figure).
first_rate() { grep -o '[0-9.]* cases/s' | head -1 | awk '{print $1}'; }
for _ in $(seq "$ERUNS"); do
  "$BASE" "$CASES" --eval-only 2>/dev/null >"$TMP/eval_base.txt"
  grep '^eval-only' "$TMP/eval_base.txt" | first_rate >>"$TMP/e_base"
done
if [ -n "$EVAL" ] && [ -f "$POLICY" ]; then
  # pol_bench_eval takes the median of its own --runs.
  if "$EVAL" "$POLICY" "$CASES" --at "$AT" --runs "$RUNS" >"$TMP/eval_pol.txt" 2>&1; then
    first_rate <"$TMP/eval_pol.txt" >>"$TMP/e_pol"
  else
    echo "  pol_bench_eval failed:"; sed 's/^/    /' "$TMP/eval_pol.txt" | head -5; EVAL=""
  fi
fi
e_base=$(median <"$TMP/e_base")
printf '  %-26s %12.0f cases/s   (median of %d)\n' "baseline evaluate()" "$e_base" "$ERUNS"
printf '  %-26s %s\n' "" "$(grep '^eval+format' "$TMP/eval_base.txt" || true)"
if [ -n "$EVAL" ] && [ -s "$TMP/e_pol" ]; then
  e_pol=$(median <"$TMP/e_pol")
  printf '  %-26s %12.0f cases/s   (median of %d)  pol/baseline = %s\n' "pol_bench_eval" "$e_pol" "$RUNS" "$(ratio "$e_pol" "$e_base")"
  sed 's/^/    | /' "$TMP/eval_pol.txt"
else
  echo "  pol_bench_eval: not built (or failed): skipped"
fi

# ---------------------------------------------------------------------------------------
echo
echo "== peak memory (maximum resident set size)"
if [ ! -x /usr/bin/time ]; then
  echo "  /usr/bin/time not found; trying: apt-get install -y time"
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq time >/dev/null 2>&1 || true; fi
fi
if [ ! -x /usr/bin/time ]; then
  echo "  /usr/bin/time not available: skipped"
else
  if [ "$N" -ge 100000 ]; then head -n 100000 "$CASES" >"$TMP/c100k.jsonl"; else "$GEN" 100000 >"$TMP/c100k.jsonl"; fi
  kb_base=$(peak_rss_kb "$BASE" "$TMP/c100k.jsonl" --out "$TMP/mem_out.jsonl")
  printf '  %-34s %10s KB\n' "baseline, 100k cases" "$kb_base"
  if [ -n "$POL" ]; then
    declare -A KB100K=()
    for j in 1 2; do
      kb=$(peak_rss_kb "$POL" batch "$POLICY" "$TMP/c100k.jsonl" --at "$AT" --jobs $j --out "$TMP/mem_out.jsonl") || continue
      printf '  %-34s %10s KB\n' "pol batch --jobs $j, 100k cases" "$kb"
      KB100K[$j]=$kb
    done
    if [ "$MEMORY" = 1 ]; then
      need_kb=$(( 12 * 1024 * 1024 ))
      avail_kb=$(df -Pk "$TMP" | awk 'NR==2 {print $4}')
      if [ "$avail_kb" -lt "$need_kb" ]; then
        echo "  10M cases: needs ~12 GB free in $TMP, only $((avail_kb / 1024 / 1024)) GB: skipped"
      else
        rm -f "$TMP"/out_*.jsonl "$TMP"/broken* "$TMP"/same*
        echo "  generating 10,000,000 cases ..."
        "$GEN" 10000000 >"$TMP/c10m.jsonl"
        kb10_base=$(peak_rss_kb "$BASE" "$TMP/c10m.jsonl" --out "$TMP/mem_out.jsonl")
        printf '  %-34s %10s KB   (10M/100k = %s)\n' "baseline, 10M cases" "$kb10_base" "$(ratio "$kb10_base" "$kb_base")"
        for j in 1 2; do
          kb=$(peak_rss_kb "$POL" batch "$POLICY" "$TMP/c10m.jsonl" --at "$AT" --jobs $j --out "$TMP/mem_out.jsonl") || continue
          r=$(ratio "$kb" "${KB100K[$j]:-0}")
          verdict=$(awk -v r="$r" 'BEGIN {print (r <= 1.10) ? "within 10%: ok" : "MORE than 10% above 100k"}')
          printf '  %-34s %10s KB   (10M/100k = %s, %s)\n' "pol batch --jobs $j, 10M cases" "$kb" "$r" "$verdict"
        done
        rm -f "$TMP/c10m.jsonl" "$TMP/mem_out.jsonl"
      fi
    else
      echo "  (10M cases: run with --memory)"
    fi
  fi
fi

# ---------------------------------------------------------------------------------------
if [ -n "$POL" ]; then
  echo
  echo "== single commands (wall time)"
  head -n 1 "$CASES" >"$TMP/case.json"
  time_cmd "pol eval (one case)" 20 "$POL" eval "$POLICY" "$TMP/case.json" --at "$AT" --format json
  mapfile -t POLICIES < <(find policies -name '*.pol' | sort)
  time_cmd "pol check (${#POLICIES[@]} policies)" 20 "$POL" check "${POLICIES[@]}"
  # For scale: starting a process that does nothing, and pol doing nearly nothing.
  time_cmd "/bin/true (process start)" 20 /bin/true
  time_cmd "pol --version" 20 "$POL" --version
  time_cmd "pol check jilin_2025 alone" 20 "$POL" check "$POLICY"
fi
exit "$EXIT"
