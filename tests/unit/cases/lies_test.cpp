// Case input that lies about its shape: text after a JSON object, CSV headers that name a
// column twice or none, UTF-16 and CR-only text, quoted line ends, lines over the limit; and
// the block reader of pol batch on them (record ends, line numbers, the per-line limit).
#include <doctest/doctest.h>

#include <unistd.h>

#include <string>
#include <thread>

#include "cases/case.hpp"
#include "cases/lines.hpp"
#include "fixture.hpp"

using pol::interp::Block;
using pol::interp::BlockReader;
using pol::interp::Case;
using pol::interp::CaseError;
using pol::interp::CsvCaseReader;
using pol::interp::CsvRecordScanner;

namespace {

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CaseError json_error(const std::string& json) {
  static auto l = pol::test::load_fixture();
  Case c;
  CaseError err;
  INFO(json);
  CHECK_FALSE(pol::test::read_json_case(*l.schema, json, c, err));
  return err;
}

CaseError header_error(const std::string& header) {
  static auto l = pol::test::load_fixture();
  CsvCaseReader csv(*l.schema);
  CaseError err;
  INFO(header);
  CHECK_FALSE(csv.read_header(header, err));
  return err;
}

// The blocks a BlockReader makes of `text` (written to a pipe by another thread).
std::vector<Block> blocks_of(const std::string& text, bool csv, std::size_t max_line) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::thread writer([&] {
    std::size_t off = 0;
    while (off < text.size()) {
      ssize_t n = ::write(fds[1], text.data() + off, text.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  std::vector<Block> out;
  BlockReader r(fds[0], csv, 1 << 16, max_line);
  while (true) {
    out.emplace_back();
    if (!r.fill(out.back())) break;
  }
  out.pop_back();
  writer.join();
  ::close(fds[0]);
  return out;
}

}  // namespace

TEST_SUITE("cases") {
  TEST_CASE("JSON: anything after the object is trailing_content, with its column") {
    for (const char* bad : {R"({"gender": "male"}{"gender": "female"})", R"({"gender": "male"}})",
                            R"({"gender": "male"},{})", R"({"gender": "male"},)", R"({"gender": "male"} x)",
                            "{\"gender\": \"male\"}\r{}"}) {
      CaseError e = json_error(bad);
      CHECK_MESSAGE(e.kind == "trailing_content", bad, " -> ", e.message);
      CHECK_MESSAGE(mentions(e.message, "text after the JSON object at column"), e.message);
    }
    CHECK(mentions(json_error(R"({"gender": "male"}{"gender": "female"})").message, "at column 19: '{\"gender\""));
    CHECK(mentions(json_error(R"({"gender": "male"} x)").message, "at column 20: 'x'"));
    CHECK(mentions(json_error("{\"gender\": \"male\"}\r{}").message, "CR-only line ends"));
    CHECK(mentions(json_error("{}\n{}").message, "at line 2, column 1: '{}'"));
    // A brace inside a string is not the object's end.
    CHECK(json_error(R"({"id": "a}b", "gendr": 1})").kind == "unknown_field");
  }

  TEST_CASE("CSV header: a column twice, an empty name, UTF-16, NUL, CR-only") {
    CaseError dup = header_error("id,gender,total_years,gender");
    CHECK(dup.kind == "duplicate_column");
    CHECK(mentions(dup.message, "column 'gender' appears twice in the CSV header, as columns 2 and 4"));
    CHECK(mentions(header_error("id,gender, id").message, "column 'id' appears twice"));
    CHECK(mentions(header_error("as_of,as_of").message, "column 'as_of' appears twice"));
    CHECK(mentions(header_error("id,gender,").message, "column 3 of the CSV header has no name: the header ends with a comma"));
    CHECK(mentions(header_error("id,,gender").message, "column 2 of the CSV header has no name"));
    CHECK(mentions(header_error("\xFF\xFEi").message, "byte-order mark FF FE"));
    CHECK(mentions(header_error("\xFE\xFF").message, "byte-order mark FE FF"));
    CHECK(mentions(header_error(std::string("i\0d\0", 4)).message, "UTF-16"));
    CHECK(mentions(header_error(std::string("id,gen\0der", 10)).message, "NUL bytes"));
    CaseError cr = header_error("id,gender\rx,male\r");
    CHECK(mentions(cr.message, "CR-only line ends"));
    CHECK(mentions(cr.message, "column 10"));
    CHECK(cr.message.find('\r') == std::string::npos);
  }

  TEST_CASE("CSV: the record scanner reads quotes as split_csv does") {
    CsvRecordScanner s;
    std::string_view t = "a,\"x\ny\",b\nc,d\"e\nf\n";
    CHECK(s.next_end(t, 0) == 9);    // the line end inside the quotes is skipped
    CHECK(s.next_end(t, 10) == 15);  // a quote inside a cell is a character
    CHECK(s.next_end(t, 16) == 17);
    CsvRecordScanner q;
    CHECK(q.next_end("\"a\"\"\n\"\n", 0) == 6);  // a doubled quote stays inside
    CHECK(pol::interp::is_csv_path("x.CSV"));
    CHECK(pol::interp::is_csv_path("x.Csv"));
    CHECK_FALSE(pol::interp::is_csv_path("x.jsonl"));
    CHECK_FALSE(pol::interp::is_csv_path("csv"));
  }

  TEST_CASE("BlockReader: CSV records span lines, numbered by their first line") {
    auto blocks = blocks_of("id\n\"a\nb\",1\nc\n\"open\nd\ne\n", true, 1 << 20);
    std::vector<std::pair<std::string, std::uint64_t>> records;
    for (const auto& b : blocks) {
      std::size_t pos = 0;
      for (auto [end, line] : b.records) {
        records.emplace_back(std::string(b.data.data() + pos, end - pos), line);
        pos = end + 1;
      }
    }
    REQUIRE(records.size() == 6);
    CHECK(records[1] == std::make_pair(std::string("\"a\nb\",1"), std::uint64_t{2}));
    CHECK(records[2].second == 4);
    // An unclosed quote: its line alone, then the lines after it as they are.
    CHECK(records[3] == std::make_pair(std::string("\"open"), std::uint64_t{5}));
    CHECK(records[4].second == 6);
    CHECK(records[5] == std::make_pair(std::string("e"), std::uint64_t{7}));
  }

  TEST_CASE("BlockReader: a line over the limit is named, skipped, and the count goes on") {
    // Longer than a read (a complete long line inside a block is left to the case readers,
    // which check kMaxCaseLineBytes themselves).
    std::string text = "{}\n" + std::string(300000, 'x') + "\n{\"a\":1}\n";
    auto blocks = blocks_of(text, false, 1000);
    std::uint64_t overlong = 0;
    std::string rest;
    for (const auto& b : blocks) {
      if (b.overlong_line) overlong = b.overlong_line;
      rest.append(b.data.data(), b.size);
      if (b.overlong_line == 0 && b.first_line == 3) CHECK(std::string(b.data.data(), b.size) == "{\"a\":1}\n");
    }
    CHECK(overlong == 2);
    CHECK(rest == "{}\n{\"a\":1}\n");
    CHECK(pol::interp::line_too_long_error().kind == "line_too_long");
  }
}
