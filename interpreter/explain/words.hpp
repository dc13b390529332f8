#pragma once
// The phrases every rendering of an explanation shares (in the message table's language):
// the head line of a node, the verdict on a condition, the decision date.
#include <string>
#include <string_view>

#include "base/messages.hpp"
#include "explain/explain.hpp"

namespace pol::interp {

// A message followed by a colon ("代入：").
[[nodiscard]] std::string label(dsl::Msg m);
// "  【clause】", or nothing.
[[nodiscard]] std::string clause_tag(const std::string& clause);
// The value of a node as a reader sees it, or the note that it was not evaluated.
[[nodiscard]] std::string value_text(const checked::Policy& p, const ExplainNode& e);
// What stands after a parameter's value: "；来源：…" (or "；占位值（未证实）：…"); with no
// source, the placeholder mark alone or nothing.
[[nodiscard]] std::string source_note(bool placeholder, const std::string& source);
// One line for a node: name, label, value and what kind of thing it is.
[[nodiscard]] std::string head_text(const checked::Policy& p, const ExplainNode& e);
// A branch's condition: held (and gave the value, written with `escape`) or did not.
using Escape = std::string (*)(std::string_view);
[[nodiscard]] std::string verdict(const checked::Policy& p, const ExplainNode& e, Escape escape);
// The decision date and how it was chosen.
[[nodiscard]] std::string date_line(const Explanation& e);

}  // namespace pol::interp
