#pragma once
// The reference evaluator: a lazy walk over the checked nodes. This is the definition of the
// language's meaning; the register and whole-number paths (eval/registers, eval/int64) must
// give the same outcome for every case (tests/conformance checks that they do).
//
// An output asks only for what it needs, each definition is computed at most once per case
// (per evaluation context: an as_of(DATE, …) evaluates the same definitions under another
// date's parameters, in memo slots of its own), and the first failure ends the evaluation
// with an error naming the input, parameter or operation at fault.
#include <cstdint>
#include <optional>
#include <vector>

#include "cases/case.hpp"
#include "eval/outcome.hpp"
#include "program/program.hpp"

namespace pol::interp::reference {

class Walker {
public:
  explicit Walker(const Program& program);

  // Evaluates `rules` (rule indices) for the case, on the checked nodes (`folded` false: the
  // definition) or on the program's folded copy of them.
  void run(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out, bool folded);
  // The same on the checked nodes, recording every node evaluated.
  void run_traced(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out, Trace& trace);
  // One node on the checked nodes, recording into a fresh `trace` every node it evaluated;
  // false when its evaluation fails (explanations only: the outcome never reads it).
  [[nodiscard]] bool run_node_traced(const Case& c, checked::NodeId id, Trace& trace);
  // Evaluates one node with no case (every input absent) on the checked nodes; false if that
  // fails, leaving the node to be evaluated per case.
  [[nodiscard]] bool fold(checked::NodeId id, Value& out);
  // Checks the case's inputs against their bounds and the policy's constraints.
  [[nodiscard]] std::optional<EvalError> validate(const Case& c);

private:
  struct Failure {
    EvalError error;
  };
  template <bool Traced>
  Value eval(checked::NodeId id);
  template <bool Traced>
  Value rule(std::uint32_t r);
  template <bool Traced>
  Value strict(checked::NodeId id, const checked::Node& n);
  template <bool Traced>
  void run_rules(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out);
  void start(const Case* c, const checked::Node* nodes);
  [[nodiscard]] std::optional<EvalError> check_bounds(const Case& c, std::uint32_t input);
  [[nodiscard]] std::optional<EvalError> check_constraint(const checked::Constraint& con);

  const Program& program_;
  const checked::Policy& policy_;
  const checked::Node* nodes_ = nullptr;
  const Case* case_ = nullptr;
  std::vector<Value> rule_values_;
  std::vector<std::uint8_t> rule_state_;
  std::uint32_t current_output_ = 0;
  std::uint32_t ctx_ = 0;  // the evaluation context (as_of); rule memos are per context
  Trace* trace_ = nullptr;
};

}  // namespace pol::interp::reference
