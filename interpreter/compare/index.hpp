#pragma once
// Look-ups that comparing large policies needs in constant time: names to slots (the
// policy's own find_* walk the list, fine for one name, quadratic for every name of a file),
// and for each rule the outputs it can affect, computed once for all rules.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checked/checked.hpp"

namespace pol::interp {

// The slots of one kind of declaration by name.
class NameIndex {
public:
  template <class Items>
  explicit NameIndex(const Items& items) {
    slots_.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) slots_.emplace(items[i].name, static_cast<int>(i));
  }
  // The slot, or -1.
  [[nodiscard]] int find(std::string_view name) const {
    auto it = slots_.find(name);
    return it == slots_.end() ? -1 : it->second;
  }

private:
  std::unordered_map<std::string_view, int> slots_;  // views into the policy's names
};

// A policy's inputs, parameters and rules by name.
struct PolicyIndex {
  explicit PolicyIndex(const checked::Policy& p) : inputs(p.inputs), params(p.params), rules(p.rules) {}
  NameIndex inputs, params, rules;
};

// The outputs whose value can change when a rule, an input or a parameter changes, read off
// the dependency graph. The sets of all rules are computed together on the first question, in
// one pass over the rules in dependency order (each rule's set is its own and its readers'),
// so the cost is the size of the graph times the outputs a rule reaches, not rules × rules.
class AffectedOutputs {
public:
  explicit AffectedOutputs(const checked::Policy& p) : p_(p) {}
  // Output names, in the policy's order.
  [[nodiscard]] std::vector<std::string> of_rule(std::uint32_t r);
  [[nodiscard]] std::vector<std::string> of_input(std::uint32_t slot);
  [[nodiscard]] std::vector<std::string> of_param(std::uint32_t slot);

private:
  void build();
  [[nodiscard]] std::vector<std::string> of_rules(const std::vector<std::uint32_t>& rules);

  const checked::Policy& p_;
  bool built_ = false;
  std::vector<std::vector<std::uint32_t>> outputs_;           // per rule, sorted rule indices of outputs
  std::vector<std::vector<std::uint32_t>> input_readers_, param_readers_;  // per slot, the rules reading it
};

}  // namespace pol::interp
