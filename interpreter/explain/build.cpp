// Building the explanation tree from a traced evaluation.
#include "explain/explain.hpp"

#include <algorithm>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "checked/visit.hpp"
#include "eval/evaluator.hpp"
#include "explain/plain.hpp"
#include "explain/summary.hpp"
#include "explain/print.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using checked::kNoNode;
using checked::Node;
using checked::NodeId;
using checked::Op;

namespace {

// A node for a declaration: its kind, name, label, clause and reading.
template <class D>
ExplainNode node_for(ExplainNode::Kind kind, const D& d) {
  ExplainNode e;
  e.kind = kind;
  e.name = d.name;
  e.label = d.label;
  e.clause = d.clause;
  e.reading = d.reading;
  return e;
}

// The values the explanation may show: the trace of the evaluation, completed by evaluating
// for the explanation the operands of a condition that the lazy walk skipped.
// Alternative `k` of reading `rd`, as a note: "own" when it is the one the file takes.
ReadingNote note_of(const checked::Reading& rd, int k) {
  ReadingNote note;
  note.id = rd.id;
  note.name = rd.alternatives[static_cast<std::size_t>(k)].name;
  note.label = rd.alternatives[static_cast<std::size_t>(k)].label;
  note.own = k == rd.taken;
  return note;
}

class Values {
public:
  Values(const Program& prog, const Case& c, const Trace& t)
      : prog_(prog), p_(prog.policy()), case_(c), main_(t), view_(t), extra_(t.node_done.size(), 0) {
    written_.resize(p_.params.size());
    for (std::uint32_t i = 0; i < p_.params.size(); ++i) {
      int choice = prog.param_choice(i);
      if (choice < 0) continue;
      const auto& v = p_.params[i].values[static_cast<std::size_t>(choice)];
      int alt = prog.param_reading(i);
      const auto& place = alt < 0 ? v.place : v.readings[static_cast<std::size_t>(alt)].place;
      std::string_view w =
          p_.file_of(place).slice(alt < 0 ? v.value_range : v.readings[static_cast<std::size_t>(alt)].value_range);
      if (w.find('/') != std::string_view::npos) written_[i] = std::string(w);
    }
  }

  [[nodiscard]] ValueView view() const { return {p_, view_, extra_, written_}; }
  [[nodiscard]] const Trace& main() const { return main_; }
  [[nodiscard]] const Trace& all() const { return view_; }
  [[nodiscard]] bool extra(NodeId id) const { return extra_[id] != 0; }
  [[nodiscard]] const std::string& written(std::uint32_t param) const { return written_[param]; }

  // In the and/or/not tree at `id`, every operand a false `and` skipped is evaluated when it
  // can be, so that each failing part can be shown. (A true `or` is explained by the part
  // that holds: what it skipped stays unevaluated.)
  void complete(NodeId id) {
    const Node& n = p_.nodes[id];
    if (!view_.node_done[id]) return;
    if (n.op == Op::And || n.op == Op::Or) {
      complete(n.a);
      if (n.op == Op::And && !view_.node_done[n.b] && !checked::as_bool(view_.node_values[id])) walk(n.b);
      complete(n.b);
    } else if (n.op == Op::Not) {
      complete(n.a);
    }
  }

  // Rule r's `applies when` condition, when it does not hold for the case: its failing parts.
  // Evaluated apart (the condition is not part of the value), so nothing else on the page
  // changes; empty when the rule applies or its condition cannot be evaluated.
  std::vector<ConditionPart> outside(std::uint32_t r) {
    NodeId cond = p_.rules[r].applies;
    if (cond == kNoNode) return {};
    if (!ev_) ev_ = std::make_unique<Evaluator>(prog_);
    Trace scope;
    if (!ev_->evaluate_node_traced(case_, cond, scope) || checked::as_bool(scope.node_values[cond])) return {};
    std::vector<std::uint8_t> none(scope.node_done.size(), 0);
    auto parts = condition_parts(ValueView{p_, scope, none, written_}, cond);
    std::erase_if(parts, [](const ConditionPart& c) { return c.state != ConditionPart::State::Fails; });
    return parts;
  }

private:
  const Program& prog_;
  const checked::Policy& p_;
  const Case& case_;
  const Trace& main_;
  Trace view_;
  std::vector<std::uint8_t> extra_;
  std::vector<std::string> written_;
  std::unique_ptr<Evaluator> ev_;

