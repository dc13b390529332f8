// Structural checks over the whole program: cycles among rules, unused inputs and parameters,
// placeholder values, and which nodes depend on no input.
#include <algorithm>

#include <fmt/format.h>

#include "check/checker_impl.hpp"

namespace pol::dsl::checking {

void Checker::find_cycles() {
  std::vector<int> state(p_.rules.size(), 0);  // 0 new, 1 on stack, 2 done
  std::vector<std::uint32_t> stack;
  std::function<void(std::uint32_t)> visit = [&](std::uint32_t r) {
    state[r] = 1;
    stack.push_back(r);
    for (std::uint32_t d : p_.rule_rules[r]) {
      if (state[d] == 1) {
        auto from = std::find(stack.begin(), stack.end(), d);
        std::vector<std::string> names;
        for (auto it = from; it != stack.end(); ++it) names.push_back(p_.rules[*it].name);
        names.push_back(p_.rules[d].name);
        std::vector<Note> notes;
        for (auto it = from + 1; it != stack.end(); ++it) notes.push_back(note_at(p_.rules[*it].place, textf(Msg::PartOfCycle, p_.rules[*it].name)));
        error(DiagCode::Cycle, p_.rules[d].place.file, p_.rules[d].place.range,
              textf(Msg::Cycle, fmt::format("{}", fmt::join(names, " → "))), std::move(notes));
      } else if (state[d] == 0) {
        visit(d);
      }
    }
    stack.pop_back();
    state[r] = 2;
  };
  for (std::uint32_t r = 0; r < p_.rules.size(); ++r)
    if (state[r] == 0) visit(r);
}

void Checker::warn_unused() {
  for (std::size_t i = 0; i < p_.inputs.size(); ++i)
    if (!input_used_[i] && p_.inputs[i].place.file == 0)
      diag(Severity::Warning, DiagCode::UnusedInput, 0, p_.inputs[i].place.range,
           textf(Msg::UnusedInput, p_.inputs[i].name, p_.inputs[i].label));
  for (std::size_t i = 0; i < p_.params.size(); ++i)
    if (!param_used_[i] && p_.params[i].place.file == 0)
      diag(Severity::Warning, DiagCode::UnusedParam, 0, p_.params[i].place.range,
           textf(Msg::UnusedParam, p_.params[i].name, p_.params[i].label));
  for (const auto& pa : p_.params)
    for (const auto& v : pa.values)
      if (v.placeholder)
        diag(Severity::Warning, DiagCode::Placeholder, v.place.file, v.value_range,
             textf(Msg::PlaceholderValue, pa.name, show(pa.type, v.value), v.source));
}

void Checker::compute_input_free() {
  // Children come before parents in `nodes`, except references to rules, which are resolved
  // by a fixpoint over rules in dependency order.
  std::vector<int> rule_free(p_.rules.size(), -1);
  std::function<bool(std::uint32_t)> rule_is_free = [&](std::uint32_t r) -> bool {
    if (rule_free[r] >= 0) return rule_free[r] == 1;
    rule_free[r] = 0;  // a cycle (already reported) counts as not free
    NodeId b = p_.rules[r].body;
    bool free = b != kNoNode && p_.rule_inputs[r].empty();
    for (auto d : p_.rule_rules[r]) free = free && rule_is_free(d);
    rule_free[r] = free ? 1 : 0;
    return free;
  };
  for (NodeId id = 0; id < p_.nodes.size(); ++id) {
    Node& n = p_.nodes[id];
    auto free = [&](NodeId c) { return c == kNoNode || p_.nodes[c].input_free; };
    switch (n.op) {
      case Op::Const:
      case Op::Param: n.input_free = true; break;
      case Op::Input:
      case Op::Given: n.input_free = false; break;
      case Op::Rule: n.input_free = rule_is_free(n.slot); break;
      case Op::Min:
      case Op::Max: {
        bool f = true;
        for (std::uint32_t i = 0; i < n.count; ++i) f = f && free(p_.operands[n.first + i]);
        n.input_free = f;
        break;
      }
      case Op::Chain:
      case Op::Match: {
        bool f = free(n.a);
        for (std::uint32_t i = 0; i < n.count; ++i) {
          const auto& b = p_.branches[n.first + i];
          f = f && free(b.condition) && free(b.result);
        }
        n.input_free = f;
        break;
      }
      default: n.input_free = free(n.a) && free(n.b); break;
    }
    if (n.type.is_error()) n.input_free = false;
  }
}

}  // namespace pol::dsl::checking
