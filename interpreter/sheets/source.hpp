#pragma once
// A cases file as the stream readers of cases/ read it: UTF-8 JSON Lines or UTF-8 CSV.
//
// - JSON Lines and CSV in UTF-8 are read directly; CSV in another encoding (GB18030, UTF-16
//   with a BOM, or the one named by --encoding) through a converting pipe (encoding.hpp).
// - An .xlsx workbook's sheet is translated on a thread into CSV, one line a sheet row (the lines
//   of a large sheet's rows made on the threads that parse its pieces, after the header), so
//   that a CSV line number is the sheet's row number (less the empty rows above the header,
//   given by line_offset()). Cells are written as the case readers expect them: numbers as
//   exact decimal text (Excel's binary noise cut at 15 significant digits), date serials and
//   date-formatted cells as YYYY-MM-DD, booleans as true/false (TRUE/FALSE text too),
//   formulas by their cached values. An empty row gives an empty line.
// After reading, finish() gives the error that must fail the run (bytes not in the encoding;
// a bad cell reference, a merged header or a sheet that reaches Excel's last row).
#include <memory>
#include <string>
#include <vector>

#include "checked/checked.hpp"

namespace pol::interp {

struct CaseInputOptions {
  std::string encoding;  // --encoding: empty to detect
  std::string sheet;     // --sheet: empty for the first
  bool in_pieces = true;  // false: a workbook's sheet read by libxml2 alone (the reference, for tests)
};

// Whether a cases path names an Excel workbook (".xlsx", in any case).
[[nodiscard]] bool is_xlsx_path(std::string_view path);

class CaseInput {
public:
  CaseInput();
  ~CaseInput();
  CaseInput(const CaseInput&) = delete;
  CaseInput& operator=(const CaseInput&) = delete;

  // Opens `path` ("-": standard input, JSON Lines). `policies`: whose inputs the columns name
  // (a workbook's date and boolean columns). False with `error` (exit 2).
  [[nodiscard]] bool open(const std::string& path, const CaseInputOptions& opt,
                          const std::vector<const checked::Policy*>& policies, std::string& error);
  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] bool csv() const { return csv_; }
  [[nodiscard]] bool workbook() const { return workbook_; }
  [[nodiscard]] const std::string& sheet() const;
  // A workbook: the rows above the header that were empty (waits until the header is read).
  [[nodiscard]] std::uint64_t line_offset();
  // A workbook, after reading: how many of its rows were made into CSV lines on the threads
  // that parsed their pieces (the others were made in order, on the translating thread).
  [[nodiscard]] std::uint64_t rows_made_in_pieces() const;
  // What to say once on standard error (the encoding detected), or empty.
  [[nodiscard]] const std::string& note() const { return note_; }
  // After reading (or when stopping early): the error that fails the run, or empty.
  [[nodiscard]] std::string finish();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int fd_ = -1;
  bool csv_ = false, workbook_ = false;
  std::string note_;
};

}  // namespace pol::interp
