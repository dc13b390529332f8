#include "compare/index.hpp"

#include <algorithm>

namespace pol::interp {

void AffectedOutputs::build() {
  built_ = true;
  const std::size_t n = p_.rules.size();
  outputs_.assign(n, {});
  input_readers_.assign(p_.inputs.size(), {});
  param_readers_.assign(p_.params.size(), {});
  // A rule is finished once every rule that reads it is: then its set is complete, and it
  // passes the set on to the rules it reads (the graph has no cycles: the checker refuses them).
  std::vector<std::uint32_t> readers(n, 0), ready;
  for (std::uint32_t i = 0; i < n; ++i) {
    for (auto d : p_.rule_rules[i]) ++readers[d];
    for (auto s : p_.rule_inputs[i]) input_readers_[s].push_back(i);
    for (auto s : p_.rule_params[i]) param_readers_[s].push_back(i);
  }
  for (std::uint32_t i = 0; i < n; ++i)
    if (readers[i] == 0) ready.push_back(i);
  while (!ready.empty()) {
    std::uint32_t r = ready.back();
    ready.pop_back();
    auto& own = outputs_[r];
    if (p_.rules[r].is_output) own.push_back(r);
    std::sort(own.begin(), own.end());
    own.erase(std::unique(own.begin(), own.end()), own.end());
    for (auto d : p_.rule_rules[r]) {
      outputs_[d].insert(outputs_[d].end(), own.begin(), own.end());
      if (--readers[d] == 0) ready.push_back(d);
    }
  }
}

std::vector<std::string> AffectedOutputs::of_rules(const std::vector<std::uint32_t>& rules) {
  if (!built_) build();
  std::vector<std::uint32_t> all;
  for (auto r : rules) all.insert(all.end(), outputs_[r].begin(), outputs_[r].end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::vector<std::string> names;
  for (auto o : all) names.push_back(p_.rules[o].name);
  return names;
}

std::vector<std::string> AffectedOutputs::of_rule(std::uint32_t r) { return of_rules({r}); }

std::vector<std::string> AffectedOutputs::of_input(std::uint32_t slot) {
  if (!built_) build();
  return of_rules(input_readers_[slot]);
}

std::vector<std::string> AffectedOutputs::of_param(std::uint32_t slot) {
  if (!built_) build();
  return of_rules(param_readers_[slot]);
}

}  // namespace pol::interp
