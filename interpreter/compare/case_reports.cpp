// The reports of `pol diff --explain-case` and `pol diff --find-disagreement`: cases shown
// under both files, the derivations side by side.
#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "compare/diff_report.hpp"
#include "report/document.hpp"
#include "report/json_out.hpp"
#include "report/json_writer.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;
using dsl::textf;

namespace {

// An error (bad input: nothing could be evaluated), in the words of the other errors.

void names_json(const checked::Policy& a, const checked::Policy& b, JsonWriter& w) {
  w.field("a", a.header.name).field("b", b.header.name);
}

void as_of_json(std::optional<int> at, JsonWriter& w) {
  w.key("as_of");
  if (at) w.string(format_date(*at));
  else w.null();
}

// A candidate case as JSON, the inputs at their default left out: {"name": value, ...}.
std::string case_json(const checked::Policy& a, const CandidateCase& d) {
  std::string out;
  JsonWriter w(out, true);
  w.begin_object();
  for (const auto& [slot, v] : d.given) w.key(a.inputs[slot].name).value(a, a.inputs[slot].type, v);
  w.end_object();
  return out;
}

// The outputs a candidate case changes, "name（label）：A → B".
std::vector<std::string> differences_text(const checked::Policy& a, const checked::Policy& b, const DisagreementSearch& s,
                                          const CandidateCase& d, bool labels) {
  std::vector<std::string> parts;
  for (const auto& df : d.differences) {
    const auto& pr = s.outputs[df.output];
    const auto &rua = a.rules[pr.ra], &rub = b.rules[pr.rb];
    parts.push_back(textf(Msg::ValueChange, rua.name, labels ? " " + rua.label : "", text_value(a, rua.type, df.a),
                          text_value(b, rub.type, df.b)));
  }
  return parts;
}

// The first case found, explained under both files (the outputs it changes).
std::pair<Explained, Explained> explain_found(const checked::Policy& a, const checked::Policy& b,
                                              const DisagreementSearch& s, std::optional<int> at) {
  const auto& d0 = s.found.front();
  std::vector<std::uint32_t> da, db;
  for (const auto& df : d0.differences) da.push_back(s.outputs[df.output].ra), db.push_back(s.outputs[df.output].rb);
  return {explain_one(a, d0.a, at, da), explain_one(b, d0.b, at, db)};
}

std::string disagreement_json(const checked::Policy& a, const checked::Policy& b, const DisagreementSearch& s,
                              std::optional<int> at, const Provenance& prov) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  names_json(a, b, w);
  as_of_json(at, w);
  w.key("outputs").begin_array();
  for (const auto& pr : s.outputs) w.string(a.rules[pr.ra].name);
  w.end_array().field("tried", s.tried).field("disagreeing", s.disagreeing).field("distinct", s.distinct);
  w.key("found").begin_array();
  for (const auto& d : s.found) {
    w.begin_object().key("case").raw(case_json(a, d)).key("differences").begin_object();
    for (const auto& df : d.differences) {
      const auto& pr = s.outputs[df.output];
      w.key(a.rules[pr.ra].name).begin_object().key("a").value(a, a.rules[pr.ra].type, df.a);
      w.key("b").value(b, b.rules[pr.rb].type, df.b).end_object();
    }
    w.end_object().end_object();
  }
  w.end_array().field("failed_only_a", s.failed_only_a).field("failed_only_b", s.failed_only_b);
  w.field("failed_both", s.failed_both).field("invalid_both", s.invalid_both).key("one_sided").begin_array();
  for (const auto& d : s.one_sided)
    w.begin_object().key("case").raw(case_json(a, d)).field("fails", d.error_a ? "a" : "b")
        .field("error", (d.error_a ? d.error_a : d.error_b)->message).end_object();
  w.end_array().key("failed_both_first");
  if (s.both_error_a && s.both_error_b)
    w.begin_object().field("a", s.both_error_a->message).field("b", s.both_error_b->message).end_object();
  else w.null();
  if (!s.found.empty()) {
    auto [xa, xb] = explain_found(a, b, s, at);
    w.key("explanation_a").raw(xa.json).key("explanation_b").raw(xb.json);
  } else {
    w.key("explored").begin_array();
    for (std::size_t k = 0; k < s.inputs.size(); ++k) {
      const auto& in = a.inputs[s.inputs[k].a];
      w.begin_object().field("name", in.name).field("label", in.label).key("values").begin_array();
      for (Value v : s.candidates[k]) w.value(a, in.type, v);
      w.end_array().end_object();
    }
    w.end_array();
  }
  provenance_json(prov, at, w);
  w.end_object();
  return out + "\n";
}

void render_none_found(const checked::Policy& a, const checked::Policy& b, const DisagreementSearch& s,
                       const std::string& dates, Document& r) {
  std::vector<std::string> out_names;
  for (const auto& pr : s.outputs) out_names.push_back(a.rules[pr.ra].name);
  r.para(textf(Msg::FindNone, a.header.name, b.header.name, fmt::join(out_names, text(Msg::ListSep))));
  r.para(textf(Msg::FindTried, with_commas(s.tried), s.inputs.size(), s.explored, dates));
  std::vector<std::string> items;
  for (std::size_t k = 0; k < s.inputs.size(); ++k) {
    const auto& in = a.inputs[s.inputs[k].a];
    std::vector<std::string> vs;
    for (Value v : s.candidates[k]) vs.push_back(text_value(a, in.type, v));
    items.push_back(textf(Msg::NamedValues, in.name, in.label, fmt::join(vs, text(Msg::Comma))));
  }
  r.list(items);
}

