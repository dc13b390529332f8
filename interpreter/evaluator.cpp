#include "evaluator.hpp"

#include <algorithm>
#include <map>
#include <cstdlib>
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

EvalError Evaluator::missing_error(std::uint32_t input, std::uint32_t output) const {
  const auto& in = policy_.inputs[input];
  const auto& out = policy_.rules[output];
  return {EvalErrorKind::MissingInput, in.name,
          fmt::format("missing input '{}' ({}): output '{}' ({}) needs it, and it has no default", in.name, in.label,
                      out.name, out.label),
          in.place};
}

EvalError Evaluator::no_param_error(std::uint32_t param, const checked::Place& place, std::optional<int> date) const {
  const auto& pa = policy_.params[param];
  std::string first = pa.values.empty() || !pa.values.front().from ? std::string("?") : format_date(*pa.values.front().from);
  return {EvalErrorKind::NoParamValue, pa.name,
          fmt::format("parameter '{}' ({}) has no value on {}: its first value holds from {}", pa.name, pa.label,
                      date ? format_date(*date) : std::string("that date"), first),
          place};
}

void Evaluator::missing(std::uint32_t input) { throw Failure{missing_error(input, current_output_)}; }

void Evaluator::no_param(std::uint32_t param, const Node& n) {
  throw Failure{no_param_error(param, n.place, program_.context_date(ctx_))};
}

// ---- Linear code

namespace {
// A poison mark: what went wrong (top byte) and where (the rest).
constexpr std::uint32_t kMissing = 1u << 28, kNoParam = 2u << 28, kOverflow = 3u << 28, kDivZero = 4u << 28;
constexpr std::uint32_t kKindMask = 0xFu << 28, kIndexMask = (1u << 28) - 1;
}  // namespace

struct LinearIns {
  Op op;
  std::uint8_t places = 0;
  RoundMode mode = RoundMode::HalfAwayFromZero;
  std::uint32_t dst = 0, a = 0, b = 0;
  std::uint32_t first = 0, count = 0;  // Select: arms[first, first + count)
  std::uint64_t mask = 0;
  NodeId node = 0;  // for errors
};

struct LinearArm {
  std::uint32_t cond;    // register of the condition, or kNone for otherwise
  std::uint64_t mask;    // Match: the arm's values (0 with cond == kNone: otherwise)
  std::uint32_t result;  // register of the result
};

struct Linear {
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<std::uint32_t> rules;  // the outputs this code computes
  std::vector<LinearIns> code;
  std::vector<LinearArm> arms;
  std::vector<Value> consts;           // registers [inputs, inputs + consts.size())
  std::vector<std::uint32_t> const_poison;
  std::vector<std::uint32_t> out_regs;  // per entry of `rules`
  std::uint32_t inputs = 0, registers = 0;
  bool has_select_on_enum = false;
};

namespace {

// Compiles the checked nodes needed by `rules` into Linear code, folding constants.
class Compiler {
public:
  Compiler(const Program& prog, Linear& out) : prog_(prog), p_(prog.policy()), L_(out) {
    L_.inputs = static_cast<std::uint32_t>(p_.inputs.size());
    L_.registers = L_.inputs;
  }

  void run(const std::vector<std::uint32_t>& rules) {
    L_.rules = rules;
    for (auto r : rules) L_.out_regs.push_back(rule(r, 0));
    // Constants live right after the inputs; temporaries after them.
  }

private:
  const Program& prog_;
  const checked::Policy& p_;
  Linear& L_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> rule_reg_;  // (rule, ctx) -> register
  std::map<std::pair<NodeId, std::uint32_t>, std::uint32_t> node_reg_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> const_regs_;  // index into consts -> register
  // Registers are numbered as created; constants are renumbered at the end by finish().
  std::vector<bool> is_const_;
  std::vector<Value> const_val_;
  std::vector<std::uint32_t> const_poison_;

public:
  std::uint32_t new_reg() { return L_.registers++; }

  // A constant gets a register of its own in the constant area.
  std::uint32_t constant(Value v, std::uint32_t poison = 0) {
    std::uint32_t r = L_.inputs + static_cast<std::uint32_t>(L_.consts.size());
    L_.consts.push_back(v.normalized());  // small scales keep the arithmetic on its fast path
    L_.const_poison.push_back(poison);
    return r | kConstTag;
  }
  static constexpr std::uint32_t kConstTag = 1u << 31;

