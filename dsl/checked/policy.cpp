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
int Reading::find(std::string_view n) const {
  for (std::size_t i = 0; i < alternatives.size(); ++i)
    if (alternatives[i].name == n) return static_cast<int>(i);
  return -1;
}
int Policy::find_reading(std::string_view id) const {
  for (std::size_t i = 0; i < readings.size(); ++i)
    if (readings[i].id == id) return static_cast<int>(i);
  return -1;
}
int Policy::find_rule(std::string_view n) const {
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i].name == n) return static_cast<int>(i);
  return -1;
}
void Policy::take_reading(std::uint32_t r, int k, const std::string& source, const Place& place) {
  auto& rd = readings[r];
  rd.taken = k;
  rd.taken_source = source;
  auto& pa = params[rd.param];
  pa.values.assign(1, {Value::from_int(k), std::nullopt, false, rd.alternatives[static_cast<std::size_t>(k)].label,
                       place, place.range, {}});
}

std::vector<std::uint32_t> Policy::outputs() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    if (rules[i].is_output) out.push_back(i);
  return out;
}

namespace {

// The rules reachable from `starts` through the readers of each rule (the rules whose body
// reads it), `starts` included, in index order: the reverse graph is built once and each rule
// visited once, so the closure is linear in the size of the graph.
std::vector<std::uint32_t> readers_closure(const Policy& p, const std::vector<std::uint32_t>& starts) {
  const std::size_t n = p.rules.size();
  std::vector<std::uint32_t> first(n + 1, 0), readers;
  for (std::uint32_t i = 0; i < n; ++i)
    for (auto d : p.rule_rules[i]) ++first[d + 1];
  for (std::size_t i = 0; i < n; ++i) first[i + 1] += first[i];
  readers.resize(first[n]);
  std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
  for (std::uint32_t i = 0; i < n; ++i)
    for (auto d : p.rule_rules[i]) readers[fill[d]++] = i;
  std::vector<bool> hit(n, false);
  std::vector<std::uint32_t> todo;
  for (auto s : starts)
    if (!hit[s]) hit[s] = true, todo.push_back(s);
  while (!todo.empty()) {
    std::uint32_t r = todo.back();
    todo.pop_back();
    for (std::uint32_t k = first[r]; k < first[r + 1]; ++k)
      if (!hit[readers[k]]) hit[readers[k]] = true, todo.push_back(readers[k]);
  }
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < n; ++i)
    if (hit[i]) out.push_back(i);
  return out;
}

}  // namespace

std::vector<std::uint32_t> Policy::rules_affected_by_rule(std::uint32_t r) const { return readers_closure(*this, {r}); }

std::vector<std::uint32_t> Policy::rules_affected_by_param(std::uint32_t p) const {
  std::vector<std::uint32_t> starts;
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    if (std::find(rule_params[i].begin(), rule_params[i].end(), p) != rule_params[i].end()) starts.push_back(i);
  return readers_closure(*this, starts);
}

}  // namespace pol::checked
