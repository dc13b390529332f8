// `pol sweep`: evaluates one or more policies while one input or parameter varies over a
// range, and writes the table (CSV) and a line chart (SVG, sweep_chart.cpp).
#include "compare/sweep.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/files.hpp"
#include "base/messages.hpp"
#include "cases/case.hpp"
#include "check/checker.hpp"
#include "compare/compare.hpp"
#include "compare/index.hpp"
#include "compare/sweep_range.hpp"
#include "report/escape.hpp"
#include "report/json_out.hpp"
#include "report/provenance.hpp"

namespace pol::interp {

std::string SweepSeries::column() const {
  return case_label.empty() ? fmt::format("{}:{}", policy, output) : fmt::format("{}@{}:{}", policy, case_label, output);
}

std::string sweep_cell(const checked::Policy& p, const dsl::Type& t, Value v) {
  std::string out;
  append_json_value(out, p, t, v);
  if (!out.empty() && out.front() == '"') out = out.substr(1, out.size() - 2);
  return out;
}

std::string unit_suffix(const std::string& label, const dsl::Type& t) {
  if (!t.is_number()) return "";
  // Labels are the policy's own words, in Chinese: "（%）" or "（元" in one names the unit.
  if (t.percent)
    return label.find('%') != std::string::npos || label.find("（%）") != std::string::npos
               ? ""
               : dsl::textf(dsl::Msg::Parenthesized, "%");
  const char* u = dsl::unit_label_zh(t.unit);
  if (!*u || label.find(fmt::format("（{}", u)) != std::string::npos) return "";
  return dsl::textf(dsl::Msg::Parenthesized, u);
}

namespace {

// How a case is named when several are drawn: its id, else its file name without the extension.
std::string case_label_of(const std::string& path, const Case& c) {
  if (!c.id_text.empty()) return c.id_text;
  std::string f = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  if (auto dot = f.rfind('.'); dot != std::string::npos && dot > 0) f = f.substr(0, dot);
  return f;
}

using Policies = std::vector<std::unique_ptr<checked::Policy>>;

// Every --set must name a parameter of at least one of the policies.
void check_sets(const Policies& pols, const std::vector<std::string>& sets) {
  for (const auto& st : sets) {
    auto e = st.find('=');
    if (e == std::string::npos) throw CompareUsageError{dsl::textf(dsl::Msg::SetForm, st)};
    std::string pname = st.substr(0, e);
    bool known = false;
    std::vector<std::string> all, pnames;
    for (const auto& p : pols) {
      known = known || p->find_param(pname) >= 0;
      pnames.push_back(p->header.name);
      for (const auto& pa : p->params) all.push_back(pa.name);
    }
    if (known) continue;
    std::string msg = pols.size() == 1
                          ? dsl::textf(dsl::Msg::SetNoParam, st, pnames[0], pname)
                          : dsl::textf(dsl::Msg::SetNoneHasParam, st, dsl::joined(pnames), pname);
    if (auto m = dsl::did_you_mean(pname, all)) msg += dsl::textf(dsl::Msg::DidYouMean, "", *m);
    throw CompareUsageError{msg};
  }
}

// The --set values that name parameters of `p`.
std::vector<ParamSetting> sets_for(const checked::Policy& p, const std::vector<std::string>& sets) {
  std::vector<ParamSetting> out;
  for (const auto& s : sets) {
    auto e = s.find('=');
    int slot = e == std::string::npos ? -1 : p.find_param(s.substr(0, e));
    if (slot < 0) continue;  // a --set for another of the policies
    std::string why;
    auto v = dsl::parse_value(p, p.params[slot].type, s.substr(e + 1), why);
    if (!v) throw CompareUsageError{dsl::textf(dsl::Msg::SetBadValue, s, p.params[slot].name, p.params[slot].label, why)};
    out.push_back({static_cast<std::uint32_t>(slot), *v});
  }
  return out;
}

// Outputs: the named ones, or the numeric outputs every policy has.
std::vector<std::string> outputs_to_chart(const Policies& pols, const std::vector<std::string>& named) {
  if (!named.empty()) return named;
  std::vector<std::string> outs;
  std::vector<NameIndex> rules;
  for (const auto& p : pols) rules.emplace_back(p->rules);
  for (const auto& r : pols[0]->rules) {
    if (!r.is_output || !r.type.is_number()) continue;
    bool all = true;
    for (const auto& index : rules) all = all && index.find(r.name) >= 0;
    if (all) outs.push_back(r.name);
  }
  return outs;
}

// A case file of --case: one JSON object, at most kCaseFileLimit bytes, an ordinary file.
constexpr std::size_t kCaseFileLimit = 4u << 20;

Case read_case(JsonCaseReader& reader, const std::string& case_path) {
  dsl::InputFile in;
  std::string error;
  if (!dsl::read_input_file(case_path, kCaseFileLimit, dsl::text(dsl::Msg::WhatCaseFile).data(), in, error)) throw CompareUsageError{dsl::textf(dsl::Msg::CaseOption, error)};
  if (in.size > kCaseFileLimit)
    throw CompareUsageError{dsl::textf(dsl::Msg::CaseTooLarge, case_path, in.size,
                                        kCaseFileLimit)};
  std::string text = std::move(in.text);
  text.erase(0, dsl::bom_size(text));
  std::size_t n = text.size();
  text.append(JsonCaseReader::kPadding, ' ');
  Case base;
  CaseError err;
  if (!reader.read(std::string_view(text.data(), n), text.size(), base, err))
    throw CompareUsageError{fmt::format("{}: {}", case_path, err.message)};
  return base;
}

// --case [LABEL=]PATH: the label that names the case in the table and the legend, and the path.
std::pair<std::string, std::string> split_case_arg(const std::string& arg) {
  if (auto eq = arg.find('='); eq != std::string::npos && arg.find('/') > eq) return {arg.substr(0, eq), arg.substr(eq + 1)};
  return {std::string(), arg};
}

// The files a sweep reads, which no output may overwrite: the rule files, the files they
// extend, and the case files.
std::vector<std::string> input_paths(const Policies& pols, const SweepArgs& args) {
  std::vector<std::string> paths = args.policies;
  for (const auto& p : pols)
    for (const auto& f : p->files) paths.push_back(f->name());
  for (const auto& c : args.case_paths) paths.push_back(split_case_arg(c).second);
  return paths;
}

// The sweep: every policy, every case, every x.
class Sweep {
public:
  Sweep(const SweepArgs& args, const SweepRange& vary, std::optional<int> at, std::vector<std::string> outs)
      : args_(args), vary_(vary), at_(at), outs_(std::move(outs)), row_errors_(vary.xs.size()) {}

