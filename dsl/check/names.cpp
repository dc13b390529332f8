// Names as diagnostics print them: units, types, symbol kinds, values; and "did you mean".
#include <algorithm>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "check/checker_impl.hpp"

namespace pol::dsl {

const char* unit_name(Unit u) {
  switch (u) {
    case Unit::None: return "number";
    case Unit::Yuan: return "money";
    case Unit::Days: return "days";
    case Unit::Months: return "months";
    case Unit::Years: return "years";
  }
  return "number";
}

const char* unit_label_zh(Unit u) {
  switch (u) {
    case Unit::None: return "";
    case Unit::Yuan: return text(Msg::UnitYuan).data();
    case Unit::Days: return text(Msg::UnitDays).data();
    case Unit::Months: return text(Msg::UnitMonths).data();
    case Unit::Years: return text(Msg::UnitYears).data();
  }
  return "";
}

std::string type_name(const checked::Policy& policy, const Type& t) {
  switch (t.base) {
    case Base::Error: return "<error>";
    case Base::Bool: return "bool";
    case Base::Date: return "date";
    case Base::Enum: return t.enum_id < policy.enums.size() ? policy.enums[t.enum_id].name : "enum";
    case Base::Number:
      if (t.unit == Unit::None) return t.percent ? "rate" : t.whole ? "int" : "decimal";
      return unit_name(t.unit);
  }
  return "?";
}

namespace {

// Code points, so that a label in Chinese counts one edit a character (bytes that are not
// UTF-8 count one each).
std::vector<char32_t> code_points(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + n > s.size()) n = 1;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::size_t edit_distance(const std::string& as, const std::string& bs) {
  const auto a = code_points(as), b = code_points(bs);
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::optional<std::string> did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(2, code_points(name).size() / 3) + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}


std::string with_suggestion(std::string msg, const std::string& name, const std::vector<std::string>& candidates,
                            std::string_view prefix) {
  if (auto s = did_you_mean(name, candidates)) msg += textf(Msg::DidYouMean, prefix, *s);
  return msg;
}

namespace checking {

std::string_view kind_phrase(SymKind k) {
  return text(k == SymKind::Input ? Msg::KindAnInput : k == SymKind::Param ? Msg::KindAParam : Msg::KindARule);
}

const char* kind_word(SymKind k) {
  switch (k) {
    case SymKind::Input: return "input";
    case SymKind::Param: return "param";
    case SymKind::Rule: return "rule";
  }
  return "";
}


std::string show(const Type& t, Value v) {
  if (t.is_number() && t.percent) return (v * Decimal::from_int(100)).to_string() + "%";
  if (t.base == Base::Date) return format_date(checked::as_date(v));
  if (t.base == Base::Bool) return checked::as_bool(v) ? "true" : "false";
  return v.to_string_fixed(t.is_money() ? 2 : 0);
}

}  // namespace checking
}  // namespace pol::dsl
