// --why-not: the smallest changes to one case's inputs that give an output another value.
//
// The candidates are those of the disagreement finder (candidate_values: the thresholds the
// rules compare each input with, one step either side, every enum value, both booleans),
// tried one input at a time from the case as given and, when no single change will do, two
// at a time. Every candidate case is validated first (bounds, constraints), so a change that
// breaks jilin_years <= total_years is never proposed. Of the changes that work, those that
// move the same inputs in the same directions to the same result are kept once, the smallest.
// For the few kept, a traced evaluation of the case before and after finds the comparisons
// the change crosses: the thresholds that bind.
#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "check/checker.hpp"
#include "checked/visit.hpp"
#include "search/search.hpp"

namespace pol::interp {

using checked::NodeId;
using checked::Op;

namespace {

bool is_comparison(Op op) { return op >= Op::Eq && op <= Op::Ge; }

Value magnitude(Value v) { return v < Value() ? -v : v; }

// Marks each node under `root` with the clause of the branch (or definition) it belongs to.
void mark_clauses(const checked::Policy& p, NodeId root, const std::string* clause, std::vector<const std::string*>& out) {
  checked::walk(p, root, [&](NodeId id, const checked::Node& n) {
    if (out[id]) return false;
    out[id] = clause;
    if (n.op != Op::Chain && n.op != Op::Match) return true;
    if (n.op == Op::Match) mark_clauses(p, n.a, clause, out);
    for (std::uint32_t i = 0; i < n.count; ++i) {
      const auto& b = p.branches[n.first + i];
      const std::string* bc = b.clause.empty() ? clause : &b.clause;
      if (b.condition != checked::kNoNode) mark_clauses(p, b.condition, bc, out);
      mark_clauses(p, b.result, bc, out);
    }
    return false;
  });
}

// What a change moves: per input, the direction of a number (-1, +1) or the value given.
using ChangeKey = std::vector<std::pair<std::uint32_t, std::string>>;

class WhyNot {
public:
  WhyNot(const Program& prog, const Case& c, std::uint32_t output, std::optional<Value> target,
         const std::vector<std::uint32_t>& fixed)
      : p_(prog.policy()), base_(c), ev_(prog), rules_{output}, clauses_(p_.nodes.size(), nullptr) {
    r_.output = output;
    r_.target = target;
    r_.fixed = fixed;
    Outcome o;
    ev_.evaluate(c, rules_, o);
    if (o.error) r_.error = o.error;
    else if (!o.outputs.empty()) r_.current = o.outputs[0].second;
    Thresholds th;
    collect_thresholds(p_, prog, th);
    for (std::uint32_t i = 0; i < p_.inputs.size(); ++i) {
      if (std::find(fixed.begin(), fixed.end(), i) != fixed.end()) continue;
      const auto& in = p_.inputs[i];
      std::vector<Value> cand;
      for (Value v : candidate_values(p_, in, th)) {
        if (base_.state[i] != InputState::Absent && compare(v, base_.values[i]) == 0) continue;
        // Whole numbers (and whole days) stay whole.
        if (in.type.is_number() && (in.type.whole || in.type.unit == dsl::Unit::Days) && !v.is_integer()) continue;
        cand.push_back(v);
      }
      if (cand.empty()) continue;
      r_.explored += cand.size();
      inputs_.push_back(i);
      cands_.push_back(std::move(cand));
    }
    for (const auto& ru : p_.rules) mark_clauses(p_, ru.body, &ru.clause, clauses_);
  }

  WhyNotSearch run() {
    if (r_.error) return std::move(r_);
    const std::size_t n = inputs_.size();
    for (std::size_t k = 0; k < n && !r_.cut; ++k)
      for (Value v : cands_[k]) consider({{inputs_[k], v}});
    if (kept_.empty())
      for (std::size_t k = 0; k < n && !r_.cut; ++k)
        for (std::size_t l = k + 1; l < n && !r_.cut; ++l)
          for (Value v : cands_[k])
            for (Value w : cands_[l]) consider({{inputs_[k], v}, {inputs_[l], w}});
    std::vector<std::pair<std::size_t, WhyNotResult>> all;
    for (auto& [key, res] : kept_) all.push_back(std::move(res));
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
      if (a.second.changes.size() != b.second.changes.size()) return a.second.changes.size() < b.second.changes.size();
      if (compare(a.second.size, b.second.size) != 0) return a.second.size < b.second.size;
      return a.first < b.first;
    });
    std::vector<WhyNotResult> found;
    for (auto& [seq, res] : all) found.push_back(std::move(res));
    if (found.size() > WhyNotSearch::kMaxFound) found.erase(found.begin() + WhyNotSearch::kMaxFound, found.end());
    Trace before;
    Outcome ob;
    ev_.evaluate_traced(base_, rules_, ob, before);
    for (auto& f : found) bind(f, before);
    r_.found = std::move(found);
    return std::move(r_);
  }

private:
  Case changed(const std::vector<std::pair<std::uint32_t, Value>>& changes) const {
    Case k = base_;
    for (auto [slot, v] : changes) {
      k.values[slot] = v;
      k.state[slot] = InputState::Given;
    }
    return k;
  }

  bool qualifies(Value v) const {
    return r_.target ? compare(v, *r_.target) == 0 : compare(v, r_.current) != 0;
  }

