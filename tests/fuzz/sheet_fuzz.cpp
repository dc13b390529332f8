// Fuzz target comparing a sheet's two readings: bytes as the XML of a workbook's one sheet
// (stored in the ZIP as they are), read in pieces by pugixml and by libxml2 alone. The two must
// agree on every input: the same cells, merged ranges and error, or pugixml's reading refused
// and the sheet read by libxml2. A disagreement aborts (a crash to keep in crashes/sheet).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sheet_readings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  char path[] = "/tmp/pol-sheet-fuzz-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return 0;
  ::close(fd);
  const std::string xml(reinterpret_cast<const char*>(data), size);
  if (pol::testing::write_sheet_workbook(path, xml, true)) {
    const auto fast = pol::testing::read_sheet(path, true), reference = pol::testing::read_sheet(path, false);
    if (!(fast == reference)) {
      std::fprintf(stderr, "the readings disagree: in pieces ok=%d '%s' %zu cells; libxml2 ok=%d '%s' %zu cells\n",
                   fast.ok, fast.error.c_str(), fast.cells.size(), reference.ok, reference.error.c_str(),
                   reference.cells.size());
      for (std::size_t i = 0; i < fast.cells.size() || i < reference.cells.size(); ++i) {
        const std::string a = i < fast.cells.size() ? fast.cells[i] : "", b = i < reference.cells.size() ? reference.cells[i] : "";
        if (a != b) {
          std::fprintf(stderr, "first difference, cell %zu: '%s' against '%s'\n", i, a.c_str(), b.c_str());
          break;
        }
      }
      ::unlink(path);
      std::abort();
    }
  }
  ::unlink(path);
  return 0;
}
