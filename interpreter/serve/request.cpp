#include "serve/request.hpp"

#include <simdjson.h>

#include <fmt/format.h>

namespace pol::serve {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

ApiError bad(std::string kind, std::string field, std::string message) {
  return ApiError{400, std::move(kind), std::move(field), std::move(message)};
}

const char* type_word(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

ApiError wrong_type(const std::string& key, const char* expected, element e) {
  return bad("wrong_type", key, fmt::format("\"{}\" must be {}, got {}", key, expected, type_word(e.type())));
}

// Parses `body` as one JSON object with at most kMaxJsonDepth levels.
std::optional<ApiError> parse_object(std::string_view body, simdjson::dom::parser& parser, simdjson::padded_string& copy,
                                     simdjson::dom::object& out) {
  copy = simdjson::padded_string(body);
  element root;
  auto err = parser.parse(copy).get(root);
  if (err == simdjson::DEPTH_ERROR)
    return bad("too_deep", "", fmt::format("the request body nests deeper than {} levels", kMaxJsonDepth));
  if (err) return bad("invalid_json", "", fmt::format("the request body is not valid JSON: {}", simdjson::error_message(err)));
  if (root.type() != element_type::OBJECT)
    return bad("wrong_type", "", fmt::format("the request body must be a JSON object, got {}", type_word(root.type())));
  if (root.get_object().get(out)) return bad("wrong_type", "", "the request body must be a JSON object");
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
  if (e.type() != element_type::STRING) return wrong_type(key, "a string", e);
  out = std::string(e.get_string().value_unsafe());
  return std::nullopt;
}

std::optional<ApiError> get_strings(const std::string& key, element e, std::vector<std::string>& out) {
  if (e.type() != element_type::ARRAY) return wrong_type(key, "an array of strings", e);
  simdjson::dom::array arr;
  if (e.get_array().get(arr)) return wrong_type(key, "an array of strings", e);
  for (element item : arr) {
    if (item.type() != element_type::STRING) return wrong_type(key, "an array of strings", item);
    out.emplace_back(item.get_string().value_unsafe());
  }
  return std::nullopt;
}

// {"NAME": "VALUE"}: a value may also be a JSON number or boolean, taken as its text.
std::optional<ApiError> get_map(const std::string& key, element e, std::vector<std::pair<std::string, std::string>>& out) {
  if (e.type() != element_type::OBJECT) return wrong_type(key, "an object of NAME: VALUE", e);
  simdjson::dom::object o;
  if (e.get_object().get(o)) return wrong_type(key, "an object of NAME: VALUE", e);
  for (auto [k, v] : o) {
    std::string name(k), field = key + "." + name;
    if (v.type() == element_type::STRING) out.emplace_back(name, std::string(v.get_string().value_unsafe()));
    else if (v.type() == element_type::OBJECT || v.type() == element_type::ARRAY || v.type() == element_type::NULL_VALUE)
      return wrong_type(field, "a string, a number or a boolean", v);
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
  return bad("unknown_field", std::string(key), fmt::format("unknown key \"{}\" in the request: expected {}", key, known));
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
      if (v.type() != element_type::OBJECT) return wrong_type(key, "an object: the case's inputs by name", v);
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
      if (v.type() != element_type::BOOL) return wrong_type(key, "a boolean", v);
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
      else if (v.type() == element_type::OBJECT || v.type() == element_type::ARRAY) return wrong_type(key, "a string, a number or a boolean", v);
      else out.value = simdjson::minify(v);
    } else if (key == "fix" && endpoint == CaseEndpoint::WhyNot) {
      e = get_strings(key, v, out.fix);
    } else {
      return unknown_key(key, known);
    }
    if (e) return e;
  }
  if (!has_case) return bad("missing_field", "case", "the request has no \"case\": give the case's inputs as an object");
  if (endpoint == CaseEndpoint::WhyNot && !has_output)
    return bad("missing_field", "output", "the request has no \"output\": name the output whose value should change");
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
        if (v.get_array().get(arr)) return wrong_type(key, "an array of case objects", v);
        for (element c : arr) {
          if (++n > kMaxInlineCases)
            return ApiError{413, "too_large", "cases", fmt::format("more than {} cases inline: stream them with POST /policies/{{name}}/batch", kMaxInlineCases)};
          if (c.type() != element_type::OBJECT) return wrong_type("cases", "an array of case objects", c);
          out.cases_jsonl += simdjson::minify(c);
          out.cases_jsonl += '\n';
        }
      } else {
        return wrong_type(key, "an array of case objects or a string of JSON Lines", v);
      }
    } else return unknown_key(key, "a, b, at, outputs, cases");
    if (e) return e;
  }
  if (out.a.empty()) return bad("missing_field", "a", "the request has no \"a\": name the first policy");
  if (out.b.empty()) return bad("missing_field", "b", "the request has no \"b\": name the second policy");
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
  if (!has_text) return bad("missing_field", "text", "the request has no \"text\": give the rule file's text");
  if (out.path.empty()) return bad("missing_field", "path", "the request has no \"path\": give the path the text stands for, relative to the served folder");
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
      if (v.type() != element_type::BOOL) return wrong_type(key, "a boolean", v);
      out.save_anyway = v.get_bool().value_unsafe();
      return std::nullopt;
    }
    return unknown_key(key, "text, replaces, save_anyway");
  });
  if (e) return e;
  if (!has_text) return bad("missing_field", "text", "the request has no \"text\": give the file's new text");
  if (!has_replaces)
    return bad("missing_field", "replaces",
               "the request has no \"replaces\": give the SHA-256 of the text it replaces (null for a new file)");
  return std::nullopt;
}

}  // namespace pol::serve
