// Explanations as an HTML page: a table of the outputs, then the derivation as nested,
// foldable lists.
#include <fmt/format.h>

#include "explain/explain.hpp"
#include "explain/words.hpp"
#include "report/escape.hpp"
#include "report/html.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;

namespace {

std::string esc(std::string_view s) { return html_escape(s); }

std::string explanation_css() {
  return fmt::format(
      "body{{font-family:{};margin:2em;max-width:60em;color:#222}}\n"
      "table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3em .6em}}\n"
      "ul{{list-style:none;padding-left:1.4em;border-left:1px dotted #bbb}}\n"
      "li{{margin:.2em 0}}.clause{{color:#735;font-size:.9em}}.input{{color:#045}}.param{{color:#450}}\n"
      ".placeholder{{background:#fff3cd}}.fails{{color:#a00}}.holds{{color:#060}}.formula,.sub,.reading{{color:#555;margin-left:1em}}\n"
      "code{{background:#f4f4f4;padding:0 .2em}}\n",
      kCssFonts);
}

std::string clause_span(const std::string& c) {
  return c.empty() ? std::string() : fmt::format(" <span class=\"clause\">{}</span>", esc(c));
}

void html_node(const checked::Policy& p, const ExplainNode& e, std::string& out) {
  static const char* cls[] = {"output", "let", "input", "param", "branch"};
  std::string extra = e.kind == ExplainNode::Kind::Branch ? (e.flag ? " holds" : " fails") : "";
  if (e.kind == ExplainNode::Kind::Param && e.flag) extra = " placeholder";
  out += fmt::format("<li class=\"{}{}\">", cls[static_cast<int>(e.kind)], extra);
  bool open = !e.children.empty() || !e.formula.empty();
  if (open) out += e.kind == ExplainNode::Kind::Output ? "<details open><summary>" : "<details><summary>";
  if (e.kind == ExplainNode::Kind::Output || e.kind == ExplainNode::Kind::Let) {
    out += fmt::format("<code>{}</code> {} = <b>{}</b>", esc(e.name), esc(e.label), esc(value_text(p, e)));
    out += clause_span(e.clause);
    if (e.seen_above) out += fmt::format(" <span class=\"see\">{}</span>", text(Msg::SeeAbove));
  } else {
    out += esc(head_text(p, e));
  }
  if (open) out += "</summary>";
  if (e.kind == ExplainNode::Kind::Branch) {
    if (e.formula != "otherwise")
      out += fmt::format("<div class=\"sub\">{}<code>{}</code> ⇒ {}{}</div>", label(Msg::Substituted), esc(e.substituted),
                         verdict(p, e, esc), clause_span(e.source));
  } else {
    if (!e.reading.empty()) out += fmt::format("<div class=\"reading\">{}{}</div>", label(Msg::Reading), esc(e.reading));
    if (!e.formula.empty()) out += fmt::format("<div class=\"formula\">= <code>{}</code></div>", esc(e.formula));
    if (!e.substituted.empty()) out += fmt::format("<div class=\"formula\">= <code>{}</code></div>", esc(e.substituted));
  }
  if (!e.children.empty()) {
    out += "<ul>";
    for (const auto& k : e.children) html_node(p, k, out);
    out += "</ul>";
  }
  if (open) out += "</details>";
  out += "</li>\n";
}

}  // namespace

std::string render_html(const checked::Policy& p, const Explanation& e) {
  std::string out = html_page_begin(e.policy_title, explanation_css());
  out += fmt::format("<h1>{}（{}）</h1>\n<p>{}</p>\n", esc(e.policy_title), esc(e.policy_name), esc(date_line(e)));
  if (!e.case_id.empty()) out += fmt::format("<p>{}</p>\n", esc(dsl::textf(Msg::CaseId, e.case_id)));
  out += fmt::format("<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n", text(Msg::HeadOutput),
                     text(Msg::HeadMeaning), text(Msg::HeadResult), text(Msg::HeadClause));
  for (const auto& o : e.outputs)
    out += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n", esc(o.name), esc(o.label),
                       esc(text_value(p, o.type, o.value)), esc(o.clause));
  out += fmt::format("</table>\n<h2>{}</h2>\n<ul>\n", text(Msg::Derivation));
  for (const auto& o : e.outputs) html_node(p, o, out);
  out += "</ul>\n";
  if (e.error) out += fmt::format("<p class=\"fails\">{}{}</p>\n", label(Msg::Error), esc(e.error->message));
  out += html_page_end();
  return out;
}

}  // namespace pol::interp
