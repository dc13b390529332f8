// The report of `pol compare`: the files, the parameter matrix, the outputs for each case and
// the population summaries, in text, Markdown, HTML (with a bar chart of one output across the
// files), JSON and CSV (one row a cell: section, row, file, value, marks).
#include <algorithm>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "compare/diff_report.hpp"
#include "compare/multi.hpp"
#include "report/document.hpp"
#include "report/escape.hpp"
#include "report/html.hpp"
#include "report/json_out.hpp"
#include "report/json_writer.hpp"
#include "report/svg.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;
using dsl::textf;

namespace {

std::string marked(const std::string& s, bool differs, bool placeholder) {
  return s + (differs ? " *" : "") + (placeholder ? " ⚠" : "");
}

const checked::Rule& output_rule(const Comparison& c, std::size_t k) { return c.policies[0]->rules[c.outputs[k]]; }

std::vector<std::string> file_heads(const Comparison& c, const char* first) {
  std::vector<std::string> h{first};
  for (const auto* p : c.policies) h.push_back(p->header.name);
  return h;
}

std::string cell_text(const OutputCell& cell, const std::string& error) {
  if (!error.empty()) return std::string(text(Msg::CompareCannot));
  if (!cell.ok) return "—";
  std::string s = cell.text;
  if (!cell.diff_text.empty()) s += " (" + cell.diff_text + ")";
  return marked(s, cell.differs, cell.placeholder);
}

std::string stat_text(const Comparison& c, std::size_t k, Value v) {
  const auto& r = output_rule(c, k);
  return text_value(*c.policies[0], r.type, v);
}

// The values drawn in the chart: the population totals, else the first case's values.
std::vector<std::optional<Value>> chart_values(const Comparison& c) {
  std::vector<std::optional<Value>> v(c.policies.size());
  const std::size_t k = c.population ? c.population->rank_output : c.chart_output;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (c.population) v[i] = c.population->files[i].outputs[k].total;
    else if (!c.cases.empty() && c.cases[0].rows[k].cells[i].ok) v[i] = c.cases[0].rows[k].cells[i].value;
  }
  return v;
}

std::string chart_svg(const Comparison& c) {
  if (c.cases.empty() && !c.population) return "";
  const std::size_t k = c.population ? c.population->rank_output : c.chart_output;
  const auto& rule = output_rule(c, k);
  if (!rule.type.is_number()) return "";
  auto vals = chart_values(c);
  auto to_d = [](Value v) { return std::stod(v.to_string()); };
  double mx = 0;
  int left = 60;
  for (std::size_t i = 0; i < vals.size(); ++i) {
    if (vals[i]) mx = std::max(mx, to_d(*vals[i]));
    left = std::max(left, text_width(c.policies[i]->header.title, 12) + 16);
  }
  const int row = 22, w = std::max(760, left + 360), h = row * static_cast<int>(vals.size()) + 34;
  const std::string title = textf(c.population ? Msg::CompareChartTotal : Msg::CompareChart, rule.label);
  Svg svg({{"width", w}, {"height", h}, {"viewBox", fmt::format("0 0 {} {}", w, h)}, {"font-family", kSvgFonts},
           {"font-size", "12"}, {"role", "img"}, {"aria-label", title}});
  svg.text("text", {{"x", 4}, {"y", 16}, {"font-weight", "bold"}}, title).newline();
  for (std::size_t i = 0; i < vals.size(); ++i) {
    const int y = 26 + row * static_cast<int>(i);
    svg.text("text", {{"x", left - 6}, {"y", y + 14}, {"text-anchor", "end"}}, c.policies[i]->header.title);
    if (!vals[i]) {
      svg.text("text", {{"x", left + 4}, {"y", y + 14}}, text(Msg::CompareCannot)).newline();
      continue;
    }
    const double d = to_d(*vals[i]);
    const int bw = mx > 0 ? static_cast<int>(static_cast<double>(w - left - 120) * std::max(0.0, d) / mx) : 0;
    svg.titled("rect", {{"x", left}, {"y", y + 2}, {"width", bw}, {"height", "16"}, {"fill", i == 0 ? "#888888" : "#4a7bb7"}},
               text_value(*c.policies[i], rule.type, *vals[i]))
        .text("text", {{"x", left + bw + 4}, {"y", y + 14}}, text_value(*c.policies[i], rule.type, *vals[i]))
        .newline();
  }
  return svg.finish();
}

