#include "evaluator.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "calendar.hpp"
#include "checker.hpp"
#include "ops.hpp"

namespace pol::interp {

using checked::kNoNode;
using checked::Node;
using checked::NodeId;
using checked::Op;

Program::Program(const checked::Policy& policy, std::optional<int> date, std::vector<ParamSetting> sets)
    : policy_(policy), date_(date), sets_(std::move(sets)) {
  std::size_t contexts = policy.contexts.size() + 1;
  params_.assign(contexts, std::vector<Value>(policy.params.size()));
  choice_.assign(contexts, std::vector<int>(policy.params.size(), -1));
  for (std::size_t k = 0; k < contexts; ++k) {
    std::optional<int> d = k == 0 ? date : std::optional<int>(policy.contexts[k - 1]);
    for (std::uint32_t p = 0; p < policy.params.size(); ++p) {
      int i = policy.params[p].value_at(d);
      choice_[k][p] = i;
      if (i >= 0) params_[k][p] = policy.params[p].values[i].value;
    }
    for (const auto& s : sets_) {  // a --set holds for the whole run, in every context
      params_[k][s.slot] = s.value;
      choice_[k][s.slot] = -2;
    }
  }
  // Fold every node that depends on no input. Children precede parents in `nodes`, so a
  // parent's evaluation finds its children already folded only in `folded_`; folding runs on
  // the original nodes and replaces each foldable node by a constant in the copy.
  folded_ = policy.nodes;
  Evaluator ev(*this);
  for (NodeId id = 0; id < folded_.size(); ++id) {
    const Node& n = policy.nodes[id];
    if (!n.input_free || n.op == Op::Const) continue;
    Value v;
    if (ev.fold(id, v)) {
      Node c = n;
      c.op = Op::Const;
      c.constant = v;
      folded_[id] = c;
    }
  }
}

Evaluator::Evaluator(const Program& program)
    : program_(program), policy_(program.policy()), nodes_(program.folded_nodes().data()) {
  rule_values_.resize(policy_.rules.size() * program.context_count());
  rule_state_.resize(policy_.rules.size() * program.context_count());
}

void Evaluator::missing(std::uint32_t input) {
  const auto& in = policy_.inputs[input];
  const auto& out = policy_.rules[current_output_];
  throw Failure{{EvalErrorKind::MissingInput, in.name,
                 fmt::format("missing input '{}' ({}): output '{}' ({}) needs it, and it has no default", in.name,
                             in.label, out.name, out.label),
                 in.place}};
}

void Evaluator::no_param(std::uint32_t param, const Node& n) {
  const auto& pa = policy_.params[param];
  std::string first = pa.values.empty() || !pa.values.front().from ? std::string("?") : format_date(*pa.values.front().from);
  auto date = program_.context_date(ctx_);
  throw Failure{{EvalErrorKind::NoParamValue, pa.name,
                 fmt::format("parameter '{}' ({}) has no value on {}: its first value holds from {}", pa.name, pa.label,
                             date ? format_date(*date) : std::string("that date"), first),
                 n.place}};
}

template <bool Traced>
Value Evaluator::rule(std::uint32_t r) {
  std::size_t m = ctx_ * policy_.rules.size() + r;
  if (rule_state_[m] == 2) return rule_values_[m];
  rule_state_[m] = 1;
  Value v = eval<Traced>(policy_.rules[r].body);
  rule_values_[m] = v;
  rule_state_[m] = 2;
  if constexpr (Traced) {
    if (trace_ && ctx_ == 0) {
      trace_->rule_values[r] = v;
      trace_->rule_done[r] = 1;
    }
  }
  return v;
}

template <bool Traced>
Value Evaluator::eval(NodeId id) {
  const Node& n = nodes_[id];
  Value v;
  switch (n.op) {
    case Op::Const: v = n.constant; break;
    case Op::Input:
      if (case_->state[n.slot] == InputState::Absent) missing(n.slot);
      v = case_->values[n.slot];
      if constexpr (Traced) trace_->input_used[n.slot] = 1;  // any context
      break;
    case Op::Param:
      if (!program_.param_ok(n.slot, ctx_)) no_param(n.slot, n);
      v = program_.params(ctx_)[n.slot];
      if constexpr (Traced) trace_->param_used[n.slot] = 1;
      break;
    case Op::Rule: v = rule<Traced>(n.slot); break;
    case Op::Not: v = checked::make_bool(!checked::as_bool(eval<Traced>(n.a))); break;
    case Op::And: {
      Value a = eval<Traced>(n.a);
      v = checked::as_bool(a) ? eval<Traced>(n.b) : a;
      break;
    }
    case Op::Or: {
      Value a = eval<Traced>(n.a);
      v = checked::as_bool(a) ? a : eval<Traced>(n.b);
      break;
    }
    case Op::AsOf: {
      // The same definitions under the parameters of another date: their own memo slots, the
      // unfolded nodes (folding used the decision date), and no trace (the trace shows the
      // decision date's derivation; this node records its value).
      std::uint32_t saved_ctx = ctx_;
      const Node* saved_nodes = nodes_;
      ctx_ = n.slot;
      nodes_ = policy_.nodes.data();
      try {
        v = eval<Traced>(n.a);
      } catch (...) {
        ctx_ = saved_ctx;
        nodes_ = saved_nodes;
        throw;
      }
      ctx_ = saved_ctx;
      nodes_ = saved_nodes;
      break;
    }
    case Op::In: v = checked::make_bool((n.mask >> checked::as_enum(eval<Traced>(n.a))) & 1); break;
    case Op::Min:
    case Op::Max: {
      const NodeId* ops = policy_.operands.data() + n.first;
      v = eval<Traced>(ops[0]);
      for (std::uint32_t i = 1; i < n.count; ++i) {
        Value x = eval<Traced>(ops[i]);
        if (n.op == Op::Min ? x < v : x > v) v = x;
      }
      break;
    }
    case Op::Chain: {
      const checked::Branch* b = policy_.branches.data() + n.first;
      for (std::uint32_t i = 0; i < n.count; ++i)
        if (b[i].condition == kNoNode || checked::as_bool(eval<Traced>(b[i].condition))) {
          v = eval<Traced>(b[i].result);
          break;
        }
      break;
    }
    case Op::Match: {
      int subject = checked::as_enum(eval<Traced>(n.a));
      const checked::Branch* b = policy_.branches.data() + n.first;
      for (std::uint32_t i = 0; i < n.count; ++i)
        if (b[i].mask == 0 || ((b[i].mask >> subject) & 1)) {
          v = eval<Traced>(b[i].result);
          break;
        }
      break;
    }
    default:
      try {
        switch (n.op) {
          case Op::Neg: v = -eval<Traced>(n.a); break;
          case Op::Round: v = ops::round(eval<Traced>(n.a), n.places, n.mode); break;
          default: {
            Value a = eval<Traced>(n.a);
            Value b = eval<Traced>(n.b);
            v = ops::binary(n.op, a, b);
          }
        }
      } catch (const DecimalOverflow& e) {
        bool div0 = std::strcmp(e.what, "division by zero") == 0;
        throw Failure{{div0 ? EvalErrorKind::DivisionByZero : EvalErrorKind::Overflow, "",
                       div0 ? "division by zero" : "a number is too large (overflow): it does not fit in 18 digits",
                       n.place}};
      }
  }
  if constexpr (Traced) {
    if (ctx_ == 0) {
      trace_->node_values[id] = v;
      trace_->node_done[id] = 1;
    }
  }
  return v;
}

template <bool Traced>
void Evaluator::run(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out) {
  case_ = &c;
  std::memset(rule_state_.data(), 0, rule_state_.size());
  out.outputs.clear();
  out.error.reset();
  try {
    for (std::uint32_t r : rules) {
      current_output_ = r;
      out.outputs.emplace_back(r, rule<Traced>(r));
    }
  } catch (const Failure& f) {
    out.error = f.error;
  }
}

void Evaluator::evaluate(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out) {
  nodes_ = program_.folded_nodes().data();
  run<false>(c, rules, out);
}

void Evaluator::evaluate_traced(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out, Trace& trace) {
  nodes_ = policy_.nodes.data();
  trace.node_values.assign(policy_.nodes.size(), Value());
  trace.node_done.assign(policy_.nodes.size(), 0);
  trace.rule_values.assign(policy_.rules.size(), Value());
  trace.rule_done.assign(policy_.rules.size(), 0);
  trace.input_used.assign(policy_.inputs.size(), 0);
  trace.param_used.assign(policy_.params.size(), 0);
  trace_ = &trace;
  run<true>(c, rules, out);
  trace_ = nullptr;
  nodes_ = program_.folded_nodes().data();
}

bool Evaluator::fold(NodeId id, Value& out) {
  Case empty;
  empty.values.assign(policy_.inputs.size(), Value());
  empty.state.assign(policy_.inputs.size(), InputState::Absent);
  case_ = &empty;
  nodes_ = policy_.nodes.data();
  std::memset(rule_state_.data(), 0, rule_state_.size());
  bool ok = true;
  try {
    out = eval<false>(id);
  } catch (const Failure&) {
    ok = false;
  }
  case_ = nullptr;
  nodes_ = program_.folded_nodes().data();
  return ok;
}

std::optional<EvalError> Evaluator::validate(const Case& c) {
  nodes_ = policy_.nodes.data();
  case_ = &c;
  std::memset(rule_state_.data(), 0, rule_state_.size());
  std::optional<EvalError> result;
  auto show = [&](const dsl::Type& t, Value v) {
    if (t.base == dsl::Base::Date) return format_date(checked::as_date(v));
    return v.to_string();
  };
  try {
    for (std::uint32_t i = 0; i < policy_.inputs.size() && !result; ++i) {
      const auto& in = policy_.inputs[i];
      if (c.state[i] == InputState::Absent) continue;
      for (int side = 0; side < 2 && !result; ++side) {
        NodeId bound = side == 0 ? in.min : in.max;
        if (bound == kNoNode) continue;
        Value b;
        try {
          b = eval<false>(bound);
        } catch (const Failure&) {
          continue;  // the bound needs an input the case leaves out: nothing to check against
        }
        Value v = c.values[i];
        bool bad = side == 0 ? v < b : v > b;
        if (!bad) continue;
        const Node& bn = policy_.nodes[bound];
        std::string what = bn.op == Op::Const
                               ? (side == 0 && b.is_zero() ? std::string("must not be negative")
                                                           : fmt::format("must be at {} {}", side == 0 ? "least" : "most", show(in.type, b)))
                               : fmt::format("must be at {} {} ({})", side == 0 ? "least" : "most",
                                             bn.op == Op::Input ? policy_.inputs[bn.slot].name : std::string("its bound"), show(in.type, b));
        result = EvalError{EvalErrorKind::InvalidCase, in.name,
                           fmt::format("field '{}' ({}) {}, got {}", in.name, in.label, what, show(in.type, v)), in.place};
      }
    }
    for (const auto& con : policy_.constraints) {
      if (result) break;
      Value ok;
      try {
        ok = eval<false>(con.condition);
      } catch (const Failure&) {
        continue;
      }
      if (!checked::as_bool(ok)) {
        // Name the first input the constraint reads.
        std::string field;
        std::vector<NodeId> stack{con.condition};
        while (!stack.empty() && field.empty()) {
          const Node& n = policy_.nodes[stack.back()];
          stack.pop_back();
          if (n.op == Op::Input) field = policy_.inputs[n.slot].name;
          if (n.b != kNoNode) stack.push_back(n.b);
          if (n.a != kNoNode) stack.push_back(n.a);
        }
        result = EvalError{EvalErrorKind::InvalidCase, field, fmt::format("the case breaks a rule: {}", con.message),
                           con.place};
      }
    }
  } catch (const Failure& f) {
    result = f.error;
  }
  case_ = nullptr;
  nodes_ = program_.folded_nodes().data();
  return result;
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
