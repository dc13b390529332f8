#pragma once
// Clause citations as rule files write them, and the quotations of a source text.
//
// A citation names places in the source text: "（五）" (a numbered clause), "（五）第二段" (a
// paragraph of it), "（三）（四）" (two clauses), "第一条" and "第五条至第八条" (articles),
// "最后一段" (the text's closing paragraph). Words after the marks ("（五）经办认定优先",
// "最后一段（复查复议）") describe the place and are kept as the citation's remark.
//
// A quotation is a run of the source text's words: the text after "通知（三）：" (a citation
// and a colon at the start of a source, reading or note), or between “ and ”. It matches when
// each of its pieces between elisions (…… or …) appears in the text, in order, ignoring
// whitespace (and with ( ) read as （ ）).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/files.hpp"

namespace pol::dsl {

// "十二" → 12, "二十三" → 23, "○"/"〇"/"零" → 0; nullopt when `s` is not a Chinese numeral.
[[nodiscard]] std::optional<int> chinese_number(std::string_view s);

struct ClauseRef {
  enum class Kind { Clause, Article, Last };
  Kind kind = Kind::Clause;
  int number = 0;     // Clause: （N）; Article: 第N条
  int paragraph = 0;  // Clause: 第K段 (1-based); 0 for the whole clause
};

struct Citation {
  std::vector<ClauseRef> refs;  // empty: the citation names no place of a text ("43号")
  std::string remark;           // the words after the marks
};

[[nodiscard]] Citation parse_citation(std::string_view s);

// The clause mark at the start of `s`: （N） or (N) with N a Chinese numeral; the number and
// the mark's length in bytes, or nullopt.
struct Mark {
  int number = 0;
  std::size_t length = 0;
};
[[nodiscard]] std::optional<Mark> clause_mark(std::string_view s);
// The section mark at the start of `s`: "一、" (a Chinese numeral and 、).
[[nodiscard]] std::optional<Mark> section_mark(std::string_view s);
// The article mark at the start of `s`: "第一条".
[[nodiscard]] std::optional<Mark> article_mark(std::string_view s);

// A quotation found in a string: its text and its byte offset in the string.
struct Quotation {
  std::string text;
  std::size_t offset = 0;
  bool cited = false;  // after "通知（三）：" rather than between “…”
};

// The quotations of the source text in `s`, a source, reading or note. Text between “…” that
// quotes something else is left out: when its sentence names another document (a number
// like 〔1998〕44号 or 43号 that is not `own_number`, a web address) or a source that is not the
// text (仓库, 线索, 标注, 称), when the words before it say it is a rewording (读作, 断作,
// 理解为, 折算为), and when it is the label of one of the file's declarations (`labels`).
[[nodiscard]] std::vector<Quotation> find_quotations(std::string_view s, std::string_view own_number,
                                                     const std::vector<std::string>& labels);

// The source text prepared for matching: its code points without whitespace, and for each
// the byte offset in the original text.
struct PreparedText {
  std::u32string chars;
  std::vector<std::size_t> offsets;  // offsets.size() == chars.size() + 1 (the end)
};
[[nodiscard]] PreparedText prepare_text(std::string_view text);

struct QuoteMatch {
  bool found = false;
  // When not found: the piece that is missing, and the passage of the text closest to it
  // (byte range in the original text) with its edit distance in characters.
  std::string missing;
  std::size_t begin = 0, end = 0;
  std::size_t distance = 0;
  std::string closest;  // that passage without its whitespace
  bool whole = true;    // the quotation has no elision: the piece missing is all of it
};
[[nodiscard]] QuoteMatch match_quotation(const PreparedText& text, std::string_view original, std::string_view quote);

}  // namespace pol::dsl

namespace pol::dsl {

// The path of a header's `source` text: relative to the directory of the rule file that
// declares it.
[[nodiscard]] std::string source_text_path(const std::string& rule_file, const std::string& source);

// Where source texts may be read from. By default anywhere; pol serve limits them to its served
// folder (its real path), so that a rule file written through the API cannot have another file
// read and quoted in its diagnostics. A path that does not resolve inside is not read.
void restrict_source_texts(std::string real_dir);

// Reads the source text at `path` (up to the rule-file limit; `in.size` tells a larger file)
// where that is allowed; false with `error` naming why (outside the allowed folder, or the
// reader's message). The checker's quotations and pol doc read source texts only through it.
[[nodiscard]] bool read_source_text(const std::string& path, InputFile& in, std::string& error);

}  // namespace pol::dsl
