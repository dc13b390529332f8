#include "sheets/xlsx_read.hpp"

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <unzip.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <future>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <pugixml.hpp>
#include <simdjson.h>

#include "base/messages.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::textf;

std::string column_letters(std::uint32_t col) {
  std::string s;
  for (std::uint32_t c = col + 1; c > 0; c = (c - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
  return s;
}

bool parse_cell_ref(std::string_view ref, std::uint32_t& row, std::uint32_t& col) {
  std::size_t i = 0;
  std::uint64_t c = 0, r = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 3; ++i) c = c * 26 + static_cast<std::uint64_t>(ref[i] - 'A' + 1);
  if (c == 0 || c > kSheetMaxCols) return false;
  const std::size_t digits = i;
  for (; i < ref.size() && ref[i] >= '0' && ref[i] <= '9' && i - digits < 8; ++i) r = r * 10 + static_cast<std::uint64_t>(ref[i] - '0');
  if (i != ref.size() || i == digits || r == 0 || r > kSheetMaxRows) return false;
  row = static_cast<std::uint32_t>(r);
  col = static_cast<std::uint32_t>(c - 1);
  return true;
}

// 1899-12-30 is day -25569 from 1970-01-01; serial 60 is the 1900 system's 1900-02-29.
bool serial_to_days(double serial, bool date1904, int& days) {
  if (!std::isfinite(serial) || serial < 0 || serial > 2958466) return false;  // up to 9999-12-31
  int whole = static_cast<int>(std::floor(serial));
  if (date1904) {
    days = whole - 24107;  // 1904-01-01 is day -24107
    return true;
  }
  if (whole == 60 || whole == 0) return false;
  days = whole < 60 ? whole - 25568 : whole - 25569;
  return true;
}

double days_to_serial(int days) {
  const int serial = days + 25569;
  return serial <= 60 ? serial - 1 : serial;
}

namespace {

// The attributes of a SAX2 start element: (localname, prefix, URI, value, end) five at a time.
std::string_view attr(const xmlChar** attrs, int n, std::string_view name) {
  for (int i = 0; i < n; ++i) {
    const char* local = reinterpret_cast<const char*>(attrs[5 * i]);
    if (name == local)
      return {reinterpret_cast<const char*>(attrs[5 * i + 3]), static_cast<std::size_t>(attrs[5 * i + 4] - attrs[5 * i + 3])};
  }
  return {};
}

// One XML part read by SAX: what the part's handler does with its elements and text.
struct Handler {
  virtual ~Handler() = default;
  virtual void start(std::string_view, const xmlChar**, int) {}
  virtual void end(std::string_view) {}
  // The names as the parser has them: interned in its dictionary, so that a handler that reads
  // many elements (a sheet) compares pointers (see Names) rather than text.
  virtual void start_element(const xmlChar* local, const xmlChar** attrs, int n) {
    start(reinterpret_cast<const char*>(local), attrs, n);
  }
  virtual void end_element(const xmlChar* local) { end(reinterpret_cast<const char*>(local)); }
  virtual void begin() {}  // the parser is made (ctxt is set)
  virtual void text(const char*, int) {}
  xmlParserCtxtPtr ctxt = nullptr;
  std::string error;     // set by a handler to stop the parse
  bool stopped = false;  // the handler's reader wanted no more (not an error)
  void fail(std::string e) {
    if (error.empty()) error = std::move(e);
    xmlStopParser(ctxt);
  }
};

void on_start(void* ctx, const xmlChar* local, const xmlChar*, const xmlChar*, int, const xmlChar**, int n,
              int, const xmlChar** attrs) {
  static_cast<Handler*>(ctx)->start_element(local, attrs, n);
}
void on_end(void* ctx, const xmlChar* local, const xmlChar*, const xmlChar*) { static_cast<Handler*>(ctx)->end_element(local); }
void on_text(void* ctx, const xmlChar* s, int len) { static_cast<Handler*>(ctx)->text(reinterpret_cast<const char*>(s), len); }
void on_error(void*, const char*, ...) {}  // errors are read from the context afterwards

bool is_date_format(std::uint32_t id, const std::string& code) {
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58)) return true;
  bool quoted = false, bracket = false, date = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    char ch = code[i];
    if (ch == '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch == '\\') ++i;
    else if (ch == '[') bracket = true;
    else if (ch == ']') bracket = false;
    else if (!bracket && (ch == 'y' || ch == 'Y' || ch == 'd' || ch == 'D')) date = true;
  }
  return date;
}

struct WorkbookPart : Handler {
  struct Sheet {
    std::string name, rel;
  };
  std::vector<Sheet> sheets;
  bool date1904 = false;
  void start(std::string_view name, const xmlChar** a, int n) override {
    if (name == "sheet") sheets.push_back({std::string(attr(a, n, "name")), std::string(attr(a, n, "id"))});
    else if (name == "workbookPr") {
      auto v = attr(a, n, "date1904");
      date1904 = v == "1" || v == "true";
    }
  }
  void end(std::string_view) override {}
};

struct RelsPart : Handler {
  std::unordered_map<std::string, std::string> targets;
  std::string office;  // the officeDocument target (package relationships)
  void start(std::string_view name, const xmlChar** a, int n) override {
    if (name != "Relationship") return;
    std::string target(attr(a, n, "Target"));
    if (attr(a, n, "Type").ends_with("/officeDocument")) office = target;
    targets.emplace(std::string(attr(a, n, "Id")), std::move(target));
  }
  void end(std::string_view) override {}
};

struct StylesPart : Handler {
  std::unordered_map<std::uint32_t, std::string> formats;
  std::vector<std::uint32_t> xf_formats;
  bool in_xfs = false;
  void start(std::string_view name, const xmlChar** a, int n) override {
    if (name == "numFmt") {
      formats[static_cast<std::uint32_t>(std::atoi(std::string(attr(a, n, "numFmtId")).c_str()))] =
          std::string(attr(a, n, "formatCode"));
    } else if (name == "cellXfs") {
      in_xfs = true;
    } else if (name == "xf" && in_xfs) {
      xf_formats.push_back(static_cast<std::uint32_t>(std::atoi(std::string(attr(a, n, "numFmtId")).c_str())));
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_xfs = false;
  }
};

struct StringsPart : Handler {
  std::vector<std::string> strings;
  std::string cur;
  bool in_t = false;
  int phonetic = 0;
  void start(std::string_view name, const xmlChar**, int) override {
    if (name == "si") cur.clear();
    else if (name == "rPh") ++phonetic;
    else if (name == "t" && phonetic == 0) in_t = true;
  }
  void end(std::string_view name) override {
    if (name == "t") in_t = false;
    else if (name == "rPh") --phonetic;
    else if (name == "si") strings.push_back(std::move(cur));
  }
  void text(const char* s, int n) override {
    if (in_t) cur.append(s, static_cast<std::size_t>(n));
  }
};

}  // namespace

