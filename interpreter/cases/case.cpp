#include "base/messages.hpp"
#include "cases/case.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/source.hpp"
#include "cases/messages.hpp"
#include "check/checker.hpp"

namespace pol::interp {

using dsl::Base;

CaseSchema::CaseSchema(const checked::Policy& policy) : policy_(policy) {
  for (std::uint32_t i = 0; i < policy.inputs.size(); ++i) slots_.emplace(policy.inputs[i].name, i);
  std::size_t size = 16;
  while (size < 4 * (policy.inputs.size() + 2)) size *= 2;
  keys_.assign(size, KeyEntry{});
  key_mask_ = size - 1;
  auto add = [&](std::string_view name, int code) {
    if (name.empty()) return;
    std::size_t i = key_hash(name) & key_mask_;
    while (keys_[i].code != kEmpty) {
      if (keys_[i].name == name) return;  // the first wins, as in slots_
      i = (i + 1) & key_mask_;
    }
    keys_[i] = {name, code};
  };
  add("id", kIdKey);
  add("as_of", kAsOfKey);
  for (std::uint32_t i = 0; i < policy.inputs.size(); ++i) add(policy.inputs[i].name, static_cast<int>(i));
  for (const auto& e : policy.enums) {
    enum_texts_.emplace_back();
    for (std::size_t k = 0; k < e.values.size(); ++k) {  // the order of EnumInfo::find
      enum_texts_.back().emplace_back(e.values[k].name, static_cast<int>(k));
      enum_texts_.back().emplace_back(e.values[k].label, static_cast<int>(k));
    }
  }
}

int CaseSchema::input_slot(std::string_view key) const {
  auto it = slots_.find(key);
  return it == slots_.end() ? -1 : static_cast<int>(it->second);
}

int CaseSchema::named_slot(std::string_view name) const {
  if (int slot = input_slot(name); slot >= 0) return slot;
  for (std::size_t i = 0; i < policy_.inputs.size(); ++i)
    if (!policy_.inputs[i].label.empty() && policy_.inputs[i].label == name) return static_cast<int>(i);
  return -1;
}

std::string CaseSchema::unknown_field_message(std::string_view key) const {
  std::vector<std::string> names;
  for (const auto& in : policy_.inputs) names.push_back(in.name);
  std::string msg =
      dsl::textf(dsl::Msg::CaseUnknownField, dsl::visible(key), policy_.header.name);
  if (auto s = dsl::did_you_mean(std::string(key), names)) msg += dsl::textf(dsl::Msg::DidYouMean, "", *s);
  return msg;
}

void CaseSchema::reset(Case& c) const {
  c.values.assign(policy_.inputs.size(), Value());
  c.state.assign(policy_.inputs.size(), InputState::Absent);
  c.as_of.reset();
  c.id_json.clear();
  c.id_text.clear();
}

void CaseSchema::apply_defaults(Case& c) const {
  for (std::size_t i = 0; i < policy_.inputs.size(); ++i)
    if (c.state[i] == InputState::Absent && policy_.inputs[i].default_value) {
      c.values[i] = *policy_.inputs[i].default_value;
      c.state[i] = InputState::Defaulted;
    }
}

bool CaseSchema::convert_text(std::uint32_t slot, std::string_view text, Value& out, CaseError& err) const {
  const auto& in = policy_.inputs[slot];
  std::string why;
  auto v = dsl::parse_value(policy_, in.type, text, why);
  if (!v) {
    err = {"wrong_type", in.name, dsl::textf(dsl::Msg::CaseFieldWhy, in.name, in.label, why, dsl::visible(text))};
    return false;
  }
  out = *v;
  return true;
}

struct JsonCaseReader::Impl {
  simdjson::ondemand::parser parser;
};

JsonCaseReader::JsonCaseReader(const CaseSchema& schema) : impl_(new Impl), schema_(schema) {}
JsonCaseReader::~JsonCaseReader() { delete impl_; }

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// The text of a JSON string that holds no escape, read in place: `p` points just after its
// opening quote (the parser has checked that the closing one is there). False when it has an
// escape: the parser's unescaping is needed then.
bool unescaped_text(const char* p, std::string_view& out) {
  const char* q = p;
  while (*q != '"') {
    if (*q == '\\') return false;
    ++q;
  }
  out = std::string_view(p, static_cast<std::size_t>(q - p));
  return true;
}

// The same from a string's raw token ("text" and maybe spaces after it).
bool string_token_text(std::string_view raw, std::string_view& out) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' || raw.back() == '\n'))
    raw.remove_suffix(1);
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return false;
  raw = raw.substr(1, raw.size() - 2);
  if (raw.find('\\') != std::string_view::npos) return false;
  out = raw;
  return true;
}

std::string_view json_kind(simdjson::ondemand::json_type t) {
  using dsl::Msg;
  using dsl::text;
  using T = simdjson::ondemand::json_type;
  switch (t) {
    case T::array: return text(Msg::JsonArray);
    case T::object: return text(Msg::JsonObject);
    case T::number: return text(Msg::JsonNumber);
    case T::string: return text(Msg::JsonString);
    case T::boolean: return text(Msg::JsonBoolean);
    case T::null: return text(Msg::JsonNull);
  }
  return dsl::text(dsl::Msg::JsonValue);
}