  void consider(const std::vector<std::pair<std::uint32_t, Value>>& changes) {
    if (r_.cut) return;
    work_ += std::max<std::uint64_t>(1, p_.inputs.size());
    if (work_ > WhyNotSearch::kWorkBudget) {
      r_.cut = true;
      return;
    }
    Case k = changed(changes);
    ++r_.tried;
    Outcome o;
    std::optional<EvalError> invalid;
    ev_.validate_and_evaluate(k, rules_, o, invalid);
    if (invalid) {
      ++r_.invalid;
      return;
    }
    if (o.error || o.outputs.empty() || !qualifies(o.outputs[0].second)) return;
    WhyNotResult res;
    res.value = o.outputs[0].second;
    ChangeKey key;
    for (auto [slot, v] : changes) {
      WhyNotChange ch{slot, std::nullopt, v, std::nullopt};
      if (base_.state[slot] != InputState::Absent) {
        ch.from = base_.values[slot];
        if (p_.inputs[slot].type.is_number()) {
          ch.difference = v - *ch.from;
          res.size = res.size + magnitude(*ch.difference);
        }
      }
      key.emplace_back(slot, ch.difference ? std::string(1, *ch.difference < Value() ? '-' : '+') : v.to_string());
      res.changes.push_back(ch);
    }
    key.emplace_back(~0u, res.value.to_string());
    auto [it, fresh] = kept_.try_emplace(key, seq_, res);
    if (!fresh && res.size < it->second.second.size) it->second.second = std::move(res);
    if (fresh) ++seq_;
  }

  // The comparisons of the changed inputs whose truth the change turns.
  void bind(WhyNotResult& f, const Trace& before_all) {
    std::vector<std::pair<std::uint32_t, Value>> changes;
    for (const auto& ch : f.changes) changes.emplace_back(ch.input, ch.to);
    Case k = changed(changes);
    Trace before = before_all, after;
    Outcome oa;
    ev_.evaluate_traced(k, rules_, oa, after);
    for (NodeId id = 0; id < p_.nodes.size(); ++id) {
      const auto& n = p_.nodes[id];
      if (!is_comparison(n.op) || !after.node_done[id]) continue;
      for (int side = 0; side < 2; ++side) {
        NodeId x = side == 0 ? n.a : n.b, y = side == 0 ? n.b : n.a;
        const auto& xn = p_.nodes[x];
        if (xn.op != Op::Input) continue;
        bool ours = std::any_of(f.changes.begin(), f.changes.end(), [&](const WhyNotChange& c) { return c.input == xn.slot; });
        if (!ours || p_.nodes[y].op == Op::Input) continue;
        if (!before.node_done[id] && !ev_.evaluate_node_traced(base_, id, before)) continue;
        bool was = checked::as_bool(before.node_values[id]), is = checked::as_bool(after.node_values[id]);
        if (was == is) continue;
        WhyNotBinding b;
        b.input = xn.slot;
        b.comparison = id;
        b.op = n.op;
        b.input_left = side == 0;
        b.threshold = after.node_done[y] ? after.node_values[y] : before.node_values[y];
        const auto& yn = p_.nodes[y];
        if (yn.op == Op::Rule) b.other_label = p_.rules[yn.slot].label, b.other_name = p_.rules[yn.slot].name;
        if (yn.op == Op::Param) b.other_label = p_.params[yn.slot].label, b.other_name = p_.params[yn.slot].name;
        if (clauses_[id]) b.clause = *clauses_[id];
        b.held_before = was;
        b.holds_after = is;
        f.bindings.push_back(std::move(b));
      }
    }
  }

  const checked::Policy& p_;
  const Case& base_;
  Evaluator ev_;
  std::vector<std::uint32_t> rules_;
  std::vector<const std::string*> clauses_;
  std::vector<std::uint32_t> inputs_;        // the inputs that may change
  std::vector<std::vector<Value>> cands_;    // per such input, its candidates
  std::map<ChangeKey, std::pair<std::size_t, WhyNotResult>> kept_;
  std::size_t seq_ = 0;
  std::uint64_t work_ = 0;
  WhyNotSearch r_;
};

}  // namespace

WhyNotSearch why_not(const Program& prog, const Case& c, std::uint32_t output, std::optional<Value> target,
                     const std::vector<std::uint32_t>& fixed) {
  return WhyNot(prog, c, output, target, fixed).run();
}

std::optional<WhyNotQuestion> why_not_question(const checked::Policy& p, const std::string& name,
                                               const std::optional<std::string>& value,
                                               const std::vector<std::string>& fixes, std::string& error,
                                               std::string& bad_fix) {
  int rule = -1;
  std::vector<std::string> outputs;
  for (std::size_t r = 0; r < p.rules.size(); ++r) {
    if (!p.rules[r].is_output) continue;
    outputs.push_back(p.rules[r].name);
    if (p.rules[r].name == name) rule = static_cast<int>(r);
  }
  if (rule < 0) {
    error = dsl::with_suggestion(dsl::textf(dsl::Msg::OutputNoSuch, p.header.name, name), name, outputs);
    return std::nullopt;
  }
  WhyNotQuestion q;
  q.output = static_cast<std::uint32_t>(rule);
  const auto& ru = p.rules[q.output];
  if (value) {
    std::string why;
    q.target = dsl::parse_value(p, ru.type, *value, why);
    if (!q.target) {
      error = dsl::textf(dsl::Msg::ParamBadValue, name, ru.label, why);
      return std::nullopt;
    }
  }
  std::vector<std::string> inputs;
  for (const auto& in : p.inputs) inputs.push_back(in.name);
  for (const auto& f : fixes) {
    int slot = p.find_input(f);
    if (slot < 0) {
      error = dsl::with_suggestion(dsl::textf(dsl::Msg::InputNoSuch, p.header.name, f), f, inputs);
      bad_fix = f;
      return std::nullopt;
    }
    q.fixed.push_back(static_cast<std::uint32_t>(slot));
  }
  return q;
}

}  // namespace pol::interp
