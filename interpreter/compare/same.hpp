#pragma once
// Structural comparison of two checked policies: two expressions are the same when their trees
// are, with inputs, parameters, rules and enum values matched by name; layout, comments and
// parentheses do not count.
#include <cstdint>
#include <set>
#include <string>

#include "checked/checked.hpp"

namespace pol::interp {

struct SameStructure {
  const checked::Policy& a;
  const checked::Policy& b;

  [[nodiscard]] bool type(const dsl::Type& x, const dsl::Type& y) const;
  // A value of A and one of B: the same number, or enum values of the same name.
  [[nodiscard]] bool value(const dsl::Type& t, checked::Value x, const dsl::Type& u, checked::Value y) const;
  [[nodiscard]] bool node(checked::NodeId x, checked::NodeId y) const;

private:
  [[nodiscard]] bool attributes(const checked::Node& n, const checked::Node& m) const;
  [[nodiscard]] std::set<std::string> names(const checked::Policy& p, const dsl::Type& t, std::uint64_t mask) const;
};

}  // namespace pol::interp
