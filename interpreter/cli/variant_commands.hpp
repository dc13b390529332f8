#pragma once
// The command lines of `pol new` (cli/new.cpp) and `pol compare` (cli/compare.cpp).
#include <CLI/CLI.hpp>

#include "cli/common.hpp"

namespace pol::cli {

Registered add_new(CLI::App& app);
Registered add_compare(CLI::App& app);

}  // namespace pol::cli
