#include "eval/evaluator.hpp"

#include <algorithm>
#include <map>
#include <span>
#include <tuple>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "check/checker.hpp"
#include "checked/ops.hpp"

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
// What an overflow is, in words: a date out of the calendar's range, or a number too large.
std::string overflow_words(checked::Op op) {
  if (op == checked::Op::DateAddDays) return "a date falls outside 1900-01-01 .. 2199-12-31 (overflow), ";
  return "a number is too large to be held exactly (overflow: beyond 19 digits), ";
}
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

// A check of validate(), compiled with the code: input `input` against its bound in `reg`
// (kind 0: min, 1: max), or a constraint whose condition is in `reg` (kind 2).
struct LinearCheck {
  std::uint32_t kind, input, reg;
};

// The whole-number form of Linear code, for the cases where it applies (nearly all).
//
// Every register holds an int64 coefficient at a scale fixed when the code is compiled: an
// input of money at 2 decimal places, a whole number at 0, any other number at 6, a constant
// at its own; each operation's scale follows from its operands' (a sum: the larger of the
// two; a product: their sum; round(x, p): p). So the arithmetic is plain integer arithmetic
// with no scale tests, and every result is exactly the value the Decimal arithmetic gives
// (values, not representations, are what the language defines and what is printed).
// Whenever that could not be so, the case leaves this path and runs on the general code
// instead: an input with more decimals than its scale, a missing input, any overflow of an
// int64, a check of validate() that fails. Programs that use an operation without a
// whole-number form here (division, date arithmetic), or a product of more than 18 decimal
// places that is not rounded at once, get no whole-number form at all.
enum class FOp : std::uint8_t {
  Add, Sub, AddSame, SubSame, Mul, MulRound, Round, Move, Neg, Not, In, And, Or,
  Lt, Le, Gt, Ge, Eq, Ne, LtSame, LeSame, GtSame, GeSame, EqSame, NeSame, Min, Max, Chain, Match,
  End, MulRoundN, CheckMin, CheckMax, CheckTrue, Sel1, Sel2, Sel3, MatchSel, MinSame, MaxSame,
};

struct FixIns {
  FOp op;
  std::uint8_t places = 0;  // Round, MulRound: the result's decimals; MulRound: product scale in `first`
  std::uint8_t shift = 0;   // Round: decimals to drop
  RoundMode mode = RoundMode::HalfAwayFromZero;
  std::uint32_t dst = 0, a = 0, b = 0;
  std::int64_t ma = 1, mb = 1;  // the operands' factors to the common scale
  std::uint32_t first = 0, count = 0;
  std::uint64_t mask = 0;
  // Sel1..Sel3: dst = bit i of `mask` ? X[a] : X[b], where i has two bits per leaf k, how
  // X[la[k]] compares with X[lb[k]] (see sel_code).
  std::uint32_t la[3] = {}, lb[3] = {};
};

struct FixArm {
  std::uint32_t cond;  // kNone: otherwise
  std::uint64_t mask;
  std::uint32_t result;
  std::int64_t m;  // the result's factor to the chain's scale
};

struct FixInput {
  std::uint32_t slot;
  std::uint8_t scale;
};

// The last results of one MulRound, by operands: its 128-bit arithmetic is the dearest step,
// and its operands take few distinct values (a contribution times a parameter).
struct MulRoundMemo {
  struct Entry {
    std::int64_t a = 0, b = 0, out = 0;
    bool valid = false;
  };
  Entry e[4];
};

struct Fixed {
  std::vector<MulRoundMemo> memos;  // per MulRound, by its `count`
  std::vector<FixInput> inputs;  // the inputs the code reads: booleans and enums first
  std::uint32_t plain_inputs = 0;  // how many of them are booleans and enums
  struct Out {
    std::uint32_t reg;
    std::uint8_t scale;
    std::uint32_t rule;
  };
  std::vector<Out> out_pack;  // outs, with the rule of each
  std::vector<FixIns> checks;
  std::vector<FixIns> code;
  std::vector<FixArm> arms;
  std::vector<std::int64_t> regs;  // constants filled in once
  std::vector<std::pair<std::uint32_t, std::uint8_t>> outs;  // register, scale
};

struct Linear {
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<std::uint32_t> rules;  // the outputs this code computes
  std::vector<LinearCheck> checks;
  std::unique_ptr<Fixed> fixed;
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
    // The checks of validate(), on the decision date's parameters.
    for (std::uint32_t i = 0; i < p_.inputs.size(); ++i) {
      const auto& in = p_.inputs[i];
      if (in.min != kNoNode) L_.checks.push_back({0, i, node(in.min, 0)});
      if (in.max != kNoNode) L_.checks.push_back({1, i, node(in.max, 0)});
    }
    for (const auto& con : p_.constraints) L_.checks.push_back({2, 0, node(con.condition, 0)});
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
    v = v.normalized();  // small scales keep the arithmetic on its fast path
    auto key = std::make_tuple(v.coef(), v.scale(), poison);
    if (auto it = const_regs_map_.find(key); it != const_regs_map_.end()) return it->second;
    std::uint32_t r = L_.inputs + static_cast<std::uint32_t>(L_.consts.size());
    L_.consts.push_back(v);
    L_.const_poison.push_back(poison);
    const_regs_map_.emplace(key, r | kConstTag);
    return r | kConstTag;
  }
  std::map<std::tuple<std::int64_t, int, std::uint32_t>, std::uint32_t> const_regs_map_;  // one register a constant
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
    // The same operation on the same registers is computed once (`mode == combined` written in
    // two rules, say). Branches are not merged: their arms are not in the key.
    const bool keyed = ins.op != Op::Chain && ins.op != Op::Match;
    std::tuple<int, std::uint32_t, std::uint32_t, std::uint64_t, int, int> key{
        static_cast<int>(ins.op), ins.a, ins.b, ins.mask, ins.places, static_cast<int>(ins.mode)};
    if (keyed)
      if (auto it = same_.find(key); it != same_.end()) return it->second;
    ins.dst = new_reg();
    L_.code.push_back(ins);
    if (keyed) same_.emplace(key, ins.dst);
    return ins.dst;
  }
  std::map<std::tuple<int, std::uint32_t, std::uint32_t, std::uint64_t, int, int>, std::uint32_t> same_;

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

