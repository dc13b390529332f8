#include "eval/evaluator.hpp"

#include <cstdlib>
#include <string_view>

#include "eval/int64/code.hpp"
#include "eval/reference/walk.hpp"
#include "eval/registers/code.hpp"

namespace pol::interp {

std::optional<EvalPath> eval_path_from_env() {
  const char* v = std::getenv("POL_EVAL_PATH");
  if (v == nullptr || *v == '\0') return EvalPath::Int64;
  for (EvalPath p : {EvalPath::Reference, EvalPath::Registers, EvalPath::Int64})
    if (std::string_view(v) == eval_path_name(p)) return p;
  return std::nullopt;
}

const char* eval_path_name(EvalPath path) {
  switch (path) {
    case EvalPath::Reference: return "reference";
    case EvalPath::Registers: return "registers";
    case EvalPath::Int64: return "int64";
  }
  return "?";
}

Evaluator::Evaluator(const Program& program, EvalPath path)
    : program_(program),
      path_(path),
      walker_(std::make_unique<reference::Walker>(program)),
      machine_(std::make_unique<registers::Machine>()) {
  std::vector<bool> read(program.policy().inputs.size());
  for (const auto& n : program.policy().nodes)
    if (n.op == checked::Op::Given && n.slot < read.size()) read[n.slot] = true;
  for (std::uint32_t i = 0; i < read.size(); ++i)
    if (read[i]) given_slots_.push_back(i);
}

Evaluator::~Evaluator() = default;

const registers::Code& Evaluator::code_for(const std::vector<std::uint32_t>& rules) {
  for (const auto& c : code_)
    if (c->given.empty() && c->rules == rules) return *c;
  code_.push_back(registers::compile(program_, rules));
  return *code_.back();
}

const registers::Code& Evaluator::code_for(const std::vector<std::uint32_t>& rules, const Case& c) {
  if (given_slots_.empty()) return code_for(rules);
  std::uint64_t mask = 0;  // bit k: the case gave given_slots_[k] (the first 64 are known)
  for (std::size_t k = 0; k < given_slots_.size() && k < 64; ++k)
    if (given_slots_[k] < c.state.size() && c.state[given_slots_[k]] == InputState::Given) mask |= std::uint64_t{1} << k;
  for (const auto& [m, code] : by_given_)
    if (m == mask && code->rules == rules) return *code;
  registers::GivenStates given(program_.policy().inputs.size(), -1);
  for (std::size_t k = 0; k < given_slots_.size() && k < 64; ++k) given[given_slots_[k]] = (mask >> k) & 1;
  code_.push_back(registers::compile(program_, rules, given));
  by_given_.emplace_back(mask, code_.back().get());
  return *code_.back();
}

std::optional<EvalError> Evaluator::validate(const Case& c) { return walker_->validate(c); }

void Evaluator::evaluate(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out) {
  last_path_ = path_;
  if (path_ == EvalPath::Reference) return walker_->run(c, rules, out, false);
  const registers::Code& code = code_for(rules, c);
  if (path_ == EvalPath::Int64 && code.whole && int64::run(*code.whole, c, false, out)) return;
  last_path_ = EvalPath::Registers;
  machine_->run(program_, code, c, out);
}

void Evaluator::validate_and_evaluate(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out,
                                      std::optional<EvalError>& invalid) {
  invalid.reset();
  if (path_ == EvalPath::Int64) {
    const registers::Code& code = code_for(rules, c);
    if (code.whole && int64::run(*code.whole, c, true, out)) {
      last_path_ = EvalPath::Int64;
      return;
    }
  }
  invalid = validate(c);
  if (invalid) {
    out.outputs.clear();
    out.error.reset();
    last_path_ = path_ == EvalPath::Reference ? EvalPath::Reference : EvalPath::Registers;
    return;
  }
  if (path_ == EvalPath::Reference) {
    last_path_ = EvalPath::Reference;
    return walker_->run(c, rules, out, false);
  }
  last_path_ = EvalPath::Registers;
  machine_->run(program_, code_for(rules, c), c, out);
}

void Evaluator::evaluate_traced(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out, Trace& trace) {
  walker_->run_traced(c, rules, out, trace);
}

bool Evaluator::evaluate_node_traced(const Case& c, checked::NodeId id, Trace& trace) {
  return walker_->run_node_traced(c, id, trace);
}

bool Evaluator::applies(const Case& c, std::uint32_t rule) {
  checked::NodeId cond = program_.policy().rules[rule].applies;
  if (cond == checked::kNoNode) return true;
  if (!scratch_) scratch_ = std::make_unique<Trace>();
  if (!walker_->run_node_traced(c, cond, *scratch_)) return true;
  return checked::as_bool(scratch_->node_values[cond]);
}

std::vector<std::uint32_t> select_outputs(const checked::Policy& policy, const std::vector<std::string>& names,
                                          std::vector<std::string>& unknown) {
  if (names.empty()) return policy.outputs();
  std::vector<std::uint32_t> out;
  for (const auto& n : names) {
    int r = policy.find_rule(n);
    if (r < 0) unknown.push_back(n);
    else out.push_back(static_cast<std::uint32_t>(r));
  }
  return out;
}

}  // namespace pol::interp
