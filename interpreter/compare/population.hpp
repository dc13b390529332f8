#pragma once
// A population comparison: both policies evaluated on every case of one file, with how many
// cases and outputs differ and, per output, the distribution of the changes (B − A).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compare/compare.hpp"
#include "compare/outputs.hpp"

namespace pol::interp {

// Memory grows with the number of distinct changes (one counter per distinct amount), never
// with the number of cases: the median stays exact.
struct NumStats {
  std::map<Value, std::uint64_t> deltas;
  Value total;
};

struct OutputStats {
  OutputPair pair;
  std::string name, label;
  dsl::Type ta, tb;
  std::uint64_t changed = 0;
  bool placeholder = false;  // depends, under A or B, on a placeholder parameter in force
  // Cases whose value changed but to whom the output applies on neither side (`applies when`):
  // left out of `changed`, the total and the median.
  std::uint64_t not_applicable = 0;
  NumStats num;
  std::map<std::pair<Value, Value>, std::uint64_t> transitions;
};

struct OutputChange {
  std::size_t output;  // index into Population::outputs
  Value a, b;
};

struct ChangedCase {
  std::uint64_t line;
  std::string id;
  std::vector<OutputChange> diffs;
};

// A placeholder parameter in force for some case, under A, B or both (the same value and
// source), with the outputs compared that depend on it.
struct PopulationPlaceholder {
  std::string sides;  // "A", "B" or "A、B"
  std::string name, label, text, source;
  std::vector<std::string> outputs;
};

struct Population {
  std::uint64_t cases = 0, errors_a = 0, errors_b = 0, changed_cases = 0;
  std::vector<OutputStats> outputs;
  std::vector<ChangedCase> examples;
  std::vector<std::string> error_examples;
  std::vector<PopulationPlaceholder> unconfirmed;
};

// The median of the changes, exact.
[[nodiscard]] Value median_of(const NumStats& s);

// Evaluates A and B on every case of args.cases; lists up to args.show changed cases and ten
// cases that cannot be computed.
[[nodiscard]] Population run_population(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args,
                                        std::optional<int> at);

}  // namespace pol::interp
