#include "sheets/xlsx_write.hpp"

#include <minizip/zip.h>
#include <xlsxwriter.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <dlfcn.h>
#include <unistd.h>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "base/source.hpp"
#include "sheets/deflate.hpp"
#include "sheets/xlsx_read.hpp"

// libxlsxwriter 1.1.4 writes a constant-memory sheet's rows to a temporary file, copies them
// into the sheet's own temporary file when the workbook is closed, and compresses that at
// zlib's default level on one core; for 100,000 results rows (100 MB of XML) the copies and the
// compression were most of the time. pol therefore formats and compresses the data rows itself
// while they are written (XlsxWriter::row, ChunkedDeflate on every core, the compressed rows kept
// in a temporary file: about a tenth of the XML), and supplies three of minizip's functions: the
// dynamic linker binds libxlsxwriter's calls to these definitions, which forward to minizip's
// own (the next ones in the lookup order). While XlsxWriter::finish closes a workbook, a sheet
// part is opened raw; what libxlsxwriter writes of it (the sheet's head, its two header rows, the
// filter and margins after them) is compressed by a ChunkedDeflate, and at its "</sheetData>" the
// compressed data rows are spliced in; the part is closed with the size and CRC of the whole.
// Every other part, and every call outside finish, is minizip's unchanged.
namespace {
constexpr int kSheetZipLevel = 2;  // ISA-L's level 2: smaller than its 1, as fast (and three times zlib's speed)

// The data rows of one sheet, compressed: a flushed piece of a DEFLATE stream in `file`.
struct CompressedRows {
  std::FILE* file = nullptr;
  std::uint64_t size = 0;  // uncompressed bytes
  std::uint32_t crc = 0;
};

// While a workbook is closed: its sheets' rows, in order (sheet1.xml is the first).
thread_local const std::vector<CompressedRows>* closing_rows = nullptr;

constexpr std::string_view kSheetDataEnd = "</sheetData>";

struct SheetPart {
  zipFile file = nullptr;
  std::unique_ptr<pol::interp::ChunkedDeflate> deflate;
  const CompressedRows* rows = nullptr;
  std::string held;  // bytes not yet compressed: "</sheetData>" may begin in them
  bool spliced = false;

  // Compresses the rows file into the stream at this point.
  bool splice() {
    spliced = true;
    if (!rows || !rows->file || rows->size == 0) return true;
    if (!deflate->flush() || std::fflush(rows->file) != 0) return false;
    std::rewind(rows->file);
    std::string buf(std::size_t{1} << 20, '\0');
    for (std::size_t got; (got = std::fread(buf.data(), 1, buf.size(), rows->file)) > 0;)
      if (!deflate->splice(std::string_view(buf.data(), got))) return false;
    if (std::ferror(rows->file)) return false;
    deflate->spliced(rows->size, rows->crc);
    return true;
  }

  bool write(std::string_view bytes) {
    if (spliced) return deflate->write(bytes);
    held.append(bytes);
    const std::size_t at = held.find(kSheetDataEnd);
    if (at != std::string::npos) {
      const bool ok = deflate->write(std::string_view(held).substr(0, at)) && splice() &&
                      deflate->write(std::string_view(held).substr(at));
      held.clear();
      return ok;
    }
    const std::size_t keep = std::min(held.size(), kSheetDataEnd.size() - 1);
    const bool ok = deflate->write(std::string_view(held).substr(0, held.size() - keep));
    held.erase(0, held.size() - keep);
    return ok;
  }

  bool finish() {
    if (!spliced && (!deflate->write(held) || !splice())) return false;  // no "</sheetData>": rows at the end
    return deflate->finish();
  }
};
thread_local SheetPart sheet_part;

template <typename F>
F next_definition(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// "xl/worksheets/sheet3.xml" → 2; -1 for any other part.
int sheet_index(std::string_view name) {
  constexpr std::string_view kPrefix = "xl/worksheets/sheet", kSuffix = ".xml";
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return -1;
  name = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  int n = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), n);
  return ec == std::errc() && end == name.data() + name.size() && n >= 1 ? n - 1 : -1;
}
}  // namespace

