#!/usr/bin/env bash
# pol serve against pol batch, in one run so the figures are side by side (docs/performance.md).
#
#   bench/serve_bench.sh [BUILD_DIR] [N] [--seconds S] [--runs K] [--soak S] [--keep]
#
#   BUILD_DIR    the CMake build directory (default: build), with pol and bench/pol_gen_cases
#   N            cases for the batch comparison (default 1000000)
#   --seconds S  length of each wrk run (default 10)
#   --runs K     timed runs of each batch (default 3), interleaved, medians reported
#   --soak S     3. also S seconds of mixed good and bad requests (bench/serve_soak.lua), the
#                server's resident memory every tenth of the way (it should stay flat)
#   --keep       keep the temporary directory
#
# 1. POST /api/v1/policies/jilin_2025/eval of one jilin_2025 case, keep-alive, wrk -t2 -c16
#    (bench/serve_eval.lua): requests/s, p50 and p99 latency, non-200 responses; and, in the
#    same run, `pol batch` on the N cases (cases/s) for scale; then the same paced, each
#    of 20 connections' next request a millisecond after its answer (about 11,000 requests/s).
# 2. POST /api/v1/policies/jilin_2025/batch of the N cases (curl -T, streamed both ways; and
#    curl --data-binary, which reads the file whole first) against `pol batch` on the same
#    file: seconds each, the ratios, CPU seconds, and that the outputs are identical.
# The server listens on 127.0.0.1 on a free port and is stopped (SIGTERM) at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=build
N=1000000
SECONDS_RUN=10
RUNS=3
KEEP=0
SOAK=0
pos=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_RUN=${2:?--seconds needs a number}; shift 2 ;;
    --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --soak) SOAK=${2:?--soak needs a number of seconds}; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) if [ $pos = 0 ]; then BUILD_DIR=$1; else N=$1; fi; pos=$((pos + 1)); shift ;;
  esac
