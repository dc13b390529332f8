// `pol sweep`: evaluates one or more policies while one input or parameter varies over a
// range, and writes the table (CSV) and a line chart (SVG). Values are exact decimals; only
// the chart's coordinates are converted to floating point, for drawing.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/calendar.hpp"
#include "cases/case.hpp"
#include "check/checker.hpp"
#include "compare/compare.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

namespace {

// A value as the CSV and the chart's data attributes write it: JSON's exact text, unquoted.
std::string cell(const checked::Policy& p, const dsl::Type& t, Value v) {
  std::string out;
  append_json_value(out, p, t, v);
  if (!out.empty() && out.front() == '"') out = out.substr(1, out.size() - 2);
  return out;
}

double to_double(Value v) { return static_cast<double>(v.coef()) / std::pow(10.0, v.scale()); }

std::string xml(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o.push_back(c);
  }
  return o;
}

// Tick positions: 1, 2 or 5 times a power of ten, about 6 of them.
std::vector<double> ticks(double lo, double hi) {
  if (hi <= lo) hi = lo + 1;
  double raw = (hi - lo) / 6;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) {
      step = m * mag;
      break;
    }
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

std::string tick_label(double v) {
  std::string s = fmt::format("{:.6f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

struct Series {
  std::string policy, output, label;
  dsl::Type type;
  const checked::Policy* p;
  std::vector<std::optional<Value>> ys;
  std::string case_label;  // with several --case: the case's id (or its file name)
  // The column head of the CSV, and data-series in the chart.
  [[nodiscard]] std::string column() const {
    return case_label.empty() ? fmt::format("{}:{}", policy, output) : fmt::format("{}@{}:{}", policy, case_label, output);
  }
};

// The unit after an axis label, unless the label already names it ("月缴费额（元）").
std::string unit_suffix(const std::string& label, const dsl::Type& t) {
  if (!t.is_number()) return "";
  if (t.percent) return label.find('%') != std::string::npos || label.find("（%）") != std::string::npos ? "" : "（%）";
  const char* u = dsl::unit_label_zh(t.unit);
  if (!*u || label.find(fmt::format("（{}", u)) != std::string::npos) return "";
  return fmt::format("（{}）", u);
}

std::string axis_tick(double v, bool percent) { return percent ? tick_label(v * 100) + "%" : tick_label(v); }

std::string svg_chart(const std::string& xname, const std::string& xlabel, bool x_percent, const std::vector<Value>& xs,
                      const std::vector<Series>& series) {
  const int W = 960, H = 540, L = 90, R = 300, T = 60, B = 70;
  double xmin = to_double(xs.front()), xmax = to_double(xs.back());
  double ymin = 0, ymax = 0;
  bool first = true;
  for (const auto& s : series)
    for (const auto& y : s.ys)
      if (y) {
        double v = to_double(*y);
        if (first) ymin = ymax = v, first = false;
        ymin = std::min(ymin, v);
        ymax = std::max(ymax, v);
      }
  if (ymin > 0) ymin = 0;
  if (ymax <= ymin) ymax = ymin + 1;
  auto yt = ticks(ymin, ymax);
  ymax = std::max(ymax, yt.back());
  auto X = [&](double x) { return L + (W - L - R) * (xmax > xmin ? (x - xmin) / (xmax - xmin) : 0.5); };
  auto Y = [&](double y) { return H - B - (H - T - B) * (y - ymin) / (ymax - ymin); };
  std::string s = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" font-family=\"Noto Sans CJK SC, Microsoft YaHei, sans-serif\" font-size=\"12\">\n"
      "<rect width=\"{}\" height=\"{}\" fill=\"white\"/>\n",
      W, H, W, H, W, H);
  // Axes, ticks and grid.
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n", L, H - B, W - R, H - B);
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n", L, T, L, H - B);
  for (double t : ticks(xmin, xmax)) {
    double x = X(t);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"black\"/>\n", x, H - B, x, H - B + 5);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x, H - B + 18, axis_tick(t, x_percent));
  }
  bool y_percent = !series.empty() && series.front().type.percent;
  for (double t : yt) {
    double y = Y(t);
    s += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>\n", L, y, W - R, y);
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", L - 6, y + 4, axis_tick(t, y_percent));
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", (L + W - R) / 2, H - 25,
                   xml(fmt::format("{} {}", xname, xlabel)));
  // The y axis names every output drawn (once each).
  std::string ylab;
  std::vector<std::string> seen_outputs;
  for (const auto& se : series) {
    if (std::find(seen_outputs.begin(), seen_outputs.end(), se.output) != seen_outputs.end()) continue;
    seen_outputs.push_back(se.output);
    ylab += (ylab.empty() ? "" : " / ") + se.label + unit_suffix(se.label, se.type);
  }
  s += fmt::format("<text x=\"20\" y=\"28\" font-size=\"15\">{}</text>\n", xml(fmt::format("{} 随 {} 变化", series.empty() ? "" : series.front().label, xlabel)));
  bool several_outputs = false;
  for (const auto& se : series) several_outputs = several_outputs || se.output != series.front().output;
  s += fmt::format("<text transform=\"translate(20,{}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n", (T + H - B) / 2,
                   xml(ylab));
  static const char* colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& se = series[k];
    const char* col = colors[k % 8];
    // A jump much larger than the typical step between neighbours is drawn as a step.
    std::vector<double> d;
    for (std::size_t i = 1; i < xs.size(); ++i)
      if (se.ys[i] && se.ys[i - 1]) d.push_back(std::abs(to_double(*se.ys[i]) - to_double(*se.ys[i - 1])));
    std::vector<double> sorted = d;
    std::sort(sorted.begin(), sorted.end());
    double typical = sorted.empty() ? 0 : sorted[sorted.size() / 2];
    bool discrete = se.type.base != dsl::Base::Number;
    std::string path;
    bool pen = false;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (!se.ys[i]) {
        pen = false;
        continue;
      }
      double x = X(to_double(xs[i])), y = Y(to_double(*se.ys[i]));
      if (!pen) {
        path += fmt::format("M{:.2f},{:.2f} ", x, y);
        pen = true;
        continue;
      }
      double prev = to_double(*se.ys[i - 1]);
      double jump = std::abs(to_double(*se.ys[i]) - prev);
      if (discrete || (jump > 0 && jump > 3 * typical)) path += fmt::format("H{:.2f} V{:.2f} ", x, y);
      else path += fmt::format("L{:.2f},{:.2f} ", x, y);
    }
    s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", path, col);
    for (std::size_t i = 0; i < xs.size(); ++i)
      if (se.ys[i])
        s += fmt::format(
            "<circle class=\"point\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"2\" fill=\"{}\" data-series=\"{}\" data-x=\"{}\" data-y=\"{}\"/>\n",
            X(to_double(xs[i])), Y(to_double(*se.ys[i])), col, xml(se.column()), xs[i].to_string(),
            cell(*se.p, se.type, *se.ys[i]));
    int ly = T + 10 + 20 * static_cast<int>(k);
    s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>\n", W - R + 15, ly,
                     W - R + 40, ly, col);
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", W - R + 46, ly + 4,
                     xml(fmt::format("{}{}{}", se.policy, se.case_label.empty() ? "" : " · " + se.case_label,
                                     several_outputs ? " · " + se.label : "")));
  }
  return s + "</svg>\n";
}

