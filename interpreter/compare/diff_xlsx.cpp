// `pol diff --cases … --out report.xlsx`: the population comparison as a workbook, the
// summary on one sheet and the changed cases on another (sheets/xlsx_write.hpp).
#include "compare/diff_xlsx.hpp"

#include <fmt/format.h>

#include "base/files.hpp"
#include "base/messages.hpp"
#include "report/json_out.hpp"
#include "sheets/xlsx_write.hpp"

namespace pol::interp {

namespace {

using dsl::Msg;

std::string words(Msg m) { return std::string(dsl::text(m)); }

// A value as a cell's text: enums by label, the rest as in JSON without quotes.
std::string cell(const checked::Policy& p, const dsl::Type& t, Value v) {
  if (t.base == dsl::Base::Enum) {
    const auto& vals = p.enums[t.enum_id].values;
    const int i = checked::as_enum(v);
    if (i >= 0 && static_cast<std::size_t>(i) < vals.size()) return vals[i].label.empty() ? vals[i].name : vals[i].label;
  }
  std::string s;
  append_json_value(s, p, t, v);
  if (s.size() >= 2 && s.front() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

void write_diff_workbook(const checked::Policy& a, const checked::Policy& b, const Population& pop,
                         const std::string& path, const std::vector<std::string>& inputs) {
  dsl::OutputFile out;
  std::string error;
  if (!out.open(path, inputs, error)) throw CompareUsageError{error};
  XlsxWriter book;
  if (!book.open(error, &out)) throw CompareUsageError{dsl::textf(Msg::XlsxWriteFailed, path, error)};
  const auto T = CellType::Text, N = CellType::Number;
  // The summary: the counts, then one row an output with the distribution of B − A.
  book.add_sheet(words(Msg::SheetSummary), {{words(Msg::HeadItem), "item", T},
                                            {words(Msg::HeadCount), "count", N},
                                            {words(Msg::HeadOutput), "output", T},
                                            {words(Msg::HeadChangedCases), "changed", N},
                                            {words(Msg::HeadDeltaMin), "delta_min", N},
                                            {words(Msg::HeadMedian), "delta_median", N},
                                            {words(Msg::HeadMax), "delta_max", N},
                                            {words(Msg::HeadTotal), "delta_total", N}});
  const std::pair<Msg, std::uint64_t> counts[] = {{Msg::SumCases, pop.cases},
                                                  {Msg::SumChanged, pop.changed_cases},
                                                  {Msg::SumErrorsA, pop.errors_a},
                                                  {Msg::SumErrorsB, pop.errors_b}};
  const std::size_t rows = std::max(std::size(counts), pop.outputs.size());
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<std::string> c(8);
    if (r < std::size(counts)) {
      c[0] = words(counts[r].first);
      c[1] = fmt::format("{}", counts[r].second);
    }
    if (r < pop.outputs.size()) {
      const OutputStats& o = pop.outputs[r];
      c[2] = o.label.empty() ? o.name : fmt::format("{}（{}）", o.label, o.name);
      c[3] = fmt::format("{}", o.changed);
      if (!o.num.deltas.empty()) {
        c[4] = cell(b, o.tb, o.num.deltas.begin()->first);
        c[5] = cell(b, o.tb, median_of(o.num));
        c[6] = cell(b, o.tb, o.num.deltas.rbegin()->first);
        // Money is summed across people; rates and years are not (as in the report: 不合计).
        c[7] = o.ta.is_money() ? cell(b, o.tb, o.num.total) : std::string(words(Msg::NotSummed));
      }
    }
    std::vector<std::string_view> v(c.begin(), c.end());
    (void)book.row(v);
  }
  // The changed cases: one row a changed output.
  book.add_sheet(words(Msg::SheetChanged), {{words(Msg::HeadLine), "line", N},
                                            {words(Msg::HeadCaseId), "id", T},
                                            {words(Msg::HeadOutput), "output", T},
                                            {words(Msg::HeadValueA), "a", N},
                                            {words(Msg::HeadValueB), "b", N}});
  for (const ChangedCase& cc : pop.examples)
    for (const OutputChange& d : cc.diffs) {
      const OutputStats& o = pop.outputs[d.output];
      std::vector<std::string> c{fmt::format("{}", cc.line), cc.id, o.label.empty() ? o.name : o.label,
                                 cell(a, o.ta, d.a), cell(b, o.tb, d.b)};
      std::vector<std::string_view> v(c.begin(), c.end());
      if (!book.row(v)) throw CompareUsageError{dsl::textf(Msg::XlsxOutFull, XlsxWriter::kMaxRows, book.rows() + 1)};
    }
  if (!book.finish(out, error)) throw CompareUsageError{error};
}

}  // namespace pol::interp
