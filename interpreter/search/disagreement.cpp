// The disagreement finder: small cases on which two policies give different outputs.
#include <algorithm>

#include <fmt/format.h>

#include "compare/index.hpp"
#include "search/search.hpp"

namespace pol::interp {

namespace {

class Finder {
public:
  Finder(const checked::Policy& a, const checked::Policy& b, const std::vector<OutputPair>& outputs, std::optional<int> at)
      : a_(a), b_(b), pa_(a, at), pb_(b, at), sa_(a), sb_(b), ea_(pa_), eb_(pb_) {
    r_.outputs = outputs;
    ra_ = rules_of(outputs, &OutputPair::ra);
    rb_ = rules_of(outputs, &OutputPair::rb);
    Thresholds th;
    collect_thresholds(a, pa_, th);
    collect_thresholds(b, pb_, th);
    const NameIndex inputs_b(b.inputs);
    for (std::size_t i = 0; i < a.inputs.size(); ++i)
      if (int j = inputs_b.find(a.inputs[i].name); j >= 0) r_.inputs.push_back({i, static_cast<std::size_t>(j)});
    for (const auto& sh : r_.inputs) {
      r_.candidates.push_back(candidate_values(a, a.inputs[sh.a], th));
      r_.explored += r_.candidates.back().size();
    }
    // Starting case: every shared input at its default, or its first candidate.
    for (std::size_t k = 0; k < r_.inputs.size(); ++k) {
      const auto& in = a.inputs[r_.inputs[k].a];
      const auto& cand = r_.candidates[k];
      base_.push_back(in.default_value ? *in.default_value : (cand.empty() ? Value() : cand[0]));
    }
  }

  DisagreementSearch run() {
    const auto& cand = r_.candidates;
    const std::size_t n = r_.inputs.size();
    try_case({});
    for (std::size_t k = 0; k < n; ++k)
      for (Value v : cand[k]) try_case({{k, v}});
    if (r_.found.empty() && r_.one_sided.empty())
      for (std::size_t k = 0; k < n && r_.found.size() < kMax; ++k)
        for (std::size_t l = k + 1; l < n && r_.found.size() < kMax; ++l)
          for (Value v : cand[k])
            for (Value w : cand[l]) try_case({{k, v}, {l, w}});
    auto fewest_first = [](std::vector<CandidateCase>& cases) {
      std::stable_sort(cases.begin(), cases.end(),
                       [](const CandidateCase& x, const CandidateCase& y) { return x.changes < y.changes; });
      if (cases.size() > kMax) cases.erase(cases.begin() + kMax, cases.end());
    };
    r_.distinct = r_.found.size();
    fewest_first(r_.found);
    fewest_first(r_.one_sided);
    return std::move(r_);
  }

private:
  static constexpr std::size_t kMax = DisagreementSearch::kMaxFound;

  // The case for both sides; false when an enum value of A has no namesake in B.
  bool make_cases(const std::vector<Value>& vals, CandidateCase& d) {
    sa_.reset(d.a);
    sb_.reset(d.b);
    for (std::size_t k = 0; k < r_.inputs.size(); ++k) {
      Value v = vals[k];
      const auto [sa, sb] = r_.inputs[k];
      const auto& ia = a_.inputs[sa];
      const auto& ib = b_.inputs[sb];
      d.a.values[sa] = v;
      d.a.state[sa] = InputState::Given;
      // Enum values are matched by name across the two files.
      Value vb = v;
      if (ia.type.base == dsl::Base::Enum && ib.type.base == dsl::Base::Enum) {
        int ord = b_.enums[ib.type.enum_id].find(a_.enums[ia.type.enum_id].values[static_cast<std::size_t>(checked::as_enum(v))].name);
        if (ord < 0) return false;
        vb = Value::from_int(ord);
      }
      d.b.values[sb] = vb;
      d.b.state[sb] = InputState::Given;
    }
    sa_.apply_defaults(d.a);
    sb_.apply_defaults(d.b);
    return true;
  }

  void try_case(const std::vector<std::pair<std::size_t, Value>>& changes) {
    if (r_.found.size() + r_.one_sided.size() >= kMax && changes.size() > 1) return;
    std::vector<Value> vals = base_;
    for (auto& [k, v] : changes) vals[k] = v;
    // The same case reached twice (a change to the starting value) is tried once.
    std::string key;
    for (const auto& v : vals) key += v.to_string() + ",";
    if (!seen_.insert(key).second) return;
    CandidateCase d;
    if (!make_cases(vals, d)) return;
    ++r_.tried;
    Outcome o1, o2;
    d.error_a = run(ea_, d.a, ra_, o1);
    d.error_b = run(eb_, d.b, rb_, o2);
    if (d.error_a && d.error_b && d.error_a->kind == EvalErrorKind::InvalidCase && d.error_b->kind == EvalErrorKind::InvalidCase) {
      ++r_.invalid_both;
      return;
    }
    if (d.error_a && d.error_b) {
      if (r_.failed_both++ == 0) r_.both_error_a = d.error_a, r_.both_error_b = d.error_b;
      return;
    }
    if (d.error_a || d.error_b) {
      // One side cannot evaluate the case and the other can: kept once per error.
      ++(d.error_a ? r_.failed_only_a : r_.failed_only_b);
      if (!one_sided_.insert((d.error_a ? "A:" : "B:") + (d.error_a ? d.error_a : d.error_b)->message).second) return;
      keep(vals, d, std::move(o1), std::move(o2), r_.one_sided);
      return;
    }
    d.differences = differences(d.a, d.b, o1, o2);
    if (d.differences.empty()) return;
    ++r_.disagreeing;
    // A case that disagrees in exactly the way an earlier one does adds nothing: keep one.
    std::string outcome;
    for (const auto& df : d.differences) outcome += fmt::format("{}:{}:{};", df.output, df.a.to_string(), df.b.to_string());
    if (!outcomes_.insert(outcome).second) return;
    keep(vals, d, std::move(o1), std::move(o2), r_.found);
  }

