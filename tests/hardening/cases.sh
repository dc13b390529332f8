#!/usr/bin/env bash
# Case input that lies about its shape, and case files that are not ordinary files, in pol
# batch, pol diff --cases and pol eval/explain (docs/limits.md, "Case files and streams"):
# each has a defined result, an error line or exit 2 with a message, never a silent loss.
#   cases.sh POL_BINARY SOURCE_DIR
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
pol_test_args 2 2 "POL_BINARY SOURCE_DIR" "$@"
pol_test_paths "$1" "$2"
pol_test_tmp cases
cd "$TMP" || exit 2
P="$SRC/policies/jilin_2025.pol"
AT=(--at 2025-08-01)
GOOD='{"id":"g","worker_type":"part_time","gender":"male","total_years":10}'

# run NAME EXPECTED_RC CMD...: runs CMD (stdout to out.txt, stderr to err.txt), checks the exit.
run() {
  local name=$1 want=$2
  shift 2
  timeout "$(limit 60)" "$@" >out.txt 2>err.txt
  RC=$?
  if [ "$RC" -eq "$want" ]; then pass; else fail "$name: exit $RC, expected $want" "$(head -c 300 err.txt)"; fi
}
# has NAME FILE TEXT: FILE contains TEXT (fixed string).
has() {
  if grep -qF -- "$3" "$2"; then pass; else fail "$1: no '$3' in $2" "$(head -c 400 "$2")"; fi
}

# ---- JSON Lines: text after the object
printf '%s{"id":"b"}\n%s}\n%s,{}\n%s\n' "$GOOD" "$GOOD" "$GOOD" "$GOOD" >glued.jsonl
for jobs in 1 2; do
  run "glued JSON Lines (--jobs $jobs)" 0 "$POL" batch "$P" glued.jsonl "${AT[@]}" --jobs $jobs --output eligible
  has "glued objects" out.txt '{"line":1,"id":"g","error":{"kind":"trailing_content","message":"text after the JSON object at column 70: '"'"'{\"id\":\"b\"}'"'"
  has "a stray }" out.txt '{"line":2,"id":"g","error":{"kind":"trailing_content"'
  has "a stray ,{}" out.txt '"line":3,"id":"g","error":{"kind":"trailing_content","message":"text after the JSON object at column 70: '"'"',{}'"'"
  has "the good line" out.txt '{"line":4,"id":"g","outputs":{"eligible":'
  has "the summary counts them" err.txt '4 cases, 3 errors (trailing_content: 3)'
done
run "diff --cases with glued objects" 0 "$POL" diff "$P" "$P" --cases glued.jsonl "${AT[@]}" --format json
has "diff --cases reports the lines that cannot be read" out.txt '"errors_a":3'
has "diff --cases names the trailing text" out.txt "text after the JSON object at column 70"
printf '%s\n{"id":"b"}\n' "$GOOD" >two.json
run "eval: two objects in a case file" 2 "$POL" eval "$P" two.json "${AT[@]}"
has "eval: the second object is named" err.txt "two.json: text after the JSON object at line 2, column 1: '{\"id\":\"b\"}'"
run "explain: a stray } in a case file" 2 "$POL" explain "$P" /dev/stdin "${AT[@]}" < <(printf '%s}' "$GOOD")
printf '%s}' "$GOOD" >stray.json
run "explain: a stray } in a case file" 2 "$POL" explain "$P" stray.json "${AT[@]}"
has "explain: trailing text" err.txt "text after the JSON object at column 70: '}'"

# ---- CSV headers that lie
check_header() {  # NAME HEADER_BYTES EXPECTED_MESSAGE [EXT]
  printf "$2" >"h.${4:-csv}"
  run "CSV header: $1" 2 "$POL" batch "$P" "h.${4:-csv}" "${AT[@]}"
  has "CSV header: $1" err.txt "$3"
}
check_header "a column named twice" 'id,gender,total_years,gender\nx,male,1,male\n' \
  "column 'gender' appears twice in the CSV header, as columns 2 and 4"
check_header "id twice" 'id,gender,id\nx,male,y\n' "column 'id' appears twice in the CSV header, as columns 1 and 3"
check_header "as_of twice" 'as_of,id,as_of\n2025-01-01,x,2025-01-01\n' "column 'as_of' appears twice in the CSV header, as columns 1 and 3"
check_header "a trailing empty cell" 'id,gender,\nx,male,\n' "column 3 of the CSV header has no name: the header ends with a comma"
# UTF-16 with a byte-order mark is read (converted by iconv; tests/sheets/run.sh); without one
# it cannot be told from other bytes and stays an error.
check_header "UTF-16 without BOM" 'i\x00d\x00\n\x00' "the file is UTF-16 text (a NUL byte"
check_header "NUL bytes" 'id,gen\x00der\n' "the CSV header holds NUL bytes"
check_header "CR-only line ends" 'id,gender\rx,male\r' "carriage return (CR) without a line feed at column 10: the file has CR-only line ends"
if grep -q $'\r' err.txt; then fail "a CR is echoed raw"; else pass; fi
printf 'id,worker_type,gender,total_years\nx,part_time,male,10\n' >upper.CSV
run ".CSV in capitals is CSV" 0 "$POL" batch "$P" upper.CSV "${AT[@]}" --output eligible
has ".CSV in capitals is CSV" out.txt '{"line":2,"id":"x","outputs":{"eligible":'
printf '\xff\xfe{\x00}\x00\n\x00' >u16.jsonl
run "UTF-16 JSON Lines" 2 "$POL" batch "$P" u16.jsonl "${AT[@]}"
has "UTF-16 JSON Lines" err.txt "the file is UTF-16 text"

