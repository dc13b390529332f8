#pragma once
// A source text split into the places rule files cite: the preamble, section headings
// ("一、参保范围与条件"), numbered clauses ("（一）…", "第一条…") with their paragraphs, and the
// closing paragraphs after the last clause ("本通知自……起施行", the date).
//
// Paragraphs: a text whose lines are its paragraphs (a line ends in 。：；) keeps them; a text
// wrapped at a fixed width (most lines inside a block end mid-sentence) has a paragraph per
// block between blank lines. A line that starts with a clause or section mark always starts a
// paragraph.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "check/citation.hpp"

namespace pol::interp {

struct TextUnit {
  enum class Kind { Preamble, Section, Clause, Article, Closing };
  Kind kind = Kind::Preamble;
  int number = 0;                       // Section, Clause, Article: its number
  std::string mark;                     // "（五）", "一、", "第一条"; empty for the others
  std::vector<std::string> paragraphs;  // the text, whitespace at the ends of lines removed
  // A clause of the text for the figure "clauses cited / clauses in the text": numbered
  // clauses and articles, a section with text of its own under its heading, a closing
  // paragraph with a sentence. The preamble, headings and a closing date are not.
  bool counted = false;
};

[[nodiscard]] std::vector<TextUnit> split_clauses(std::string_view text);

// Where a citation points: unit index and paragraph (1-based; 0: the whole unit).
struct CitedPlace {
  std::size_t unit = 0;
  int paragraph = 0;
};
// The places of `units` that `refs` name; a reference to no place of the text is left out
// (`missing` counts them).
[[nodiscard]] std::vector<CitedPlace> resolve(const std::vector<TextUnit>& units, const std::vector<dsl::ClauseRef>& refs,
                                              std::size_t& missing);

}  // namespace pol::interp