extern "C" int zipWriteInFileInZip(zipFile file, const void* buf, unsigned len) {
  using Write = int (*)(zipFile, const void*, unsigned);
  static const auto minizip = next_definition<Write>("zipWriteInFileInZip");
  if (!minizip) return ZIP_INTERNALERROR;
  if (sheet_part.deflate && sheet_part.file == file) {
    try {  // nothing is thrown through libxlsxwriter's C
      return sheet_part.write(std::string_view(static_cast<const char*>(buf), len)) ? ZIP_OK : ZIP_ERRNO;
    } catch (...) {
      return ZIP_INTERNALERROR;
    }
  }
  return minizip(file, buf, len);
}

extern "C" int zipCloseFileInZip(zipFile file) {
  using Close = int (*)(zipFile);
  static const auto minizip = next_definition<Close>("zipCloseFileInZip");
  if (!minizip) return ZIP_INTERNALERROR;
  if (!sheet_part.deflate || sheet_part.file != file) return minizip(file);
  bool ok = false;
  try {
    ok = sheet_part.finish();
  } catch (...) {
  }
  const auto size = sheet_part.deflate->size();
  const auto crc = sheet_part.deflate->crc();
  sheet_part = {};
  if (!ok) return ZIP_ERRNO;
  return zipCloseFileInZipRaw64(file, size, crc);
}

extern "C" int zipOpenNewFileInZip4_64(zipFile file, const char* filename, const zip_fileinfo* zipfi,
                                       const void* extra_local, uInt extra_local_size, const void* extra_global,
                                       uInt extra_global_size, const char* comment, int method, int level, int raw,
                                       int window_bits, int mem_level, int strategy, const char* password,
                                       uLong crc_for_crypting, uLong version_made_by, uLong flag_base, int zip64) {
  using Open = int (*)(zipFile, const char*, const zip_fileinfo*, const void*, uInt, const void*, uInt, const char*,
                       int, int, int, int, int, int, const char*, uLong, uLong, uLong, int);
  static const auto minizip = next_definition<Open>("zipOpenNewFileInZip4_64");
  if (!minizip) return ZIP_INTERNALERROR;  // reported by libxlsxwriter as a ZIP error
  const int index = closing_rows && method == Z_DEFLATED && !raw && !password ? sheet_index(filename) : -1;
  if (index >= 0) raw = 1;
  const int rc = minizip(file, filename, zipfi, extra_local, extra_local_size, extra_global, extra_global_size,
                         comment, method, level, raw, window_bits, mem_level, strategy, password, crc_for_crypting,
                         version_made_by, flag_base, zip64);
  if (index >= 0 && rc == ZIP_OK) {
    sheet_part = {};
    sheet_part.file = file;
    if (static_cast<std::size_t>(index) < closing_rows->size()) sheet_part.rows = &(*closing_rows)[static_cast<std::size_t>(index)];
    try {
      sheet_part.deflate = std::make_unique<pol::interp::ChunkedDeflate>(kSheetZipLevel, [file](std::string_view bytes) {
        static const auto write = next_definition<int (*)(zipFile, const void*, unsigned)>("zipWriteInFileInZip");
        return write(file, bytes.data(), static_cast<unsigned>(bytes.size())) == ZIP_OK;
      });
    } catch (...) {
      return ZIP_INTERNALERROR;
    }
  }
  return rc;
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
  std::vector<SheetColumn> columns;
  std::uint64_t rows = 0;
  std::unique_ptr<ChunkedDeflate> deflate;  // the data rows' XML → the compressed rows' file
};

// A number as the sheet stores it: pol's values are exact decimal text, which is also the XML's
// lexical form of a cell value, so up to 15 significant digits (what a cell's double holds
// exactly) they are copied as they are; a longer one is the double nearest to it, as Excel
// would read it. False for text that is not a plain decimal.
bool append_number(std::string& out, std::string_view v) {
  std::size_t i = v[0] == '-' ? 1 : 0, digits = 0, dots = 0;
  for (; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') ++digits;
    else if (v[i] == '.' && dots++ == 0) continue;
    else return false;
  }
  if (digits == 0) return false;
  if (digits <= 15) {
    out += v;
    return true;
  }
  double d = 0;
  if (std::from_chars(v.data(), v.data() + v.size(), d).ec != std::errc()) return false;
  char buf[32];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
  return true;
}