  void policy(const checked::Policy& p) {
    if (!first_policy_) first_policy_ = &p;
    policies_.push_back(&p);
    int in = -1, pa = -1;
    Value factor = Value::from_int(1);
    for (const auto& [nm, fac] : vary_.names) {
      in = p.find_input(nm);
      pa = p.find_param(nm);
      factor = fac;
      if (in >= 0 || pa >= 0) break;
    }
    if (in < 0 && pa < 0)
      throw CompareUsageError{dsl::textf(dsl::Msg::VaryNoName, p.header.name, vary_.names_text())};
    const dsl::Type& xt = in >= 0 ? p.inputs[in].type : p.params[pa].type;
    vary_.check_axis(p.header.name, in >= 0 ? p.inputs[in].name : p.params[pa].name,
                     in >= 0 ? p.inputs[in].label : p.params[pa].label, xt, factor);
    if (xlabel_.empty() || (factor == Value::from_int(1) && !x_from_first_)) {
      std::string lab = in >= 0 ? p.inputs[in].label : p.params[pa].label;
      xlabel_ = lab + unit_suffix(lab, xt);
      x_percent_ = xt.percent;
      x_from_first_ = factor == Value::from_int(1);
    }
    Axis axis{in, pa, factor, sets_for(p, args_.sets)};
    CaseSchema schema(p);
    JsonCaseReader reader(schema);
    reader.ignore_unknown(true);
    const NameIndex rule_index(p.rules);
    for (const auto& case_arg : args_.case_paths) one_case(p, axis, reader, rule_index, case_arg);
  }

