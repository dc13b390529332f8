#include "base/messages.hpp"
#include "cases/lines.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "base/files.hpp"

namespace pol::interp {

// The cases file, open for reading: an ordinary file or a FIFO (streamed, opened as usual:
// the open waits for a writer); anything else is refused with the reason. -1 with `error`.
int open_cases_file(const std::string& path, std::string& error) {
  if (path == "-") return STDIN_FILENO;
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0 || !S_ISFIFO(st.st_mode)) {
    // Not a FIFO: the checks of read_input_file (a directory, a device, a socket, a symbolic
    // link loop, an empty path), reading at most one byte.
    dsl::InputFile probe;
    if (!dsl::read_input_file(path, 0, dsl::text(dsl::Msg::WhatCasesFile).data(), probe, error)) return -1;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) error = dsl::textf(dsl::Msg::CannotOpenCases, path, std::strerror(errno));
  return fd;
}

BlockReader::BlockReader(int fd, bool csv, std::size_t block_bytes, std::size_t max_line)
    : fd_(std::in_place, fd), src_(*fd_), csv_(csv), block_(block_bytes), max_line_(max_line) {}

BlockReader::BlockReader(ByteSource& source, bool csv, std::size_t block_bytes, std::size_t max_line)
    : src_(source), csv_(csv), block_(block_bytes), max_line_(max_line) {}

// With a whole line at hand: whether to hand the block over now rather than read more. A
// full block goes. From a stream, so does one when no input comes for kQuiet, or when its first
// whole line has waited kMaxWait (input trickling in): results leave promptly, while a fast
// stream (whose next bytes are there at once) still gives full blocks.
bool BlockReader::hand_over(std::size_t size, Deadline& d) {
  if (size >= block_) return true;
  if (!src_.streamed()) return false;
  const auto now = std::chrono::steady_clock::now();
  if (!d.set) {
    d.set = true;
    d.at = now + kMaxWait;
  }
  if (now >= d.at) return true;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(d.at - now);
  return src_.would_block(static_cast<int>(std::min(left, kQuiet).count()));
}

bool BlockReader::read_more(Bytes& data) {
  if (eof_) return false;
  data.reserve(std::max(block_, data.size() + (std::size_t{64} << 10)) + JsonCaseReader::kPadding);
  const std::size_t room = data.cap - JsonCaseReader::kPadding - data.size();
  int err = 0;
  const long got = src_.read(data.data() + data.size(), room, err);
  if (got <= 0) {
    if (got < 0) error_ = err;
    eof_ = true;
    return false;
  }
  data.n += static_cast<std::size_t>(got);
  return true;
}

// Drops bytes up to and including the next line end (reading as needed); the bytes after it
// stay in `data`.
void BlockReader::skip_to_line_end(Bytes& data) {
  while (skipping_) {
    if (const void* nl = data.size() == 0 ? nullptr : std::memchr(data.data(), '\n', data.size())) {
      std::size_t cut = static_cast<std::size_t>(static_cast<const char*>(nl) - data.data()) + 1;
      std::memmove(data.data(), data.data() + cut, data.size() - cut);
      data.n -= cut;
      skipping_ = false;
      return;
    }
    data.clear();
    if (!read_more(data)) return;
  }
}

// Ends the block after its first `cut` bytes (whole lines); the rest is carried to the next.
void BlockReader::finish(Block& b, std::size_t cut) {
  carry_.assign(b.data.data() + cut, b.data.size() - cut);
  b.size = cut;
  b.data.n = cut;
  b.data.reserve(b.size + JsonCaseReader::kPadding);
  std::memset(b.data.data() + b.size, ' ', JsonCaseReader::kPadding);
  b.first_line = line_;
  const char* d = b.data.data();
  const char* e = d + b.size;
  std::uint64_t lines = 0;
  for (const char* q = d; (q = static_cast<const char*>(std::memchr(q, '\n', static_cast<std::size_t>(e - q)))); ++q) ++lines;
  if (b.size > 0 && d[b.size - 1] != '\n') ++lines;  // the last line of the input, unterminated
  if (csv_) {  // the records' first lines, now that the block's first line is known
    std::uint64_t line = line_;
    std::size_t from = 0;
    for (auto& [end, first] : b.records) {
      first = line;
      line += static_cast<std::uint64_t>(std::count(d + from, d + end, '\n'));  // quoted line ends
      line += 1;
      from = end + 1;
    }
  }
  b.lines = lines;
  line_ += lines;
}