// A ZIP part's bytes, as unzReadCurrentFile gives them (a count, 0 at the end, negative when
// the data is damaged), inflated by ISA-L (about twice zlib's speed) from the raw bytes minizip
// reads, the CRC-32 and size checked at the end (minizip checks them only when the part is
// closed, which the reader had no way to report). A part stored by another method is minizip's.
class PartStream {
public:
  // Opens the current file of `zip` (unzLocateFile has found it); false when minizip cannot.
  bool open(unzFile zip) {
    zip_ = zip;
    unz_file_info64 info{};
    if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) return false;
    int method = 0, level = 0;
    if (unzOpenCurrentFile2(zip, &method, &level, 1) != UNZ_OK) return false;
    if (method != Z_DEFLATED && method != 0) {  // not what ISA-L reads: minizip inflates it
      unzCloseCurrentFile(zip);
      return unzOpenCurrentFile(zip) == UNZ_OK;
    }
    raw_ = true;
    stored_ = method == 0;
    want_crc_ = static_cast<std::uint32_t>(info.crc);
    want_size_ = info.uncompressed_size;
    if (!stored_) {
      state_ = std::make_unique<inflate_state>();
      isal_inflate_init(state_.get());
      state_->crc_flag = ISAL_DEFLATE;
      in_.resize(std::size_t{1} << 16);
    }
    return true;
  }
  int read(char* out, unsigned n) {
    if (!raw_) return unzReadCurrentFile(zip_, out, n);
    if (stored_) {
      const int got = unzReadCurrentFile(zip_, out, n);
      return got > 0 ? took(out, got) : got < 0 ? got : ended();
    }
    inflate_state& z = *state_;
    for (;;) {
      if (z.block_state == ISAL_BLOCK_FINISH) return ended();
      if (z.avail_in == 0 && !in_done_) {
        const int got = unzReadCurrentFile(zip_, in_.data(), static_cast<unsigned>(in_.size()));
        if (got < 0) return got;
        if (got == 0) in_done_ = true;
        z.next_in = reinterpret_cast<std::uint8_t*>(in_.data());
        z.avail_in = static_cast<std::uint32_t>(got);
      }
      z.next_out = reinterpret_cast<std::uint8_t*>(out);
      z.avail_out = n;
      if (isal_inflate(&z) < 0) return Z_DATA_ERROR;
      const unsigned made = n - z.avail_out;
      if (made > 0) return took(out, static_cast<int>(made));
      if (z.block_state != ISAL_BLOCK_FINISH && in_done_ && z.avail_in == 0) return Z_DATA_ERROR;  // cut short
    }
  }

private:
  int took(const char* out, int got) {
    crc_ = crc32_gzip_refl(crc_, reinterpret_cast<const unsigned char*>(out), static_cast<std::uint64_t>(got));
    size_ += static_cast<std::uint64_t>(got);
    return got;
  }
  int ended() const { return crc_ == want_crc_ && size_ == want_size_ ? 0 : UNZ_CRCERROR; }

  unzFile zip_ = nullptr;
  bool raw_ = false, stored_ = false, in_done_ = false;
  std::unique_ptr<inflate_state> state_;
  std::string in_;
  std::uint32_t crc_ = 0, want_crc_ = 0;
  std::uint64_t size_ = 0, want_size_ = 0;
};

// A ZIP part's bytes inflated by one thread and taken by another, in order, a few buffers at
// a time. status(): the last PartStream::read result (negative: the data is damaged).
class Inflated {
public:
  Inflated() = default;
  ~Inflated() { join(); }
  Inflated(const Inflated&) = delete;
  Inflated& operator=(const Inflated&) = delete;
  void run(PartStream& part) {
    for (;;) {
      std::string buf;
      {
        std::lock_guard lock(mutex_);
        if (!spare_.empty()) {  // a buffer the reader is done with: no new memory to fault in
          buf = std::move(spare_.back());
          spare_.pop_back();
        }
      }
      buf.resize(kBuffer);
      const int got = part.read(buf.data(), static_cast<unsigned>(buf.size()));
      std::unique_lock lock(mutex_);
      if (got <= 0) {
        status_ = got;
        done_ = true;
        ready_.notify_all();
        return;
      }
      buf.resize(static_cast<std::size_t>(got));
      room_.wait(lock, [&] { return queue_.size() < kInFlight || stopped_; });
      if (stopped_) return;
      queue_.push_back(std::move(buf));
      ready_.notify_all();
    }
  }
  // Inflates on a thread of its own; when none can be started, next() inflates itself.
  void start(PartStream& part) {
    try {
      thread_ = std::thread([this, &part] { run(part); });
    } catch (const std::system_error&) {
      inline_ = &part;
    }
  }
  // Stops the thread (the consumer wants no more, or has had all) and waits for it.
  void join() {
    stop();
    if (thread_.joinable()) thread_.join();
  }
  // The next buffer; false at the end (or when the data is damaged).
  bool next(std::string& out) {
    if (inline_) {
      out.resize(kBuffer);
      const int got = inline_->read(out.data(), static_cast<unsigned>(out.size()));
      if (got <= 0) {
        status_ = got;
        out.clear();
        return false;
      }
      out.resize(static_cast<std::size_t>(got));
      return true;
    }
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (queue_.empty()) return false;
    if (out.capacity() >= kBuffer && spare_.size() < kInFlight) spare_.push_back(std::move(out));
    out = std::move(queue_.front());
    queue_.pop_front();
    room_.notify_all();
    return true;
  }
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    room_.notify_all();
  }
  int status() {
    std::lock_guard lock(mutex_);
    return status_;
  }