  [[nodiscard]] std::string csv() const {
    std::string csv = csv_cell(vary_.name());
    auto cell = [&csv](const std::string& text) {
      csv += ',';
      csv += csv_cell(text);
    };
    for (const auto& se : series_) cell(se.column());
    csv += ",error\n";
    for (std::size_t i = 0; i < vary_.xs.size(); ++i) {
      csv += vary_.xs[i].to_string();
      for (const auto& se : series_) cell(se.ys[i] ? sweep_cell(*se.p, se.type, *se.ys[i]) : std::string());
      cell(row_errors_[i]);
      csv += '\n';
    }
    return csv;
  }

  // What the chart and the page say around the data; the legend of each series.
  [[nodiscard]] SweepPage page(const Provenance& prov) {
    SweepPage pg;
    std::vector<std::string> outs, titles;
    for (auto& se : series_) {
      if (std::find(outs.begin(), outs.end(), se.label) == outs.end()) outs.push_back(se.label);
      std::vector<std::string> parts;
      if (policies_.size() > 1) parts.push_back(se.p->header.title);
      if (!se.case_label.empty()) parts.push_back(se.case_label);
      parts.push_back(se.label);
      se.legend = fmt::format("{}", fmt::join(parts, " · "));
    }
    for (const auto* p : policies_) titles.push_back(p->header.title);
    auto sep = dsl::text(dsl::Msg::ListSep);
    pg.title = dsl::textf(dsl::Msg::SweepTitle, fmt::join(outs, sep), xlabel_);
    pg.heading = dsl::textf(dsl::Msg::SweepHeading, fmt::join(titles, sep), fmt::join(outs, sep), xlabel_);
    pg.xlabel = xlabel_;
    pg.x_percent = x_percent_;
    std::string date_line = fmt::format("{}", fmt::join(dates_, dsl::text(dsl::Msg::Semicolon)));
    pg.caption.push_back(date_line);
    for (const auto& c : case_facts_) pg.caption.push_back(c);
    auto x_text = [&](Value v) { return x_percent_ ? (v * Value::from_int(100)).to_string() + "%" : v.to_string(); };
    pg.caption.push_back(dsl::textf(dsl::Msg::SweepVaried, xlabel_, x_text(vary_.xs.front()), x_text(vary_.xs.back()),
                                    vary_.xs.size()));
    pg.provenance = provenance_lines(prov, date_line);
    return pg;
  }
  [[nodiscard]] const std::vector<Value>& xs() const { return vary_.xs; }
  [[nodiscard]] const std::vector<SweepSeries>& series() const { return series_; }
  [[nodiscard]] std::size_t failed_points() const { return failed_points_; }

private:
  // What varies in one policy: an input (slot `in`) or a parameter (slot `pa`), times `factor`.
  struct Axis {
    int in, pa;
    Value factor;
    std::vector<ParamSetting> sets;
  };

