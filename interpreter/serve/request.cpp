#include "serve/request.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include "base/messages.hpp"

namespace pol::serve {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

ApiError bad(std::string kind, std::string field, std::string message) {
  return ApiError{400, std::move(kind), std::move(field), std::move(message)};
}

std::string type_word(element_type t) {
  switch (t) {
    case element_type::ARRAY: return dsl::textf(dsl::Msg::SrvTArray);
    case element_type::OBJECT: return dsl::textf(dsl::Msg::SrvTObject);
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return dsl::textf(dsl::Msg::SrvTNumber);
    case element_type::STRING: return dsl::textf(dsl::Msg::SrvTString);
    case element_type::BOOL: return dsl::textf(dsl::Msg::SrvTBool);
    case element_type::NULL_VALUE: return "null";
  }
  return dsl::textf(dsl::Msg::SrvTValue);
}

ApiError wrong_type(const std::string& key, const std::string& expected, element e) {
  return bad("wrong_type", key, dsl::textf(dsl::Msg::SrvWrongType, key, expected, type_word(e.type())));
}

// Parses `body` as one JSON object with at most kMaxJsonDepth levels.
std::optional<ApiError> parse_object(std::string_view body, simdjson::dom::parser& parser, simdjson::padded_string& copy,
                                     simdjson::dom::object& out) {
  copy = simdjson::padded_string(body);
  element root;
  auto err = parser.parse(copy).get(root);
  if (err == simdjson::DEPTH_ERROR)
    return bad("too_deep", "", dsl::textf(dsl::Msg::SrvTooDeep, kMaxJsonDepth));
  if (err) return bad("invalid_json", "", dsl::textf(dsl::Msg::SrvBadJson, simdjson::error_message(err)));
  if (root.type() != element_type::OBJECT)
    return bad("wrong_type", "", dsl::textf(dsl::Msg::SrvBodyNotObjectGot, type_word(root.type())));
  if (root.get_object().get(out)) return bad("wrong_type", "", dsl::textf(dsl::Msg::SrvBodyNotObject));
  return std::nullopt;
}

simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser p;
    if (p.allocate(1 << 16, kMaxJsonDepth)) throw std::bad_alloc();
    return p;
  }();
  return parser;
}

std::optional<ApiError> get_string(const std::string& key, element e, std::string& out) {
  if (e.type() != element_type::STRING) return wrong_type(key, dsl::textf(dsl::Msg::SrvTString), e);
  out = std::string(e.get_string().value_unsafe());
  return std::nullopt;
}

std::optional<ApiError> get_strings(const std::string& key, element e, std::vector<std::string>& out) {
  if (e.type() != element_type::ARRAY) return wrong_type(key, dsl::textf(dsl::Msg::SrvTStrings), e);
  simdjson::dom::array arr;
  if (e.get_array().get(arr)) return wrong_type(key, dsl::textf(dsl::Msg::SrvTStrings), e);
  for (element item : arr) {
    if (item.type() != element_type::STRING) return wrong_type(key, dsl::textf(dsl::Msg::SrvTStrings), item);
    out.emplace_back(item.get_string().value_unsafe());
  }
  return std::nullopt;
}

// {"NAME": "VALUE"}: a value may also be a JSON number or boolean, taken as its text.
std::optional<ApiError> get_map(const std::string& key, element e, std::vector<std::pair<std::string, std::string>>& out) {
  if (e.type() != element_type::OBJECT) return wrong_type(key, dsl::textf(dsl::Msg::SrvTNameValues), e);
  simdjson::dom::object o;
  if (e.get_object().get(o)) return wrong_type(key, dsl::textf(dsl::Msg::SrvTNameValues), e);
  for (auto [k, v] : o) {
    std::string name(k), field = key + "." + name;
    if (v.type() == element_type::STRING) out.emplace_back(name, std::string(v.get_string().value_unsafe()));
    else if (v.type() == element_type::OBJECT || v.type() == element_type::ARRAY || v.type() == element_type::NULL_VALUE)
      return wrong_type(field, dsl::textf(dsl::Msg::SrvTScalar), v);
    else out.emplace_back(name, simdjson::minify(v));
  }
  return std::nullopt;
}

