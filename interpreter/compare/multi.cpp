#include "compare/multi.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "check/checker.hpp"
#include "compare/case_pairs.hpp"
#include "compare/outputs.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using dsl::Msg;

namespace {

// The row of an ambiguity's hidden parameter: what it bears on (the labels of the rules and
// parameters that have alternatives under it), since its own label is only its id.
std::string reading_label(const checked::Policy& p, const checked::Param& pa) {
  const auto& rd = p.readings[static_cast<std::size_t>(pa.ambiguity)];
  std::vector<std::string> labels;
  for (auto r : rd.rules) labels.push_back(p.rules[r].label.empty() ? p.rules[r].name : p.rules[r].label);
  for (auto q : rd.params) labels.push_back(p.params[q].label.empty() ? p.params[q].name : p.params[q].label);
  return dsl::textf(Msg::CompareReadingLabel, dsl::joined(labels));
}

// A parameter's cell: the value in force on `at`, or every dated value.
MatrixCell param_cell(const checked::Policy& p, const checked::Param& pa, std::optional<int> at) {
  MatrixCell c;
  c.present = true;
  auto one = [&](const checked::ParamValue& v, bool dated) {
    c.placeholder = c.placeholder || v.placeholder;
    std::string s = param_value_text(p, pa, v);
    return dated && v.from ? dsl::textf(Msg::CompareFrom, s, format_date(*v.from)) : s;
  };
  if (at) {
    int k = pa.value_at(at);
    c.text = k < 0 ? std::string(dsl::text(Msg::CompareNoValue)) : one(pa.values[static_cast<std::size_t>(k)], false);
  } else {
    std::vector<std::string> parts;
    for (const auto& v : pa.values) parts.push_back(one(v, true));
    c.text = fmt::format("{}", fmt::join(parts, dsl::text(Msg::Semicolon)));
  }
  return c;
}

// Whether two parameters have the same values on the same dates (sources aside).
bool same_values(const checked::Param& a, const checked::Param& b, std::optional<int> at) {
  if (at) {
    int i = a.value_at(at), j = b.value_at(at);
    if (i < 0 || j < 0) return i == j;
    return a.values[static_cast<std::size_t>(i)].value == b.values[static_cast<std::size_t>(j)].value;
  }
  if (a.values.size() != b.values.size()) return false;
  for (std::size_t i = 0; i < a.values.size(); ++i)
    if (a.values[i].value != b.values[i].value || a.values[i].from != b.values[i].from) return false;
  return true;
}

std::vector<MatrixRow> param_matrix(const std::vector<const checked::Policy*>& ps, std::optional<int> at) {
  std::vector<std::string> names;
  for (const auto* p : ps)
    for (const auto& pa : p->params)
      if (std::find(names.begin(), names.end(), pa.name) == names.end()) names.push_back(pa.name);
  std::vector<MatrixRow> rows;
  const checked::Policy& base = *ps[0];
  for (const auto& name : names) {
    MatrixRow row{name, "", {}};
    int b = base.find_param(name);
    for (const auto* p : ps) {
      int i = p->find_param(name);
      if (i < 0) {
        row.cells.push_back({false, b >= 0, false, std::string(dsl::text(Msg::CompareAbsent))});
        continue;
      }
      const auto& pa = p->params[static_cast<std::size_t>(i)];
      if (row.label.empty()) row.label = pa.ambiguity >= 0 ? reading_label(*p, pa) : pa.label;
      MatrixCell c = param_cell(*p, pa, at);
      c.differs = b < 0 || !same_values(base.params[static_cast<std::size_t>(b)], pa, at);
      row.cells.push_back(std::move(c));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// For each rule of `rules`: whether it depends on a placeholder parameter in force in `prog`.
std::vector<bool> on_placeholders(const Program& prog, const std::vector<std::uint32_t>& rules) {
  const auto& p = prog.policy();
  std::vector<bool> out(rules.size(), false);
  for (std::uint32_t i = 0; i < p.params.size(); ++i) {
    int k = prog.param_choice(i);
    if (k < 0 || !p.params[i].values[static_cast<std::size_t>(k)].placeholder) continue;
    auto affected = p.rules_affected_by_param(i);
    for (std::size_t r = 0; r < rules.size(); ++r)
      if (std::find(affected.begin(), affected.end(), rules[r]) != affected.end()) out[r] = true;
  }
  return out;
}

// A number whose total over cases means something: not a rate.
bool summable(const dsl::Type& t) { return t.is_number() && !t.percent; }

std::string signed_text(const checked::Policy& p, const dsl::Type& t, Value d) {
  std::string s = text_value(p, t, d);
  return d > Value() ? "+" + s : s;
}

CaseColumns case_columns(const Comparison& c, const std::vector<std::optional<Case>>& cases,
                         const std::vector<std::string>& errors, const std::string& path) {
  CaseColumns col{path, errors, {}};
  const std::size_t n = c.policies.size();
  std::vector<Outcome> outs(n);
  std::vector<std::vector<bool>> marks(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!cases[i]) continue;
    const Case& cs = *cases[i];
    Program prog(*c.policies[i], cs.as_of ? cs.as_of : c.at);
    Evaluator ev(prog);
    if (auto bad = ev.validate(cs)) {
      col.errors[i] = bad->message;
      continue;
    }
    ev.evaluate(cs, c.rules[i], outs[i]);
    if (outs[i].error) col.errors[i] = outs[i].error->message;
    marks[i] = on_placeholders(prog, c.rules[i]);
  }
  const checked::Policy& base = *c.policies[0];
  for (std::size_t k = 0; k < c.outputs.size(); ++k) {
    const auto& rule = base.rules[c.outputs[k]];
    CaseRow row{rule.name, rule.label, {}};
    for (std::size_t i = 0; i < n; ++i) {
      OutputCell cell;
      if (col.errors[i].empty() && cases[i]) {
        const auto& p = *c.policies[i];
        const auto& t = p.rules[c.rules[i][k]].type;
        cell.ok = true;
        cell.value = outs[i].outputs[k].second;
        cell.text = text_value(p, t, *cell.value);
        cell.placeholder = marks[i][k];
        if (i > 0 && row.cells[0].ok) {
          cell.differs = !same_output(base, p, rule.type, *row.cells[0].value, t, *cell.value);
          if (cell.differs && t.is_number()) {
            cell.diff = *cell.value - *row.cells[0].value;
            cell.diff_text = signed_text(p, t, *cell.diff);
          }
        }
      }
      row.cells.push_back(std::move(cell));
    }
    col.rows.push_back(std::move(row));
  }
  return col;
}

}  // namespace

Comparison compare_files(const std::vector<const checked::Policy*>& policies, const CompareArgs& args,
                         const std::vector<std::vector<std::optional<Case>>>& cases,
                         const std::vector<std::vector<std::string>>& case_errors) {
  Comparison c;
  c.policies = policies;
  c.paths = args.files;
  c.at = parse_at_date(args.at);
  const checked::Policy& base = *policies[0];
  // The outputs every file has, in the base's order.
  std::set<std::uint32_t> shared;
  for (std::uint32_t r = 0; r < base.rules.size(); ++r)
    if (base.rules[r].is_output) shared.insert(r);
  // --output names an output of every file.
  for (const auto& name : args.outputs)
    for (const auto* p : policies) {
      int r = p->find_rule(name);
      if (r >= 0 && p->rules[static_cast<std::size_t>(r)].is_output) continue;
      std::vector<std::string> names;
      for (const auto& ru : p->rules)
        if (ru.is_output) names.push_back(ru.name);
      throw CompareUsageError{dsl::with_suggestion(dsl::textf(Msg::CompareNoOutput, name, p->header.name), name, names)};
    }
  std::vector<std::vector<OutputPair>> pairs;
  for (std::size_t i = 1; i < policies.size(); ++i) {
    pairs.push_back(shared_outputs(base, *policies[i], {}));
    if (!args.outputs.empty())
      std::erase_if(pairs.back(), [&](const OutputPair& pr) {
        return std::find(args.outputs.begin(), args.outputs.end(), base.rules[pr.ra].name) == args.outputs.end();
      });
    std::set<std::uint32_t> in;
    for (auto pr : pairs.back()) in.insert(pr.ra);
    std::erase_if(shared, [&](std::uint32_t r) { return !in.count(r); });
  }
  if (shared.empty()) throw CompareUsageError{dsl::textf(Msg::CompareNoSharedOutput)};
  c.outputs.assign(shared.begin(), shared.end());
  c.rules.resize(policies.size());
  c.rules[0] = c.outputs;
  for (std::size_t i = 1; i < policies.size(); ++i)
    for (auto r : c.outputs)
      for (auto pr : pairs[i - 1])
        if (pr.ra == r) c.rules[i].push_back(pr.rb);
  c.matrix = param_matrix(policies, c.at);
  for (std::size_t k = 0; k < cases.size(); ++k) c.cases.push_back(case_columns(c, cases[k], case_errors[k], args.case_paths[k]));
  if (!args.chart.empty()) {
    auto it = std::find_if(c.outputs.begin(), c.outputs.end(), [&](std::uint32_t r) { return base.rules[r].name == args.chart; });
    if (it == c.outputs.end() || !summable(base.rules[*it].type)) {
      std::vector<std::string> names;
      for (auto r : c.outputs)
        if (summable(base.rules[r].type)) names.push_back(base.rules[r].name);
      throw CompareUsageError{dsl::with_suggestion(dsl::textf(Msg::CompareBadChart, args.chart), args.chart, names)};
    }
    c.chart_output = static_cast<std::size_t>(it - c.outputs.begin());
    c.chart_given = true;
  } else {
    // The first number that differs between the files for the first case, else the first number.
    c.chart_output = c.outputs.size();
    for (std::size_t k = 0; k < c.outputs.size() && c.chart_output == c.outputs.size(); ++k) {
      if (!summable(base.rules[c.outputs[k]].type)) continue;
      if (!c.cases.empty())
        for (const auto& cell : c.cases[0].rows[k].cells)
          if (cell.differs) c.chart_output = k;
    }
    if (c.chart_output == c.outputs.size())
      for (std::size_t k = c.outputs.size(); k-- > 0;)
        if (summable(base.rules[c.outputs[k]].type)) c.chart_output = k;
    if (c.chart_output == c.outputs.size()) c.chart_output = 0;
  }
  return c;
}

MultiPopulation compare_population(const Comparison& c, const std::string& path) {
  const std::size_t n = c.policies.size();
  const checked::Policy& base = *c.policies[0];
  MultiPopulation mp;
  mp.files.resize(n);
  // Per variant, the population statistics of pol diff against the base.
  std::vector<Population> pops(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < c.outputs.size(); ++k) {
      const auto& ra = base.rules[c.outputs[k]];
      const auto& rb = c.policies[i]->rules[c.rules[i][k]];
      pops[i].outputs.push_back({{c.outputs[k], c.rules[i][k]}, ra.name, ra.label, ra.type, rb.type, 0, false, 0, {}, {}});
      mp.files[i].outputs.push_back({ra.type.is_number(), !summable(ra.type), {}, 0, {}, {}, {}});
    }
  }
  CaseGroups groups(c.policies, path);
  mp.readers = groups.readers();
  std::vector<Evaluators> evs;
  for (const auto* p : c.policies) evs.push_back({*p, {}, {}});
  std::vector<Outcome> outs(n);
  std::optional<EvalError> invalid;
  std::uint64_t line = 0;
  std::vector<bool> ok(n);
  while (groups.next(line)) {
    ++mp.cases;
    bool all = true;
    std::vector<std::pair<std::string, std::string>> why_not;  // message, the files it is about
    for (std::size_t i = 0; i < n; ++i) {
      const Case& cs = groups.case_for(i);
      std::string why;
      if (!groups.ok(i)) {
        why = groups.error(i).message;
      } else {
        evs[i].at(cs.as_of ? cs.as_of : c.at).validate_and_evaluate(cs, c.rules[i], outs[i], invalid);
        if (invalid) why = invalid->message;
        else if (outs[i].error) why = outs[i].error->message;
      }
      ok[i] = why.empty();
      if (ok[i]) continue;
      all = false;
      ++mp.files[i].errors;
      auto it = std::find_if(why_not.begin(), why_not.end(), [&](const auto& w) { return w.first == why; });
      const std::string& name = c.policies[i]->header.name;
      if (it == why_not.end()) why_not.emplace_back(why, name);
      else it->second += std::string(dsl::text(Msg::ListSep)) + name;
    }
    // One line a message, with every file that gives it.
    for (const auto& [why, files] : why_not)
      if (mp.error_examples.size() < 10) mp.error_examples.push_back(dsl::textf(Msg::CompareErrorAt, line, files, why));
    if (!all) continue;
    ++mp.counted;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t k = 0; k < c.outputs.size(); ++k)
        if (mp.files[i].outputs[k].numeric) mp.files[i].outputs[k].total = mp.files[i].outputs[k].total + outs[i].outputs[k].second;
      if (i == 0) continue;
      const Case& c0 = groups.case_for(0);
      const Case& ci = groups.case_for(i);
      tally_case(pops[i], base, *c.policies[i], line, {}, false, outs[0], outs[i], [&](std::size_t k) {
        return evs[0].at(c0.as_of ? c0.as_of : c.at).applies(c0, c.outputs[k]) ||
               evs[i].at(ci.as_of ? ci.as_of : c.at).applies(ci, c.rules[i][k]);
      });
    }
  }
  for (std::size_t i = 1; i < n; ++i) {
    note_placeholders(evs[i], true, pops[i]);
    for (std::size_t k = 0; k < c.outputs.size(); ++k) {
      auto& s = mp.files[i].outputs[k];
      const auto& st = pops[i].outputs[k];
      s.changed = st.changed;
      if (!s.numeric || st.num.deltas.empty()) continue;
      s.change_total = st.num.total;
      s.median = median_of(st.num);
      const Value lo = st.num.deltas.begin()->first, hi = st.num.deltas.rbegin()->first;
      s.largest = (Value() - lo) > hi ? lo : hi;
    }
  }
  // The ranking: by the total of the chart's output if it is a number, else of the first
  // number whose totals differ between the files.
  mp.rank_output = c.chart_output;
  auto differs = [&](std::size_t k) {
    for (std::size_t i = 1; i < n; ++i)
      if (mp.files[i].outputs[k].total != mp.files[0].outputs[k].total) return true;
    return false;
  };
  if (!c.chart_given && !differs(mp.rank_output))
    for (std::size_t k = 0; k < c.outputs.size(); ++k)
      if (summable(base.rules[c.outputs[k]].type) && differs(k)) {
        mp.rank_output = k;
        break;
      }
  for (std::size_t i = 0; i < n; ++i) mp.ranking.push_back(i);
  std::stable_sort(mp.ranking.begin(), mp.ranking.end(), [&](std::size_t x, std::size_t y) {
    return mp.files[x].outputs[mp.rank_output].total > mp.files[y].outputs[mp.rank_output].total;
  });
  return mp;
}

}  // namespace pol::interp