  void one_case(const checked::Policy& p, const Axis& axis, JsonCaseReader& reader, const NameIndex& rule_index,
                const std::string& case_arg) {
    auto [given_label, case_path] = split_case_arg(case_arg);
    Case base = read_case(reader, case_path);
    if (&p == first_policy_) note_case(p, axis, base, given_label.empty() && args_.case_paths.size() > 1
                                                          ? case_label_of(case_path, base) : given_label);
    std::vector<std::uint32_t> rules;
    for (const auto& o : outs_) {
      int r = rule_index.find(o);
      if (r < 0) throw CompareUsageError{dsl::textf(dsl::Msg::OutputNoOutput, o, p.header.name)};
      rules.push_back(static_cast<std::uint32_t>(r));
      series_.push_back({p.header.name, o, p.rules[r].label, p.rules[r].type, &p, {},
                         !given_label.empty()              ? given_label
                         : args_.case_paths.size() > 1 ? case_label_of(case_path, base)
                                                           : std::string(),
                         {}});
    }
    std::size_t first = series_.size() - rules.size();
    std::optional<int> date = base.as_of ? base.as_of : at_;
    std::unique_ptr<Program> fixed;
    if (axis.in >= 0) fixed = std::make_unique<Program>(p, date, axis.sets);
    for (std::size_t xi = 0; xi < vary_.xs.size(); ++xi) {
      Value x = vary_.xs[xi];
      Outcome out;
      std::string error = evaluate_point(p, axis, base, date, fixed.get(), x, rules, out);
      if (!error.empty()) {
        // A point that cannot be evaluated is reported, on standard error and in the table.
        std::string col = series_[first].column();
        std::string msg = fmt::format("{}: {}", col.substr(0, col.rfind(':')), error);
        dsl::print_stderr(dsl::textf(dsl::Msg::SweepPointFailed, vary_.name(), x.to_string(), msg) + "\n");
        row_errors_[xi] += (row_errors_[xi].empty() ? "" : "; ") + msg;
        ++failed_points_;
      }
      for (std::size_t k = 0; k < rules.size(); ++k)
        series_[first + k].ys.push_back(error.empty() ? std::optional<Value>(out.outputs[k].second) : std::nullopt);
    }
  }

  // One point: the case (or the parameter) at x times the axis's factor; the error, or "".
  static std::string evaluate_point(const checked::Policy& p, const Axis& axis, const Case& base, std::optional<int> date,
                                    const Program* fixed, Value x, const std::vector<std::uint32_t>& rules, Outcome& out) {
    Value xv;
    try {
      xv = x * axis.factor;
    } catch (const DecimalOverflow&) {
      return dsl::textf(dsl::Msg::SweepFactorOverflow, x.to_string(), axis.factor.to_string());
    }
    Case c = base;
    std::unique_ptr<Program> own;
    if (axis.in >= 0) {
      c.values[axis.in] = xv;
      c.state[axis.in] = InputState::Given;
    } else {
      auto s2 = axis.sets;
      std::erase_if(s2, [&](const ParamSetting& ps) { return ps.slot == static_cast<std::uint32_t>(axis.pa); });
      s2.push_back({static_cast<std::uint32_t>(axis.pa), xv});
      own = std::make_unique<Program>(p, date, s2);
      fixed = own.get();
    }
    Evaluator ev(*fixed);
    if (auto bad = ev.validate(c)) out.error = *bad;
    else ev.evaluate(c, rules, out);
    return out.error ? out.error->message : std::string();
  }

  // The caption's facts of a case (read by the first policy): the decision date and where it
  // came from, and the inputs given, the one that varies left out.
  void note_case(const checked::Policy& p, const Axis& axis, const Case& base, const std::string& label) {
    std::optional<int> date = base.as_of ? base.as_of : at_;
    std::string d = date ? dsl::textf(dsl::Msg::DecisionDate, format_date(*date),
                                      dsl::text(base.as_of ? dsl::Msg::DateFromCase : dsl::Msg::DateFromAt))
                         : std::string(dsl::text(dsl::Msg::NoDecisionDate));
    if (std::find(dates_.begin(), dates_.end(), d) == dates_.end()) dates_.push_back(d);
    std::vector<std::string> facts;
    for (std::uint32_t i = 0; i < p.inputs.size(); ++i) {
      if (base.state[i] != InputState::Given || static_cast<int>(i) == axis.in) continue;
      facts.push_back(fmt::format("{} {}", p.inputs[i].label, text_value(p, p.inputs[i].type, base.values[i])));
    }
    case_facts_.push_back(dsl::textf(dsl::Msg::SweepCaseFacts, label.empty() ? "" : " " + label,
                                     fmt::join(facts, dsl::text(dsl::Msg::Semicolon))));
  }

