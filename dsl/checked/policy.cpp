// The checked policy's look-ups and its dependency graph.
#include <algorithm>

#include "checked/checked.hpp"

namespace pol::checked {

int EnumInfo::find(std::string_view text) const {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i].name == text || values[i].label == text) return static_cast<int>(i);
  return -1;
}

int Param::value_at(std::optional<int> date) const {
  if (values.empty()) return -1;
  if (!date) return static_cast<int>(values.size() - 1);
  int found = -1;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!values[i].from || *values[i].from <= *date) found = static_cast<int>(i);
  return found;
}

int Policy::find_input(std::string_view n) const {
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].name == n) return static_cast<int>(i);
  return -1;
}
int Policy::find_param(std::string_view n) const {
  for (std::size_t i = 0; i < params.size(); ++i)
    if (params[i].name == n) return static_cast<int>(i);
  return -1;
}
int Policy::find_rule(std::string_view n) const {
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i].name == n) return static_cast<int>(i);
  return -1;
}
std::vector<std::uint32_t> Policy::outputs() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    if (rules[i].is_output) out.push_back(i);
  return out;
}

std::vector<std::uint32_t> Policy::rules_affected_by_rule(std::uint32_t r) const {
  std::vector<bool> hit(rules.size(), false);
  hit[r] = true;
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
      if (hit[i]) continue;
      for (auto d : rule_rules[i])
        if (hit[d]) {
          hit[i] = changed = true;
          break;
        }
    }
  }
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    if (hit[i]) out.push_back(i);
  return out;
}

std::vector<std::uint32_t> Policy::rules_affected_by_param(std::uint32_t p) const {
  std::vector<bool> hit(rules.size(), false);
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    for (auto d : rule_params[i])
      if (d == p) hit[i] = true;
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    if (hit[i])
      for (auto r : rules_affected_by_rule(i)) out.push_back(r);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace pol::checked
