#include <map>
#include <tuple>

#include "eval/int64/code.hpp"
#include "eval/registers/code.hpp"

namespace pol::interp::registers {

using checked::kNoNode;
using checked::Node;

Code::Code() = default;
Code::~Code() = default;

namespace {

// Compiles the checked nodes needed by a set of outputs into register code, folding what is
// known (constants, parameters, and what is computed from them only).
class Compiler {
public:
  Compiler(const Program& prog, Code& out, const GivenStates& given)
      : prog_(prog), p_(prog.policy()), C_(out), given_(given) {
    C_.inputs = static_cast<std::uint32_t>(p_.inputs.size());
    C_.registers = C_.inputs;
  }

  void run(const std::vector<std::uint32_t>& rules) {
    C_.rules = rules;
    for (auto r : rules) C_.out_regs.push_back(rule(r, 0));
    // The checks of validate(), on the decision date's parameters.
    for (std::uint32_t i = 0; i < p_.inputs.size(); ++i) {
      const auto& in = p_.inputs[i];
      if (in.min != kNoNode) C_.checks.push_back({CheckKind::Min, i, node(in.min, 0)});
      if (in.max != kNoNode) C_.checks.push_back({CheckKind::Max, i, node(in.max, 0)});
    }
    for (const auto& con : p_.constraints) C_.checks.push_back({CheckKind::Constraint, 0, node(con.condition, 0)});
    renumber();
  }

private:
  // While compiling, constants carry a tag and temporaries are numbered from `inputs` up;
  // renumber() then puts the constants right after the inputs and the temporaries after them.
  static constexpr std::uint32_t kConstTag = 1u << 31;

  bool is_const(std::uint32_t reg) const { return (reg & kConstTag) != 0; }
  Value cval(std::uint32_t reg) const { return C_.consts[(reg & ~kConstTag) - C_.inputs]; }
  std::uint32_t cpoison(std::uint32_t reg) const { return C_.const_poison[(reg & ~kConstTag) - C_.inputs]; }
  std::uint32_t new_reg() { return C_.registers++; }

  // A constant gets one register in the constant area, however often it is used.
  std::uint32_t constant(Value v, std::uint32_t mark = 0) {
    v = v.normalized();  // small scales keep the arithmetic on its fast path
    auto key = std::make_tuple(v.coef(), v.scale(), mark);
    if (auto it = const_regs_.find(key); it != const_regs_.end()) return it->second;
    std::uint32_t r = C_.inputs + static_cast<std::uint32_t>(C_.consts.size());
    C_.consts.push_back(v);
    C_.const_poison.push_back(mark);
    const_regs_.emplace(key, r | kConstTag);
    return r | kConstTag;
  }

  std::uint32_t rule(std::uint32_t r, std::uint32_t ctx) {
    auto key = std::make_pair(r, ctx);
    if (auto it = rule_reg_.find(key); it != rule_reg_.end()) return it->second;
    std::uint32_t reg = node(p_.rules[r].body, ctx);
    rule_reg_[key] = reg;
    return reg;
  }

  std::uint32_t node(NodeId id, std::uint32_t ctx) {
    auto key = std::make_pair(id, ctx);
    if (auto it = node_reg_.find(key); it != node_reg_.end()) return it->second;
    std::uint32_t reg = build(id, ctx);
    node_reg_[key] = reg;
    return reg;
  }

  // The same operation on the same registers is computed once (`mode == combined` written in
  // two rules, say). Branches are not merged: their arms are not in the key.
  std::uint32_t emit(Ins ins) {
    const bool keyed = ins.op != Op::Chain && ins.op != Op::Match;
    std::tuple<int, std::uint32_t, std::uint32_t, std::uint64_t, int, int> key{
        static_cast<int>(ins.op), ins.a, ins.b, ins.mask, ins.places, static_cast<int>(ins.mode)};
    if (keyed)
      if (auto it = same_.find(key); it != same_.end()) return it->second;
    ins.dst = new_reg();
    C_.code.push_back(ins);
    if (keyed) same_.emplace(key, ins.dst);
    return ins.dst;
  }

  std::uint32_t build(NodeId id, std::uint32_t ctx);
  std::uint32_t build_branches(const Node& n, Ins ins, std::uint32_t ctx);
  std::uint32_t fold_or_emit(Ins ins);
  void renumber();

