#pragma once
// The charts of a population comparison, as SVG to inline in the HTML report.
#include <string>

#include "compare/population.hpp"

namespace pol::interp {

// A bar chart of the number of changed cases per output.
[[nodiscard]] std::string changes_svg(const Population& pop);
// A histogram of the changes (B − A) of one numeric output: 20 bins from the smallest to the
// largest change, counted exactly from the distribution kept for the median; empty for an
// output that is not a number or never changed.
[[nodiscard]] std::string histogram_svg(const checked::Policy& a, const OutputStats& o);

}  // namespace pol::interp
