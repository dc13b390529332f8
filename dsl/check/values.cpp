// Values typed on the command line or in a case file, read against a declared type.
#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "check/checker.hpp"

namespace pol::dsl {

using checked::Value;

std::optional<checked::Value> parse_value(const checked::Policy& policy, const Type& type, std::string_view text,
                                          std::string& error) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  switch (type.base) {
    case Base::Bool:
      if (text == "true" || text == "是") return checked::make_bool(true);
      if (text == "false" || text == "否") return checked::make_bool(false);
      error = dsl::text(Msg::ValueTrueFalse);
      return std::nullopt;
    case Base::Date:
      if (auto d = parse_date(text)) return Value::from_int(*d);
      error = textf(Msg::ValueDate, kMinYear, kMaxYear);
      return std::nullopt;
    case Base::Enum: {
      const auto& en = policy.enums[type.enum_id];
      int ord = en.find(text);
      if (ord >= 0) return Value::from_int(ord);
      std::vector<std::string> names;
      for (const auto& v : en.values) names.push_back(textf(Msg::NameLabel, v.name, v.label));
      error = textf(Msg::ValueOneOf, joined(names));
      return std::nullopt;
    }
    case Base::Number: {
      bool percent = !text.empty() && text.back() == '%';
      if (percent) text.remove_suffix(1);
      std::optional<Decimal> d;
      std::size_t slash = text.find('/');
      try {
        if (slash != std::string_view::npos) {
          auto a = Decimal::parse(trim(text.substr(0, slash)));
          auto b = Decimal::parse(trim(text.substr(slash + 1)));
          if (a && b && !b->is_zero()) d = *a / *b;
        } else {
          d = Decimal::parse(text);
        }
        if (d && percent) d = *d / Decimal::from_int(100);
      } catch (const DecimalOverflow&) {
        d.reset();
      }
      if (!d) {
        error = textf(Msg::ValueDecimal, type_name(policy, type),
                            type.percent ? dsl::text(Msg::ValueDecimalRate) : std::string_view());
        return std::nullopt;
      }
      if (percent && !type.percent && type.unit != Unit::None) {
        error = textf(Msg::ValueNotPercent, type_name(policy, type));
        return std::nullopt;
      }
      if (type.whole && !d->is_integer()) {
        error = textf(Msg::ValueWholeOf, type_name(policy, type));
        return std::nullopt;
      }
      // A rate written without '%' above 1 is almost always a percentage missing its sign:
      // 6.5 would mean 650%. Say so rather than compute with it.
      if (type.percent && !percent && slash == std::string_view::npos && compare(*d, Decimal::from_int(1)) > 0) {
        error = textf(Msg::ValueRateHint, text,
                            (*d * Decimal::from_int(100)).to_string(), text, (*d * Decimal::from_int(100)).to_string());
        return std::nullopt;
      }
      return *d;
    }
    case Base::Error: break;
  }
  error = dsl::text(Msg::ValueNoType);
  return std::nullopt;
}

}  // namespace pol::dsl
