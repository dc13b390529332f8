#include "compare/population.hpp"

#include <climits>
#include <memory>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "compare/case_pairs.hpp"

namespace pol::interp {

namespace {

// Programs (one per decision date) and their evaluators, made when first needed.
struct Evaluators {
  const checked::Policy& p;
  std::map<int, std::unique_ptr<Program>> progs;
  std::map<int, std::unique_ptr<Evaluator>> evs;
  Evaluator& at(std::optional<int> d) {
    int key = d.value_or(INT32_MIN);
    auto it = evs.find(key);
    if (it != evs.end()) return *it->second;
    progs[key] = std::make_unique<Program>(p, d);
    return *(evs[key] = std::make_unique<Evaluator>(*progs[key]));
  }
};

}  // namespace

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

Population run_population(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args,
                          std::optional<int> at) {
  Population pop;
  auto pairs = shared_outputs(a, b, args.outputs);
  auto ra = rules_of(pairs, &OutputPair::ra), rb = rules_of(pairs, &OutputPair::rb);
  for (auto pr : pairs)
    pop.outputs.push_back({pr, a.rules[pr.ra].name, a.rules[pr.ra].label, a.rules[pr.ra].type, b.rules[pr.rb].type, 0, {}, {}});
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
    bool listed = static_cast<int>(pop.examples.size()) < args.show, any = false;
    ChangedCase cc{line, listed ? c1.id_text : std::string(), {}};
    for (std::size_t i = 0; i < pop.outputs.size(); ++i) {
      auto& st = pop.outputs[i];
      Value va = o1.outputs[i].second, vb = o2.outputs[i].second;
      if (same_output(a, b, st.ta, va, st.tb, vb)) continue;
      any = true;
      ++st.changed;
      if (st.ta.is_number()) {
        Value d = vb - va;
        ++st.num.deltas[d];
        st.num.total = st.num.total + d;
      } else {
        ++st.transitions[{va, vb}];
      }
      if (listed) cc.diffs.push_back({i, va, vb});
    }
    if (any) {
      ++pop.changed_cases;
      if (listed) pop.examples.push_back(std::move(cc));
    }
  }
  return pop;
}

}  // namespace pol::interp