namespace {

__extension__ typedef __int128 i128;

constexpr std::int64_t kP10[19] = {1,
                                   10,
                                   100,
                                   1000,
                                   10000,
                                   100000,
                                   1000000,
                                   10000000,
                                   100000000,
                                   1000000000,
                                   10000000000,
                                   100000000000,
                                   1000000000000,
                                   10000000000000,
                                   100000000000000,
                                   1000000000000000,
                                   10000000000000000,
                                   100000000000000000,
                                   1000000000000000000};

// The scale an input is held at on the whole-number path.
std::uint8_t input_scale(const dsl::Type& t) {
  if (t.base != dsl::Base::Number || t.whole) return 0;
  return t.unit == dsl::Unit::Yuan ? 2 : 6;
}

std::unique_ptr<Fixed> compile_fixed(const checked::Policy& policy, const Linear& L) {
  constexpr int kWide = 100;  // a product of more than 18 decimals, waiting for its round()
  auto F = std::make_unique<Fixed>();
  std::vector<int> sc(L.registers, -1);
  std::vector<std::uint8_t> used(L.inputs, 0);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> wide(L.registers, {0, 0});
  for (std::uint32_t i = 0; i < L.inputs; ++i) sc[i] = input_scale(policy.inputs[i].type);
  for (std::uint32_t k = 0; k < L.consts.size(); ++k)
    if (!L.const_poison[k]) sc[L.inputs + k] = L.consts[k].scale();
  F->regs.assign(L.registers, 0);
  for (std::uint32_t k = 0; k < L.consts.size(); ++k) F->regs[L.inputs + k] = L.consts[k].coef();
  bool ok = true;
  // A register read by an operation: it must hold a value of a known scale.
  auto use = [&](std::uint32_t r) -> int {
    if (r >= sc.size() || sc[r] < 0 || sc[r] == kWide) {
      ok = false;
      return 0;
    }
    if (r < L.inputs) used[r] = 1;
    return sc[r];
  };
  // A constant operand at fewer decimals than the other is brought to the common scale once,
  // here, into a register of its own: the operation then needs no scaling.
  auto prescale = [&](std::uint32_t& r, std::int64_t& m, int s) {
    std::int64_t v;
    bool is_const = r >= L.registers ||
                    (r >= L.inputs && r < L.inputs + L.consts.size() && !L.const_poison[r - L.inputs]);
    if (m == 1 || !is_const || __builtin_mul_overflow(F->regs[r], m, &v)) return;
    F->regs.push_back(v);
    sc.push_back(s);
    r = static_cast<std::uint32_t>(F->regs.size() - 1);
    m = 1;
  };
  auto align = [&](FixIns& f, std::uint32_t a, std::uint32_t b) {
    int sa = use(a), sb = use(b);
    int s = sa > sb ? sa : sb;
    f.ma = kP10[s - sa];
    f.mb = kP10[s - sb];
    if (ok) {
      prescale(f.a, f.ma, s);
      prescale(f.b, f.mb, s);
    }
    return s;
  };
  // A result that is one of its operands unchanged (round() to as many decimals as it has, a
  // product with 1, a sum with 0) is not computed: later reads take the operand instead.
  std::vector<std::uint32_t> alias(L.registers);
  for (std::uint32_t r = 0; r < L.registers; ++r) alias[r] = r;
  auto res = [&](std::uint32_t r) { return r < L.registers ? alias[r] : r; };
  auto const_is = [&](std::uint32_t r, std::int64_t v) {
    return r >= L.inputs && r < L.inputs + L.consts.size() && !L.const_poison[r - L.inputs] &&
           L.consts[r - L.inputs].coef() == v && L.consts[r - L.inputs].scale() == 0;
  };
  for (const LinearIns& raw : L.code) {
    if (!ok) break;
    LinearIns ins = raw;
    ins.a = res(ins.a);
    ins.b = res(ins.b);
    auto same_as = [&](std::uint32_t r) {
      sc[ins.dst] = use(r);
      alias[ins.dst] = r;
    };
    if (ins.op == Op::Mul && (const_is(ins.a, 1) || const_is(ins.b, 1))) {
      same_as(const_is(ins.a, 1) ? ins.b : ins.a);
      continue;
    }
    if ((ins.op == Op::Add && const_is(ins.a, 0)) || ((ins.op == Op::Add || ins.op == Op::Sub) && const_is(ins.b, 0))) {
      same_as(const_is(ins.b, 0) ? ins.a : ins.b);
      continue;
    }
    if (ins.op == Op::Round && ins.a < L.registers && sc[ins.a] >= 0 && sc[ins.a] != kWide && ins.places >= sc[ins.a]) {
      same_as(ins.a);
      continue;
    }
    FixIns f{};
    f.dst = ins.dst;
    f.a = ins.a;
    f.b = ins.b;
    int s = 0;
    switch (ins.op) {
      case Op::Add:
      case Op::Sub: {
        s = align(f, ins.a, ins.b);
        bool same = f.ma == 1 && f.mb == 1;
        f.op = ins.op == Op::Add ? (same ? FOp::AddSame : FOp::Add) : (same ? FOp::SubSame : FOp::Sub);
        break;
      }
      case Op::Min:
      case Op::Max:
        s = align(f, ins.a, ins.b);
        if (f.ma == 1 && f.mb == 1) f.op = ins.op == Op::Min ? FOp::MinSame : FOp::MaxSame;
        else f.op = ins.op == Op::Min ? FOp::Min : FOp::Max;
        break;
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
      case Op::Eq:
      case Op::Ne: {
        align(f, ins.a, ins.b);
        bool same = f.ma == 1 && f.mb == 1;
        static constexpr FOp kDiff[] = {FOp::Eq, FOp::Ne, FOp::Lt, FOp::Le, FOp::Gt, FOp::Ge};
        static constexpr FOp kSame[] = {FOp::EqSame, FOp::NeSame, FOp::LtSame, FOp::LeSame, FOp::GtSame, FOp::GeSame};
        int k = static_cast<int>(ins.op) - static_cast<int>(Op::Eq);
        f.op = same ? kSame[k] : kDiff[k];
        s = 0;
        break;
      }
      case Op::Mul: {
        s = use(ins.a) + use(ins.b);
        if (s > Decimal::kMaxScale) {
          // Only a round() of it can be computed here: the two are done as one.
          wide[ins.dst] = {ins.a, ins.b};
          sc[ins.dst] = kWide;
          continue;
        }
        f.op = FOp::Mul;
        break;
      }
      case Op::Round: {
        if (ins.a < L.registers && sc[ins.a] == kWide) {
          f.op = FOp::MulRound;
          f.a = wide[ins.a].first;
          f.b = wide[ins.a].second;
          f.count = static_cast<std::uint32_t>(F->memos.size());
          F->memos.emplace_back();
          f.first = static_cast<std::uint32_t>(use(f.a) + use(f.b));
          f.places = ins.places;
          f.mode = ins.mode;
          sc[ins.a] = -1;  // read once only
          s = ins.places;
          break;
        }
        int sa = use(ins.a);
        if (ins.places >= sa) {
          f.op = FOp::Move;
          s = sa;
        } else {
          f.op = FOp::Round;
          f.places = ins.places;
          f.shift = static_cast<std::uint8_t>(sa - ins.places);
          f.mode = ins.mode;
          s = ins.places;
        }
        break;
      }
      case Op::Neg:
        s = use(ins.a);
        f.op = FOp::Neg;
        break;
      case Op::Not:
        use(ins.a);
        f.op = FOp::Not;
        break;
      case Op::In:
        use(ins.a);
        f.op = FOp::In;
        f.mask = ins.mask;
        break;
      case Op::And:
      case Op::Or:
        use(ins.a);
        use(ins.b);
        f.op = ins.op == Op::And ? FOp::And : FOp::Or;
        break;
      case Op::Chain:
      case Op::Match: {
        if (ins.op == Op::Match) use(ins.a);
        f.op = ins.op == Op::Chain ? FOp::Chain : FOp::Match;
        f.first = static_cast<std::uint32_t>(F->arms.size());
        f.count = ins.count;
        for (std::uint32_t i = 0; i < ins.count; ++i) {
          const LinearArm& arm = L.arms[ins.first + i];
          if (arm.cond != Linear::kNone) use(res(arm.cond));
          int rs = use(res(arm.result));
          if (rs > s) s = rs;
        }
        for (std::uint32_t i = 0; i < ins.count; ++i) {
          const LinearArm& arm = L.arms[ins.first + i];
          std::uint32_t cond = arm.cond == Linear::kNone ? Linear::kNone : res(arm.cond), result = res(arm.result);
          int rs = ok ? sc[result] : 0;
          F->arms.push_back({cond, arm.mask, result, kP10[s - rs]});
        }
        break;
      }
      default: ok = false;  // division, date arithmetic: the general path only
    }
    if (s > Decimal::kMaxScale) ok = false;
    if (!ok) break;
    sc[ins.dst] = s;
    F->code.push_back(f);
  }
  for (std::uint32_t r0 : L.out_regs) {
    if (!ok) break;
    std::uint32_t r = res(r0);
    int s = use(r);
    F->outs.emplace_back(r, static_cast<std::uint8_t>(s));
  }
  for (LinearCheck ch : L.checks) {
    if (!ok) break;
    ch.reg = res(ch.reg);
    bool known = ch.reg < L.registers && sc[ch.reg] >= 0 && sc[ch.reg] != kWide;
    bool poisoned_const = ch.reg >= L.inputs && ch.reg < L.inputs + L.consts.size() && L.const_poison[ch.reg - L.inputs];
    if (poisoned_const) continue;  // validate() skips a check it cannot evaluate
    if (!known) {
      ok = false;
      break;
    }
    FixIns f{};
    if (ch.kind == 2) {
      f.op = FOp::CheckTrue;
      f.a = ch.reg;
      use(ch.reg);
    } else {
      f.op = ch.kind == 0 ? FOp::CheckMin : FOp::CheckMax;
      f.a = ch.input;
      f.b = ch.reg;
      align(f, ch.input, ch.reg);
    }
    F->checks.push_back(f);
  }
  if (!ok) return nullptr;
  // Keep only what the outputs need, then, after an End, what only the checks need (run only
  // when checking); a round() of a product read nowhere else is done with the product.
  {
    auto operands = [](const FixIns& f, const std::vector<FixArm>& arms, auto&& fn) {
      switch (f.op) {
        case FOp::Round:
        case FOp::Move:
        case FOp::Neg:
        case FOp::Not:
        case FOp::In: fn(f.a); break;
        case FOp::Chain:
        case FOp::Match:
          if (f.op == FOp::Match) fn(f.a);
          for (std::uint32_t i = 0; i < f.count; ++i) {
            if (arms[f.first + i].cond != Linear::kNone) fn(arms[f.first + i].cond);
            fn(arms[f.first + i].result);
          }
          break;
        default: fn(f.a); fn(f.b);
      }
    };
    const std::size_t n = F->code.size();
    const std::size_t R = F->regs.size();  // the registers, with the constants added above
    std::vector<std::vector<FixIns>> extra;  // per instruction: what is computed just before it
    std::vector<std::uint8_t> need_out(R, 0), need_chk(R, 0), seg(n, 0);  // seg 1 out, 2 check
    for (auto& [r, sc_] : F->outs) need_out[r] = 1;
    for (const FixIns& c : F->checks) {
      need_chk[c.a] = 1;
      if (c.op != FOp::CheckTrue) need_chk[c.b] = 1;
    }
    for (std::size_t i = n; i-- > 0;) {
      const FixIns& f = F->code[i];
      if (need_out[f.dst]) {
        seg[i] = 1;
        operands(f, F->arms, [&](std::uint32_t r) { need_out[r] = 1; });
      } else if (need_chk[f.dst]) {
        seg[i] = 2;
        operands(f, F->arms, [&](std::uint32_t r) { need_chk[r] = 1; });
      }
    }
    std::vector<std::uint32_t> uses(R, 0);
    for (std::size_t i = 0; i < n; ++i)
      if (seg[i]) operands(F->code[i], F->arms, [&](std::uint32_t r) { ++uses[r]; });
    for (auto& [r, sc_] : F->outs) ++uses[r];
    for (const FixIns& c : F->checks) {
      ++uses[c.a];
      if (c.op != FOp::CheckTrue) ++uses[c.b];
    }
    std::vector<int> producer(R, -1);
    for (std::size_t i = 0; i < n; ++i)
      if (seg[i]) producer[F->code[i].dst] = static_cast<int>(i);
    for (std::size_t i = 0; i < n; ++i) {
      FixIns& f = F->code[i];
      if (!seg[i] || f.op != FOp::Round) continue;
      int j = producer[f.a];
      if (j < 0 || F->code[j].op != FOp::Mul || uses[f.a] != 1 || seg[j] != seg[i]) continue;
      FixIns& m = F->code[j];
      m.op = FOp::MulRoundN;
      m.dst = f.dst;
      m.shift = f.shift;
      m.places = f.places;
      m.mode = f.mode;
      seg[i] = 0;
    }
    // Booleans and two-way choices become one branch-free operation (Sel1..Sel3): up to three
    // comparisons of registers ("leaves"), combined by a truth table, choosing between two
    // registers. A comparison or and/or/not read only by the next one is folded into it, so
    // `a >= 15 and b >= 2` is one operation; a `when c then x otherwise y` is a choice on c.
    // Only comparisons of registers at the same scale are leaves (others stay as they are).
    {
      struct BExpr {
        int n = 0;
        std::uint32_t a[3] = {}, b[3] = {};
        std::uint8_t tt[3] = {};  // leaf k is true for the codes (see sel_code) set in tt[k]
        std::uint8_t table = 0;   // the expression, by the leaves' truth values (bit k: leaf k)
      };
      auto add_const = [&](std::int64_t v) {
        F->regs.push_back(v);
        return static_cast<std::uint32_t>(F->regs.size() - 1);
      };
      const std::uint32_t kZero = add_const(0), kOne = add_const(1);
      // tt: bit 0 when a > b, bit 1 when a < b, bit 2 when a == b (see sel_bit).
      auto cmp_tt = [](FOp op) -> int {
        switch (op) {
          case FOp::LtSame: return 2;
          case FOp::LeSame: return 6;
          case FOp::GtSame: return 1;
          case FOp::GeSame: return 5;
          case FOp::EqSame: return 4;
          case FOp::NeSame: return 3;
          default: return -1;
        }
      };
      std::vector<int> expr_of(R, -1);  // register -> index into exprs, by its producer
      std::vector<BExpr> exprs;
      std::vector<std::uint8_t> fused(n, 0);       // 1: becomes Sel; 2: folded into its reader
      std::vector<BExpr> sel(n);
      std::vector<std::uint32_t> sel_t(n), sel_f(n);
      extra.assign(n, {});
      auto reg_leaf = [&](std::uint32_t r) {
        BExpr e;
        e.n = 1;
        e.a[0] = r;
        e.b[0] = kZero;
        e.tt[0] = 3;  // != 0
        e.table = 0xAA;
        return e;
      };
      // The expression of register r as read by instruction i, and the producer to drop if used.
      auto inline_of = [&](std::uint32_t r, std::size_t i, int& from) -> BExpr {
        from = -1;
        if (r < R && expr_of[r] >= 0 && uses[r] == 1) {
          int j = producer[r];
          if (j >= 0 && seg[j] == seg[i]) {
            from = j;
            return exprs[expr_of[r]];
          }
        }
        return reg_leaf(r);
      };
      auto combine = [](const BExpr& A, const BExpr& B, bool is_and) {
        BExpr e;
        e.n = A.n + B.n;
        for (int k = 0; k < A.n; ++k) e.a[k] = A.a[k], e.b[k] = A.b[k], e.tt[k] = A.tt[k];
        for (int k = 0; k < B.n; ++k) e.a[A.n + k] = B.a[k], e.b[A.n + k] = B.b[k], e.tt[A.n + k] = B.tt[k];
        for (unsigned idx = 0; idx < 8; ++idx) {
          unsigned ia = idx & ((1u << A.n) - 1), ib = (idx >> A.n) & ((1u << B.n) - 1);
          unsigned va = (A.table >> ia) & 1u, vb = (B.table >> ib) & 1u;
          unsigned v = is_and ? (va & vb) : (va | vb);
          e.table = static_cast<std::uint8_t>(e.table | (v << idx));
        }
        return e;
      };
      auto is_const = [&](std::uint32_t r) {
        return r >= L.registers ||
               (r >= L.inputs && r < L.inputs + L.consts.size() && !L.const_poison[r - L.inputs]);
      };
      // A chain's arm result at the chain's scale: the register, or a constant scaled once.
      auto arm_reg = [&](const FixArm& arm, std::uint32_t& out) {
        if (arm.m == 1) {
          out = arm.result;
          return true;
        }
        std::int64_t v;
        if (!is_const(arm.result) || __builtin_mul_overflow(F->regs[arm.result], arm.m, &v)) return false;
        out = add_const(v);
        return true;
      };
      auto make_sel = [&](const BExpr& e, std::uint32_t dst, std::uint32_t t, std::uint32_t f_) {
        FixIns f{};
        f.op = e.n == 1 ? FOp::Sel1 : e.n == 2 ? FOp::Sel2 : FOp::Sel3;
        f.dst = dst;
        f.mask = 0;
        for (int k = 0; k < 3; ++k) {
          f.la[k] = k < e.n ? e.a[k] : kZero;
          f.lb[k] = k < e.n ? e.b[k] : kZero;
        }
        // The table by the leaves' codes: code c of leaf k is true when bit c of tt[k] is set.
        for (unsigned idx = 0; idx < (1u << (2 * e.n)); ++idx) {
          unsigned bits = 0;
          for (int k = 0; k < e.n; ++k) bits |= ((e.tt[k] >> ((idx >> (2 * k)) & 3u)) & 1u) << k;
          f.mask |= static_cast<std::uint64_t>((e.table >> bits) & 1u) << idx;
        }
        f.a = t;
        f.b = f_;
        return f;
      };
      // A chain whose arms all have conditions but the last, `otherwise`.
      auto chain_ok = [&](const FixIns& f) {
        for (std::uint32_t k = 0; k + 1 < f.count; ++k)
          if (F->arms[f.first + k].cond == Linear::kNone) return false;
        return F->arms[f.first + f.count - 1].cond == Linear::kNone;
      };
      for (std::size_t i = 0; i < n; ++i) {
        if (!seg[i]) continue;
        const FixIns& f = F->code[i];
        int t = cmp_tt(f.op);
        if (t >= 0) {
          BExpr e;
          e.n = 1;
          e.a[0] = f.a;
          e.b[0] = f.b;
          e.tt[0] = static_cast<std::uint8_t>(t);
          e.table = 0xAA;
          expr_of[f.dst] = static_cast<int>(exprs.size());
          exprs.push_back(e);
          continue;  // stays a comparison unless folded into its reader
        }
        BExpr e;
        int j1 = -1, j2 = -1;
        if (f.op == FOp::Not) {
          e = inline_of(f.a, i, j1);
          e.table = static_cast<std::uint8_t>(~e.table);
          expr_of[f.dst] = static_cast<int>(exprs.size());
          exprs.push_back(e);
          sel_t[i] = kOne;
          sel_f[i] = kZero;
        } else if (f.op == FOp::And || f.op == FOp::Or) {
          BExpr A = inline_of(f.a, i, j1), B = inline_of(f.b, i, j2);
          if (A.n + B.n > 3 && j2 >= 0 && A.n + 1 <= 3) B = reg_leaf(f.b), j2 = -1;
          if (A.n + B.n > 3 && j1 >= 0) A = reg_leaf(f.a), j1 = -1;
          if (A.n + B.n > 3) B = reg_leaf(f.b), j2 = -1;
          e = combine(A, B, f.op == FOp::And);
          expr_of[f.dst] = static_cast<int>(exprs.size());
          exprs.push_back(e);
          sel_t[i] = kOne;
          sel_f[i] = kZero;
        } else if (f.op == FOp::Chain && f.count >= 2 && chain_ok(f)) {
          // when c1 then r1 when c2 then r2 … otherwise rn: from the last choice to the first,
          // each into a temporary register (c2 ? r2 : …), the first into the chain's own.
          std::vector<std::uint32_t> rr(f.count);
          bool all = true;
          for (std::uint32_t k = 0; k < f.count; ++k) all = all && arm_reg(F->arms[f.first + k], rr[k]);
          if (!all) continue;
          std::uint32_t next = rr[f.count - 1];
          for (std::uint32_t k = f.count - 2; k >= 1; --k) {
            int jk = -1;
            BExpr ek = inline_of(F->arms[f.first + k].cond, i, jk);
            if (jk >= 0) fused[jk] = 2;
            const std::uint32_t tmp = add_const(0);  // a temporary, written per case
            extra[i].push_back(make_sel(ek, tmp, rr[k], next));
            next = tmp;
          }
          e = inline_of(F->arms[f.first].cond, i, j1);
          sel_t[i] = rr[0];
          sel_f[i] = next;
        } else if (f.op == FOp::Match && f.count == 2 && F->arms[f.first].mask != 0) {
          // Matches are exhaustive (the checker sees to it): the second arm is the rest.
          std::uint32_t rt, rf;
          if (!arm_reg(F->arms[f.first], rt) || !arm_reg(F->arms[f.first + 1], rf)) continue;
          FixIns& m = F->code[i];
          m.op = FOp::MatchSel;
          m.mask = F->arms[f.first].mask;
          m.first = rt;
          m.count = rf;
          continue;
        } else {
          continue;
        }
        fused[i] = 1;
        sel[i] = e;
        if (j1 >= 0) fused[j1] = 2;
        if (j2 >= 0) fused[j2] = 2;
      }
      for (std::size_t i = 0; i < n; ++i) {
        if (fused[i] == 2) {
          seg[i] = 0;
        } else if (fused[i] == 1) {
          F->code[i] = make_sel(sel[i], F->code[i].dst, sel_t[i], sel_f[i]);
        }
      }
    }
    std::vector<FixIns> code;
    for (int part = 1; part <= 2; ++part) {
      for (std::size_t i = 0; i < n; ++i)
        if (seg[i] == part) {
          code.insert(code.end(), extra[i].begin(), extra[i].end());
          code.push_back(F->code[i]);
        }
      if (part == 1) code.push_back(FixIns{FOp::End});
    }
    code.push_back(FixIns{FOp::End});
    F->code = std::move(code);
  }
  // Booleans and enum values first: their values are whole numbers (scale 0), copied as they are.
  auto plain = [&](std::uint32_t i) {
    return policy.inputs[i].type.base == dsl::Base::Bool || policy.inputs[i].type.base == dsl::Base::Enum;
  };
  for (std::uint32_t i = 0; i < L.inputs; ++i)
    if (used[i] && plain(i)) F->inputs.push_back({i, static_cast<std::uint8_t>(sc[i])});
  F->plain_inputs = static_cast<std::uint32_t>(F->inputs.size());
  for (std::uint32_t i = 0; i < L.inputs; ++i)
    if (used[i] && !plain(i)) F->inputs.push_back({i, static_cast<std::uint8_t>(sc[i])});
  for (std::size_t k = 0; k < F->outs.size(); ++k)
    F->out_pack.push_back({F->outs[k].first, F->outs[k].second, L.rules[k]});
  return F;
}

// Decimal's rounding of an int64 coefficient by 10^shift.
inline std::int64_t round_shift(std::int64_t v, int shift, RoundMode mode) {
  std::int64_t d = kP10[shift];
  std::int64_t q, r;
  switch (shift) {  // constant divisors: multiplications instead of divisions
#define POL_ROUND_CASE(n) \
  case n: q = v / kP10[n]; r = v % kP10[n]; break;
    POL_ROUND_CASE(1) POL_ROUND_CASE(2) POL_ROUND_CASE(3) POL_ROUND_CASE(4) POL_ROUND_CASE(5) POL_ROUND_CASE(6)
    POL_ROUND_CASE(7) POL_ROUND_CASE(8) POL_ROUND_CASE(9) POL_ROUND_CASE(10) POL_ROUND_CASE(11) POL_ROUND_CASE(12)
#undef POL_ROUND_CASE
    default: q = v / d; r = v % d;
  }
  if (r != 0) {
    std::int64_t ar = r < 0 ? -r : r;
    bool up = mode == RoundMode::AwayFromZero || (mode == RoundMode::HalfAwayFromZero && ar >= d - ar);
    if (up) q += v < 0 ? -1 : 1;
  }
  return q;
}

inline i128 round_shift128(i128 v, int shift) {  // half away from zero, as Decimal's make()
  i128 d = 1;
  for (int i = 0; i < shift; ++i) d *= 10;
  i128 q = v / d, r = v % d;
  if (r != 0) {
    i128 ar = r < 0 ? -r : r;
    if (2 * ar >= d) q += v < 0 ? -1 : 1;
  }
  return q;
}

// round(a * b, places, mode) as Decimal computes it: the exact product p / 10^s, brought into
// range as Decimal does (to 18 decimals, then one decimal fewer at a time while it does not
// fit), then rounded; the result at scale `places`. False when Decimal would overflow or the
// result does not fit.
bool mul_round(std::int64_t a, std::int64_t b, int s, int places, RoundMode mode, std::int64_t& out) {
  i128 p = static_cast<i128>(a) * b;
  if (s > Decimal::kMaxScale) {
    p = round_shift128(p, s - Decimal::kMaxScale);
    s = Decimal::kMaxScale;
  }
  while ((p > INT64_MAX || p < INT64_MIN) && s > 0) {
    p = round_shift128(p, 1);
    --s;
  }
  if (p > INT64_MAX || p < INT64_MIN) return false;
  std::int64_t c = static_cast<std::int64_t>(p);
  if (places < s) {
    c = round_shift(c, s - places, mode);
    s = places;
  }
  return !__builtin_mul_overflow(c, kP10[places - s], &out);
}

// bit (0 or 1) ? t : f, without a branch (the bit depends on the case: a branch would often
// be mispredicted).
inline std::int64_t pick(std::uint64_t bit, std::int64_t t, std::int64_t f) {
  return f ^ ((t ^ f) & -static_cast<std::int64_t>(bit));
}

// One leaf of Sel1..Sel3: 0 when x > y, 1 when x < y, 2 when equal.
inline unsigned sel_code(std::int64_t x, std::int64_t y) {
  return static_cast<unsigned>(x < y) | static_cast<unsigned>(x == y) << 1;
}

}  // namespace

