// A sheet read in pieces by pugixml against the same sheet read by libxml2 alone: the same rows
// (numbers, columns, kinds, date flags, texts), the same merged ranges, the same error, for
// sheets written by hand with what the format allows (entities, character references, CDATA,
// rich and phonetic text, namespace prefixes, comments, whitespace); and the pieces refuse
// (the sheet then read by libxml2 alone) what pugixml does not read as libxml2 does.
#include <doctest/doctest.h>

#include <unistd.h>
#include <zip.h>

#include <string>
#include <utility>
#include <vector>

#include "base/files.hpp"
#include "sheets/xlsx_read.hpp"

using pol::interp::SheetCell;
using pol::interp::Workbook;

namespace {

constexpr const char* kNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

// A workbook of one sheet (and shared strings) as the parts' text.
std::string write_workbook(const std::string& sheet_xml) {
  std::string path = pol::dsl::temp_dir() + "/pol-pieces-test-XXXXXX";
  const int fd = ::mkstemp(path.data());
  REQUIRE(fd >= 0);
  ::close(fd);
  ::unlink(path.c_str());
  path += ".xlsx";
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"xl/workbook.xml",
       std::string("<workbook xmlns=\"") + kNs +
           "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
           "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
       "Target=\"worksheets/sheet1.xml\"/>"
       "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
       "Target=\"sharedStrings.xml\"/></Relationships>"},
      {"xl/sharedStrings.xml", std::string("<sst xmlns=\"") + kNs +
                                   "\"><si><t>共享</t></si><si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r>"
                                   "<rPh><t>ふりがな</t></rPh></si></sst>"},
      {"xl/worksheets/sheet1.xml", sheet_xml},
  };
  zipFile z = zipOpen64(path.c_str(), 0);
  REQUIRE(z != nullptr);
  for (const auto& [name, text] : parts) {
    zip_fileinfo info{};
    REQUIRE(zipOpenNewFileInZip64(z, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED, 6, 0) == ZIP_OK);
    REQUIRE(zipWriteInFileInZip(z, text.data(), static_cast<unsigned>(text.size())) == ZIP_OK);
    REQUIRE(zipCloseFileInZip(z) == ZIP_OK);
  }
  REQUIRE(zipClose(z, nullptr) == ZIP_OK);
  return path;
}

struct Outcome {
  bool ok = false;
  std::string error;
  std::vector<std::string> rows;  // "row|col|kind|date|text" a cell
  std::vector<std::string> merged;
  bool pieces = false;
};

Outcome read(const std::string& path, bool in_pieces) {
  Workbook book;
  Outcome o;
  REQUIRE_MESSAGE(book.open(path, "", o.error), o.error);
  o.ok = book.rows(
      [&](std::uint32_t r, std::vector<SheetCell>& cells) {
        for (const auto& c : cells)
          o.rows.push_back(std::to_string(r) + "|" + std::to_string(c.col) + "|" + std::to_string(static_cast<int>(c.kind)) +
                           "|" + (c.date ? "d" : "-") + "|" + c.text);
        return true;
      },
      o.error, in_pieces);
  o.merged = book.merged();
  o.pieces = book.read_in_pieces();
  return o;
}

// Both readings of the sheet; `pieces`: whether the pieces are expected to read it.
Outcome agree(const std::string& body, bool pieces, const std::string& root_open = "",
              const std::string& root_close = "</worksheet>") {
  const std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" +
                          (root_open.empty() ? std::string("<worksheet xmlns=\"") + kNs + "\">" : root_open) + body + root_close;
  const std::string path = write_workbook(xml);
  const Outcome fast = read(path, true), reference = read(path, false);
  ::unlink(path.c_str());
  CHECK(fast.pieces == pieces);
  CHECK(!reference.pieces);
  CHECK(fast.ok == reference.ok);
  CHECK(fast.error == reference.error);
  CHECK(fast.rows == reference.rows);
  CHECK(fast.merged == reference.merged);
  return reference;
}

}  // namespace

