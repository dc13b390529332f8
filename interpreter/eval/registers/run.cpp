#include <algorithm>

#include "eval/registers/code.hpp"

namespace pol::interp::registers {

namespace {

// One register's value and poison from a chain or match: the first arm that applies.
inline void select_chain(const Code& C, const Ins& ins, Value* R, std::uint32_t* P) {
  const Arm* arm = C.arms.data() + ins.first;
  for (std::uint32_t i = 0; i < ins.count; ++i, ++arm) {
    if (arm->cond != kNone) {
      if (P[arm->cond]) {
        P[ins.dst] = P[arm->cond];
        return;
      }
      if (!checked::as_bool(R[arm->cond])) continue;
    }
    R[ins.dst] = R[arm->result];
    P[ins.dst] = P[arm->result];
    return;
  }
}

inline void select_match(const Code& C, const Ins& ins, Value* R, std::uint32_t* P) {
  int s = checked::as_enum(R[ins.a]);
  const Arm* arm = C.arms.data() + ins.first;
  for (std::uint32_t i = 0; i < ins.count; ++i, ++arm)
    if (arm->mask == 0 || ops::in(arm->mask, s)) {
      R[ins.dst] = R[arm->result];
      P[ins.dst] = P[arm->result];
      return;
    }
}

}  // namespace

void Machine::run(const Program& program, const Code& C, const Case& c, Outcome& out) {
  if (regs_.size() < C.registers) {
    regs_.resize(C.registers);
    poison_.resize(C.registers);
  }
  Value* R = regs_.data();
  std::uint32_t* P = poison_.data();
  for (std::uint32_t i = 0; i < C.inputs; ++i) {
    R[i] = c.values[i];
    P[i] = c.state[i] == InputState::Absent ? poison(PoisonKind::Missing, i) : 0;
  }
  std::copy(C.consts.begin(), C.consts.end(), R + C.inputs);
  std::copy(C.const_poison.begin(), C.const_poison.end(), P + C.inputs);
  for (const Ins& ins : C.code) {
    const std::uint32_t pa = P[ins.a];
    switch (checked::shape_of(ins.op)) {
      case checked::Shape::Branches: select_chain(C, ins, R, P); continue;
      case checked::Shape::Match:
        if (pa) P[ins.dst] = pa;
        else select_match(C, ins, R, P);
        continue;
      case checked::Shape::Unary:
        if (pa) {
          P[ins.dst] = pa;
          continue;
        }
        break;
      case checked::Shape::Leaf:
        if (ins.op == Op::Given) {  // the one leaf compiled to an instruction: a = the input
          R[ins.dst] = checked::make_bool(c.state[ins.a] == InputState::Given);
          P[ins.dst] = 0;
        }
        continue;
      case checked::Shape::AsOf: continue;  // never compiled to an instruction
      case checked::Shape::Binary:
      case checked::Shape::Operands:
        if (ins.op == Op::And || ins.op == Op::Or) {
          if (pa) {
            P[ins.dst] = pa;
            continue;
          }
          // false and …, true or …: the left side decides.
          const bool a_true = checked::as_bool(R[ins.a]);
          const std::uint32_t from = ins.op == Op::And ? ops::and_(a_true, ins.a, ins.b) : ops::or_(a_true, ins.a, ins.b);
          R[ins.dst] = R[from];
          P[ins.dst] = from == ins.a ? 0 : P[from];
          continue;
        }
        if (pa || P[ins.b]) {
          P[ins.dst] = pa ? pa : P[ins.b];
          continue;
        }
    }
    try {
      R[ins.dst] = apply(ins, R[ins.a], R[ins.b]);
      P[ins.dst] = 0;
    } catch (const DecimalOverflow& e) {
      P[ins.dst] = poison(e.kind == ArithError::DivisionByZero ? PoisonKind::DivZero : PoisonKind::Overflow, ins.node);
    }
  }
  out.outputs.clear();
  out.error.reset();
  for (std::size_t k = 0; k < C.rules.size(); ++k) {
    std::uint32_t reg = C.out_regs[k];
    if (P[reg]) {
      out.error = poison_error(program, C, P[reg], C.rules[k]);
      return;
    }
    out.outputs.emplace_back(C.rules[k], R[reg]);
  }
}

EvalError poison_error(const Program& program, const Code& C, std::uint32_t mark, std::uint32_t output) {
  const checked::Policy& p = program.policy();
  std::uint32_t index = mark & kPoisonIndexMask;
  switch (static_cast<PoisonKind>(mark & kPoisonKindMask)) {
    case PoisonKind::Missing: return missing_input_error(p, index, output);
    case PoisonKind::NoParam: {
      const auto [node, ctx] = C.no_param_sites[index];
      return no_param_error(p, p.nodes[node].slot, p.nodes[node].place, program.context_date(ctx), ctx);
    }
    case PoisonKind::DivZero: return arith_error(p, ArithError::DivisionByZero, index, output);
    case PoisonKind::Overflow: break;
  }
  return arith_error(p, ArithError::Overflow, index, output);
}

}  // namespace pol::interp::registers
