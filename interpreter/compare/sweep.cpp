// `pol sweep`: evaluates one or more policies while one input or parameter varies over a
// range, and writes the table (CSV) and a line chart (SVG, sweep_chart.cpp).
#include "compare/sweep.hpp"

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "cases/case.hpp"
#include "check/checker.hpp"
#include "compare/compare.hpp"
#include "report/json_out.hpp"

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

// --vary NAME[,NAME2*FACTOR]...=FROM..TO[:STEP]: the x axis is the first name; a policy that
// lacks it uses the first of the others it has, times its factor
// (avg_monthly_wage,local_avg_annual_wage*12).
struct Vary {
  std::string text;  // as given
  std::vector<std::pair<std::string, Value>> names;
  std::vector<Value> xs;
  bool percent = false;

  explicit Vary(const std::string& arg) : text(arg) {
    auto eq = arg.find('='), dots = arg.find("..");
    if (eq == std::string::npos || dots == std::string::npos || dots < eq)
      throw CompareUsageError{fmt::format("--vary '{}': expected NAME=FROM..TO[:STEP]", arg)};
    parse_names(arg.substr(0, eq));
    std::string from_s = arg.substr(eq + 1, dots - eq - 1), rest = arg.substr(dots + 2), step_s;
    if (auto c = rest.find(':'); c != std::string::npos) {
      step_s = rest.substr(c + 1);
      rest = rest.substr(0, c);
    }
    auto from = parse_number(from_s, percent), to = parse_number(rest, percent);
    if (!from || !to || *to < *from)
      throw CompareUsageError{fmt::format("--vary '{}': FROM and TO must be numbers (a rate may be written 6.5%) with FROM <= TO", arg)};
    std::optional<Value> step_v = step_s.empty() ? std::optional<Value>((*to - *from) / Value::from_int(50)) : parse_number(step_s, percent);
    if (!step_v) throw CompareUsageError{fmt::format("--vary '{}': STEP '{}' is not a number", arg, step_s)};
    Value step = *step_v;
    if (step <= Value() && *to > *from) throw CompareUsageError{fmt::format("--vary '{}': STEP must be positive", arg)};
    if (!step.is_zero() && (*to - *from) / step > Value::from_int(100000))
      throw CompareUsageError{fmt::format("--vary '{}': more than 100000 points; use a larger STEP", arg)};
    for (Value x = *from; x <= *to && xs.size() < 100000; x = x + (step.is_zero() ? Value::from_int(1) : step)) xs.push_back(x);
  }
  [[nodiscard]] const std::string& name() const { return names.front().first; }
  [[nodiscard]] std::string names_text() const { return text.substr(0, text.find('=')); }

private:
  void parse_names(const std::string& list) {
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t comma = list.find(',', start);
      std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      Value factor = Value::from_int(1);
      if (auto star = item.find('*'); star != std::string::npos) {
        auto f = Decimal::parse(item.substr(star + 1));
        if (!f) throw CompareUsageError{fmt::format("--vary '{}': '{}' is not a factor", text, item.substr(star + 1))};
        factor = *f;
        item = item.substr(0, star);
      }
      names.emplace_back(item, factor);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
};

using Policies = std::vector<std::unique_ptr<checked::Policy>>;

// Every --set must name a parameter of at least one of the policies.
void check_sets(const Policies& pols, const std::vector<std::string>& sets) {
  for (const auto& st : sets) {
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
    if (known) continue;
    std::string msg = pols.size() == 1
                          ? fmt::format("--set {}: policy {} has no parameter '{}'", st, pnames[0], pname)
                          : fmt::format("--set {}: none of the policies ({}) has a parameter '{}'", st, fmt::join(pnames, ", "), pname);
    if (auto m = dsl::did_you_mean(pname, all)) msg += fmt::format("; did you mean '{}'?", *m);
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
    if (!v) throw CompareUsageError{fmt::format("--set {}: {} ({}) {}", s, p.params[slot].name, p.params[slot].label, why)};
    out.push_back({static_cast<std::uint32_t>(slot), *v});
  }
  return out;
}

// Outputs: the named ones, or the numeric outputs every policy has.
std::vector<std::string> outputs_to_chart(const Policies& pols, const std::vector<std::string>& named) {
  if (!named.empty()) return named;
  std::vector<std::string> outs;
  for (const auto& r : pols[0]->rules) {
    if (!r.is_output || !r.type.is_number()) continue;
    bool all = true;
    for (const auto& p : pols) all = all && p->find_rule(r.name) >= 0;
    if (all) outs.push_back(r.name);
  }
  return outs;
}

Case read_case(JsonCaseReader& reader, const std::string& case_path) {
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
  return base;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream o(path, std::ios::binary);
  o << text;
  if (!o) throw CompareUsageError{fmt::format("cannot write '{}'", path)};
}

// The sweep: every policy, every case, every x.
class Sweep {
public:
  Sweep(const SweepArgs& args, const Vary& vary, std::optional<int> at, std::vector<std::string> outs)
      : args_(args), vary_(vary), at_(at), outs_(std::move(outs)), row_errors_(vary.xs.size()) {}

