#pragma once
// Comparing policies: `pol diff` (static, over a population of cases, one case side by side,
// and the report of search/'s disagreement finder) and `pol sweep`. Everything is built on
// checked policies and the one evaluator. The files of this folder, by job:
//   static_diff.cpp, same.cpp      declarations and rules compared by structure
//   outputs.cpp                    the outputs two policies share
//   case_pairs.cpp, population.cpp one cases file read for both; outcomes and statistics
//   side_by_side.cpp               one case explained under both, in two columns
//   diff_report.cpp, charts.cpp,   the reports (through report/'s document, JSON and SVG)
//   case_reports.cpp
//   sweep.cpp, sweep_chart.cpp     pol sweep and its chart
//
// The static diff compares declarations by name and rules by structure (their checked
// expression trees, node by node, with inputs, parameters, rules and enum values matched by
// name), so reformatting shows no difference; each change lists the outputs that can be
// affected, read off the dependency graph of the checked program.
#include <optional>
#include <string>
#include <vector>

#include "eval/evaluator.hpp"

namespace pol::interp {

struct CompareUsageError {
  std::string message;
};

// Checks the rule file at `path` for any command: a file that cannot be read throws
// CompareUsageError (exit 2); a file with errors prints them (and its warnings too with
// `show_warnings`) and a line saying to fix them, and gives nullopt (exit 1).
[[nodiscard]] std::optional<checked::Policy> load_policy(const std::string& path, bool show_warnings = false);

// --at of every command: nullopt when not given; not a date throws CompareUsageError.
[[nodiscard]] std::optional<int> parse_at_date(const std::string& at);

struct DiffArgs {
  std::string a, b, cases, format, at, explain_case;
  std::string encoding, sheet, out;  // the cases' encoding (CSV) or sheet (.xlsx); --out FILE
  std::vector<std::string> outputs;
  std::vector<std::string> readings, readings_a, readings_b;  // --reading ID=ALT (both sides), --reading-a, --reading-b
  bool find_disagreement = false;
  int show = 20;
};

struct SweepArgs {
  std::vector<std::string> policies;
  std::string vary, csv, svg, html, at, format;
  std::vector<std::string> case_paths, outputs, sets;
  std::vector<std::string> readings;  // --reading ID=ALT, for every policy that has ambiguity ID
};

// `pol sweep`: 0, or 1 when a rule file has errors; bad usage or input throws
// CompareUsageError (exit 2).
[[nodiscard]] int run_sweep(const SweepArgs& a);

// One declaration-level difference between two policies.
struct Change {
  std::string kind;    // "param", "input", "rule", "output", "enum", "reading"
  std::string what;    // "added", "removed", "changed", "source_changed" (same values), "only_in_a", "only_in_b"
  std::string name, label;
  std::string before, after;            // readable descriptions (Chinese), empty when absent
  std::string before_json, after_json;  // the same as JSON values ("null" when absent)
  std::vector<std::string> affects;     // outputs that can change
};

[[nodiscard]] std::vector<Change> static_diff(const checked::Policy& a, const checked::Policy& b, std::optional<int> date);

// Whether one file is based on the other, or both on the same base.
[[nodiscard]] bool related(const checked::Policy& a, const checked::Policy& b);

}  // namespace pol::interp