private:
  static constexpr std::size_t kInFlight = 4, kBuffer = std::size_t{1} << 18;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<std::string> queue_;
  std::vector<std::string> spare_;  // buffers handed back by next(), for run() to fill again
  std::thread thread_;
  PartStream* inline_ = nullptr;
  bool done_ = false, stopped_ = false;
  int status_ = 0;
};

// A push parser that reports to `h` (h.ctxt is set and h.begin() called).
xmlParserCtxtPtr make_parser(Handler& h, const std::string& entry) {
  xmlSAXHandler sax{};
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = on_start;
  sax.endElementNs = on_end;
  sax.characters = on_text;
  sax.error = on_error;
  sax.warning = on_error;
  xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, &h, nullptr, 0, entry.c_str());
  xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
  h.ctxt = ctxt;
  h.begin();
  return ctxt;
}

struct Workbook::Impl {
  using RowText = Workbook::RowText;
  std::string path, sheet, sheet_entry;
  unzFile zip = nullptr;
  bool date1904 = false;
  std::vector<std::string> strings;
  std::vector<bool> date_xf;
  std::vector<std::string> merged;
  bool in_pieces = false;  // the last rows() read the sheet in pieces to its end

  ~Impl() {
    if (zip) unzClose(zip);
  }

  // Reading the sheet in pieces that parse on their own, on every core (rows_in_pieces, below).
  enum class Pieces { Done, Stopped, Sequential };
  using RowFn = std::function<bool(std::uint32_t, std::vector<SheetCell>&)>;
  Pieces rows_in_pieces(const RowFn& row, const RowText* as_text, std::uint32_t& delivered);

  // Whether the archive holds the part.
  bool has(const std::string& entry) { return unzLocateFile(zip, entry.c_str(), 1) == UNZ_OK; }

  // Parses a part through `h`; false with `error` (missing part, damaged data, bad XML).
  bool parse(const std::string& entry, Handler& h, std::string& error) {
    if (!has(entry)) {
      error = textf(Msg::XlsxPartMissing, path, entry);
      return false;
    }
    PartStream part;
    if (!part.open(zip)) {
      error = textf(Msg::XlsxBadXml, path, entry, 0, "ZIP");
      return false;
    }
    xmlParserCtxtPtr ctxt = make_parser(h, entry);
    // The part is inflated on a thread of its own while this one parses (a sheet's XML is
    // about ten times its compressed size): a few buffers in flight between the two.
    Inflated flow;
    flow.start(part);
    bool ok = true;
    for (std::string chunk; h.error.empty() && flow.next(chunk);)
      if (xmlParseChunk(ctxt, chunk.data(), static_cast<int>(chunk.size()), 0) != 0) break;
    flow.join();
    const int got = flow.status();
    if (got < 0) {
      error = textf(Msg::XlsxDamaged, path, entry, got);
      ok = false;
    } else if (h.error.empty() && !h.stopped && xmlParseChunk(ctxt, nullptr, 0, 1) != 0 && h.error.empty()) {
      const xmlError* e = xmlCtxtGetLastError(ctxt);
      std::string why = e && e->message ? e->message : "";
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      error = textf(Msg::XlsxBadXml, path, entry, e ? e->line : 0, why);
      ok = false;
    }
    if (!h.error.empty()) {
      error = h.error;
      ok = false;
    }
    unzCloseCurrentFile(zip);
    xmlFreeParserCtxt(ctxt);
    return ok;
  }
};

Workbook::Workbook() : impl_(std::make_unique<Impl>()) {}
Workbook::~Workbook() = default;
const std::string& Workbook::sheet_name() const { return impl_->sheet; }
bool Workbook::date1904() const { return impl_->date1904; }
const std::vector<std::string>& Workbook::merged() const { return impl_->merged; }
bool Workbook::read_in_pieces() const { return impl_->in_pieces; }

namespace {

// A part's name from a relationship's target, relative to the folder of `from`.
std::string resolve(const std::string& from, const std::string& target) {
  if (!target.empty() && target.front() == '/') return target.substr(1);
  std::string dir = from.substr(0, from.rfind('/') + 1);
  std::string t = target;
  while (t.starts_with("../")) {
    t = t.substr(3);
    if (!dir.empty()) dir = dir.substr(0, dir.rfind('/', dir.size() - 2) + 1);
  }
  return dir + t;
}

std::string rels_of(const std::string& part) {
  auto slash = part.rfind('/');
  return slash == std::string::npos ? "_rels/" + part + ".rels"
                                    : part.substr(0, slash + 1) + "_rels/" + part.substr(slash + 1) + ".rels";
}

}  // namespace

bool Workbook::open(const std::string& path, const std::string& sheet, std::string& error) {
  Impl& m = *impl_;
  m.path = path;
  m.zip = unzOpen64(path.c_str());
  if (!m.zip) {
    error = textf(Msg::XlsxNotZip, path);
    return false;
  }
  std::string book = "xl/workbook.xml";
  if (m.has("_rels/.rels")) {
    RelsPart pkg;
    if (!m.parse("_rels/.rels", pkg, error)) return false;
    if (!pkg.office.empty()) book = resolve("", pkg.office);
  }
  WorkbookPart wb;
  RelsPart rels;
  if (!m.parse(book, wb, error) || !m.parse(rels_of(book), rels, error)) return false;
  m.date1904 = wb.date1904;
  if (wb.sheets.empty()) {
    error = textf(Msg::XlsxNoSheet, path);
    return false;
  }
  const WorkbookPart::Sheet* chosen = &wb.sheets.front();
  if (!sheet.empty()) {
    chosen = nullptr;
    std::string names;
    for (const auto& s : wb.sheets) {
      if (s.name == sheet) chosen = &s;
      names += (names.empty() ? "" : "、") + ("'" + s.name + "'");
    }
    if (!chosen) {
      error = textf(Msg::XlsxSheetNotFound, path, sheet, names);
      return false;
    }
  }
  m.sheet = chosen->name;
  auto t = rels.targets.find(chosen->rel);
  if (t == rels.targets.end()) {
    error = textf(Msg::XlsxPartMissing, path, fmt::format("'{}' ({})", chosen->name, chosen->rel));
    return false;
  }
  m.sheet_entry = resolve(book, t->second);
  if (!m.has(m.sheet_entry)) {
    error = textf(Msg::XlsxPartMissing, path, m.sheet_entry);
    return false;
  }
  std::string styles, strings;
  for (const auto& [id, target] : rels.targets) {
    if (target.ends_with("styles.xml")) styles = resolve(book, target);
    if (target.ends_with("sharedStrings.xml")) strings = resolve(book, target);
  }
  if (!styles.empty() && m.has(styles)) {
    StylesPart sp;
    if (!m.parse(styles, sp, error)) return false;
    for (auto id : sp.xf_formats) {
      auto f = sp.formats.find(id);
      m.date_xf.push_back(is_date_format(id, f == sp.formats.end() ? std::string() : f->second));
    }
  }
  if (!strings.empty() && m.has(strings)) {
    StringsPart sp;
    if (!m.parse(strings, sp, error)) return false;
    m.strings = std::move(sp.strings);
  }
  return true;
}