bool BlockReader::fill(Block& b) {
  b.data.clear();
  b.data.append(carry_.data(), carry_.size());
  carry_.clear();
  b.records.clear();
  b.overlong_line = 0;
  b.overlong_quoted = false;
  if (skipping_) skip_to_line_end(b.data);
  std::size_t cut = 0;         // the end of the last whole line (record) in data
  std::size_t scanned = 0;     // bytes of data scanned for line ends
  Deadline deadline;
  while (true) {
    const char* base = b.data.data();
    const std::size_t end = b.data.size();
    if (!started_ && (end >= 3 || eof_ || cut > 0)) {  // a byte-order mark before the first line is skipped
      started_ = true;
      if (std::size_t k = dsl::bom_size(std::string_view(base, end))) {
        std::memmove(b.data.data(), base + k, end - k);
        b.data.n -= k;
        scanned = cut = 0;
        scanner_.reset();
        continue;
      }
    }
    if (csv_ && end > scanned && scanner_.outside_quotes() && !std::memchr(base + scanned, '"', end - scanned)) {
      // No quote in the new bytes: every line end ends a record.
      for (const char* q = base + scanned; (q = static_cast<const char*>(std::memchr(q, '\n', static_cast<std::size_t>(base + end - q)))); ++q) {
        b.records.emplace_back(static_cast<std::size_t>(q - base), 0);
        cut = static_cast<std::size_t>(q - base) + 1;
      }
      scanner_.after_plain(base[end - 1]);
      scanned = end;
    } else if (csv_) {
      std::string_view s(base, end);
      for (std::size_t at; (at = scanner_.next_end(s, scanned)) != std::string_view::npos; scanned = at + 1) {
        b.records.emplace_back(at, 0);
        cut = at + 1;
      }
      scanned = end;
    } else if (end > scanned) {
      if (const void* nl = memrchr(base + scanned, '\n', end - scanned))
        cut = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
      scanned = end;
    }
    // A quote still open at the end of input or at the limit: no quoted field is closed, so
    // the record's first line is taken alone (an unbalanced quote there) and the lines after
    // it are read again, as if the quote were not there.
    if (csv_ && (eof_ || end - cut > max_line_) && scanner_.in_quotes() && rescan_budget_ >= end - cut) {
      if (const void* nl = std::memchr(base + cut, '\n', end - cut)) {
        const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
        rescan_budget_ -= end - cut;
        b.records.emplace_back(at, 0);
        scanned = cut = at + 1;
        scanner_.reset();
        continue;
      }
    }
    if (eof_) {
      if (csv_ && cut < end) b.records.emplace_back(end, 0);  // the last record, unterminated
      finish(b, end);
      return b.size > 0;
    }
    if (end - cut > max_line_) {  // a line too long to keep: the block ends before it
      b.overlong_quoted = csv_ && scanner_.in_quotes();
      std::uint64_t inner = 0;  // line ends inside the record (quoted fields)
      for (std::size_t k = cut; k < end; ++k) inner += base[k] == '\n';
      b.data.n = cut;
      finish(b, cut);
      carry_.clear();
      b.overlong_line = line_;
      b.lines += 1;
      line_ += inner + 1;
      scanner_.reset();
      skipping_ = true;
      return true;
    }
    if (cut > 0 && hand_over(end, deadline)) {
      finish(b, cut);
      scanner_.reset();  // the carried bytes are scanned again, from a record's start
      return true;
    }
    read_more(b.data);
  }
}

}  // namespace pol::interp
