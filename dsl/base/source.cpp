#include "base/messages.hpp"
#include "base/source.hpp"

#include "base/files.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace pol::dsl {

SourceFile::SourceFile(std::string name, std::string text, std::uint64_t size)
    : name_(std::move(name)), text_(std::move(text)), size_(std::max<std::uint64_t>(size, text_.size())) {
  line_starts_.push_back(0);
  for (std::uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

std::uint32_t utf8_length(std::string_view s) {
  std::uint32_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::size_t utf8_invalid_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4)) return i;
    if (i + len > s.size()) return i;
    for (int k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
    if (len == 3) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return i;
    }
    if (len == 4) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

namespace {
// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes decode as themselves.
char32_t decode(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (i + len > s.size()) len = 1;
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

// Terminal cells of a code point: 2 for East Asian wide and full-width characters.
std::uint32_t cells(char32_t cp) {
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x20000 && cp <= 0x3FFFD))
    return 2;
  return 1;
}

// Terminal column after `prefix` (a line's text up to a point), tabs to multiples of 8.
std::uint32_t display_width(std::string_view prefix) {
  std::uint32_t col = 0;
  std::size_t i = 0;
  while (i < prefix.size()) {
    char32_t cp = decode(prefix, i);
    if (cp == '\t') col = (col / 8 + 1) * 8;
    else col += cells(cp);
  }
  return col;
}

// U+2400.. (␀ ␁ … ␟), U+2421 (␡): the control pictures.
void append_picture(std::string& out, char32_t cp) {
  char32_t pic = cp == 0x7F ? 0x2421 : 0x2400 + cp;
  out.push_back(static_cast<char>(0xE0 | (pic >> 12)));
  out.push_back(static_cast<char>(0x80 | ((pic >> 6) & 0x3F)));
  out.push_back(static_cast<char>(0x80 | (pic & 0x3F)));
}

std::string expand_tabs(std::string_view line) {
  std::string out;
  std::uint32_t col = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    std::size_t start = i;
    char32_t cp = decode(line, i);
    if (cp == '\t') {
      std::uint32_t next = (col / 8 + 1) * 8;
      out.append(next - col, ' ');
      col = next;
    } else {
      if (cp < 0x20 || cp == 0x7F) append_picture(out, cp);
      else out.append(line.substr(start, i - start));
      col += cells(cp);
    }
  }
  return out;
}
}  // namespace

std::uint32_t text_width(std::string_view s) { return display_width(s); }

std::string visible(std::string_view s) {
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) append_picture(out, c);
    else out.push_back(ch);
  }
  return out;
}

LineCol SourceFile::line_col(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
  std::uint32_t start = line_starts_[line - 1];
  return {line, utf8_length(std::string_view(text_).substr(start, offset - start)) + 1};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  std::uint32_t start = line_starts_[line - 1];
  std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1 : static_cast<std::uint32_t>(text_.size());
  std::string_view s = std::string_view(text_).substr(start, end - start);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

std::string SourceFile::snippet(SourceRange r) const {
  LineCol a = line_col(r.begin);
  LineCol b = line_col(r.end > r.begin ? r.end : r.begin);
  std::uint32_t last_line = b.line;
  // A range ending exactly at a line start belongs to the line before.
  if (r.end > r.begin && b.col == 1 && b.line > a.line) --last_line;
  std::string out;
  auto width = fmt::formatted_size("{}", last_line);
  for (std::uint32_t line = a.line; line <= last_line && line <= a.line + 3; ++line) {
    std::string_view text = line_text(line);
    std::uint32_t start = line_starts_[line - 1];
    auto cells_to = [&](std::uint32_t offset) {
      offset = std::clamp(offset, start, start + static_cast<std::uint32_t>(text.size()));
      return display_width(text.substr(0, offset - start));
    };
    std::string shown = expand_tabs(text);
    std::uint32_t from = line == a.line ? cells_to(r.begin) : 0;
    std::uint32_t to = line == last_line ? cells_to(r.end) : display_width(text);
    if (to <= from) to = from + 1;
    // A very long line is shown as a window around the spot, cut at characters, marked "...".
    constexpr std::uint32_t kShown = 100, kBefore = 30;
    if (display_width(shown) > kShown) {
      std::uint32_t wstart = from > kBefore + 10 ? from - kBefore : 0, wend = wstart + kShown;
      std::string cut;
      std::uint32_t col = 0, first = UINT32_MAX, last = 0;
      std::size_t i = 0;
      while (i < shown.size()) {
        std::size_t at = i;
        char32_t cp = decode(shown, i);
        std::uint32_t w = cells(cp);
        if (col >= wstart && col + w <= wend) {
          if (first == UINT32_MAX) first = col;
          cut.append(shown, at, i - at);
          last = col + w;
        }
        col += w;
      }
      if (first == UINT32_MAX) first = last = wstart;
      bool left = first > 0, right = last < col;
      shown = (left ? "..." : "") + cut + (right ? "..." : "");
      std::uint32_t shift = left ? 3 : 0;
      from = std::clamp(from, first, last) - first + shift;
      to = std::clamp(to, first, last) - first + shift;
      if (to <= from) to = from + 1;
    }
    fmt::format_to(std::back_inserter(out), " {:>{}} | {}\n", line, width, shown);
    std::string marks(to - from, '~');
    marks[0] = '^';
    fmt::format_to(std::back_inserter(out), " {:>{}} | {}{}\n", "", width, std::string(from, ' '), marks);
  }
  return out;
}

std::shared_ptr<SourceFile> load_source(const std::string& path, std::string& error) {
  InputFile in;
  if (!read_input_file(path, kMaxRuleFileBytes, text(Msg::WhatRuleFile).data(), in, error)) return nullptr;
  return std::make_shared<SourceFile>(path, std::move(in.text), in.size);
}

}  // namespace pol::dsl