  bool walk(NodeId id) {
    if (!ev_) ev_ = std::make_unique<Evaluator>(prog_);
    Trace more;
    if (!ev_->evaluate_node_traced(case_, id, more)) return false;
    for (std::size_t i = 0; i < more.node_done.size(); ++i)
      if (more.node_done[i] && !view_.node_done[i]) {
        view_.node_done[i] = 1;
        view_.node_values[i] = more.node_values[i];
        extra_[i] = 1;
      }
    for (std::size_t i = 0; i < more.rule_done.size(); ++i)
      if (more.rule_done[i] && !view_.rule_done[i]) {
        view_.rule_done[i] = 1;
        view_.rule_values[i] = more.rule_values[i];
      }
    return true;
  }
};

class Builder {
public:
  Builder(const Program& prog, const Case& c, const Trace& t)
      : prog_(prog), p_(prog.policy()), case_(c), t_(t), values_(prog, c, t) {}

  // `top`: an output asked for, which may be outside where it applies; a definition read by
  // another is shown with the value that was read.
  ExplainNode rule(std::uint32_t r, std::set<std::uint32_t>& expanded, bool top = false) {
    const auto& ru = p_.rules[r];
    const Trace& all = values_.all();
    ExplainNode e = node_for(ru.is_output ? ExplainNode::Kind::Output : ExplainNode::Kind::Let, ru);
    e.type = ru.type;
    e.has_value = all.rule_done[r];
    e.value = all.rule_values[r];
    e.for_explanation_only = !t_.rule_done[r] && all.rule_done[r];
    if (top) e.outside = values_.outside(r);
    if (!e.outside.empty()) return e;  // not applicable: one line, no derivation
    // A definition only the explanation evaluated is one line: the outcome did not need it.
    if (e.for_explanation_only || !expanded.insert(r).second) {
      e.seen_above = !e.for_explanation_only;
      return e;
    }
    const NodeId body_id = reading_in_force(ru.body, e);
    const Node& body = p_.nodes[body_id];
    e.formula = print_expr(p_, body_id, nullptr);
    if (body.op == Op::Chain || body.op == Op::Match) {
      e.formula.clear();
      branches(body_id, e);
    } else {
      if (body.type.base == dsl::Base::Bool && body.op != Op::Const) {
        values_.complete(body_id);
        if (all.node_done[body_id]) e.parts = condition_parts(values_.view(), body_id);
      }
      e.substituted = print_expr(p_, body_id, &t_);
      if (e.substituted == e.formula) e.substituted.clear();
      e.arithmetic = arithmetic_of(values_.view(), body_id);
    }
    std::vector<NodeId> refs, dated;
    collect_refs(body_id, refs, dated);
    for (NodeId id : refs) e.children.push_back(ref(id, expanded));
    for (NodeId id : dated)
      if (auto sub = as_of(id)) e.children.push_back(std::move(*sub));
    return e;
  }

private:
  const Program& prog_;
  const checked::Policy& p_;
  const Case& case_;
  const Trace& t_;
  Values values_;
  std::set<std::pair<int, std::uint32_t>> dated_expanded_;  // (date, rule) shown under as_of

  // as_of(DATE, rule): the rule's derivation under the parameters in force on DATE, from the
  // same evaluator run on a program for that date; each (date, rule) is expanded once.
  std::optional<ExplainNode> as_of(NodeId id) {
    const Node& n = p_.nodes[id];
    const Node& inner = p_.nodes[n.a];
    auto date = prog_.context_date(n.slot);
    if (inner.op != Op::Rule || !date) return std::nullopt;
    std::string tag = dsl::textf(dsl::Msg::DatedParams, format_date(*date));
    if (!dated_expanded_.insert({*date, inner.slot}).second) {
      ExplainNode seen;
      seen.kind = ExplainNode::Kind::Let;
      seen.name = p_.rules[inner.slot].name;
      seen.label = p_.rules[inner.slot].label + tag;
      seen.clause = p_.rules[inner.slot].clause;
      seen.type = p_.rules[inner.slot].type;
      seen.value = values_.all().node_values[id];
      seen.seen_above = true;
      return seen;
    }
    Program dated(p_, date, prog_.sets());
    Evaluator ev(dated);
    Outcome out;
    Trace trace;
    ev.evaluate_traced(case_, {inner.slot}, out, trace);
    if (out.error || !trace.rule_done[inner.slot]) return std::nullopt;
    Builder sub(dated, case_, trace);
    std::set<std::uint32_t> expanded;
    ExplainNode e = sub.rule(inner.slot, expanded);
    e.kind = ExplainNode::Kind::Let;
    e.label += tag;
    return e;
  }

