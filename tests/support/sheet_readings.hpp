#pragma once
// A workbook of one sheet written by hand (minizip), and the sheet's two readings: in pieces by
// pugixml (the fast path) and by libxml2 alone (the reference). Shared by the unit tests
// (tests/unit/sheets/pieces_test.cpp) and the fuzz target that compares the two (sheet_fuzz).
#include <zip.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sheets/xlsx_read.hpp"

namespace pol::testing {

inline constexpr const char* kSheetNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

// Writes `path`: a workbook whose one sheet ("S") is `sheet_xml`, with two shared strings;
// the parts deflated, or stored as they are (`stored`). False when minizip fails.
inline bool write_sheet_workbook(const std::string& path, const std::string& sheet_xml, bool stored = false) {
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"xl/workbook.xml",
       std::string("<workbook xmlns=\"") + kSheetNs +
           "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
           "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
       "Target=\"worksheets/sheet1.xml\"/>"
       "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
       "Target=\"sharedStrings.xml\"/></Relationships>"},
      {"xl/sharedStrings.xml", std::string("<sst xmlns=\"") + kSheetNs +
                                   "\"><si><t>共享</t></si><si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r>"
                                   "<rPh><t>ふりがな</t></rPh></si></sst>"},
      {"xl/worksheets/sheet1.xml", sheet_xml},
  };
  zipFile z = zipOpen64(path.c_str(), 0);
  if (!z) return false;
  bool ok = true;
  for (const auto& [name, text] : parts) {
    zip_fileinfo info{};
    ok = ok && zipOpenNewFileInZip64(z, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, stored ? 0 : Z_DEFLATED,
                                     stored ? 0 : 6, 1) == ZIP_OK;
    ok = ok && zipWriteInFileInZip(z, text.data(), static_cast<unsigned>(text.size())) == ZIP_OK;
    ok = ok && zipCloseFileInZip(z) == ZIP_OK;
  }
  return zipClose(z, nullptr) == ZIP_OK && ok;
}

// What one reading of the sheet gave.
struct SheetReading {
  bool opened = false, ok = false;
  std::string error;
  std::vector<std::string> cells;  // "row|col|kind|date|text" a cell, in order
  std::vector<std::string> merged;
  bool pieces = false;  // read in pieces to the end
  bool operator==(const SheetReading& o) const {
    return opened == o.opened && ok == o.ok && error == o.error && cells == o.cells && merged == o.merged;
  }
};

inline SheetReading read_sheet(const std::string& path, bool in_pieces) {
  interp::Workbook book;
  SheetReading o;
  o.opened = book.open(path, "", o.error);
  if (!o.opened) return o;
  o.ok = book.rows(
      [&](std::uint32_t r, std::vector<interp::SheetCell>& cells) {
        for (const auto& c : cells)
          o.cells.push_back(std::to_string(r) + "|" + std::to_string(c.col) + "|" +
                            std::to_string(static_cast<int>(c.kind)) + "|" + (c.date ? "d" : "-") + "|" + c.text);
        return o.cells.size() < 1000000;
      },
      o.error, in_pieces);
  o.merged = book.merged();
  o.pieces = book.read_in_pieces();
  return o;
}

}  // namespace pol::testing