# ---- CSV: a quoted field holding a line end is one field; the output keeps one line a record
printf 'id,worker_type,gender,total_years\n"a\nb",part_time,male,10\n"c, ""d""",part_time,male,10\ne,"part\n_time",male,10\nf,part_time,male,10\n' >quoted.csv
for fmt in json csv; do
  run "quoted line ends ($fmt)" 0 "$POL" batch "$P" quoted.csv "${AT[@]}" --output eligible --format $fmt
  lines=$(wc -l <out.txt)
  want=4; [ $fmt = csv ] && want=5
  if [ "$lines" -eq $want ]; then pass; else fail "quoted line ends ($fmt): $lines output lines, expected $want" "$(cat out.txt)"; fi
  has "quoted line ends ($fmt)" err.txt "4 cases, 1 errors"
done
run "quoted line ends" 0 "$POL" batch "$P" quoted.csv "${AT[@]}" --output eligible
has "a record's line is its first line" out.txt '{"line":2,"id":"a\u000ab","outputs":{"eligible":'
has "doubled quotes" out.txt '{"line":4,"id":"c, \"d\"","outputs"'
has "a quoted line end in a value" out.txt '{"line":5,"id":"e","error":{"kind":"wrong_type","field":"worker_type"'
has "the line after" out.txt '{"line":7,"id":"f","outputs":{"eligible":'
printf 'id,worker_type,gender,total_years\nx,"part_time,male,10\ny,part_time,male,10\n' >unclosed.csv
run "an unclosed quote" 0 "$POL" batch "$P" unclosed.csv "${AT[@]}" --output eligible
has "an unclosed quote is an error for its line" out.txt '{"line":2,"error":{"kind":"invalid_csv","message":"unbalanced quote in this row'
has "the lines after it are read" out.txt '{"line":3,"id":"y","outputs":{"eligible":'

# ---- --line-offset
for bad in -1 9223372036854775808 99999999999999999999 1e3 ''; do
  run "--line-offset '$bad'" 2 "$POL" batch "$P" glued.jsonl --line-offset "$bad"
  has "--line-offset '$bad'" err.txt "--line-offset '$bad': expected a whole number of lines from 0 to 9223372036854775807"
done
printf '%s\n' "$GOOD" >one.jsonl
run "--line-offset at its maximum" 0 "$POL" batch "$P" one.jsonl --line-offset 9223372036854775807 "${AT[@]}" --output eligible
has "--line-offset at its maximum" out.txt '{"line":9223372036854775808,'