void render_document(const Comparison& c, Document& r, const Provenance& prov) {
  r.begin(textf(Msg::CompareTitle, c.policies.size()));
  std::vector<std::string> files;
  for (std::size_t i = 0; i < c.policies.size(); ++i)
    files.push_back(textf(i == 0 ? Msg::CompareBaseFile : Msg::CompareOtherFile, c.policies[i]->header.name,
                          c.policies[i]->header.title, c.paths[i]));
  r.h2(std::string(text(Msg::CompareFiles)));
  r.list(files);
  r.h2(textf(Msg::CompareParams, c.at ? format_date(*c.at) : std::string(text(Msg::CompareAllDates))));
  r.para(std::string(text(Msg::CompareMarks)));
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : c.matrix) {
    std::vector<std::string> row{m.name + " " + m.label};
    for (std::size_t i = 0; i < m.cells.size(); ++i) row.push_back(marked(m.cells[i].text, i > 0 && m.cells[i].differs, m.cells[i].placeholder));
    rows.push_back(std::move(row));
  }
  r.grid(file_heads(c, text(Msg::CompareParamHead).data()), rows, {"name"});
  for (const auto& cs : c.cases) {
    r.h2(textf(Msg::CompareCaseHead, cs.path));
    rows.clear();
    for (const auto& row : cs.rows) {
      std::vector<std::string> out{row.name + " " + row.label};
      for (std::size_t i = 0; i < row.cells.size(); ++i) out.push_back(cell_text(row.cells[i], cs.errors[i]));
      rows.push_back(std::move(out));
    }
    r.grid(file_heads(c, text(Msg::CompareOutputHead).data()), rows, {"name"});
    std::vector<std::string> errs;
    for (std::size_t i = 0; i < cs.errors.size(); ++i)
      if (!cs.errors[i].empty()) errs.push_back(c.policies[i]->header.name + text(Msg::Colon).data() + cs.errors[i]);
    r.list(errs);
  }
  if (const auto& mp = c.population) {
    r.h2(textf(Msg::ComparePopulation, with_commas(mp->cases), with_commas(mp->counted), mp->readers));
    std::vector<std::string> same;
    for (std::size_t k = 0; k < c.outputs.size(); ++k) {
      const auto& rule = output_rule(c, k);
      bool any = false;
      for (std::size_t i = 1; i < mp->files.size(); ++i) any = any || mp->files[i].outputs[k].changed > 0;
      if (!any) {
        same.push_back(rule.name);
        continue;
      }
      r.para(fmt::format("{} {}", rule.name, rule.label));
      rows.clear();
      for (std::size_t i = 0; i < mp->files.size(); ++i) {
        const auto& s = mp->files[i].outputs[k];
        std::vector<std::string> row{c.policies[i]->header.name, s.numeric && !s.rate ? stat_text(c, k, s.total) : "—",
                                     i == 0 ? "—" : with_commas(s.changed)};
        if (s.numeric)
          for (const Value* v : {&s.change_total, &s.median, &s.largest})
            row.push_back(i == 0 || !s.changed || (s.rate && v == &s.change_total) ? "—" : stat_text(c, k, *v));
        rows.push_back(std::move(row));
      }
      std::vector<std::string> head{std::string(text(Msg::CompareFileHead)), std::string(text(Msg::CompareTotalHead)),
                                    std::string(text(Msg::CompareChangedHead))};
      if (mp->files[0].outputs[k].numeric)
        for (Msg m : {Msg::CompareChangeTotalHead, Msg::CompareMedianHead, Msg::CompareLargestHead}) head.emplace_back(text(m));
      r.grid(head, rows, {"name", "num", "num", "num", "num", "num"});
    }
    if (!same.empty()) r.para(textf(Msg::CompareSameOutputs, fmt::join(same, text(Msg::ListSep))));
    const auto& rank_rule = output_rule(c, mp->rank_output);
    if (rank_rule.type.is_number() && !rank_rule.type.percent) {
    r.h2(textf(Msg::CompareRanking, rank_rule.name, rank_rule.label));
    std::vector<std::string> ranked;
    for (std::size_t n = 0; n < mp->ranking.size(); ++n) {
      std::size_t i = mp->ranking[n];
      ranked.push_back(textf(Msg::CompareRankLine, n + 1, c.policies[i]->header.name, c.policies[i]->header.title,
                             stat_text(c, mp->rank_output, mp->files[i].outputs[mp->rank_output].total)));
    }
    r.list(ranked);
    }
    std::vector<std::string> errs;
    for (std::size_t i = 0; i < mp->files.size(); ++i)
      if (mp->files[i].errors) errs.push_back(textf(Msg::CompareErrorCount, c.policies[i]->header.name, with_commas(mp->files[i].errors)));
    for (const auto& e : mp->error_examples) errs.push_back(e);
    if (!errs.empty()) {
      r.h2(std::string(text(Msg::CompareErrorsHead)));
      r.list(errs);
    }
  }
  if (r.html()) {
    std::string svg = chart_svg(c);
    if (!svg.empty()) r.out += "<figure>\n" + svg + "</figure>\n";
  }
  r.provenance(prov, diff_date_line(c.at));
  r.end();
}

