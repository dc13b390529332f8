#pragma once
// Evaluation of a checked policy against cases.
//
// Program::prepare fixes what is the same for every case of a run: the decision date, the
// parameter values in force on it (or set with --set), and every sub-expression that depends
// on no input, folded to a constant (most money arithmetic depends only on parameters).
// An Evaluator then evaluates one case after another, lazily: an output asks only for what it
// needs, each definition is computed at most once per case, and nothing allocates.
//
// Two ways to run the one checked program, which must agree on every value (the tests and the
// case fuzzer check that they do):
// - evaluate() runs Linear code compiled from the checked nodes for the outputs asked for:
//   parameters and constants folded, every definition computed once into a register, in
//   dependency order, with no recursion, no look-ups and no allocation. Laziness is kept by
//   poisoning instead of failing: a missing input, an overflow or a parameter without a value
//   marks its register, the mark flows to what depends on it, and only an output that is
//   marked is an error; a branch not taken, or the right side of a false `and`, does not
//   pass its mark on. So an input is required only when an output needs it.
// - evaluate_traced() walks the same nodes lazily and records the value of every node it
//   evaluates; explain.cpp renders that record.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "checked/checked.hpp"

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

struct Linear;  // compiled code for a set of outputs (evaluator.cpp)

class Evaluator {
public:
  explicit Evaluator(const Program& program);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;
  // Checks bounds and constraints of the case's inputs.
  [[nodiscard]] std::optional<EvalError> validate(const Case& c);
  // Evaluates `rules` (rule indices) for the case; fast path, no trace.
  void evaluate(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out);
  // validate() and then, for a valid case, evaluate(), in one pass where it can: `invalid` is
  // set to validate()'s error (and `out` left empty) when the case is not valid.
  void validate_and_evaluate(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out,
                             std::optional<EvalError>& invalid);
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
  [[nodiscard]] EvalError missing_error(std::uint32_t input, std::uint32_t output) const;
  [[nodiscard]] EvalError no_param_error(std::uint32_t param, const checked::Place& place, std::optional<int> date) const;
  [[nodiscard]] EvalError poison_error(std::uint32_t poison, std::uint32_t output) const;
  const Linear& linear_for(const std::vector<std::uint32_t>& rules);
  void evaluate_linear(const Linear& L, const Case& c, Outcome& out);
  // The whole-number path (see evaluator.cpp); false: this case needs the general path.
  bool run_fixed(const Linear& L, const Case& c, bool checks, Outcome& out);
  [[nodiscard]] std::string rule_context(checked::NodeId node, std::uint32_t output) const;

  const Program& program_;
  const checked::Policy& policy_;
  const checked::Node* nodes_ = nullptr;
  const Case* case_ = nullptr;
  std::vector<Value> rule_values_;
  std::vector<std::uint8_t> rule_state_;
  std::uint32_t current_output_ = 0;
  std::uint32_t ctx_ = 0;  // the evaluation context (as_of); rule memos are per context
  Trace* trace_ = nullptr;
  std::vector<std::unique_ptr<Linear>> linear_;  // compiled per set of outputs asked for
  std::vector<Value> regs_;
  std::vector<std::uint32_t> poison_;
};

// The policy's outputs, or the named ones (unknown names go to `unknown`).
[[nodiscard]] std::vector<std::uint32_t> select_outputs(const checked::Policy& policy,
                                                        const std::vector<std::string>& names,
                                                        std::vector<std::string>& unknown);

}  // namespace pol::interp
