#include "sheets/source.hpp"

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <future>
#include <optional>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "base/source.hpp"
#include "cases/case.hpp"
#include "cases/lines.hpp"
#include "sheets/encoding.hpp"
#include "sheets/pipe.hpp"
#include "sheets/xlsx_read.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::textf;

bool is_xlsx_path(std::string_view path) {
  if (path.size() < 5) return false;
  std::string ext(path.substr(path.size() - 5));
  for (auto& ch : ext)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return ext == ".xlsx";
}

namespace {

enum class ColumnKind : std::uint8_t { Other, Date, Bool };

// A number as stored (shortest text of a double, maybe with an exponent) as the case readers
// read it: plain decimal text, at most 15 significant digits as Excel shows it.
std::string number_text(const std::string& stored) {
  std::size_t digits = 0;
  bool plain = !stored.empty();
  for (std::size_t i = 0; i < stored.size(); ++i) {
    char ch = stored[i];
    if (ch >= '0' && ch <= '9') ++digits;
    else if (!(ch == '.' || (ch == '-' && i == 0))) plain = false;
  }
  if (plain && digits <= 15) return stored;
  char* end = nullptr;
  const double d = std::strtod(stored.c_str(), &end);
  if (end == stored.c_str() || *end != '\0' || !std::isfinite(d)) return stored;  // the reader names it
  const int exp10 = d == 0 ? 0 : static_cast<int>(std::floor(std::log10(std::fabs(d))));
  const int places = std::clamp(14 - exp10, 0, 340);
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, places);
  std::string s(buf, r.ptr);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

void csv_cell(std::string& out, std::string_view s) {
  bool quote = false, newline = false;  // one pass over the text: most cells need neither
  for (const char ch : s) {
    quote |= ch == ',' || ch == '"';
    newline |= ch == '\n' || ch == '\r';
  }
  std::string shown;
  if (newline) {  // one line a row
    s = shown = dsl::visible(s);
    quote = s.find_first_of(",\"") != std::string_view::npos;
  }
  if (!quote) {
    out += s;
    return;
  }
  out.push_back('"');
  for (char ch : s) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
}

ColumnKind kind_of(std::string_view name, const std::vector<const checked::Policy*>& policies) {
  for (const auto* p : policies)
    for (const auto& in : p->inputs)
      if (in.name == name || in.label == name) {
        if (in.type.base == dsl::Base::Date) return ColumnKind::Date;
        if (in.type.base == dsl::Base::Bool) return ColumnKind::Bool;
        return ColumnKind::Other;
      }
  return ColumnKind::Other;
}

bool upper_is(std::string_view s, std::string_view word) {
  if (s.size() != word.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((s[i] >= 'a' && s[i] <= 'z' ? static_cast<char>(s[i] - 'a' + 'A') : s[i]) != word[i]) return false;
  return true;
}

}  // namespace

struct CaseInput::Impl {
  int raw = -1;
  Utf8Stream utf8;
  Workbook book;
  PipeThread pipe;
  std::string path, error;
  std::vector<const checked::Policy*> policies;
  std::vector<ColumnKind> kinds;
  std::uint32_t header_row = 0, last_row = 0;
  std::promise<std::uint64_t> offset_promise;
  std::future<std::uint64_t> offset = offset_promise.get_future();
  bool offset_set = false;
  std::optional<std::uint64_t> offset_value;
  std::string out;
  bool in_pieces = true;

  ~Impl() {
    pipe.finish();
    if (raw > 2) ::close(raw);
  }

  void set_offset(std::uint64_t v) {
    if (offset_set) return;
    offset_set = true;
    offset_promise.set_value(v);
  }

  void cell_text(std::string& o, const SheetCell& c, ColumnKind k) const {
    using K = SheetCell::Kind;
    switch (c.kind) {
      case K::Number: {
        int days = 0;
        if ((c.date || k == ColumnKind::Date) && serial_to_days(std::strtod(c.text.c_str(), nullptr), book.date1904(), days))
          return append_date(o, days);
        return csv_cell(o, number_text(c.text));
      }
      case K::Bool: o += c.text == "1" || c.text == "true" ? "true" : "false"; return;
      case K::Text:
        if (k == ColumnKind::Bool && (upper_is(c.text, "TRUE") || upper_is(c.text, "FALSE")))
          o += upper_is(c.text, "TRUE") ? "true" : "false";
        else csv_cell(o, c.text);
        return;
      case K::Error: csv_cell(o, c.text); return;
    }
  }

  // One sheet row as a CSV line: the one definition, on whichever thread makes it (the header's
  // column kinds are known, and read only, by then).
  void line(const std::vector<SheetCell>& cells, std::string& o) const {
    std::uint32_t col = 0;
    for (const auto& c : cells) {
      for (; col < c.col; ++col)
        if (col > 0) o.push_back(',');
      if (c.col > 0) o.push_back(',');
      cell_text(o, c, c.col < kinds.size() ? kinds[c.col] : ColumnKind::Other);
      col = c.col + 1;
    }
    for (; col < kinds.size(); ++col)
      if (col > 0) o.push_back(',');
    o.push_back('\n');
  }

