#pragma once
// Reading cases line by line, in chunks, from a file or standard input. Each line is copied
// with padding after it, as the JSON parser needs. LineReader (pol diff --cases) skips blank
// lines, which hold no case; line numbers still count them. pol batch gives each an error line.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cases/byte_source.hpp"
#include "cases/case.hpp"
#include "base/source.hpp"

namespace pol::interp {

// The cases file `path` ("-": standard input), open for reading: an ordinary file or a FIFO
// (streamed); a directory, a device, a socket, a symbolic link loop or an empty path is
// refused with the reason (base/files.hpp). -1 with `error`.
[[nodiscard]] int open_cases_file(const std::string& path, std::string& error);

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
        if (skipping_) {  // the end of an overlong line: its first bytes were returned already
          skipping_ = false;
          continue;
        }
        return true;
      }
      scan_ = pending_.size();
      // A line over the limit: its first kMaxCaseLineBytes + 1 bytes are returned (the case
      // readers report the length), the rest is dropped as it arrives.
      if (!skipping_ && pending_.size() - start_ > kMaxCaseLineBytes) {
        line = std::string_view(pending_).substr(start_, kMaxCaseLineBytes + 1);
        skipping_ = true;
        keep_ = std::move(pending_);
        pending_.clear();
        start_ = scan_ = 0;
        return true;
      }
      if (skipping_) {
        pending_.clear();
        start_ = scan_ = 0;
      }
      if (eof_) {
        if (start_ < pending_.size() && !skipping_) {
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
  std::string keep_;  // the bytes of an overlong line returned last
  std::size_t start_ = 0, scan_ = 0;
  bool eof_ = false, skipping_ = false;
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

// Reads a stream in blocks of whole lines (CSV: whole records), for pol batch: one read per
// block when input is plentiful, no copy per line; the worker that gets the block splits it
// into lines. Only the line count of a block is taken here (so the next block knows its first
// line number); for CSV the record ends too, since a quoted field may hold a line end.
//
// When the input is slow (a pipe, a terminal) and a complete line is at hand, a block is handed
// over as soon as the next read would wait, so that each result leaves promptly.
// A line (record) longer than kMaxCaseLineBytes is not kept: the block ends before it and
// names it (overlong_line); its bytes are skipped up to the next line end.
struct Block {
  Bytes data;                  // whole lines, then JsonCaseReader::kPadding bytes of room
  std::size_t size = 0;        // bytes of lines in data
  std::uint64_t first_line = 1;  // the number of the block's first line
  std::uint64_t lines = 0;       // how many lines it holds (an overlong one included)
  std::uint64_t seq = 0;
  // CSV: where each record ends (the offset of its line end, or size) and its first line.
  std::vector<std::pair<std::size_t, std::uint64_t>> records;
  std::uint64_t overlong_line = 0;  // the number of an overlong line after the others; 0: none
  bool overlong_quoted = false;     // CSV: a quoted field was open at the limit
};

class BlockReader {
public:
  // `fd` stays open after the reader (the caller closes it).
  BlockReader(int fd, bool csv, std::size_t block_bytes = std::size_t{1} << 20,
              std::size_t max_line = kMaxCaseLineBytes);
  // From `source`, which outlives the reader.
  BlockReader(ByteSource& source, bool csv, std::size_t block_bytes = std::size_t{1} << 20,
              std::size_t max_line = kMaxCaseLineBytes);
  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;
  // Fills `b` with the next whole lines (at least one, about block_bytes); false at the end.
  bool fill(Block& b);
  // The errno of a failed read, or 0.
  [[nodiscard]] int error() const { return error_; }

private:
  static constexpr std::chrono::milliseconds kQuiet{10}, kMaxWait{100};
  struct Deadline {
    bool set = false;
    std::chrono::steady_clock::time_point at;
  };
  bool read_more(Bytes& data);          // false at the end of input (or an error)
  [[nodiscard]] bool hand_over(std::size_t size, Deadline& d);
  void skip_to_line_end(Bytes& data);   // drops the rest of an overlong line
  void finish(Block& b, std::size_t cut);

  std::optional<FdSource> fd_;  // the descriptor given, if one was
  ByteSource& src_;
  bool csv_;
  std::size_t block_, max_line_;
  std::string carry_;
  CsvRecordScanner scanner_;
  bool started_ = false;
  bool eof_ = false;
  bool skipping_ = false;
  // Bytes that may be scanned again after an unclosed quote (see fill), so that hostile input
  // costs at most this much extra work.
  std::size_t rescan_budget_ = std::size_t{64} << 20;
  int error_ = 0;
  std::uint64_t line_ = 1;
};

}  // namespace pol::interp
