#pragma once
// `pol compare FILE...`: several rule files side by side, the first the base the others are
// compared with: the parameters in force (or every dated value), the outputs for single cases,
// and, over a cases file, a population summary per file (reusing population.cpp's statistics,
// the cases parsed once per kind of input list: case_pairs.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "compare/compare.hpp"
#include "compare/population.hpp"
#include "report/provenance.hpp"

namespace pol::interp {

struct CompareArgs {
  std::vector<std::string> files, case_paths, outputs;
  std::string cases, at, format, chart;
};

struct MatrixCell {
  bool present = false, differs = false, placeholder = false;
  std::string text;
};

struct MatrixRow {
  std::string name, label;
  std::vector<MatrixCell> cells;  // one per file
};

struct OutputCell {
  bool ok = false, differs = false, placeholder = false;
  std::optional<Value> value, diff;  // diff: from the base, numbers only
  std::string text, diff_text;
};

struct CaseRow {
  std::string name, label;
  std::vector<OutputCell> cells;
};

struct CaseColumns {
  std::string path;
  std::vector<std::string> errors;  // per file: why the case cannot be computed, or empty
  std::vector<CaseRow> rows;
};

// One output over the population under one file.
struct OutputSummary {
  bool numeric = false;
  bool rate = false;            // a rate: no totals (a sum of rates means nothing)
  Value total;                  // of the values, over the cases every file computed
  std::uint64_t changed = 0;    // cases whose value differs from the base's
  Value change_total, median, largest;  // of the changes (numbers)
};

struct FileSummary {
  std::uint64_t errors = 0;
  std::vector<OutputSummary> outputs;
};

struct MultiPopulation {
  std::uint64_t cases = 0, counted = 0;  // counted: computed under every file
  std::size_t readers = 0;               // case readers that parsed each line
  std::vector<FileSummary> files;
  std::size_t rank_output = 0;           // index into Comparison::outputs
  std::vector<std::size_t> ranking;      // files by the total of rank_output, largest first (none for a rate)
  std::vector<std::string> error_examples;
};

struct Comparison {
  std::vector<const checked::Policy*> policies;
  std::vector<std::string> paths;
  std::optional<int> at;
  std::vector<std::uint32_t> outputs;         // rule indices in the base
  std::vector<std::vector<std::uint32_t>> rules;  // per file, the rule of each output
  std::vector<MatrixRow> matrix;
  std::vector<CaseColumns> cases;
  std::optional<MultiPopulation> population;
  std::size_t chart_output = 0;  // the output the HTML chart shows (and the ranking uses)
  bool chart_given = false;      // chosen with --chart
};

// Builds everything but the population; `cases[k][i]` is case k as file i reads it (or an
// error message in `case_errors[k][i]`). Throws CompareUsageError for an unknown --output or
// --chart, or files sharing no output.
[[nodiscard]] Comparison compare_files(const std::vector<const checked::Policy*>& policies, const CompareArgs& args,
                                       const std::vector<std::vector<std::optional<Case>>>& cases,
                                       const std::vector<std::vector<std::string>>& case_errors);

// Every file evaluated on every case of `path`; each summary compares with the base (file 0).
[[nodiscard]] MultiPopulation compare_population(const Comparison& c, const std::string& path);

// text, markdown, html (with a chart of one output across the files), json, csv.
[[nodiscard]] std::string render_comparison(const Comparison& c, const std::string& format, const Provenance& prov);

}  // namespace pol::interp
