// Explanations as Markdown: a table of the outputs, then the derivation as nested lists.
#include <fmt/format.h>

#include "explain/explain.hpp"
#include "explain/words.hpp"
#include "report/escape.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;

namespace {

std::string md(std::string_view s) { return md_escape(s, false); }

void md_node(const checked::Policy& p, const ExplainNode& e, int depth, std::string& out) {
  std::string ind(static_cast<std::size_t>(depth) * 2, ' ');
  std::string head;
  if (e.kind == ExplainNode::Kind::Output || e.kind == ExplainNode::Kind::Let)
    head = fmt::format("**{}** {} = **{}**{}{}", e.name, md(e.label),
                       e.has_value ? md(text_value(p, e.type, e.value)) : std::string(text(Msg::NotEvaluated)),
                       md(clause_tag(e.clause)), e.seen_above ? text(Msg::SeeAbove) : "");
  else head = md(head_text(p, e));
  out += fmt::format("{}- {}\n", ind, head);
  if (e.kind == ExplainNode::Kind::Branch) {
    if (e.formula != "otherwise")
      out += fmt::format("{}  - {}`{}` ⇒ {}{}\n", ind, label(Msg::Substituted), e.substituted, verdict(p, e, md),
                         md(clause_tag(e.source)));
  } else {
    if (!e.reading.empty()) out += fmt::format("{}  - {}{}\n", ind, label(Msg::Reading), md(e.reading));
    if (!e.formula.empty()) out += fmt::format("{}  - {}`{}`\n", ind, label(Msg::Formula), e.formula);
    if (!e.substituted.empty()) out += fmt::format("{}  - {}`{}`\n", ind, label(Msg::Substituted), e.substituted);
  }
  for (const auto& c : e.children) md_node(p, c, depth + 1, out);
}

}  // namespace

std::string render_markdown(const checked::Policy& p, const Explanation& e) {
  std::string out = fmt::format("# {}（{}）\n\n{}\n", md(e.policy_title), e.policy_name, date_line(e));
  if (!e.case_id.empty()) out += fmt::format("\n{}\n", dsl::textf(Msg::CaseId, md(e.case_id)));
  out += fmt::format("\n| {} | {} | {} | {} |\n| --- | --- | --- | --- |\n", text(Msg::HeadOutput), text(Msg::HeadMeaning),
                     text(Msg::HeadResult), text(Msg::HeadClause));
  for (const auto& o : e.outputs)
    out += fmt::format("| `{}` | {} | {} | {} |\n", o.name, md(o.label), md(text_value(p, o.type, o.value)), md(o.clause));
  out += fmt::format("\n## {}\n\n", text(Msg::Derivation));
  for (const auto& o : e.outputs) md_node(p, o, 0, out);
  if (e.error) out += fmt::format("\n**{}**{}{}\n", text(Msg::Error), text(Msg::Colon), md(e.error->message));
  return out;
}

}  // namespace pol::interp
