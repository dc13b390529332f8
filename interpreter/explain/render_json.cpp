// Explanations as JSON: the tree, each node with its kind, value and the formulas shown, the
// parts of its conditions and its arithmetic; before it the summary, after it the provenance.
// Identifiers always; the fields of earlier versions keep their names and meaning.
#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "explain/explain.hpp"
#include "explain/why_not.hpp"
#include "explain/words.hpp"
#include "report/json_out.hpp"
#include "report/json_writer.hpp"

namespace pol::interp {

namespace {

const char* state_name(ConditionPart::State s) {
  switch (s) {
    case ConditionPart::State::Holds: return "holds";
    case ConditionPart::State::Fails: return "fails";
    case ConditionPart::State::NotNeeded: return "not_needed";
  }
  return "";
}

void json_node(const checked::Policy& p, const ExplainNode& e, JsonWriter& w) {
  static const char* kinds[] = {"output", "let", "input", "param", "branch"};
  w.begin_object().field("kind", kinds[static_cast<int>(e.kind)]);
  if (!e.name.empty()) w.field("name", e.name).field("label", e.label);
  if (e.has_value) w.key("value").value(p, e.type, e.value).field("text", text_value(p, e.type, e.value));
  if (!e.written.empty()) w.field("written", e.written);
  if (!e.clause.empty()) w.field("clause", e.clause);
  if (!e.reading.empty()) w.field("reading", e.reading);
  auto notes = [&](const char* key, const std::vector<ReadingNote>& list, bool effects) {
    if (list.empty()) return;
    w.key(key).begin_array();
    for (const auto& r : list) {
      w.begin_object().field("id", r.id).field("alternative", r.name).field("label", r.label).field("own", r.own);
      if (effects) w.field("changes", r.changes).field("text", r.value_text);
      w.end_object();
    }
    w.end_array();
  };
  notes("reading_in_force", e.readings_in_force, false);
  notes("other_readings", e.other_readings, true);
  if (!e.formula.empty()) w.field(e.kind == ExplainNode::Kind::Branch ? "condition" : "formula", e.formula);
  if (!e.substituted.empty()) w.field("substituted", e.substituted);
  if (!e.arithmetic.empty()) w.field("arithmetic", e.arithmetic);
  if (!e.condition_values.empty()) w.field("condition_values", e.condition_values);
  auto parts = [&](const char* key, const std::vector<ConditionPart>& list) {
    w.key(key).begin_array();
    for (const auto& part : list) {
      w.begin_object().field("text", part.text).field("state", state_name(part.state));
      if (part.for_explanation_only) w.field("for_explanation_only", true);
      w.end_object();
    }
    w.end_array();
  };
  if (!e.parts.empty()) parts("parts", e.parts);
  // Outside its `applies when` condition: the value stays (as eval gives it), marked.
  if (!e.outside.empty()) {
    w.field("applies", false);
    parts("not_applicable_because", e.outside);
  }
  if (e.for_explanation_only) w.field("for_explanation_only", true);
  if (e.placeholder_dependent) w.field("depends_on_placeholder", true);
  if (e.steps_cut > 0) w.field("steps_cut", e.steps_cut);
  switch (e.kind) {
    case ExplainNode::Kind::Input: w.field("defaulted", e.flag); break;
    case ExplainNode::Kind::Param:
      w.field("placeholder", e.flag).field("set_for_run", e.set_by_user);
      if (e.from) w.field("effective_from", format_date(*e.from));
      if (!e.source.empty()) w.field("source", e.source);
      break;
    case ExplainNode::Kind::Branch:
      w.field("holds", e.flag).field("taken", e.taken).field("result", e.result);
      if (!e.source.empty()) w.field("clause", e.source);
      break;
    default:
      if (e.seen_above) w.field("see_above", true);
  }
  if (!e.children.empty()) {
    w.key("steps").begin_array();
    for (const auto& c : e.children) json_node(p, c, w);
    w.end_array();
  }
  w.end_object();
}

void json_summary(const checked::Policy& p, const Explanation& e, JsonWriter& w) {
  w.key("facts").begin_array();
  for (const auto& f : e.facts) {
    w.begin_object().field("name", f.name).field("label", f.label).key("value").value(p, f.type, f.value);
    w.field("text", f.text).field("defaulted", f.defaulted).end_object();
  }
  w.end_array();
  w.key("unconfirmed").begin_array();
  for (const auto& u : e.unconfirmed) {
    w.begin_object().field("name", u.name).field("label", u.label).field("text", u.text).field("source", u.source);
    w.key("outputs").strings(u.output_names).end_object();
  }
  w.end_array();
}

}  // namespace

std::string render_json(const checked::Policy& p, const Explanation& e, const ExplainOptions& o) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("policy", e.policy_name).field("title", e.policy_title).key("as_of");
  if (e.as_of) w.string(format_date(*e.as_of));
  else w.null();
  // JSON is for programs: its note on a missing date is always in English.
  w.field("date_note", e.as_of ? e.date_note : std::string(dsl::text(dsl::Msg::NoDecisionDate, dsl::Lang::En)));
  if (!e.case_id.empty()) w.field("id", e.case_id);
  if (o.summary) json_summary(p, e, w);
  w.key("outputs").begin_array();
  for (const auto& x : e.outputs) json_node(p, x, w);
  w.end_array();
  if (e.error) w.field("error", e.error->message);
  if (e.why_not) why_not_json(p, *e.why_not, w);
  if (o.provenance && e.provenance) provenance_json(*e.provenance, e.as_of, w);
  w.end_object();
  return out + "\n";
}

std::string render_json(const checked::Policy& p, const Explanation& e) {
  return render_json(p, e, ExplainOptions::derivation_only());
}

}  // namespace pol::interp
