#pragma once
// A rule file's text and the mapping from byte offsets to what a person sees.
//
// Everything after loading holds byte offsets into SourceFile::text; nothing re-reads the
// file. Lines and columns are 1-based when printed; columns count characters (UTF-8 code
// points, with a tab advancing to the next multiple of 8 and wide East Asian characters
// counting as one character), so a caret under Chinese text lines up in a UTF-8 terminal when
// the snippet is printed with the same expansion.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pol::dsl {

struct SourceRange {
  std::uint32_t begin = 0;  // byte offset, inclusive
  std::uint32_t end = 0;    // byte offset, exclusive
};

struct LineCol {
  std::uint32_t line = 1;  // 1-based
  std::uint32_t col = 1;   // 1-based, in characters
};

// The largest rule file: checked while reading (a larger file is never read into memory).
inline constexpr std::size_t kMaxRuleFileBytes = 4 * 1024 * 1024;

class SourceFile {
public:
  // `size`: the file's size on disk when only its first bytes were read (over the limit).
  SourceFile(std::string name, std::string text, std::uint64_t size = 0);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& text() const { return text_; }
  // The size of the file (at least text().size(): more when it was over the limit).
  [[nodiscard]] std::uint64_t size() const { return size_; }
  [[nodiscard]] LineCol line_col(std::uint32_t offset) const;
  [[nodiscard]] std::string_view line_text(std::uint32_t line) const;  // without the line end
  [[nodiscard]] std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }
  [[nodiscard]] std::string_view slice(SourceRange r) const {
    return std::string_view(text_).substr(r.begin, r.end - r.begin);
  }
  // The source line(s) of `r` with a caret line under the whole range, gutter included.
  [[nodiscard]] std::string snippet(SourceRange r) const;

private:
  std::string name_;
  std::string text_;
  std::uint64_t size_ = 0;
  std::vector<std::uint32_t> line_starts_;
};

// Reads a rule file (base/files.hpp: an ordinary file, at most kMaxRuleFileBytes + 1 bytes
// read). On failure returns nullptr and sets `error` to a sentence.
[[nodiscard]] std::shared_ptr<SourceFile> load_source(const std::string& path, std::string& error);

// Number of characters (code points) in UTF-8 text; invalid bytes count one each.
[[nodiscard]] std::uint32_t utf8_length(std::string_view s);
// Terminal cells the text takes (East Asian wide characters count two).
[[nodiscard]] std::uint32_t text_width(std::string_view s);
// The text with control characters (NUL, a lone CR, …; not tab) as their visible Unicode
// pictures (␀, ␍, …), one column each, so a message or snippet never prints them raw.
[[nodiscard]] std::string visible(std::string_view s);
// The length of a UTF-8 byte-order mark at the start of `s` (3), or 0. Some exports and editors
// write one; rule files, case files and case streams all accept and skip it.
[[nodiscard]] inline std::size_t bom_size(std::string_view s) { return s.starts_with("\xEF\xBB\xBF") ? 3 : 0; }
// Offset of the first invalid UTF-8 sequence, or npos.
[[nodiscard]] std::size_t utf8_invalid_at(std::string_view s);

}  // namespace pol::dsl
