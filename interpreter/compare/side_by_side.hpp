#pragma once
// One case explained under A and under B, the two derivations side by side.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "compare/compare.hpp"

namespace pol::interp {

// The explanation of some outputs for one case, as text and as JSON (no final newline).
struct Explained {
  std::string text, json;
  Outcome outcome;
};

[[nodiscard]] Explained explain_one(const checked::Policy& p, const Case& c, std::optional<int> at,
                                    const std::vector<std::uint32_t>& rules);

// Two explanations side by side: A on the left, B on the right; `≠` marks the first line where
// they part, `│` every later line that differs.
struct SideBySide {
  std::string text;
  std::optional<std::size_t> first;  // 1-based line of the first difference (after the title)
};

[[nodiscard]] SideBySide side_by_side(const checked::Policy& a, const checked::Policy& b, const std::string& xa,
                                      const std::string& xb);
// A column's heading: "A：jilin_2025".
[[nodiscard]] std::string side_head(char side, const checked::Policy& p);
// The sentence saying where the two derivations part.
[[nodiscard]] std::string part_note(const SideBySide& s);

// `--explain-case ID`: the case with that id or line number, explained under A and under B.
struct CaseUnderBoth {
  std::uint64_t line = 0;
  std::string id_text, id_json;        // the case's id, as read and as JSON (empty when none)
  std::vector<std::string> differing;  // the compared outputs whose values differ
  Explained a, b;                      // the differing outputs (or the --output ones, or all)
  SideBySide columns;
};

// Throws CompareUsageError when there is no such case or it cannot be evaluated under A or B.
[[nodiscard]] CaseUnderBoth explain_case(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args,
                                         std::optional<int> at);

}  // namespace pol::interp
