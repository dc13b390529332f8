// A workbook's cases as the case readers get them (CaseInput: the sheet translated into CSV
// lines): a sheet large enough to be read in pieces, whose rows after the header are made into
// lines on the threads that parse the pieces, gives byte for byte the lines the reference
// reading (libxml2 alone, every line made in order) gives: empty rows within a piece and
// between two, a date column and a yes/no column known by the policy's inputs, numbers,
// shared strings, text that CSV must quote.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>

#include <string>

#include "base/files.hpp"
#include "fixture.hpp"
#include "sheet_readings.hpp"
#include "sheets/source.hpp"

namespace {

// Every byte CaseInput gives for the workbook at `path`, and how many rows it made in pieces.
std::string lines_of(const std::string& path, const pol::checked::Policy& policy, bool in_pieces,
                     std::uint64_t& made_in_pieces) {
  pol::interp::CaseInput input;
  pol::interp::CaseInputOptions opt;
  opt.in_pieces = in_pieces;
  std::string error;
  REQUIRE_MESSAGE(input.open(path, opt, {&policy}, error), error);
  std::string text;
  char buf[1 << 16];
  for (ssize_t got; (got = ::read(input.fd(), buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(got));
  CHECK(input.finish() == "");
  made_in_pieces = input.rows_made_in_pieces();
  return text;
}

}  // namespace

TEST_CASE("a large sheet's lines made in its pieces are the lines the reference reading makes") {
  const auto loaded = pol::test::load_source(
      "policy t \"t\"\n\n"
      "input born : date \"出生日期\"\n"
      "input member : bool \"是否参保\"\n"
      "input amount : money \"金额\" default 0\n"
      "output y : money \"y\" = amount\n");
  // A header naming the inputs by label and by identifier, then 40,000 rows (about 5 MB of XML:
  // several pieces), every 997th row left out (an empty line within a piece, and between two).
  std::string xml = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"") + pol::testing::kSheetNs +
                    "\"><sheetData><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>出生日期</t></is></c>"
                    "<c r=\"B2\" t=\"inlineStr\"><is><t>member</t></is></c><c r=\"C2\" t=\"inlineStr\"><is><t>金额</t></is></c>"
                    "<c r=\"D2\" t=\"inlineStr\"><is><t>note</t></is></c></row>";
  constexpr int kRows = 40000;
  for (int i = 0; i < kRows; ++i) {
    const int r = i + 3;
    if (i % 997 == 5) continue;
    const std::string n = std::to_string(r);
    xml += "<row r=\"" + n + "\"><c r=\"A" + n + "\"><v>" + std::to_string(20000 + i % 9000) + "</v></c>";
    xml += i % 3 == 0 ? "<c r=\"B" + n + "\" t=\"inlineStr\"><is><t>TRUE</t></is></c>"
                      : "<c r=\"B" + n + "\" t=\"b\"><v>" + std::to_string(i % 2) + "</v></c>";
    if (i % 5 != 0) xml += "<c r=\"C" + n + "\"><v>" + std::to_string(i) + ".3000000000000000444</v></c>";
    xml += i % 7 == 0 ? "<c r=\"D" + n + "\" t=\"s\"><v>0</v></c>"
                      : "<c r=\"D" + n + "\" t=\"inlineStr\"><is><t>a, \"b\" " + n + "</t></is></c>";
    xml += "</row>";
  }
  xml += "</sheetData></worksheet>";
  std::string path = pol::dsl::temp_dir() + "/pol-case-input-test-XXXXXX.xlsx";
  const int fd = ::mkstemps(path.data(), 5);
  REQUIRE(fd >= 0);
  ::close(fd);
  REQUIRE(pol::testing::write_sheet_workbook(path, xml));
  std::uint64_t fast_made = 0, reference_made = 0;
  const std::string fast = lines_of(path, *loaded.policy, true, fast_made);
  const std::string reference = lines_of(path, *loaded.policy, false, reference_made);
  ::unlink(path.c_str());
  CHECK(reference_made == 0);
  CHECK(fast_made > kRows / 2);  // most rows made in the pieces: the path under test was taken
  CHECK(fast.size() == reference.size());
  CHECK(fast == reference);
  // The lines themselves: the header first (the empty row above it is not a line), a date and a
  // yes/no as the case readers read them, a quoted text, an empty line for a row left out.
  CHECK(reference.starts_with("出生日期,member,金额,note\n"));
  CHECK(reference.find("\n1954-10-03,true,,共享\n") != std::string::npos);  // row 3: serial 20000
  CHECK(reference.find("\"a, \"\"b\"\" 4\"\n") != std::string::npos);
  CHECK(reference.find("\n\n") != std::string::npos);
  CHECK(std::count(reference.begin(), reference.end(), '\n') == kRows + 1);
}
