#pragma once
// Expressions printed as the policy writes them.
#include <cstdint>
#include <string>

#include "eval/evaluator.hpp"

namespace pol::interp {

// Prints a checked expression as the policy writes it; with `trace`, every evaluated
// reference and literal is replaced by its value ("round(6223.77 * 9.5%)").
[[nodiscard]] std::string print_expr(const checked::Policy& p, checked::NodeId id, const Trace* trace);

// The names of the values of enum `enum_id` in `mask`, as a `when` or `in` lists them ("a, b").
[[nodiscard]] std::string enum_set(const checked::Policy& p, std::uint16_t enum_id, std::uint64_t mask);

}  // namespace pol::interp
