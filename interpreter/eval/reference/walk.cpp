#include "base/messages.hpp"
#include "eval/reference/walk.hpp"

#include <cstring>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "checked/ops.hpp"
#include "checked/visit.hpp"

namespace pol::interp::reference {

using checked::kNoNode;
using checked::Node;
using checked::NodeId;
using checked::Op;

Walker::Walker(const Program& program) : program_(program), policy_(program.policy()) {
  rule_values_.resize(policy_.rules.size() * program.context_count());
  rule_state_.resize(policy_.rules.size() * program.context_count());
}

void Walker::start(const Case* c, const Node* nodes) {
  case_ = c;
  nodes_ = nodes;
  ctx_ = 0;
  std::memset(rule_state_.data(), 0, rule_state_.size());
}

template <bool Traced>
Value Walker::rule(std::uint32_t r) {
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

// The operations that evaluate all their operands first, then apply ops:: (which may fail).
template <bool Traced>
Value Walker::strict(NodeId id, const Node& n) {
  try {
    if (checked::shape_of(n.op) == checked::Shape::Unary) return ops::unary(n, eval<Traced>(n.a));
    Value a = eval<Traced>(n.a);
    Value b = eval<Traced>(n.b);
    return ops::binary(n.op, a, b);
  } catch (const DecimalOverflow& e) {
    throw Failure{arith_error(policy_, e.kind, id, current_output_)};
  }
}

template <bool Traced>
Value Walker::eval(NodeId id) {
  const Node& n = nodes_[id];
  Value v;
  switch (n.op) {
    case Op::Const: v = n.constant; break;
    case Op::Input:
      if (case_->state[n.slot] == InputState::Absent)
        throw Failure{missing_input_error(policy_, n.slot, current_output_)};
      v = case_->values[n.slot];
      if constexpr (Traced) trace_->input_used[n.slot] = 1;  // any context
      break;
    case Op::Given:
      v = checked::make_bool(case_->state[n.slot] == InputState::Given);
      if constexpr (Traced) trace_->input_used[n.slot] = 1;
      break;
    case Op::Param:
      if (!program_.param_ok(n.slot, ctx_))
        throw Failure{no_param_error(policy_, n.slot, n.place, program_.context_date(ctx_), ctx_)};
      v = program_.params(ctx_)[n.slot];
      if constexpr (Traced) trace_->param_used[n.slot] = 1;
      break;
    case Op::Rule: v = rule<Traced>(n.slot); break;
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
      // checked nodes (folding used the decision date), and no trace (the trace shows the
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
    case Op::Min:
    case Op::Max: {
      const NodeId* operand = policy_.operands.data() + n.first;
      v = eval<Traced>(operand[0]);
      for (std::uint32_t i = 1; i < n.count; ++i) {
        Value x = eval<Traced>(operand[i]);
        v = n.op == Op::Min ? ops::min(v, x) : ops::max(v, x);
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
        if (b[i].mask == 0 || ops::in(b[i].mask, subject)) {
          v = eval<Traced>(b[i].result);
          break;
        }
      break;
    }
    case Op::Neg:
    case Op::Not:
    case Op::In:
    case Op::Round:
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::DateAddDays:
    case Op::DateDiffDays:
    case Op::DateAddMonths:
    case Op::MonthsBetween: v = strict<Traced>(id, n); break;
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
void Walker::run_rules(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out) {
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
  (void)c;
}

void Walker::run(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out, bool folded) {
  start(&c, folded ? program_.folded_nodes().data() : policy_.nodes.data());
  run_rules<false>(c, rules, out);
  case_ = nullptr;
}

namespace {
void reset_trace(const checked::Policy& p, Trace& trace) {
  trace.node_values.assign(p.nodes.size(), Value());
  trace.node_done.assign(p.nodes.size(), 0);
  trace.rule_values.assign(p.rules.size(), Value());
  trace.rule_done.assign(p.rules.size(), 0);
  trace.input_used.assign(p.inputs.size(), 0);
  trace.param_used.assign(p.params.size(), 0);
}
}  // namespace

void Walker::run_traced(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out, Trace& trace) {
  reset_trace(policy_, trace);
  trace_ = &trace;
  start(&c, policy_.nodes.data());
  run_rules<true>(c, rules, out);
  trace_ = nullptr;
  case_ = nullptr;
}

bool Walker::run_node_traced(const Case& c, NodeId id, Trace& trace) {
  reset_trace(policy_, trace);
  trace_ = &trace;
  start(&c, policy_.nodes.data());
  bool ok = true;
  try {
    (void)eval<true>(id);
  } catch (const Failure&) {
    ok = false;
  }
  trace_ = nullptr;
  case_ = nullptr;
  return ok;
}

bool Walker::fold(NodeId id, Value& out) {
  Case empty;
  empty.values.assign(policy_.inputs.size(), Value());
  empty.state.assign(policy_.inputs.size(), InputState::Absent);
  start(&empty, policy_.nodes.data());
  bool ok = true;
  try {
    out = eval<false>(id);
  } catch (const Failure&) {
    ok = false;
  }
  case_ = nullptr;
  return ok;
}

namespace {
std::string show(const dsl::Type& t, Value v) {
  if (t.base == dsl::Base::Date) return format_date(checked::as_date(v));
  return v.to_string();
}
}  // namespace

// The bounds of one given input; a bound that needs an input the case leaves out is skipped
// (there is nothing to check against).
std::optional<EvalError> Walker::check_bounds(const Case& c, std::uint32_t i) {
  const auto& in = policy_.inputs[i];
  for (int side = 0; side < 2; ++side) {
    NodeId bound = side == 0 ? in.min : in.max;
    if (bound == kNoNode) continue;
    Value b;
    try {
      b = eval<false>(bound);
    } catch (const Failure&) {
      continue;
    }
    Value v = c.values[i];
    bool bad = side == 0 ? v < b : v > b;
    if (!bad) continue;
    const Node& bn = policy_.nodes[bound];
    std::string what =
        bn.op == Op::Const
            ? (side == 0 && b.is_zero() ? std::string(dsl::text(dsl::Msg::MustNotBeNegative))
                                        : dsl::textf(side == 0 ? dsl::Msg::MustBeAtLeast : dsl::Msg::MustBeAtMost, show(in.type, b)))
            : dsl::textf(side == 0 ? dsl::Msg::MustBeAtLeastOf : dsl::Msg::MustBeAtMostOf,
                         bn.op == Op::Input ? policy_.inputs[bn.slot].name : std::string(dsl::text(dsl::Msg::ItsBound)),
                         show(in.type, b));
    return EvalError{EvalErrorKind::InvalidCase, in.name,
                     dsl::textf(dsl::Msg::FieldBound, in.name, in.label, what, show(in.type, v)), in.place};
  }
  return std::nullopt;
}

// A constraint the case breaks, naming the first input the constraint reads.
std::optional<EvalError> Walker::check_constraint(const checked::Constraint& con) {
  Value ok;
  try {
    ok = eval<false>(con.condition);
  } catch (const Failure&) {
    return std::nullopt;
  }
  if (checked::as_bool(ok)) return std::nullopt;
  std::string field;
  checked::walk(policy_, con.condition, [&](NodeId, const Node& n) {
    if (n.op == Op::Input && field.empty()) field = policy_.inputs[n.slot].name;
    return field.empty();
  });
  return EvalError{EvalErrorKind::InvalidCase, field, dsl::textf(dsl::Msg::BreaksRule, con.message), con.place};
}

std::optional<EvalError> Walker::validate(const Case& c) {
  start(&c, policy_.nodes.data());
  std::optional<EvalError> result;
  try {
    for (std::uint32_t i = 0; i < policy_.inputs.size() && !result; ++i)
      if (c.state[i] != InputState::Absent) result = check_bounds(c, i);
    for (const auto& con : policy_.constraints) {
      if (result) break;
      result = check_constraint(con);
    }
  } catch (const Failure& f) {
    result = f.error;
  }
  case_ = nullptr;
  return result;
}

}  // namespace pol::interp::reference
