#pragma once
// The command lines of `pol readings` (cli/readings.cpp) and `pol doc` (cli/doc.cpp).
#include <CLI/CLI.hpp>

#include "cli/common.hpp"

namespace pol::cli {

Registered add_readings(CLI::App& app);
Registered add_doc(CLI::App& app);

}  // namespace pol::cli