namespace {

// A sheet's elements as the rows reader knows them (the local name: a prefix is not read),
// and the attributes it reads of them.
enum class SheetEl : std::uint8_t { Other, C, V, T, Row, RPh, MergeCell };
struct SheetAttrs {
  std::string_view t, r, s, ref;
};

// The rows of a sheet from its elements and text, whichever parser reads them: libxml2's SAX
// parser over the whole sheet (SheetPart), or pugixml over a piece of it (parse_piece). The
// one definition of what a cell and a row are.
struct SheetRows {
  const std::function<bool(std::uint32_t, std::vector<SheetCell>&)>& row_fn;
  const std::vector<std::string>& strings;
  const std::vector<bool>& date_xf;
  std::vector<std::string>& merged;
  std::string path, sheet;
  std::vector<SheetCell> cells;
  SheetCell cell;
  // The cell's t attribute: a shared string, a boolean, an error, text (str, inlineStr, and an
  // ISO date "d", read as text), or a number (none, "n").
  enum class CellT : std::uint8_t { Number, Shared, Bool, Error, Text } type = CellT::Number;
  std::uint32_t row = 0, next_col = 0;
  std::uint32_t first_row = 0;     // the first row element's number
  std::uint32_t skip_through = 0;  // rows up to this number were given to row_fn already
  bool strict = false;             // a piece of the sheet read on its own: every row must say its number
  bool in_row = false, in_cell = false, in_value = false, has_value = false;
  int phonetic = 0;
  std::size_t widest = 0;  // the most cells a row has had
  std::string error;     // the reading stops: a bad cell ("-" in a piece that cannot be read alone)
  bool stopped = false;  // row_fn wanted no more

  SheetRows(const std::function<bool(std::uint32_t, std::vector<SheetCell>&)>& f, const std::vector<std::string>& s,
            const std::vector<bool>& d, std::vector<std::string>& m)
      : row_fn(f), strings(s), date_xf(d), merged(m) {}

  [[nodiscard]] bool halted() const { return stopped || !error.empty(); }
  void fail(std::string e) {
    if (error.empty()) error = std::move(e);
  }
  void bad(std::uint32_t r, std::string why) { fail(textf(Msg::XlsxBadCell, path, sheet, r, why)); }

  static CellT cell_type(std::string_view t) {
    switch (t.size()) {
      case 0: return CellT::Number;
      case 1: return t[0] == 's' ? CellT::Shared : t[0] == 'b' ? CellT::Bool : t[0] == 'e' ? CellT::Error
                     : t[0] == 'd' ? CellT::Text : CellT::Number;
      default: return t == "str" || t == "inlineStr" ? CellT::Text : CellT::Number;
    }
  }

  void open(SheetEl el, const SheetAttrs& a) {
    if (el == SheetEl::C && in_row) {
      in_cell = true;
      has_value = false;
      cell.text.clear();
      cell.date = false;
      type = cell_type(a.t);
      if (!a.r.empty()) {
        std::uint32_t r = 0, c = 0;
        if (!parse_cell_ref(a.r, r, c) || r != row || c < next_col) return bad(row, textf(Msg::XlsxBadRef, a.r));
        cell.col = c;
      } else {
        cell.col = next_col;
      }
      if (cell.col >= kSheetMaxCols) return bad(row, textf(Msg::XlsxBadRef, column_letters(cell.col)));
      next_col = cell.col + 1;
      if (!a.s.empty()) {
        const auto xf = static_cast<std::size_t>(std::atol(std::string(a.s).c_str()));
        cell.date = xf < date_xf.size() && date_xf[xf];
      }
    } else if ((el == SheetEl::V && in_cell) || (el == SheetEl::T && in_cell && phonetic == 0)) {
      in_value = has_value = true;
    } else if (el == SheetEl::RPh) {
      ++phonetic;
    } else if (el == SheetEl::Row) {
      std::uint32_t r = row + 1;
      const std::string_view ref = a.r;
      if (ref.empty() && strict) return fail("-");
      if (!ref.empty()) {
        const long v = ref.size() <= 8 && ref.find_first_not_of("0123456789") == std::string_view::npos
                           ? std::atol(std::string(ref).c_str()) : -1;
        if (v <= static_cast<long>(row) || v > static_cast<long>(kSheetMaxRows))
          return bad(row + 1, textf(Msg::XlsxBadRef, fmt::format("A{}", ref)));
        r = static_cast<std::uint32_t>(v);
      }
      if (r > kSheetMaxRows) return bad(r, textf(Msg::XlsxBadRef, fmt::format("A{}", r)));
      row = r;
      if (first_row == 0) first_row = r;
      in_row = true;
      next_col = 0;
      cells.clear();
      cells.reserve(widest);  // a row given away (moved) leaves no room behind
    } else if (el == SheetEl::MergeCell) {
      merged.emplace_back(a.ref);
    }
  }

  void close(SheetEl el) {
    if (el == SheetEl::V || el == SheetEl::T) {
      in_value = false;
    } else if (el == SheetEl::RPh) {
      --phonetic;
    } else if (el == SheetEl::C && in_cell) {
      in_cell = false;
      if (!has_value) return;
      if (!finish_cell()) return;
      cells.push_back(std::move(cell));
      cell = SheetCell{};
    } else if (el == SheetEl::Row && in_row) {
      in_row = false;
      widest = std::max(widest, cells.size());
      if (!cells.empty() && row > skip_through && !row_fn(row, cells)) stopped = true;
    }
  }

