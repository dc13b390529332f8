#pragma once
// Searching the space of cases: the values worth trying for each input (the thresholds the
// rules compare it with) and the disagreement finder, which looks for small cases on which two
// policies give different outputs. Every search returns data; rendering is the caller's
// (compare/case_reports.cpp renders the disagreement finder's result for `pol diff`).
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cases/case.hpp"
#include "compare/outputs.hpp"
#include "eval/evaluator.hpp"

namespace pol::interp {

// For each input (by name), the values it is compared with.
using Thresholds = std::map<std::string, std::set<Value>>;

// Adds to `out` the thresholds each numeric input is compared with in `p`: every comparison
// whose one side is the input and the other side depends on no input (folded on the decision
// date of `prog`).
void collect_thresholds(const checked::Policy& p, const Program& prog, Thresholds& out);

// An input both policies declare: its slot in A and in B.
struct SharedInput {
  std::size_t a, b;
};

// One output that differs on a candidate case: the index into DisagreementSearch::outputs and
// the value under each side.
struct OutputDifference {
  std::size_t output;
  Value a, b;
};

// A case on which the two policies disagree.
struct CandidateCase {
  std::size_t changes = 0;  // how many shared inputs differ from the starting case
  Case a, b;                // the case as each side reads it (enum values matched by name)
  // The inputs (A's slots) the case gives a value other than their default, in A's order.
  std::vector<std::pair<std::size_t, Value>> given;
  Outcome outcome_a, outcome_b;  // every compared output, under each side
  std::vector<OutputDifference> differences;
  // A case only one side can evaluate: that side's error (an invalid case, a parameter
  // without a value on the date, an overflow); the other side's outcome is complete.
  std::optional<EvalError> error_a, error_b;
};

struct DisagreementSearch {
  static constexpr std::size_t kMaxFound = 10;

  std::vector<OutputPair> outputs;  // the outputs compared
  std::vector<SharedInput> inputs;  // the inputs both have
  std::vector<std::vector<Value>> candidates;  // per shared input, the values tried (as A reads them)
  std::size_t explored = 0;  // candidate values in all
  std::uint64_t tried = 0, disagreeing = 0;
  std::size_t distinct = 0;  // distinct ways of disagreeing (each kept once)
  // At most kMaxFound cases, one per way of disagreeing, fewest changed inputs first.
  std::vector<CandidateCase> found;
  // Cases only A (or only B) could evaluate: disagreements of their own kind, counted, and at
  // most kMaxFound listed, one per error, fewest changed inputs first.
  std::uint64_t failed_only_a = 0, failed_only_b = 0;
  std::vector<CandidateCase> one_sided;
  // Cases neither side could evaluate, and the errors of the first of them.
  std::uint64_t failed_both = 0;
  std::optional<EvalError> both_error_a, both_error_b;
  // Candidates that are not valid cases under either file (they break an input's bound or a
  // constraint, as combinations of thresholds can): skipped, and counted apart.
  std::uint64_t invalid_both = 0;
  // Whether no case tried could be evaluated under either file: there was nothing to compare.
  [[nodiscard]] bool nothing_evaluated() const { return tried > 0 && failed_both + invalid_both == tried; }
};

// Starts from every shared input at its default (or first candidate), changes one input at a
// time to each of its candidates, and, when that finds nothing, any two; parameters take the
// values in force on `at` (their latest without it).
[[nodiscard]] DisagreementSearch find_disagreement(const checked::Policy& a, const checked::Policy& b,
                                                   const std::vector<OutputPair>& outputs, std::optional<int> at);

}  // namespace pol::interp
