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

std::string head_text(const checked::Policy& p, const ExplainNode& e) {
  std::string v = value_text(p, e);
  switch (e.kind) {
    case ExplainNode::Kind::Output:
    case ExplainNode::Kind::Let:
      return fmt::format("{} {} = {}{}{}", e.name, e.label, v, clause_tag(e.clause),
                         e.seen_above ? fmt::format("  {}", text(Msg::SeeAbove)) : "");
    case ExplainNode::Kind::Input:
      return fmt::format("{} {} = {}  {}", e.name, e.label, v,
                         textf(Msg::InputTag, e.flag ? text(Msg::InputDefaulted) : ""));
    case ExplainNode::Kind::Param: {
      std::string src;
      if (e.set_by_user) src = text(Msg::SetForRun);
      else {
        src = e.from ? textf(Msg::InForceSince, format_date(*e.from)) : std::string(text(Msg::AlwaysInForce));
        if (!e.source.empty()) src += source_note(e.flag, e.source);
      }
      return fmt::format("{} {} = {}  {}{}", e.name, e.label, v, textf(Msg::ParamTag, src), e.flag ? " ⚠" : "");
    }
    case ExplainNode::Kind::Branch:
      if (e.formula == "otherwise")
        return fmt::format("✓ {} → {}{}", text(Msg::Otherwise), e.has_value ? text_value(p, e.type, e.value) : e.result,
                           clause_tag(e.source));
      return fmt::format("{} {} {}", e.flag ? "✓" : "✗", text(Msg::Condition), e.formula);
  }
  return "";
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

}  // namespace pol::interp