  bool finish_cell() {
    using K = SheetCell::Kind;
    if (type == CellT::Shared) {
      const long i = std::atol(cell.text.c_str());
      if (i < 0 || static_cast<std::size_t>(i) >= strings.size()) {
        bad(row, fmt::format("{}{}: {}", column_letters(cell.col), row, textf(Msg::XlsxBadString, cell.text, strings.size())));
        return false;
      }
      cell.text = strings[static_cast<std::size_t>(i)];
      cell.kind = K::Text;
      cell.date = false;
    } else if (type == CellT::Bool) {
      cell.kind = K::Bool;
    } else if (type == CellT::Error) {
      cell.kind = K::Error;
    } else if (type == CellT::Text) {
      cell.kind = K::Text;
      cell.date = false;
    } else {
      cell.kind = K::Number;
    }
    return true;
  }

  void text(const char* s, std::size_t n) {
    if (in_value) cell.text.append(s, n);
  }
};

// The whole sheet read by libxml2's SAX parser, into SheetRows.
struct SheetPart : Handler {
  SheetRows rows;

  SheetPart(const std::function<bool(std::uint32_t, std::vector<SheetCell>&)>& f, const std::vector<std::string>& s,
            const std::vector<bool>& d, std::vector<std::string>& m)
      : rows(f, s, d, m) {}

  // The element and attribute names the sheet's rows are read from, as the parser's dictionary
  // has them (a name the document never uses is interned too: it simply never matches), so
  // that names are compared as pointers rather than text.
  struct Names {
    const xmlChar *c, *v, *t, *row, *rPh, *mergeCell, *r, *s, *ref;
  } k{};

  void begin() override {
    auto in = [&](const char* n) { return xmlDictLookup(ctxt->dict, reinterpret_cast<const xmlChar*>(n), -1); };
    k = {in("c"), in("v"), in("t"), in("row"), in("rPh"), in("mergeCell"), in("r"), in("s"), in("ref")};
  }

  SheetEl element(const xmlChar* name) const {
    return name == k.c ? SheetEl::C : name == k.v ? SheetEl::V : name == k.t ? SheetEl::T : name == k.row ? SheetEl::Row
           : name == k.rPh ? SheetEl::RPh : name == k.mergeCell ? SheetEl::MergeCell : SheetEl::Other;
  }

  void sync() {  // stops the parser once the rows reader has stopped
    if (!rows.halted()) return;
    if (!rows.error.empty() && error.empty()) error = rows.error;
    stopped = rows.stopped;
    xmlStopParser(ctxt);
  }

  void start_element(const xmlChar* name, const xmlChar** a, int n) override {
    const SheetEl el = element(name);
    if (el == SheetEl::Other || rows.halted()) return;
    SheetAttrs at;
    for (int i = 0; i < n; ++i) {
      const xmlChar* local = a[5 * i];
      const std::string_view value(reinterpret_cast<const char*>(a[5 * i + 3]), static_cast<std::size_t>(a[5 * i + 4] - a[5 * i + 3]));
      std::string_view* slot = local == k.t ? &at.t : local == k.r ? &at.r : local == k.s ? &at.s : local == k.ref ? &at.ref : nullptr;
      if (slot && slot->data() == nullptr) *slot = value;
    }
    rows.open(el, at);
    sync();
  }

  void end_element(const xmlChar* name) override {
    const SheetEl el = element(name);
    if (el == SheetEl::Other || rows.halted()) return;
    rows.close(el);
    sync();
  }

