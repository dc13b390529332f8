#pragma once
// Reading an Excel workbook (.xlsx): the ZIP archive by minizip (its parts inflated by ISA-L),
// its XML parts by libxml2's SAX parser, so that a sheet of any length streams row by row; a
// sheet as Excel, WPS and the like write it is read faster, in pieces parsed on every core by
// pugixml, and falls back to libxml2 whenever a piece is anything but plain XML. Read once on
// opening: the workbook (sheet names, the 1904 date system), its relationships, the styles
// (which cells are date-formatted) and the shared strings; then the chosen sheet's rows, in order.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pol::interp {

struct SheetCell {
  enum class Kind : std::uint8_t { Number, Text, Bool, Error };
  std::uint32_t col = 0;  // from 0 (A)
  Kind kind = Kind::Text;
  bool date = false;  // a number in a date format
  std::string text;   // the number as stored, the text, "1"/"0" for a boolean, the error ("#N/A")
};

inline constexpr std::uint32_t kSheetMaxRows = 1048576, kSheetMaxCols = 16384;

// "A" for 0, "AB" for 27.
[[nodiscard]] std::string column_letters(std::uint32_t col);
// "B7" → row 7, col 1; false when not a cell reference within the sheet's limits.
[[nodiscard]] bool parse_cell_ref(std::string_view ref, std::uint32_t& row, std::uint32_t& col);
// An Excel date serial → days since 1970-01-01 (the 1900 system counts 1900-02-29, which
// never was; the 1904 system starts at 1904-01-01).
[[nodiscard]] bool serial_to_days(double serial, bool date1904, int& days);
[[nodiscard]] double days_to_serial(int days);

class Workbook {
public:
  Workbook();
  ~Workbook();
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;

  // Opens the workbook and chooses the sheet (`sheet`, or the first when empty). False with a
  // message naming the file (not a ZIP, a part missing, no such sheet, bad XML).
  [[nodiscard]] bool open(const std::string& path, const std::string& sheet, std::string& error);
  [[nodiscard]] const std::string& sheet_name() const;
  [[nodiscard]] bool date1904() const;
  // Streams the sheet: `row` gets each row that holds a value, with its number (from 1) and
  // its cells in column order; returning false stops. False with `error` (bad XML, a cell
  // reference out of order or past the limits, a shared string that does not exist).
  // `in_pieces` false: by libxml2 alone (the reference the pieces are tested against).
  //
  // `as_text` (optional): a sheet read in pieces may have its rows made into text on the
  // pieces' own threads instead of being given to `row` one by one: a piece that starts once
  // `ready()` is true has each row passed to `format` there (its number, the number of the
  // piece's row before it, 0 for its first, and its cells; `format` must be safe to call from
  // any thread then), and the piece's text handed to `text` in order, with the numbers of the
  // first and last rows it holds (0, 0 for none); false from `text` stops like false from `row`.
  // Rows read otherwise (before `ready()`, or by libxml2) go to `row`.
  struct RowText {
    std::function<bool()> ready;
    std::function<void(std::uint32_t row, std::uint32_t before, std::vector<SheetCell>& cells, std::string& out)> format;
    std::function<bool(std::uint32_t first, std::uint32_t last, std::string_view text)> text;
  };
  [[nodiscard]] bool rows(const std::function<bool(std::uint32_t, std::vector<SheetCell>&)>& row, std::string& error,
                          bool in_pieces = true, const RowText* as_text = nullptr);
  // After rows(): whether the sheet was read in pieces to its end (not by libxml2 alone).
  [[nodiscard]] bool read_in_pieces() const;
  // After rows(): the merged ranges ("A1:B1").
  [[nodiscard]] const std::vector<std::string>& merged() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pol::interp
