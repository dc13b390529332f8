// Fuzz target for the workbook reader: bytes as an .xlsx file, opened (the ZIP archive, the
// workbook, its relationships, styles and shared strings) and its first sheet read row by row.
// Must never crash, hang or leak; a bad workbook is an error message, never an abort.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sheets/xlsx_read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  char path[] = "/tmp/pol-xlsx-fuzz-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) return 0;
  if (::write(fd, data, size) != static_cast<ssize_t>(size)) {
    ::close(fd);
    ::unlink(path);
    return 0;
  }
  ::close(fd);
  pol::interp::Workbook book;
  std::string error;
  if (book.open(path, "", error)) {
    std::uint64_t cells = 0;
    (void)book.rows(
        [&](std::uint32_t, std::vector<pol::interp::SheetCell>& row) {
          cells += row.size();
          return cells < 1000000;
        },
        error);
  }
  ::unlink(path);
  return 0;
}
