#include <span>

#include "checked/ops.hpp"
#include "eval/int64/code.hpp"
#include "eval/int64/scale.hpp"
#include "eval/registers/code.hpp"

namespace pol::interp::int64 {

using checked::Op;

namespace {

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
  if (r != 0 && rounds_away<std::int64_t>(r < 0 ? -r : r, d, mode)) q += v < 0 ? -1 : 1;
  return q;
}

// round(a * b, places, mode) as Decimal computes it: the exact product p / 10^s, brought into
// range as Decimal does (to 18 decimals, then one decimal fewer at a time while it does not
// fit), then rounded; the result at scale `places`. False when Decimal would overflow or the
// result does not fit.
bool mul_round(std::int64_t a, std::int64_t b, int s, int places, RoundMode mode, std::int64_t& out) {
  Int128 p = static_cast<Int128>(a) * b;
  if (!bring_into_range(p, s)) return false;
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

bool run(Code& F, const Case& c, bool checks, Outcome& out) {
  std::int64_t* X = F.regs.data();
  const InputState* state = c.state.data();
  const Value* values = c.values.data();
  const Input* in_plain = F.inputs.data();
  for (const Input* e = in_plain + F.plain_inputs; in_plain != e; ++in_plain) {
    if (state[in_plain->slot] == InputState::Absent) return false;
    X[in_plain->slot] = values[in_plain->slot].coef();  // booleans and enums: scale 0
  }
  for (const Input& in : std::span(F.inputs).subspan(F.plain_inputs)) {
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
  auto scaled = [&](const Ins& I, std::int64_t& a, std::int64_t& b) {
    return !(__builtin_mul_overflow(X[I.a], I.ma, &a) | __builtin_mul_overflow(X[I.b], I.mb, &b));
  };
  // Threaded dispatch: each operation jumps to the next one itself (GCC may merge the jumps;
  // keeping them apart measured no faster here). The code ends with End.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
  static const void* const kLabels[] = {
#define POL_X(name) &&op_##name,
      POL_INT64_OPS(POL_X)
#undef POL_X
  };
  const Ins* ip = F.code.data();
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
  POL_D = ops::not_(X[ip->a] != 0);
  POL_NEXT;
op_In:
  POL_D = ops::in(ip->mask, X[ip->a]);
  POL_NEXT;
op_And:
  POL_D = ops::and_(X[ip->a] != 0, X[ip->a], X[ip->b]);
  POL_NEXT;
op_Or:
  POL_D = ops::or_(X[ip->a] != 0, X[ip->a], X[ip->b]);
  POL_NEXT;
op_LtSame:
  POL_D = ops::compare<Op::Lt>(X[ip->a], X[ip->b]);
  POL_NEXT;
op_LeSame:
  POL_D = ops::compare<Op::Le>(X[ip->a], X[ip->b]);
  POL_NEXT;
op_GtSame:
  POL_D = ops::compare<Op::Gt>(X[ip->a], X[ip->b]);
  POL_NEXT;
op_GeSame:
  POL_D = ops::compare<Op::Ge>(X[ip->a], X[ip->b]);
  POL_NEXT;
op_EqSame:
  POL_D = ops::compare<Op::Eq>(X[ip->a], X[ip->b]);
  POL_NEXT;
op_NeSame:
  POL_D = ops::compare<Op::Ne>(X[ip->a], X[ip->b]);
  POL_NEXT;
op_Lt:
  if (!scaled(*ip, a, b)) return false;
  POL_D = ops::compare<Op::Lt>(a, b);
  POL_NEXT;
op_Le:
  if (!scaled(*ip, a, b)) return false;
  POL_D = ops::compare<Op::Le>(a, b);
  POL_NEXT;
op_Gt:
  if (!scaled(*ip, a, b)) return false;
  POL_D = ops::compare<Op::Gt>(a, b);
  POL_NEXT;
op_Ge:
  if (!scaled(*ip, a, b)) return false;
  POL_D = ops::compare<Op::Ge>(a, b);
  POL_NEXT;
op_Eq:
  if (!scaled(*ip, a, b)) return false;
  POL_D = ops::compare<Op::Eq>(a, b);
  POL_NEXT;
op_Ne:
  if (!scaled(*ip, a, b)) return false;
  POL_D = ops::compare<Op::Ne>(a, b);
  POL_NEXT;
op_MinSame:
  POL_D = ops::min(X[ip->a], X[ip->b]);
  POL_NEXT;
op_MaxSame:
  POL_D = ops::max(X[ip->a], X[ip->b]);
  POL_NEXT;
op_Min:
  if (!scaled(*ip, a, b)) return false;
  POL_D = ops::min(a, b);
  POL_NEXT;
op_Max:
  if (!scaled(*ip, a, b)) return false;
  POL_D = ops::max(a, b);
  POL_NEXT;
op_DateAddDays:
  // Out of the calendar's range: the register code reports it.
  if (__builtin_add_overflow(X[ip->a], X[ip->b], &POL_D) || POL_D < kMinDays || POL_D > kMaxDays) return false;
  POL_NEXT;
op_DateDiffDays:
  POL_D = X[ip->a] - X[ip->b];  // two dates in range: no overflow
  POL_NEXT;
op_DateAddMonths:
  if (X[ip->b] < -ops::kMonthSpan || X[ip->b] > ops::kMonthSpan) return false;
  if (auto d = add_months(static_cast<int>(X[ip->a]), static_cast<int>(X[ip->b]), DateRounding::Down);
      d && *d >= kMinDays && *d <= kMaxDays)
    POL_D = *d;
  else
    return false;
  POL_NEXT;
op_MonthsBetween:
  POL_D = months_between(static_cast<int>(X[ip->a]), static_cast<int>(X[ip->b]));
  POL_NEXT;
op_Given:
  POL_D = state[ip->a] == InputState::Given;
  POL_NEXT;
op_Chain: {
  const Arm* arm = F.arms.data() + ip->first;
  for (std::uint32_t i = 0; i < ip->count; ++i, ++arm)
    if (arm->cond == registers::kNone || X[arm->cond] != 0) {
      if (__builtin_mul_overflow(X[arm->result], arm->m, &POL_D)) return false;
      break;
    }
  POL_NEXT;
}
op_Match: {
  const std::int64_t sv = X[ip->a];
  const Arm* arm = F.arms.data() + ip->first;
  for (std::uint32_t i = 0; i < ip->count; ++i, ++arm)
    if (arm->mask == 0 || ops::in(arm->mask, sv)) {
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
op_CheckMin:
op_CheckMax:
op_CheckTrue:
op_End:
  // The checks of validate() last: the code after the first End computes what only they need.
  if (checks && !in_checks) {
    in_checks = true;
    POL_NEXT;
  }
  if (checks) {
    for (const Ins& I : F.checks) {
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
  for (const Code::Out& p : F.out_pack) *o++ = {p.rule, Value::raw(X[p.reg], p.scale)};
  return true;
}

}  // namespace pol::interp::int64
