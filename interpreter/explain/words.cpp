#include "explain/words.hpp"

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;
using dsl::textf;

std::string label(Msg m) { return fmt::format("{}{}", text(m), text(Msg::Colon)); }

std::string clause_tag(const std::string& c) { return c.empty() ? "" : "  " + textf(Msg::Clause, c); }

std::string value_text(const checked::Policy& p, const ExplainNode& e) {
  return e.has_value ? text_value(p, e.type, e.value) : std::string(text(Msg::NotEvaluated));
}

std::string source_note(bool placeholder, const std::string& source) {
  if (!source.empty())
    return fmt::format("{}{}{}", text(Msg::Semicolon), label(placeholder ? Msg::Placeholder : Msg::Source), source);
  return placeholder ? fmt::format("{}{}", text(Msg::Semicolon), text(Msg::Placeholder)) : std::string();
}

namespace {

std::string named(const ExplainNode& e, const ExplainOptions& o) {
  return o.names && !e.name.empty() ? fmt::format("{} {}", e.name, e.label) : e.label;
}

std::string plain_head(const checked::Policy& p, const ExplainNode& e, const ExplainOptions& o) {
  std::string v = e.kind == ExplainNode::Kind::Param && !e.written.empty() ? e.written : value_text(p, e);
  switch (e.kind) {
    case ExplainNode::Kind::Output:
    case ExplainNode::Kind::Let:
      if (!e.outside.empty())  // one line: where the rule applies, and why this case is outside it
        return fmt::format("{}{}{}{}", named(e, o), text(Msg::Colon),
                           textf(Msg::NotApplicableBecause, parts_text(e.outside)), clause_tag(e.clause));
      return fmt::format("{} = {}{}{}{}", named(e, o), v, e.placeholder_dependent ? " ⚠" : "", clause_tag(e.clause),
                         e.seen_above ? fmt::format("  {}", text(Msg::SeeAbove)) : "");
    case ExplainNode::Kind::Input:
      return fmt::format("{} = {}  {}", named(e, o), v, textf(Msg::InputTag, e.flag ? text(Msg::InputDefaulted) : ""));
    case ExplainNode::Kind::Param: {
      std::string src;
      if (e.set_by_user) src = text(Msg::SetForRun);
      else {
        src = e.from ? textf(Msg::InForceSince, format_date(*e.from)) : std::string(text(Msg::AlwaysInForce));
        if (!e.source.empty()) src += source_note(e.flag, e.source);
      }
      return fmt::format("{} = {}  {}{}", named(e, o), v, textf(Msg::ParamTag, src), e.flag ? " ⚠" : "");
    }
    case ExplainNode::Kind::Branch: {
      std::string taken = e.taken ? "  " + textf(Msg::TakesValue, text_value(p, e.type, e.value)) : "";
      if (e.formula == "otherwise")
        return fmt::format("✓ {}{}{}", text(Msg::Otherwise), e.has_value ? taken : " → " + e.result, clause_tag(e.source));
      return fmt::format("{} {}{}{}", e.flag ? "✓" : "✗", parts_text(e.parts), taken, clause_tag(e.source));
    }
  }
  return "";
}

}  // namespace

std::string head_text(const checked::Policy& p, const ExplainNode& e) {
  if (e.kind != ExplainNode::Kind::Branch) return plain_head(p, e, ExplainOptions{true, true, true});
  if (e.formula == "otherwise")
    return fmt::format("✓ {} → {}{}", text(Msg::Otherwise), e.has_value ? text_value(p, e.type, e.value) : e.result,
                       clause_tag(e.source));
  return fmt::format("{} {} {}", e.flag ? "✓" : "✗", text(Msg::Condition), e.formula);
}

std::string verdict(const checked::Policy& p, const ExplainNode& e, Escape escape) {
  if (!e.flag) return std::string(text(Msg::Fails));
  if (!e.taken) return std::string(text(Msg::Holds));
  return textf(Msg::HoldsTaking, escape(text_value(p, e.type, e.value)));
}

std::string date_line(const Explanation& e) {
  if (e.as_of) return textf(Msg::DecisionDate, format_date(*e.as_of), e.date_note);
  return std::string(text(Msg::NoDecisionDate));
}