  std::uint32_t rule(std::uint32_t r, std::uint32_t ctx) {
    auto key = std::make_pair(r, ctx);
    if (auto it = rule_reg_.find(key); it != rule_reg_.end()) return it->second;
    std::uint32_t reg = node(p_.rules[r].body, ctx);
    rule_reg_[key] = reg;
    return reg;
  }

  bool is_const(std::uint32_t reg) const { return (reg & kConstTag) != 0; }
  Value cval(std::uint32_t reg) const { return L_.consts[(reg & ~kConstTag) - L_.inputs]; }
  std::uint32_t cpoison(std::uint32_t reg) const { return L_.const_poison[(reg & ~kConstTag) - L_.inputs]; }

  std::uint32_t emit(LinearIns ins) {
    ins.dst = new_reg();
    L_.code.push_back(ins);
    return ins.dst;
  }

  std::uint32_t node(NodeId id, std::uint32_t ctx) {
    auto key = std::make_pair(id, ctx);
    if (auto it = node_reg_.find(key); it != node_reg_.end()) return it->second;
    std::uint32_t reg = build(id, ctx);
    node_reg_[key] = reg;
    return reg;
  }

  std::uint32_t build(NodeId id, std::uint32_t ctx) {
    const Node& n = p_.nodes[id];
    LinearIns ins{};
    ins.op = n.op;
    ins.node = id;
    switch (n.op) {
      case Op::Const: return constant(n.constant);
      case Op::Input: return n.slot;
      case Op::Param:
        if (!prog_.param_ok(n.slot, ctx)) return constant(Value(), kNoParam | (ctx << 20) | n.slot);
        return constant(prog_.params(ctx)[n.slot]);
      case Op::Rule: return rule(n.slot, ctx);
      case Op::AsOf: return node(n.a, n.slot);
      case Op::Min:
      case Op::Max: {
        // A left fold of binary min/max keeps the order in which marks are found.
        std::uint32_t acc = node(p_.operands[n.first], ctx);
        for (std::uint32_t i = 1; i < n.count; ++i) {
          LinearIns m = ins;
          m.a = acc;
          m.b = node(p_.operands[n.first + i], ctx);
          acc = fold_or_emit(m);
        }
        return acc;
      }
      case Op::Chain:
      case Op::Match: {
        if (n.op == Op::Match) ins.a = node(n.a, ctx);
        ins.first = static_cast<std::uint32_t>(L_.arms.size());
        std::vector<LinearArm> arms;
        for (std::uint32_t i = 0; i < n.count; ++i) {
          const auto& b = p_.branches[n.first + i];
          LinearArm arm{Linear::kNone, b.mask, 0};
          if (b.condition != checked::kNoNode) arm.cond = node(b.condition, ctx);
          arm.result = node(b.result, ctx);
          arms.push_back(arm);
        }
        // A chain whose conditions are all known picks its branch now.
        if (n.op == Op::Chain) {
          for (const auto& arm : arms) {
            if (arm.cond == Linear::kNone) return arm.result;
            if (!is_const(arm.cond)) break;
            if (cpoison(arm.cond)) return constant(Value(), cpoison(arm.cond));
            if (checked::as_bool(cval(arm.cond))) return arm.result;
          }
        } else if (is_const(ins.a)) {
          if (cpoison(ins.a)) return constant(Value(), cpoison(ins.a));
          int s = checked::as_enum(cval(ins.a));
          for (const auto& arm : arms)
            if (arm.mask == 0 || ((arm.mask >> s) & 1)) return arm.result;
        }
        ins.first = static_cast<std::uint32_t>(L_.arms.size());
        ins.count = static_cast<std::uint32_t>(arms.size());
        for (auto& arm : arms) L_.arms.push_back(arm);
        return emit(ins);
      }
      case Op::In:
        ins.a = node(n.a, ctx);
        ins.mask = n.mask;
        return fold_or_emit(ins);
      case Op::Round:
        ins.a = node(n.a, ctx);
        ins.places = n.places;
        ins.mode = n.mode;
        return fold_or_emit(ins);
      case Op::Neg:
      case Op::Not: ins.a = node(n.a, ctx); return fold_or_emit(ins);
      default:
        ins.a = node(n.a, ctx);
        ins.b = node(n.b, ctx);
        return fold_or_emit(ins);
    }
  }