  void policy(const checked::Policy& p) {
    int in = -1, pa = -1;
    Value factor = Value::from_int(1);
    for (const auto& [nm, fac] : vary_.names) {
      in = p.find_input(nm);
      pa = p.find_param(nm);
      factor = fac;
      if (in >= 0 || pa >= 0) break;
    }
    if (in < 0 && pa < 0)
      throw CompareUsageError{fmt::format("--vary: {} has no input or parameter named {}", p.header.name, vary_.names_text())};
    const std::string& name = vary_.name();
    const dsl::Type& xt = in >= 0 ? p.inputs[in].type : p.params[pa].type;
    if (!xt.is_number()) throw CompareUsageError{fmt::format("--vary {}: '{}' is not a number", name, name)};
    if (vary_.percent && !xt.percent)
      throw CompareUsageError{fmt::format("--vary '{}': a percentage is for rates, and {} is not a rate", vary_.text, name)};
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
    for (const auto& case_arg : args_.case_paths) one_case(p, axis, reader, case_arg);
  }

  [[nodiscard]] std::string csv() const {
    auto csv_cell = [](const std::string& text) {
      if (text.find_first_of(",\"\n") == std::string::npos) return text;
      std::string q = "\"";
      for (char ch : text) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      return q + "\"";
    };
    std::string csv = vary_.name();
    for (const auto& se : series_) csv += fmt::format(",{}", se.column());
    csv += ",error\n";
    for (std::size_t i = 0; i < vary_.xs.size(); ++i) {
      csv += vary_.xs[i].to_string();
      for (const auto& se : series_) csv += fmt::format(",{}", se.ys[i] ? sweep_cell(*se.p, se.type, *se.ys[i]) : std::string());
      csv += fmt::format(",{}\n", csv_cell(row_errors_[i]));
    }
    return csv;
  }

  [[nodiscard]] std::string svg() const { return sweep_svg(vary_.name(), xlabel_, x_percent_, vary_.xs, series_); }
  [[nodiscard]] std::size_t failed_points() const { return failed_points_; }

private:
  // What varies in one policy: an input (slot `in`) or a parameter (slot `pa`), times `factor`.
  struct Axis {
    int in, pa;
    Value factor;
    std::vector<ParamSetting> sets;
  };

  void one_case(const checked::Policy& p, const Axis& axis, JsonCaseReader& reader, const std::string& case_arg) {
    // LABEL=PATH names the case in the table and the legend.
    std::string case_path = case_arg, given_label;
    if (auto eq_pos = case_arg.find('='); eq_pos != std::string::npos && case_arg.find('/') > eq_pos) {
      given_label = case_arg.substr(0, eq_pos);
      case_path = case_arg.substr(eq_pos + 1);
    }
    Case base = read_case(reader, case_path);
    std::vector<std::uint32_t> rules;
    for (const auto& o : outs_) {
      int r = p.find_rule(o);
      if (r < 0) throw CompareUsageError{fmt::format("--output {}: {} has no output of that name", o, p.header.name)};
      rules.push_back(static_cast<std::uint32_t>(r));
      series_.push_back({p.header.name, o, p.rules[r].label, p.rules[r].type, &p, {},
                         !given_label.empty()              ? given_label
                         : args_.case_paths.size() > 1 ? case_label_of(case_path, base)
                                                           : std::string()});
    }
    std::size_t first = series_.size() - rules.size();
    std::optional<int> date = base.as_of ? base.as_of : at_;
    std::unique_ptr<Program> fixed;
    if (axis.in >= 0) fixed = std::make_unique<Program>(p, date, axis.sets);
    for (std::size_t xi = 0; xi < vary_.xs.size(); ++xi) {
      Value x = vary_.xs[xi];
      Case c = base;
      std::unique_ptr<Program> own;
      const Program* prog = fixed.get();
      Value xv = x * axis.factor;
      if (axis.in >= 0) {
        c.values[axis.in] = xv;
        c.state[axis.in] = InputState::Given;
      } else {
        auto s2 = axis.sets;
        std::erase_if(s2, [&](const ParamSetting& ps) { return ps.slot == static_cast<std::uint32_t>(axis.pa); });
        s2.push_back({static_cast<std::uint32_t>(axis.pa), xv});
        own = std::make_unique<Program>(p, date, s2);
        prog = own.get();
      }
      Evaluator ev(*prog);
      Outcome out;
      if (auto bad = ev.validate(c)) out.error = *bad;
      else ev.evaluate(c, rules, out);
      if (out.error) {
        // A point that cannot be evaluated is reported, on standard error and in the table.
        std::string col = series_[first].column();
        std::string msg = fmt::format("{}: {}", col.substr(0, col.rfind(':')), out.error->message);
        fmt::print(stderr, "pol sweep: {}={}: {}\n", vary_.name(), x.to_string(), msg);
        row_errors_[xi] += (row_errors_[xi].empty() ? "" : "; ") + msg;
        ++failed_points_;
      }
      for (std::size_t k = 0; k < rules.size(); ++k)
        series_[first + k].ys.push_back(out.error ? std::nullopt : std::optional<Value>(out.outputs[k].second));
    }
  }

  const SweepArgs& args_;
  const Vary& vary_;
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
  Vary vary(args.vary);
  check_sets(pols, args.sets);
  std::optional<int> at = parse_at_date(args.at);
  Sweep sweep(args, vary, at, outputs_to_chart(pols, args.outputs));
  for (const auto& p : pols) sweep.policy(*p);
  std::string csv = sweep.csv();
  if (sweep.failed_points())
    fmt::print(stderr, "pol sweep: {} of {} evaluations could not be done; their cells are empty and the error column says why\n",
               sweep.failed_points(), vary.xs.size() * pols.size() * args.case_paths.size());
  if (args.csv.empty()) std::fputs(csv.c_str(), stdout);
  else write_file(args.csv, csv);
  if (!args.svg.empty()) write_file(args.svg, sweep.svg());
  return 0;
}

}  // namespace pol::interp