std::string parts_text(const std::vector<ConditionPart>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += text(Msg::Semicolon);
    out += parts[i].text;
  }
  return out;
}

NodeLines node_lines(const checked::Policy& p, const ExplainNode& e, const ExplainOptions& o) {
  NodeLines n;
  bool branch = e.kind == ExplainNode::Kind::Branch;
  if (branch && o.names) {
    n.head = head_text(p, e);
    if (e.formula != "otherwise")
      n.lines.emplace_back(LineKind::Values, fmt::format("{}{}  ⇒ {}{}", label(Msg::Substituted), e.substituted,
                                                         verdict(p, e, [](std::string_view s) { return std::string(s); }),
                                                         clause_tag(e.source)));
    return n;
  }
  n.head = plain_head(p, e, o);
  if (!e.outside.empty()) return n;
  if (branch) {
    if (!e.condition_values.empty() && e.condition_values != parts_text(e.parts))
      n.lines.emplace_back(LineKind::Values, "= " + e.condition_values);
    return n;
  }
  if (!e.reading.empty() && !e.reading_repeated) n.lines.emplace_back(LineKind::Reading, label(Msg::Reading) + e.reading);
  for (const auto& r : e.readings_in_force)
    n.lines.emplace_back(LineKind::Reading, textf(r.own ? Msg::ReadingInForceOwn : Msg::ReadingInForceOther, r.id, r.name, r.label));
  for (const auto& r : e.other_readings)
    n.lines.emplace_back(LineKind::Reading, r.changes ? textf(Msg::ReadingWouldChange, r.id, r.name, r.label, r.value_text)
                                                      : textf(Msg::ReadingNoChange, r.id, r.name, r.label));
  if (!e.parts.empty()) n.lines.emplace_back(LineKind::Parts, parts_text(e.parts));
  if (o.names && !e.formula.empty()) n.lines.emplace_back(LineKind::Formula, "= " + e.formula);
  if (!e.arithmetic.empty()) n.lines.emplace_back(LineKind::Arithmetic, label(Msg::Arithmetic) + e.arithmetic);
  else if (o.names && !e.substituted.empty()) n.lines.emplace_back(LineKind::Values, "= " + e.substituted);
  if (e.steps_cut > 0) n.lines.emplace_back(LineKind::Cut, textf(Msg::StepsCut, e.steps_cut));
  return n;
}

std::vector<SummaryRow> fact_rows(const Explanation& e) {
  std::vector<SummaryRow> rows;
  for (const auto& f : e.facts) rows.push_back({f.name, f.label, f.text, f.defaulted ? std::string(text(Msg::FactDefaulted)) : "", false});
  return rows;
}

std::vector<SummaryRow> result_rows(const checked::Policy& p, const Explanation& e) {
  std::vector<SummaryRow> rows;
  for (const auto& o : e.outputs) {
    if (!o.outside.empty()) rows.push_back({o.name, o.label, std::string(text(Msg::NotApplicable)), o.clause, false});
    else rows.push_back({o.name, o.label, value_text(p, o), o.clause, o.placeholder_dependent});
  }
  return rows;
}

std::vector<SummaryRow> unconfirmed_rows(const Explanation& e) {
  std::vector<SummaryRow> rows;
  for (const auto& u : e.unconfirmed) {
    std::string outs;
    for (std::size_t i = 0; i < u.outputs.size(); ++i) outs += (i ? std::string(text(Msg::ListSep)) : "") + u.outputs[i];
    rows.push_back({u.name, u.label, u.text, fmt::format("{}{}{}", u.source, u.source.empty() ? "" : text(Msg::Semicolon),
                                                         textf(Msg::Affects, outs)), true});
  }
  return rows;
}

std::vector<std::string> provenance_lines(const Explanation& e) {
  if (!e.provenance) return {};
  return provenance_lines(*e.provenance, date_line(e));
}

std::string page_heading(const Explanation& e) {
  std::string date = e.as_of ? format_date(*e.as_of) : std::string(text(Msg::NoDateShort));
  if (e.case_id.empty()) return textf(Msg::ExplainHeadingNoId, e.policy_title, date);
  return textf(Msg::ExplainHeading, e.policy_title, e.case_id, date);
}

}  // namespace pol::interp
