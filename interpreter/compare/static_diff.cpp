// The static diff: declarations compared by name, rules by structure; each change with the
// outputs it can affect, read off the dependency graph.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "check/checker.hpp"
#include "compare/compare.hpp"
#include "compare/index.hpp"
#include "compare/same.hpp"
#include "explain/explain.hpp"
#include "explain/words.hpp"
#include "report/json_out.hpp"
#include "report/json_writer.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;
using dsl::textf;

namespace {

// ---- descriptions of declarations, readable (Chinese) and as JSON

std::string describe_value(const checked::Policy& p, const checked::Param& pa, const checked::ParamValue& v) {
  std::string when = v.from ? textf(Msg::InForceSince, format_date(*v.from)) : std::string(text(Msg::InForceThroughout));
  for (const auto& rv : v.readings) {
    const auto& rd = p.readings[rv.reading];
    when += textf(Msg::UnderReading, rd.id, rd.alternatives[static_cast<std::size_t>(rv.alternative)].name,
                  text_value(p, pa.type, rv.value));
  }
  return param_value_text(p, pa, v) + textf(Msg::Parenthesized, when + source_note(v.placeholder, v.source));
}

void json_param_value(const checked::Policy& p, const checked::Param& pa, const checked::ParamValue& v, JsonWriter& w) {
  w.begin_object().key("value").value(p, pa.type, v.value).key("from");
  if (v.from) w.string(format_date(*v.from));
  else w.null();
  w.field("placeholder", v.placeholder).field("source", v.source).end_object();
}

// The values compared: the one in force on `date`, or all of them.
std::vector<const checked::ParamValue*> values_of(const checked::Param& pa, std::optional<int> date) {
  std::vector<const checked::ParamValue*> out;
  if (date) {
    int i = pa.value_at(date);
    if (i >= 0) out.push_back(&pa.values[static_cast<std::size_t>(i)]);
  } else {
    for (const auto& v : pa.values) out.push_back(&v);
  }
  return out;
}

// What a declaration says about itself: its label, clause and reading.
template <class D>
bool same_meta(const D& x, const D& y) {
  return x.label == y.label && x.clause == y.clause && x.reading == y.reading;
}

template <class D>
std::string describe_meta(const D& d) {
  std::string s = clause_tag(d.clause);
  if (!d.reading.empty()) s += "  " + label(Msg::Reading) + d.reading;
  return s;
}

template <class D>
void json_meta(const D& d, JsonWriter& w) {
  w.field("label", d.label).field("clause", d.clause).field("reading", d.reading);
}

std::string describe_param(const checked::Policy& p, const checked::Param& pa, std::optional<int> date) {
  auto vs = values_of(pa, date);
  if (vs.empty()) return textf(Msg::NoValueOn, format_date(*date));
  std::vector<std::string> parts;
  for (const auto* v : vs) parts.push_back(describe_value(p, pa, *v));
  return fmt::format("{}{}", fmt::join(parts, text(Msg::Semicolon)), describe_meta(pa));
}

std::string json_param(const checked::Policy& p, const checked::Param& pa, std::optional<int> date) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  json_meta(pa, w);
  w.key("values").begin_array();
  for (const auto* v : values_of(pa, date)) json_param_value(p, pa, *v, w);
  w.end_array().end_object();
  return out;
}

// The values a dated value has under other readings: the same alternatives (by ambiguity and
// name), the same values.
bool same_reading_values(const SameStructure& s, const checked::ParamValue& u, const checked::ParamValue& w) {
  if (u.readings.size() != w.readings.size()) return false;
  auto name = [](const checked::Policy& p, const checked::ReadingValue& rv) {
    const auto& rd = p.readings[rv.reading];
    return rd.id + "." + rd.alternatives[static_cast<std::size_t>(rv.alternative)].name;
  };
  for (std::size_t i = 0; i < u.readings.size(); ++i)
    if (name(s.a, u.readings[i]) != name(s.b, w.readings[i]) || compare(u.readings[i].value, w.readings[i].value) != 0)
      return false;
  return true;
}

// The values compared are the same numbers, in force from the same dates; with `sources`,
// the same sources, placeholder marks, label, clause and reading as well.
bool same_param(const SameStructure& s, const checked::Param& x, const checked::Param& y, std::optional<int> date,
                bool sources = true) {
  if (!s.type(x.type, y.type) || (sources && !same_meta(x, y))) return false;
  auto vx = values_of(x, date), vy = values_of(y, date);
  if (vx.size() != vy.size()) return false;
  for (std::size_t i = 0; i < vx.size(); ++i) {
    const auto &u = *vx[i], &w = *vy[i];
    if (compare(u.value, w.value) != 0 || !same_reading_values(s, u, w)) return false;
    if (sources && (u.source != w.source || u.placeholder != w.placeholder)) return false;
    if (!date && u.from != w.from) return false;
  }
  return true;
}

