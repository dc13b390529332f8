#pragma once
// Scales of the whole-number form: powers of ten, and the scale an input is held at.
#include <cstdint>

#include "base/types.hpp"

namespace pol::interp::int64 {

inline constexpr std::int64_t kP10[19] = {1,
                                          10,
                                          100,
                                          1000,
                                          10000,
                                          100000,
                                          1000000,
                                          10000000,
                                          100000000,
                                          1000000000,
                                          10000000000,
                                          100000000000,
                                          1000000000000,
                                          10000000000000,
                                          100000000000000,
                                          1000000000000000,
                                          10000000000000000,
                                          100000000000000000,
                                          1000000000000000000};

// Money at 2 decimal places, whole numbers (and booleans, enums, dates) at 0, any other
// number at 6.
[[nodiscard]] inline std::uint8_t input_scale(const dsl::Type& t) {
  if (t.base != dsl::Base::Number || t.whole) return 0;
  return t.unit == dsl::Unit::Yuan ? 2 : 6;
}

}  // namespace pol::interp::int64