  void text(const char* s, int n) override { rows.text(s, static_cast<std::size_t>(n)); }
};

// A sheet's XML in pieces: every piece is the sheet's head (up to and with the <sheetData> start
// tag), whole rows, and the end tags that close what the head opened, so that each is a document
// pugixml parses on its own, on its own core (parse_piece). Written by Excel, WPS, openpyxl or
// libxlsxwriter, a sheet is one row after another, each saying its number; anything else (a row
// without its number, XML that is not plain (plain_xml, attrs_of), bad XML, damaged data, a
// prefix the head does not show) makes a piece fail, and the sheet is then read from the start
// by libxml2, the rows already given skipped, so that every error is reported as libxml2
// reports it.
struct SheetFrame {
  std::size_t head = 0;
  std::string row_end, closing;
  std::string root_end;  // "</worksheet": how the sheet's element ends
};

std::optional<SheetFrame> find_frame(std::string_view x) {
  constexpr auto npos = std::string_view::npos;
  std::size_t i = 0;
  std::string root;
  while ((i = x.find('<', i)) != npos) {  // the root element: the first start tag
    if (x.substr(i, 2) == "<?" || x.substr(i, 4) == "<!--") {
      i = x.find(x[i + 1] == '?' ? "?>" : "-->", i);
      if (i == npos) return std::nullopt;
      continue;
    }
    if (x.substr(i, 2) == "<!") return std::nullopt;  // a document type: read in one piece
    const std::size_t e = x.find_first_of(" \t\r\n/>", i + 1);
    if (e == npos) return std::nullopt;
    root = std::string(x.substr(i + 1, e - i - 1));
    break;
  }
  if (root.empty()) return std::nullopt;
  const std::size_t colon = root.find(':');
  const std::string prefix = colon == std::string::npos ? "" : root.substr(0, colon + 1);
  const std::string open = "<" + prefix + "sheetData";
  for (std::size_t at = x.find(open, i); at != npos; at = x.find(open, at + 1)) {
    const std::size_t after = at + open.size();
    if (after >= x.size()) return std::nullopt;
    if (x[after] != '>' && x[after] != ' ' && x[after] != '/' && x[after] != '\t' && x[after] != '\r' && x[after] != '\n')
      continue;
    const std::size_t gt = x.find('>', after);
    if (gt == npos || x[gt - 1] == '/') return std::nullopt;  // no rows
    return SheetFrame{gt + 1, "</" + prefix + "row>", "</" + prefix + "sheetData></" + root + ">", "</" + root};
  }
  return std::nullopt;
}

struct PieceRows {
  std::vector<std::pair<std::uint32_t, std::vector<SheetCell>>> rows;
  std::string text;  // the rows made into text (Workbook::RowText), instead of `rows`
  std::uint32_t text_first = 0, text_last = 0;  // the first and last rows in `text`
  std::vector<std::string> merged;
  std::uint32_t first = 0, last = 0;
  bool ok = false;
};

// Whether a byte below 0x20 other than a tab or a line feed is among `x`: eight bytes at a
// time (a word with no byte below 0x20 is passed at once; a byte-wise loop was not vectorized,
// and cost a twentieth of reading a workbook).
bool control_among(std::string_view x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto bad = [](unsigned char u) { return u < 0x20 && u != '\t' && u != '\n'; };
  auto below_space = [&](std::size_t at) {  // the high bit of each byte below 0x20 of the word at `at`
    std::uint64_t w;
    std::memcpy(&w, x.data() + at, 8);
    return (w - kOnes * 0x20) & ~w & kHighs;
  };
  std::size_t i = 0;
  for (; i + 32 <= x.size(); i += 32) {  // four words at a time, one branch
    if ((below_space(i) | below_space(i + 8) | below_space(i + 16) | below_space(i + 24)) == 0) continue;
    for (std::size_t j = i; j < i + 32; ++j)
      if (bad(static_cast<unsigned char>(x[j]))) return true;
  }
  for (; i + 8 <= x.size(); i += 8) {
    if (below_space(i) == 0) continue;
    for (std::size_t j = i; j < i + 8; ++j)
      if (bad(static_cast<unsigned char>(x[j]))) return true;
  }
  for (; i < x.size(); ++i)
    if (bad(static_cast<unsigned char>(x[i]))) return true;
  return false;
}

// Whether a piece's rows are XML that pugixml reads as libxml2 does: valid UTF-8, no control
// character XML forbids and no carriage return (XML's line ends are left to libxml2), no
// comment, CDATA, instruction or document type, and no reference other than the five
// predefined entities and characters XML allows (pugixml leaves an unknown one as text and
// decodes any number; libxml2 reports them). Anything else is left to libxml2, which says what
// is wrong. (The head of the sheet, before its rows, is read by libxml2; attributes: attrs_of.)
bool plain_xml(std::string_view x) {
  if (!simdjson::validate_utf8(x.data(), x.size())) return false;
  if (control_among(x)) return false;  // a carriage return too: line ends as XML normalizes them are libxml2's
  // Comments, CDATA sections and processing instructions (pugixml checks less of them than
  // libxml2; Excel writes none in a sheet's rows), and "]]>" outside CDATA.
  for (const char mark : {'!', '?'})  // rare in a sheet's rows, unlike '<'
    for (std::size_t i = x.find(mark); i != std::string_view::npos; i = x.find(mark, i + 1))
      if (i > 0 && x[i - 1] == '<') return false;
  if (x.find("]]>") != std::string_view::npos) return false;
  for (std::size_t i = x.find('&'); i != std::string_view::npos; i = x.find('&', i + 1)) {
    const std::string_view ref = x.substr(i + 1, 10);
    if (ref.starts_with("amp;") || ref.starts_with("lt;") || ref.starts_with("gt;") || ref.starts_with("quot;") ||
        ref.starts_with("apos;"))
      continue;
    if (!ref.starts_with('#')) return false;
    const bool hex = ref.size() > 1 && ref[1] == 'x';
    std::size_t j = hex ? 2 : 1;
    std::uint32_t v = 0;
    for (; j < ref.size() && ref[j] != ';'; ++j) {
      const char c = ref[j];
      const int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0 || v > 0x10FFFF) return false;
      v = v * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
    }
    if (j >= ref.size() || j == (hex ? 2u : 1u)) return false;
    const bool allowed = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) ||
                         (v >= 0x10000 && v <= 0x10FFFF);
    if (!allowed) return false;
  }
  return true;
}

// Names as pugixml has them (NUL-terminated, a few bytes), compared without measuring them.
bool same_name(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}
// The local part of an element's or attribute's name (what libxml2's SAX2 parser reports), or
// null when its prefix is not one libxml2 reads as this reader does: a colon first, last, or
// not the only one (":t", "t:", "a:b:c": libxml2 does not take their part after the first colon
// for the local name; such a name is left to libxml2).
const char* local_name(const char* name) {
  if (name[0] == ':') return nullptr;
  const char* colon = std::strchr(name, ':');
  if (colon == nullptr) return name;
  return colon[1] != 0 && std::strchr(colon + 1, ':') == nullptr ? colon + 1 : nullptr;
}

// The element a local name (local_name) stands for.
SheetEl element_of(const char* n) {
  switch (n[0]) {
    case 'c': return n[1] == 0 ? SheetEl::C : SheetEl::Other;
    case 'v': return n[1] == 0 ? SheetEl::V : SheetEl::Other;
    case 't': return n[1] == 0 ? SheetEl::T : SheetEl::Other;
    case 'r': return same_name(n, "row") ? SheetEl::Row : same_name(n, "rPh") ? SheetEl::RPh : SheetEl::Other;
    case 'm': return same_name(n, "mergeCell") ? SheetEl::MergeCell : SheetEl::Other;
    default: return SheetEl::Other;
  }
}

