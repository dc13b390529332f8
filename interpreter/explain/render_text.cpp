// Explanations as text: the summary, then a tree drawn with box characters, one node a line,
// then the provenance.
#include <fmt/format.h>

#include "explain/explain.hpp"
#include "explain/why_not.hpp"
#include "explain/words.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;

namespace {

void text_node(const checked::Policy& p, const ExplainNode& e, const ExplainOptions& o, const std::string& indent, bool last,
               bool root, std::string& out) {
  std::string branch = root ? "" : (last ? "└─ " : "├─ ");
  std::string cont = root ? "" : (last ? "   " : "│  ");
  NodeLines n = node_lines(p, e, o);
  out += indent + branch + n.head + "\n";
  std::string inner = indent + cont;
  std::string bar = e.kind == ExplainNode::Kind::Branch ? "    " : e.children.empty() ? "   " : "│  ";
  for (const auto& [kind, line] : n.lines) out += fmt::format("{}{}{}\n", inner, bar, line);
  for (std::size_t i = 0; i < e.children.size(); ++i)
    text_node(p, e.children[i], o, inner, i + 1 == e.children.size(), false, out);
}

std::string row_line(const SummaryRow& r, const ExplainOptions& o) {
  std::string name = o.names ? r.name + " " : "";
  std::string note = r.note.empty() ? "" : dsl::textf(Msg::Parenthesized, r.note);
  return fmt::format("  {}{}{}{}{}", name, r.label, text(Msg::Colon), r.value, r.warn ? " ⚠" : "") + note;
}

void summary(const checked::Policy& p, const Explanation& e, const ExplainOptions& o, std::string& out) {
  out += fmt::format("\n{}\n", text(Msg::CaseFacts));
  for (const auto& r : fact_rows(e)) out += row_line(r, o) + "\n";
  out += fmt::format("\n{}\n", text(Msg::Results));
  for (auto r : result_rows(p, e)) {
    r.note.clear();
    out += row_line(r, o) + "\n";
  }
  out += "\n";
  if (e.unconfirmed.empty()) {
    out += fmt::format("{}\n", text(Msg::NoUnconfirmed));
  } else {
    out += fmt::format("{}{}\n", text(Msg::UnconfirmedNote), text(Msg::Colon));
    for (auto r : unconfirmed_rows(e)) {
      std::string name = o.names ? r.name + " " : "";
      out += fmt::format("  ⚠ {}{} = {}{}{}\n", name, r.label, r.value, text(Msg::Semicolon), r.note);
    }
  }
  out += fmt::format("\n{}\n", text(Msg::Derivation));
}

}  // namespace

std::string render_text(const checked::Policy& p, const Explanation& e, const ExplainOptions& o) {
  std::string out = fmt::format("{}（{}）\n{}\n", e.policy_title, e.policy_name, date_line(e));
  if (!e.case_id.empty()) out += dsl::textf(Msg::CaseId, e.case_id) + "\n";
  if (o.summary) summary(p, e, o, out);
  for (const auto& x : e.outputs) {
    out += "\n";
    text_node(p, x, o, "", true, true, out);
  }
  if (e.error) out += fmt::format("\n{}{}\n", label(Msg::Error), e.error->message);
  if (e.why_not) {
    WhyNotLines w = why_not_lines(p, *e.why_not, o.names);
    out += fmt::format("\n{}\n  {}\n", text(Msg::WhyNotHead), w.question);
    for (std::size_t i = 0; i < w.items.size(); ++i) {
      out += fmt::format("  {}. {}\n", i + 1, w.items[i].change);
      for (const auto& b : w.items[i].bindings) out += fmt::format("     {}\n", b);
    }
    for (const auto* l : {&w.none, &w.fixed, &w.tried, &w.cut})
      if (!l->empty()) out += fmt::format("  {}\n", *l);
  }
  if (o.provenance && e.provenance) {
    out += fmt::format("\n{}\n", text(Msg::ProvenanceHead));
    for (const auto& l : provenance_lines(e)) out += "  " + l + "\n";
  }
  return out;
}

std::string render_text(const checked::Policy& p, const Explanation& e) {
  return render_text(p, e, ExplainOptions::derivation_only());
}

}  // namespace pol::interp
