// The summary before the derivation, the provenance after it, and --depth.
#include "explain/summary.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "checked/visit.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

namespace {

void mark(ExplainNode& n, std::set<std::string>& seen) {
  n.reading_repeated = !n.reading.empty() && !seen.insert(n.reading).second;
  for (auto& c : n.children) mark(c, seen);
}

int count_steps(const ExplainNode& n) {
  int k = 0;
  for (const auto& c : n.children) k += 1 + count_steps(c);
  return k;
}

void cut(ExplainNode& n, int level, int depth) {
  if (level == depth) {
    n.steps_cut = count_steps(n);
    n.children.clear();
    return;
  }
  for (auto& c : n.children) cut(c, level + 1, depth);
}

// The parameters a rule reads, directly or through the rules it reads.
std::set<std::uint32_t> params_read(const checked::Policy& p, std::uint32_t rule) {
  std::set<std::uint32_t> params, seen;
  std::vector<std::uint32_t> todo{rule};
  while (!todo.empty()) {
    std::uint32_t r = todo.back();
    todo.pop_back();
    if (!seen.insert(r).second) continue;
    params.insert(p.rule_params[r].begin(), p.rule_params[r].end());
    todo.insert(todo.end(), p.rule_rules[r].begin(), p.rule_rules[r].end());
  }
  return params;
}

// Placeholders read through as_of(DATE, rule) in this evaluation: the parameters in force on
// DATE behind each as_of the case needed, listed with that date, under the outputs shown that
// read the rule holding the as_of.
void add_dated_placeholders(Explanation& e, const Program& program, const Trace& trace,
                            const std::vector<std::uint32_t>& shown) {
  const auto& p = program.policy();
  std::set<std::pair<std::uint32_t, int>> listed;  // (param, date)
  for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
    checked::walk(p, p.rules[r].body, [&](checked::NodeId id, const checked::Node& n) {
      if (n.op != checked::Op::AsOf || !trace.node_done[id] || p.nodes[n.a].op != checked::Op::Rule) return true;
      int date = p.contexts[n.slot - 1];
      auto affected = p.rules_affected_by_rule(r);
      for (std::uint32_t pi : params_read(p, p.nodes[n.a].slot)) {
        const auto& pa = p.params[pi];
        if (program.param_choice(pi) == -2) continue;  // --set: the same value on every date
        int choice = pa.value_at(date);
        if (choice < 0 || !pa.values[static_cast<std::size_t>(choice)].placeholder) continue;
        if (choice == program.param_choice(pi)) continue;  // the value in force on the decision date: listed above
        if (!listed.insert({pi, date}).second) continue;
        const auto& v = pa.values[static_cast<std::size_t>(choice)];
        Unconfirmed u{pa.name, pa.label + dsl::textf(dsl::Msg::DatedParams, format_date(date)), param_value_text(p, pa, v),
                      v.source, {}, {}};
        for (std::size_t k = 0; k < shown.size(); ++k) {
          if (std::find(affected.begin(), affected.end(), shown[k]) == affected.end() || !e.outputs[k].outside.empty()) continue;
          e.outputs[k].placeholder_dependent = true;
          u.outputs.push_back(p.rules[shown[k]].label);
          u.output_names.push_back(p.rules[shown[k]].name);
        }
        if (!u.outputs.empty()) e.unconfirmed.push_back(std::move(u));
      }
      return true;
    });
  }
}

}  // namespace

void mark_repeated_readings(Explanation& e) {
  std::set<std::string> seen;
  for (auto& o : e.outputs) mark(o, seen);
}

void add_summary(Explanation& e, const Program& program, const Case& c, const Trace& trace) {
  const auto& p = program.policy();
  for (std::uint32_t i = 0; i < p.inputs.size(); ++i) {
    bool given = c.state[i] == InputState::Given;
    bool defaulted = c.state[i] == InputState::Defaulted && trace.input_used[i];
    if (!given && !defaulted) continue;
    const auto& in = p.inputs[i];
    e.facts.push_back({in.name, in.label, text_value(p, in.type, c.values[i]), in.type, c.values[i], defaulted});
  }
  // The outputs shown, by rule index.
  std::vector<std::uint32_t> shown;
  for (const auto& o : e.outputs) shown.push_back(static_cast<std::uint32_t>(p.find_rule(o.name)));
  for (std::uint32_t i = 0; i < p.params.size(); ++i) {
    int choice = program.param_choice(i);
    if (choice < 0) continue;
    const auto& pa = p.params[i];
    const auto& v = pa.values[static_cast<std::size_t>(choice)];
    if (!v.placeholder) continue;
    auto affected = p.rules_affected_by_param(i);
    Unconfirmed u{pa.name, pa.label, text_value(p, pa.type, program.params()[i]), v.source, {}, {}};
    for (std::size_t k = 0; k < shown.size(); ++k) {
      if (std::find(affected.begin(), affected.end(), shown[k]) == affected.end()) continue;
      if (!e.outputs[k].outside.empty()) continue;  // not applicable: its value is not a result
      e.outputs[k].placeholder_dependent = true;
      u.outputs.push_back(p.rules[shown[k]].label);
      u.output_names.push_back(p.rules[shown[k]].name);
    }
    if (!u.outputs.empty()) e.unconfirmed.push_back(std::move(u));
  }
  add_dated_placeholders(e, program, trace, shown);
  mark_repeated_readings(e);
}

void add_provenance(Explanation& e, const checked::Policy& p, std::time_t generated) {
  e.provenance = make_provenance({&p}, generated);
}

void cut_depth(Explanation& e, int depth) {
  if (depth <= 0) return;
  for (auto& o : e.outputs) cut(o, 0, depth);
  mark_repeated_readings(e);
}

}  // namespace pol::interp
