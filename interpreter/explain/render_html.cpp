// Explanations as an HTML page fit to send: a Chinese heading naming the policy, case and date;
// the case facts, results and unconfirmed figures as tables; the derivation as nested lists
// with every condition and number visible (nothing folded: a step met again is one line); the
// provenance; a print style sheet for A4.
#include <fmt/format.h>

#include "explain/explain.hpp"
#include "explain/why_not.hpp"
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
      "body{{font-family:{};margin:2em auto;padding:0 1em;max-width:60em;color:#222;line-height:1.5}}\n"
      "h1{{font-size:1.5em}}.sub{{color:#555}}\n"
      "table{{border-collapse:collapse;margin:.5em 0;max-width:100%}}td,th{{border:1px solid #ccc;padding:.25em .6em;"
      "vertical-align:top;overflow-wrap:anywhere}}th{{background:#f4f4f4;text-align:left;white-space:nowrap}}\n"
      "ul{{list-style:none;padding-left:1.4em;border-left:1px dotted #bbb}}\n"
      "li{{margin:.25em 0}}.head{{font-weight:500}}.output>.head,.let>.head{{font-weight:bold}}\n"
      ".line{{color:#555;margin-left:1.2em}}.reading{{color:#555;margin-left:1.2em}}\n"
      ".warn,.placeholder>.head{{background:#fff3cd}}.fails>.head{{color:#a00}}.holds>.head{{color:#060}}.not-applicable>.head{{color:#666}}\n"
      "code{{background:#f4f4f4;padding:0 .2em}}.prov{{color:#555;font-size:.9em;overflow-wrap:anywhere}}\n"
      "{}",
      kCssFonts, kPrintCss);
}

void html_node(const checked::Policy& p, const ExplainNode& e, const ExplainOptions& o, std::string& out) {
  static const char* cls[] = {"output", "let", "input", "param", "branch"};
  std::string extra = e.kind == ExplainNode::Kind::Branch ? (e.flag ? " holds" : " fails") : "";
  if (e.kind == ExplainNode::Kind::Param && e.flag) extra = " placeholder";
  if (!e.outside.empty()) extra = " not-applicable";
  NodeLines n = node_lines(p, e, o);
  out += fmt::format("<li class=\"{}{}\"><div class=\"head\">{}</div>", cls[static_cast<int>(e.kind)], extra, esc(n.head));
  for (const auto& [kind, line] : n.lines) {
    bool code = kind == LineKind::Formula || (o.names && kind == LineKind::Values);
    out += fmt::format("<div class=\"{}\">{}</div>", kind == LineKind::Reading ? "reading" : "line",
                       code ? fmt::format("<code>{}</code>", esc(line)) : esc(line));
  }
  if (!e.children.empty()) {
    out += "<ul>";
    for (const auto& k : e.children) html_node(p, k, o, out);
    out += "</ul>";
  }
  out += "</li>\n";
}

void html_table(const std::vector<std::string>& head, const std::vector<SummaryRow>& rows, const ExplainOptions& o,
                std::string& out) {
  out += "<table>\n<thead><tr>";
  if (o.names) out += fmt::format("<th>{}</th>", text(Msg::HeadName));
  for (const auto& h : head) out += fmt::format("<th>{}</th>", esc(h));
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& r : rows) {
    out += r.warn ? "<tr class=\"warn\">" : "<tr>";
    if (o.names) out += fmt::format("<td><code>{}</code></td>", esc(r.name));
    out += fmt::format("<td>{}</td><td>{}{}</td><td>{}</td></tr>\n", esc(r.label), esc(r.value), r.warn ? " ⚠" : "", esc(r.note));
  }
  out += "</tbody>\n</table>\n";
}

void html_summary(const checked::Policy& p, const Explanation& e, const ExplainOptions& o, std::string& out) {
  out += fmt::format("<h2>{}</h2>\n", text(Msg::CaseFacts));
  html_table({std::string(text(Msg::HeadMeaning)), std::string(text(Msg::HeadValue)), std::string(text(Msg::HeadNote))},
             fact_rows(e), o, out);
  out += fmt::format("<h2>{}</h2>\n", text(Msg::Results));
  html_table({std::string(text(Msg::HeadMeaning)), std::string(text(Msg::HeadResult)), std::string(text(Msg::HeadClause))},
             result_rows(p, e), o, out);
  out += fmt::format("<h2>{}</h2>\n", text(Msg::UnconfirmedHead));
  if (e.unconfirmed.empty()) {
    out += fmt::format("<p>{}</p>\n", text(Msg::NoUnconfirmed));
    return;
  }
  out += fmt::format("<p>{}{}</p>\n", text(Msg::UnconfirmedNote), text(Msg::Colon));
  html_table({std::string(text(Msg::HeadMeaning)), std::string(text(Msg::HeadValue)), std::string(text(Msg::HeadNote))},
             unconfirmed_rows(e), o, out);
}

}  // namespace

std::string render_html(const checked::Policy& p, const Explanation& e, const ExplainOptions& o) {
  std::string heading = page_heading(e);
  std::string out = html_page_begin(heading, explanation_css());
  out += fmt::format("<h1>{}</h1>\n<p class=\"sub\">{}（{}）<br>\n{}</p>\n", esc(heading), esc(e.policy_title),
                     esc(e.policy_name), esc(date_line(e)));
  if (o.summary) html_summary(p, e, o, out);
  out += fmt::format("<h2>{}</h2>\n<ul class=\"tree\">\n", text(Msg::Derivation));
  for (const auto& x : e.outputs) html_node(p, x, o, out);
  out += "</ul>\n";
  if (e.error) out += fmt::format("<p class=\"fails\">{}{}</p>\n", label(Msg::Error), esc(e.error->message));
  if (e.why_not) {
    WhyNotLines w = why_not_lines(p, *e.why_not, o.names);
    out += fmt::format("<h2>{}</h2>\n<p>{}</p>\n", text(Msg::WhyNotHead), esc(w.question));
    if (!w.items.empty()) {
      out += "<ol class=\"why-not\">\n";
      for (const auto& item : w.items) {
        out += fmt::format("<li>{}", esc(item.change));
        if (!item.bindings.empty()) {
          out += "\n<ul>\n";
          for (const auto& b : item.bindings) out += fmt::format("<li>{}</li>\n", esc(b));
          out += "</ul>\n";
        }
        out += "</li>\n";
      }
      out += "</ol>\n";
    }
    for (const auto* l : {&w.none, &w.fixed, &w.tried, &w.cut})
      if (!l->empty()) out += fmt::format("<p>{}</p>\n", esc(*l));
  }
  if (o.provenance && e.provenance) {
    out += fmt::format("<h2>{}</h2>\n<ul class=\"prov\">\n", text(Msg::ProvenanceHead));
    for (const auto& l : provenance_lines(e)) out += fmt::format("<li>{}</li>\n", esc(l));
    out += "</ul>\n";
  }
  out += html_page_end();
  return out;
}

std::string render_html(const checked::Policy& p, const Explanation& e) {
  return render_html(p, e, ExplainOptions::derivation_only());
}

}  // namespace pol::interp
