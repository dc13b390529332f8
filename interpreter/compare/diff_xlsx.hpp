#pragma once
// `pol diff --cases … --out report.xlsx`: the summary and the changed cases on two sheets.
#include <string>
#include <vector>

#include "compare/population.hpp"

namespace pol::interp {

// Writes the workbook to `path` (never one of `inputs`); throws CompareUsageError.
void write_diff_workbook(const checked::Policy& a, const checked::Policy& b, const Population& pop,
                         const std::string& path, const std::vector<std::string>& inputs);

}  // namespace pol::interp
