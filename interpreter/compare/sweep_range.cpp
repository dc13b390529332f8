#include "compare/sweep_range.hpp"

#include <fmt/format.h>

#include "base/messages.hpp"
#include "compare/compare.hpp"

namespace pol::interp {

using checked::Value;

namespace {

[[noreturn]] void refuse(const std::string& arg, const std::string& why) {
  throw CompareUsageError{fmt::format("--vary '{}': {}", arg, why)};
}

// A number of --vary: plain decimal, or a percentage ("6.5%") for a rate; `what` names it
// (FROM, TO, STEP) in the refusal.
Value parse_number(const std::string& arg, std::string text, const char* what, bool& percent) {
  std::string given = text;
  bool pct = !text.empty() && text.back() == '%';
  if (pct) text.pop_back();
  auto v = Decimal::parse(text);
  if (!v)
    refuse(arg, dsl::textf(dsl::Msg::VaryBadNumber, what, given));
  if (!pct) return *v;
  percent = true;
  return *v / Value::from_int(100);
}

// The words for a whole-number unit: "whole days".
std::string whole_words(const dsl::Type& t) {
  switch (t.unit) {
    case dsl::Unit::Days: return std::string(dsl::text(dsl::Msg::WholeDays));
    case dsl::Unit::Months: return std::string(dsl::text(dsl::Msg::WholeMonths));
    case dsl::Unit::Years: return std::string(dsl::text(dsl::Msg::WholeYears));
    default: return std::string(dsl::text(dsl::Msg::WholeNumbers));
  }
}

}  // namespace

SweepRange::SweepRange(const std::string& arg) : text(arg) {
  auto eq = arg.find('='), dots = arg.find("..");
  if (eq == std::string::npos || dots == std::string::npos || dots < eq) refuse(arg, std::string(dsl::text(dsl::Msg::VaryForm)));
  parse_names(arg.substr(0, eq));
  std::string from_s = arg.substr(eq + 1, dots - eq - 1), rest = arg.substr(dots + 2), step_s;
  if (auto c = rest.find(':'); c != std::string::npos) {
    step_s = rest.substr(c + 1);
    if (step_s.empty()) refuse(arg, std::string(dsl::text(dsl::Msg::VaryStepEmpty)));
    rest = rest.substr(0, c);
  }
  Value from = parse_number(arg, from_s, "FROM", percent), to = parse_number(arg, rest, "TO", percent);
  if (to < from) refuse(arg, dsl::textf(dsl::Msg::VaryBackwards, rest, from_s));
  make_points(from, to, step_s);
}

void SweepRange::make_points(Value from, Value to, const std::string& step_text) {
  Value span;
  try {
    span = to - from;
  } catch (const DecimalOverflow&) {
    refuse(text, std::string(dsl::text(dsl::Msg::VaryTooWide)));
  }
  Value step;
  if (step_text.empty()) {
    step = span / Value::from_int(50);
    if (step.is_zero() && !span.is_zero())
      refuse(text, std::string(dsl::text(dsl::Msg::VaryTooNarrow)));
  } else {
    step = parse_number(text, step_text, "STEP", percent);
    if (step <= Value() && !span.is_zero()) refuse(text, dsl::textf(dsl::Msg::VaryStepPositive, step_text));
  }
  // How many points: FROM + k × STEP for k = 0 .. ⌊(TO − FROM) / STEP⌋, counted before any is made.
  std::int64_t steps = 0;
  if (!span.is_zero()) {
    Value q;
    try {
      q = span / step;
    } catch (const DecimalOverflow&) {
      refuse(text, dsl::textf(dsl::Msg::VaryTooManySteps,
                               kMaxPoints - 1, kMaxPoints));
    }
    Value whole = q.round(0, RoundMode::TowardZero);
    if (whole >= Value::from_int(static_cast<std::int64_t>(kMaxPoints)))
      refuse(text, dsl::textf(dsl::Msg::VaryStepsOver, whole.to_string(),
                               kMaxPoints - 1, kMaxPoints));
    steps = whole.coef();
  }
  xs.reserve(static_cast<std::size_t>(steps) + 1);
  for (std::int64_t k = 0; k <= steps; ++k) {
    Value x = from + step * Value::from_int(k);  // within FROM..TO: cannot overflow
    if (x > to) break;                          // (TO − FROM) / STEP rounded up in its last decimal
    xs.push_back(x);
  }
}

void SweepRange::parse_names(const std::string& list) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    Value factor = Value::from_int(1);
    if (auto star = item.find('*'); star != std::string::npos) {
      auto f = Decimal::parse(item.substr(star + 1));
      if (!f) refuse(text, fmt::format("'{}' is not a factor", item.substr(star + 1)));
      factor = *f;
      item = item.substr(0, star);
    }
    names.emplace_back(item, factor);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

void SweepRange::check_axis(const std::string& policy, const std::string& name, const std::string& label, const dsl::Type& t,
                            Value factor) const {
  if (!t.is_number()) refuse(text, dsl::textf(dsl::Msg::VaryNotNumber, policy, name, label));
  if (percent && !t.percent)
    refuse(text, dsl::textf(dsl::Msg::VaryPercentNotRate, name, label, dsl::unit_name(t.unit)));
  if (!t.whole) return;
  for (Value x : xs) {
    bool whole = false;
    try {
      whole = (x * factor).is_integer();
    } catch (const DecimalOverflow&) {
      whole = true;  // reported as the point's error when it is evaluated
    }
    if (!whole)
      refuse(text, dsl::textf(dsl::Msg::VaryNotWhole, name, label,
                               whole_words(t), x.to_string()));
  }
}

}  // namespace pol::interp