void json_value(JsonWriter& w, const checked::Policy& p, const dsl::Type& t, const std::optional<Value>& v) {
  if (v) w.value(p, t, *v);
  else w.null();
}

std::string render_json(const Comparison& c, const Provenance& prov) {
  std::string out;
  JsonWriter w(out, true);
  const auto& base = *c.policies[0];
  w.begin_object();
  w.key("files").begin_array();
  for (std::size_t i = 0; i < c.policies.size(); ++i)
    w.begin_object().field("name", c.policies[i]->header.name).field("title", c.policies[i]->header.title)
        .field("path", c.paths[i]).field("base", i == 0).end_object();
  w.end_array();
  w.key("at");
  if (c.at) w.string(format_date(*c.at));
  else w.null();
  w.key("parameters").begin_array();
  for (const auto& m : c.matrix) {
    w.begin_object().field("name", m.name).field("label", m.label).key("cells").begin_array();
    for (std::size_t i = 0; i < m.cells.size(); ++i) {
      const auto& cell = m.cells[i];
      w.begin_object().field("present", cell.present).field("text", cell.text).field("differs", i > 0 && cell.differs)
          .field("placeholder", cell.placeholder).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.key("cases").begin_array();
  for (const auto& cs : c.cases) {
    w.begin_object().field("case", cs.path).key("errors").begin_array();
    for (const auto& e : cs.errors) w.string_or_null(e);
    w.end_array().key("outputs").begin_array();
    for (std::size_t k = 0; k < cs.rows.size(); ++k) {
      const auto& row = cs.rows[k];
      const auto& t = output_rule(c, k).type;
      w.begin_object().field("name", row.name).field("label", row.label).key("cells").begin_array();
      for (const auto& cell : row.cells) {
        w.begin_object().key("value");
        json_value(w, base, t, cell.value);
        w.key("diff");
        json_value(w, base, t, cell.diff);
        w.field("differs", cell.differs).field("placeholder", cell.placeholder).end_object();
      }
      w.end_array().end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.key("population");
  if (const auto& mp = c.population) {
    w.begin_object().field("cases", mp->cases).field("computed_by_all", mp->counted).key("files").begin_array();
    for (std::size_t i = 0; i < mp->files.size(); ++i) {
      w.begin_object().field("name", c.policies[i]->header.name).field("errors", mp->files[i].errors).key("outputs").begin_array();
      for (std::size_t k = 0; k < c.outputs.size(); ++k) {
        const auto& s = mp->files[i].outputs[k];
        const auto& t = output_rule(c, k).type;
        w.begin_object().field("name", output_rule(c, k).name).field("changed", s.changed);
        if (s.numeric) {
          w.key("total");
          if (s.rate) w.null();
          else w.value(base, t, s.total);
          for (auto [key, v] : {std::pair{"change_total", s.change_total}, {"median_change", s.median}, {"largest_change", s.largest}}) {
            w.key(key);
            if (i == 0 || !s.changed || (s.rate && std::string_view(key) == "change_total")) w.null();
            else w.value(base, t, v);
          }
        }
        w.end_object();
      }
      w.end_array().end_object();
    }
    const auto& rank_type = output_rule(c, mp->rank_output).type;
    const bool ranked = rank_type.is_number() && !rank_type.percent;
    w.end_array().key("ranked_by").string_or_null(ranked ? output_rule(c, mp->rank_output).name : "").key("ranking").begin_array();
    if (ranked)
      for (auto i : mp->ranking) w.string(c.policies[i]->header.name);
    w.end_array().key("error_examples").strings(mp->error_examples).end_object();
  } else {
    w.null();
  }
  provenance_json(prov, c.at, w);
  w.end_object();
  out += "\n";
  return out;
}

// One line per cell: section, row, label, file, value, differs, placeholder, diff.
std::string render_csv(const Comparison& c) {
  std::string out = "section,name,label,file,value,differs,placeholder,diff\n";
  auto line = [&](const std::string& section, const std::string& name, const std::string& label, std::size_t file,
                  const std::string& value, bool differs, bool placeholder, const std::string& diff) {
    out += fmt::format("{},{},{},{},{},{},{},{}\n", csv_cell(section), csv_cell(name), csv_cell(label),
                       csv_cell(c.policies[file]->header.name), csv_cell(value), differs ? "true" : "false",
                       placeholder ? "true" : "false", csv_cell(diff));
  };
  for (const auto& m : c.matrix)
    for (std::size_t i = 0; i < m.cells.size(); ++i)
      line("parameter", m.name, m.label, i, m.cells[i].text, i > 0 && m.cells[i].differs, m.cells[i].placeholder, "");
  for (const auto& cs : c.cases)
    for (std::size_t k = 0; k < cs.rows.size(); ++k)
      for (std::size_t i = 0; i < cs.rows[k].cells.size(); ++i) {
        const auto& cell = cs.rows[k].cells[i];
        const auto& t = c.policies[i]->rules[c.rules[i][k]].type;
        line("case:" + cs.path, cs.rows[k].name, cs.rows[k].label, i, cell.ok ? plain_value(*c.policies[i], t, *cell.value) : "",
             cell.differs, cell.placeholder, cell.diff ? plain_value(*c.policies[i], t, *cell.diff) : "");
      }
  if (const auto& mp = c.population)
    for (std::size_t i = 0; i < mp->files.size(); ++i)
      for (std::size_t k = 0; k < c.outputs.size(); ++k) {
        const auto& s = mp->files[i].outputs[k];
        const auto& rule = output_rule(c, k);
        const auto num = [&](Value v) { return plain_value(*c.policies[0], rule.type, v); };
        line("population:total", rule.name, rule.label, i, s.numeric && !s.rate ? num(s.total) : "", s.changed > 0, false,
             s.numeric && !s.rate && i > 0 && s.changed ? num(s.change_total) : "");
        line("population:changed", rule.name, rule.label, i, std::to_string(s.changed), s.changed > 0, false, "");
        if (s.numeric && i > 0 && s.changed) {
          line("population:median_change", rule.name, rule.label, i, num(s.median), true, false, "");
          line("population:largest_change", rule.name, rule.label, i, num(s.largest), true, false, "");
        }
      }
  return out;
}

}  // namespace

std::string render_comparison(const Comparison& c, const std::string& format, const Provenance& prov) {
  if (format == "json") return render_json(c, prov);
  if (format == "csv") return render_csv(c);
  Document r{format, {}};
  render_document(c, r, prov);
  return r.out;
}

}  // namespace pol::interp
