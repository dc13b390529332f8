#pragma once
// The outputs two policies share, and when two of their values count as the same.
#include <cstdint>
#include <string>
#include <vector>

#include "checked/checked.hpp"

namespace pol::interp {

// One output of A and the output of B with the same name.
struct OutputPair {
  std::uint32_t ra, rb;
};

// The outputs both files have with the same kind of value (all, or the `only` ones); a name
// in `only` that is not such an output, or no output at all to compare, throws
// CompareUsageError.
[[nodiscard]] std::vector<OutputPair> shared_outputs(const checked::Policy& a, const checked::Policy& b,
                                                     const std::vector<std::string>& only);
// The rules of one side of the pairs (&OutputPair::ra or &OutputPair::rb), in order.
[[nodiscard]] std::vector<std::uint32_t> rules_of(const std::vector<OutputPair>& pairs, std::uint32_t OutputPair::*side);

// Values of A and B are equal when the same number, or the enum values of the same name.
[[nodiscard]] bool same_output(const checked::Policy& a, const checked::Policy& b, const dsl::Type& t, checked::Value va,
                               const dsl::Type& u, checked::Value vb);

}  // namespace pol::interp
