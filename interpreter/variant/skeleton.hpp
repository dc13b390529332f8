#pragma once
// `pol new`: the text of a regional-variant skeleton for a base rule file. The parameters the
// base leaves to each region (`regional`) come first, then every other parameter, all
// commented out with the base's dated values, sources and clauses as written; then one test
// block per output those parameters can change, filled in from a base test that expects it
// (so the skeleton checks and its tests pass until the region's values are written in).
#include <string>

#include "checked/checked.hpp"

namespace pol::interp {

struct SkeletonArgs {
  std::string name, title;
  std::string extends;  // the base's path as the `extends` line gives it (relative to the new file)
};

struct Skeleton {
  std::string text;
  std::size_t regional = 0, others = 0, tests = 0;
};

[[nodiscard]] Skeleton write_skeleton(const checked::Policy& base, const SkeletonArgs& args);

// Whether `name` can be a policy name (an identifier: a letter or _, then letters, digits, _).
[[nodiscard]] bool is_policy_name(const std::string& name);

}  // namespace pol::interp
