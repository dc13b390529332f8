#!/usr/bin/env bash
# pol serve: every endpoint and every error status, against servers on 127.0.0.1 and an
# ephemeral port (--port 0, the port read from the first line of output), each stopped by
# SIGTERM at the end. Results are compared with pol eval, pol explain, pol batch and pol diff
# on the same cases; the rule files served are a copy, edited on disk and through the API.
#
#   tests/serve/run.sh POL_BINARY SOURCE_DIR
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
pol_test_args 2 2 "POL_BINARY SOURCE_DIR" "$@"
pol_test_paths "$1" "$2"
pol_test_tmp serve
command -v curl >/dev/null || fatal "curl is not installed (scripts/deps.sh)"
# Reports of the server and of the CLI carry the same time generated in their provenance.
export SOURCE_DATE_EPOCH=1754006400

cp -r "$SRC/policies" "$TMP/policies"
D="$TMP/policies"
PIDS=()
stop_all() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap stop_all EXIT

# start NAME ARGS...: a server in the background; sets PORT and SPID (its output: $TMP/NAME.out).
start() {
  local name=$1 i
  shift
  "$POL" serve "$@" --port 0 >"$TMP/$name.out" 2>"$TMP/$name.err" &
  SPID=$!
  PIDS+=("$SPID")
  for i in $(seq $(( $(limit 10) * 10 ))); do
    PORT=$(grep -o '127\.0\.0\.1:[0-9]*' "$TMP/$name.out" 2>/dev/null | head -1 | cut -d: -f2)
    [ -n "$PORT" ] && return 0
    kill -0 "$SPID" 2>/dev/null || break
    sleep 0.1
  done
  fatal "server $name did not start" "$(cat "$TMP/$name.err")"
}

# req METHOD PATH [curl args...]: the response body in $TMP/body, the status in STATUS.
req() {
  local m=$1 p=$2
  shift 2
  STATUS=$(curl -s -o "$TMP/body" -w '%{http_code}' --path-as-is --max-time 60 -X "$m" "$@" "http://127.0.0.1:$PORT$p")
}

# is NAME STATUS [KIND [FIELD]]: the last response had STATUS, and, for an error, that kind and field.
is() {
  local name=$1 want=$2 kind=${3:-} field=${4:-}
  if [ "$STATUS" != "$want" ]; then
    fail "$name" "status $STATUS, expected $want" "$(head -c 300 "$TMP/body")"
    return
  fi
  if [ -n "$kind" ]; then
    local got
    got=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; print(e["kind"], e["field"] or "", sep="|")' "$TMP/body" 2>&1)
    if [ "$got" != "$kind|$field" ]; then
      fail "$name" "error $got, expected $kind|$field" "$(head -c 300 "$TMP/body")"
      return
    fi
  fi
  pass
}

# json EXPR: evaluates a Python expression over the last body (as `b`); prints the result.
json() { python3 -c "import json,sys; b=json.load(open(sys.argv[1])); print($1)" "$TMP/body"; }

start main "$D"
API=/api/v1

# --- the listening socket's backlog: cpp-httplib listens with 5, and clients connecting at once
# past it had their connections dropped and retried (0.2-0.4 s); the server widens it.
backlog=$(ss -Htln "sport = :$PORT" | awk '{ print $3 }' | head -1)
expect "the listening backlog is wide (ss: ${backlog:-none})" test "${backlog:-0}" -ge 128
CASE="$SRC/examples/jilin/01_platform_rider_combined.json"

# --- GET /policies, GET /policies/{name}
req GET $API/policies
is "GET /policies" 200
expect "GET /policies lists every rule file" test "$(json 'len(b["policies"])')" = "$(find "$D" -name '*.pol' | wc -l)"
expect "GET /policies: jilin_2025 ok with its hash" test "$(json '[p["status"]+p["hash"] for p in b["policies"] if p["name"]=="jilin_2025"][0]')" = "ok$(sha256sum "$D/jilin_2025.pol" | cut -d' ' -f1)"
req GET $API/policies/jilin_2025
is "GET /policies/jilin_2025" 200
expect "describe: inputs with types and enum values" test "$(json '[i["type"] for i in b["inputs"] if i["name"]=="gender"][0] != "" and len([i for i in b["inputs"] if i["name"]=="gender"][0]["values"])')" = 2
expect "describe: parameters with dated values" test "$(json 'all(len(p["values"]) > 0 for p in b["parameters"])')" = True
req GET $API/policies/nowhere
is "unknown policy" 404 unknown_policy name
req GET $API/policies/jilin_2025
expect "describe: the ambiguities with their readings" test "$(json '[(r["id"], [a["name"] for a in r["alternatives"]]) for r in b["readings"] if r["id"]=="A4"]')" = "[('A4', ['ge', 'gt'])]"

