#pragma once
// The command lines of `pol diff` and `pol sweep` (cli/diff.cpp, cli/sweep.cpp).
#include <CLI/CLI.hpp>

#include "compare/compare.hpp"

namespace pol::interp {

void add_diff_options(CLI::App* cmd, DiffArgs& a);
void add_sweep_options(CLI::App* cmd, SweepArgs& a);
// Exit codes as the contract says: 0, 1 (rule files with errors), 2 (bad usage or input:
// CompareUsageError).
[[nodiscard]] int run_diff(const DiffArgs& a);

}  // namespace pol::interp
