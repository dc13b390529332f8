#pragma once
// Reading cases line by line, in chunks, from a file or standard input. Each line is copied
// with padding after it, as the JSON parser needs. LineReader (pol diff --cases) skips blank
// lines, which hold no case; line numbers still count them. pol batch gives each an error line.
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cases/case.hpp"
#include "base/source.hpp"

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
      if (!started_) {  // a byte-order mark before the first line is skipped
        started_ = true;
        pending_.erase(0, dsl::bom_size(pending_));
      }
    }
  }

  std::FILE* f_;
  bool started_ = false;
  std::string buf_, pending_;
  std::size_t start_ = 0, scan_ = 0;
  bool eof_ = false;
  std::uint64_t line_no_ = 0;
};

// A growable byte buffer that is never zero-filled (std::string::resize is).
struct Bytes {
  std::unique_ptr<char[]> p;
  std::size_t n = 0, cap = 0;
  void reserve(std::size_t c) {
    if (c <= cap) return;
    std::size_t nc = c > 2 * cap ? c : 2 * cap;
    auto q = std::make_unique_for_overwrite<char[]>(nc);
    if (n) std::memcpy(q.get(), p.get(), n);
    p = std::move(q);
    cap = nc;
  }
  [[nodiscard]] char* data() { return p.get(); }
  [[nodiscard]] const char* data() const { return p.get(); }
  [[nodiscard]] std::size_t size() const { return n; }
  [[nodiscard]] bool empty() const { return n == 0; }
  void clear() { n = 0; }
  void append(const char* s, std::size_t k) {
    if (k == 0) return;  // memcpy with a null source is undefined even for no bytes
    reserve(n + k);
    std::memcpy(p.get() + n, s, k);
    n += k;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  void push_back(char c) {
    if (n == cap) reserve(n + 1);
    p[n++] = c;
  }
};

// Reads a stream in blocks of whole lines, for pol batch: one read per block, no copy per
// line; the worker that gets the block splits it into lines. Only the line count of a block
// is taken here (so the next block knows its first line number).
struct Block {
  Bytes data;                  // whole lines, then JsonCaseReader::kPadding bytes of room
  std::size_t size = 0;        // bytes of lines in data
  std::uint64_t first_line = 1;  // the number of the block's first line
  std::uint64_t lines = 0;       // how many lines it holds
  std::uint64_t seq = 0;
};

class BlockReader {
public:
  explicit BlockReader(std::FILE* f, std::size_t block_bytes = std::size_t{1} << 20) : f_(f), block_(block_bytes) {}
  // Fills `b` with the next whole lines (at least one, about block_bytes); false at the end.
  bool fill(Block& b) {
    b.data.clear();
    b.data.append(carry_.data(), carry_.size());
    carry_.clear();
    std::size_t scanned = 0;  // bytes of b.data known to hold no line end
    while (true) {
      while (!eof_ && b.data.size() < block_) {
        b.data.reserve(block_ + JsonCaseReader::kPadding);
        std::size_t room = b.data.cap - JsonCaseReader::kPadding - b.data.size();
        std::size_t got = std::fread(b.data.data() + b.data.size(), 1, room, f_);
        b.data.n += got;
        if (got < room) eof_ = true;  // end of input, or an error (see error())
      }
      if (!started_) {  // a byte-order mark before the first line is skipped
        started_ = true;
        if (std::size_t k = dsl::bom_size(std::string_view(b.data.data(), b.data.size()))) {
          std::memmove(b.data.data(), b.data.data() + k, b.data.size() - k);
          b.data.n -= k;
        }
      }
      const char* base = b.data.data();
      std::size_t end = b.data.size();
      if (eof_) {
        b.size = end;
        break;
      }
      // The last line end in the block; a block without one grows (a very long line).
      if (const void* nl = memrchr(base + scanned, '\n', end - scanned)) {
        std::size_t cut = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
        carry_.assign(base + cut, end - cut);
        b.size = cut;
        break;
      }
      scanned = end;
      block_ *= 2;
    }
    if (b.size == 0) return false;
    b.data.reserve(b.size + JsonCaseReader::kPadding);
    std::memset(b.data.data() + b.size, ' ', JsonCaseReader::kPadding);
    b.first_line = line_;
    const char* d = b.data.data();
    const char* e = d + b.size;
    std::uint64_t lines = 0;
    for (const char* q = d; (q = static_cast<const char*>(std::memchr(q, '\n', static_cast<std::size_t>(e - q)))); ++q) ++lines;
    if (d[b.size - 1] != '\n') ++lines;  // the last line of the input, unterminated
    b.lines = lines;
    line_ += lines;
    return true;
  }
  [[nodiscard]] bool error() const { return std::ferror(f_) != 0; }

private:
  std::FILE* f_;
  std::size_t block_;
  std::string carry_;
  bool started_ = false;
  bool eof_ = false;
  std::uint64_t line_ = 1;
};

}  // namespace pol::interp