  // Evaluates an instruction whose operands are all constants now; otherwise emits it.
  std::uint32_t fold_or_emit(LinearIns ins) {
    bool a_const = is_const(ins.a);
    bool unary = ins.op == Op::Neg || ins.op == Op::Not || ins.op == Op::In || ins.op == Op::Round;
    bool b_const = unary || is_const(ins.b);
    if (ins.op == Op::And || ins.op == Op::Or) {
      // Short-circuit on a known left side.
      if (a_const && !cpoison(ins.a)) {
        bool av = checked::as_bool(cval(ins.a));
        if ((ins.op == Op::And && !av) || (ins.op == Op::Or && av)) return ins.a;
        return ins.b;
      }
    }
    if (!(a_const && b_const)) return emit(ins);
    std::uint32_t pa = cpoison(ins.a), pb = unary ? 0 : cpoison(ins.b);
    if (pa) return constant(Value(), pa);
    if (pb) return constant(Value(), pb);
    Value v;
    std::uint32_t poison = 0;
    exec_one(ins, cval(ins.a), unary ? Value() : cval(ins.b), v, poison);
    return constant(v, poison);
  }

public:
  static void exec_one(const LinearIns& ins, Value a, Value b, Value& out, std::uint32_t& poison) {
    try {
      switch (ins.op) {
        case Op::Neg: out = -a; break;
        case Op::Not: out = checked::make_bool(!checked::as_bool(a)); break;
        case Op::In: out = checked::make_bool((ins.mask >> checked::as_enum(a)) & 1); break;
        case Op::Round: out = ops::round(a, ins.places, ins.mode); break;
        case Op::Min: out = b < a ? b : a; break;
        case Op::Max: out = b > a ? b : a; break;
        case Op::And: out = checked::as_bool(a) ? b : a; break;
        case Op::Or: out = checked::as_bool(a) ? a : b; break;
        default: out = ops::binary(ins.op, a, b);
      }
    } catch (const DecimalOverflow& e) {
      poison = (std::strcmp(e.what, "division by zero") == 0 ? kDivZero : kOverflow) | ins.node;
    }
  }
};

}  // namespace

Evaluator::~Evaluator() = default;