std::string describe_input(const checked::Policy& p, const checked::Input& in) {
  std::string s = dsl::type_name(p, in.type);
  if (in.default_value) s += textf(Msg::DefaultIs, text_value(p, in.type, *in.default_value));
  else s += text(Msg::NoDefault);
  if (in.min != checked::kNoNode) s += textf(Msg::MinIs, print_expr(p, in.min, nullptr));
  if (in.max != checked::kNoNode) s += textf(Msg::MaxIs, print_expr(p, in.max, nullptr));
  return s + describe_meta(in);
}

std::string json_input(const checked::Policy& p, const checked::Input& in) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("type", dsl::type_name(p, in.type)).key("default");
  if (in.default_value) w.value(p, in.type, *in.default_value);
  else w.null();
  w.key("min").string_or_null(in.min != checked::kNoNode ? print_expr(p, in.min, nullptr) : std::string());
  w.key("max").string_or_null(in.max != checked::kNoNode ? print_expr(p, in.max, nullptr) : std::string());
  json_meta(in, w);
  w.end_object();
  return out;
}

bool same_input(const SameStructure& s, const checked::Input& x, const checked::Input& y) {
  if (!s.type(x.type, y.type) || !same_meta(x, y) || x.default_value.has_value() != y.default_value.has_value()) return false;
  if (x.default_value && !s.value(x.type, *x.default_value, y.type, *y.default_value)) return false;
  return s.node(x.min, y.min) && s.node(x.max, y.max);
}

std::string describe_rule(const checked::Policy& p, const checked::Rule& r) {
  return fmt::format("{} = {}{}", dsl::type_name(p, r.type), print_expr(p, r.body, nullptr), describe_meta(r));
}

std::string json_rule(const checked::Policy& p, const checked::Rule& r) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("type", dsl::type_name(p, r.type));
  json_meta(r, w);
  w.field("expr", print_expr(p, r.body, nullptr)).end_object();
  return out;
}

std::string json_names(const std::vector<std::string>& names) {
  std::string out;
  JsonWriter(out).strings(names);
  return out;
}

bool same_rule(const SameStructure& s, const checked::Rule& x, const checked::Rule& y) {
  return x.is_output == y.is_output && same_meta(x, y) && s.type(x.type, y.type) && s.node(x.body, y.body);
}

// The reading of an ambiguity a file takes: "A4.gt 标签（source）", and as JSON.
std::string describe_taken(const checked::Reading& rd) {
  const auto& alt = rd.alternatives[static_cast<std::size_t>(rd.taken)];
  std::string s = fmt::format("{}.{} {}", rd.id, alt.name, alt.label);
  if (!rd.taken_source.empty()) s += textf(Msg::Parenthesized, rd.taken_source);
  return s;
}

std::string json_taken(const checked::Reading& rd) {
  std::string out;
  JsonWriter w(out);
  const auto& alt = rd.alternatives[static_cast<std::size_t>(rd.taken)];
  w.begin_object().field("alternative", alt.name).field("label", alt.label).field("source", rd.taken_source).end_object();
  return out;
}

// Ambiguities both files have, read another way (a variant's `override reading`, or --reading
// on one side): one change each, affecting what reads the ambiguity.
void reading_changes(const checked::Policy& a, const checked::Policy& b, AffectedOutputs& fb, std::vector<Change>& out) {
  for (const auto& ra : a.readings) {
    int j = b.find_reading(ra.id);
    if (j < 0) continue;
    const auto& rb = b.readings[static_cast<std::size_t>(j)];
    const auto& na = ra.alternatives[static_cast<std::size_t>(ra.taken)].name;
    const auto& nb = rb.alternatives[static_cast<std::size_t>(rb.taken)].name;
    if (na == nb) continue;
    out.push_back({"reading", "changed", rb.id, rb.alternatives[static_cast<std::size_t>(rb.taken)].label,
                   describe_taken(ra), describe_taken(rb), json_taken(ra), json_taken(rb), fb.of_param(rb.param)});
  }
}

}  // namespace

