#pragma once
// Expressions and conditions in words, for the reader: values with their units and labels,
// operators as the text writes them (×, ÷, ≥, 且, 或), rounding and min/max named, comparisons
// as sentences (不少于、未达到、超过、不超过、等于) with the labels of both sides and the gap.
#include <string>
#include <vector>

#include "eval/outcome.hpp"
#include "explain/explain.hpp"

namespace pol::interp {

// What the explanation knows of values: the trace of the evaluation, completed for the
// explanation (`extra`: the nodes only the explanation's own evaluation gave), and each
// parameter's value as written when it is a fraction ("2/3"; empty otherwise).
struct ValueView {
  const checked::Policy& p;
  const Trace& t;
  const std::vector<std::uint8_t>& extra;
  const std::vector<std::string>& written;
};

// A label without a closing parenthetical: "累计缴费年限（职工医保，……）" → "累计缴费年限".
[[nodiscard]] std::string short_label(const std::string& label);
// The value of node `id` as a reader sees it (with its unit, enum label, 是/否, fraction).
[[nodiscard]] std::string node_value_text(const ValueView& v, checked::NodeId id);
// The expression with every evaluated reference replaced by its value, in words:
// "5 年 × 4555.80 元", "22 ≥ 25 且 10 ≥ 15"; a reference not evaluated by its short label.
[[nodiscard]] std::string math_expr(const ValueView& v, checked::NodeId id);
// The arithmetic of a figure computed by `id`: "22779.00 元 = 5 年 × 4555.80 元"; an outer
// rounding is said at the end ("，四舍五入到分"); dates too. Empty when there is nothing to
// compute (a literal, a reference, a yes/no or an enum).
[[nodiscard]] std::string arithmetic_of(const ValueView& v, checked::NodeId id);
// The parts of a condition that decided its value, each a sentence: for a false `and` the
// parts that fail, for a true `or` those that hold, else every part.
[[nodiscard]] std::vector<ConditionPart> condition_parts(const ValueView& v, checked::NodeId id);
// A match arm: "性别为“女”，不是“男”" or "性别为“女”".
[[nodiscard]] std::string arm_sentence(const ValueView& v, checked::NodeId subject, std::uint64_t mask);

}  // namespace pol::interp
