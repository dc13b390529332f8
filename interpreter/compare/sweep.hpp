#pragma once
// pol sweep's series and chart (sweep.cpp evaluates, sweep_chart.cpp draws).
#include <optional>
#include <string>
#include <vector>

#include "eval/evaluator.hpp"

namespace pol::interp {

// One line of the chart: an output of one policy for one case, at every x.
struct SweepSeries {
  std::string policy, output, label;
  dsl::Type type;
  const checked::Policy* p;
  std::vector<std::optional<Value>> ys;
  std::string case_label;  // with several --case: the case's id (or its file name)
  // The column head of the CSV, and data-series in the chart.
  [[nodiscard]] std::string column() const;
};

// A value as the CSV and the chart's data attributes write it: JSON's exact text, unquoted.
[[nodiscard]] std::string sweep_cell(const checked::Policy& p, const dsl::Type& t, Value v);
// The unit after an axis label, unless the label already names it ("月缴费额（元）").
[[nodiscard]] std::string unit_suffix(const std::string& label, const dsl::Type& t);

// The line chart, a standalone SVG file: x is `xname` (labelled `xlabel`) over `xs`.
[[nodiscard]] std::string sweep_svg(const std::string& xname, const std::string& xlabel, bool x_percent,
                                    const std::vector<Value>& xs, const std::vector<SweepSeries>& series);

}  // namespace pol::interp
