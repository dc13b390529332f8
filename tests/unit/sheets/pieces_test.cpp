// A sheet read in pieces by pugixml against the same sheet read by libxml2 alone: the same rows
// (numbers, columns, kinds, date flags, texts), the same merged ranges, the same error, for
// sheets written by hand with what the format allows (entities, character references, CDATA,
// rich and phonetic text, namespace prefixes, comments, whitespace); and the pieces refuse
// (the sheet then read by libxml2 alone) what pugixml does not read as libxml2 does.
#include <doctest/doctest.h>

#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "base/files.hpp"
#include "sheet_readings.hpp"

namespace {

using pol::testing::kSheetNs;
using pol::testing::SheetReading;
using Outcome = SheetReading;

// Both readings of the sheet; `pieces`: whether the pieces are expected to read it. `body`
// follows the XML declaration and the root's start tag (`root_open`, or <worksheet>).
Outcome agree(const std::string& body, bool pieces, const std::string& root_open = "",
              const std::string& root_close = "</worksheet>") {
  const std::string xml = root_open.starts_with("<?xml")
                              ? root_open + body + root_close
                              : "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" +
                                    (root_open.empty() ? std::string("<worksheet xmlns=\"") + kSheetNs + "\">" : root_open) +
                                    body + root_close;
  std::string path = pol::dsl::temp_dir() + "/pol-pieces-test-XXXXXX";
  const int fd = ::mkstemp(path.data());
  REQUIRE(fd >= 0);
  ::close(fd);
  REQUIRE(pol::testing::write_sheet_workbook(path, xml));
  const Outcome fast = pol::testing::read_sheet(path, true), reference = pol::testing::read_sheet(path, false);
  ::unlink(path.c_str());
  CHECK(reference.opened);
  CHECK(fast.pieces == pieces);
  CHECK(!reference.pieces);
  CHECK(fast.ok == reference.ok);
  CHECK(fast.error == reference.error);
  CHECK(fast.cells == reference.cells);
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
  CHECK(o.cells.size() == 10);
  CHECK(o.merged == std::vector<std::string>{"A4:B4"});
}

TEST_CASE("the pieces read references, whitespace and line feeds as libxml2 does") {
  const Outcome o = agree(
      "<sheetData>\n  <row r=\"1\">\n    <c r=\"A1\" t=\"inlineStr\"><is><t>&amp;&lt;&gt;&quot;&apos;&#20013;&#x6587;</t></is></c>\n"
      "    <c r=\"C1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  </t></is></c>\n"
      "    <c r=\"D1\" t=\"inlineStr\"><is><t>one\ntwo&#13;&#10;three\tfour</t></is></c>\n"
      "    <c r=\"E1\" s=\"0\" t=\"n\" other=\"a\tb\nc\"><v> 5 </v></c>\n"
      "  </row>\n</sheetData>\n",
      true);
  CHECK(o.ok);
  CHECK(o.cells.size() == 4);
}

TEST_CASE("carriage returns, and tabs or line feeds in the attributes read, are left to libxml2, and read the same") {
  const std::string row1 = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c></row>";
  CHECK(agree(row1 + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>one\r\ntwo\rthree</t></is></c></row></sheetData>", false).ok);
  CHECK(agree(row1 + "<row r=\"2\"><c r=\"A2\" s=\"0\r\n\"><v>1</v></c></row></sheetData>", false).ok);
  CHECK(agree(row1 + "<row r=\"2\"><c r=\"A2\" t=\"\tn\"><v>1</v></c></row></sheetData>", false).ok);
  CHECK(agree(row1 + "<row r=\"2\"><c r=\"A2\" t=\"&#9;n\"><v>1</v></c></row></sheetData>", false).ok);
  CHECK(!agree(row1 + "<row r=\"2\"><c r=\"\nA2\"><v>1</v></c></row></sheetData>", false).ok);
}

TEST_CASE("comments, CDATA and instructions in the rows are left to libxml2, and read the same") {
  const Outcome o = agree(
      "<sheetData><row r=\"1\"><c r=\"B1\"><v><![CDATA[42]]></v></c><!-- a comment --><?pi between cells?>"
      "<c r=\"E1\" t=\"inlineStr\"><is><t>a<![CDATA[<b>]]>c</t></is></c></row></sheetData>",
      false);
  CHECK(o.ok);
  CHECK(o.cells.size() == 2);
}

TEST_CASE("a sheet whose declaration libxml2 refuses, or that is not UTF-8, is left to libxml2") {
  const std::string rows = std::string("<worksheet xmlns=\"") + kSheetNs +
                           "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>caf\xc3\xa9</t></is></c></row></sheetData>";
  CHECK(!agree(rows, false, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"\n", "</worksheet>").ok);
  CHECK(agree(rows, false, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", "</worksheet>").ok);
}

TEST_CASE("the pieces read a sheet whose elements carry a namespace prefix") {
  const std::string open = std::string("<x:worksheet xmlns:x=\"") + kSheetNs + "\" xmlns:r=\"urn:r\">";
  const Outcome o = agree(
      "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>id</x:t></x:is></x:c></x:row>"
      "<x:row r=\"2\"><x:c r=\"A2\" x:s=\"0\"><x:v>7</x:v></x:c></x:row></x:sheetData>",
      true, open, "</x:worksheet>");
  CHECK(o.ok);
  CHECK(o.cells.size() == 2);
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
  SUBCASE("a '<' in an attribute's value") {
    CHECK(!agree(row1 + "<row r=\"2\"><c r=\"A2\" t=\"<t>n\"><v>1</v></c></row></sheetData>", false).ok);
    CHECK(agree(row1 + "<row r=\"2\" spans=\"&lt;1\"><c r=\"A2\"><v>1</v></c></row></sheetData>", false).ok);
  }
  SUBCASE("an attribute named twice") {
    CHECK(!agree(row1 + "<row r=\"2\"><c r=\"A2\" r=\"A2\"><v>1</v></c></row></sheetData>", false).ok);
  }
  SUBCASE("mismatched tags") {
    CHECK(!agree(row1 + "<row r=\"2\"><c r=\"A2\"><v>1</c></v></row></sheetData>", false).ok);
  }
  SUBCASE("text after the sheet's element (pugixml keeps none outside it)") {
    const std::string sheet = row1 + "<row r=\"2\"><c r=\"A2\"><v>7</v></c></row></sheetData>";
    CHECK(!agree(sheet, false, "", "</worksheet>[[[").ok);
    CHECK(!agree(sheet, false, "", "</worksheet>a>").ok);  // (a '>' last is no end of it)
    CHECK(!agree(sheet, false, "", "</worksheet >\nz").ok);
    CHECK(agree(sheet, true, "", "</worksheet>\n \t").ok);  // whitespace after it is allowed
  }
  SUBCASE("a name whose colon is first, last or not the only one") {
    CHECK(agree(row1 + "<row r=\"2\"><c r=\"A2\" :t=\"inlineStr\"><v>1E-3</v></c></row></sheetData>", false).ok);
    CHECK(agree(row1 + "<row r=\"2\"><c r=\"A2\" a:b:t=\"s\"><v>1</v></c></row></sheetData>", false).cells.size() == 2);
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