bool Evaluator::run_fixed(const Linear& L, const Case& c, bool checks, Outcome& out) {
  Fixed& F = *L.fixed;
  std::int64_t* X = F.regs.data();
  const InputState* state = c.state.data();
  const Value* values = c.values.data();
  const FixInput* in_plain = F.inputs.data();
  for (const FixInput* e = in_plain + F.plain_inputs; in_plain != e; ++in_plain) {
    if (state[in_plain->slot] == InputState::Absent) return false;
    X[in_plain->slot] = values[in_plain->slot].coef();  // booleans and enums: scale 0
  }
  for (const FixInput& in : std::span(F.inputs).subspan(F.plain_inputs)) {
    if (state[in.slot] == InputState::Absent) return false;
    const Value v = values[in.slot];
    const int s = v.scale();
    const std::int64_t k = v.coef();
    if (s <= in.scale) [[likely]] {  // one multiplication, whatever the number of decimals given
      if (__builtin_mul_overflow(k, kP10[in.scale - s], &X[in.slot])) return false;
    } else {
      std::int64_t d = kP10[s - in.scale];
      if (k % d != 0) return false;
      X[in.slot] = k / d;
    }
  }
  auto scaled = [&](const FixIns& I, std::int64_t& a, std::int64_t& b) {
    return !(__builtin_mul_overflow(X[I.a], I.ma, &a) | __builtin_mul_overflow(X[I.b], I.mb, &b));
  };
  // Threaded dispatch: each operation jumps to the next one itself (GCC may merge the jumps;
  // keeping them apart measured no faster here). The code ends with End.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
  static const void* const kLabels[] = {
      &&op_Add, &&op_Sub, &&op_AddSame, &&op_SubSame, &&op_Mul, &&op_MulRound, &&op_Round, &&op_Move, &&op_Neg,
      &&op_Not, &&op_In, &&op_And, &&op_Or, &&op_Lt, &&op_Le, &&op_Gt, &&op_Ge, &&op_Eq, &&op_Ne, &&op_LtSame,
      &&op_LeSame, &&op_GtSame, &&op_GeSame, &&op_EqSame, &&op_NeSame, &&op_Min, &&op_Max, &&op_Chain, &&op_Match,
      &&op_End, &&op_MulRoundN, &&op_End, &&op_End, &&op_End, &&op_Sel1, &&op_Sel2, &&op_Sel3, &&op_MatchSel, &&op_MinSame, &&op_MaxSame};
  const FixIns* ip = F.code.data();
  std::int64_t a, b;
  bool in_checks = false;
#define POL_NEXT                                     \
  do {                                               \
    ++ip;                                            \
    goto* kLabels[static_cast<int>(ip->op)];         \
  } while (0)
#define POL_D X[ip->dst]
  goto* kLabels[static_cast<int>(ip->op)];
op_AddSame:
  if (__builtin_add_overflow(X[ip->a], X[ip->b], &POL_D)) return false;
  POL_NEXT;
op_SubSame:
  if (__builtin_sub_overflow(X[ip->a], X[ip->b], &POL_D)) return false;
  POL_NEXT;
op_Add:
  if (!scaled(*ip, a, b) || __builtin_add_overflow(a, b, &POL_D)) return false;
  POL_NEXT;
op_Sub:
  if (!scaled(*ip, a, b) || __builtin_sub_overflow(a, b, &POL_D)) return false;
  POL_NEXT;
op_Mul:
  if (__builtin_mul_overflow(X[ip->a], X[ip->b], &POL_D)) return false;
  POL_NEXT;
op_MulRound: {
  const std::int64_t ma = X[ip->a], mb = X[ip->b];
  auto& m = F.memos[ip->count].e[static_cast<std::uint64_t>(ma ^ (mb >> 3)) & 3];
  if (m.valid && m.a == ma && m.b == mb) {
    POL_D = m.out;
  } else {
    if (!mul_round(ma, mb, static_cast<int>(ip->first), ip->places, ip->mode, POL_D)) return false;
    m = {ma, mb, POL_D, true};
  }
  POL_NEXT;
}
op_Round:
  POL_D = round_shift(X[ip->a], ip->shift, ip->mode);
  POL_NEXT;
op_MulRoundN:
  if (__builtin_mul_overflow(X[ip->a], X[ip->b], &a)) return false;
  POL_D = round_shift(a, ip->shift, ip->mode);
  POL_NEXT;
op_Move:
  POL_D = X[ip->a];
  POL_NEXT;
op_Neg:
  if (X[ip->a] == INT64_MIN) return false;
  POL_D = -X[ip->a];
  POL_NEXT;
op_Not:
  POL_D = X[ip->a] == 0;
  POL_NEXT;
op_In:
  POL_D = static_cast<std::int64_t>((ip->mask >> X[ip->a]) & 1);
  POL_NEXT;
op_And:
  POL_D = X[ip->a] != 0 ? X[ip->b] : X[ip->a];
  POL_NEXT;
op_Or:
  POL_D = X[ip->a] != 0 ? X[ip->a] : X[ip->b];
  POL_NEXT;
op_LtSame:
  POL_D = X[ip->a] < X[ip->b];
  POL_NEXT;
op_LeSame:
  POL_D = X[ip->a] <= X[ip->b];
  POL_NEXT;
op_GtSame:
  POL_D = X[ip->a] > X[ip->b];
  POL_NEXT;
op_GeSame:
  POL_D = X[ip->a] >= X[ip->b];
  POL_NEXT;
op_EqSame:
  POL_D = X[ip->a] == X[ip->b];
  POL_NEXT;
op_NeSame:
  POL_D = X[ip->a] != X[ip->b];
  POL_NEXT;
op_Lt:
  if (!scaled(*ip, a, b)) return false;
  POL_D = a < b;
  POL_NEXT;
op_Le:
  if (!scaled(*ip, a, b)) return false;
  POL_D = a <= b;
  POL_NEXT;
op_Gt:
  if (!scaled(*ip, a, b)) return false;
  POL_D = a > b;
  POL_NEXT;
op_Ge:
  if (!scaled(*ip, a, b)) return false;
  POL_D = a >= b;
  POL_NEXT;
op_Eq:
  if (!scaled(*ip, a, b)) return false;
  POL_D = a == b;
  POL_NEXT;
op_Ne:
  if (!scaled(*ip, a, b)) return false;
  POL_D = a != b;
  POL_NEXT;
op_MinSame:
  POL_D = X[ip->b] < X[ip->a] ? X[ip->b] : X[ip->a];
  POL_NEXT;
op_MaxSame:
  POL_D = X[ip->b] > X[ip->a] ? X[ip->b] : X[ip->a];
  POL_NEXT;
op_Min:
  if (!scaled(*ip, a, b)) return false;
  POL_D = b < a ? b : a;
  POL_NEXT;
op_Max:
  if (!scaled(*ip, a, b)) return false;
  POL_D = b > a ? b : a;
  POL_NEXT;
op_Chain: {
  const FixArm* arm = F.arms.data() + ip->first;
  for (std::uint32_t i = 0; i < ip->count; ++i, ++arm)
    if (arm->cond == Linear::kNone || X[arm->cond] != 0) {
      if (__builtin_mul_overflow(X[arm->result], arm->m, &POL_D)) return false;
      break;
    }
  POL_NEXT;
}
op_Match: {
  const std::int64_t sv = X[ip->a];
  const FixArm* arm = F.arms.data() + ip->first;
  for (std::uint32_t i = 0; i < ip->count; ++i, ++arm)
    if (arm->mask == 0 || ((arm->mask >> sv) & 1)) {
      if (__builtin_mul_overflow(X[arm->result], arm->m, &POL_D)) return false;
      break;
    }
  POL_NEXT;
}
op_Sel1: {
  const unsigned idx = sel_code(X[ip->la[0]], X[ip->lb[0]]);
  POL_D = pick((ip->mask >> idx) & 1u, X[ip->a], X[ip->b]);
  POL_NEXT;
}
op_Sel2: {
  const unsigned idx = sel_code(X[ip->la[0]], X[ip->lb[0]]) | sel_code(X[ip->la[1]], X[ip->lb[1]]) << 2;
  POL_D = pick((ip->mask >> idx) & 1u, X[ip->a], X[ip->b]);
  POL_NEXT;
}
op_Sel3: {
  const unsigned idx = sel_code(X[ip->la[0]], X[ip->lb[0]]) | sel_code(X[ip->la[1]], X[ip->lb[1]]) << 2 |
                       sel_code(X[ip->la[2]], X[ip->lb[2]]) << 4;
  POL_D = pick((ip->mask >> idx) & 1u, X[ip->a], X[ip->b]);
  POL_NEXT;
}
op_MatchSel:
  POL_D = pick((ip->mask >> X[ip->a]) & 1u, X[ip->first], X[ip->count]);
  POL_NEXT;
op_End:
  // The checks of validate() last: the code after the first End computes what only they need.
  if (checks && !in_checks) {
    in_checks = true;
    POL_NEXT;
  }
  if (checks) {
    for (const FixIns& I : F.checks) {
      switch (I.op) {
        case FOp::CheckTrue:
          if (!X[I.a]) return false;
          break;
        case FOp::CheckMin:
          if (!scaled(I, a, b) || a < b) return false;
          break;
        default:
          if (!scaled(I, a, b) || a > b) return false;
      }
    }
  }
#undef POL_NEXT
#undef POL_D
#pragma GCC diagnostic pop
  out.error.reset();
  out.outputs.resize(F.out_pack.size());
  auto* o = out.outputs.data();
  for (const Fixed::Out& p : F.out_pack) *o++ = {p.rule, Value::raw(X[p.reg], p.scale)};
  return true;
}

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
  for (auto& ch : l->checks) fix(ch.reg);
  l->registers = base + (l->registers - temp_first);
  l->fixed = compile_fixed(policy_, *l);
  if (std::getenv("POL_DEBUG_LINEAR")) {
    std::map<int, int> ops;
    for (auto& ins : l->code) ops[static_cast<int>(ins.op)]++;
    fmt::print(stderr, "linear: {} instructions, {} arms, {} constants, {} registers, {} checks; whole-number form: {}\n",
               l->code.size(), l->arms.size(), l->consts.size(), l->registers, l->checks.size(),
               l->fixed ? fmt::format("{} instructions, {} checks, {} inputs", l->fixed->code.size(),
                                      l->fixed->checks.size(), l->fixed->inputs.size())
                        : std::string("none"));
    for (auto [o, n] : ops) fmt::print(stderr, "  op {}: {}\n", o, n);
    if (l->fixed) {
      std::map<int, int> fops;
      for (auto& f : l->fixed->code) fops[static_cast<int>(f.op)]++;
      fmt::print(stderr, "  whole-number form by operation:");
      for (auto [o, n] : fops) fmt::print(stderr, " {}:{}", o, n);
      fmt::print(stderr, "\n");
    }
    if (std::string_view(std::getenv("POL_DEBUG_LINEAR")) == "2") {
      auto reg = [&](std::uint32_t r) {
        if (r == Linear::kNone) return std::string("-");
        if (r < l->inputs) return "in:" + policy_.inputs[r].name;
        if (r < l->inputs + l->consts.size()) return "c:" + l->consts[r - l->inputs].to_string();
        return fmt::format("r{}", r);
      };
      for (auto& ins : l->code) {
        fmt::print(stderr, "  r{} = op{} {} {}", ins.dst, static_cast<int>(ins.op), reg(ins.a), reg(ins.b));
        for (std::uint32_t i = 0; i < ins.count && (ins.op == Op::Chain || ins.op == Op::Match); ++i)
          fmt::print(stderr, " [{} -> {}]", reg(l->arms[ins.first + i].cond), reg(l->arms[ins.first + i].result));
        fmt::print(stderr, "\n");
      }
    }
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
                       (div0 ? "division by zero " : overflow_words(n.op)) + rule_context(id, current_output_), n.place}};
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
  if (L.fixed && run_fixed(L, c, false, out)) return;
  evaluate_linear(L, c, out);
}

