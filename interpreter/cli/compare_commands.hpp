#pragma once
// The command lines of `pol diff` and `pol sweep` (cli/diff.cpp, cli/sweep.cpp).
#include <CLI/CLI.hpp>

#include "cli/common.hpp"
#include "compare/compare.hpp"

namespace pol::interp {

// Exit codes as the contract says: 0, 1 (rule files with errors), 2 (bad usage or input:
// CompareUsageError).
[[nodiscard]] int run_diff(const DiffArgs& a);

}  // namespace pol::interp

namespace pol::cli {

Registered add_diff(CLI::App& app);
Registered add_sweep(CLI::App& app);

}  // namespace pol::cli
