#pragma once
// A population comparison: both policies evaluated on every case of one file, with how many
// cases and outputs differ and, per output, the distribution of the changes (B − A).
#include <climits>
#include <cstdint>
#include <functional>
#include <memory>
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
  // One case whose value went from `a` to `b`: counted, and its change tallied.
  void add_change(Value a, Value b);
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

// Programs (one per decision date) and their evaluators for one policy, made when first needed.
struct Evaluators {
  const checked::Policy& p;
  std::map<int, std::unique_ptr<Program>> progs;
  std::map<int, std::unique_ptr<Evaluator>> evs;
  Evaluator& at(std::optional<int> d) {
    int key = d.value_or(INT32_MIN);
    auto it = evs.find(key);
    if (it != evs.end()) return *it->second;
    progs[key] = std::make_unique<Program>(p, d);
    return *(evs[key] = std::make_unique<Evaluator>(*progs[key]));
  }
};

// The placeholder parameters in force in any program `evs` made (one per decision date the
// cases used): marks the outputs that depend on them and lists them in pop.unconfirmed.
void note_placeholders(const Evaluators& evs, bool side_b, Population& pop);

// One case computed under A (o1) and B (o2), outputs in pop.outputs' order: counted into pop,
// and listed when `listed`. applies(i): whether output i applies to the case on either side.
void tally_case(Population& pop, const checked::Policy& a, const checked::Policy& b, std::uint64_t line, std::string id,
                bool listed, const Outcome& o1, const Outcome& o2, const std::function<bool(std::size_t)>& applies);

// The median of the changes, exact.
[[nodiscard]] Value median_of(const NumStats& s);

// Evaluates A and B on every case of args.cases; lists up to args.show changed cases and ten
// cases that cannot be computed.
[[nodiscard]] Population run_population(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args,
                                        std::optional<int> at);

}  // namespace pol::interp