void Evaluator::validate_and_evaluate(const Case& c, const std::vector<std::uint32_t>& rules, Outcome& out,
                                      std::optional<EvalError>& invalid) {
  const Linear& L = linear_for(rules);
  invalid.reset();
  if (L.fixed && run_fixed(L, c, true, out)) return;
  invalid = validate(c);
  if (invalid) {
    out.outputs.clear();
    out.error.reset();
    return;
  }
  evaluate_linear(L, c, out);
}

void Evaluator::evaluate_linear(const Linear& L, const Case& c, Outcome& out) {
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
    case kDivZero:
      return {EvalErrorKind::DivisionByZero, "", "division by zero " + rule_context(index, output),
              policy_.nodes[index].place};
    default:
      return {EvalErrorKind::Overflow, "", overflow_words(policy_.nodes[index].op) + rule_context(index, output),
              policy_.nodes[index].place};
  }
}

// Where a failing operation is: "in output 'x' (label) at FILE:LINE", or, when it is in a let
// or another output that the output needs, "in 'y' (label) at FILE:LINE, needed by output 'x' (label)".
std::string Evaluator::rule_context(NodeId node, std::uint32_t output) const {
  const auto& nodes = policy_.nodes;
  auto holds = [&](NodeId root) {
    std::vector<NodeId> stack{root};
    while (!stack.empty()) {
      NodeId id = stack.back();
      stack.pop_back();
      if (id == kNoNode || id >= nodes.size()) continue;
      if (id == node) return true;
      const Node& n = nodes[id];
      if (n.op == Op::Rule) continue;  // another definition's body is its own
      stack.push_back(n.a);
      stack.push_back(n.b);
      if (n.op == Op::Min || n.op == Op::Max)
        for (std::uint32_t i = 0; i < n.count; ++i) stack.push_back(policy_.operands[n.first + i]);
      if (n.op == Op::Chain || n.op == Op::Match)
        for (std::uint32_t i = 0; i < n.count; ++i) {
          stack.push_back(policy_.branches[n.first + i].condition);
          stack.push_back(policy_.branches[n.first + i].result);
        }
    }
    return false;
  };
  std::uint32_t in = output;
  if (output >= policy_.rules.size() || !holds(policy_.rules[output].body))
    for (std::uint32_t r = 0; r < policy_.rules.size(); ++r)
      if (holds(policy_.rules[r].body)) {
        in = r;
        break;
      }
  std::string where;
  if (node < nodes.size()) {
    const auto& place = nodes[node].place;
    if (place.file < policy_.files.size())
      where = fmt::format(" at {}:{}", policy_.file_of(place).name(), policy_.file_of(place).line_col(place.range.begin).line);
  }
  if (output >= policy_.rules.size()) return fmt::format("while computing{}", where);
  const auto& out = policy_.rules[output];
  if (in == output) return fmt::format("in {} '{}' ({}){}", out.is_output ? "output" : "let", out.name, out.label, where);
  const auto& r = policy_.rules[in];
  return fmt::format("in '{}' ({}){}, needed by {} '{}' ({})", r.name, r.label, where, out.is_output ? "output" : "let",
                     out.name, out.label);
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
