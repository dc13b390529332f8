#include "report/document.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/source.hpp"

#include "base/messages.hpp"
#include "report/escape.hpp"
#include "report/html.hpp"

namespace pol::interp {

namespace {

// Tables take the page's width and never more: long cells (sources, lists of outputs) wrap
// anywhere, Chinese headings only between words, short words and figures not at all.
std::string report_css() {
  return fmt::format(
      "body{{font-family:{};margin:2em;max-width:72em}}\n"
      "table{{border-collapse:collapse;margin:.5em 0;max-width:100%}}"
      "td,th{{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;overflow-wrap:anywhere}}\n"
      "th{{background:#f4f4f4;word-break:keep-all;overflow-wrap:normal}}.short,.num{{white-space:nowrap}}"
      ".num{{text-align:right}}.name{{min-width:8em}}.affects{{color:#555}}\n"
      "pre{{background:#f8f8f8;padding:.5em;overflow-x:auto}}\n"
      "table.sides{{table-layout:fixed;width:100%}}table.sides td{{width:50%}}"
      "table.sides pre{{white-space:pre-wrap;overflow-wrap:anywhere;overflow-x:visible;margin:0;font-size:85%}}\n"
      "svg{{max-width:100%;height:auto}}.prov{{color:#555;font-size:90%}}\n"
      "@media print{{td,th{{padding:.15em .3em}}}}\n{}",
      kCssFonts, kPrintCss);
}

}  // namespace

std::string with_commas(std::uint64_t n) {
  std::string s = std::to_string(n), out;
  int k = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (k && k % 3 == 0) out.push_back(',');
    out.push_back(*it);
    ++k;
  }
  return std::string(out.rbegin(), out.rend());
}

std::string Document::md(const std::string& s) const { return md_escape(s, true); }

void Document::begin(const std::string& title, std::string_view extra_css) {
  if (html()) out += html_page_begin(title, report_css() + std::string(extra_css));
  h1(title);
}

void Document::end() {
  if (html()) out += html_page_end();
}

void Document::h1(const std::string& s) {
  if (markdown()) out += fmt::format("# {}\n\n", md(s));
  else if (html()) out += fmt::format("<h1>{}</h1>\n", html_escape(s));
  else out += s + "\n";
}

void Document::h2(const std::string& s) {
  if (markdown()) out += fmt::format("## {}\n\n", md(s));
  else if (html()) out += fmt::format("<h2>{}</h2>\n", html_escape(s));
  else out += fmt::format("\n{}\n", s);
}

void Document::para(const std::string& s) {
  if (markdown()) out += md(s) + "\n\n";
  else if (html()) out += fmt::format("<p>{}</p>\n", html_escape(s));
  else out += s + "\n";
}

void Document::lines(const std::vector<std::string>& ls) {
  if (ls.empty()) return;
  if (markdown()) {
    for (std::size_t i = 0; i < ls.size(); ++i) out += md(ls[i]) + (i + 1 < ls.size() ? "  \n" : "\n\n");
  } else if (html()) {
    out += "<p>";
    for (std::size_t i = 0; i < ls.size(); ++i) out += html_escape(ls[i]) + (i + 1 < ls.size() ? "<br>\n" : "</p>\n");
  } else {
    for (const auto& l : ls) out += l + "\n";
  }
}

void Document::list(const std::vector<std::string>& items, const std::string& text_indent) {
  if (items.empty()) return;
  if (markdown()) {
    for (const auto& i : items) out += fmt::format("- {}\n", md(i));
    out += "\n";
  } else if (html()) {
    out += "<ul>\n";
    for (const auto& i : items) out += fmt::format("<li>{}</li>\n", html_escape(i));
    out += "</ul>\n";
  } else {
    for (const auto& i : items) out += text_indent + i + "\n";
  }
}

void Document::table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
                     const std::vector<std::string>& classes) {
  if (markdown()) {
    out += "|";
    for (const auto& h : head) out += fmt::format(" {} |", md(h));
    out += "\n|";
    for (std::size_t i = 0; i < head.size(); ++i) out += " --- |";
    out += "\n";
    for (const auto& r : rows) {
      out += "|";
      for (const auto& c : r) out += fmt::format(" {} |", md(c));
      out += "\n";
    }
    out += "\n";
  } else if (html()) {
    out += "<table>\n<tr>";
    for (const auto& h : head) out += fmt::format("<th>{}</th>", html_escape(h));
    out += "</tr>\n";
    for (const auto& r : rows) {
      out += "<tr>";
      for (std::size_t i = 0; i < r.size(); ++i) {
        std::string cls = i < classes.size() && !classes[i].empty() ? " class=\"" + classes[i] + "\"" : "";
        out += fmt::format("<td{}>{}</td>", cls, html_escape(r[i]));
      }
      out += "</tr>\n";
    }
    out += "</table>\n";
  }
}

void Document::grid(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
                    const std::vector<std::string>& classes) {
  if (!text()) return table(head, rows, classes);
  std::vector<std::size_t> w(head.size(), 0);
  auto widen = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max<std::size_t>(w[i], dsl::text_width(r[i]));
  };
  widen(head);
  for (const auto& r : rows) widen(r);
  auto line = [&](const std::vector<std::string>& r) {
    std::string l = " ";
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) {
      l += " " + r[i];
      if (i + 1 < r.size()) l += std::string(w[i] - dsl::text_width(r[i]) + 1, ' ');
    }
    out += l + "\n";
  };
  line(head);
  for (const auto& r : rows) line(r);
}

void Document::provenance(const Provenance& pr, const std::string& date_line) {
  provenance(provenance_lines(pr, date_line));
}

void Document::provenance(const std::vector<std::string>& ls) {
  h2(std::string(dsl::text(dsl::Msg::ProvenanceHead)));
  if (html()) {
    out += "<ul class=\"prov\">\n";
    for (const auto& l : ls) out += fmt::format("<li>{}</li>\n", html_escape(l));
    out += "</ul>\n";
    return;
  }
  list(ls);
}

void Document::pre(const std::string& s) {
  if (markdown()) out += "```text\n" + s + (s.empty() || s.back() == '\n' ? "" : "\n") + "```\n\n";
  else if (html()) out += fmt::format("<pre>{}</pre>\n", html_escape(s));
  else out += s;
}

void Document::side_by_side(const std::string& head_a, const std::string& a, const std::string& head_b,
                            const std::string& b, const std::string& aligned) {
  if (!html()) return pre(aligned);
  out += fmt::format("<table class=\"sides\"><thead><tr><th>{}</th><th>{}</th></tr></thead>\n"
                     "<tbody><tr><td><pre>{}</pre></td><td><pre>{}</pre></td></tr></tbody></table>\n",
                     html_escape(head_a), html_escape(head_b), html_escape(a), html_escape(b));
}

}  // namespace pol::interp