const Linear& Evaluator::linear_for(const std::vector<std::uint32_t>& rules) {
  for (const auto& l : linear_)
    if (l->rules == rules) return *l;
  auto l = std::make_unique<Linear>();
  Compiler c(program_, *l);
  c.run(rules);
  // Registers: tagged constants are moved to their slots; temporaries follow the constants.
  std::uint32_t base = l->inputs + static_cast<std::uint32_t>(l->consts.size());
  std::uint32_t temp_first = l->inputs;  // temporaries were numbered from `inputs` upward
  auto fix = [&](std::uint32_t& r) {
    if (r == Linear::kNone) return;
    if (r & Compiler::kConstTag) r &= ~Compiler::kConstTag;
    else if (r >= temp_first) r = r - temp_first + base;
  };
  for (auto& ins : l->code) {
    fix(ins.dst);
    fix(ins.a);
    fix(ins.b);
  }
  for (auto& arm : l->arms) {
    fix(arm.cond);
    fix(arm.result);
  }
  for (auto& r : l->out_regs) fix(r);
  l->registers = base + (l->registers - temp_first);
  if (std::getenv("POL_DEBUG_LINEAR")) {
    std::map<int, int> ops;
    for (auto& ins : l->code) ops[static_cast<int>(ins.op)]++;
    fmt::print(stderr, "linear: {} instructions, {} arms, {} constants, {} registers\n", l->code.size(), l->arms.size(), l->consts.size(), l->registers);
    for (auto [o, n] : ops) fmt::print(stderr, "  op {}: {}\n", o, n);
  }
  linear_.push_back(std::move(l));
  return *linear_.back();
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
  const Linear& L = linear_for(rules);
  if (regs_.size() < L.registers) {
    regs_.resize(L.registers);
    poison_.resize(L.registers);
  }
  Value* R = regs_.data();
  std::uint32_t* P = poison_.data();
  for (std::uint32_t i = 0; i < L.inputs; ++i) {
    R[i] = c.values[i];
    P[i] = c.state[i] == InputState::Absent ? (kMissing | i) : 0;
  }
  std::copy(L.consts.begin(), L.consts.end(), R + L.inputs);
  std::copy(L.const_poison.begin(), L.const_poison.end(), P + L.inputs);
  for (const LinearIns& ins : L.code) {
    std::uint32_t pa = P[ins.a];
    switch (ins.op) {
      case Op::And:
      case Op::Or: {
        if (pa) {
          P[ins.dst] = pa;
          continue;
        }
        bool av = checked::as_bool(R[ins.a]);
        if ((ins.op == Op::And) != av) {  // false and …, true or …: the left side decides
          R[ins.dst] = R[ins.a];
          P[ins.dst] = 0;
        } else {
          R[ins.dst] = R[ins.b];
          P[ins.dst] = P[ins.b];
        }
        continue;
      }
      case Op::Chain: {
        const LinearArm* arm = L.arms.data() + ins.first;
        for (std::uint32_t i = 0; i < ins.count; ++i, ++arm) {
          if (arm->cond != Linear::kNone) {
            if (P[arm->cond]) {
              P[ins.dst] = P[arm->cond];
              break;
            }
            if (!checked::as_bool(R[arm->cond])) continue;
          }
          R[ins.dst] = R[arm->result];
          P[ins.dst] = P[arm->result];
          break;
        }
        continue;
      }
      case Op::Match: {
        if (pa) {
          P[ins.dst] = pa;
          continue;
        }
        int s = checked::as_enum(R[ins.a]);
        const LinearArm* arm = L.arms.data() + ins.first;
        for (std::uint32_t i = 0; i < ins.count; ++i, ++arm)
          if (arm->mask == 0 || ((arm->mask >> s) & 1)) {
            R[ins.dst] = R[arm->result];
            P[ins.dst] = P[arm->result];
            break;
          }
        continue;
      }
      case Op::Neg:
      case Op::Not:
      case Op::In:
      case Op::Round:
        if (pa) {
          P[ins.dst] = pa;
          continue;
        }
        break;
      default:
        if (pa || P[ins.b]) {
          P[ins.dst] = pa ? pa : P[ins.b];
          continue;
        }
    }
    // The same operations as ops::binary, written out so that the common case stays inline.
    try {
      const Value a = R[ins.a], b = R[ins.b];
      Value& d = R[ins.dst];
      switch (ins.op) {
        case Op::Not: d = checked::make_bool(!checked::as_bool(a)); break;
        case Op::In: d = checked::make_bool((ins.mask >> checked::as_enum(a)) & 1); break;
        case Op::Lt: d = checked::make_bool(compare(a, b) < 0); break;
        case Op::Le: d = checked::make_bool(compare(a, b) <= 0); break;
        case Op::Gt: d = checked::make_bool(compare(a, b) > 0); break;
        case Op::Ge: d = checked::make_bool(compare(a, b) >= 0); break;
        case Op::Eq: d = checked::make_bool(compare(a, b) == 0); break;
        case Op::Ne: d = checked::make_bool(compare(a, b) != 0); break;
        case Op::Add: d = a + b; break;
        case Op::Sub: d = a - b; break;
        case Op::Mul: d = a * b; break;
        case Op::Neg: d = -a; break;
        case Op::Round: d = a.round(ins.places, ins.mode); break;
        case Op::Min: d = compare(b, a) < 0 ? b : a; break;
        case Op::Max: d = compare(b, a) > 0 ? b : a; break;
        default: d = ops::binary(ins.op, a, b);
      }
      P[ins.dst] = 0;
    } catch (const DecimalOverflow& e) {
      P[ins.dst] = (std::strcmp(e.what, "division by zero") == 0 ? kDivZero : kOverflow) | ins.node;
    }
  }
  out.outputs.clear();
  out.error.reset();
  for (std::size_t k = 0; k < L.rules.size(); ++k) {
    std::uint32_t reg = L.out_regs[k];
    if (P[reg]) {
      out.error = poison_error(P[reg], L.rules[k]);
      return;
    }
    out.outputs.emplace_back(L.rules[k], R[reg]);
  }
}

EvalError Evaluator::poison_error(std::uint32_t poison, std::uint32_t output) const {
  std::uint32_t index = poison & kIndexMask;
  switch (poison & kKindMask) {
    case kMissing: return missing_error(index, output);
    case kNoParam: {
      std::uint32_t ctx = index >> 20, slot = index & ((1u << 20) - 1);
      return no_param_error(slot, policy_.params[slot].place, program_.context_date(ctx));
    }
    case kDivZero: return {EvalErrorKind::DivisionByZero, "", "division by zero", policy_.nodes[index].place};
    default:
      return {EvalErrorKind::Overflow, "", "a number is too large (overflow): it does not fit in 18 digits",
              policy_.nodes[index].place};
  }
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
