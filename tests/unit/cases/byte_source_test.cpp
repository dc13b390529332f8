// The sources of pol batch's block reader: BytePipe (the server's request body handed over
// in memory) against the same bytes read from memory at once.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "cases/byte_source.hpp"
#include "cases/lines.hpp"

using pol::interp::Block;
using pol::interp::BlockReader;
using pol::interp::BytePipe;
using pol::interp::ByteSource;
using pol::interp::MemorySource;

namespace {

// Lines of varying length, some CSV records with a quoted line end.
std::string sample_text(std::size_t bytes) {
  std::string t = "id,a\n";
  for (std::size_t i = 0; t.size() < bytes; ++i) {
    t.push_back('c');
    t.append(std::to_string(i));
    t.push_back(',');
    t.append(i % 97, 'x');
    if (i % 13 == 0) t.append(",\"two\nlines\"");
    t.push_back('\n');
  }
  return t;
}

// Writes `text` into the pipe in pieces of 1 to 5,000 bytes, pausing now and then (a slow client).
void write_in_pieces(BytePipe& pipe, const std::string& text, bool pauses) {
  std::size_t off = 0, k = 0;
  while (off < text.size()) {
    const std::size_t n = std::min(text.size() - off, 1 + (k * 7919) % 5000);
    if (!pipe.write(text.data() + off, n)) break;
    off += n;
    if (pauses && k % 200 == 199) std::this_thread::sleep_for(std::chrono::milliseconds(3));
    ++k;
  }
  pipe.close_write();
}

struct Seen {
  std::string bytes;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> lines;  // first line, lines of each block
  std::vector<std::uint64_t> records;                          // CSV: each record's first line
};

Seen blocks_from(ByteSource& src, bool csv) {
  Seen s;
  BlockReader r(src, csv, 1 << 16);
  Block b;
  while (r.fill(b)) {
    s.bytes.append(b.data.data(), b.size);
    s.lines.emplace_back(b.first_line, b.lines);
    for (const auto& rec : b.records) s.records.push_back(rec.second);
  }
  CHECK(r.error() == 0);
  return s;
}

}  // namespace

TEST_SUITE("cases") {
  TEST_CASE("BytePipe: every byte passes, in order, whatever the pieces and pauses") {
    const std::string text = sample_text(3 << 20);  // more than the pipe's bound
    for (bool pauses : {false, true}) {
      BytePipe pipe;
      std::thread writer([&] { write_in_pieces(pipe, text, pauses); });
      std::string got;
      std::vector<char> buf(70000);
      int err = 0;
      for (std::size_t room = 1;; room = room * 3 % 65536 + 1) {
        const long n = pipe.read(buf.data(), room, err);
        REQUIRE(n >= 0);
        if (n == 0) break;
        got.append(buf.data(), static_cast<std::size_t>(n));
      }
      writer.join();
      CHECK(got.size() == text.size());
      CHECK(got == text);
      CHECK(pipe.read(buf.data(), buf.size(), err) == 0);  // the end stays the end
      CHECK(err == 0);
    }
  }

  TEST_CASE("BytePipe: a block reader makes the same blocks of it as of the bytes in memory") {
    const std::string text = sample_text(1 << 20);
    for (bool csv : {false, true}) {
      MemorySource mem(text);
      Seen want = blocks_from(mem, csv);
      BytePipe pipe;
      std::thread writer([&] { write_in_pieces(pipe, text, false); });
      Seen got = blocks_from(pipe, csv);
      writer.join();
      CHECK(got.bytes == text);
      CHECK(want.bytes == text);
      CHECK(got.records == want.records);
      std::uint64_t want_lines = 0, got_lines = 0;  // blocks may be cut elsewhere, lines not
      for (auto [first, n] : want.lines) want_lines += n;
      for (auto [first, n] : got.lines) {
        CHECK(first == got_lines + 1);
        got_lines += n;
      }
      CHECK(got_lines == want_lines);
    }
  }

  TEST_CASE("BytePipe: a writer waiting for room is released when the reader stops") {
    BytePipe pipe;
    std::atomic<bool> refused{false};
    std::thread writer([&] {
      const std::string piece(4096, 'x');
      for (int i = 0; i < 10000; ++i)  // 40 MB: far past the bound, so it waits
        if (!pipe.write(piece.data(), piece.size())) {
          refused = true;
          break;
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    pipe.close_read();
    writer.join();
    CHECK(refused);
    const char c = 'y';
    CHECK_FALSE(pipe.write(&c, 1));
  }

  TEST_CASE("BytePipe: would_block says whether bytes came within the time") {
    BytePipe pipe;
    CHECK(pipe.streamed());
    CHECK(pipe.would_block(5));  // nothing written
    CHECK(pipe.write("ab\n", 3));
    CHECK_FALSE(pipe.would_block(5));
    std::vector<char> buf(16);
    int err = 0;
    CHECK(pipe.read(buf.data(), 2, err) == 2);
    CHECK_FALSE(pipe.would_block(5));  // one byte taken, not yet read
    CHECK(pipe.read(buf.data(), 16, err) == 1);
    CHECK(pipe.would_block(5));
    pipe.close_write();
    CHECK_FALSE(pipe.would_block(5));  // the end is at hand
    CHECK(pipe.read(buf.data(), 16, err) == 0);
  }
}
