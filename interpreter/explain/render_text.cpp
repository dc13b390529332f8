// Explanations as text: a tree drawn with box characters, one node a line.
#include <fmt/format.h>

#include "explain/explain.hpp"
#include "explain/words.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;

namespace {

std::string as_is(std::string_view s) { return std::string(s); }

void text_node(const checked::Policy& p, const ExplainNode& e, const std::string& indent, bool last, bool root,
               std::string& out) {
  std::string branch = root ? "" : (last ? "└─ " : "├─ ");
  std::string cont = root ? "" : (last ? "   " : "│  ");
  out += indent + branch + head_text(p, e) + "\n";
  std::string inner = indent + cont;
  std::string bar = e.children.empty() ? "   " : "│  ";
  if (e.kind == ExplainNode::Kind::Branch) {
    if (e.formula != "otherwise")
      out += fmt::format("{}    {}{}  ⇒ {}{}\n", inner, label(Msg::Substituted), e.substituted, verdict(p, e, as_is),
                         clause_tag(e.source));
  } else {
    if (!e.reading.empty()) out += fmt::format("{}{}{}{}\n", inner, bar, label(Msg::Reading), e.reading);
    if (!e.formula.empty()) out += fmt::format("{}{}= {}\n", inner, bar, e.formula);
    if (!e.substituted.empty()) out += fmt::format("{}{}= {}\n", inner, bar, e.substituted);
  }
  // Branch lines sit above the tree of what was used.
  for (std::size_t i = 0; i < e.children.size(); ++i)
    text_node(p, e.children[i], inner, i + 1 == e.children.size(), false, out);
}

}  // namespace

std::string render_text(const checked::Policy& p, const Explanation& e) {
  std::string out = fmt::format("{}（{}）\n{}\n", e.policy_title, e.policy_name, date_line(e));
  if (!e.case_id.empty()) out += dsl::textf(Msg::CaseId, e.case_id) + "\n";
  for (const auto& o : e.outputs) {
    out += "\n";
    text_node(p, o, "", true, true, out);
  }
  if (e.error) out += fmt::format("\n{}{}\n", label(Msg::Error), e.error->message);
  return out;
}

}  // namespace pol::interp