  // A parameter value with values under other readings: the reading in force named at it.
  void param_readings(const checked::ParamValue& v, std::uint32_t slot, ExplainNode& e) {
    std::vector<std::uint32_t> seen;
    for (const auto& rv : v.readings) {
      if (std::find(seen.begin(), seen.end(), rv.reading) != seen.end()) continue;
      seen.push_back(rv.reading);
      const auto& rd = p_.readings[rv.reading];
      e.readings_in_force.push_back(note_of(rd, checked::as_enum(prog_.params(0)[rd.param])));
    }
    int alt = prog_.param_reading(slot);
    if (alt >= 0) e.flag = false;  // the alternative's value is the reading's, not the placeholder's
  }

  // The body of the reading in force: a rule with alternatives is a match on its reading's
  // parameter (dsl/check/readings.cpp), looked through here and named in the explanation.
  NodeId reading_in_force(NodeId id, ExplainNode& e) {
    for (;;) {
      const Node& n = p_.nodes[id];
      if (n.op != Op::Match || p_.nodes[n.a].op != Op::Param) return id;
      const auto& pa = p_.params[p_.nodes[n.a].slot];
      if (pa.ambiguity < 0) return id;
      const auto& rd = p_.readings[static_cast<std::size_t>(pa.ambiguity)];
      int k = checked::as_enum(prog_.params(0)[p_.nodes[n.a].slot]);
      e.readings_in_force.insert(e.readings_in_force.begin(), note_of(rd, k));
      NodeId next = kNoNode;
      for (std::uint32_t i = 0; i < n.count && next == kNoNode; ++i) {
        const auto& b = p_.branches[n.first + i];
        if (b.mask == 0 || ((b.mask >> k) & 1)) next = b.result;
      }
      id = next;
    }
  }

  void branches(NodeId id, ExplainNode& e) {
    const Node& n = p_.nodes[id];
    const Trace& all = values_.all();
    ValueView vv = values_.view();
    for (std::uint32_t i = 0; i < n.count; ++i) {
      const auto& b = p_.branches[n.first + i];
      ExplainNode br;
      br.kind = ExplainNode::Kind::Branch;
      br.source = b.clause;
      br.type = p_.nodes[b.result].type;
      bool otherwise = b.condition == kNoNode && b.mask == 0;
      if (n.op == Op::Chain && !otherwise) {
        if (!all.node_done[b.condition]) break;  // not tried: an earlier branch was taken
        values_.complete(b.condition);
        br.formula = print_expr(p_, b.condition, nullptr);
        br.substituted = print_expr(p_, b.condition, &t_);
        br.flag = checked::as_bool(all.node_values[b.condition]);
        br.parts = condition_parts(vv, b.condition);
        if (has_number(b.condition)) br.condition_values = math_expr(vv, b.condition);
      } else if (n.op == Op::Match && !otherwise) {
        if (!all.node_done[n.a]) break;
        const Node& subj = p_.nodes[n.a];
        br.formula = fmt::format("{} in {{{}}}", print_expr(p_, n.a, nullptr), enum_set(p_, subj.type.enum_id, b.mask));
        br.substituted = fmt::format("{} in {{{}}}", print_expr(p_, n.a, &t_), enum_set(p_, subj.type.enum_id, b.mask));
        br.flag = (b.mask >> checked::as_enum(all.node_values[n.a])) & 1;
        br.parts.push_back({arm_sentence(vv, n.a, b.mask), br.flag ? ConditionPart::State::Holds : ConditionPart::State::Fails,
                            values_.extra(n.a)});
      } else {
        br.formula = "otherwise";
        br.flag = true;
      }
      br.result = print_expr(p_, b.result, nullptr);
      br.taken = br.flag && all.node_done[b.result];
      if (br.taken) {
        br.value = all.node_values[b.result];
        std::string sub = print_expr(p_, b.result, &t_);
        if (sub != br.result) br.substituted = br.substituted.empty() ? sub : br.substituted;
        br.arithmetic = arithmetic_of(vv, b.result);
        e.arithmetic = br.arithmetic;
      }
      br.has_value = br.taken;
      bool taken = br.taken;
      e.children.push_back(std::move(br));
      if (taken) break;
    }
  }

  // Whether a condition compares or computes numbers (then its values are worth a line).
  bool has_number(NodeId id) const {
    bool found = false;
    checked::walk(p_, id, [&](NodeId, const Node& n) {
      found = found || n.type.is_number();
      return !found;
    });
    return found;
  }

