#pragma once
// Writing an Excel workbook with libxlsxwriter, in its constant-memory mode (rows are written
// in order and not kept). Each sheet has two header rows: the headings people read (Chinese
// labels) and the identifiers under them; the header is frozen and has filters. Cells are given
// as text and written by their column's type: money in a ￥0.00 format, dates as date serials in
// a yyyy-mm-dd format, booleans, numbers, text. The workbook is written to a temporary file,
// then copied into the output (dsl::OutputFile: never an input, renamed into place at the end).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/files.hpp"
#include "checked/checked.hpp"

namespace pol::interp {

enum class CellType : std::uint8_t { Text, Number, Money, Date, Bool };

struct SheetColumn {
  std::string heading, name;
  CellType type = CellType::Text;
};

// The cell type of a value of type `t` (enums are written as text, by label).
[[nodiscard]] CellType cell_type_of(const dsl::Type& t);

// The number format of money cells.
inline constexpr const char* kMoneyFormat = "\"￥\"0.00";
inline constexpr const char* kDateFormat = "yyyy-mm-dd";

class XlsxWriter {
public:
  XlsxWriter();
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  // `into`: the output the workbook will be finished into; when it is a file, libxlsxwriter
  // writes the workbook straight into its temporary file, and finish only commits it.
  [[nodiscard]] bool open(std::string& error, const dsl::OutputFile* into = nullptr);
  // A new sheet, written from now on; its two header rows are written at once.
  void add_sheet(const std::string& name, std::vector<SheetColumn> columns);
  // One row of the current sheet; false when the sheet is full (Excel's 1,048,576 rows).
  [[nodiscard]] bool row(const std::vector<std::string_view>& cells);
  [[nodiscard]] std::uint64_t rows() const;  // data rows on the current sheet
  // The most data rows a sheet holds.
  static constexpr std::uint64_t kMaxRows = 1048576 - 2;
  // Closes the workbook and writes it to `out` (opened by the caller); false with `error`.
  [[nodiscard]] bool finish(dsl::OutputFile& out, std::string& error);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pol::interp
