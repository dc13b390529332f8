#include "report/json_out.hpp"

#include <cstring>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"

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

char* write_decimal(char* p, checked::Value v, int min_places) {
  std::int64_t c = v.coef();
  int s = v.scale();
  if (s > 19) {  // not made by Decimal; keep the exact general code
    std::string t;
    v.append_to(t, min_places);
    std::memcpy(p, t.data(), t.size());
    return p + t.size();
  }
  std::uint64_t u = c < 0 ? 0 - static_cast<std::uint64_t>(c) : static_cast<std::uint64_t>(c);
  while (s > min_places && u % 10 == 0) {  // drop trailing zeros down to min_places
    u /= 10;
    --s;
  }
  if (c < 0) *p++ = '-';
  // The digits of u, at least s + 1 of them (0.05: "005"), then the point before the last s.
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  while (n <= s) buf[n++] = '0';
  while (n > s) *p++ = buf[--n];
  int places = s > min_places ? s : min_places;
  if (places > 0) {
    *p++ = '.';
    while (n) *p++ = buf[--n];
    for (int i = s; i < places; ++i) *p++ = '0';
  }
  return p;
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

std::string param_value_text(const checked::Policy& p, const checked::Param& pa, const checked::ParamValue& v) {
  std::string_view w = p.file_of(v.place).slice(v.value_range);
  return w.find('/') != std::string_view::npos ? std::string(w) : text_value(p, pa.type, v.value);
}

std::string text_value(const checked::Policy& p, const dsl::Type& t, checked::Value v) {
  switch (t.base) {
    case Base::Bool: return std::string(dsl::text(checked::as_bool(v) ? dsl::Msg::Yes : dsl::Msg::No));
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

void append_eval_result_json(std::string& s, const checked::Policy& p, std::optional<int> date, const Outcome& out) {
  s += "{\"policy\": ";
  append_json_string(s, p.header.name);
  s += ", \"as_of\": ";
  if (date) s += fmt::format("\"{}\"", format_date(*date));
  else s += "null";
  s += ", \"outputs\": {";
  for (std::size_t i = 0; i < out.outputs.size(); ++i) {
    auto [r, v] = out.outputs[i];
    if (i) s += ", ";
    append_json_string(s, p.rules[r].name);
    s += ": ";
    append_json_value(s, p, p.rules[r].type, v);
  }
  s += "}}";
}

}  // namespace pol::interp
