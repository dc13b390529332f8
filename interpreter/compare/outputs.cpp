#include "compare/outputs.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "check/checker.hpp"
#include "compare/compare.hpp"
#include "compare/index.hpp"
#include "compare/same.hpp"

namespace pol::interp {

using checked::Value;

// The outputs both files have with the same kind of value (all, or the --output ones).
std::vector<OutputPair> shared_outputs(const checked::Policy& a, const checked::Policy& b,
                                       const std::vector<std::string>& only) {
  const NameIndex rules_b(b.rules);
  for (const auto& name : only) {
    int i = a.find_rule(name), j = rules_b.find(name);
    bool in_a = i >= 0 && a.rules[static_cast<std::size_t>(i)].is_output;
    bool in_b = j >= 0 && b.rules[static_cast<std::size_t>(j)].is_output;
    if (!in_a && !in_b) {
      std::vector<std::string> all;
      for (auto r : a.outputs()) all.push_back(a.rules[r].name);
      std::string msg = dsl::textf(dsl::Msg::CmpOutputNeither, name, a.header.name,
                                    b.header.name);
      if (auto m = dsl::did_you_mean(name, all)) msg += fmt::format("; did you mean '{}'?", *m);
      throw CompareUsageError{msg};
    }
    if (!in_a || !in_b)
      throw CompareUsageError{dsl::textf(dsl::Msg::CmpOutputOnlyOne,
                                          name, in_a ? a.header.name : b.header.name)};
  }
  std::vector<OutputPair> out;
  for (std::uint32_t i = 0; i < a.rules.size(); ++i) {
    if (!a.rules[i].is_output) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), a.rules[i].name) == only.end()) continue;
    int j = rules_b.find(a.rules[i].name);
    if (j < 0 || !b.rules[static_cast<std::size_t>(j)].is_output) continue;
    const auto &ta = a.rules[i].type, &tb = b.rules[static_cast<std::size_t>(j)].type;
    bool comparable = ta.base == tb.base && (ta.base != dsl::Base::Number || ta.unit == tb.unit) &&
                      (ta.base != dsl::Base::Enum || a.enums[ta.enum_id].name == b.enums[tb.enum_id].name);
    if (comparable) out.push_back({i, static_cast<std::uint32_t>(j)});
    else if (!only.empty())
      throw CompareUsageError{dsl::textf(dsl::Msg::CmpOutputTypes, a.rules[i].name,
                                          dsl::type_name(a, ta), dsl::type_name(b, tb))};
  }
  if (out.empty()) throw CompareUsageError{dsl::textf(dsl::Msg::CmpNoShared)};
  return out;
}


std::vector<std::uint32_t> rules_of(const std::vector<OutputPair>& pairs, std::uint32_t OutputPair::*side) {
  std::vector<std::uint32_t> out;
  for (const auto& pr : pairs) out.push_back(pr.*side);
  return out;
}

bool same_output(const checked::Policy& a, const checked::Policy& b, const dsl::Type& t, Value va, const dsl::Type& u, Value vb) {
  return SameStructure{a, b}.value(t, va, u, vb);
}

}  // namespace pol::interp
