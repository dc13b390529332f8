#pragma once
// The arithmetic of the language on run-time values, shared by the checker (which folds
// literal expressions such as `2/3` in parameter values) and the evaluator, so the two can
// never disagree. Each function throws DecimalOverflow on overflow or division by zero.
#include "base/calendar.hpp"
#include "checked/checked.hpp"

namespace pol::ops {

using checked::Op;
using checked::Value;

// Binary operators on two already-evaluated operands (And/Or are evaluated lazily elsewhere).
[[nodiscard]] inline Value binary(Op op, Value a, Value b) {
  switch (op) {
    case Op::Add: return a + b;
    case Op::Sub: return a - b;
    case Op::Mul: return a * b;
    case Op::Div:
      if (b.is_zero()) throw DecimalOverflow{"division by zero"};
      return a / b;
    case Op::Eq: return checked::make_bool(compare(a, b) == 0);
    case Op::Ne: return checked::make_bool(compare(a, b) != 0);
    case Op::Lt: return checked::make_bool(compare(a, b) < 0);
    case Op::Le: return checked::make_bool(compare(a, b) <= 0);
    case Op::Gt: return checked::make_bool(compare(a, b) > 0);
    case Op::Ge: return checked::make_bool(compare(a, b) >= 0);
    case Op::DateAddDays: {
      // Dates stay within 1900-01-01 .. 2199-12-31: beyond them is an error, never a wrong date.
      long long d = static_cast<long long>(a.coef()) + static_cast<long long>(b.coef());
      if (b.coef() > kMaxDays - kMinDays || b.coef() < kMinDays - kMaxDays || d < kMinDays || d > kMaxDays)
        throw DecimalOverflow{"date out of range: the result is not between 1900-01-01 and 2199-12-31"};
      return Value::from_int(d);
    }
    case Op::DateDiffDays: return Value::from_int(a.coef() - b.coef());
    default: return a;
  }
}

[[nodiscard]] inline Value round(Value v, int places, RoundMode mode) { return v.round(places, mode); }

}  // namespace pol::ops
