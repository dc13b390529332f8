// pol sweep --html: the chart on a page with its heading, caption, table and provenance.
#include <fmt/format.h>

#include "base/messages.hpp"
#include "compare/sweep.hpp"
#include "report/document.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

std::string sweep_html(const SweepPage& page, const std::vector<Value>& xs, const std::vector<SweepSeries>& series) {
  Document r{"html", {}};
  r.begin(page.heading);
  r.lines(page.caption);
  r.out += "<figure>\n" + sweep_svg(page, xs, series, false) + "</figure>\n";
  r.h2(std::string(dsl::text(dsl::Msg::SweepTableHead)));
  std::vector<std::string> head{page.xlabel};
  std::vector<std::string> classes{"num"};
  for (const auto& se : series) {
    head.push_back(se.legend);
    classes.emplace_back(se.type.is_number() ? "num" : "");
  }
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    std::vector<std::string> row{page.x_percent ? text_value(*series.front().p, dsl::Type::number(dsl::Unit::None, false, true), xs[i])
                                                : xs[i].to_string()};
    for (const auto& se : series) row.push_back(se.ys[i] ? text_value(*se.p, se.type, *se.ys[i]) : "—");
    rows.push_back(std::move(row));
  }
  r.table(head, rows, classes);
  r.provenance(page.provenance);
  r.end();
  return r.out;
}

}  // namespace pol::interp
