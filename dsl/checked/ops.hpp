#pragma once
// The meaning of each operation of the language, written once. Every evaluation path calls
// these: the reference tree walk, the register code and the whole-number (int64) code, and
// the checker when it folds literal expressions such as `2/3`. The templates take any value
// representation with <, == and the arithmetic operators: Decimal on the general paths, an
// int64 coefficient at a common scale on the whole-number path (which checks overflow itself).
//
// And/Or are lazy: `and_(a, b)` is the value of `a and b` once `a` is known to decide it or
// `b` has been evaluated; the paths decide when to evaluate `b`.
#include <cstdint>

#include "base/calendar.hpp"
#include "checked/checked.hpp"

namespace pol::ops {

using checked::Op;
using checked::Value;

template <class T>
[[nodiscard]] constexpr const T& min(const T& a, const T& b) { return b < a ? b : a; }
template <class T>
[[nodiscard]] constexpr const T& max(const T& a, const T& b) { return a < b ? b : a; }

// a OP b for the six comparisons.
template <Op op, class T>
[[nodiscard]] constexpr bool compare(const T& a, const T& b) {
  if constexpr (op == Op::Eq) return a == b;
  else if constexpr (op == Op::Ne) return !(a == b);
  else if constexpr (op == Op::Lt) return a < b;
  else if constexpr (op == Op::Le) return !(b < a);
  else if constexpr (op == Op::Gt) return b < a;
  else {
    static_assert(op == Op::Ge, "not a comparison");
    return !(a < b);
  }
}

// The value of `a and b`, `a or b` (truthiness of a given), `not a`, `subject in mask`.
template <class T>
[[nodiscard]] constexpr const T& and_(bool a_true, const T& a, const T& b) { return a_true ? b : a; }
template <class T>
[[nodiscard]] constexpr const T& or_(bool a_true, const T& a, const T& b) { return a_true ? a : b; }
[[nodiscard]] constexpr bool not_(bool a) { return !a; }
[[nodiscard]] constexpr bool in(std::uint64_t mask, std::int64_t ordinal) { return ((mask >> ordinal) & 1) != 0; }

[[nodiscard]] inline Value round(Value v, int places, RoundMode mode) { return v.round(places, mode); }

[[nodiscard]] inline Value div(Value a, Value b) {
  if (b.is_zero()) throw DecimalOverflow{"division by zero", ArithError::DivisionByZero};
  return a / b;
}

// Dates stay within 1900-01-01 .. 2199-12-31: beyond them is an error, never a wrong date.
[[nodiscard]] inline Value date_add_days(Value a, Value b) {
  long long d = static_cast<long long>(a.coef()) + static_cast<long long>(b.coef());
  if (b.coef() > kMaxDays - kMinDays || b.coef() < kMinDays - kMaxDays || d < kMinDays || d > kMaxDays)
    throw DecimalOverflow{"date out of range: the result is not between 1900-01-01 and 2199-12-31", ArithError::DateRange};
  return Value::from_int(d);
}

// Months beyond which any date leaves the calendar's range.
inline constexpr long long kMonthSpan = (kMaxYear - kMinYear + 1) * 12LL;

// A date plus whole months (negative: earlier); a day the target month lacks (the 29th to the
// 31st) becomes that month's last day: 2024-01-31 + 1 month is 2024-02-29.
[[nodiscard]] inline Value date_add_months(Value a, Value b) {
  // Beyond 300 years either way the result is out of range whatever the date.
  constexpr long long kSpan = kMonthSpan;
  long long m = static_cast<long long>(b.round(0, RoundMode::TowardZero).coef());  // whole by its type
  std::optional<int> d;
  if (m >= -kSpan && m <= kSpan) d = add_months(static_cast<int>(a.coef()), static_cast<int>(m), DateRounding::Down);
  if (!d || *d < kMinDays || *d > kMaxDays)
    throw DecimalOverflow{"date out of range: the result is not between 1900-01-01 and 2199-12-31", ArithError::DateRange};
  return Value::from_int(*d);
}

// The whole months from date a to date b (see pol::months_between).
[[nodiscard]] inline Value months_between(Value a, Value b) {
  return Value::from_int(pol::months_between(static_cast<int>(a.coef()), static_cast<int>(b.coef())));
}

// A strict binary operator on two evaluated operands (not And/Or, which are lazy; Min/Max
// take their operands two at a time). Throws DecimalOverflow on overflow or division by zero.
[[nodiscard]] inline Value binary(Op op, Value a, Value b) {
  switch (op) {
    case Op::Add: return a + b;
    case Op::Sub: return a - b;
    case Op::Mul: return a * b;
    case Op::Div: return div(a, b);
    case Op::Eq: return checked::make_bool(compare<Op::Eq>(a, b));
    case Op::Ne: return checked::make_bool(compare<Op::Ne>(a, b));
    case Op::Lt: return checked::make_bool(compare<Op::Lt>(a, b));
    case Op::Le: return checked::make_bool(compare<Op::Le>(a, b));
    case Op::Gt: return checked::make_bool(compare<Op::Gt>(a, b));
    case Op::Ge: return checked::make_bool(compare<Op::Ge>(a, b));
    case Op::Min: return min(a, b);
    case Op::Max: return max(a, b);
    case Op::DateAddDays: return date_add_days(a, b);
    case Op::DateDiffDays: return Value::from_int(a.coef() - b.coef());
    case Op::DateAddMonths: return date_add_months(a, b);
    case Op::MonthsBetween: return months_between(a, b);
    case Op::Const:
    case Op::Input:
    case Op::Param:
    case Op::Rule:
    case Op::Given:
    case Op::Neg:
    case Op::Not:
    case Op::And:
    case Op::Or:
    case Op::In:
    case Op::Round:
    case Op::Chain:
    case Op::Match:
    case Op::AsOf: break;
  }
  return a;  // not a strict binary operator: the callers never ask
}

// A strict unary operator (Neg, Not, In with its mask, Round with its places and mode), of a
// checked node or a compiled instruction (anything with op, mask, places and mode).
template <class N>
[[nodiscard]] inline Value unary(const N& n, Value a) {
  switch (n.op) {
    case Op::Neg: return -a;
    case Op::Not: return checked::make_bool(not_(checked::as_bool(a)));
    case Op::In: return checked::make_bool(in(n.mask, checked::as_enum(a)));
    case Op::Round: return round(a, n.places, n.mode);
    default: return a;  // not a unary operator: the callers never ask
  }
}

}  // namespace pol::ops
