#pragma once
// A report in text, Markdown or HTML, written in one pass: headings, paragraphs, lines, lists,
// tables and preformatted text. The HTML form is report/html.hpp's page with the reports'
// style sheet; text lays out its own tables (table() writes nothing in text).
#include <cstdint>
#include <string>
#include <vector>

#include "report/provenance.hpp"

namespace pol::interp {

// 1234567 as "1,234,567".
[[nodiscard]] std::string with_commas(std::uint64_t n);

struct Document {
  std::string format;  // text, markdown, html
  std::string out;

  [[nodiscard]] bool text() const { return format == "text"; }
  [[nodiscard]] bool markdown() const { return format == "markdown"; }
  [[nodiscard]] bool html() const { return format == "html"; }

  // The page head (HTML) and the title as the first heading; `extra_css`: rules after the
  // reports' style sheet, each line ending in \n.
  void begin(const std::string& title, std::string_view extra_css = {});
  void end();
  void h1(const std::string& s);
  void h2(const std::string& s);
  void para(const std::string& s);
  // One paragraph with a line break after each line.
  void lines(const std::vector<std::string>& ls);
  void list(const std::vector<std::string>& items, const std::string& text_indent = "  ");
  // Markdown and HTML only; `classes` are the HTML classes of the columns.
  void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
             const std::vector<std::string>& classes = {});
  // table() in Markdown and HTML; in text, the columns aligned (wide characters count two).
  void grid(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
            const std::vector<std::string>& classes = {});
  void pre(const std::string& s);
  // Two texts side by side. HTML: a table of two columns whose lines wrap, so that it fits the
  // screen and an A4 page; text and markdown: `aligned`, the two already laid out in columns.
  void side_by_side(const std::string& head_a, const std::string& a, const std::string& head_b, const std::string& b,
                    const std::string& aligned);
  // The section saying which pol, rule files and date produced the report.
  void provenance(const Provenance& pr, const std::string& date_line);
  void provenance(const std::vector<std::string>& lines);

private:
  [[nodiscard]] std::string md(const std::string& s) const;
};

}  // namespace pol::interp
