#!/usr/bin/env bash
# Runs the fuzz targets with libFuzzer for MINUTES minutes each (default 30), growing the kept
# corpus; crashes land in tests/fuzz/crashes/<target>/ and are kept there as regression inputs.
#
#   tests/fuzz/run.sh [MINUTES] [TARGET...]        TARGET: rule_file, case, request, xlsx, sheet
#                                                  (default: rule_file, case, request)
#
# The targets are built first (clang with libFuzzer, into build-fuzz/), then run side by side
# under `nice -n 19`, each with its full log in build-fuzz/<target>.log. The working corpus is
# build-fuzz/corpus-<target>; at the end its small inputs that reach new code are added to
# tests/fuzz/corpus/<target>/, and the final statistics are printed (see docs/fuzzing.md). Set POL_FUZZ_SEQUENTIAL=1 to run one target after the other.
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(rule_file case request)

cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DPOL_BUILD_FUZZ=ON -DPOL_BUILD_TESTS=OFF -DPOL_BUILD_BENCH=OFF >/dev/null
for t in "${targets[@]}"; do
  cmake --build build-fuzz -j1 --target "${t}_fuzz"
done

fuzz_one() {
  local t=$1
  mkdir -p "tests/fuzz/corpus/$t" "tests/fuzz/crashes/$t" "build-fuzz/corpus-$t" "build-fuzz/artifacts-$t"
  local dict=tests/fuzz/pol.dict  # the language's words; a target may have its own
  [ -f "tests/fuzz/$t.dict" ] && dict="tests/fuzz/$t.dict"
  echo "== $t: $minutes minutes, log in build-fuzz/$t.log"
  # -fork is not used: one process per target keeps the statistics in one place.
  nice -n 19 "build-fuzz/tests/fuzz/${t}_fuzz" "build-fuzz/corpus-$t" "tests/fuzz/corpus/$t" \
    -dict="$dict" -max_total_time=$((minutes * 60)) -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="build-fuzz/artifacts-$t/" \
    -print_final_stats=1 >"build-fuzz/$t.log" 2>&1 || true
  # Every crash, timeout and out-of-memory input is kept as a regression input.
  for a in "build-fuzz/artifacts-$t"/*; do
    [ -e "$a" ] && cp -n "$a" "tests/fuzz/crashes/$t/"
  done
  # Keep the corpus in the repository small: of the new inputs of at most 1 KB, only those that
  # reach code (edges) the kept corpus does not reach are added (hit counts are not counted).
  rm -rf "build-fuzz/small-$t" && mkdir -p "build-fuzz/small-$t"
  find "build-fuzz/corpus-$t" -type f -size -1025c -exec cp {} "build-fuzz/small-$t/" \;
  nice -n 19 "build-fuzz/tests/fuzz/${t}_fuzz" -merge=1 -use_counters=0 -timeout=10 \
    "tests/fuzz/corpus/$t" "build-fuzz/small-$t" >"build-fuzz/$t.merge.log" 2>&1 || true
  tail -n 1 "build-fuzz/$t.merge.log"
  echo "== $t: final statistics"
  grep -E '^(#[0-9]+|stat::|Done )' "build-fuzz/$t.log" | tail -n 12 || true
}

if [ "${POL_FUZZ_SEQUENTIAL:-0}" = 1 ]; then
  for t in "${targets[@]}"; do fuzz_one "$t"; done
else
  for t in "${targets[@]}"; do fuzz_one "$t" & done
  wait
fi
