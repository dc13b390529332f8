#!/usr/bin/env bash
# The shipped examples and policies under test:
# - every examples/<folder>/NN_*.json with a sibling NN_*.expected.json: pol eval POLICY CASE
#   --format json must print exactly the expected text (the policy is chosen by the folder);
# - every shipped policy: pol test --coverage passes with "coverage: 100%" and "0 failed".
#
#   tests/examples.sh POL_BINARY SOURCE_DIR
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 POL_BINARY SOURCE_DIR" >&2
  exit 2
fi
POL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pol_examples.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C.UTF-8

passed=0
failed=0

fail() {
  echo "FAIL $1"
  shift
  for line in "$@"; do echo "     $line"; done
  failed=$((failed + 1))
}

policy_for() {
  case "$1" in
    jilin) echo policies/jilin_2025.pol ;;
    mohrss_2003) echo policies/mohrss_2003.pol ;;
    zhejiang_2003) echo policies/regions/zhejiang_2003.pol ;;
    *) echo "" ;;
  esac
}

# ---------------------------------------------------------------- examples
cd "$SRC" || exit 2
while IFS= read -r expected; do
  rel_expected=${expected#"$SRC"/}
  case_file=${rel_expected%.expected.json}.json
  folder=$(basename "$(dirname "$rel_expected")")
  policy=$(policy_for "$folder")
  if [ -z "$policy" ]; then
    fail "$rel_expected" "no policy is known for examples/$folder (add it to policy_for in tests/examples.sh)"
    continue
  fi
  if [ ! -f "$case_file" ]; then
    fail "$rel_expected" "no case file $case_file next to it"
    continue
  fi
  "$POL" eval "$policy" "$case_file" --format json >"$TMP/actual" 2>"$TMP/stderr"
  rc=$?
  if [ $rc -ne 0 ]; then
    fail "$case_file" "pol eval $policy $case_file --format json exited $rc:"
    sed 's/^/     | /' "$TMP/stderr"
    continue
  fi
  if cmp -s "$expected" "$TMP/actual"; then
    passed=$((passed + 1))
  else
    fail "$case_file" "pol eval $policy $case_file --format json differs from $rel_expected:"
    diff -u --label expected --label actual "$expected" "$TMP/actual" | sed 's/^/     /'
  fi
done < <(find "$SRC/examples" -name '[0-9][0-9]_*.expected.json' | LC_ALL=C sort)

# ---------------------------------------------------------------- policies
while IFS= read -r f; do
  rel=${f#"$SRC"/}
  "$POL" test --coverage "$rel" >"$TMP/out" 2>&1
  rc=$?
  problems=()
  [ $rc -eq 0 ] || problems+=("exited $rc")
  grep -q '^coverage: 100%$' "$TMP/out" || problems+=("coverage is not 100%")
  last=$(tail -n 1 "$TMP/out")
  [[ $last == *" passed, 0 failed" ]] || problems+=("last line is '$last', not 'N passed, 0 failed'")
  case $last in
    "0 passed, 0 failed") problems+=("it has no tests") ;;
  esac
  if [ ${#problems[@]} -eq 0 ]; then
    passed=$((passed + 1))
  else
    fail "pol test --coverage $rel" "${problems[@]}"
    grep -v '^ok ' "$TMP/out" | sed 's/^/     | /'
  fi
done < <(find "$SRC/policies" -name '*.pol' | LC_ALL=C sort)

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
