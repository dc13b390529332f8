#!/usr/bin/env bash
# Runs each fuzz target with libFuzzer for MINUTES minutes (default 30), one after the other,
# growing the kept corpus; crashes land in tests/fuzz/crashes/<target>/ and are kept there as
# regression inputs. Usage: tests/fuzz/run.sh [MINUTES] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${1:-30}
shift || true
targets=("${@:-rule_file case}")
[ $# -eq 0 ] && targets=(rule_file case)
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DPOL_BUILD_FUZZ=ON -DPOL_BUILD_TESTS=OFF -DPOL_BUILD_BENCH=OFF >/dev/null
for t in "${targets[@]}"; do
  cmake --build build-fuzz --target "${t}_fuzz"
  mkdir -p "tests/fuzz/corpus/$t" "tests/fuzz/crashes/$t" build-fuzz/corpus-$t
  echo "== $t: $minutes minutes"
  build-fuzz/tests/fuzz/${t}_fuzz build-fuzz/corpus-$t "tests/fuzz/corpus/$t" \
    -dict=tests/fuzz/pol.dict -max_total_time=$((minutes * 60)) -max_len=8192 -timeout=10 \
    -artifact_prefix="tests/fuzz/crashes/$t/" -print_final_stats=1 2>&1 | tail -n 25 | tee "build-fuzz/$t.log"
  # Keep a minimal corpus in the repository.
  build-fuzz/tests/fuzz/${t}_fuzz -merge=1 "tests/fuzz/corpus/$t" build-fuzz/corpus-$t >/dev/null 2>&1 || true
done
