#include "json_out.hpp"

#include <fmt/format.h>

#include "calendar.hpp"

namespace pol::interp {

using dsl::Base;
using dsl::Unit;

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
        else out.push_back(ch);
    }
  }
  out.push_back('"');
}

void append_json_value(std::string& out, const checked::Policy& p, const dsl::Type& t, checked::Value v) {
  switch (t.base) {
    case Base::Bool: out += checked::as_bool(v) ? "true" : "false"; break;
    case Base::Date:
      out.push_back('"');
      append_date(out, checked::as_date(v));
      out.push_back('"');
      break;
    case Base::Enum: {
      const auto& vals = p.enums[t.enum_id].values;
      int i = checked::as_enum(v);
      append_json_string(out, i >= 0 && static_cast<std::size_t>(i) < vals.size() ? vals[i].name : "?");
      break;
    }
    case Base::Number: v.append_to(out, t.unit == Unit::Yuan ? 2 : 0); break;
    case Base::Error: out += "null"; break;
  }
}

std::string plain_value(const checked::Policy& p, const dsl::Type& t, checked::Value v) {
  if (t.base == Base::Number && t.percent) {
    std::string s = (v * Decimal::from_int(100)).to_string();
    return s + "%";
  }
  if (t.base == Base::Bool) return checked::as_bool(v) ? "true" : "false";
  if (t.base == Base::Enum) {
    const auto& vals = p.enums[t.enum_id].values;
    int i = checked::as_enum(v);
    return i >= 0 && static_cast<std::size_t>(i) < vals.size() ? vals[i].name : "?";
  }
  std::string s;
  append_json_value(s, p, t, v);
  if (t.base == Base::Date) return s.substr(1, s.size() - 2);
  return s;
}

std::string text_value(const checked::Policy& p, const dsl::Type& t, checked::Value v) {
  switch (t.base) {
    case Base::Bool: return checked::as_bool(v) ? "是" : "否";
    case Base::Date: return format_date(checked::as_date(v));
    case Base::Enum: {
      const auto& vals = p.enums[t.enum_id].values;
      int i = checked::as_enum(v);
      return i >= 0 && static_cast<std::size_t>(i) < vals.size() ? vals[i].label : "?";
    }
    case Base::Number: {
      if (t.percent) return plain_value(p, t, v);
      std::string s = v.to_string_fixed(t.unit == Unit::Yuan ? 2 : 0);
      const char* u = dsl::unit_label_zh(t.unit);
      return *u ? fmt::format("{} {}", s, u) : s;
    }
    case Base::Error: break;
  }
  return "?";
}

}  // namespace pol::interp
