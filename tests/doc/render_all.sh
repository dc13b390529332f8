#!/usr/bin/env bash
# pol doc on every shipped rule file (policies/**/*.pol), in both formats and both languages:
# exit 0, a page that is not empty, every clause of a file that has a source text shown with
# what cites it (the figure line is there), and the HTML well-formed enough for xmllint --html.
# Also: --out writes the same page as standard output, and never over the rule file.
#
#   tests/doc/render_all.sh POL_BINARY SOURCE_DIR
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
pol_test_args 2 2 "POL_BINARY SOURCE_DIR" "$@"
pol_test_paths "$1" "$2"
pol_test_tmp doc
export SOURCE_DATE_EPOCH=1754006400
cd "$SRC" || exit 2

while read -r f; do
  rel=${f#"$SRC"/}
  for lang in zh en; do
    for format in markdown html; do
      name="pol doc $rel --format $format ($lang)"
      if ! POL_LANG=$lang timeout "$(limit 60)" "$POL" doc "$rel" --format "$format" >"$TMP/page" 2>"$TMP/err"; then
        fail "$name" "exit $?" "$(head -c 300 "$TMP/err")"
        continue
      fi
      if [ ! -s "$TMP/page" ] || [ -s "$TMP/err" ]; then
        fail "$name" "empty page or messages on standard error" "$(head -c 300 "$TMP/err")"
        continue
      fi
      # A file with a source text (its own or its base's) has the figure of clauses cited.
      if grep -qE '^\s+source "' "$f" "$(dirname "$f")/$(sed -n 's/^ *extends "\(.*\)"/\1/p' "$f" | head -1)" 2>/dev/null; then
        figure=$([ "$lang" = zh ] && echo '条有声明引用' || echo 'cited by declarations')
        if ! grep -qF "$figure" "$TMP/page"; then
          fail "$name" "no figure of clauses cited ('$figure')"
          continue
        fi
      fi
      if [ "$format" = html ] && ! xmllint --html --noout "$TMP/page" 2>"$TMP/lint"; then
        fail "$name" "xmllint --html:" "$(head -c 300 "$TMP/lint")"
        continue
      fi
      pass
    done
  done
done < <(shipped_policies)

# --out: the same bytes as standard output; never over an input.
"$POL" doc policies/mohrss_2003.pol >"$TMP/stdout.md" 2>/dev/null
"$POL" doc policies/mohrss_2003.pol --out "$TMP/out.md" 2>/dev/null
expect "--out writes what standard output shows" cmp -s "$TMP/stdout.md" "$TMP/out.md"
cp policies/mohrss_2003.pol "$TMP/copy.pol"
sed -i "s#source \"texts/#source \"$SRC/policies/texts/#" "$TMP/copy.pol"
check "--out over the rule file is refused" 2 "" doc "$TMP/copy.pol" --out "$TMP/copy.pol"
expect "the rule file is unchanged" grep -q "^policy mohrss_2003" "$TMP/copy.pol"
# A source text that cannot be read: exit 2, naming the file.
sed 's#source ".*"#source "no_such_text.txt"#' policies/mohrss_2003.pol >"$TMP/nosrc.pol"
check "an unreadable source text" 2 "no_such_text.txt" doc "$TMP/nosrc.pol"
check "an unknown format" 2 "" doc policies/jilin_2025.pol --format text

pol_test_summary
