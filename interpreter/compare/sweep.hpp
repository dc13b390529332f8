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
  std::string legend;      // its words in the legend: the policy's title, the case, the output's label
  // The column head of the CSV, and data-series in the chart.
  [[nodiscard]] std::string column() const;
};

// A value as the CSV and the chart's data attributes write it: JSON's exact text, unquoted.
[[nodiscard]] std::string sweep_cell(const checked::Policy& p, const dsl::Type& t, Value v);
// The unit after an axis label, unless the label already names it ("月缴费额（元）").
[[nodiscard]] std::string unit_suffix(const std::string& label, const dsl::Type& t);

// What a sweep's chart and page say around the data.
struct SweepPage {
  std::string title;                    // "月缴费额、年缴费额随职工月平均工资（元）变化"
  std::string heading;                  // the HTML page's heading: the policies' titles too
  std::vector<std::string> caption;     // the decision date, the case facts, the range
  std::string xlabel;                   // the label of what varies, with its unit
  bool x_percent = false;
  std::vector<std::string> provenance;  // report/provenance.hpp's lines
};

// The chart: one panel per unit (元 and 年 never share an axis), a band of labelled segments
// for each output that is not a number, the legend from labels; as a standalone SVG file
// (with its title, caption and provenance) or, without them, for an HTML page that prints
// them itself.
[[nodiscard]] std::string sweep_svg(const SweepPage& page, const std::vector<Value>& xs,
                                    const std::vector<SweepSeries>& series, bool standalone);
// The HTML page: heading, caption, chart, the table of values and the provenance.
[[nodiscard]] std::string sweep_html(const SweepPage& page, const std::vector<Value>& xs,
                                     const std::vector<SweepSeries>& series);

}  // namespace pol::interp
