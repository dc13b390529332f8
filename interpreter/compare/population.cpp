#include "compare/population.hpp"

#include <algorithm>
#include <climits>
#include <memory>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "compare/case_pairs.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

void note_placeholders(const Evaluators& evs, bool side_b, Population& pop) {
  const auto& p = evs.p;
  const char* side = side_b ? "B" : "A";
  for (const auto& [key, prog] : evs.progs) {
    for (std::uint32_t i = 0; i < p.params.size(); ++i) {
      int choice = prog->param_choice(i);
      if (choice < 0 || !p.params[i].values[static_cast<std::size_t>(choice)].placeholder) continue;
      const auto& pa = p.params[i];
      auto affected = p.rules_affected_by_param(i);
      PopulationPlaceholder u{side, pa.name, pa.label, text_value(p, pa.type, prog->params()[i]),
                              pa.values[static_cast<std::size_t>(choice)].source, {}};
      for (auto& o : pop.outputs) {
        std::uint32_t r = side_b ? o.pair.rb : o.pair.ra;
        if (std::find(affected.begin(), affected.end(), r) == affected.end()) continue;
        o.placeholder = true;
        u.outputs.push_back(o.name);
      }
      if (u.outputs.empty()) continue;
      auto same = [&](const PopulationPlaceholder& x) { return x.name == u.name && x.text == u.text && x.source == u.source; };
      auto it = std::find_if(pop.unconfirmed.begin(), pop.unconfirmed.end(), same);
      if (it == pop.unconfirmed.end()) pop.unconfirmed.push_back(std::move(u));
      else if (it->sides.find(side) == std::string::npos) it->sides += std::string(dsl::text(dsl::Msg::ListSep)) + side;
    }
  }
}


void OutputStats::add_change(Value a, Value b) {
  ++changed;
  if (ta.is_number()) {
    Value d = b - a;
    ++num.deltas[d];
    num.total = num.total + d;
  } else {
    ++transitions[{a, b}];
  }
}

Value median_of(const NumStats& s) {
  std::uint64_t n = 0;
  for (auto& [v, c] : s.deltas) n += c;
  if (n == 0) return Value();
  std::uint64_t lo = (n - 1) / 2, hi = n / 2, seen = 0;
  std::optional<Value> x, y;
  for (auto& [v, c] : s.deltas) {
    if (!x && seen + c > lo) x = v;
    if (!y && seen + c > hi) y = v;
    seen += c;
  }
  return (*x + *y) / Value::from_int(2);
}

void tally_case(Population& pop, const checked::Policy& a, const checked::Policy& b, std::uint64_t line, std::string id,
                bool listed, const Outcome& o1, const Outcome& o2, const std::function<bool(std::size_t)>& applies) {
  bool any = false;
  ChangedCase cc{line, std::move(id), {}};
  for (std::size_t i = 0; i < pop.outputs.size(); ++i) {
    auto& st = pop.outputs[i];
    Value va = o1.outputs[i].second, vb = o2.outputs[i].second;
    if (same_output(a, b, st.ta, va, st.tb, vb)) continue;
    // Outside the output's `applies when` on both sides: counted apart, not as a change.
    if (!applies(i)) {
      ++st.not_applicable;
      continue;
    }
    any = true;
    st.add_change(va, vb);
    if (listed) cc.diffs.push_back({i, va, vb});
  }
  if (any) {
    ++pop.changed_cases;
    if (listed) pop.examples.push_back(std::move(cc));
  }
}

Population run_population(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args,
                          std::optional<int> at) {
  Population pop;
  auto pairs = shared_outputs(a, b, args.outputs);
  auto ra = rules_of(pairs, &OutputPair::ra), rb = rules_of(pairs, &OutputPair::rb);
  for (auto pr : pairs)
    pop.outputs.push_back({pr, a.rules[pr.ra].name, a.rules[pr.ra].label, a.rules[pr.ra].type, b.rules[pr.rb].type, 0, false, 0, {}, {}});
  CaseStream stream(a, b, args.cases, {args.encoding, args.sheet});
  Evaluators eva{a, {}, {}}, evb{b, {}, {}};
  Case c1, c2;
  Outcome o1, o2;
  std::optional<EvalError> invalid;
  std::uint64_t line = 0;
  bool ok1 = false, ok2 = false;
  CaseError e1, e2;
  while (stream.next(line, c1, ok1, e1, c2, ok2, e2)) {
    ++pop.cases;
    auto note_error = [&](const char* side, const checked::Policy& p, const std::string& msg) {
      if (pop.error_examples.size() < 10)
        pop.error_examples.push_back(dsl::textf(dsl::Msg::ErrorAtLine, line, side, p.header.name, msg));
    };
    // One side: a case that read well is validated and evaluated; any error is noted.
    auto side = [&](const char* name, const checked::Policy& p, Evaluators& evs, const Case& c, bool& ok,
                    const CaseError& read_error, const std::vector<std::uint32_t>& rules, Outcome& o) {
      if (!ok) return note_error(name, p, read_error.message);
      evs.at(c.as_of ? c.as_of : at).validate_and_evaluate(c, rules, o, invalid);
      const EvalError* bad = invalid ? &*invalid : o.error ? &*o.error : nullptr;
      if (bad) ok = false, note_error(name, p, bad->message);
    };
    side("A", a, eva, c1, ok1, e1, ra, o1);
    side("B", b, evb, c2, ok2, e2, rb, o2);
    pop.errors_a += !ok1;
    pop.errors_b += !ok2;
    if (!ok1 || !ok2) continue;
    const bool listed = static_cast<int>(pop.examples.size()) < args.show;
    tally_case(pop, a, b, line, listed ? c1.id_text : std::string(), listed, o1, o2, [&](std::size_t i) {
      return eva.at(c1.as_of ? c1.as_of : at).applies(c1, pop.outputs[i].pair.ra) ||
             evb.at(c2.as_of ? c2.as_of : at).applies(c2, pop.outputs[i].pair.rb);
    });
  }
  note_placeholders(eva, false, pop);
  note_placeholders(evb, true, pop);
  return pop;
}

}  // namespace pol::interp
