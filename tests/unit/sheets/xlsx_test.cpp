// The results workbook written by XlsxWriter and read back by Workbook: cell kinds and texts
// (numbers as written, a number too long for a double, markup, spaces and control characters in
// text, booleans, dates, a gap in a row), a second sheet, and a sheet large enough to be
// compressed in several pieces and read in several pieces.
#include <doctest/doctest.h>

#include <unistd.h>

#include <string>
#include <vector>

#include "base/files.hpp"
#include "sheets/xlsx_read.hpp"
#include "sheets/xlsx_write.hpp"

using namespace pol;
using namespace pol::interp;

namespace {

std::string temp_path() {
  std::string t = dsl::temp_dir() + "/pol-xlsx-test-XXXXXX";
  const int fd = ::mkstemp(t.data());
  REQUIRE(fd >= 0);
  ::close(fd);
  return t + ".xlsx";
}

struct Row {
  std::uint32_t number;
  std::vector<SheetCell> cells;
};

std::vector<Row> read_sheet(const std::string& path, const std::string& sheet) {
  Workbook book;
  std::string error;
  REQUIRE_MESSAGE(book.open(path, sheet, error), error);
  std::vector<Row> rows;
  REQUIRE_MESSAGE(book.rows([&](std::uint32_t r, std::vector<SheetCell>& cells) {
    rows.push_back({r, cells});
    return true;
  }, error), error);
  return rows;
}

}  // namespace

TEST_CASE("a results workbook holds each cell as its column's type") {
  const std::string path = temp_path();
  XlsxWriter w;
  std::string error;
  REQUIRE(w.open(error));
  w.add_sheet("结果", {{"编号", "id", CellType::Text},
                       {"金额（元）", "amount", CellType::Money},
                       {"比例", "share", CellType::Number},
                       {"日期", "as_of", CellType::Date},
                       {"是否", "ok", CellType::Bool},
                       {"说明", "note", CellType::Text}});
  REQUIRE(w.row({"c1", "1234.50", "0.6666666666666666667", "2025-08-01", "是", " a <b> & c\x01 "}));
  REQUIRE(w.row({"c2", "", "十年", "", "false", "last"}));  // a gap; text in a number column
  w.add_sheet("第二页", {{"编号", "id", CellType::Text}});
  REQUIRE(w.row({"s1"}));
  dsl::OutputFile out;
  REQUIRE(out.open(path, {}, error));
  REQUIRE_MESSAGE(w.finish(out, error), error);

  const auto rows = read_sheet(path, "结果");
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].cells[0].text == "编号");
  CHECK(rows[1].cells[1].text == "amount");
  const auto& c1 = rows[2].cells;
  CHECK(rows[2].number == 3);
  REQUIRE(c1.size() == 6);
  CHECK(c1[0].text == "c1");
  CHECK((c1[1].kind == SheetCell::Kind::Number && c1[1].text == "1234.50"));
  CHECK((c1[2].kind == SheetCell::Kind::Number && c1[2].text == "0.6666666666666666"));  // the nearest double
  CHECK((c1[3].kind == SheetCell::Kind::Number && c1[3].date && c1[3].text == "45870"));  // 2025-08-01
  CHECK((c1[4].kind == SheetCell::Kind::Bool && c1[4].text == "1"));
  CHECK((c1[5].kind == SheetCell::Kind::Text && c1[5].text == " a <b> & c_x0001_ "));
  const auto& c2 = rows[3].cells;
  REQUIRE(c2.size() == 4);
  CHECK((c2[0].col == 0 && c2[1].col == 2 && c2[2].col == 4 && c2[3].col == 5));  // the gaps kept
  CHECK((c2[1].kind == SheetCell::Kind::Text && c2[1].text == "十年"));
  CHECK((c2[2].kind == SheetCell::Kind::Bool && c2[2].text == "0"));
  const auto second = read_sheet(path, "第二页");
  REQUIRE(second.size() == 3);
  CHECK(second[2].cells[0].text == "s1");
  ::unlink(path.c_str());
}

TEST_CASE("a sheet of many rows is written and read back in pieces, in order") {
  const std::string path = temp_path();
  XlsxWriter w;
  std::string error;
  REQUIRE(w.open(error));
  w.add_sheet("cases", {{"编号", "id", CellType::Text}, {"金额", "amount", CellType::Money}});
  constexpr int kRows = 60000;  // about 3.5 MB of XML: several pieces each way
  for (int i = 0; i < kRows; ++i) {
    const std::string id = "row" + std::to_string(i), amount = std::to_string(i) + ".25";
    REQUIRE(w.row({id, amount}));
  }
  dsl::OutputFile out;
  REQUIRE(out.open(path, {}, error));
  REQUIRE_MESSAGE(w.finish(out, error), error);
  const auto rows = read_sheet(path, "");
  REQUIRE(rows.size() == kRows + 2);
  bool in_order = true;
  for (int i = 0; i < kRows; ++i) {
    const auto& r = rows[static_cast<std::size_t>(i) + 2];
    in_order = in_order && r.number == static_cast<std::uint32_t>(i + 3) && r.cells.size() == 2 &&
               r.cells[0].text == "row" + std::to_string(i) && r.cells[1].text == std::to_string(i) + ".25";
  }
  CHECK(in_order);
  ::unlink(path.c_str());
}