  // The outputs that differ. A difference in an output that applies on neither side
  // (`applies when`) is no disagreement, as population reports count it apart.
  std::vector<OutputDifference> differences(const Case& ca, const Case& cb, const Outcome& o1, const Outcome& o2) {
    std::vector<OutputDifference> out;
    for (std::size_t i = 0; i < o1.outputs.size() && i < o2.outputs.size(); ++i)
      if (!same_output(a_, b_, a_.rules[ra_[i]].type, o1.outputs[i].second, b_.rules[rb_[i]].type, o2.outputs[i].second) &&
          (ea_.applies(ca, ra_[i]) || eb_.applies(cb, rb_[i])))
        out.push_back({i, o1.outputs[i].second, o2.outputs[i].second});
    return out;
  }

  // Leaves out of a kept case each input without a default whose absence changes nothing:
  // both sides' outcomes (or errors) and the differences stay the same. What remains is what
  // the disagreement needs (a used file's birth date, say, goes when nothing reads it).
  void drop_irrelevant(std::vector<Value>& vals, CandidateCase& d) {
    for (std::size_t k = 0; k < r_.inputs.size(); ++k) {
      const auto [sa, sb] = r_.inputs[k];
      if (a_.inputs[sa].default_value || b_.inputs[sb].default_value || d.a.state[sa] != InputState::Given) continue;
      Case ta = d.a, tb = d.b;
      ta.state[sa] = InputState::Absent;
      tb.state[sb] = InputState::Absent;
      Outcome o1, o2;
      auto e1 = run(ea_, ta, ra_, o1), e2 = run(eb_, tb, rb_, o2);
      auto same = [](const std::optional<EvalError>& e, const Outcome& o, const std::optional<EvalError>& was, const Outcome& had) {
        if (e || was) return e && was && e->message == was->message;
        return o.outputs == had.outputs;
      };
      if (!same(e1, o1, d.error_a, d.outcome_a) || !same(e2, o2, d.error_b, d.outcome_b)) continue;
      if (!same_applies(ea_, a_, d.a, ta, ra_) || !same_applies(eb_, b_, d.b, tb, rb_)) continue;
      if (!e1 && !e2) {
        auto now = differences(ta, tb, o1, o2);
        if (now.size() != d.differences.size() ||
            !std::equal(now.begin(), now.end(), d.differences.begin(), [](const auto& x, const auto& y) {
              return x.output == y.output && x.a == y.a && x.b == y.b;
            }))
          continue;
      }
      d.a = std::move(ta);
      d.b = std::move(tb);
      vals[k] = Value();
      dropped_.insert(k);
    }
  }

  // Whether each rule's `applies when` is the same, and as well known, for both cases.
  static bool same_applies(Evaluator& ev, const checked::Policy& p, const Case& was, const Case& now,
                           const std::vector<std::uint32_t>& rules) {
    Trace t1, t2;
    for (auto r : rules) {
      const checked::NodeId cond = p.rules[r].applies;
      if (cond == checked::kNoNode) continue;
      const bool k1 = ev.evaluate_node_traced(was, cond, t1), k2 = ev.evaluate_node_traced(now, cond, t2);
      if (k1 != k2 || (k1 && checked::as_bool(t1.node_values[cond]) != checked::as_bool(t2.node_values[cond]))) return false;
    }
    return true;
  }

  // The case's validation and evaluation on one side: its error, if any.
  static std::optional<EvalError> run(Evaluator& ev, const Case& c, const std::vector<std::uint32_t>& rules, Outcome& o) {
    if (auto bad = ev.validate(c)) return bad;
    ev.evaluate(c, rules, o);
    return o.error;
  }

  // Keeps a candidate in `list`, with the inputs it changes and gives.
  void keep(std::vector<Value> vals, CandidateCase& d, Outcome o1, Outcome o2, std::vector<CandidateCase>& list) {
    d.outcome_a = std::move(o1);
    d.outcome_b = std::move(o2);
    for (std::size_t k = 0; k < r_.inputs.size(); ++k)
      if (compare(vals[k], base_[k]) != 0) ++d.changes;
    dropped_.clear();
    drop_irrelevant(vals, d);
    for (std::size_t k = 0; k < r_.inputs.size(); ++k) {
      const auto& in = a_.inputs[r_.inputs[k].a];
      if (dropped_.count(k) || (in.default_value && compare(vals[k], *in.default_value) == 0)) continue;
      d.given.emplace_back(r_.inputs[k].a, vals[k]);
    }
    list.push_back(std::move(d));
  }

  const checked::Policy& a_;
  const checked::Policy& b_;
  Program pa_, pb_;
  CaseSchema sa_, sb_;
  Evaluator ea_, eb_;
  std::vector<std::uint32_t> ra_, rb_;
  std::vector<Value> base_;
  std::set<std::string> seen_, outcomes_, one_sided_;
  std::set<std::size_t> dropped_;  // keep(): the shared inputs drop_irrelevant() left out
  DisagreementSearch r_;
};

}  // namespace

DisagreementSearch find_disagreement(const checked::Policy& a, const checked::Policy& b,
                                     const std::vector<OutputPair>& outputs, std::optional<int> at) {
  return Finder(a, b, outputs, at).run();
}

}  // namespace pol::interp