  const Program& prog_;
  const checked::Policy& p_;
  Code& C_;
  const GivenStates& given_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> rule_reg_;  // (rule, ctx) -> register
  std::map<std::pair<NodeId, std::uint32_t>, std::uint32_t> node_reg_;
  std::map<std::tuple<std::int64_t, int, std::uint32_t>, std::uint32_t> const_regs_;
  std::map<std::tuple<int, std::uint32_t, std::uint32_t, std::uint64_t, int, int>, std::uint32_t> same_;
};

std::uint32_t Compiler::build(NodeId id, std::uint32_t ctx) {
  const Node& n = p_.nodes[id];
  Ins ins{};
  ins.op = n.op;
  ins.node = id;
  switch (n.op) {
    case Op::Const: return constant(n.constant);
    case Op::Input: return n.slot;
    case Op::Given:  // known for the cases the code is for, or read from their input states
      if (n.slot < given_.size() && given_[n.slot] >= 0) return constant(checked::make_bool(given_[n.slot] == 1));
      ins.a = n.slot;
      return emit(ins);
    case Op::Param:
      if (!prog_.param_ok(n.slot, ctx)) {
        C_.no_param_sites.emplace_back(id, ctx);
        return constant(Value(), poison(PoisonKind::NoParam, static_cast<std::uint32_t>(C_.no_param_sites.size() - 1)));
      }
      return constant(prog_.params(ctx)[n.slot]);
    case Op::Rule: return rule(n.slot, ctx);
    case Op::AsOf: return node(n.a, n.slot);
    case Op::Min:
    case Op::Max: {
      // A left fold of binary min/max keeps the order in which marks are found.
      std::uint32_t acc = node(p_.operands[n.first], ctx);
      for (std::uint32_t i = 1; i < n.count; ++i) {
        Ins m = ins;
        m.a = acc;
        m.b = node(p_.operands[n.first + i], ctx);
        acc = fold_or_emit(m);
      }
      return acc;
    }
    case Op::Chain:
    case Op::Match: return build_branches(n, ins, ctx);
    case Op::In:
    case Op::Round:
    case Op::Neg:
    case Op::Not:
      ins.a = node(n.a, ctx);
      ins.mask = n.mask;
      ins.places = n.places;
      ins.mode = n.mode;
      return fold_or_emit(ins);
    case Op::And:
    case Op::Or:
      // A known left side decides without the right one, which is then not compiled.
      ins.a = node(n.a, ctx);
      if (is_const(ins.a) && !cpoison(ins.a)) {
        const bool av = checked::as_bool(cval(ins.a));
        if ((n.op == Op::And) != av) return ins.a;
        return node(n.b, ctx);
      }
      ins.b = node(n.b, ctx);
      return fold_or_emit(ins);
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
    case Op::MonthsBetween:
      ins.a = node(n.a, ctx);
      ins.b = node(n.b, ctx);
      return fold_or_emit(ins);
  }
  return kNone;
}

std::uint32_t Compiler::build_branches(const Node& n, Ins ins, std::uint32_t ctx) {
  if (n.op == Op::Match) ins.a = node(n.a, ctx);
  std::vector<Arm> arms;
  // A chain whose leading conditions are known picks its branch now, without compiling the
  // branches they rule out; from the first condition not known on, every branch is compiled.
  bool known = n.op == Op::Chain;
  for (std::uint32_t i = 0; i < n.count; ++i) {
    const auto& b = p_.branches[n.first + i];
    Arm arm{kNone, b.mask, 0};
    if (b.condition != kNoNode) arm.cond = node(b.condition, ctx);
    if (known) {
      if (arm.cond == kNone) return node(b.result, ctx);
      if (is_const(arm.cond)) {
        if (cpoison(arm.cond)) return constant(Value(), cpoison(arm.cond));
        if (checked::as_bool(cval(arm.cond))) return node(b.result, ctx);
        continue;  // ruled out
      }
      known = false;
    }
    arm.result = node(b.result, ctx);
    arms.push_back(arm);
  }
  // A match on a constant picks its arm now.
  if (n.op == Op::Match && is_const(ins.a)) {
    if (cpoison(ins.a)) return constant(Value(), cpoison(ins.a));
    int s = checked::as_enum(cval(ins.a));
    for (const auto& arm : arms)
      if (arm.mask == 0 || ops::in(arm.mask, s)) return arm.result;
  }
  ins.first = static_cast<std::uint32_t>(C_.arms.size());
  ins.count = static_cast<std::uint32_t>(arms.size());
  for (auto& arm : arms) C_.arms.push_back(arm);
  return emit(ins);
}

// Evaluates an instruction whose operands are all constants now; otherwise emits it.
std::uint32_t Compiler::fold_or_emit(Ins ins) {
  bool a_const = is_const(ins.a);
  bool unary = checked::shape_of(ins.op) == checked::Shape::Unary;
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
  try {
    return constant(apply(ins, cval(ins.a), unary ? Value() : cval(ins.b)));
  } catch (const DecimalOverflow& e) {
    return constant(Value(), poison(e.kind == ArithError::DivisionByZero ? PoisonKind::DivZero : PoisonKind::Overflow, ins.node));
  }
}

void Compiler::renumber() {
  std::uint32_t base = C_.inputs + static_cast<std::uint32_t>(C_.consts.size());
  std::uint32_t temp_first = C_.inputs;
  auto fix = [&](std::uint32_t& r) {
    if (r == kNone) return;
    if (r & kConstTag) r &= ~kConstTag;
    else if (r >= temp_first) r = r - temp_first + base;
  };
  for (auto& ins : C_.code) {
    fix(ins.dst);
    fix(ins.a);
    fix(ins.b);
  }
  for (auto& arm : C_.arms) {
    fix(arm.cond);
    fix(arm.result);
  }
  for (auto& r : C_.out_regs) fix(r);
  for (auto& ch : C_.checks) fix(ch.reg);
  C_.registers = base + (C_.registers - temp_first);
}

}  // namespace

std::unique_ptr<Code> compile(const Program& program, const std::vector<std::uint32_t>& rules, const GivenStates& given) {
  auto code = std::make_unique<Code>();
  code->given = given;
  Compiler(program, *code, given).run(rules);
  code->whole = int64::compile(program.policy(), *code);
  return code;
}

}  // namespace pol::interp::registers