  const SweepArgs& args_;
  const SweepRange& vary_;
  const checked::Policy* first_policy_ = nullptr;
  std::vector<const checked::Policy*> policies_;
  std::vector<std::string> dates_, case_facts_;
  std::optional<int> at_;
  std::vector<std::string> outs_;
  std::string xlabel_;
  bool x_percent_ = false, x_from_first_ = false;
  std::vector<SweepSeries> series_;
  std::vector<std::string> row_errors_;
  std::size_t failed_points_ = 0;
};

}  // namespace

int run_sweep(const SweepArgs& args) {
  Policies pols;
  for (const auto& path : args.policies) {
    auto policy = load_policy(path);
    if (!policy) return 1;
    pols.push_back(std::make_unique<checked::Policy>(std::move(*policy)));
  }
  SweepRange vary(args.vary);
  check_sets(pols, args.sets);
  {  // --reading: each policy that has the ambiguity swept under that reading
    std::vector<const checked::Policy*> ps;
    for (const auto& p : pols) ps.push_back(p.get());
    std::string error;
    auto readings = reading_settings_for_each(ps, args.readings, error);
    if (!readings) throw CompareUsageError{error};
    for (std::size_t i = 0; i < pols.size(); ++i) take_readings(*pols[i], (*readings)[i]);
  }
  std::optional<int> at = parse_at_date(args.at);
  // The outputs are opened (and refused when one is an input) before anything is evaluated;
  // each is written whole to a temporary file and renamed into place (docs/limits.md).
  const std::string csv_path = args.csv.empty() ? "-" : args.csv;
  if (csv_path == "-" && args.svg == "-") throw CompareUsageError{std::string(dsl::text(dsl::Msg::SvgNeedsCsv))};
  if (!args.svg.empty() && csv_path == args.svg) throw CompareUsageError{dsl::textf(dsl::Msg::CsvSvgSame, csv_path)};
  const auto inputs = input_paths(pols, args);
  if (!args.html.empty() && (args.html == csv_path || args.html == args.svg))
    throw CompareUsageError{dsl::textf(dsl::Msg::CmpHtmlSame, args.html)};
  if (csv_path == "-" && args.html == "-") throw CompareUsageError{dsl::textf(dsl::Msg::CmpHtmlNeedsCsv)};
  dsl::OutputFile csv_out, svg_out, html_out;
  std::string error;
  auto generated = generated_at(error);
  if (!generated) throw CompareUsageError{error};
  if (!csv_out.open(csv_path, inputs, error)) throw CompareUsageError{dsl::textf(dsl::Msg::CsvOption, error)};
  if (!args.svg.empty() && !svg_out.open(args.svg, inputs, error)) throw CompareUsageError{dsl::textf(dsl::Msg::SvgOption, error)};
  if (!args.html.empty() && !html_out.open(args.html, inputs, error)) throw CompareUsageError{dsl::textf(dsl::Msg::HtmlOption, error)};
  Sweep sweep(args, vary, at, outputs_to_chart(pols, args.outputs));
  for (const auto& p : pols) sweep.policy(*p);
  if (sweep.failed_points())
    dsl::print_stderr(dsl::textf(dsl::Msg::SweepFailedCount, sweep.failed_points(),
                                vary.xs.size() * pols.size() * args.case_paths.size()) +
                     "\n");
  csv_out.write(sweep.csv());
  std::vector<const checked::Policy*> ps;
  for (const auto& p : pols) ps.push_back(p.get());
  SweepPage page = sweep.page(make_provenance(ps, *generated));
  if (!args.svg.empty()) svg_out.write(sweep_svg(page, sweep.xs(), sweep.series(), true));
  if (!args.html.empty()) html_out.write(sweep_html(page, sweep.xs(), sweep.series()));
  if (!csv_out.commit(error) || (!args.svg.empty() && !svg_out.commit(error)) || (!args.html.empty() && !html_out.commit(error)))
    throw CompareUsageError{error};
  return 0;
}

}  // namespace pol::interp
