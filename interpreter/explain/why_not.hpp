#pragma once
// The --why-not section of an explanation (search/counterfactual.cpp finds the changes): the
// question, each change in words with the thresholds it crosses, and what was tried; the
// same as a JSON object. Every page format writes these lines in its own markup.
#include <string>
#include <vector>

#include "checked/checked.hpp"
#include "report/json_writer.hpp"
#include "search/search.hpp"

namespace pol::interp {

struct WhyNotLines {
  std::string question;  // "要使在职转退休结果为享受退休人员待遇（现为……），可改变："
  struct Item {
    std::string change;  // "在我省……实际缴费年限 10 → 15 年（+5）且 …… ⇒ 在职转退休结果：享受退休人员待遇"
    std::vector<std::string> bindings;  // "跨过的条件：……【clause】"
  };
  std::vector<Item> items;
  std::string none;   // no change found
  std::string fixed;  // the inputs held fixed, or empty
  std::string tried;  // how many cases were tried
  std::string cut;    // the search stopped early, or empty
};

// With `names`, each input's identifier before its label (as --names shows them).
[[nodiscard]] WhyNotLines why_not_lines(const checked::Policy& p, const WhyNotSearch& w, bool names = false);
// The "why_not" object: identifiers and values as JSON, each change also in words.
void why_not_json(const checked::Policy& p, const WhyNotSearch& w, JsonWriter& out);

}  // namespace pol::interp