# --- POST /eval: the object of pol eval --format json, for every example case
for c in "$SRC"/examples/*/[0-9]*.json; do
  case $c in *.expected.json) continue ;; esac
  dir=$(basename "$(dirname "$c")")
  policy=$( [ "$dir" = jilin ] && echo jilin_2025 || echo "$dir")
  [ -f "$D/$policy.pol" ] || policy=$(basename "$(find "$D" -name "$dir*.pol" | head -1)" .pol)
  file=$(find "$D" -name "$policy.pol" | head -1)
  [ -n "$file" ] || continue
  want=$("$POL" eval "$file" "$c" --format json 2>&1)
  printf '{"case": %s}' "$(cat "$c")" >"$TMP/req.json"
  req POST "$API/policies/$policy/eval" --data-binary @"$TMP/req.json"
  if [ "$STATUS" = 200 ] && [ "$(cat "$TMP/body")" = "$want" ]; then pass
  elif [ "$STATUS" != 200 ] && ! "$POL" eval "$file" "$c" --format json >/dev/null 2>&1; then pass
  else fail "eval $(basename "$c") as pol eval" "status $STATUS" "$(head -c 200 "$TMP/body")" "$want"; fi
done
printf '{"case": %s, "at": "2025-06-01", "set": {"employer_medical_rate": "6.5%%"}, "outputs": ["monthly_contribution"]}' "$(cat "$CASE")" >"$TMP/req.json"
req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/req.json"
want=$("$POL" eval "$D/jilin_2025.pol" "$CASE" --format json --at 2025-06-01 --set employer_medical_rate=6.5% --output monthly_contribution)
expect "eval with at, set, outputs as pol eval" test "$STATUS|$(cat "$TMP/body")" = "200|$want"

# --- bad requests: each a 400 naming the field
req POST $API/policies/jilin_2025/eval -d '{"case": {"gender": "male", "no_such_input": 1}}'
is "case: unknown field" 400 unknown_field no_such_input
req POST $API/policies/jilin_2025/eval -d '{"case": {"gender": 12}}'
is "case: wrong type" 400 wrong_type gender

# --- the language of the answer: ?lang=, else Accept-Language, else the server's (English here)
BADCASE='{"case": {"gender": "male", "no_such_input": 1}}'
cjk='any("\u4e00" <= c <= "\u9fff" for c in b["error"]["message"])'
req POST "$API/policies/jilin_2025/eval?lang=zh" -d "$BADCASE"
expect "?lang=zh: the message in Chinese, the endpoint's query keys unaffected" test "$STATUS|$(json "$cjk")|$(json 'b["error"]["field"]')" = "400|True|no_such_input"
# every error the server writes itself is in Chinese under ?lang=zh, its kind unchanged
for probe in 'POST|policies/jilin_2025/eval|{"case": {"gender": 12}}|wrong_type' \
             'POST|policies/jilin_2025/eval|{"bogus": 1, "case": {}}|unknown_field' \
             'POST|policies/jilin_2025/eval|[1]|wrong_type' \
             'POST|policies/jilin_2025/eval|{"case": |invalid_json' \
             'POST|policies/jilin_2025/why-not|{"case": {}}|missing_field' \
             'POST|diff|{"a": "jilin_2025"}|missing_field' \
             'POST|policies/no_such_policy/eval|{"case": {}}|unknown_policy' \
             'POST|policies/jilin_2025/eval|{"case": {}, "at": "soon"}|bad_value' \
             'POST|policies/jilin_2025/explain?format=bogus|{"case": {}}|bad_value' \
             'POST|policies/jilin_2025/sweep|{"case": {}}|missing_field' \
             'GET|policies/jilin_2025/doc?format=bogus||bad_value' \
             'GET|policies/jilin_2025/eval||method_not_allowed' \
             'GET|no/such/path||not_found'; do
  IFS='|' read -r m p body kind <<<"$probe"
  case $p in *\?*) sep='&' ;; *) sep='?' ;; esac
  if [ "$m" = GET ]; then req GET "$API/$p${sep}lang=zh"; else req POST "$API/$p${sep}lang=zh" -d "$body"; fi
  expect "?lang=zh: $m /$p ($kind) in Chinese" test "$(json "$cjk")|$(json 'b["error"]["kind"]')" = "True|$kind"
done
req POST $API/policies/jilin_2025/eval -d "$BADCASE" -H 'Accept-Language: zh-CN,zh;q=0.9,en;q=0.8'
expect "Accept-Language zh-CN: the message in Chinese" test "$STATUS|$(json "$cjk")" = "400|True"
req POST "$API/policies/jilin_2025/eval?lang=en" -d "$BADCASE" -H 'Accept-Language: zh-CN'
expect "?lang=en over Accept-Language: the message in English" test "$STATUS|$(json "$cjk")" = "400|False"
req POST $API/policies/jilin_2025/eval -d "$BADCASE"
expect "no language asked: the server's (English)" test "$STATUS|$(json "$cjk")" = "400|False"
req GET "$API/policies?lang=fr"
is "?lang=fr refused" 400 bad_value lang
req POST $API/policies/jilin_2025/eval -d '{"case": {"gender": "male"}}'
is "case: missing input" 400 missing_input worker_type
req POST $API/policies/jilin_2025/eval -d '{"at": "2025-06-01"}'
is "no case" 400 missing_field case
req POST $API/policies/jilin_2025/eval -d '{"case": {}, "bogus": 1}'
is "unknown request key" 400 unknown_field bogus
req POST $API/policies/jilin_2025/eval -d '{"case": {'
is "invalid JSON" 400 invalid_json
req POST $API/policies/jilin_2025/eval -d "$(printf '{"case": {}, "x": %s1%s}' "$(printf '[%.0s' $(seq 100))" "$(printf ']%.0s' $(seq 100))")"
is "nested too deep" 400 too_deep
printf '{"case": %s, "at": "2025-13-01"}' "$(cat "$CASE")" >"$TMP/req.json"
req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/req.json"
is "bad at" 400 bad_value at
printf '{"case": %s, "set": {"nope": "1"}}' "$(cat "$CASE")" >"$TMP/req.json"
req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/req.json"
is "unknown set" 400 bad_value set.nope
printf '{"case": %s, "outputs": ["nope"]}' "$(cat "$CASE")" >"$TMP/req.json"
req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/req.json"
is "unknown output" 400 unknown_output outputs
printf '{"case": %s, "readings": {"A4": "b"}}' "$(cat "$CASE")" >"$TMP/req.json"
req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/req.json"
is "readings: no such alternative" 400 bad_value readings.A4
printf '{"case": %s, "readings": {"A44": "gt"}}' "$(cat "$CASE")" >"$TMP/req.json"
req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/req.json"
is "readings: no such ambiguity" 400 bad_value readings.A44

# --- readings: an alternative reading in a request as --reading; POST /readings as pol readings
RCASE="$SRC/tests/golden/explain/reading_a4_gt.case.json"
[ -f "$RCASE" ] || RCASE="$CASE"
for r in "A4=gt" "A4=ge"; do
  printf '{"case": %s, "readings": {"%s": "%s"}}' "$(cat "$RCASE")" "${r%=*}" "${r#*=}" >"$TMP/req.json"
  req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/req.json"
  want=$("$POL" eval "$D/jilin_2025.pol" "$RCASE" --format json --reading "$r")
  expect "eval with readings $r as pol eval --reading" test "$STATUS|$(cat "$TMP/body")" = "200|$want"
done
printf '{"case": %s, "readings": {"A4": "gt"}}' "$(cat "$RCASE")" >"$TMP/req.json"
req POST "$API/policies/jilin_2025/explain?format=html" --data-binary @"$TMP/req.json"
expect "explain with a reading names it" grep -q 'A4.gt' "$TMP/body"
for c in "$RCASE" "$SRC"/examples/jilin/0[1-4]*.json; do
  case $c in *.expected.json) continue ;; esac
  for r in "" "A4=gt"; do
    if [ -n "$r" ]; then body=$(printf '{"case": %s, "readings": {"A4": "gt"}}' "$(cat "$c")"); args=(--reading "$r")
    else body=$(printf '{"case": %s}' "$(cat "$c")"); args=(); fi
    printf '%s' "$body" >"$TMP/req.json"
    req POST $API/policies/jilin_2025/readings --data-binary @"$TMP/req.json"
    "$POL" readings "$D/jilin_2025.pol" "$c" --format json "${args[@]}" >"$TMP/want.json" 2>&1
    expect "readings $(basename "$c") ${r:-as the file reads} as pol readings --format json" \
      test "$STATUS|$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])))' "$TMP/body" "$TMP/want.json" 2>&1)" = "200|True"
  done
done
expect "readings: some alternative changes an output" test "$(json 'any(a["outputs"] for a in b["alternatives"])')" = True
printf '{"case": %s}' "$(cat "$RCASE")" >"$TMP/req.json"
req POST "$API/policies/jilin_2025/readings?format=markdown" --data-binary @"$TMP/req.json"
expect "readings ?format=markdown as pol readings" test "$STATUS|$(cat "$TMP/body")" = "200|$("$POL" readings "$D/jilin_2025.pol" "$RCASE" --format markdown)"
# --- sweep: one case over a range as pol sweep --csv (the query's value holds '=' as it is),
# under a reading as pol sweep --reading
for r in "" "A5a=sum"; do
  if [ -n "$r" ]; then body=$(printf '{"case": %s, "readings": {"A5a": "sum"}}' "$(cat "$RCASE")"); args=(--reading "$r")
  else body=$(printf '{"case": %s}' "$(cat "$RCASE")"); args=(); fi
  printf '%s' "$body" >"$TMP/req.json"
  req POST "$API/policies/jilin_2025/sweep?vary=jilin_years=1..3:1" --data-binary @"$TMP/req.json"
  cp "$TMP/body" "$TMP/sweep_${r:-own}.csv"
  "$POL" sweep "$D/jilin_2025.pol" --case "$RCASE" --vary jilin_years=1..3:1 --csv "$TMP/want.csv" "${args[@]}" >/dev/null 2>&1
  expect "sweep ${r:-as the file reads} as pol sweep --csv" test "$STATUS|$(cat "$TMP/body")" = "200|$(cat "$TMP/want.csv")"
done
expect "sweep: the reading A5a=sum changes the table" bash -c "! cmp -s '$TMP/sweep_own.csv' '$TMP/sweep_A5a=sum.csv'"
printf '{"case": %s, "readings": {"A5a": "summ"}}' "$(cat "$RCASE")" >"$TMP/req.json"
req POST "$API/policies/jilin_2025/sweep?vary=jilin_years=1..3:1" --data-binary @"$TMP/req.json"
is "sweep: no such alternative" 400 bad_value readings
req POST $API/policies/jilin_2025/readings -d '{"case": {"gender": "male"}}'
is "readings: a bad case" 400 missing_input worker_type
req GET $API/policies/jilin_2025/readings
is "readings: GET" 405 method_not_allowed
"$POL" readings "$D/jilin_2025.pol" --cases "$SRC/examples/jilin/cases.csv" --format json >"$TMP/want.json"
req POST $API/policies/jilin_2025/readings --data-binary @"$SRC/examples/jilin/cases.csv" -H 'Content-Type: text/csv'
expect "readings of a CSV population as pol readings --cases" \
  test "$STATUS|$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])))' "$TMP/body" "$TMP/want.json" 2>&1)" = "200|True"
printf 'not a case\n' >"$TMP/bad.jsonl"
req POST $API/policies/jilin_2025/readings --data-binary @"$TMP/bad.jsonl" -H 'Content-Type: application/x-ndjson'
expect "readings of a population: no temporary path in any message" test "$(grep -c '/tmp/' "$TMP/body")" = 0

# --- methods, paths, sizes
req GET $API/policies/jilin_2025/eval
is "GET of a POST endpoint" 405 method_not_allowed
req DELETE $API/policies
is "DELETE /policies" 405 method_not_allowed
req GET $API/nothing
is "unknown API path" 404 not_found
head -c 1100000 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/big.json"
is "eval body over 1 MiB" 413 too_large
req PUT $API/files/jilin_2025.pol -d '{"text": "", "replaces": null}'
is "PUT without --edit" 405 read_only

# --- explain and why-not
printf '{"case": %s}' "$(cat "$CASE")" >"$TMP/req.json"
req POST $API/policies/jilin_2025/explain --data-binary @"$TMP/req.json"
is "explain json" 200
expect "explain json: the outputs as pol explain" test "$(json '[o["name"] for o in b["outputs"]]')" = "$("$POL" explain "$D/jilin_2025.pol" "$CASE" --format json | python3 -c 'import json,sys; print([o["name"] for o in json.load(sys.stdin)["outputs"]])')"
for f in html markdown text; do
  req POST "$API/policies/jilin_2025/explain?format=$f" --data-binary @"$TMP/req.json"
  first=$("$POL" explain "$D/jilin_2025.pol" "$CASE" --format $f 2>/dev/null | head -3)
  expect "explain ?format=$f starts as pol explain" test "$STATUS|$(head -3 "$TMP/body")" = "200|$first"
done
req POST "$API/policies/jilin_2025/explain" --data-binary @"$TMP/req.json"
expect "explain: generated at SOURCE_DATE_EPOCH, as pol explain says" test "$(json 'b["provenance"]["generated"]')" = "$("$POL" explain "$D/jilin_2025.pol" "$CASE" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["provenance"]["generated"])')"
req POST "$API/policies/jilin_2025/explain?format=html" --data-binary @"$TMP/req.json"
expect "explain html: the date generated of pol explain" grep -q "$(date -u -d @"$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S UTC')" "$TMP/body"
SOURCE_DATE_EPOCH=yesterday "$POL" serve "$D" --port 0 >/dev/null 2>"$TMP/sde.err" </dev/null
rc=$?
expect "serve: a bad SOURCE_DATE_EPOCH refused as pol explain refuses it (exit 2)" test "$rc|$(grep -c SOURCE_DATE_EPOCH "$TMP/sde.err")" = "2|1"
req POST "$API/policies/jilin_2025/explain?format=pdf" --data-binary @"$TMP/req.json"
is "explain ?format=pdf" 400 bad_value format
printf '{"case": %s, "output": "retirement_outcome"}' "$(cat "$CASE")" >"$TMP/req.json"
req POST $API/policies/jilin_2025/why-not --data-binary @"$TMP/req.json"
is "why-not" 200
expect "why-not: its section" test "$(json '"why_not" in b')" = True
printf '{"case": %s, "output": "nope"}' "$(cat "$CASE")" >"$TMP/req.json"
req POST $API/policies/jilin_2025/why-not --data-binary @"$TMP/req.json"
is "why-not unknown output" 400 bad_value output

# --- batch: JSON Lines and CSV in, JSON Lines out, as pol batch
awk -v n=3000 -v broken=1 -f "$SRC/tests/batch/gen_cases.awk" >"$TMP/cases.jsonl"
"$POL" batch "$D/jilin_2025.pol" "$TMP/cases.jsonl" --at 2025-08-01 >"$TMP/want.jsonl" 2>/dev/null
req POST "$API/policies/jilin_2025/batch?at=2025-08-01" --data-binary @"$TMP/cases.jsonl" -H 'Content-Type: application/x-ndjson'
expect "batch JSON Lines as pol batch" test "$STATUS|$(cmp "$TMP/body" "$TMP/want.jsonl" && echo same)" = "200|same"
# In the request's language: every error line, from whichever worker evaluated its block (enough
# cases for several blocks).
awk -v n=30000 -v broken=1 -f "$SRC/tests/batch/gen_cases.awk" >"$TMP/many.jsonl"
POL_LANG=zh "$POL" batch "$D/jilin_2025.pol" "$TMP/many.jsonl" --at 2025-08-01 --jobs 2 >"$TMP/want_zh.jsonl" 2>/dev/null
req POST "$API/policies/jilin_2025/batch?at=2025-08-01&lang=zh" --data-binary @"$TMP/many.jsonl" -H 'Content-Type: application/x-ndjson'
expect "batch ?lang=zh as POL_LANG=zh pol batch" test "$STATUS|$(cmp "$TMP/body" "$TMP/want_zh.jsonl" && echo same)" = "200|same"
expect "batch ?lang=zh: no error line in English" test "$(grep '"error"' "$TMP/body" | grep -c "field '" || true)" = 0
# The body streamed from the file (curl -T: its length, Expect: 100-continue), chunked with no
# length (from a pipe), and one smaller than the guarded end of a body (64 KiB): the same lines.
req POST "$API/policies/jilin_2025/batch?at=2025-08-01" -T "$TMP/cases.jsonl" -H 'Content-Type: application/x-ndjson'
expect "batch streamed from a file (curl -T) as pol batch" test "$STATUS|$(cmp "$TMP/body" "$TMP/want.jsonl" && echo same)" = "200|same"
STATUS=$(cat "$TMP/cases.jsonl" | curl -s -o "$TMP/body" -w '%{http_code}' --max-time 60 -X POST -T - -H 'Content-Type: application/x-ndjson' \
  "http://127.0.0.1:$PORT$API/policies/jilin_2025/batch?at=2025-08-01")
expect "batch of a chunked body (no length) as pol batch" test "$STATUS|$(cmp "$TMP/body" "$TMP/want.jsonl" && echo same)" = "200|same"
head -n 20 "$TMP/cases.jsonl" >"$TMP/few.jsonl"
"$POL" batch "$D/jilin_2025.pol" "$TMP/few.jsonl" --at 2025-08-01 >"$TMP/want_few.jsonl" 2>/dev/null
req POST "$API/policies/jilin_2025/batch?at=2025-08-01" -T "$TMP/few.jsonl" -H 'Content-Type: application/x-ndjson'
expect "batch of a small body as pol batch" test "$STATUS|$(cmp "$TMP/body" "$TMP/want_few.jsonl" && echo same)" = "200|same"
{
  echo "id,worker_type,gender,mode,total_years,jilin_years,gap_days"
  for i in $(seq 200); do echo "c$i,part_time,$([ $((i % 2)) = 0 ] && echo male || echo female),combined,$((i % 40)).5,$((i % 20)),$((i % 90))"; done
} >"$TMP/cases.csv"
"$POL" batch "$D/jilin_2025.pol" "$TMP/cases.csv" --at 2025-08-01 >"$TMP/want_csv.jsonl" 2>/dev/null
req POST "$API/policies/jilin_2025/batch?at=2025-08-01" --data-binary @"$TMP/cases.csv" -H 'Content-Type: text/csv'
expect "batch CSV as pol batch" test "$STATUS|$(cmp "$TMP/body" "$TMP/want_csv.jsonl" && echo same)" = "200|same"
req POST "$API/policies/jilin_2025/batch?bogus=1" --data-binary @"$TMP/cases.csv"
is "batch: unknown query key" 400 unknown_field bogus
req POST "$API/policies/nowhere/batch" --data-binary @"$TMP/cases.csv"
is "batch: unknown policy" 404 unknown_policy name

# --- concurrent requests: the same answers as pol eval and pol batch
cases=()
for c in "$SRC"/examples/jilin/[0-9]*.json; do case $c in *.expected.json) ;; *) cases+=("$c") ;; esac; done
for round in 1 2 3; do
  for c in "${cases[@]}"; do
    k=$(basename "$c" .json).$round
    printf '{"case": %s}' "$(cat "$c")" >"$TMP/req.$k"
    curl -s --max-time 60 -X POST --data-binary @"$TMP/req.$k" "http://127.0.0.1:$PORT$API/policies/jilin_2025/eval" >"$TMP/got.$k" &
  done
  curl -s --max-time 60 -X POST --data-binary @"$TMP/cases.jsonl" "http://127.0.0.1:$PORT$API/policies/jilin_2025/batch?at=2025-08-01" >"$TMP/batch.$round" &
done
wait_jobs() { local j; for j in $(jobs -p); do [ "$j" = "$SPID" ] || wait "$j"; done; }
wait_jobs
bad=0
for round in 1 2 3; do
  cmp -s "$TMP/batch.$round" "$TMP/want.jsonl" || bad=$((bad + 1))
  for c in "${cases[@]}"; do
    k=$(basename "$c" .json).$round
    want=$("$POL" eval "$D/jilin_2025.pol" "$c" --format json 2>&1)
    if "$POL" eval "$D/jilin_2025.pol" "$c" --format json >/dev/null 2>&1; then
      [ "$(cat "$TMP/got.$k")" = "$want" ] || bad=$((bad + 1))
    fi
  done
done
expect "concurrent eval and batch requests give pol's results" test "$bad" = 0

# --- diff
req POST $API/diff -d '{"a": "jilin_2025", "b": "changchun_2025"}'
want=$(cd "$D" && "$POL" diff jilin_2025.pol regions/changchun_2025.pol --format json)
expect "diff as pol diff --format json" test "$STATUS|$(cat "$TMP/body")" = "200|$want"
head -200 "$TMP/cases.jsonl" | grep -v '^ *$' | python3 -c 'import sys,json
cases=[]
for l in sys.stdin:
    try: cases.append(json.loads(l))
    except Exception: pass
print(json.dumps({"a":"jilin_2025","b":"changchun_2025","at":"2025-08-01","cases":[c for c in cases if isinstance(c, dict)]}))' >"$TMP/diff.json"
req POST $API/diff --data-binary @"$TMP/diff.json"
expect "diff with inline cases: a population" test "$STATUS|$(json '"population" in b or "cases" in b')" = "200|True"
req POST $API/diff -d '{"a": "jilin_2025"}'
is "diff without b" 400 missing_field b

# --- an Excel workbook as the population: batch, diff and readings as the commands read it
XLSX=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
/usr/bin/python3 -c "import openpyxl" 2>/dev/null || fatal "python3-openpyxl is not installed (scripts/deps.sh)"
{
  /usr/bin/python3 "$SRC/tests/serve/csv_to_xlsx.py" "$SRC/examples/jilin/cases.csv" "$TMP/cases.xlsx"
  "$POL" batch "$D/jilin_2025.pol" "$TMP/cases.xlsx" --at 2025-08-01 >"$TMP/want_x.jsonl" 2>/dev/null
  "$POL" batch "$D/jilin_2025.pol" "$SRC/examples/jilin/cases.csv" --at 2025-08-01 >"$TMP/want_c.jsonl" 2>/dev/null
  expect "the workbook holds the CSV's cases" cmp -s "$TMP/want_x.jsonl" "$TMP/want_c.jsonl"
  req POST "$API/policies/jilin_2025/batch?at=2025-08-01" --data-binary @"$TMP/cases.xlsx" -H "Content-Type: $XLSX"
  expect "batch of a workbook as pol batch" test "$STATUS|$(cmp "$TMP/body" "$TMP/want_x.jsonl" && echo same)" = "200|same"
  req POST "$API/policies/jilin_2025/batch?at=2025-08-01&input=xlsx&sheet=nowhere" --data-binary @"$TMP/cases.xlsx"
  expect "batch of a workbook: no such sheet, an error line naming it" grep -q 'nowhere' "$TMP/body"
  expect "batch of a workbook: no temporary path in the error" test "$(grep -c '/tmp/' "$TMP/body")" = 0
  # A damaged sheet (a cell naming another row): its own error, in the request's language.
  /usr/bin/python3 - "$TMP/cases.xlsx" "$TMP/bad_ref.xlsx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); parts = {n: z.read(n) for n in z.namelist()}; z.close()
s = parts["xl/worksheets/sheet1.xml"].decode()
assert '<c r="A5"' in s
parts["xl/worksheets/sheet1.xml"] = s.replace('<c r="A5"', '<c r="A4"', 1).encode()
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as o:
    for n, b in parts.items(): o.writestr(n, b)
PY
  req POST "$API/policies/jilin_2025/batch?lang=zh" --data-binary @"$TMP/bad_ref.xlsx" -H "Content-Type: $XLSX"
  expect "batch of a damaged workbook: the sheet's error, in Chinese" grep -q "工作表 '人群' 第 5 行：单元格位置 'A4' 无效" "$TMP/body"
  req POST "$API/policies/jilin_2025/batch" --data-binary @"$SRC/examples/jilin/cases.csv" -H "Content-Type: $XLSX"
  expect "batch of a CSV sent as a workbook: an error, no temporary path" test "$(grep -c '"error"' "$TMP/body")|$(grep -c '/tmp/' "$TMP/body")" = "1|0"
  want=$(cd "$D" && "$POL" diff jilin_2025.pol regions/changchun_2025.pol --cases "$TMP/cases.xlsx" --at 2025-08-01 --format json)
  req POST "$API/diff?a=jilin_2025&b=changchun_2025&at=2025-08-01" --data-binary @"$TMP/cases.xlsx" -H "Content-Type: $XLSX"
  expect "diff of a workbook population: its counts as pol diff --cases" \
    test "$STATUS|$(json '[b["population"][k] for k in ("cases", "changed_cases")]')" = "200|$(printf '%s' "$want" | python3 -c 'import json,sys; b=json.load(sys.stdin); print([b["population"][k] for k in ("cases", "changed_cases")])')"
  req POST "$API/diff?a=jilin_2025" --data-binary @"$TMP/cases.xlsx" -H "Content-Type: $XLSX"
  is "diff of a workbook without b" 400 missing_field b
  "$POL" readings "$D/jilin_2025.pol" --cases "$TMP/cases.xlsx" --format json >"$TMP/want.json"
  req POST $API/policies/jilin_2025/readings --data-binary @"$TMP/cases.xlsx" -H "Content-Type: $XLSX"
  expect "readings of a workbook population as pol readings --cases" \
    test "$STATUS|$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])))' "$TMP/body" "$TMP/want.json" 2>&1)" = "200|True"
  head -c $((65 * 1024 * 1024)) /dev/zero >"$TMP/big.xlsx"
  req POST "$API/policies/jilin_2025/batch" --data-binary @"$TMP/big.xlsx" -H "Content-Type: $XLSX"
  is "batch of a workbook over 64 MiB" 413 too_large
}
req POST $API/diff -d '{"a": "jilin_2025", "b": "nowhere"}'
is "diff unknown policy" 404 unknown_policy name

# --- check
req POST $API/check -d '{"text": "policy x \"X\"\n  garbage here\n", "path": "new.pol"}'
is "check: a bad text" 200
expect "check: diagnostics with file, line, column, span, code" test "$(json 'b["ok"], sorted(b["diagnostics"][0].keys()), b["diagnostics"][0]["line"]')" = "False ['code', 'column', 'end_column', 'end_line', 'file', 'line', 'message', 'severity', 'span'] 2"
python3 -c 'import json,sys; print(json.dumps({"text": open(sys.argv[1]).read(), "path": "regions/changchun_2025.pol"}))' "$D/regions/changchun_2025.pol" >"$TMP/check.json"
req POST $API/check --data-binary @"$TMP/check.json"
expect "check: a variant, extends resolved" test "$STATUS|$(json 'b["ok"]')" = "200|True"
req POST $API/check -d '{"text": "x", "path": "../outside.pol"}'
is "check: path with .." 400 bad_path path
req POST $API/check -d '{"text": "x", "path": "/etc/passwd"}'
is "check: absolute path" 400 bad_path path
req POST $API/check -d '{"text": "policy x \"X\" extends \"../../../../../../../../etc/passwd\"\n", "path": "new.pol"}'
is "check: extends a file outside the folder" 400 outside text
req POST $API/check -d '{"text": "policy x \"X\" extends \"../../../../../../../../no/such.pol\"\n", "path": "new.pol"}'
expect "check: no path outside the folder in messages" test "$STATUS|$(grep -c -e "$TMP" -e "$SRC" -e /no/such "$TMP/body")" = "200|0"

# --- files and path traversal
req GET $API/files/jilin_2025.pol
expect "GET /files: the hash of the text" test "$STATUS|$(json 'b["hash"]')" = "200|$(sha256sum "$D/jilin_2025.pol" | cut -d' ' -f1)"
ln -s /etc/passwd "$D/evil.pol"
for p in ../policies/jilin_2025.pol %2e%2e/etc/passwd regions/../jilin_2025.pol //etc/passwd evil.pol nowhere.pol; do
  req GET "$API/files/$p"
  is "GET /files/$p refused" 404 not_found path
done
rm "$D/evil.pol"

# --- static pages: a missing web/ is a clear 404; a present one is served with its types
req GET /
expect "no web/: a 404 page" test "$STATUS|$(grep -c 'not installed' "$TMP/body")" = "404|1"
kill -TERM "$SPID"
wait "$SPID"
expect "SIGTERM: the server stops with 0" test $? = 0
mkdir -p "$TMP/web/js"
echo '<p>workbench</p>' >"$TMP/web/index.html"
echo 'console.log(1)' >"$TMP/web/js/app.js"
ln -s /etc/passwd "$TMP/web/passwd.html"
start editor "$D" --edit --web "$TMP/web"
STATUS=$(curl -s -o "$TMP/body" -w '%{http_code} %{content_type}' "http://127.0.0.1:$PORT/")
expect "GET / the index page" test "$STATUS" = "200 text/html; charset=utf-8"
STATUS=$(curl -s -o "$TMP/body" -w '%{http_code} %{content_type}' "http://127.0.0.1:$PORT/js/app.js")
expect "GET /js/app.js as JavaScript" test "$STATUS" = "200 text/javascript; charset=utf-8"
for p in /../policies/jilin_2025.pol /js/../../policies/jilin_2025.pol /passwd.html /%2e%2e/x; do
  req GET "$p"
  expect "static $p refused" test "$STATUS" = 404
done

# --- PUT /files (with --edit): hash, 409, 422, save anyway, backup, new file
old=$(sha256sum "$D/jilin_2025.pol" | cut -d' ' -f1)
# put FILE HASH [SAVE_ANYWAY]: the body of a PUT with the text of FILE in $TMP/put.json.
put() { python3 -c 'import json,sys; print(json.dumps({"text": open(sys.argv[1]).read(), "replaces": None if sys.argv[2]=="null" else sys.argv[2], "save_anyway": sys.argv[3]=="1"}))' "$1" "$2" "${3:-0}" >"$TMP/put.json"; }
echo "policy broken" >"$TMP/broken.pol"
put "$D/jilin_2025.pol" 0000
req PUT $API/files/jilin_2025.pol --data-binary @"$TMP/put.json"
is "PUT with a stale hash" 409 conflict replaces
put "$TMP/broken.pol" "$old"
req PUT $API/files/jilin_2025.pol --data-binary @"$TMP/put.json"
is "PUT of a text with errors" 422 has_errors text
expect "422: the diagnostics, the file untouched" test "$(json 'len(b["diagnostics"]) > 0')|$(sha256sum "$D/jilin_2025.pol" | cut -d' ' -f1)" = "True|$old"
cp "$D/jilin_2025.pol" "$TMP/new.pol"
echo "# edited" >>"$TMP/new.pol"
put "$TMP/new.pol" "$old"
req PUT $API/files/jilin_2025.pol --data-binary @"$TMP/put.json"
is "PUT of a good text" 200
expect "PUT: written, the previous text kept as .~1~" test "$(sha256sum <"$D/jilin_2025.pol" | cut -d' ' -f1)|$(sha256sum <"$D/jilin_2025.pol.~1~" | cut -d' ' -f1)" = "$(sha256sum <"$TMP/new.pol" | cut -d' ' -f1)|$old"
expect "PUT: the response's hash is the file's" test "$(json 'b["hash"]')" = "$(sha256sum <"$D/jilin_2025.pol" | cut -d' ' -f1)"
expect "PUT: no temporary file left" test -z "$(find "$D" -name '.*pol-*')"
cp "$D/jilin_2025.pol" "$TMP/keep.pol"
put "$TMP/broken.pol" "$(sha256sum <"$D/jilin_2025.pol" | cut -d' ' -f1)" 1
req PUT $API/files/jilin_2025.pol --data-binary @"$TMP/put.json"
expect "PUT save_anyway: written with its diagnostics" test "$STATUS|$(json 'b["ok"]')|$(cat "$D/jilin_2025.pol")" = "200|False|policy broken"
req GET $API/policies
expect "a file with errors is listed as has_errors" test "$(json '[p["status"] for p in b["policies"] if p["name"]=="jilin_2025"][0]')" = has_errors
printf '{"case": %s}' "$(cat "$CASE")" >"$TMP/req.json"
req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/req.json"
is "eval of a file with errors" 422 has_errors name
req GET "$API/policies/jilin_2025/doc?format=html"
is "doc of a file with errors" 422 has_errors name
cp "$TMP/keep.pol" "$D/jilin_2025.pol"
printf 'policy fresh "F"\n' >"$TMP/fresh.pol"
put "$TMP/fresh.pol" null
req PUT $API/files/regions/fresh.pol --data-binary @"$TMP/put.json"
expect "PUT of a new file (replaces null)" test "$STATUS" = 200 -o "$STATUS" = 422
req PUT $API/files/../outside.pol --data-binary @"$TMP/put.json"
is "PUT outside the folder" 400 bad_path path
req PUT $API/files/notes.txt --data-binary @"$TMP/put.json"
is "PUT of a file that is not a rule file" 400 bad_path path

# --- a file edited on disk while served: the next request sees it, and its variants too
req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/req.json"
before=$(cat "$TMP/body")
expect "after the file is restored on disk, eval works again" test "$STATUS|$before" = "200|$("$POL" eval "$D/jilin_2025.pol" "$CASE" --format json)"
sed -i 's/^  85% from 2025-04-01/  80% from 2025-04-01/' "$D/jilin_2025.pol"
req POST $API/policies/jilin_2025/eval --data-binary @"$TMP/req.json"
after=$(cat "$TMP/body")
expect "edited on disk: the new rates" test "$STATUS|$after" = "200|$("$POL" eval "$D/jilin_2025.pol" "$CASE" --format json)"
expect "edited on disk: the result changed" test "$before" != "$after"
req POST $API/policies/changchun_2025/eval --data-binary @"$TMP/req.json"
expect "a variant follows its edited base" test "$STATUS|$(cat "$TMP/body")" = "200|$("$POL" eval "$D/regions/changchun_2025.pol" "$CASE" --format json 2>&1)"

# --- SIGTERM while a batch streams: the request in flight finishes, the server exits 0
awk -v n=200000 -f "$SRC/tests/batch/gen_cases.awk" >"$TMP/many.jsonl"
curl -s --max-time 120 -X POST --data-binary @"$TMP/many.jsonl" "http://127.0.0.1:$PORT$API/policies/jilin_2025/batch" >"$TMP/many.out" &
CURL=$!
# the signal must come while the batch streams: wait for its first result lines (not a fixed
# sleep, which on a slow machine can send it before the request has arrived)
wait_until 30 test -s "$TMP/many.out"
kill -TERM "$SPID"
wait "$CURL"
wait "$SPID"
rc=$?
expect "SIGTERM during a batch: exit 0 after it" test "$rc|$(wc -l <"$TMP/many.out")" = "0|200000"
expect "SIGTERM: the server says it stopped" grep -q . "$TMP/editor.err"

# --- the token, and another host
echo "0123456789abcdef0123" >"$TMP/token"
start token "$D" --token-file "$TMP/token"
req GET $API/policies
is "no token" 401 unauthorized
req GET $API/policies -H "Authorization: Bearer wrong-token-000000000"
is "a wrong token" 401 unauthorized
req GET $API/policies -H "Authorization: Bearer 0123456789abcdef0123"
is "the token" 200
kill -TERM "$SPID"
wait "$SPID"
check "--host other than 127.0.0.1 without a token" 2 "--token-file" serve "$D" --host 0.0.0.0 --port 0
start again "$D"
check "a second server on a port in use" 2 "cannot listen on 127.0.0.1:$PORT" serve "$D" --port "$PORT"
kill -TERM "$SPID"
wait "$SPID"

# --- a flood: past the queue, 429 (two threads held by idle connections, a queue of one)
start small "$D" --threads 2 --queue 1
# (The order of the connections is timing; on a loaded machine a try may see them differently.
# An idle connection holds its thread for the keep-alive timeout, 5 s: each try holds them for
# less, waiting a little longer each time for the server to have taken them.)
flood=$(python3 - "$PORT" <<'PY'
import socket, subprocess, sys, time
port = int(sys.argv[1])
url = f"http://127.0.0.1:{port}/api/v1/policies"
curl = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "30", url]
for attempt in range(5):
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]  # they hold both threads
    time.sleep(0.4 + 0.3 * attempt)
    queued = subprocess.Popen(curl, stdout=subprocess.PIPE, text=True)
    time.sleep(0.4 + 0.3 * attempt)
    shed = subprocess.run(curl, stdout=subprocess.PIPE, text=True).stdout
    for s in idle: s.close()
    result = f"{shed} {queued.communicate()[0]}"
    if result == "429 200": break
    time.sleep(6)  # the keep-alive timeout: every thread free again
print(result)
PY
)
expect "past the queue 429; the queued request served once threads are free" test "$flood" = "429 200"
[ "$flood" = "429 200" ] || echo "     got: $flood (shed, queued)"
kill -TERM "$SPID"
wait "$SPID"

# --- GET /policies/{name}/doc: the page of pol doc. The shipped folder itself is served
# (read-only), so that jilin_2025's source text lies where its header names it.
start doc "$SRC/policies"
for f in html markdown; do
  req GET "$API/policies/jilin_2025/doc?format=$f&lang=zh"
  (cd "$SRC/policies" && POL_LANG=zh "$POL" doc jilin_2025.pol --format "$f") >"$TMP/doc_want.$f" 2>"$TMP/doc_want.err"
  expect "doc $f: the page of pol doc --format $f" test "$STATUS|$(cmp "$TMP/body" "$TMP/doc_want.$f" && echo same)" = "200|same"
  cp "$TMP/body" "$TMP/doc_got.$f"
done
expect "doc html: the clause （五） of the source text" grep -q '（五）' "$TMP/doc_got.html"
req GET "$API/policies/jilin_2025/doc?format=html&lang=en"
(cd "$SRC/policies" && POL_LANG=en "$POL" doc jilin_2025.pol --format html) >"$TMP/doc_want_en.html"
expect "doc html ?lang=en: the page of pol doc in English" test "$STATUS|$(cmp "$TMP/body" "$TMP/doc_want_en.html" && echo same)" = "200|same"
req GET "$API/policies/jilin_2025/doc?format=pdf"
is "doc ?format=pdf: 400" 400 bad_value format
req GET "$API/policies/no_such_policy/doc?format=html"
is "doc of an unknown policy: 404" 404 unknown_policy name
kill -TERM "$SPID"
wait "$SPID"
# A source text that is missing: the error of pol doc, as JSON. One outside the served folder
# (which the file names and which exists) is not read for a request.
mkdir -p "$TMP/docout/served"
cp "$SRC/policies/mohrss_2003.pol" "$TMP/docout/served/"
cp "$SRC/policies/mohrss_2003.pol" "$TMP/docout/served/outside.pol"
sed -i -e 's#^policy mohrss_2003 #policy outside #' -e 's#source "texts/mohrss_2003_guidance.txt"#source "../guidance.txt"#' "$TMP/docout/served/outside.pol"
cp "$SRC/policies/texts/mohrss_2003_guidance.txt" "$TMP/docout/guidance.txt"
start docless "$TMP/docout/served"
req GET "$API/policies/mohrss_2003/doc"
is "doc without its source text: 404" 404 no_source_text name
want=$(cd "$TMP/docout/served" && "$POL" doc mohrss_2003.pol 2>&1 >/dev/null)
expect "doc without its source text: the message of pol doc" grep -qF "$(json 'b["error"]["message"]' | cut -c1-40)" <<<"$want"
expect "pol doc itself reads a source text outside the folder" bash -c "cd '$TMP/docout/served' && '$POL' doc outside.pol >/dev/null"
req GET "$API/policies/outside/doc"
is "doc with a source text outside the served folder: 404, not read" 404 no_source_text name
expect "doc outside: no word of that text in the answer" bash -c "! grep -q '灵活就业' '$TMP/body'"
# Nor is it read to check the quotations of a text sent to /check (W0507 would quote its closest
# passage): pol check on the same file, outside the server, does read it.
printf 'policy q "Q"\n  source "../guidance.txt"\n\nnote "（一）" "“灵活就业人员均须缴纳一万元”"\n' >"$TMP/docout/served/q.pol"
expect "pol check reads the outside text and warns W0507" bash -c "'$POL' check '$TMP/docout/served/q.pol' 2>&1 | grep -q W0507"
req POST $API/check -d "$(python3 -c 'import json,sys; print(json.dumps({"text": open(sys.argv[1]).read(), "path": "q.pol"}))' "$TMP/docout/served/q.pol")"
expect "/check of a file quoting a text outside the folder: 200, no W0507" test "$STATUS|$(grep -c W0507 "$TMP/body")" = "200|0"
kill -TERM "$SPID"
wait "$SPID"

# --- the OpenAPI file names every path exercised here
start api "$D"
req GET $API/openapi.json
is "GET /openapi.json" 200
# Every path and method documented is served (the unit test holds the router's table to the
# same file); an undocumented route fails there.
for pm in $(json '" ".join(m.upper() + "," + p for p, i in b["paths"].items() for m in i if m != "parameters")'); do
  p=${pm#*,}; p=${p//\{name\}/jilin_2025}; p=${p//\{path\}/jilin_2025.pol}
  STATUS=$(curl -s -o "$TMP/probe" -w '%{http_code}' --max-time 60 -X "${pm%%,*}" -d '{}' "http://127.0.0.1:$PORT$API$p")
  expect "OpenAPI ${pm%%,*} ${pm#*,} is served" test "$STATUS|$(grep -c 'no such path' "$TMP/probe")" != "404|1"
done
req GET $API/openapi.json
expect "OpenAPI: the same file as docs/openapi.json" cmp -s "$TMP/body" "$SRC/docs/openapi.json"
kill -TERM "$SPID"
wait "$SPID"

pol_test_summary