void render_found(const checked::Policy& a, const checked::Policy& b, const DisagreementSearch& s, std::optional<int> at,
                  const std::string& dates, Document& r) {
  const auto& d0 = s.found.front();
  r.para(textf(Msg::FindFound, a.header.name, b.header.name, with_commas(s.tried), with_commas(s.disagreeing), s.distinct,
               s.distinct > s.found.size() ? textf(Msg::FindListedFirst, s.found.size()) : "", dates));
  r.h2(textf(Msg::SmallestCase, case_json(a, d0)));
  r.list(differences_text(a, b, s, d0, true));
  if (r.text()) r.out += "\n";
  auto [xa, xb] = explain_found(a, b, s, at);
  SideBySide sbs = side_by_side(a, b, xa.text, xb.text);
  r.para(part_note(sbs));
  if (r.text()) r.out += "\n";
  r.side_by_side(side_head('A', a), xa.text, side_head('B', b), xb.text, sbs.text);
  if (s.found.size() > 1) {
    r.h2(std::string(text(Msg::OtherCases)));
    std::vector<std::string> items;
    for (std::size_t f = 1; f < s.found.size(); ++f)
      items.push_back(textf(Msg::CaseAndDiffs, case_json(a, s.found[f]),
                            fmt::join(differences_text(a, b, s, s.found[f], false), text(Msg::Semicolon))));
    r.list(items);
  }
}

// The cases only one file can evaluate, each with the error of the side that fails; and how
// many neither can.
void render_one_sided(const checked::Policy& a, const checked::Policy& b, const DisagreementSearch& s, Document& r) {
  if (!s.one_sided.empty()) {
    r.h2(textf(dsl::Msg::OneSidedHead, with_commas(s.failed_only_a), with_commas(s.failed_only_b), s.one_sided.size()));
    std::vector<std::string> items;
    for (const auto& d : s.one_sided)
      items.push_back(textf(dsl::Msg::OneSidedItem, case_json(a, d), d.error_a ? "A" : "B",
                                  d.error_a ? a.header.name : b.header.name, (d.error_a ? d.error_a : d.error_b)->message));
    r.list(items);
  }
  if (s.failed_both > 0 && s.both_error_a && s.both_error_b)
    r.para(textf(dsl::Msg::FailedBoth, with_commas(s.failed_both), with_commas(s.tried), s.both_error_a->message,
                       s.both_error_b->message));
  if (s.invalid_both > 0) r.para(textf(dsl::Msg::InvalidBoth, with_commas(s.invalid_both), with_commas(s.tried)));
}

}  // namespace

std::string nothing_evaluated_message(const checked::Policy& a, const checked::Policy& b, const DisagreementSearch& s,
                                      std::optional<int> at) {
  std::string dates = at ? textf(Msg::DatesAt, format_date(*at)) : std::string(text(Msg::DatesLatest));
  return textf(Msg::NothingEvaluated, with_commas(s.tried), dates, a.header.name,
                     s.both_error_a ? s.both_error_a->message : "", b.header.name, s.both_error_b ? s.both_error_b->message : "");
}

std::string render_case_under_both(const checked::Policy& a, const checked::Policy& b, const CaseUnderBoth& c,
                                   const std::string& format, const Provenance& prov, std::optional<int> at) {
  if (format == "json") {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    names_json(a, b, w);
    w.field("line", c.line).key("id").raw(c.id_json.empty() ? "null" : c.id_json).key("differing").strings(c.differing);
    w.key("first_difference");
    if (c.columns.first) w.number(*c.columns.first);
    else w.null();
    w.key("explanation_a").raw(c.a.json).key("explanation_b").raw(c.b.json);
    provenance_json(prov, at, w);
    w.end_object();
    return out + "\n";
  }
  std::string id = c.id_text.empty() ? "" : textf(Msg::CaseIdNote, c.id_text);
  std::string summary = c.differing.empty() ? std::string(text(Msg::SameUnderBoth))
                                            : textf(Msg::DifferingOutputs, fmt::join(c.differing, text(Msg::ListSep)));
  Document r{format, {}};
  r.begin(textf(Msg::ExplainCaseTitle, c.line, id, a.header.name, b.header.name));
  if (r.text()) r.out = textf(Msg::ExplainCaseHead, c.line, id, a.header.name, b.header.name) + "\n";
  r.lines({summary, part_note(c.columns)});
  if (r.text()) r.out += "\n";
  r.side_by_side(side_head('A', a), c.a.text, side_head('B', b), c.b.text, c.columns.text);
  r.provenance(prov, diff_date_line(at));
  r.end();
  return r.out;
}

std::string render_disagreement(const checked::Policy& a, const checked::Policy& b, const DisagreementSearch& s,
                                std::optional<int> at, const std::string& format, const Provenance& prov) {
  if (format == "json") return disagreement_json(a, b, s, at, prov);
  std::string dates = at ? textf(Msg::DatesAt, format_date(*at)) : std::string(text(Msg::DatesLatest));
  Document r{format, {}};
  r.begin(textf(Msg::FindTitle, a.header.name, b.header.name));
  if (r.text()) r.out.clear();
  if (!s.found.empty()) render_found(a, b, s, at, dates, r);
  else if (!s.one_sided.empty())
    r.para(textf(dsl::Msg::OneSidedFound, a.header.name, b.header.name, with_commas(s.tried),
                       with_commas(s.failed_only_a + s.failed_only_b), dates));
  else render_none_found(a, b, s, dates, r);
  render_one_sided(a, b, s, r);
  r.provenance(prov, diff_date_line(at));
  r.end();
  return r.out;
}

}  // namespace pol::interp