// Calls `f(key, value)` for each key of the body's object, in order; the first error stops.
template <class F>
std::optional<ApiError> each_key(std::string_view body, F&& f) {
  simdjson::padded_string copy;
  simdjson::dom::object obj;
  if (auto e = parse_object(body, thread_parser(), copy, obj)) return e;
  for (auto [k, v] : obj)
    if (auto e = f(std::string(k), v)) return e;
  return std::nullopt;
}

ApiError unknown_key(std::string_view key, const char* known) {
  return bad("unknown_field", std::string(key), dsl::textf(dsl::Msg::SrvUnknownKey, key, known));
}

}  // namespace

std::optional<ApiError> parse_case_request(std::string_view body, CaseEndpoint endpoint, CaseRequest& out) {
  simdjson::padded_string copy;
  simdjson::dom::object obj;
  if (auto e = parse_object(body, thread_parser(), copy, obj)) return e;
  const char* known = endpoint == CaseEndpoint::Eval      ? "case, at, set, outputs, readings"
                      : endpoint == CaseEndpoint::Explain ? "case, at, set, outputs, readings, names, depth"
                                                          : "case, at, set, readings, output, value, fix";
  bool has_case = false, has_output = false;
  for (auto [k, v] : obj) {
    std::string key(k);
    std::optional<ApiError> e;
    if (key == "case") {
      if (v.type() != element_type::OBJECT) return wrong_type(key, dsl::textf(dsl::Msg::SrvTCaseObject), v);
      out.case_json = simdjson::minify(v);
      has_case = true;
    } else if (key == "at") {
      if (v.type() != element_type::NULL_VALUE) e = get_string(key, v, out.at);
    } else if (key == "set") {
      e = get_map(key, v, out.sets);
    } else if (key == "outputs" && endpoint != CaseEndpoint::WhyNot) {
      e = get_strings(key, v, out.outputs);
    } else if (key == "readings") {
      e = get_map(key, v, out.readings);
    } else if (key == "names" && endpoint == CaseEndpoint::Explain) {
      if (v.type() != element_type::BOOL) return wrong_type(key, dsl::textf(dsl::Msg::SrvTBool), v);
      out.names = v.get_bool().value_unsafe();
    } else if (key == "depth" && endpoint == CaseEndpoint::Explain) {
      std::uint64_t d = 0;
      if (v.get_uint64().get(d) || d > 1'000'000) return bad("wrong_type", key, "\"depth\" must be a whole number from 0 to 1000000");
      out.depth = d;
    } else if (key == "output" && endpoint == CaseEndpoint::WhyNot) {
      e = get_string(key, v, out.output);
      has_output = true;
    } else if (key == "value" && endpoint == CaseEndpoint::WhyNot) {
      if (v.type() == element_type::STRING) out.value = std::string(v.get_string().value_unsafe());
      else if (v.type() == element_type::NULL_VALUE) out.value.reset();
      else if (v.type() == element_type::OBJECT || v.type() == element_type::ARRAY) return wrong_type(key, dsl::textf(dsl::Msg::SrvTScalar), v);
      else out.value = simdjson::minify(v);
    } else if (key == "fix" && endpoint == CaseEndpoint::WhyNot) {
      e = get_strings(key, v, out.fix);
    } else {
      return unknown_key(key, known);
    }
    if (e) return e;
  }
  if (!has_case) return bad("missing_field", "case", dsl::textf(dsl::Msg::SrvNoCase));
  if (endpoint == CaseEndpoint::WhyNot && !has_output)
    return bad("missing_field", "output", dsl::textf(dsl::Msg::SrvNoOutput));
  return std::nullopt;
}