  // Hands the lines made so far to the reader once there are enough of them; false once it
  // has stopped.
  bool flush(bool all) {
    if (out.empty() || (!all && out.size() < (std::size_t{1} << 18))) return true;
    if (!pipe.write(out)) return false;
    out.clear();
    return true;
  }

  // A sheet row given in order (the header, and rows not made into text in pieces): its line,
  // after the empty lines for the rows skipped.
  std::uint32_t prev = 0;
  std::atomic<bool> header_known{false};
  bool row(std::uint32_t r, std::vector<SheetCell>& cells) {
    if (header_row != 0) out.append(r - prev - 1, '\n');  // empty rows: empty lines
    prev = last_row = r;
    if (header_row == 0) {
      header_row = r;
      set_offset(r - 1);
      for (const auto& c : cells) {
        kinds.resize(c.col + 1, ColumnKind::Other);
        kinds[c.col] = c.kind == SheetCell::Kind::Text ? kind_of(c.text, policies) : ColumnKind::Other;
      }
      header_known.store(true, std::memory_order_release);  // the kinds are set: lines may be made anywhere
    }
    line(cells, out);
    return flush(false);
  }

  // The lines of a piece's rows, made on its own thread (Workbook::RowText), in order.
  std::atomic<std::uint64_t> made_in_pieces{0};
  bool rows_text(std::uint32_t first, std::uint32_t last, std::string_view text) {
    out.append(first - prev - 1, '\n');
    prev = last_row = last;
    if (!flush(true)) return false;
    return pipe.write(text);
  }

  void run() {
    Workbook::RowText as_text{
        [this] { return header_known.load(std::memory_order_acquire); },
        [this](std::uint32_t r, std::uint32_t before, std::vector<SheetCell>& cells, std::string& o) {
          if (before != 0) o.append(r - before - 1, '\n');
          line(cells, o);
          made_in_pieces.fetch_add(1, std::memory_order_relaxed);
        },
        [this](std::uint32_t first, std::uint32_t last, std::string_view text) { return rows_text(first, last, text); }};
    bool ok = book.rows([this](std::uint32_t r, std::vector<SheetCell>& cells) { return row(r, cells); }, error,
                        in_pieces, &as_text);
    set_offset(0);
    if (ok && pipe.write(out)) out.clear();
    if (!ok || !error.empty()) return;
    if (header_row == 0) {
      error = textf(Msg::XlsxEmptySheet, path, book.sheet_name());
      return;
    }
    for (const auto& m : book.merged()) {  // written after the rows: known only now
      std::uint32_t r1 = 0, c1 = 0, r2 = 0, c2 = 0;
      auto colon = m.find(':');
      if (colon == std::string::npos || !parse_cell_ref(m.substr(0, colon), r1, c1) ||
          !parse_cell_ref(m.substr(colon + 1), r2, c2))
        continue;
      if (r1 <= header_row && header_row <= r2) {
        error = textf(Msg::XlsxMergedHeader, path, book.sheet_name(), m);
        return;
      }
    }
    if (last_row == kSheetMaxRows) error = textf(Msg::XlsxLastRow, path, book.sheet_name());
  }
};

CaseInput::CaseInput() : impl_(std::make_unique<Impl>()) {}
CaseInput::~CaseInput() = default;

const std::string& CaseInput::sheet() const { return impl_->book.sheet_name(); }

bool CaseInput::open(const std::string& path, const CaseInputOptions& opt,
                     const std::vector<const checked::Policy*>& policies, std::string& error) {
  Impl& m = *impl_;
  m.path = path;
  m.policies = policies;
  m.in_pieces = opt.in_pieces;
  workbook_ = path != "-" && is_xlsx_path(path);
  csv_ = workbook_ || (path != "-" && is_csv_path(path));
  if (!opt.sheet.empty() && !workbook_) {
    error = textf(Msg::SheetNeedsXlsx, path);
    return false;
  }
  if (!opt.encoding.empty() && workbook_) {
    error = textf(Msg::EncodingNotForXlsx);
    return false;
  }
  m.raw = open_cases_file(path, error);
  if (m.raw < 0) return false;
  if (workbook_) {
    if (!m.book.open(path, opt.sheet, error)) return false;
    std::string why;
    if (!m.pipe.start([&m] { m.run(); }, why)) {
      error = textf(Msg::EncodingReadFailed, path, why);
      return false;
    }
    fd_ = m.pipe.fd();
    return true;
  }
  if (!csv_) {  // JSON Lines: UTF-8 by definition (RFC 8259)
    fd_ = m.raw;
    return true;
  }
  fd_ = m.utf8.open(m.raw, path, opt.encoding, error);
  note_ = m.utf8.note();
  return fd_ >= 0;
}

std::uint64_t CaseInput::rows_made_in_pieces() const { return impl_->made_in_pieces.load(); }

std::uint64_t CaseInput::line_offset() {
  if (!workbook_) return 0;
  if (!impl_->offset_value) impl_->offset_value = impl_->offset.get();
  return *impl_->offset_value;
}

std::string CaseInput::finish() {
  if (workbook_) {
    impl_->pipe.finish();
    return impl_->error;
  }
  return impl_->utf8.finish();
}

}  // namespace pol::interp
