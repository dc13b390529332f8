// Explanations as Markdown: the summary tables, the derivation as nested lists, the provenance.
#include <fmt/format.h>

#include "explain/explain.hpp"
#include "explain/why_not.hpp"
#include "explain/words.hpp"
#include "report/document.hpp"
#include "report/escape.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;

namespace {

std::string md(std::string_view s) { return md_escape(s, false); }

void md_node(const checked::Policy& p, const ExplainNode& e, const ExplainOptions& o, int depth, std::string& out) {
  std::string ind(static_cast<std::size_t>(depth) * 2, ' ');
  NodeLines n = node_lines(p, e, o);
  bool def = e.kind == ExplainNode::Kind::Output || e.kind == ExplainNode::Kind::Let;
  out += fmt::format("{}- {}{}{}", ind, def ? "**" : "", md(n.head), def ? "**" : "");
  // The lines beneath a node continue its item, one a line.
  for (const auto& [kind, line] : n.lines) {
    bool code = kind == LineKind::Formula || (o.names && kind == LineKind::Values);
    out += fmt::format("  \n{}  {}", ind, code ? fmt::format("`{}`", line) : md(line));
  }
  out += "\n";
  for (const auto& c : e.children) md_node(p, c, o, depth + 1, out);
}

void md_table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows, std::string& out) {
  Document d{"markdown", {}};
  d.table(head, rows);
  if (!d.out.empty()) d.out.pop_back();  // the blank line after it comes with the next heading
  out += d.out;
}

std::vector<std::vector<std::string>> cells(const std::vector<SummaryRow>& rows, const ExplainOptions& o, bool warn_col) {
  std::vector<std::vector<std::string>> out;
  for (const auto& r : rows) {
    std::vector<std::string> row;
    if (o.names) row.push_back(r.name);
    row.push_back(r.label);
    row.push_back(warn_col && r.warn ? r.value + " ⚠" : r.value);
    row.push_back(r.note);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<std::string> heads(const ExplainOptions& o, Msg a, Msg b, Msg c) {
  std::vector<std::string> h;
  if (o.names) h.emplace_back(text(Msg::HeadName));
  h.emplace_back(text(a));
  h.emplace_back(text(b));
  h.emplace_back(text(c));
  return h;
}

}  // namespace

std::string render_markdown(const checked::Policy& p, const Explanation& e, const ExplainOptions& o) {
  std::string out = fmt::format("# {}（{}）\n\n{}\n", md(e.policy_title), e.policy_name, date_line(e));
  if (!e.case_id.empty()) out += fmt::format("\n{}\n", dsl::textf(Msg::CaseId, md(e.case_id)));
  if (o.summary) {
    out += fmt::format("\n## {}\n\n", text(Msg::CaseFacts));
    md_table(heads(o, Msg::HeadMeaning, Msg::HeadValue, Msg::HeadNote), cells(fact_rows(e), o, false), out);
    out += fmt::format("\n## {}\n\n", text(Msg::Results));
    md_table(heads(o, Msg::HeadMeaning, Msg::HeadResult, Msg::HeadClause), cells(result_rows(p, e), o, true), out);
    out += fmt::format("\n## {}\n\n", text(Msg::UnconfirmedHead));
    if (e.unconfirmed.empty()) {
      out += fmt::format("{}\n", text(Msg::NoUnconfirmed));
    } else {
      out += fmt::format("{}{}\n\n", text(Msg::UnconfirmedNote), text(Msg::Colon));
      md_table(heads(o, Msg::HeadMeaning, Msg::HeadValue, Msg::HeadNote), cells(unconfirmed_rows(e), o, true), out);
    }
  } else {
    out += fmt::format("\n| {} | {} | {} | {} |\n| --- | --- | --- | --- |\n", text(Msg::HeadOutput), text(Msg::HeadMeaning),
                       text(Msg::HeadResult), text(Msg::HeadClause));
    for (const auto& x : e.outputs)
      out += fmt::format("| `{}` | {} | {} | {} |\n", x.name, md(x.label), md(text_value(p, x.type, x.value)), md(x.clause));
  }
  out += fmt::format("\n## {}\n\n", text(Msg::Derivation));
  for (const auto& x : e.outputs) md_node(p, x, o, 0, out);
  if (e.error) out += fmt::format("\n**{}**{}{}\n", text(Msg::Error), text(Msg::Colon), md(e.error->message));
  if (e.why_not) {
    WhyNotLines w = why_not_lines(p, *e.why_not, o.names);
    out += fmt::format("\n## {}\n\n{}\n\n", text(Msg::WhyNotHead), md(w.question));
    for (std::size_t i = 0; i < w.items.size(); ++i) {
      out += fmt::format("{}. {}\n", i + 1, md(w.items[i].change));
      for (const auto& b : w.items[i].bindings) out += fmt::format("   - {}\n", md(b));
    }
    if (!w.items.empty()) out += "\n";
    for (const auto* l : {&w.none, &w.fixed, &w.tried, &w.cut})
      if (!l->empty()) out += fmt::format("{}\n\n", md(*l));
    out.pop_back();
  }
  if (o.provenance && e.provenance) {
    out += fmt::format("\n## {}\n\n", text(Msg::ProvenanceHead));
    for (const auto& l : provenance_lines(e)) out += fmt::format("- {}\n", md(l));
  }
  return out;
}

std::string render_markdown(const checked::Policy& p, const Explanation& e) {
  return render_markdown(p, e, ExplainOptions::derivation_only());
}

}  // namespace pol::interp