// The attributes the rows reader reads; false when an element names an attribute twice or has
// a '<' in a value (errors to libxml2), or has more attributes than a sheet's elements ever have
// (left to libxml2 too).
bool attrs_of(const pugi::xml_node& node, SheetAttrs& at) {
  constexpr int kMax = 16;
  const char* names[kMax];
  int count = 0;
  // (An empty attribute's name is "": the end, tested without another call into pugixml.)
  for (pugi::xml_attribute a = node.first_attribute();; a = a.next_attribute()) {
    const char* name = a.name();
    if (*name == 0) break;
    const char* local = local_name(name);
    if (count == kMax || local == nullptr) return false;
    for (int i = 0; i < count; ++i)
      if (same_name(name, names[i])) return false;
    names[count++] = name;
    // One pass over the value (a few bytes: a call to measure it and one to search it cost more
    // than the loop): its length, and whether it holds a '<', an error to libxml2 that pugixml
    // takes (so is one written "&lt;": left to libxml2 too, which reads it), or a tab or a line
    // feed, which XML makes spaces in an attribute read (libxml2's to do).
    const char* v = a.value();
    const char* e = v;
    bool blank = false;
    for (;; ++e) {
      const auto u = static_cast<unsigned char>(*e);
      if (u > '<') continue;  // letters: the common case, one comparison
      if (u == 0) break;
      if (u == '<') return false;
      blank |= u == '\t' || u == '\n';
    }
    const std::string_view value(v, static_cast<std::size_t>(e - v));
    if (name[0] == 'x' && std::strncmp(name, "xmlns", 5) == 0 && (name[5] == 0 || name[5] == ':')) continue;  // a declaration
    std::string_view* slot = nullptr;
    if (local[0] != 0 && local[1] == 0) slot = local[0] == 't' ? &at.t : local[0] == 'r' ? &at.r : local[0] == 's' ? &at.s : nullptr;
    else if (same_name(local, "ref")) slot = &at.ref;
    if (slot && slot->data() == nullptr) {
      if (blank) return false;
      *slot = value;
    }
  }
  return true;
}

// A piece of the sheet (sheet_frame's documents) read by pugixml in place, about twice as fast
// as libxml2 (a sheet is an element or text every ten bytes, and pugixml makes a piece's tree
// in a few large allocations), and walked in document order into SheetRows.
PieceRows parse_piece(std::string& doc, std::size_t head, const std::string& root_end,
                      const std::vector<std::string>& strings, const std::vector<bool>& date_xf,
                      const Workbook::RowText* as_text) {
  PieceRows out;
  if (!plain_xml(std::string_view(doc).substr(head))) return out;
  // Text after the document's element (`root_end`, then its '>'): an error to libxml2, dropped
  // by pugixml, which keeps no text outside the element; left to libxml2. (An element after it
  // is found below, a comment or instruction by plain_xml, an end tag more by pugixml.)
  if (const std::size_t end = doc.rfind(root_end); end != std::string::npos) {
    const std::size_t gt = doc.find('>', end);
    if (gt == std::string::npos || doc.find_first_not_of(" \t\n", gt + 1) != std::string::npos) return out;
  }
  pugi::xml_document tree;
  // No line-end or attribute-whitespace conversion: a piece with a carriage return is refused
  // (plain_xml), and so is an attribute read whose value holds a tab or a line feed (attrs_of).
  // A text that is an element's only child is kept in the element (parse_embed_pcdata): a
  // node fewer for every value, the most common text in a sheet.
  constexpr unsigned kFlags = pugi::parse_escapes | pugi::parse_cdata | pugi::parse_ws_pcdata | pugi::parse_embed_pcdata;
  if (!tree.load_buffer_inplace(doc.data(), doc.size(), kFlags, pugi::encoding_utf8)) return out;
  pugi::xml_node root;
  for (pugi::xml_node n = tree.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_element) {
      if (root) return out;  // content after the document's element
      root = n;
    } else if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
      if (std::string_view(n.value()).find_first_not_of(" \t\r\n") != std::string_view::npos) return out;
    }
  }
  if (!root) return out;
  const std::function<bool(std::uint32_t, std::vector<SheetCell>&)> keep = [&](std::uint32_t r, std::vector<SheetCell>& cells) {
    if (!as_text) {
      out.rows.emplace_back(r, std::move(cells));
      return true;
    }
    as_text->format(r, out.text_last, cells, out.text);
    if (out.text_first == 0) out.text_first = r;
    out.text_last = r;
    return true;
  };
  SheetRows rows(keep, strings, date_xf, out.merged);
  rows.strict = true;
  // In document order without recursion: open an element, read its children, close it. A node
  // that is not an element is text (no comments, instructions or declarations are kept by the
  // flags above).
  std::vector<std::pair<pugi::xml_node, SheetEl>> open;  // the elements whose children are being read
  bool ok = true;
  auto start = [&](const pugi::xml_node& e, const char* name) {
    const char* local = local_name(name);
    if (local == nullptr) return ok = false, SheetEl::Other;
    const SheetEl el = element_of(local);
    SheetAttrs at;
    if (!attrs_of(e, at)) return ok = false, SheetEl::Other;
    if (el != SheetEl::Other) rows.open(el, at);
    if (rows.halted()) ok = false;
    return el;
  };
  auto take_text = [&](const pugi::xml_node& t) {  // a node's text (a few bytes: measured without a strlen call)
    const char* v = t.value();
    std::size_t len = 0;
    while (v[len]) ++len;
    if (len > 0) rows.text(v, len);
  };
  auto end = [&](SheetEl el) {
    if (el != SheetEl::Other) rows.close(el);
    if (rows.halted()) ok = false;
  };
  open.emplace_back(root, start(root, root.name()));
  pugi::xml_node n = root.first_child();
  // (A node's type tells an element, text, and the end of a list, node_null, in one call.)
  while (ok) {
    for (pugi::xml_node_type type; ok && (type = n.type()) != pugi::node_null;) {
      if (type == pugi::node_element) {
        const SheetEl el = start(n, n.name());
        if (!ok) break;
        if (rows.in_value) take_text(n);  // its only text, kept in it (parse_embed_pcdata): as a child's would be read
        if (pugi::xml_node first = n.first_child(); first.type() != pugi::node_null) {
          open.emplace_back(n, el);
          n = first;
          continue;
        }
        end(el);
      } else if (rows.in_value) {  // text: the reader keeps only a value's
        take_text(n);
      }
      n = n.next_sibling();
    }
    if (!ok) break;
    const auto [done, el] = open.back();  // its children are read
    open.pop_back();
    end(el);
    if (open.empty()) break;
    n = done.next_sibling();
  }
  out.ok = ok && rows.error.empty();
  out.first = rows.first_row;
  out.last = rows.row;
  return out;
}

}  // namespace