done
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$PWD/$BUILD_DIR ;; esac
POL=$BUILD_DIR/pol
GEN=$BUILD_DIR/bench/pol_gen_cases
for t in wrk curl; do command -v $t >/dev/null || { echo "serve_bench: $t is not installed (scripts/deps.sh)" >&2; exit 2; }; done
[ -x "$POL" ] && [ -x "$GEN" ] || { echo "serve_bench: build pol and pol_gen_cases first ($BUILD_DIR)" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pol_serve_bench.XXXXXX")
SPID=""
cleanup() {
  [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null || true
  [ $KEEP = 1 ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT
POLICY=$ROOT/policies/jilin_2025.pol

echo "generating $N cases…"
"$GEN" "$N" >"$TMP/cases.jsonl"
printf '{"case": %s}' "$(cat "$ROOT/examples/jilin/01_platform_rider_combined.json")" >"$TMP/eval.json"

"$POL" serve "$ROOT/policies" --port 0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SPID=$!
for _ in $(seq 100); do
  PORT=$(grep -o '127\.0\.0\.1:[0-9]*' "$TMP/serve.out" | head -1 | cut -d: -f2 || true)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "serve_bench: the server did not start: $(cat "$TMP/serve.err")" >&2; exit 1; }
URL=http://127.0.0.1:$PORT/api/v1/policies/jilin_2025

# The answer is pol eval's before anything is timed.
want=$("$POL" eval "$POLICY" "$ROOT/examples/jilin/01_platform_rider_combined.json" --format json)
got=$(curl -s -X POST --data-binary @"$TMP/eval.json" "$URL/eval")
[ "$got" = "$want" ] || { echo "serve_bench: /eval differs from pol eval" >&2; exit 1; }

batch_rate() {  # cases/s of pol batch on the cases (its own summary line)
  "$POL" batch "$POLICY" "$TMP/cases.jsonl" 2>&1 >/dev/null | sed -n 's/.* \([0-9]*\) cases\/s$/\1/p'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "1. POST /eval, keep-alive, wrk -t2 -c16 -d${SECONDS_RUN}s, beside pol batch"
curl -s -X POST --data-binary @"$TMP/eval.json" "$URL/eval" >/dev/null  # warm: the program and code compiled
POL_BENCH_BODY=$TMP/eval.json wrk -t2 -c16 -d"${SECONDS_RUN}s" --latency -s "$ROOT/bench/serve_eval.lua" "$URL/eval" >"$TMP/wrk.txt"
rps=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$TMP/wrk.txt")
p50=$(awk '/^pol_p50_us/ { print $2 }' "$TMP/wrk.txt")
p99=$(awk '/^pol_p99_us/ { print $2 }' "$TMP/wrk.txt")
errors=$(awk '/^pol_errors/ { print $2 }' "$TMP/wrk.txt")
rate=$(batch_rate)
printf '   %-44s %12s\n' "POST /eval requests/s" "$rps" "p50 latency (µs)" "$p50" "p99 latency (µs)" "$p99" \
  "non-200 or failed requests" "$errors" "pol batch cases/s (same run)" "$rate"
# The same requests at a load the server is asked to keep up with rather than all it can take:
# each of 20 connections sends its next request a millisecond after its answer (wrk's delay:
# about 11,000 requests/s here), so that the latency is the server's, not the wait for a core
# that wrk, the server's threads and the answers all want at once on 2 cores.
POL_BENCH_BODY=$TMP/eval.json POL_BENCH_DELAY_MS=1 wrk -t2 -c20 -d"${SECONDS_RUN}s" --latency -s "$ROOT/bench/serve_eval.lua" \
  "$URL/eval" >"$TMP/wrk_paced.txt"
printf '   %-44s %12s\n' "paced (-c20, 1 ms apart): requests/s" \
  "$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$TMP/wrk_paced.txt")" \
  "paced: p50 latency (µs)" "$(awk '/^pol_p50_us/ { print $2 }' "$TMP/wrk_paced.txt")" \
  "paced: p99 latency (µs)" "$(awk '/^pol_p99_us/ { print $2 }' "$TMP/wrk_paced.txt")" \
  "paced: non-200 or failed requests" "$(awk '/^pol_errors/ { print $2 }' "$TMP/wrk_paced.txt")"

echo "2. POST /batch of $N cases against pol batch on the same file ($RUNS runs each, interleaved, medians)"
# The client streams the file as it sends it (curl -T: read from the file a piece at a time,
# as a bureau's system sends a population it has on disk), and reads the results as they come.
# `curl --data-binary @FILE` first reads the whole file into memory (a 511 MB allocation, and
# as many pages touched, on the same 2 cores), so it is measured too, beside it. CPU seconds:
# pol batch's own (user + system), and the server's per batch (from /proc/PID/stat).
: >"$TMP/t_cli"
: >"$TMP/t_srv"
: >"$TMP/t_mem"
: >"$TMP/c_cli"
: >"$TMP/c_srv"
TICK=$(getconf CLK_TCK)
srv_ticks() { awk '{ print $14 + $15 }' "/proc/$SPID/stat"; }
TIMEFORMAT='%R %U %S'
for r in $(seq "$RUNS"); do
  { time "$POL" batch "$POLICY" "$TMP/cases.jsonl" >"$TMP/cli.jsonl" 2>/dev/null; } 2>"$TMP/time"
  read -r real user sys <"$TMP/time"
  echo "$real" >>"$TMP/t_cli"
  echo "$user + $sys" | bc >>"$TMP/c_cli"
  before=$(srv_ticks)
  t=$(curl -s -X POST -T "$TMP/cases.jsonl" -H 'Content-Type: application/x-ndjson' -o "$TMP/srv.jsonl" -w '%{time_total}' "$URL/batch")
  echo "scale=2; ($(srv_ticks) - $before) / $TICK" | bc >>"$TMP/c_srv"
  echo "$t" >>"$TMP/t_srv"
  cmp -s "$TMP/cli.jsonl" "$TMP/srv.jsonl" || { echo "serve_bench: POST /batch output differs from pol batch" >&2; exit 1; }
  t=$(curl -s -X POST -H 'Content-Type: application/x-ndjson' --data-binary @"$TMP/cases.jsonl" -o "$TMP/srv.jsonl" -w '%{time_total}' "$URL/batch")
  echo "$t" >>"$TMP/t_mem"
  cmp -s "$TMP/cli.jsonl" "$TMP/srv.jsonl" || { echo "serve_bench: POST /batch output differs from pol batch" >&2; exit 1; }
done
tc=$(median <"$TMP/t_cli")
ts=$(median <"$TMP/t_srv")
tm=$(median <"$TMP/t_mem")
printf '   %-44s %12s\n' "pol batch (s)" "$tc" "POST /batch, curl -T, streamed (s)" "$ts" \
  "ratio server / pol batch" "$(echo "scale=3; $ts / $tc" | bc)" \
  "POST /batch, curl --data-binary @file (s)" "$tm" "ratio, file read whole first" "$(echo "scale=3; $tm / $tc" | bc)" \
  "CPU (s): pol batch" "$(median <"$TMP/c_cli")" "CPU (s): the server, per batch (curl -T)" "$(median <"$TMP/c_srv")" \
  "outputs identical" "yes ($(wc -l <"$TMP/srv.jsonl") lines)"
echo "   times (s), pol batch: $(tr '\n' ' ' <"$TMP/t_cli")| -T: $(tr '\n' ' ' <"$TMP/t_srv")| --data-binary: $(tr '\n' ' ' <"$TMP/t_mem")"
echo "   server peak RSS (KB): $(awk '/VmHWM/ { print $2 }' /proc/$SPID/status)"

if [ "$SOAK" -gt 0 ]; then
  echo "3. soak: ${SOAK}s of mixed good and bad requests, wrk -t2 -c16; resident memory (KB)"
  POL_BENCH_BODY=$TMP/eval.json wrk -t2 -c16 -d"${SOAK}s" -s "$ROOT/bench/serve_soak.lua" "http://127.0.0.1:$PORT" >"$TMP/soak.txt" &
  WRK=$!
  step=$(( SOAK / 10 > 0 ? SOAK / 10 : 1 ))
  rss=""
  for _ in $(seq 10); do
    sleep "$step"
    rss="$rss $(awk '/VmRSS/ { print $2 }' /proc/$SPID/status)"
  done
  wait "$WRK"
  echo "   RSS every ${step}s:$rss"
  echo "   $(grep -E 'Requests/sec' "$TMP/soak.txt" | tr -s ' ')"
fi
