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

// The values worth trying for an input: both booleans, every enum value, and for a number 0
// and each threshold it is compared with, with one step either side (never below 0).
[[nodiscard]] std::vector<Value> candidate_values(const checked::Policy& p, const checked::Input& in, Thresholds& th);

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

// --why-not: the smallest changes to one case's inputs that give an output another value (or
// the value asked for). Candidates per input are the thresholds the rules compare it with and
// one step either side, every enum value, both booleans; each candidate case must be valid.
struct WhyNotChange {
  std::uint32_t input = 0;    // the input's slot
  std::optional<Value> from;  // the case's value (none when the case leaves it out)
  Value to;
  std::optional<Value> difference;  // numbers: to - from
};

// A comparison of a changed input that the change crosses: it held before and not after, or
// the other way round.
struct WhyNotBinding {
  std::uint32_t input = 0;
  checked::NodeId comparison = checked::kNoNode;
  checked::Op op = checked::Op::Ge;  // as written, the input on the left when input_left
  bool input_left = true;
  Value threshold;          // the other side's value in the changed case
  std::string other_label;  // the other side's label when it is a parameter or definition
  std::string other_name;
  std::string clause;       // of the branch (or definition) the comparison belongs to
  std::string written;      // the comparison as the rule file writes it
  bool held_before = false, holds_after = false;
};

struct WhyNotResult {
  std::vector<WhyNotChange> changes;  // in input order
  std::vector<WhyNotBinding> bindings;
  Value value;  // the output's value after the change
  Value size;   // the sum of the numeric changes' sizes, for ordering
};

struct WhyNotSearch {
  static constexpr std::size_t kMaxFound = 10;
  // The work the search may do, in input values copied and checked (candidate cases times the
  // policy's inputs): about a second. Past it the search stops and says so (`cut`).
  static constexpr std::uint64_t kWorkBudget = 100'000'000;
  std::uint32_t output = 0;      // the rule
  std::optional<Value> target;   // the value asked for, if any
  Value current;                 // the output's value for the case as given
  std::vector<std::uint32_t> fixed;  // inputs held fixed
  std::size_t explored = 0;      // candidate values in all
  std::uint64_t tried = 0, invalid = 0;
  bool cut = false;  // the work budget ran out before every candidate was tried
  // The output cannot be evaluated for the case as given: nothing was searched.
  std::optional<EvalError> error;
  // Fewest inputs changed first, then the smallest change; at most kMaxFound.
  std::vector<WhyNotResult> found;
};

// Searches changes to `c` (a valid case of `prog`'s policy) that give rule `output` another
// value, or `target`; inputs in `fixed` (slots) keep their values. One input at a time, then,
// when that finds nothing, two.
[[nodiscard]] WhyNotSearch why_not(const Program& prog, const Case& c, std::uint32_t output,
                                   std::optional<Value> target, const std::vector<std::uint32_t>& fixed);

// The question of a --why-not, read from names: the output, the value asked for (its text,
// when given) and the inputs held fixed. On a problem returns nullopt with `error` (a sentence
// naming the output, the value or the input) and `bad_fix` (the --fix name at fault, or empty).
struct WhyNotQuestion {
  std::uint32_t output = 0;
  std::optional<Value> target;
  std::vector<std::uint32_t> fixed;
};
[[nodiscard]] std::optional<WhyNotQuestion> why_not_question(const checked::Policy& p, const std::string& output,
                                                             const std::optional<std::string>& value,
                                                             const std::vector<std::string>& fixes,
                                                             std::string& error, std::string& bad_fix);

}  // namespace pol::interp