TEST_CASE("the pieces read cells as libxml2 reads them") {
  const Outcome o = agree(
      "<sheetData>"
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c><c r=\"B1\" t=\"s\"><v>0</v></c>"
      "<c r=\"D1\" t=\"s\"><v>1</v></c></row>"
      "<row r=\"2\"><c r=\"A2\"><v>12.5</v></c><c r=\"B2\" t=\"b\"><v>1</v></c><c r=\"C2\" t=\"e\"><v>#N/A</v></c>"
      "<c r=\"D2\" t=\"str\"><f>A2*2</f><v>25</v></c><c s=\"0\" t=\"n\"><v>1E-3</v></c></row>"
      "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><r><t>a</t></r><r><rPr><b/></rPr><t>b</t></r></is></c>"
      "<c r=\"B4\" t=\"inlineStr\"><is><t>漢字</t><rPh sb=\"0\" eb=\"1\"><t>かんじ</t></rPh></is></c></row>"
      "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A4:B4\"/></mergeCells>",
      true);
  CHECK(o.ok);
  CHECK(o.rows.size() == 10);
  CHECK(o.merged == std::vector<std::string>{"A4:B4"});
}

TEST_CASE("the pieces read references, CDATA, whitespace and line ends as libxml2 does") {
  const Outcome o = agree(
      "<sheetData>\n  <row r=\"1\">\n    <c r=\"A1\" t=\"inlineStr\"><is><t>&amp;&lt;&gt;&quot;&apos;&#20013;&#x6587;</t></is></c>\n"
      "    <c r=\"B1\"><v><![CDATA[42]]></v></c>\n"
      "    <c r=\"C1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  </t></is></c>\n"
      "    <c r=\"D1\" t=\"inlineStr\"><is><t>one\r\ntwo&#13;&#10;three</t></is></c>\n"
      "    <!-- a comment --><?pi between cells?>\n"
      "    <c r=\"E1\" t=\"inlineStr\"><is><t>a<![CDATA[<b>]]>c</t></is></c>\n"
      "  </row>\n</sheetData>\n",
      true);
  CHECK(o.ok);
  CHECK(o.rows.size() == 5);
}

TEST_CASE("the pieces read a sheet whose elements carry a namespace prefix") {
  const std::string open = std::string("<x:worksheet xmlns:x=\"") + kNs + "\" xmlns:r=\"urn:r\">";
  const Outcome o = agree(
      "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>id</x:t></x:is></x:c></x:row>"
      "<x:row r=\"2\"><x:c r=\"A2\" x:s=\"0\"><x:v>7</x:v></x:c></x:row></x:sheetData>",
      true, open, "</x:worksheet>");
  CHECK(o.ok);
  CHECK(o.rows.size() == 2);
}

TEST_CASE("what the pieces do not read as libxml2 does is read by libxml2, and reported the same") {
  const std::string row1 = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c></row>";
  SUBCASE("an entity XML does not define") {
    CHECK(!agree(row1 + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>&nbsp;</t></is></c></row></sheetData>", false).ok);
  }
  SUBCASE("a character reference to a character XML forbids") {
    CHECK(!agree(row1 + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>&#1;</t></is></c></row></sheetData>", false).ok);
  }
  SUBCASE("a control character") {
    CHECK(!agree(row1 + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>a\x01</t></is></c></row></sheetData>", false).ok);
  }
  SUBCASE("bytes that are not UTF-8") {
    CHECK(!agree(row1 + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>\xc4\xe3</t></is></c></row></sheetData>", false).ok);
  }
  SUBCASE("an attribute named twice") {
    CHECK(!agree(row1 + "<row r=\"2\"><c r=\"A2\" r=\"A2\"><v>1</v></c></row></sheetData>", false).ok);
  }
  SUBCASE("mismatched tags") {
    CHECK(!agree(row1 + "<row r=\"2\"><c r=\"A2\"><v>1</c></v></row></sheetData>", false).ok);
  }
  SUBCASE("a row without its number") {
    CHECK(agree(row1 + "<row><c r=\"A2\"><v>1</v></c></row></sheetData>", false).ok);
  }
  SUBCASE("a cell that names another row: reported by libxml2's reading, as without pieces") {
    const Outcome o = agree(row1 + "<row r=\"2\"><c r=\"A3\"><v>1</v></c></row></sheetData>", false);
    CHECK(!o.ok);
    CHECK(o.error.find("A3") != std::string::npos);
  }
}
