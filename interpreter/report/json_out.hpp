#pragma once
// How values are written: exact decimal text, never binary floating point.
// JSON: money with exactly two decimals (591.20), other numbers minimal (0.095, 30, 2.5),
// booleans, enum identifiers and dates as strings. Text: with units and Chinese labels
// (591.20 元, 9.5%, 30 年, 是/否, the enum value's label).
#include <string>
#include <string_view>

#include <optional>

#include "checked/checked.hpp"
#include "eval/outcome.hpp"

namespace pol::interp {

void append_json_string(std::string& out, std::string_view s);
void append_json_value(std::string& out, const checked::Policy& p, const dsl::Type& t, checked::Value v);
// Writes the exact text of v with at least `min_places` decimals (as Decimal::append_to) at p,
// which must have room for kMaxDecimalText bytes; returns the end.
inline constexpr std::size_t kMaxDecimalText = 48;
char* write_decimal(char* p, checked::Value v, int min_places);
[[nodiscard]] std::string text_value(const checked::Policy& p, const dsl::Type& t, checked::Value v);
// A parameter's dated value as a reader sees it: as the rule file writes it when that is a
// fraction ("2/3", not 66.6666666666666667%), else text_value.
[[nodiscard]] std::string param_value_text(const checked::Policy& p, const checked::Param& pa, const checked::ParamValue& v);
// A number as the policy wrote it: money "591.20", rates "9.5%", years "30".
[[nodiscard]] std::string plain_value(const checked::Policy& p, const dsl::Type& t, checked::Value v);

// The result of one evaluation, the object of CONTRACT §3 (pol eval --format json and the
// server's /eval): {"policy": …, "as_of": "YYYY-MM-DD" or null, "outputs": {…}}, no line end.
void append_eval_result_json(std::string& out, const checked::Policy& p, std::optional<int> date,
                             const interp::Outcome& outcome);

}  // namespace pol::interp