// Text for a <t> element: markup escaped, control characters as Excel writes them (_x001F_),
// bytes that are not UTF-8 shown as their escapes (never raw bytes in XML).
void append_text(std::string& out, std::string_view s) {
  std::string visible;
  if (dsl::utf8_invalid_at(s) != std::string_view::npos) s = visible = dsl::visible(s);
  std::size_t plain = 0;  // the bytes from here on need no escape until the next one that does: appended at once
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    const bool control = static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r';
    if (ch != '&' && ch != '<' && ch != '>' && !control) continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    if (ch == '&') out += "&amp;";
    else if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else fmt::format_to(std::back_inserter(out), "_x{:04X}_", static_cast<unsigned>(ch));
  }
  out.append(s.data() + plain, s.size() - plain);
}

void append_uint(std::string& out, std::uint64_t n) {
  char digits[20];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

}  // namespace

// The data rows are formatted here as the XML of <sheetData> (libxlsxwriter's constant-memory
// mode writes a row with one fprintf a cell, five times slower) and compressed as they come
// (see the top of this file); the header rows go through libxlsxwriter. A cell carries its
// reference only after a gap.
struct XlsxWriter::Impl {
  std::string temp, tmpdir;
  std::string into;  // the output's temporary file the workbook is written into (open's `into`), or empty
  lxw_workbook* book = nullptr;
  lxw_format *money = nullptr, *date = nullptr, *head = nullptr, *ident = nullptr;
  int money_xf = 0, date_xf = 0;
  std::string money_attr, date_attr;  // ' s="N"', the style attribute of a money and a date cell
  std::vector<Sheet> sheets;
  std::vector<CompressedRows> compressed;  // one a sheet
  std::string buf;

  ~Impl() {
    if (book) workbook_close(book);
    if (!temp.empty()) ::unlink(temp.c_str());
    for (auto& c : compressed)
      if (c.file) std::fclose(c.file);
  }

  // A temporary file in `tmpdir`, gone from the folder at once (it lives while it is open).
  std::FILE* scratch() {
    std::string tmpl = tmpdir + "/pol-xlsx-rows-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) return nullptr;
    ::unlink(tmpl.c_str());
    std::FILE* f = ::fdopen(fd, "w+b");
    if (!f) ::close(fd);
    return f;
  }

  void text(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, std::string_view s, lxw_format* f) {
    buf.assign(s);
    if (dsl::utf8_invalid_at(buf) != std::string_view::npos) buf = dsl::visible(buf);  // never raw bytes in XML
    worksheet_write_string(ws, r, c, buf.c_str(), f);
  }
};

XlsxWriter::XlsxWriter() : impl_(std::make_unique<Impl>()) {}
XlsxWriter::~XlsxWriter() = default;

bool XlsxWriter::open(std::string& error, const dsl::OutputFile* into) {
  impl_->tmpdir = dsl::temp_dir();  // libxlsxwriter's own temporary files too
  std::string tmpl;
  if (into && !into->temp_path().empty()) {
    tmpl = impl_->into = into->temp_path();  // the output's own file: renamed into place by its commit
  } else {
    tmpl = impl_->tmpdir + "/pol-xlsx-XXXXXX";
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) {
      error = std::strerror(errno);
      return false;
    }
    ::close(fd);
    impl_->temp = tmpl;
  }
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
  // The style indices the data cells name (registered now, so styles.xml lists them).
  m.money_xf = lxw_format_get_xf_index(m.money);
  m.date_xf = lxw_format_get_xf_index(m.date);
  m.money_attr = fmt::format(" s=\"{}\"", m.money_xf);
  m.date_attr = fmt::format(" s=\"{}\"", m.date_xf);
  return true;
}

void XlsxWriter::add_sheet(const std::string& name, std::vector<SheetColumn> columns) {
  Impl& m = *impl_;
  Sheet s;
  s.ws = workbook_add_worksheet(m.book, name.c_str());
  std::FILE* rows_file = m.scratch();
  m.compressed.push_back({rows_file, 0, 0});
  s.deflate = std::make_unique<ChunkedDeflate>(kSheetZipLevel, [rows_file](std::string_view bytes) {
    return rows_file && std::fwrite(bytes.data(), 1, bytes.size(), rows_file) == bytes.size();
  });
  s.columns = std::move(columns);
  for (std::size_t c = 0; c < s.columns.size(); ++c) m.text(s.ws, 0, static_cast<lxw_col_t>(c), s.columns[c].heading, m.head);
  for (std::size_t c = 0; c < s.columns.size(); ++c) m.text(s.ws, 1, static_cast<lxw_col_t>(c), s.columns[c].name, m.ident);
  if (s.ws) lxw_worksheet_write_single_row(s.ws);  // the identifiers' row, before the data rows
  if (!s.columns.empty()) worksheet_set_column(s.ws, 0, static_cast<lxw_col_t>(s.columns.size() - 1), 14, nullptr);
  worksheet_freeze_panes(s.ws, 2, 0);
  m.sheets.push_back(std::move(s));
}

