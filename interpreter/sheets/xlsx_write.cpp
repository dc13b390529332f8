#include "sheets/xlsx_write.hpp"

#include <minizip/zip.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <dlfcn.h>
#include <stdio_ext.h>
#include <unistd.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "base/source.hpp"
#include "sheets/xlsx_read.hpp"

// libxlsxwriter 1.1.4 compresses every part at zlib's default level (6) and has no option to
// choose another; for a sheet of 100,000 results rows (144 MB of XML) that is half the run.
// pol therefore supplies minizip's zipOpenNewFileInZip4_64 itself: the dynamic linker binds
// libxlsxwriter's call to this definition, which forwards to minizip's own (the next one in
// the lookup order) with level kSheetZipLevel while XlsxWriter::finish closes a workbook, and
// unchanged otherwise. Level 2 deflates that sheet in a third of the time, 26% larger.
namespace {
constexpr int kSheetZipLevel = 2;
thread_local bool closing_workbook = false;
}  // namespace

extern "C" int zipOpenNewFileInZip4_64(zipFile file, const char* filename, const zip_fileinfo* zipfi,
                                       const void* extra_local, uInt extra_local_size, const void* extra_global,
                                       uInt extra_global_size, const char* comment, int method, int level, int raw,
                                       int window_bits, int mem_level, int strategy, const char* password,
                                       uLong crc_for_crypting, uLong version_made_by, uLong flag_base, int zip64) {
  using Open = int (*)(zipFile, const char*, const zip_fileinfo*, const void*, uInt, const void*, uInt, const char*,
                       int, int, int, int, int, int, const char*, uLong, uLong, uLong, int);
  static const auto minizip = reinterpret_cast<Open>(dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64"));
  if (!minizip) return ZIP_INTERNALERROR;  // reported by libxlsxwriter as a ZIP error
  if (closing_workbook && method == Z_DEFLATED) level = kSheetZipLevel;
  return minizip(file, filename, zipfi, extra_local, extra_local_size, extra_global, extra_global_size, comment,
                 method, level, raw, window_bits, mem_level, strategy, password, crc_for_crypting, version_made_by,
                 flag_base, zip64);
}

namespace pol::interp {

CellType cell_type_of(const dsl::Type& t) {
  switch (t.base) {
    case dsl::Base::Bool: return CellType::Bool;
    case dsl::Base::Date: return CellType::Date;
    case dsl::Base::Number: return t.unit == dsl::Unit::Yuan ? CellType::Money : CellType::Number;
    default: return CellType::Text;
  }
}

namespace {

struct Sheet {
  lxw_worksheet* ws = nullptr;
  std::unique_ptr<char[]> buffer;  // the stdio buffer of its rows' file, until the workbook is closed
  std::vector<SheetColumn> columns;
  std::uint64_t rows = 0;
};

}  // namespace

struct XlsxWriter::Impl {
  std::string temp, tmpdir;
  lxw_workbook* book = nullptr;
  lxw_format *money = nullptr, *date = nullptr, *head = nullptr, *ident = nullptr;
  std::vector<Sheet> sheets;
  std::string buf;

  ~Impl() {
    if (book) workbook_close(book);
    if (!temp.empty()) ::unlink(temp.c_str());
  }

  void text(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, std::string_view s, lxw_format* f) {
    buf.assign(s);
    if (dsl::utf8_invalid_at(buf) != std::string_view::npos) buf = dsl::visible(buf);  // never raw bytes in XML
    for (auto& ch : buf)
      if (ch == '\x1e' || ch == '\x1f') ch = ' ';
    worksheet_write_string(ws, r, c, buf.c_str(), f);
  }
};

XlsxWriter::XlsxWriter() : impl_(std::make_unique<Impl>()) {}
XlsxWriter::~XlsxWriter() = default;

bool XlsxWriter::open(std::string& error) {
  const char* dir = std::getenv("TMPDIR");
  impl_->tmpdir = dir && *dir ? dir : "/tmp";  // libxlsxwriter's own temporary files too
  std::string tmpl = impl_->tmpdir + "/pol-xlsx-XXXXXX";
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  ::close(fd);
  impl_->temp = tmpl;
  lxw_workbook_options opt{};
  opt.constant_memory = LXW_TRUE;
  opt.use_zip64 = LXW_TRUE;
  opt.tmpdir = impl_->tmpdir.data();
  impl_->book = workbook_new_opt(tmpl.c_str(), &opt);
  if (!impl_->book) {
    error = "libxlsxwriter";
    return false;
  }
  Impl& m = *impl_;
  m.money = workbook_add_format(m.book);
  format_set_num_format(m.money, kMoneyFormat);
  m.date = workbook_add_format(m.book);
  format_set_num_format(m.date, kDateFormat);
  m.head = workbook_add_format(m.book);
  format_set_bold(m.head);
  m.ident = workbook_add_format(m.book);
  format_set_font_color(m.ident, LXW_COLOR_GRAY);
  return true;
}

void XlsxWriter::add_sheet(const std::string& name, std::vector<SheetColumn> columns) {
  Impl& m = *impl_;
  Sheet s;
  s.ws = workbook_add_worksheet(m.book, name.c_str());
  if (s.ws && s.ws->optimize_tmpfile) {
    // The rows' temporary file, written by this thread alone with one fprintf a cell: no
    // locking, and a buffer of 1 MB rather than stdio's 4 KB.
    __fsetlocking(s.ws->optimize_tmpfile, FSETLOCKING_BYCALLER);
    constexpr std::size_t kBuffer = std::size_t{1} << 20;
    s.buffer = std::make_unique<char[]>(kBuffer);
    std::setvbuf(s.ws->optimize_tmpfile, s.buffer.get(), _IOFBF, kBuffer);
  }
  s.columns = std::move(columns);
  // Row by row: in constant-memory mode a row is final once the next one is begun.
  for (std::size_t c = 0; c < s.columns.size(); ++c) m.text(s.ws, 0, static_cast<lxw_col_t>(c), s.columns[c].heading, m.head);
  for (std::size_t c = 0; c < s.columns.size(); ++c) m.text(s.ws, 1, static_cast<lxw_col_t>(c), s.columns[c].name, m.ident);
  if (!s.columns.empty()) worksheet_set_column(s.ws, 0, static_cast<lxw_col_t>(s.columns.size() - 1), 14, nullptr);
  worksheet_freeze_panes(s.ws, 2, 0);
  m.sheets.push_back(std::move(s));
}

std::uint64_t XlsxWriter::rows() const { return impl_->sheets.empty() ? 0 : impl_->sheets.back().rows; }

bool XlsxWriter::row(const std::vector<std::string_view>& cells) {
  Impl& m = *impl_;
  Sheet& s = m.sheets.back();
  if (s.rows >= kMaxRows) return false;
  const auto r = static_cast<lxw_row_t>(s.rows + 2);
  for (std::size_t c = 0; c < cells.size(); ++c) {
    std::string_view v = cells[c];
    if (v.empty()) continue;
    const auto col = static_cast<lxw_col_t>(c);
    const CellType t = c < s.columns.size() ? s.columns[c].type : CellType::Text;
    char* end = nullptr;
    std::string num;
    switch (t) {
      case CellType::Number:
      case CellType::Money: {
        num.assign(v);
        const double d = std::strtod(num.c_str(), &end);
        if (end != num.c_str() && *end == '\0') {
          worksheet_write_number(s.ws, r, col, d, t == CellType::Money ? m.money : nullptr);
          continue;
        }
        break;
      }
      case CellType::Date:
        if (auto days = parse_date(v)) {
          worksheet_write_number(s.ws, r, col, days_to_serial(*days), m.date);
          continue;
        }
        break;
      case CellType::Bool:
        if (v == "true" || v == "是" || v == "false" || v == "否") {
          worksheet_write_boolean(s.ws, r, col, v == "true" || v == "是", nullptr);
          continue;
        }
        break;
      case CellType::Text: break;
    }
    m.text(s.ws, r, col, v, nullptr);
  }
  ++s.rows;
  return true;
}

bool XlsxWriter::finish(dsl::OutputFile& out, std::string& error) {
  Impl& m = *impl_;
  for (auto& s : m.sheets)
    if (!s.columns.empty())
      worksheet_autofilter(s.ws, 1, 0, static_cast<lxw_row_t>(s.rows + 1), static_cast<lxw_col_t>(s.columns.size() - 1));
  closing_workbook = true;
  lxw_error e = workbook_close(m.book);
  closing_workbook = false;
  m.book = nullptr;
  if (e != LXW_NO_ERROR) {
    error = dsl::textf(dsl::Msg::XlsxWriteFailed, out.path(), lxw_strerror(e));
    return false;
  }
  std::ifstream in(m.temp, std::ios::binary);
  std::vector<char> chunk(std::size_t{1} << 20);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (in.gcount() > 0 && !out.write(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())))) break;
  }
  return out.commit(error);
}

}  // namespace pol::interp