std::optional<ApiError> parse_diff_request(std::string_view body, DiffRequest& out) {
  simdjson::padded_string copy;
  simdjson::dom::object obj;
  if (auto e = parse_object(body, thread_parser(), copy, obj)) return e;
  for (auto [k, v] : obj) {
    std::string key(k);
    std::optional<ApiError> e;
    if (key == "a") e = get_string(key, v, out.a);
    else if (key == "b") e = get_string(key, v, out.b);
    else if (key == "at") {
      if (v.type() != element_type::NULL_VALUE) e = get_string(key, v, out.at);
    } else if (key == "outputs") e = get_strings(key, v, out.outputs);
    else if (key == "cases") {
      out.has_cases = true;
      if (v.type() == element_type::STRING) {
        out.cases_jsonl = std::string(v.get_string().value_unsafe());
      } else if (v.type() == element_type::ARRAY) {
        std::size_t n = 0;
        simdjson::dom::array arr;
        if (v.get_array().get(arr)) return wrong_type(key, dsl::textf(dsl::Msg::SrvTCases), v);
        for (element c : arr) {
          if (++n > kMaxInlineCases)
            return ApiError{413, "too_large", "cases", dsl::textf(dsl::Msg::SrvTooManyInline, kMaxInlineCases)};
          if (c.type() != element_type::OBJECT) return wrong_type("cases", dsl::textf(dsl::Msg::SrvTCases), c);
          out.cases_jsonl += simdjson::minify(c);
          out.cases_jsonl += '\n';
        }
      } else {
        return wrong_type(key, dsl::textf(dsl::Msg::SrvTCasesOrLines), v);
      }
    } else return unknown_key(key, "a, b, at, outputs, cases");
    if (e) return e;
  }
  if (out.a.empty()) return bad("missing_field", "a", dsl::textf(dsl::Msg::SrvNoA));
  if (out.b.empty()) return bad("missing_field", "b", dsl::textf(dsl::Msg::SrvNoB));
  return std::nullopt;
}

std::optional<ApiError> parse_check_request(std::string_view body, CheckRequest& out) {
  bool has_text = false;
  auto e = each_key(body, [&](const std::string& key, element v) -> std::optional<ApiError> {
    if (key == "text") {
      has_text = true;
      return get_string(key, v, out.text);
    }
    if (key == "path") return get_string(key, v, out.path);
    return unknown_key(key, "text, path");
  });
  if (e) return e;
  if (!has_text) return bad("missing_field", "text", dsl::textf(dsl::Msg::SrvNoText));
  if (out.path.empty()) return bad("missing_field", "path", dsl::textf(dsl::Msg::SrvNoPath));
  return std::nullopt;
}

std::optional<ApiError> parse_file_write(std::string_view body, FileWriteRequest& out) {
  bool has_text = false, has_replaces = false;
  auto e = each_key(body, [&](const std::string& key, element v) -> std::optional<ApiError> {
    if (key == "text") {
      has_text = true;
      return get_string(key, v, out.text);
    }
    if (key == "replaces") {
      has_replaces = true;
      if (v.type() == element_type::NULL_VALUE) return std::nullopt;
      std::string h;
      auto err = get_string(key, v, h);
      out.replaces = h;
      return err;
    }
    if (key == "save_anyway") {
      if (v.type() != element_type::BOOL) return wrong_type(key, dsl::textf(dsl::Msg::SrvTBool), v);
      out.save_anyway = v.get_bool().value_unsafe();
      return std::nullopt;
    }
    return unknown_key(key, "text, replaces, save_anyway");
  });
  if (e) return e;
  if (!has_text) return bad("missing_field", "text", dsl::textf(dsl::Msg::SrvNoNewText));
  if (!has_replaces)
    return bad("missing_field", "replaces",
               dsl::textf(dsl::Msg::SrvNoReplaces));
  return std::nullopt;
}

}  // namespace pol::serve
