#pragma once
// Evaluation of a checked policy against cases.
//
// Program::prepare fixes what is the same for every case of a run: the decision date, the
// parameter values in force on it (or set with --set), and every sub-expression that depends
// on no input, folded to a constant (most money arithmetic depends only on parameters).
// An Evaluator then evaluates one case after another, lazily: an output asks only for what it
// needs, each definition is computed at most once per case, and nothing allocates.
//
// The same evaluation code serves explanations: with a TraceRecorder it records the value of
// every node it evaluates, on the unfolded program, and explain.cpp renders that record.
// There is no second implementation of the rules.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "case.hpp"
#include "checked.hpp"

namespace pol::interp {

enum class EvalErrorKind { MissingInput, Overflow, DivisionByZero, NoParamValue, InvalidCase };

struct EvalError {
  EvalErrorKind kind = EvalErrorKind::Overflow;
  std::string field;    // the input at fault, if any
  std::string message;
  checked::Place place;  // where in the rules
};

struct ParamSetting {
  std::uint32_t slot;
  Value value;
};

class Program {
public:
  // `date`: the decision date (nullopt: each parameter's latest value).
  Program(const checked::Policy& policy, std::optional<int> date, std::vector<ParamSetting> sets = {});

  [[nodiscard]] const checked::Policy& policy() const { return policy_; }
  [[nodiscard]] std::optional<int> date() const { return date_; }
  [[nodiscard]] const std::vector<Value>& params(std::uint32_t ctx = 0) const { return params_[ctx]; }
  // Index into Param::values of the value in force, -1 none yet, -2 set for this run.
  [[nodiscard]] int param_choice(std::uint32_t p, std::uint32_t ctx = 0) const { return choice_[ctx][p]; }
  [[nodiscard]] const std::vector<checked::Node>& folded_nodes() const { return folded_; }
  [[nodiscard]] bool param_ok(std::uint32_t p, std::uint32_t ctx = 0) const { return choice_[ctx][p] != -1; }
  // Context 0 is the decision date; context k >= 1 the date of the k-th as_of(DATE, …).
  [[nodiscard]] std::optional<int> context_date(std::uint32_t ctx) const {
    return ctx == 0 ? date_ : std::optional<int>(policy_.contexts[ctx - 1]);
  }
  [[nodiscard]] std::uint32_t context_count() const { return static_cast<std::uint32_t>(params_.size()); }
  [[nodiscard]] const std::vector<ParamSetting>& sets() const { return sets_; }

private:
  const checked::Policy& policy_;
  std::optional<int> date_;
  std::vector<ParamSetting> sets_;
  std::vector<std::vector<Value>> params_;  // per context
  std::vector<std::vector<int>> choice_;
  std::vector<checked::Node> folded_;
};

// What one evaluation recorded, for explanations: the value of every node evaluated.
struct Trace {
  std::vector<Value> node_values;
  std::vector<std::uint8_t> node_done;
  std::vector<Value> rule_values;
  std::vector<std::uint8_t> rule_done;
  std::vector<std::uint8_t> input_used;
  std::vector<std::uint8_t> param_used;
};

struct Outcome {
  std::vector<std::pair<std::uint32_t, Value>> outputs;  // rule index, value
  std::optional<EvalError> error;
};

class Evaluator {
public:
  explicit Evaluator(const Program& program);
  // Checks bounds and constraints of the case's inputs.
  [[nodiscard]] std::optional<EvalError> validate(const Case& c);
  // Evaluates `rules` (rule indices) for the case; fast path, no trace.
  void evaluate(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out);
  // The same, on the unfolded program, recording every node evaluated.
  void evaluate_traced(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out, Trace& trace);

  // Evaluates one node with no case (every input absent) on the unfolded program; used to
  // fold input-free nodes. Returns false if evaluation fails (e.g. a division by zero in a
  // branch no case takes), leaving the node to be evaluated per case.
  [[nodiscard]] bool fold(checked::NodeId id, Value& out);

  struct Failure {
    EvalError error;
  };

private:
  template <bool Traced>
  Value eval(checked::NodeId id);
  template <bool Traced>
  Value rule(std::uint32_t r);
  template <bool Traced>
  void run(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out);
  [[noreturn]] void missing(std::uint32_t input);
  [[noreturn]] void no_param(std::uint32_t param, const checked::Node& n);

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

// The policy's outputs, or the named ones (unknown names go to `unknown`).
[[nodiscard]] std::vector<std::uint32_t> select_outputs(const checked::Policy& policy,
                                                        const std::vector<std::string>& names,
                                                        std::vector<std::string>& unknown);

}  // namespace pol::interp