// How a case is named when several are drawn: its id, else its file name without the extension.
std::string case_label_of(const std::string& path, const Case& c) {
  if (!c.id_text.empty()) return c.id_text;
  std::string f = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  if (auto dot = f.rfind('.'); dot != std::string::npos && dot > 0) f = f.substr(0, dot);
  return f;
}

// A number of --vary: plain decimal, or a percentage ("6.5%") for a rate.
std::optional<Value> parse_number(std::string text, bool& percent) {
  if (!text.empty() && text.back() == '%') {
    percent = true;
    text.pop_back();
    auto v = Decimal::parse(text);
    if (!v) return std::nullopt;
    return *v / Value::from_int(100);
  }
  return Decimal::parse(text);
}

}  // namespace

void add_sweep_options(CLI::App* cmd, SweepArgs& a) {
  cmd->add_option("POLICY", a.policies, "one or more rule files")->required();
  cmd->add_option("--case", a.case_paths, "[LABEL=]CASE: the case (JSON) to vary; repeat to draw several cases")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--vary", a.vary, "NAME=FROM..TO[:STEP]: an input or parameter and its range")->required();
  cmd->add_option("--output", a.outputs, "the outputs to chart (default: the numeric outputs all policies share)")->take_all();
  cmd->add_option("--csv", a.csv, "write the table here (default: standard output)");
  cmd->add_option("--svg", a.svg, "write an SVG line chart here");
  cmd->add_option("--at", a.at, "the decision date YYYY-MM-DD");
  cmd->add_option("--set", a.sets, "override a parameter: NAME=VALUE")->take_all();
}

