// pol doc's page in Markdown or HTML (report/document.hpp): the summary, then each unit of the
// text with what cites it beside it (HTML: two columns that become one on a narrow screen or
// in print), then the declarations citing no place of the text, the used files, provenance.
#include <fmt/format.h>

#include "base/messages.hpp"
#include "doc/doc.hpp"
#include "report/document.hpp"
#include "report/escape.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;
using dsl::textf;

namespace {

constexpr const char* kDocCss =
    ".unit{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 1.5em;"
    "border-top:1px solid #ddd;padding:.4em 0}\n"
    ".unit h3,.unit h4{grid-column:1/-1;margin:.3em 0}.unit .src p{margin:.3em 0;line-height:1.7}\n"
    ".src,.enc{min-width:0;overflow-wrap:anywhere}.enc ul{margin:.2em 0;padding-left:1.2em}\n"
    ".status{font-size:90%;color:#2a6e2a}.uncited .status{color:#a33}.noted .status{color:#8a5a00}\n"
    ".uncited{background:#fff6f6}.para-tag{color:#777;font-size:85%;margin-right:.4em}\n"
    ".prov li,h1,h2{overflow-wrap:anywhere}\n"
    "@media (max-width:50em){.unit{grid-template-columns:minmax(0,1fr)}body{margin:1em}}\n"
    "@media print{.unit{grid-template-columns:minmax(0,1fr)}}\n";

std::string status_of(const DocUnit& u, std::string& cls) {
  if (u.cited()) {
    cls = "cited";
    return std::string(text(Msg::DocUnitCited));
  }
  cls = u.noted() ? "noted" : "uncited";
  return std::string(text(u.noted() ? Msg::DocNotesOnly : Msg::DocNotCited));
}

// The heading of a unit: its mark and, when the first sentence is a short title, the title.
std::string unit_heading(const TextUnit& u) {
  switch (u.kind) {
    case TextUnit::Kind::Preamble: return std::string(text(Msg::DocPreamble));
    case TextUnit::Kind::Closing: return std::string(text(Msg::DocClosing));
    case TextUnit::Kind::Section: return u.paragraphs[0];
    default: break;
  }
  std::string_view rest = std::string_view(u.paragraphs[0]).substr(u.mark.size());
  auto stop = rest.find("。");
  if (stop != std::string_view::npos && stop <= 3 * 12) return u.mark + std::string(rest.substr(0, stop));
  return u.mark;
}

std::string lines_text(const std::vector<std::uint32_t>& ls) {
  std::string s;
  for (auto l : ls) s += (s.empty() ? "" : std::string(text(Msg::ListSep))) + std::to_string(l);
  return s;
}

class Writer {
public:
  explicit Writer(Document& d) : d_(d) {}

  void slot(const DocSlot& s, const std::string& tag) {
    if (s.empty() && s.items == 0) return;
    if (d_.html()) {
      d_.out += "<ul>\n";
      if (!tag.empty()) d_.out += fmt::format("<li class=\"para-tag\">{}</li>\n", html_escape(tag));
      for (const auto& e : s.decls) {
        d_.out += fmt::format("<li><b>{}</b>", html_escape(e.head));
        if (!e.lines.empty()) {
          d_.out += "<ul>";
          for (const auto& l : e.lines) d_.out += fmt::format("<li>{}</li>", html_escape(l));
          d_.out += "</ul>";
        }
        d_.out += "</li>\n";
      }
      for (const auto& n : s.notes) d_.out += fmt::format("<li>{}</li>\n", html_escape(n));
      for (const auto& l : extra(s)) d_.out += fmt::format("<li>{}</li>\n", html_escape(l));
      d_.out += "</ul>\n";
      return;
    }
    if (!tag.empty()) d_.out += fmt::format("*{}*\n\n", md_escape(tag, true));
    for (const auto& e : s.decls) {
      d_.out += fmt::format("- **{}**\n", md_escape(e.head, true));
      for (const auto& l : e.lines) d_.out += fmt::format("  - {}\n", md_escape(l, true));
    }
    for (const auto& n : s.notes) d_.out += fmt::format("- {}\n", md_escape(n, true));
    for (const auto& l : extra(s)) d_.out += fmt::format("- {}\n", md_escape(l, true));
    d_.out += "\n";
  }

