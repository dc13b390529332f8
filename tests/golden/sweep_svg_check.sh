#!/usr/bin/env bash
# Checks a chart written by `pol sweep --svg` against the table written by `--csv`:
#   1. the SVG is well-formed XML (xmllint --noout, from Debian's libxml2-utils);
#   2. its data points — every <circle class="point"> with data-series, data-x and data-y — are
#      exactly the table's non-empty cells: one point per cell, same series (the column head
#      POLICY:OUTPUT), same x (the first column) and same value, as exact text.
#
#   tests/golden/sweep_svg_check.sh CHART.svg TABLE.csv
# Exit 0 when both hold; otherwise 1, with the differences.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
pol_test_args 2 2 "CHART.svg TABLE.csv" "$@"
svg=$1
csv=$2
if ! command -v xmllint >/dev/null 2>&1; then
  echo "xmllint not found: install the Debian package libxml2-utils (scripts/deps.sh does)" >&2
  exit 1
fi
if ! xmllint --noout "$svg"; then
  echo "$svg is not well-formed XML" >&2
  exit 1
fi
pol_test_tmp svgcheck

# The table's cells: series,x,value. The series columns lie between the x column and the last
# column (error); their cells never hold commas, so only the error column needs CSV quoting and
# it is ignored here.
awk -F, 'NR == 1 { n = NF - 1; for (i = 2; i <= n; i++) head[i] = $i; next }
         { for (i = 2; i <= n; i++) if ($i != "") print head[i] "," $1 "," $i }' "$csv" | sort >"$TMP/table"

# The chart's points, from the attributes of each point.
grep -o '<circle class="point"[^>]*>' "$svg" |
  sed -n 's/.* data-series="\([^"]*\)" data-x="\([^"]*\)" data-y="\([^"]*\)".*/\1,\2,\3/p' | sort >"$TMP/chart"

points=$(grep -c '<circle class="point"' "$svg")
if [ "$points" -ne "$(wc -l <"$TMP/chart")" ]; then
  echo "some points lack data-series, data-x or data-y" >&2
  exit 1
fi
if [ ! -s "$TMP/table" ]; then
  echo "the table has no values to chart" >&2
  exit 1
fi
if ! cmp -s "$TMP/table" "$TMP/chart"; then
  echo "chart points (+) differ from table cells (-):" >&2
  diff -u --label table --label chart "$TMP/table" "$TMP/chart" >&2
  exit 1
fi
echo "$points points match the table"