int run_sweep(const SweepArgs& args) {
  std::vector<std::unique_ptr<checked::Policy>> pols;
  for (const auto& path : args.policies) {
    auto policy = load_policy(path);
    if (!policy) return 1;
    pols.push_back(std::make_unique<checked::Policy>(std::move(*policy)));
  }
  // --vary NAME=FROM..TO[:STEP]
  auto eq = args.vary.find('='), dots = args.vary.find("..");
  if (eq == std::string::npos || dots == std::string::npos || dots < eq)
    throw CompareUsageError{fmt::format("--vary '{}': expected NAME=FROM..TO[:STEP]", args.vary)};
  // NAME[,NAME2*FACTOR]...: the x axis is the first name; a policy that lacks it uses the
  // first of the others it has, times its factor (avg_monthly_wage,local_avg_annual_wage*12).
  std::vector<std::pair<std::string, Value>> names;
  {
    std::string list = args.vary.substr(0, eq);
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t comma = list.find(',', start);
      std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      Value factor = Value::from_int(1);
      if (auto star = item.find('*'); star != std::string::npos) {
        auto f = Decimal::parse(item.substr(star + 1));
        if (!f) throw CompareUsageError{fmt::format("--vary '{}': '{}' is not a factor", args.vary, item.substr(star + 1))};
        factor = *f;
        item = item.substr(0, star);
      }
      names.emplace_back(item, factor);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  std::string name = names.front().first;
  std::string from_s = args.vary.substr(eq + 1, dots - eq - 1), rest = args.vary.substr(dots + 2), step_s;
  if (auto c = rest.find(':'); c != std::string::npos) {
    step_s = rest.substr(c + 1);
    rest = rest.substr(0, c);
  }
  bool percent = false;
  auto from = parse_number(from_s, percent), to = parse_number(rest, percent);
  if (!from || !to || *to < *from)
    throw CompareUsageError{fmt::format("--vary '{}': FROM and TO must be numbers (a rate may be written 6.5%) with FROM <= TO", args.vary)};
  std::optional<Value> step_v = step_s.empty() ? std::optional<Value>((*to - *from) / Value::from_int(50)) : parse_number(step_s, percent);
  if (!step_v) throw CompareUsageError{fmt::format("--vary '{}': STEP '{}' is not a number", args.vary, step_s)};
  Value step = *step_v;
  if (step <= Value() && *to > *from) throw CompareUsageError{fmt::format("--vary '{}': STEP must be positive", args.vary)};
  if (!step.is_zero() && (*to - *from) / step > Value::from_int(100000))
    throw CompareUsageError{fmt::format("--vary '{}': more than 100000 points; use a larger STEP", args.vary)};
  // Every --set must name a parameter of at least one of the policies.
  for (const auto& st : args.sets) {
    auto e = st.find('=');
    if (e == std::string::npos) throw CompareUsageError{fmt::format("--set '{}': expected NAME=VALUE", st)};
    std::string pname = st.substr(0, e);
    bool known = false;
    std::vector<std::string> all, pnames;
    for (const auto& p : pols) {
      known = known || p->find_param(pname) >= 0;
      pnames.push_back(p->header.name);
      for (const auto& pa : p->params) all.push_back(pa.name);
    }
    if (!known) {
      std::string msg = pols.size() == 1
                            ? fmt::format("--set {}: policy {} has no parameter '{}'", st, pnames[0], pname)
                            : fmt::format("--set {}: none of the policies ({}) has a parameter '{}'", st, fmt::join(pnames, ", "), pname);
      if (auto m = dsl::did_you_mean(pname, all)) msg += fmt::format("; did you mean '{}'?", *m);
      throw CompareUsageError{msg};
    }
  }
  std::vector<Value> xs;
  for (Value x = *from; x <= *to && xs.size() < 100000; x = x + (step.is_zero() ? Value::from_int(1) : step)) xs.push_back(x);
  std::optional<int> at;
  if (!args.at.empty()) {
    at = parse_date(args.at);
    if (!at) throw CompareUsageError{fmt::format("--at '{}': expected a date YYYY-MM-DD", args.at)};
  }
  // Outputs: the named ones, or the numeric outputs every policy has.
  std::vector<std::string> outs = args.outputs;
  if (outs.empty()) {
    for (const auto& r : pols[0]->rules) {
      if (!r.is_output || !r.type.is_number()) continue;
      bool all = true;
      for (const auto& p : pols) all = all && p->find_rule(r.name) >= 0;
      if (all) outs.push_back(r.name);
    }
  }
  std::string xlabel;
  bool x_percent = false, x_from_first = false;
  std::vector<Series> series;
  std::vector<std::string> row_errors(xs.size());
  std::size_t failed_points = 0;
  for (std::size_t pi = 0; pi < pols.size(); ++pi) {
    const auto& p = *pols[pi];
    int in = -1, pa = -1;
    Value factor = Value::from_int(1);
    for (const auto& [nm, fac] : names) {
      in = p.find_input(nm);
      pa = p.find_param(nm);
      factor = fac;
      if (in >= 0 || pa >= 0) break;
    }
    if (in < 0 && pa < 0)
      throw CompareUsageError{fmt::format("--vary: {} has no input or parameter named {}", p.header.name,
                                          args.vary.substr(0, eq))};
    const dsl::Type& xt = in >= 0 ? p.inputs[in].type : p.params[pa].type;
    if (!xt.is_number()) throw CompareUsageError{fmt::format("--vary {}: '{}' is not a number", name, name)};
    if (percent && !xt.percent)
      throw CompareUsageError{fmt::format("--vary '{}': a percentage is for rates, and {} is not a rate", args.vary, name)};
    if (xlabel.empty() || (factor == Value::from_int(1) && !x_from_first)) {
      std::string lab = in >= 0 ? p.inputs[in].label : p.params[pa].label;
      xlabel = lab + unit_suffix(lab, xt);
      x_percent = xt.percent;
      x_from_first = factor == Value::from_int(1);
    }
    std::vector<ParamSetting> sets;
    for (const auto& s : args.sets) {
      auto e = s.find('=');
      int slot = e == std::string::npos ? -1 : p.find_param(s.substr(0, e));
      if (slot < 0) continue;  // a --set for another of the policies
      std::string why;
      auto v = dsl::parse_value(p, p.params[slot].type, s.substr(e + 1), why);
      if (!v) throw CompareUsageError{fmt::format("--set {}: {} ({}) {}", s, p.params[slot].name, p.params[slot].label, why)};
      sets.push_back({static_cast<std::uint32_t>(slot), *v});
    }
    CaseSchema schema(p);
    JsonCaseReader reader(schema);
    reader.ignore_unknown(true);
    for (const auto& case_arg : args.case_paths) {
      // LABEL=PATH names the case in the table and the legend.
      std::string case_path = case_arg, given_label;
      if (auto eq_pos = case_arg.find('='); eq_pos != std::string::npos && case_arg.find('/') > eq_pos) {
        given_label = case_arg.substr(0, eq_pos);
        case_path = case_arg.substr(eq_pos + 1);
      }
      std::ifstream f(case_path, std::ios::binary);
      if (!f) throw CompareUsageError{fmt::format("cannot open case file '{}'", case_path)};
      std::stringstream ss;
      ss << f.rdbuf();
      std::string text = ss.str();
      std::size_t n = text.size();
      text.append(JsonCaseReader::kPadding, ' ');
      Case base;
      CaseError err;
      if (!reader.read(std::string_view(text.data(), n), text.size(), base, err))
        throw CompareUsageError{fmt::format("{}: {}", case_path, err.message)};
      std::vector<std::uint32_t> rules;
      for (const auto& o : outs) {
        int r = p.find_rule(o);
        if (r < 0) throw CompareUsageError{fmt::format("--output {}: {} has no output of that name", o, p.header.name)};
        rules.push_back(static_cast<std::uint32_t>(r));
        series.push_back({p.header.name, o, p.rules[r].label, p.rules[r].type, &p, {}, !given_label.empty() ? given_label
                                            : args.case_paths.size() > 1 ? case_label_of(case_path, base) : std::string()});
      }
      std::size_t first = series.size() - rules.size();
      std::unique_ptr<Program> fixed;
      if (in >= 0) fixed = std::make_unique<Program>(p, base.as_of ? base.as_of : at, sets);
      for (std::size_t xi = 0; xi < xs.size(); ++xi) {
        Value x = xs[xi];
        Case c = base;
        std::unique_ptr<Program> own;
        const Program* prog = fixed.get();
        Value xv = x * factor;
        if (in >= 0) {
          c.values[in] = xv;
          c.state[in] = InputState::Given;
        } else {
          auto s2 = sets;
          std::erase_if(s2, [&](const ParamSetting& ps) { return ps.slot == static_cast<std::uint32_t>(pa); });
          s2.push_back({static_cast<std::uint32_t>(pa), xv});
          own = std::make_unique<Program>(p, base.as_of ? base.as_of : at, s2);
          prog = own.get();
        }
        Evaluator ev(*prog);
        Outcome out;
        if (auto bad = ev.validate(c)) out.error = *bad;
        else ev.evaluate(c, rules, out);
        if (out.error) {
          // A point that cannot be evaluated is reported, on standard error and in the table.
          std::string msg = fmt::format("{}: {}", series[first].column().substr(0, series[first].column().rfind(':')),
                                        out.error->message);
          fmt::print(stderr, "pol sweep: {}={}: {}\n", name, x.to_string(), msg);
          row_errors[xi] += (row_errors[xi].empty() ? "" : "; ") + msg;
          ++failed_points;
        }
        for (std::size_t k = 0; k < rules.size(); ++k)
          series[first + k].ys.push_back(out.error ? std::nullopt : std::optional<Value>(out.outputs[k].second));
      }
    }
  }
  // CSV: the x column, one column per policy and output, and the reason for any empty cells.
  auto csv_cell = [](const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string q = "\"";
    for (char ch : text) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  };
  std::string csv = name;
  for (const auto& se : series) csv += "," + se.column();
  csv += ",error\n";
  for (std::size_t i = 0; i < xs.size(); ++i) {
    csv += xs[i].to_string();
    for (const auto& se : series) csv += "," + (se.ys[i] ? cell(*se.p, se.type, *se.ys[i]) : std::string());
    csv += "," + csv_cell(row_errors[i]) + "\n";
  }
  if (failed_points)
    fmt::print(stderr, "pol sweep: {} of {} evaluations could not be done; their cells are empty and the error column says why\n",
               failed_points, xs.size() * pols.size() * args.case_paths.size());
  if (args.csv.empty()) std::fputs(csv.c_str(), stdout);
  else {
    std::ofstream o(args.csv, std::ios::binary);
    o << csv;
    if (!o) throw CompareUsageError{fmt::format("cannot write '{}'", args.csv)};
  }
  if (!args.svg.empty()) {
    std::ofstream o(args.svg, std::ios::binary);
    o << svg_chart(name, xlabel, x_percent, xs, series);
    if (!o) throw CompareUsageError{fmt::format("cannot write '{}'", args.svg)};
  }
  return 0;
}

}  // namespace pol::interp
