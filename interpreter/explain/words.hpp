#pragma once
// The phrases every rendering of an explanation shares (in the message table's language):
// the head line of a node, the verdict on a condition, the decision date.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// A node as every page format writes it: its line, then the lines beneath it.
enum class LineKind { Reading, Parts, Arithmetic, Formula, Values, Cut };
struct NodeLines {
  std::string head;
  std::vector<std::pair<LineKind, std::string>> lines;
};
// In plain words by default (labels, the parts of a condition, the arithmetic); with
// o.names, the identifiers and the formulas as written as well.
[[nodiscard]] NodeLines node_lines(const checked::Policy& p, const ExplainNode& e, const ExplainOptions& o);
// The parts of a condition joined: "累计缴费年限 22 年，未达到……；在我省……".
[[nodiscard]] std::string parts_text(const std::vector<ConditionPart>& parts);

// The summary, as lines of label and value, for every format.
struct SummaryRow {
  std::string name, label, value, note;
  bool warn = false;
};
[[nodiscard]] std::vector<SummaryRow> fact_rows(const Explanation& e);
[[nodiscard]] std::vector<SummaryRow> result_rows(const checked::Policy& p, const Explanation& e);
[[nodiscard]] std::vector<SummaryRow> unconfirmed_rows(const Explanation& e);
// "pol 0.1.0", each rule file with its SHA-256, the date and where it came from, the time.
[[nodiscard]] std::vector<std::string> provenance_lines(const Explanation& e);
// The page's heading: "POLICY TITLE：案例 ID 的计算说明（DATE）".
[[nodiscard]] std::string page_heading(const Explanation& e);

}  // namespace pol::interp