  void unit(const DocUnit& u) {
    std::string cls;
    std::string status = u.text.counted ? status_of(u, cls) : std::string();
    std::string heading = unit_heading(u.text);
    const bool section = u.text.kind == TextUnit::Kind::Section;
    const auto& ps = u.text.paragraphs;
    // The paragraphs of a clause are numbered as citations count them (（五）第二段).
    const bool numbered = ps.size() > 1 && (u.text.kind == TextUnit::Kind::Clause || u.text.kind == TextUnit::Kind::Article);
    if (d_.html()) {
      d_.out += fmt::format("<section class=\"unit {}\">\n<{}>{}</{}>\n", cls, section ? "h3" : "h4", html_escape(heading),
                            section ? "h3" : "h4");
      d_.out += "<div class=\"src\">\n";
      if (!status.empty()) d_.out += fmt::format("<p class=\"status\">{}</p>\n", html_escape(status));
      for (std::size_t k = section ? 1 : 0; k < ps.size(); ++k) {
        std::string tag = numbered ? textf(Msg::DocParagraph, k + 1) : "";
        d_.out += fmt::format("<p>{}{}</p>\n", tag.empty() ? "" : fmt::format("<span class=\"para-tag\">{}</span>", html_escape(tag)),
                              html_escape(ps[k]));
      }
      d_.out += "</div>\n<div class=\"enc\">\n";
      slot(u.whole, u.paragraphs.empty() ? "" : std::string(text(Msg::DocWholeClause)));
      for (std::size_t k = 0; k < u.paragraphs.size(); ++k) slot(u.paragraphs[k], textf(Msg::DocParagraph, k + 1));
      d_.out += "</div>\n</section>\n";
      return;
    }
    d_.out += fmt::format("{} {}\n\n", section ? "###" : "####", md_escape(heading, true));
    if (!status.empty()) d_.out += fmt::format("*{}*\n\n", md_escape(status, true));
    for (std::size_t k = section ? 1 : 0; k < ps.size(); ++k) {
      std::string tag = numbered ? fmt::format("**{}** ", md_escape(textf(Msg::DocParagraph, k + 1), true)) : "";
      d_.out += fmt::format("> {}{}\n\n", tag, md_escape(ps[k], true));
      if (k < u.paragraphs.size()) slot(u.paragraphs[k], "");
    }
    slot(u.whole, u.paragraphs.empty() ? "" : std::string(text(Msg::DocWholeClause)));
  }

  void groups(const std::vector<DocGroup>& gs) {
    for (const auto& g : gs) {
      std::string head = textf(Msg::DocCitedAs, g.citation);
      if (d_.html()) d_.out += fmt::format("<section class=\"unit\"><h4>{}</h4><div class=\"enc\">\n", html_escape(head));
      else d_.out += fmt::format("#### {}\n\n", md_escape(head, true));
      slot(g.slot, "");
      if (d_.html()) d_.out += "</div></section>\n";
    }
  }

private:
  Document& d_;

  static std::vector<std::string> extra(const DocSlot& s) {
    std::vector<std::string> out;
    if (!s.tests.empty()) {
      std::string names;
      for (const auto& t : s.tests) names += (names.empty() ? "" : std::string(text(Msg::Semicolon))) + t;
      out.push_back(textf(Msg::DocTests, names));
    }
    if (s.items) {
      std::string c = textf(Msg::DocCoverage, s.covered, s.items);
      if (!s.uncovered_lines.empty()) c += std::string(text(Msg::Semicolon)) + textf(Msg::DocUncovered, lines_text(s.uncovered_lines));
      out.push_back(c);
    }
    return out;
  }
};

}  // namespace

std::string render_doc(const PolicyDoc& doc, const std::string& format) {
  Document d;
  d.format = format;
  d.begin(doc.title, kDocCss);
  d.lines(doc.head_lines);
  d.h2(std::string(text(Msg::DocSummaryHead)));
  d.para(doc.has_text ? textf(Msg::DocFigure, doc.counted, doc.cited, doc.notes_only, doc.nothing, doc.placeholders)
                      : textf(Msg::DocFigureNoText, doc.placeholders));
  Writer w(d);
  if (doc.has_text) {
    d.h2(std::string(text(Msg::DocTextHead)));
    for (const auto& u : doc.units) w.unit(u);
  }
  if (!doc.other.empty()) {
    d.h2(std::string(text(doc.has_text ? Msg::DocOtherHead : Msg::DocEncodedHead)));
    w.groups(doc.other);
  }
  for (const auto& u : doc.uses) {
    d.h2(u.heading);
    d.para(u.line);
    w.groups(u.groups);
  }
  d.provenance(doc.provenance);
  d.end();
  return d.out;
}

}  // namespace pol::interp