std::uint64_t XlsxWriter::rows() const { return impl_->sheets.empty() ? 0 : impl_->sheets.back().rows; }

bool XlsxWriter::row(const std::vector<std::string_view>& cells) {
  Impl& m = *impl_;
  Sheet& s = m.sheets.back();
  if (s.rows >= kMaxRows) return false;
  const std::uint64_t r = s.rows + 3;  // the sheet's row number: after the two header rows
  std::string& x = s.deflate->pending();  // formatted where it is compressed from: no copy
  const std::size_t before = x.size();
  x += "<row r=\"";
  append_uint(x, r);
  x += "\">";
  std::size_t next = 0;  // the column a cell without a reference stands in
  for (std::size_t c = 0; c < cells.size(); ++c) {
    std::string_view v = cells[c];
    if (v.empty()) continue;
    x += "<c";
    if (c != next) {
      x += " r=\"";
      x += column_letters(static_cast<std::uint32_t>(c));
      append_uint(x, r);
      x += '"';
    }
    next = c + 1;
    const CellType t = c < s.columns.size() ? s.columns[c].type : CellType::Text;
    switch (t) {
      case CellType::Number:
      case CellType::Money:
        {
          const std::size_t at = x.size();
          if (t == CellType::Money) x += m.money_attr;
          x += "><v>";
          if (append_number(x, v)) {
            x += "</v></c>";
            continue;
          }
          x.resize(at);  // not a number: written as text
        }
        break;
      case CellType::Date:
        if (auto days = parse_date(v)) {
          x += m.date_attr;
          x += "><v>";
          if (const double serial = days_to_serial(*days); serial >= 0) append_uint(x, static_cast<std::uint64_t>(serial));
          else fmt::format_to(std::back_inserter(x), "{}", serial);  // before 1900: Excel shows no date
          x += "</v></c>";
          continue;
        }
        break;
      case CellType::Bool:
        if (v == "true" || v == "是" || v == "false" || v == "否") {
          x += v == "true" || v == "是" ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>";
          continue;
        }
        break;
      case CellType::Text: break;
    }
    const bool spaced = std::isspace(static_cast<unsigned char>(v.front())) || std::isspace(static_cast<unsigned char>(v.back()));
    x += spaced ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" : " t=\"inlineStr\"><is><t>";
    append_text(x, v);
    x += "</t></is></c>";
  }
  x += "</row>";
  (void)s.deflate->wrote(x.size() - before);  // a failure stays in the deflater and fails finish()
  ++s.rows;
  return true;
}

bool XlsxWriter::finish(dsl::OutputFile& out, std::string& error) {
  Impl& m = *impl_;
  for (auto& s : m.sheets) {
    if (s.rows > 0) s.ws->dim_rowmax = static_cast<lxw_row_t>(s.rows + 1);  // the <dimension> covers the data rows
    if (!s.columns.empty())
      worksheet_autofilter(s.ws, 1, 0, static_cast<lxw_row_t>(s.rows + 1), static_cast<lxw_col_t>(s.columns.size() - 1));
  }
  for (std::size_t i = 0; i < m.sheets.size(); ++i) {
    Sheet& s = m.sheets[i];
    if (!s.deflate->flush() || !m.compressed[i].file || std::fflush(m.compressed[i].file) != 0) {
      error = dsl::textf(dsl::Msg::XlsxWriteFailed, out.path(), std::strerror(errno ? errno : EIO));
      return false;
    }
    m.compressed[i].size = s.deflate->size();
    m.compressed[i].crc = s.deflate->crc();
  }
  closing_rows = &m.compressed;
  lxw_error e = workbook_close(m.book);
  closing_rows = nullptr;
  m.book = nullptr;
  if (e != LXW_NO_ERROR) {
    error = dsl::textf(dsl::Msg::XlsxWriteFailed, out.path(), lxw_strerror(e));
    return false;
  }
  if (!m.into.empty()) {
    if (m.into != out.temp_path()) {  // finished into another output than open was told
      error = dsl::textf(dsl::Msg::XlsxWriteFailed, out.path(), std::strerror(EINVAL));
      return false;
    }
    return out.commit(error);
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
