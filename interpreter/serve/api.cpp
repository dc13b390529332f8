// The router, the error responses, and the endpoints that read or write rule files
// (GET /policies, GET /policies/{name}, POST /check, GET and PUT /files/{path}, POST /diff).
#include "serve/api.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/files.hpp"
#include "base/messages.hpp"
#include "compare/diff_report.hpp"
#include "explain/summary.hpp"
#include "report/json_writer.hpp"
#include "serve/body.hpp"
#include "serve/serve.hpp"

namespace pol::serve {

using interp::JsonWriter;

ApiResponse error_response(const ApiError& e) {
  ApiResponse r;
  r.status = e.status;
  JsonWriter w(r.body);
  w.begin_object().key("error").begin_object().field("kind", e.kind);
  w.key("field").string_or_null(e.field);
  w.field("message", e.message).end_object().end_object();
  return r;
}

interp::Provenance served_provenance(const ServedRoot& root, const std::vector<const checked::Policy*>& policies) {
  std::string error;
  auto generated = interp::generated_at(error);
  interp::Provenance pr = interp::make_provenance(policies, generated ? *generated : std::time(nullptr));
  for (auto& f : pr.files) f.path = root.shown(f.path);
  return pr;
}

namespace {

constexpr std::string_view kPrefix = "/api/v1";

ApiResponse not_found(std::string kind, std::string message) { return error_response({404, std::move(kind), "", std::move(message)}); }

ApiResponse method_not_allowed(const std::string& method, const std::string& path, const char* allowed) {
  return error_response({405, "method_not_allowed", "",
                         dsl::textf(dsl::Msg::SrvNotServedUse, method, path, allowed)});
}

// Splits "/a/b/c" after the prefix into its parts.
std::vector<std::string> parts_of(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    parts.emplace_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::mutex& write_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

std::uint64_t body_limit(std::string_view method, std::string_view path, std::string_view content_type) {
  const BodyKind kind = body_kind(content_type);
  if (kind == BodyKind::Xlsx && method == "POST") return kMaxWorkbookBytes;
  if (method == "POST" && Api::batch_name(path)) return kMaxBatchBytes;
  if (kind != BodyKind::Json && path.size() > 9 && ends_with(path, "/readings")) return kMaxPopulationBytes;
  if (path == "/api/v1/diff") return kMaxDiffRequestBytes;
  if (path == "/api/v1/check" || path.substr(0, 14) == "/api/v1/files/") return kMaxFileRequestBytes;
  return kMaxCaseRequestBytes;
}

std::optional<std::string> Api::batch_name(std::string_view path) {
  constexpr std::string_view head = "/api/v1/policies/", tail = "/batch";
  if (path.size() <= head.size() + tail.size() || path.substr(0, head.size()) != head || !ends_with(path, tail))
    return std::nullopt;
  std::string_view name = path.substr(head.size(), path.size() - head.size() - tail.size());
  if (name.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(name);
}

ApiResponse Api::handle(const ApiRequest& r) noexcept {
  try {
    return route(r);
  } catch (const interp::CompareUsageError& e) {
    return error_response({400, "bad_request", "", store_.root().strip(e.message)});
  } catch (const std::bad_alloc&) {
    return error_response({503, "out_of_memory", "", dsl::textf(dsl::Msg::SrvOutOfMemory)});
  } catch (...) {
    return error_response({500, "internal", "", dsl::textf(dsl::Msg::SrvInternal)});
  }
}

const std::vector<Route>& Api::routes() {
  static const std::vector<Route> table = {
      {"GET", "/policies"},
      {"GET", "/policies/{name}"},
      {"POST", "/policies/{name}/eval"},
      {"POST", "/policies/{name}/explain"},
      {"POST", "/policies/{name}/why-not"},
      {"POST", "/policies/{name}/readings"},
      {"POST", "/policies/{name}/batch"},
      {"POST", "/policies/{name}/sweep"},
      {"GET", "/policies/{name}/doc"},
      {"POST", "/diff"},
      {"POST", "/check"},
      {"GET PUT", "/files/{path}"},
      {"GET", "/openapi.json"},
  };
  return table;
}

namespace {

// Whether `parts` (of a path after /api/v1/) fit the route's path: "{name}" takes one part,
// "{path}" (last) one or more; the parts taken are added to `args`.
bool fits(std::string_view route, const std::vector<std::string>& parts, std::vector<std::string>& args) {
  auto want = parts_of(route.substr(1));
  args.clear();
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (i >= parts.size()) return false;
    if (want[i] == "{path}") {
      std::string rest = parts[i];
      for (std::size_t j = i + 1; j < parts.size(); ++j) rest += "/" + parts[j];
      args.push_back(rest);
      return true;
    }
    if (want[i].front() == '{') args.push_back(parts[i]);
    else if (want[i] != parts[i]) return false;
  }
  return want.size() == parts.size();
}

bool allows(std::string_view methods, std::string_view m) {
  for (std::size_t pos = 0; pos < methods.size();) {
    std::size_t end = std::min(methods.find(' ', pos), methods.size());
    if (methods.substr(pos, end - pos) == m) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

ApiResponse Api::route(const ApiRequest& r) {
  std::string_view path = r.path;
  if (path.substr(0, kPrefix.size()) != kPrefix || (path.size() > kPrefix.size() && path[kPrefix.size()] != '/'))
    return not_found("not_found", dsl::textf(dsl::Msg::SrvNoSuchPathApi, r.path));
  auto parts = parts_of(path.substr(kPrefix.size() + std::min(path.size() - kPrefix.size(), std::size_t{1})));
  const std::string& m = r.method;
  std::vector<std::string> args;
  const Route* found = nullptr;
  for (const auto& rt : routes())
    if (fits(rt.path, parts, args)) {
      found = &rt;
      break;
    }
  if (!found) return not_found("not_found", dsl::textf(dsl::Msg::SrvNoSuchPath, r.path));
  const std::string_view route = found->path;
  if (route == "/files/{path}") {
    if (m == "GET") return read_file(args[0]);
    if (m == "PUT") {
      if (!options_.edit)
        return error_response({405, "read_only", "", dsl::textf(dsl::Msg::SrvReadOnly)});
      return write_file(args[0], r);
    }
    return method_not_allowed(m, r.path, options_.edit ? "GET or PUT" : "GET");
  }
  if (!allows(found->methods, m)) return method_not_allowed(m, r.path, found->methods);
  if (route == "/policies") return list_policies();
  if (route == "/policies/{name}") return describe(args[0]);
  if (route == "/policies/{name}/eval") return run_case(args[0], "eval", r);
  if (route == "/policies/{name}/explain") return run_case(args[0], "explain", r);
  if (route == "/policies/{name}/why-not") return run_case(args[0], "why-not", r);
  if (route == "/policies/{name}/readings") return readings(args[0], r);
  if (route == "/policies/{name}/sweep") return sweep(args[0], r);
  if (route == "/policies/{name}/doc") return doc(args[0], r);
  if (route == "/diff") return diff(r);
  if (route == "/check") return check(r);
  if (route == "/openapi.json") {
    ApiResponse res;
    res.body = kOpenApiJson;
    return res;
  }
  // /policies/{name}/batch without a stream (the fuzz target, the unit test): the body is the input.
  BatchJob job;
  if (auto e = prepare_batch(args[0], r, job)) return *e;
  interp::MemorySource body(r.body);
  std::string out, error;
  int rc = run_batch(job, body, [&](std::string_view b) { out.append(b); return true; }, error);
  if (rc != 0) return error_response({400, "bad_request", "", error});
  ApiResponse res;
  res.content_type = "application/x-ndjson; charset=utf-8";
  res.body = std::move(out);
  return res;
}

std::shared_ptr<const Served> Api::usable(const std::string& name, ApiResponse& error) {
  auto s = store_.get(name);
  if (!s) {
    std::vector<std::string> names;
    for (const auto& e : store_.list()) names.push_back(e->name);
    error = error_response({404, "unknown_policy", "name",
                            dsl::with_suggestion(dsl::textf(dsl::Msg::SrvNoPolicy, name), name, names)});
    return nullptr;
  }
  if (!s->policy()) {
    error = error_response({422, "has_errors", "name",
                            s->outside ? dsl::textf(dsl::Msg::SrvPolicyExtendsOutside, s->name)
                                       : dsl::textf(dsl::Msg::SrvPolicyErrors, s->name, s->name)});
    return nullptr;
  }
  return s;
}

ApiResponse Api::list_policies() {
  ApiResponse res;
  res.body = "{\"policies\":[";
  bool first = true;
  for (const auto& s : store_.list()) {
    if (!first) res.body += ',';
    first = false;
    list_entry(*s, store_.root(), res.body);
  }
  res.body += "]}";
  return res;
}

ApiResponse Api::describe(const std::string& name) {
  auto s = store_.get(name);
  if (!s) {
    ApiResponse e;
    (void)usable(name, e);
    return e;
  }
  ApiResponse res;
  if (!s->policy()) {  // has errors: what a list entry says, and every diagnostic
    res.body = "{\"policy\":";
    list_entry(*s, store_.root(), res.body);
    res.body += ",\"diagnostics\":" + diagnostics_json(s->check.diagnostics, store_.root()) + "}";
    return res;
  }
  res.body = describe_policy(*s, store_.root());
  return res;
}

namespace {

// The diagnostics of `text` checked as the file at `path`, or an error when a file it extends
// lies outside the served folder.
std::optional<ApiError> check_text(const ServedRoot& root, const std::string& path, const std::string& text,
                                   dsl::CheckResult& r) {
  if (text.size() > dsl::kMaxRuleFileBytes)
    return ApiError{413, "too_large", "text", dsl::textf(dsl::Msg::SrvTextTooLarge, dsl::kMaxRuleFileBytes)};
  r = dsl::check_source(std::make_shared<const dsl::SourceFile>(path, text));
  std::vector<std::string> files;
  if (r.policy)
    for (const auto& f : r.policy->files) files.push_back(f->name());
  for (const auto& d : r.diagnostics)
    if (d.file) files.push_back(d.file->name());
  for (const auto& f : files)
    if (f != path && !root.inside(f))
      return ApiError{400, "outside", "text", dsl::textf(dsl::Msg::SrvExtendsOutside)};
  return std::nullopt;
}

}  // namespace

ApiResponse Api::check(const ApiRequest& r) {
  CheckRequest q;
  if (auto e = parse_check_request(r.body, q)) return error_response(*e);
  std::string why;
  auto path = store_.root().resolve(q.path, false, why);
  if (!path) return error_response({400, "bad_path", "path", fmt::format("\"path\" '{}': {}", q.path, why)});
  dsl::CheckResult c;
  if (auto e = check_text(store_.root(), *path, q.text, c)) return error_response(*e);
  ApiResponse res;
  JsonWriter w(res.body);
  w.begin_object().field("path", store_.root().shown(*path)).field("ok", !dsl::has_errors(c.diagnostics));
  w.key("diagnostics").raw(diagnostics_json(c.diagnostics, store_.root())).end_object();
  return res;
}

ApiResponse Api::read_file(const std::string& rel) {
  std::string why;
  auto path = store_.root().resolve(rel, true, why);
  if (!path) return error_response({404, "not_found", "path", fmt::format("'{}': {}", rel, why)});
  if (!ends_with(*path, ".pol")) return error_response({404, "not_found", "path", dsl::textf(dsl::Msg::SrvOnlyPolServed, rel)});
  dsl::InputFile f;
  std::string error;
  if (!dsl::read_input_file(*path, dsl::kMaxRuleFileBytes, dsl::text(dsl::Msg::WhatRuleFile).data(), f, error))
    return error_response({404, "not_found", "path", store_.root().strip(error)});
  ApiResponse res;
  JsonWriter w(res.body);
  w.begin_object().field("path", store_.root().shown(*path)).field("hash", interp::sha256_hex(f.text)).field("text", f.text).end_object();
  return res;
}

ApiResponse Api::write_file(const std::string& rel, const ApiRequest& r) {
  std::string why;
  auto path = store_.root().resolve(rel, false, why);
  if (!path) return error_response({400, "bad_path", "path", fmt::format("'{}': {}", rel, why)});
  if (!ends_with(*path, ".pol")) return error_response({400, "bad_path", "path", dsl::textf(dsl::Msg::SrvOnlyPolWritten, rel)});
  FileWriteRequest q;
  if (auto e = parse_file_write(r.body, q)) return error_response(*e);
  std::lock_guard lock(write_mutex());
  struct stat st {};
  const bool exists = ::lstat(path->c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode))
    return error_response({400, "bad_path", "path", dsl::textf(dsl::Msg::SrvNotOrdinaryFile, rel)});
  std::string current;
  if (exists) {
    dsl::InputFile f;
    std::string error;
    if (!dsl::read_input_file(*path, dsl::kMaxRuleFileBytes, dsl::text(dsl::Msg::WhatRuleFile).data(), f, error))
      return error_response({409, "conflict", "path", store_.root().strip(error)});
    current = interp::sha256_hex(f.text);
  }
  if (exists != q.replaces.has_value() || (exists && *q.replaces != current)) {
    ApiError e{409, "conflict", "replaces",
               exists ? dsl::textf(dsl::Msg::SrvChangedOnDisk, rel, current)
                      : dsl::textf(dsl::Msg::SrvNoFileToReplace, rel)};
    return error_response(e);
  }
  dsl::CheckResult c;
  if (auto e = check_text(store_.root(), *path, q.text, c)) return error_response(*e);
  std::string diags = diagnostics_json(c.diagnostics, store_.root());
  if (dsl::has_errors(c.diagnostics) && !q.save_anyway) {
    ApiResponse res = error_response({422, "has_errors", "text",
                                      dsl::textf(dsl::Msg::SrvNotSaved)});
    res.body.pop_back();
    res.body += ",\"diagnostics\":" + diags + "}";
    return res;
  }
  std::string backup;
  if (exists) {  // the previous text kept as FILE.~N~ (a hard link: nothing is copied)
    for (int n = 1; n < 100000 && backup.empty(); ++n) {
      std::string b = fmt::format("{}.~{}~", *path, n);
      if (::link(path->c_str(), b.c_str()) == 0) backup = b;
      else if (errno != EEXIST) break;
    }
    if (backup.empty()) return error_response({500, "write_failed", "path", dsl::textf(dsl::Msg::SrvNoBackup, rel)});
  }
  dsl::OutputFile out;
  std::string error;
  if (!out.open(*path, {}, error) || !out.write(q.text) || !out.commit(error))
    return error_response({500, "write_failed", "path", store_.root().strip(error)});
  store_.forget(*path);
  ApiResponse res;
  JsonWriter w(res.body);
  w.begin_object().field("path", store_.root().shown(*path)).field("hash", interp::sha256_hex(q.text));
  w.key("backup").string_or_null(backup.empty() ? std::string() : store_.root().shown(backup));
  w.field("ok", !dsl::has_errors(c.diagnostics));
  w.key("diagnostics").raw(diags).end_object();
  return res;
}

ApiResponse Api::diff(const ApiRequest& r) {
  // An Excel body is the population itself: a, b, at and the outputs come in the query.
  const bool workbook = body_kind(r.content_type) == BodyKind::Xlsx;
  DiffRequest q;
  if (!workbook) {
    if (auto e = parse_diff_request(r.body, q)) return error_response(*e);
  }
  interp::DiffArgs args;
  // ?cases=csv: "cases" is the text of a CSV file; ?show=N: list N changed cases (default 20);
  // ?explain_case=ID: that case of "cases" explained under A and B (?format=html or json).
  bool csv = false;
  std::string format = "json";
  for (const auto& [k, v] : r.query) {
    if (k == "cases" && (v == "csv" || v == "jsonl")) csv = v == "csv";
    else if (k == "show" && !v.empty() && v.size() < 7 && v.find_first_not_of("0123456789") == std::string::npos) args.show = std::stoi(v);
    else if (k == "explain_case") args.explain_case = v;
    else if (k == "format" && (v == "json" || v == "html")) format = v;
    else if (workbook && (k == "a" || k == "b" || k == "at")) (k == "a" ? q.a : k == "b" ? q.b : q.at) = v;
    else if (workbook && k == "output") q.outputs.push_back(v);
    else if (workbook && k == "sheet") args.sheet = v;
    else
      return error_response({400, "bad_value", k,
                             dsl::textf(dsl::Msg::SrvDiffQueryValue, k, v,
                                        workbook ? dsl::text(dsl::Msg::SrvDiffQueryWorkbook) : std::string_view())});
  }
  if (workbook) {
    if (q.a.empty() || q.b.empty())
      return error_response({400, "missing_field", q.a.empty() ? "a" : "b", dsl::textf(dsl::Msg::SrvWorkbookNeedsAB)});
    q.has_cases = true;
  }
  ApiResponse error;
  auto a = usable(q.a, error);
  if (!a) return error;
  auto b = usable(q.b, error);
  if (!b) return error;
  args.a = a->path;
  args.b = b->path;
  args.at = q.at;
  args.outputs = q.outputs;
  std::optional<int> at;
  if (!q.at.empty() && !(at = pol::parse_date(q.at)))
    return error_response({400, "bad_value", "at", dsl::textf(dsl::Msg::SrvAtNotDate, q.at)});
  if (!args.explain_case.empty() && !q.has_cases)
    return error_response({400, "missing_field", "cases", dsl::textf(dsl::Msg::SrvExplainCaseNeedsCases)});
  // The cases through a temporary file, read by compare/ as pol diff --cases reads one.
  TempFile temp(workbook ? ".xlsx" : csv ? ".csv" : ".jsonl");
  if (q.has_cases) {
    if (!temp.write(workbook ? std::string_view(r.body) : std::string_view(q.cases_jsonl)))
      return error_response({500, "internal", "", dsl::textf(dsl::Msg::SrvNoRoomCompare)});
    args.cases = temp.path();
  }
  std::string report;
  const interp::Provenance prov = served_provenance(store_.root(), {a->policy(), b->policy()});
  try {
    if (!args.explain_case.empty()) {
      report = interp::render_case_under_both(*a->policy(), *b->policy(), interp::explain_case(*a->policy(), *b->policy(), args, at),
                                              format, prov, at);
    } else {
      report = interp::diff_report(*a->policy(), *b->policy(), args, at, "json", prov);
    }
  } catch (const interp::CompareUsageError& e) {
    return error_response({400, "bad_request", "cases", store_.root().strip(temp.hide(e.message, "cases"))});
  }
  ApiResponse res;
  if (format == "html") res.content_type = "text/html; charset=utf-8";
  res.body = std::move(report);
  while (!res.body.empty() && res.body.back() == '\n') res.body.pop_back();
  return res;
}

}  // namespace pol::serve
