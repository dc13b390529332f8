#pragma once
// Evaluation of a checked policy against cases: the one interface every command uses.
//
// A Program (program/program.hpp) binds the policy to a decision date and --set values; an
// Evaluator then evaluates one case after another. Three paths run the same program, and
// they agree by construction and by test (tests/conformance):
// - Reference (eval/reference): the lazy tree walk over the checked nodes. It is the
//   definition of the language; explanations are built from its trace.
// - Registers (eval/registers): register code compiled from the nodes the outputs need,
//   with parameters and constants folded. It must give an identical outcome: the same
//   values, the same error kind, field, words and place.
// - Int64 (eval/int64): the whole-number form of the register code. It may only decline a
//   case (before it writes anything), never differ; a declined case runs on the registers.
// Int64 is the default; the environment variable POL_EVAL_PATH (reference, registers,
// int64) chooses another for every command, for debugging and for the conformance test.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cases/case.hpp"
#include "checked/checked.hpp"
#include "eval/errors.hpp"
#include "eval/outcome.hpp"
#include "program/program.hpp"

namespace pol::interp {

namespace reference {
class Walker;
}
namespace registers {
struct Code;
class Machine;
}  // namespace registers

enum class EvalPath : std::uint8_t { Reference, Registers, Int64 };

// POL_EVAL_PATH's path, or Int64 when it is unset; nullopt when it names no path.
[[nodiscard]] std::optional<EvalPath> eval_path_from_env();
[[nodiscard]] const char* eval_path_name(EvalPath path);

class Evaluator {
public:
  explicit Evaluator(const Program& program, EvalPath path = eval_path_from_env().value_or(EvalPath::Int64));
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Checks bounds and constraints of the case's inputs.
  [[nodiscard]] std::optional<EvalError> validate(const Case& c);
  // Evaluates `rules` (rule indices) for the case; no trace.
  void evaluate(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out);
  // validate() and then, for a valid case, evaluate(), in one pass where it can: `invalid` is
  // set to validate()'s error (and `out` left empty) when the case is not valid.
  void validate_and_evaluate(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out,
                             std::optional<EvalError>& invalid);
  // The reference walk on the checked nodes, recording every node evaluated.
  void evaluate_traced(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out, Trace& trace);
  // The reference walk of one node (an operand a lazy evaluation skipped), for explanations
  // only; false when it fails (a missing input, an arithmetic error).
  [[nodiscard]] bool evaluate_node_traced(const Case& c, checked::NodeId id, Trace& trace);
  // Whether rule `rule` applies to the case (its `applies when` condition, by the reference
  // walk): true when it states none, or when the condition cannot be evaluated for the case.
  [[nodiscard]] bool applies(const Case& c, std::uint32_t rule);

  [[nodiscard]] EvalPath path() const { return path_; }
  // The path that gave the last outcome of evaluate() or validate_and_evaluate(): Int64 only
  // when the whole-number form took the case.
  [[nodiscard]] EvalPath last_path() const { return last_path_; }
  // The register code (with its whole-number form) for a set of outputs, compiled once.
  const registers::Code& code_for(const std::vector<std::uint32_t>& rules);
  // The same, compiled for the cases that gave the inputs given(…) reads as `c` did (so that
  // a branch behind given() of an input the case left out is not computed, and does not keep
  // the case off the whole-number path).
  const registers::Code& code_for(const std::vector<std::uint32_t>& rules, const Case& c);

private:
  const Program& program_;
  EvalPath path_;
  EvalPath last_path_ = EvalPath::Reference;
  std::unique_ptr<reference::Walker> walker_;
  std::unique_ptr<registers::Machine> machine_;
  std::vector<std::unique_ptr<registers::Code>> code_;  // compiled per set of outputs asked for (and given states)
  std::vector<std::uint32_t> given_slots_;              // the inputs given(…) reads
  std::vector<std::pair<std::uint64_t, const registers::Code*>> by_given_;  // code_ compiled for given states
  std::unique_ptr<Trace> scratch_;                       // applies()
};

// The policy's outputs, or the named ones (unknown names go to `unknown`).
[[nodiscard]] std::vector<std::uint32_t> select_outputs(const checked::Policy& policy,
                                                        const std::vector<std::string>& names,
                                                        std::vector<std::string>& unknown);

}  // namespace pol::interp