  // The inputs, parameters and definitions a body read (or a condition's part evaluated for
  // the explanation), in the order they appear.
  void collect_refs(NodeId id, std::vector<NodeId>& out, std::vector<NodeId>& dated) {
    const Node& n = p_.nodes[id];
    if (!values_.all().node_done[id] && n.op != Op::Chain && n.op != Op::Match) return;
    switch (n.op) {
      case Op::Input:
      case Op::Param:
      case Op::Rule:
        for (NodeId o : out)
          if (p_.nodes[o].op == n.op && p_.nodes[o].slot == n.slot) return;
        out.push_back(id);
        return;
      case Op::AsOf:  // evaluated under another date: shown whole by as_of(), not taken apart here
        dated.push_back(id);
        return;
      case Op::And:  // a part evaluated for the explanation that holds explains nothing
        for (NodeId c : {n.a, n.b})
          if (!values_.extra(c) || !checked::as_bool(values_.all().node_values[c])) collect_refs(c, out, dated);
        return;
      default: checked::for_each_child(p_, n, [&](NodeId c) { collect_refs(c, out, dated); });
    }
  }

  ExplainNode ref(NodeId id, std::set<std::uint32_t>& expanded) {
    const Node& n = p_.nodes[id];
    if (n.op == Op::Rule) return rule(n.slot, expanded);
    ExplainNode e;
    if (n.op == Op::Input) {
      e = node_for(ExplainNode::Kind::Input, p_.inputs[n.slot]);
      e.flag = case_.state[n.slot] == InputState::Defaulted;
    } else {
      const auto& pa = p_.params[n.slot];
      e = node_for(ExplainNode::Kind::Param, pa);
      int choice = prog_.param_choice(n.slot);
      if (choice == -2) {
        e.set_by_user = true;
      } else if (choice >= 0) {
        const auto& v = pa.values[choice];
        e.flag = v.placeholder;
        e.source = v.source;
        e.from = v.from;
        e.written = values_.written(n.slot);
        param_readings(v, n.slot, e);
      }
    }
    e.type = n.type;
    e.value = values_.all().node_values[id];
    e.for_explanation_only = values_.extra(id);
    return e;
  }
};

// For each output, each alternative (not in force) of every reading it depends on through the
// dependency graph, and the output's value for this case under that alternative.
void add_other_readings(Explanation& e, const Program& program, const Case& c, const Outcome& outcome) {
  const auto& p = program.policy();
  for (const auto& rd : p.readings) {
    auto affected = p.rules_affected_by_param(rd.param);
    int now = checked::as_enum(program.params(0)[rd.param]);
    for (int k = 0; k < static_cast<int>(rd.alternatives.size()); ++k) {
      if (k == now) continue;
      std::vector<ParamSetting> sets = program.sets();
      sets.push_back({rd.param, Value::from_int(k)});
      std::unique_ptr<Program> other;
      std::unique_ptr<Evaluator> ev;
      Outcome out;
      for (std::size_t i = 0; i < outcome.outputs.size(); ++i) {
        auto r = outcome.outputs[i].first;
        if (!std::binary_search(affected.begin(), affected.end(), r)) continue;
        if (!other) {
          other = std::make_unique<Program>(p, program.date(), sets);
          ev = std::make_unique<Evaluator>(*other);
          std::vector<std::uint32_t> rules;
          for (const auto& o : outcome.outputs) rules.push_back(o.first);
          ev->evaluate(c, rules, out);
        }
        ReadingNote note = note_of(rd, k);
        if (out.error) {
          note.changes = true;
          note.value_text = out.error->message;
        } else {
          Value v = out.outputs[i].second;
          note.changes = compare(v, outcome.outputs[i].second) != 0;
          note.value_text = text_value(p, p.rules[r].type, v);
        }
        e.outputs[i].other_readings.push_back(note);
      }
    }
  }
}

}  // namespace

Explanation build_explanation(const Program& program, const Case& c, const Outcome& outcome, const Trace& trace,
                              std::string date_note) {
  Explanation e;
  const auto& p = program.policy();
  e.policy_name = p.header.name;
  e.policy_title = p.header.title;
  e.as_of = program.date();
  e.date_note = std::move(date_note);
  e.case_id = c.id_text;
  e.error = outcome.error;
  Builder b(program, c, trace);
  // A definition is expanded once in the whole explanation; later uses say "见上".
  std::set<std::uint32_t> expanded;
  for (const auto& [r, v] : outcome.outputs) e.outputs.push_back(b.rule(r, expanded, true));
  add_other_readings(e, program, c, outcome);
  add_summary(e, program, c, trace);
  return e;
}

}  // namespace pol::interp
