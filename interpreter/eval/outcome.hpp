#pragma once
// What an evaluation gives: the outputs' values or the first error, and, for explanations,
// the trace of every node evaluated.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "checked/checked.hpp"
#include "eval/errors.hpp"

namespace pol::interp {

using checked::Value;

struct Outcome {
  std::vector<std::pair<std::uint32_t, Value>> outputs;  // rule index, value
  std::optional<EvalError> error;
};

// What one traced evaluation recorded, for explanations: the value of every node evaluated
// (on the decision date; an as_of records only its own value).
struct Trace {
  std::vector<Value> node_values;
  std::vector<std::uint8_t> node_done;
  std::vector<Value> rule_values;
  std::vector<std::uint8_t> rule_done;
  std::vector<std::uint8_t> input_used;
  std::vector<std::uint8_t> param_used;
};

}  // namespace pol::interp