std::string expected_json(const checked::Policy& p, const dsl::Type& t) {
  switch (t.base) {
    case Base::Bool: return std::string(dsl::text(dsl::Msg::ExpectBool));
    case Base::Date: return std::string(dsl::text(dsl::Msg::ExpectDateString));
    case Base::Enum: {
      std::vector<std::string> names;
      for (const auto& v : p.enums[t.enum_id].values) names.push_back(dsl::textf(dsl::Msg::NameLabel, fmt::format("\"{}\"", v.name), v.label));
      return dsl::textf(dsl::Msg::ExpectOneOf, dsl::joined(names));
    }
    case Base::Number:
      return dsl::textf(t.whole ? dsl::Msg::ExpectWholeOf : dsl::Msg::ExpectNumberOf, dsl::type_name(p, t));
    case Base::Error: break;
  }
  return std::string(dsl::text(dsl::Msg::JsonValue));
}

// The offset just after the JSON object that starts `s` (after white space), or npos when it
// does not close: strings are skipped whole, escapes included.
std::size_t object_end(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  if (i == s.size() || s[i] != '{') return std::string_view::npos;
  int depth = 0;
  for (; i < s.size(); ++i) {
    const char ch = s[i];
    if (ch == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i)
        if (s[i] == '\\') ++i;
      if (i >= s.size()) return std::string_view::npos;
    } else if (ch == '{' || ch == '[') {
      ++depth;
    } else if (ch == '}' || ch == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

// When the text holds a whole JSON object followed by something other than white space, the
// trailing_content error for it (line and column counted in characters, from 1).
bool trailing_content(std::string_view json, CaseError& err) {
  std::size_t end = object_end(json);
  if (end == std::string_view::npos) return false;
  std::size_t at = end;
  bool after_cr = false;
  while (at < json.size() && (json[at] == ' ' || json[at] == '\t' || json[at] == '\r' || json[at] == '\n')) {
    if (json[at] == '\r' && (at + 1 == json.size() || json[at + 1] != '\n')) after_cr = true;
    ++at;
  }
  if (at == json.size()) return false;
  std::string_view before = json.substr(0, at);
  std::size_t line = 1, line_start = 0;
  for (std::size_t k = 0; k < before.size(); ++k)
    if (before[k] == '\n') {
      ++line;
      line_start = k + 1;
    }
  const std::size_t column = dsl::utf8_length(before.substr(line_start)) + 1;
  // A JSON Lines line holds no line end: its position is a column; a case file's, both.
  err = {"trailing_content", "", msg::trailing_content(json.substr(at), line > 1 ? line : 0, column, after_cr)};
  return true;
}

}  // namespace

CaseError line_too_long_error(bool quoted) {
  return {"line_too_long", "", msg::line_too_long(kMaxCaseLineBytes, quoted)};
}

bool is_csv_path(std::string_view path) {
  if (path.size() < 4) return false;
  std::string_view ext = path.substr(path.size() - 4);
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return ext[0] == '.' && lower(ext[1]) == 'c' && lower(ext[2]) == 's' && lower(ext[3]) == 'v';
}

std::string utf16_problem(std::string_view b) {
  if (b.starts_with("\xFF\xFE")) return msg::utf16(dsl::text(dsl::Msg::Utf16BomLE));
  if (b.starts_with("\xFE\xFF")) return msg::utf16(dsl::text(dsl::Msg::Utf16BomBE));
  if (b.size() >= 2 && (b[0] == '\0' || b[1] == '\0')) return msg::utf16(dsl::text(dsl::Msg::Utf16Nul));
  return {};
}

bool JsonCaseReader::read(std::string_view json, std::size_t capacity, Case& c, CaseError& err) {
  using namespace simdjson;
  using T = ondemand::json_type;
  const auto& policy = schema_.policy();
  schema_.reset(c);
  auto fail = [&](std::string kind, std::string field, std::string msg) {
    err = {std::move(kind), std::move(field), std::move(msg)};
    return false;
  };
  auto bad_json = [&](error_code e) {
    return fail("invalid_json", "", dsl::textf(dsl::Msg::NotJson, error_message(e)));
  };
  if (json.size() > kMaxCaseLineBytes) {
    err = line_too_long_error();
    return false;
  }
  {
    std::string_view t = trim(json);
    if (t.empty() || t.front() != '{' || t.back() != '}') {
      if (trailing_content(json, err)) return false;  // {…},  {…} x
      return fail("invalid_json", "", dsl::textf(dsl::Msg::NotJsonLine));
    }
  }
  // Parse errors are checked for text after a whole object first: `{…}}` and `{…} ]` fail in
  // the parser, but what is wrong is what follows the object.
  auto bad_json_or_trailing = [&](error_code e) { return trailing_content(json, err) ? false : bad_json(e); };
  padded_string_view psv(json.data(), json.size(), capacity);
  ondemand::document doc;
  if (auto e = impl_->parser.iterate(psv).get(doc)) return bad_json_or_trailing(e);
  ondemand::object obj;
  {
    T t;
    if (auto e = doc.type().get(t)) return bad_json(e);
    if (t != T::object) return fail("invalid_json", "", dsl::textf(dsl::Msg::NotJsonObject, json_kind(t)));
  }
  if (auto e = doc.get_object().get(obj)) return bad_json_or_trailing(e);
  try {
    for (auto field_res : obj) {
      if (auto e = field_res.error()) return bad_json(e);
      ondemand::field& field = field_res.value_unsafe();  // checked just above; no copy
      std::string_view key;
      if (!unescaped_text(field.key().raw(), key))
        if (auto e = field.unescaped_key().get(key)) return bad_json(e);
      ondemand::value& val = field.value();
      T t;
      if (auto e = val.type().get(t)) return bad_json(e);
      const int code = schema_.key_code(key);
      if (code == CaseSchema::kIdKey) {
        std::string_view raw = trim(val.raw_json_token());
        if (t == T::string) {
          std::string_view s;
          if (auto e = val.get_string().get(s)) return bad_json(e);
          c.id_text.assign(s);
        } else if (t == T::number) {
          c.id_text.assign(raw);
        } else {
          return fail("wrong_type", "id", dsl::textf(dsl::Msg::IdType, json_kind(t)));
        }
        c.id_json.assign(raw);
        continue;
      }
      if (code == CaseSchema::kAsOfKey) {
        std::string_view s;
        if (t != T::string || val.get_string().get(s))
          return fail("wrong_type", "as_of", dsl::textf(dsl::Msg::AsOfType, json_kind(t)));
        auto d = parse_date(s);
        if (!d)
          return fail("wrong_type", "as_of",
                      dsl::textf(dsl::Msg::AsOfBad, s, kMinYear, kMaxYear));
        c.as_of = *d;
        continue;
      }
      const int slot = code;
      if (slot < 0) {
        if (ignore_unknown_) continue;
        return fail("unknown_field", std::string(key), schema_.unknown_field_message(key));
      }
      const auto& in = policy.inputs[slot];
      if (c.state[slot] != InputState::Absent)
        return fail("duplicate_field", in.name, dsl::textf(dsl::Msg::FieldTwice, in.name));
      if (t == T::null) continue;  // null: as if left out
      auto wrong = [&]() {
        return fail("wrong_type", in.name,
                    dsl::textf(dsl::Msg::FieldMustBe, in.name, in.label, expected_json(policy, in.type),
                                t == T::number || t == T::string ? fmt::format("{}", trim(val.raw_json_token())) : std::string(json_kind(t))));
      };
      Value v;
      switch (in.type.base) {
        case Base::Bool: {
          if (t != T::boolean) return wrong();
          bool b;
          if (auto e = val.get_bool().get(b)) return bad_json(e);
          v = checked::make_bool(b);
          break;
        }
        case Base::Number: {
          if (t != T::number) return wrong();
          std::string_view raw = val.raw_json_token();
          while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' || raw.back() == '\n'))
            raw.remove_suffix(1);
          auto d = Decimal::parse(raw);
          if (!d)
            return fail("wrong_type", in.name,
                        dsl::textf(dsl::Msg::FieldNotDecimal, in.name, in.label, raw));
          if (in.type.whole && !d->is_integer())
            return fail("wrong_type", in.name,
                        dsl::textf(dsl::Msg::FieldWholeOf, in.name, in.label,
                                    dsl::type_name(policy, in.type), raw));
          // A whole number is held as one ("90.0" as 90): date arithmetic adds its coefficient.
          v = in.type.whole ? d->normalized() : *d;
          break;
        }
        case Base::Enum: {
          std::string_view s;
          if (t != T::string) return wrong();
          if (!string_token_text(val.raw_json_token(), s))
            if (val.get_string().get(s)) return wrong();
          int ord = schema_.enum_ordinal(in.type.enum_id, s);
          if (ord < 0)
            return fail("wrong_type", in.name,
                        dsl::textf(dsl::Msg::FieldIsNot, in.name, in.label, s, expected_json(policy, in.type)));
          v = Value::from_int(ord);
          break;
        }
        case Base::Date: {
          std::string_view s;
          if (t != T::string || val.get_string().get(s)) return wrong();
          auto d = parse_date(s);
          if (!d) return wrong();
          v = Value::from_int(*d);
          break;
        }
        case Base::Error: return wrong();
      }
      c.values[slot] = v;
      c.state[slot] = InputState::Given;
    }
  } catch (const simdjson_error& e) {
    return bad_json(e.error());
  }
  // Something after the object: another object glued on, a stray '}' or ','.
  if (!doc.current_location().error()) {
    if (!trailing_content(json, err)) err = {"trailing_content", "", msg::trailing_content("", 0, json.size(), false)};
    return false;
  }
  schema_.apply_defaults(c);
  return true;
}

}  // namespace pol::interp
