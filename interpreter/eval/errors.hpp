#pragma once
// Evaluation errors: a closed set of kinds, each with the input or parameter at fault and the
// place in the rules. Every evaluation path builds its errors with these functions, so the
// paths name the same kind, field, words and place for the same failure.
#include <cstdint>
#include <optional>
#include <string>

#include "checked/checked.hpp"

namespace pol::interp {

enum class EvalErrorKind { MissingInput, Overflow, DivisionByZero, NoParamValue, InvalidCase };

struct EvalError {
  EvalErrorKind kind = EvalErrorKind::Overflow;
  std::string field;    // the input at fault, if any
  std::string message;
  checked::Place place;  // where in the rules
  std::uint32_t context = 0;  // NoParamValue: the evaluation context (k >= 1: the k-th as_of's date)
};

// Input `input` is absent and has no default; output `output` (a rule index) needs it.
[[nodiscard]] EvalError missing_input_error(const checked::Policy& p, std::uint32_t input, std::uint32_t output);
// Parameter `param` has no value in force on `date` (read at `place`) in evaluation context
// `context`: for an as_of's context (k >= 1) the message names that as_of and the file that
// sets the parameter, since the rules, not the case, asked for the date.
[[nodiscard]] EvalError no_param_error(const checked::Policy& p, std::uint32_t param, const checked::Place& place,
                                       std::optional<int> date, std::uint32_t context = 0);
// Operation `node` failed with `kind` (overflow, division by zero, a date out of range) while
// output `output` was computed.
[[nodiscard]] EvalError arith_error(const checked::Policy& p, ArithError kind, checked::NodeId node,
                                    std::uint32_t output);

}  // namespace pol::interp