# ---- case files that are not ordinary files
mkdir adir
ln -s loop_b loop_a
ln -s loop_a loop_b
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$TMP/sock" 2>/dev/null
for f in adir /dev/zero /dev/urandom loop_a sock ''; do
  [ "$f" = sock ] && [ ! -S sock ] && continue
  case "$f" in
    adir) msg="'adir' is a directory" ;; /dev/*) msg="'$f' is a character device, not a" ;;
    loop_a) msg="a symbolic link loop" ;; sock) msg="'sock' is a socket" ;; '') msg="the path is empty" ;;
  esac
  run "batch on '$f'" 2 "$POL" batch "$P" "$f" "${AT[@]}"
  has "batch on '$f'" err.txt "$msg"
  run "eval on '$f'" 2 "$POL" eval "$P" "$f" "${AT[@]}"
  has "eval on '$f'" err.txt "$msg"
  run "explain on '$f'" 2 "$POL" explain "$P" "$f" "${AT[@]}"
done
mkfifo fifo
(printf '%s\n' "$GOOD" >fifo) &
run "a FIFO streams (batch)" 0 "$POL" batch "$P" fifo "${AT[@]}" --output eligible
has "a FIFO streams (batch)" out.txt '{"line":1,"id":"g","outputs":{"eligible":'
wait
(printf '%s\n' "$GOOD" >fifo) &
run "a FIFO streams (eval)" 0 "$POL" eval "$P" fifo "${AT[@]}" --output eligible
wait
printf '%s\n' "$GOOD" | run "standard input (batch -)" 0 "$POL" batch "$P" - "${AT[@]}" --output eligible

# ---- a line over the limit: an error line, the next line read; bounded memory from a FIFO
head -c 17000000 /dev/zero | tr '\0' 'a' >long.bin
{ cat long.bin; echo; printf '%s\n' "$GOOD"; } >long.jsonl
run "an overlong line (file)" 0 "$POL" batch "$P" long.jsonl "${AT[@]}" --output eligible
has "an overlong line (file)" out.txt '{"line":1,"error":{"kind":"line_too_long"'
has "the line after an overlong one" out.txt '{"line":2,"id":"g","outputs":{"eligible":'
(head -c 300000000 /dev/zero >fifo) &
if [ -x /usr/bin/time ]; then
  run "an endless line from a FIFO" 0 /usr/bin/time -f 'maxrss %M' "$POL" batch "$P" fifo "${AT[@]}" --jobs 2
  rss=$(sed -n 's/^maxrss //p' err.txt)
  if [ -n "$rss" ] && [ "$rss" -lt "$(memory_limit_kb 200000)" ]; then pass; else fail "an endless line from a FIFO: peak memory ${rss:-?} KB"; fi
else
  run "an endless line from a FIFO" 0 "$POL" batch "$P" fifo "${AT[@]}" --jobs 2
fi
wait
has "an endless line from a FIFO" out.txt '{"line":1,"error":{"kind":"line_too_long"'
{ cat long.bin; } >long.json
run "eval: a case file over the limit" 2 "$POL" eval "$P" long.json "${AT[@]}"
has "eval: a case file over the limit" err.txt "the case file is larger than 16777216 bytes"

# ---- outputs that are inputs, --out -, no half-written file
printf '%s\n%s\n' "$GOOD" "$GOOD" >in.jsonl
cp in.jsonl in.orig
cp "$P" rules.pol
cp -r "$SRC/policies/national" .  # the file rules.pol uses
run "--out the cases file" 2 "$POL" batch rules.pol in.jsonl --out in.jsonl "${AT[@]}"
has "--out the cases file" err.txt "the output 'in.jsonl' is the input 'in.jsonl': refusing to overwrite an input"
expect "--out the cases file: the input is intact" cmp -s in.jsonl in.orig
ln -s in.jsonl alias.jsonl
run "--out a link to the cases file" 2 "$POL" batch rules.pol in.jsonl --out alias.jsonl "${AT[@]}"
expect "--out a link to the cases file: the input is intact" cmp -s in.jsonl in.orig
run "--out the rule file" 2 "$POL" batch rules.pol in.jsonl --out rules.pol "${AT[@]}"
expect "--out the rule file: the policy is intact" cmp -s rules.pol "$P"
printf 'policy child "child" extends "rules.pol"\n' >child.pol
if "$POL" check child.pol >/dev/null 2>&1; then
  run "--out a file the policy extends" 2 "$POL" batch child.pol in.jsonl --out rules.pol "${AT[@]}"
  expect "--out a file the policy extends: intact" cmp -s rules.pol "$P"
fi
run "--out standard input's file" 2 "$POL" batch rules.pol - --out in.jsonl "${AT[@]}" <in.jsonl
expect "--out standard input's file: intact" cmp -s in.jsonl in.orig
run "--out -" 0 "$POL" batch rules.pol in.jsonl --out - "${AT[@]}" --output eligible
has "--out - is standard output" out.txt '{"line":2,"id":"g","outputs":{"eligible":'
if [ -e ./- ]; then fail "--out - wrote a file named -"; else pass; fi
run "--out a file" 0 "$POL" batch rules.pol in.jsonl --out result.jsonl "${AT[@]}"
expect "--out a file: written whole" [ "$(wc -l <result.jsonl)" -eq 2 ]
echo 'old result' >kept.jsonl
run "--out with a failed read" 2 "$POL" batch rules.pol adir --out kept.jsonl "${AT[@]}"
expect "a failed run leaves the old file" grep -q 'old result' kept.jsonl
if ls -a | grep -q '\.pol-'; then fail "a temporary file was left behind" "$(ls -a)"; else pass; fi

# ---- slow input: each result leaves promptly (standard output streams)
has_a_line() { [ "$(wc -l <"$1")" -ge 1 ]; }
# (The writer holds its second line back until the test has looked: the first result must
# come out while the input is still open, however slow the machine.)
for jobs in 1 2; do
  rm -f go; : >slow.out
  ( printf '%s\n' "$GOOD"; wait_until 20 test -e go; printf '%s\n' "$GOOD" ) >fifo &
  writer=$!
  "$POL" batch "$P" fifo "${AT[@]}" --output eligible --jobs $jobs >slow.out 2>/dev/null &
  reader=$!
  wait_until 20 has_a_line slow.out
  got=$(wc -l <slow.out)
  if [ "$got" -eq 1 ]; then pass; else
    fail "slow input (--jobs $jobs): $got lines while the writer holds its second line (expected 1)"
  fi
  touch go
  wait $writer $reader
  expect "slow input (--jobs $jobs): both lines at the end" [ "$(wc -l <slow.out)" -eq 2 ]
done

pol_test_summary