namespace {

// Whether libxml2 reads the document without an error (the head of a sheet, closed: its
// declaration, root element and namespaces are then as libxml2 has them for every piece), and
// the document is UTF-8 (pugixml reads no other encoding).
bool libxml2_reads(const std::string& doc, const std::string& entry) {
  if (doc.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return false;
  const std::string_view x(doc);
  if (x.starts_with("<?xml")) {
    const std::string_view decl = x.substr(0, x.find("?>"));
    if (const std::size_t e = decl.find("encoding"); e != std::string_view::npos) {
      const std::size_t q = decl.find_first_of("\"'", e);
      const std::size_t end = q == std::string_view::npos ? q : decl.find(decl[q], q + 1);
      if (end == std::string_view::npos) return false;
      std::string name(decl.substr(q + 1, end - q - 1));
      for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      if (name != "utf-8" && name != "utf8") return false;
    }
  } else if (!x.starts_with('<')) {
    return false;  // a byte-order mark, or anything before the first tag: left to libxml2
  }
  Handler none;
  xmlParserCtxtPtr ctxt = make_parser(none, entry);
  const bool ok = xmlParseChunk(ctxt, doc.data(), static_cast<int>(doc.size()), 1) == 0;
  xmlFreeParserCtxt(ctxt);
  return ok;
}

}  // namespace

Workbook::Impl::Pieces Workbook::Impl::rows_in_pieces(const RowFn& row, const RowText* as_text, std::uint32_t& delivered) {
  constexpr std::size_t kPiece = std::size_t{1} << 20, kHeadMax = std::size_t{4} << 20, kRowMax = std::size_t{64} << 20;
  PartStream part;
  if (!has(sheet_entry) || !part.open(zip)) return Pieces::Sequential;
  Inflated flow;
  flow.start(part);
  std::deque<std::future<PieceRows>> running;
  auto done = [&](Pieces p) {
    flow.join();
    running.clear();  // waits for the pieces still being read
    unzCloseCurrentFile(zip);
    return p;
  };
  // The piece being gathered is `doc`: the sheet's head, then rows as they are inflated, cut
  // after the last whole row once it holds kPiece bytes of them (what follows begins the next).
  // The first piece is smaller (kFirst): it holds the header, which the reader of the rows waits
  // for before anything else can start.
  constexpr std::size_t kFirst = std::size_t{1} << 16;
  bool first_piece = true;
  std::string doc, chunk;
  std::optional<SheetFrame> frame;
  while (!frame) {
    if (!flow.next(chunk)) return done(Pieces::Sequential);  // a small sheet, or damaged data
    doc += chunk;
    frame = find_frame(doc);
    if (!frame && doc.size() > kHeadMax) return done(Pieces::Sequential);
  }
  const std::string head = doc.substr(0, frame->head);
  if (!libxml2_reads(head + frame->closing, sheet_entry)) return done(Pieces::Sequential);
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  std::uint32_t last = 0;
  std::vector<std::string> merged_rows;
  auto start = [&](std::string&& piece) {
    // Shared, so that the job is copied into its thread without the piece's bytes.
    auto text = std::make_shared<std::string>(std::move(piece));
    const RowText* made = as_text && as_text->ready() ? as_text : nullptr;  // its rows as text, on its thread
    auto job = [this, text, made, at = head.size(), &root_end = frame->root_end] {
      return parse_piece(*text, at, root_end, strings, date_xf, made);
    };
    try {
      running.push_back(std::async(std::launch::async, job));
    } catch (const std::system_error&) {  // no thread to be had: read when its turn comes
      running.push_back(std::async(std::launch::deferred, job));
    }
  };
  // The finished pieces' rows, in order, until at most `keep` are being read, and those of the
  // pieces already read after them (the first piece's header starts the rows' reader).
  auto drain = [&](std::size_t keep) -> std::optional<Pieces> {
    while (!running.empty() && (running.size() > keep ||
                                running.front().wait_for(std::chrono::seconds(0)) == std::future_status::ready)) {
      PieceRows p = running.front().get();
      running.pop_front();
      if (!p.ok || (p.first != 0 && p.first <= last)) return Pieces::Sequential;
      for (auto& [r, cells] : p.rows) {
        if (!row(r, cells)) return Pieces::Stopped;
        delivered = r;
      }
      if (p.text_last != 0) {
        if (!as_text->text(p.text_first, p.text_last, p.text)) return Pieces::Stopped;
        delivered = p.text_last;
      }
      if (p.last != 0) last = p.last;
      merged_rows.insert(merged_rows.end(), p.merged.begin(), p.merged.end());
    }
    return std::nullopt;
  };
  for (;;) {
    if (doc.size() - head.size() >= (first_piece ? kFirst : kPiece)) {
      const std::size_t cut = doc.rfind(frame->row_end);
      if (cut != std::string::npos && cut >= head.size()) {
        std::string next;
        next.reserve(kPiece + (std::size_t{1} << 19));
        next = head;
        next.append(doc, cut + frame->row_end.size());
        doc.resize(cut + frame->row_end.size());
        doc += frame->closing;
        start(std::move(doc));
        doc = std::move(next);
        first_piece = false;
        if (auto o = drain(threads)) return done(*o);
      } else if (doc.size() > kRowMax) {
        return done(Pieces::Sequential);
      }
    }
    if (!flow.next(chunk)) break;
    doc += chunk;
    if (auto o = drain(threads)) return done(*o);
  }
  if (flow.status() < 0) return done(Pieces::Sequential);  // damaged: that parser says where
  start(std::move(doc));
  if (auto o = drain(0)) return done(*o);
  merged.insert(merged.end(), merged_rows.begin(), merged_rows.end());
  return done(Pieces::Done);
}

bool Workbook::rows(const std::function<bool(std::uint32_t, std::vector<SheetCell>&)>& row, std::string& error,
                    bool in_pieces, const RowText* as_text) {
  Impl& m = *impl_;
  std::uint32_t delivered = 0;  // the last row given to `row` or as text
  m.in_pieces = false;
  switch (in_pieces ? m.rows_in_pieces(row, as_text, delivered) : Impl::Pieces::Sequential) {
    case Impl::Pieces::Done:
    case Impl::Pieces::Stopped: m.in_pieces = true; return true;
    case Impl::Pieces::Sequential: break;
  }
  SheetPart part(row, m.strings, m.date_xf, m.merged);
  part.rows.path = m.path;
  part.rows.sheet = m.sheet;
  part.rows.skip_through = delivered;
  return m.parse(m.sheet_entry, part, error);
}

}  // namespace pol::interp
