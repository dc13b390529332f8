#include "sheets/xlsx_write.hpp"

#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <unistd.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "base/source.hpp"
#include "sheets/xlsx_read.hpp"

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
};

}  // namespace

struct XlsxWriter::Impl {
  std::string temp;
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
  std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/pol-xlsx-XXXXXX";
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
  lxw_error e = workbook_close(m.book);
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
