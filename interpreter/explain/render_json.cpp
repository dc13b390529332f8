// Explanations as JSON: the tree, each node with its kind, value and the formulas shown.
#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "explain/explain.hpp"
#include "report/json_out.hpp"
#include "report/json_writer.hpp"

namespace pol::interp {

namespace {

void json_node(const checked::Policy& p, const ExplainNode& e, JsonWriter& w) {
  static const char* kinds[] = {"output", "let", "input", "param", "branch"};
  w.begin_object().field("kind", kinds[static_cast<int>(e.kind)]);
  if (!e.name.empty()) w.field("name", e.name).field("label", e.label);
  if (e.has_value) w.key("value").value(p, e.type, e.value).field("text", text_value(p, e.type, e.value));
  if (!e.clause.empty()) w.field("clause", e.clause);
  if (!e.reading.empty()) w.field("reading", e.reading);
  if (!e.formula.empty()) w.field(e.kind == ExplainNode::Kind::Branch ? "condition" : "formula", e.formula);
  if (!e.substituted.empty()) w.field("substituted", e.substituted);
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

}  // namespace

std::string render_json(const checked::Policy& p, const Explanation& e) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("policy", e.policy_name).field("title", e.policy_title).key("as_of");
  if (e.as_of) w.string(format_date(*e.as_of));
  else w.null();
  // JSON is for programs: its note on a missing date is always in English.
  w.field("date_note", e.as_of ? e.date_note : std::string(dsl::text(dsl::Msg::NoDecisionDate, dsl::Lang::En)));
  if (!e.case_id.empty()) w.field("id", e.case_id);
  w.key("outputs").begin_array();
  for (const auto& o : e.outputs) json_node(p, o, w);
  w.end_array();
  if (e.error) w.field("error", e.error->message);
  w.end_object();
  return out + "\n";
}

}  // namespace pol::interp
