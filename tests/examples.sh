#!/usr/bin/env bash
# The shipped examples and policies under test:
# - every examples/<folder>/NN_*.json with a sibling NN_*.expected.json: pol eval POLICY CASE
#   --format json must print exactly the expected text; POLICY is named by the folder's manifest,
#   examples/<folder>/policy.txt (one line: the rule file's path relative to SOURCE_DIR);
# - every shipped policy: pol test --coverage passes with "coverage: 100%" and "0 failed".
#
#   tests/examples.sh POL_BINARY SOURCE_DIR
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pol_test_args 2 2 "POL_BINARY SOURCE_DIR" "$@"
pol_test_paths "$1" "$2"
pol_test_tmp examples

# policy_for FOLDER: the rule file examples/FOLDER/policy.txt names, or nothing when there is no
# manifest or it names no file.
policy_for() {
  local manifest="$SRC/examples/$1/policy.txt" policy=""
  [ -f "$manifest" ] && IFS= read -r policy <"$manifest"
  [ -n "$policy" ] && [ -f "$SRC/$policy" ] && echo "$policy"
}

# ---------------------------------------------------------------- examples
cd "$SRC" || exit 2
while IFS= read -r expected; do
  rel_expected=${expected#"$SRC"/}
  case_file=${rel_expected%.expected.json}.json
  folder=$(basename "$(dirname "$rel_expected")")
  policy=$(policy_for "$folder")
  if [ -z "$policy" ]; then
    fail "$rel_expected" "examples/$folder/policy.txt is missing or names no rule file (one line: the policy path)"
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
    pass
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
  grep -Eq '^coverage: (100%|no rules of its own to cover .*)$' "$TMP/out" || problems+=("coverage is not 100% (nor a variant with no rules of its own)")
  last=$(tail -n 1 "$TMP/out")
  [[ $last == *" passed, 0 failed" ]] || problems+=("last line is '$last', not 'N passed, 0 failed'")
  case $last in
    "0 passed, 0 failed") problems+=("it has no tests") ;;
  esac
  if [ ${#problems[@]} -eq 0 ]; then
    pass
  else
    fail "pol test --coverage $rel" "${problems[@]}"
    grep -v '^ok ' "$TMP/out" | sed 's/^/     | /'
  fi
done < <(shipped_policies)

pol_test_summary
