#pragma once
// Reading cases line by line, in chunks, from a file or standard input. Each line is copied
// with padding after it, as the JSON parser needs; blank lines hold no case and are skipped,
// while line numbers still count them, so every output names the line of its input.
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "case.hpp"

namespace pol::interp {

struct Chunk {
  std::string data;                                    // the lines, each followed by padding room
  std::vector<std::pair<std::size_t, std::size_t>> lines;  // offset, length
  std::vector<std::uint64_t> line_no;
  std::string out;
};

// Reads lines from a FILE in blocks.
class LineReader {
public:
  explicit LineReader(std::FILE* f) : f_(f) { buf_.resize(1 << 20); }
  // Appends up to `max` lines (with their numbers) to the chunk; false at end of input.
  bool fill(Chunk& c, std::size_t max) {
    c.data.clear();
    c.lines.clear();
    c.line_no.clear();
    c.out.clear();
    while (c.lines.size() < max) {
      std::string_view line;
      if (!next(line)) break;
      ++line_no_;
      std::string_view t = line;
      while (!t.empty() && (t.back() == '\r' || t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
      if (t.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank: no case
      std::size_t off = c.data.size();
      c.data.append(t);
      c.data.append(JsonCaseReader::kPadding, ' ');
      c.lines.emplace_back(off, t.size());
      c.line_no.push_back(line_no_);
    }
    return !c.lines.empty();
  }
  bool error() const { return std::ferror(f_) != 0; }

private:
  bool next(std::string_view& line) {
    while (true) {
      std::size_t nl = pending_.find('\n', scan_);
      if (nl != std::string::npos) {
        line = std::string_view(pending_).substr(start_, nl - start_);
        start_ = scan_ = nl + 1;
        return true;
      }
      scan_ = pending_.size();
      if (eof_) {
        if (start_ < pending_.size()) {
          line = std::string_view(pending_).substr(start_);
          start_ = scan_ = pending_.size();
          return true;
        }
        return false;
      }
      // Keep the unfinished line and read more.
      pending_.erase(0, start_);
      scan_ -= start_;
      start_ = 0;
      std::size_t n = std::fread(buf_.data(), 1, buf_.size(), f_);
      if (n == 0) eof_ = true;
      pending_.append(buf_.data(), n);
    }
  }

  std::FILE* f_;
  std::string buf_, pending_;
  std::size_t start_ = 0, scan_ = 0;
  bool eof_ = false;
  std::uint64_t line_no_ = 0;
};


}  // namespace pol::interp
