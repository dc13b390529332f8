// What GET /policies and GET /policies/{name} say of a rule file, and diagnostics as JSON.
#include "base/calendar.hpp"
#include "explain/print.hpp"
#include "report/json_writer.hpp"
#include "serve/api.hpp"

namespace pol::serve {

using interp::JsonWriter;

namespace {

std::size_t count(const std::vector<dsl::Diagnostic>& ds, dsl::Severity s) {
  std::size_t n = 0;
  for (const auto& d : ds) n += d.severity == s;
  return n;
}

std::size_t placeholders(const checked::Policy& p) {
  std::size_t n = 0;
  for (const auto& pa : p.params)
    for (const auto& v : pa.values) n += v.placeholder;
  return n;
}

void date_or_null(JsonWriter& w, std::string_view key, std::optional<int> d) {
  w.key(key);
  if (d) w.string(pol::format_date(*d));
  else w.null();
}

// A bound of an input: its value when it is a constant, else the expression as written.
void bound(JsonWriter& w, const checked::Policy& p, const checked::Input& in, std::string_view key, checked::NodeId id) {
  w.key(key);
  if (id == checked::kNoNode) w.null();
  else if (p.nodes[id].op == checked::Op::Const) w.value(p, in.type, p.nodes[id].constant);
  else w.string(interp::print_expr(p, id, nullptr));
}

void enum_values(JsonWriter& w, const checked::Policy& p, const dsl::Type& t) {
  if (t.base != dsl::Base::Enum) return;
  w.key("values").begin_array();
  for (const auto& v : p.enums[t.enum_id].values) w.begin_object().field("name", v.name).field("label", v.label).end_object();
  w.end_array();
}

void symbol(JsonWriter& w, const checked::Policy& p, const std::string& name, const std::string& label,
            const std::string& clause, const std::string& reading, const dsl::Type& t) {
  w.field("name", name).field("label", label);
  w.key("clause").string_or_null(clause);
  w.key("reading").string_or_null(reading);
  w.field("type", dsl::type_name(p, t));
  enum_values(w, p, t);
}

void header(JsonWriter& w, const checked::Header& h) {
  w.field("name", h.name).field("title", h.title);
  w.key("issuer").string_or_null(h.issuer);
  w.key("number").string_or_null(h.number);
  date_or_null(w, "effective", h.effective);
  w.key("base").string_or_null(h.extends);
}

}  // namespace

std::string diagnostics_json(const std::vector<dsl::Diagnostic>& ds, const ServedRoot& root) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (const auto& d : ds) {
    w.begin_object();
    w.key("file");
    if (d.file) w.string(root.shown(d.file->name()));
    else w.null();
    if (d.file) {
      auto a = d.file->line_col(d.range.begin), b = d.file->line_col(d.range.end);
      w.field("line", a.line).field("column", a.col).field("end_line", b.line).field("end_column", b.col);
      w.key("span").begin_object().field("begin", d.range.begin).field("end", d.range.end).end_object();
    }
    w.field("code", dsl::code_name(d.code));
    w.field("severity", d.severity == dsl::Severity::Error ? "error" : d.severity == dsl::Severity::Warning ? "warning" : "note");
    w.field("message", root.strip(d.message));
    w.end_object();
  }
  w.end_array();
  return out;
}

void list_entry(const Served& s, const ServedRoot& root, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  w.field("name", s.name);
  if (const auto* p = s.policy()) {
    w.field("status", "ok");
    w.field("title", p->header.title);
    w.key("issuer").string_or_null(p->header.issuer);
    w.key("number").string_or_null(p->header.number);
    date_or_null(w, "effective", p->header.effective);
    w.key("base").string_or_null(p->header.extends);
    w.field("placeholders", placeholders(*p));
  } else {
    w.field("status", "has_errors");
  }
  w.field("file", root.shown(s.path));
  w.field("hash", s.hash);
  w.field("errors", count(s.check.diagnostics, dsl::Severity::Error) + (s.outside ? 1 : 0));
  w.field("warnings", count(s.check.diagnostics, dsl::Severity::Warning));
  w.end_object();
}

std::string describe_policy(const Served& s, const ServedRoot& root) {
  const checked::Policy& p = *s.policy();
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  header(w, p.header);
  w.field("file", root.shown(s.path)).field("hash", s.hash);
  w.key("bases").begin_array();
  for (const auto& b : p.bases) {
    w.begin_object();
    header(w, b);
    w.end_object();
  }
  w.end_array();
  w.key("inputs").begin_array();
  for (const auto& in : p.inputs) {
    w.begin_object();
    symbol(w, p, in.name, in.label, in.clause, in.reading, in.type);
    w.key("default");
    if (in.default_value) w.value(p, in.type, *in.default_value);
    else w.null();
    bound(w, p, in, "min", in.min);
    bound(w, p, in, "max", in.max);
    w.end_object();
  }
  w.end_array();
  w.key("parameters").begin_array();
  for (const auto& pa : p.params) {
    w.begin_object();
    symbol(w, p, pa.name, pa.label, pa.clause, pa.reading, pa.type);
    w.field("overridden", pa.overridden);
    w.key("values").begin_array();
    for (const auto& v : pa.values) {
      w.begin_object().key("value").value(p, pa.type, v.value);
      date_or_null(w, "from", v.from);
      w.field("placeholder", v.placeholder);
      w.key("source").string_or_null(v.source);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  for (bool outputs : {true, false}) {
    w.key(outputs ? "outputs" : "definitions").begin_array();
    for (const auto& r : p.rules) {
      if (r.is_output != outputs) continue;
      w.begin_object();
      symbol(w, p, r.name, r.label, r.clause, r.reading, r.type);
      w.field("overridden", r.overridden);
      w.end_object();
    }
    w.end_array();
  }
  w.key("constraints").begin_array();
  for (const auto& c : p.constraints) {
    w.begin_object().field("message", c.message);
    w.key("clause").string_or_null(c.clause);
    w.field("condition", interp::print_expr(p, c.condition, nullptr)).end_object();
  }
  w.end_array();
  w.key("notes").begin_array();
  for (const auto& n : p.notes) {
    w.begin_object();
    w.key("clause").string_or_null(n.clause);
    w.field("text", n.text).end_object();
  }
  w.end_array();
  // The ambiguities with alternative readings: alternatives[0] is the file's own; "rules" are
  // the outputs and lets that read the ambiguity (a request's "readings": {"ID": "ALT"}).
  w.key("readings").begin_array();
  for (const auto& rd : p.readings) {
    w.begin_object().field("id", rd.id).key("alternatives").begin_array();
    for (std::size_t k = 0; k < rd.alternatives.size(); ++k) {
      const auto& a = rd.alternatives[k];
      w.begin_object().field("name", a.name).field("label", a.label);
      w.key("because").string_or_null(a.because);
      w.field("default", k == 0).end_object();
    }
    w.end_array().key("rules").begin_array();
    for (auto r : rd.rules) w.string(p.rules[r].name);
    w.end_array().end_object();
  }
  w.end_array();
  w.field("tests", p.tests.size());
  w.key("diagnostics").raw(diagnostics_json(s.check.diagnostics, root));
  w.end_object();
  return out;
}

}  // namespace pol::serve