std::vector<Change> static_diff(const checked::Policy& a, const checked::Policy& b, std::optional<int> date) {
  std::vector<Change> out;
  SameStructure same{a, b};
  const PolicyIndex ia(a), ib(b);
  AffectedOutputs fa(a), fb(b);
  // Parameters.
  reading_changes(a, b, fb, out);
  for (std::uint32_t i = 0; i < a.params.size(); ++i) {
    const auto& pa = a.params[i];
    if (pa.ambiguity >= 0) continue;  // a reading's parameter: compared as the reading, above
    int j = ib.params.find(pa.name);
    if (j < 0) {
      out.push_back({"param", "removed", pa.name, pa.label, describe_param(a, pa, date), "", json_param(a, pa, date),
                     "null", fa.of_param(i)});
      continue;
    }
    const auto& pb = b.params[static_cast<std::size_t>(j)];
    if (same_param(same, pa, pb, date)) continue;
    // The same values with another source (or label) cannot change an output.
    bool values_same = same_param(same, pa, pb, date, false);
    out.push_back({"param", values_same ? "source_changed" : "changed", pa.name, pb.label, describe_param(a, pa, date),
                   describe_param(b, pb, date), json_param(a, pa, date), json_param(b, pb, date),
                   values_same ? std::vector<std::string>{} : fb.of_param(static_cast<std::uint32_t>(j))});
  }
  for (std::uint32_t j = 0; j < b.params.size(); ++j)
    if (b.params[j].ambiguity < 0 && ia.params.find(b.params[j].name) < 0)
      out.push_back({"param", "added", b.params[j].name, b.params[j].label, "", describe_param(b, b.params[j], date), "null",
                     json_param(b, b.params[j], date), fb.of_param(j)});
  // Inputs.
  for (const auto& in : a.inputs) {
    int j = ib.inputs.find(in.name);
    if (j < 0) {
      out.push_back({"input", "only_in_a", in.name, in.label, describe_input(a, in), "", json_input(a, in), "null", {}});
      continue;
    }
    const auto& inb = b.inputs[static_cast<std::size_t>(j)];
    if (!same_input(same, in, inb))
      out.push_back({"input", "changed", in.name, inb.label, describe_input(a, in), describe_input(b, inb), json_input(a, in),
                     json_input(b, inb), fb.of_input(static_cast<std::uint32_t>(j))});
  }
  for (const auto& in : b.inputs)
    if (ia.inputs.find(in.name) < 0)
      out.push_back({"input", "only_in_b", in.name, in.label, "", describe_input(b, in), "null", json_input(b, in), {}});
  // Rules, by structure.
  for (std::uint32_t i = 0; i < a.rules.size(); ++i) {
    const auto& ra = a.rules[i];
    int j = ib.rules.find(ra.name);
    const char* kind = ra.is_output ? "output" : "rule";
    if (j < 0) {
      out.push_back({kind, ra.is_output ? "only_in_a" : "removed", ra.name, ra.label, describe_rule(a, ra), "",
                     json_rule(a, ra), "null", ra.is_output ? std::vector<std::string>{} : fa.of_rule(i)});
      continue;
    }
    const auto& rb = b.rules[static_cast<std::size_t>(j)];
    if (!same_rule(same, ra, rb))
      out.push_back({kind, "changed", ra.name, rb.label, describe_rule(a, ra), describe_rule(b, rb), json_rule(a, ra),
                     json_rule(b, rb), fb.of_rule(static_cast<std::uint32_t>(j))});
  }
  for (std::uint32_t j = 0; j < b.rules.size(); ++j) {
    const auto& rb = b.rules[j];
    if (ia.rules.find(rb.name) < 0)
      out.push_back({rb.is_output ? "output" : "rule", rb.is_output ? "only_in_b" : "added", rb.name, rb.label, "",
                     describe_rule(b, rb), "null", json_rule(b, rb), rb.is_output ? std::vector<std::string>{} : fb.of_rule(j)});
  }
  // Enums both declare.
  const NameIndex enums_b(b.enums);
  for (const auto& ea : a.enums) {
    int k = enums_b.find(ea.name);
    if (k < 0) continue;
    const auto& eb = b.enums[static_cast<std::size_t>(k)];
    std::vector<std::string> va, vb, ja, jb;
    for (const auto& v : ea.values) va.push_back(fmt::format("{} {}", v.name, v.label)), ja.push_back(v.name);
    for (const auto& v : eb.values) vb.push_back(fmt::format("{} {}", v.name, v.label)), jb.push_back(v.name);
    if (va != vb)
      out.push_back({"enum", "changed", ea.name, eb.label, fmt::format("{}", fmt::join(va, text(Msg::Comma))),
                     fmt::format("{}", fmt::join(vb, text(Msg::Comma))), json_names(ja), json_names(jb), {}});
  }
  return out;
}

bool related(const checked::Policy& a, const checked::Policy& b) {
  auto chain = [](const checked::Policy& p) {
    std::set<std::string> s{p.header.name};
    for (const auto& h : p.bases) s.insert(h.name);
    return s;
  };
  auto ca = chain(a), cb = chain(b);
  return ca.count(b.header.name) || cb.count(a.header.name) ||
         (!a.bases.empty() && !b.bases.empty() && a.bases.back().name == b.bases.back().name);
}

}  // namespace pol::interp
