#include "base/messages.hpp"
#include "batch/batch.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "base/files.hpp"
#include "base/source.hpp"
#include "cases/case.hpp"
#include "report/json_out.hpp"
#include "cases/lines.hpp"
#include "sheets/source.hpp"
#include "sheets/xlsx_read.hpp"
#include "sheets/xlsx_write.hpp"

namespace pol::interp {

void append_outputs_json(std::string& out, const checked::Policy& p, const Outcome& o) {
  out += "{";
  bool first = true;
  for (const auto& [r, v] : o.outputs) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out += p.rules[r].name;
    out += "\":";
    append_json_value(out, p, p.rules[r].type, v);
  }
  out += "}";
}

namespace {

enum class InFormat { Jsonl, Csv };
enum class OutFormat { Jsonl, Csv, Sheet };

// The separators of the records handed to the workbook writer (sheet_rows): no cell holds them.
constexpr char kField = '\x1f', kRecord = '\x1e';

// Booleans in a labelled CSV: the Chinese spellings the case readers take back (a value's
// text, dsl/check/values.cpp), as an analyst's table shows them.
constexpr std::string_view kLabelTrue = "是", kLabelFalse = "否";

// The key (or heading) of an output: its identifier, or with --labels its label.
const std::string& output_key(const checked::Rule& r, bool labels) { return labels && !r.label.empty() ? r.label : r.name; }

// How each output is written, prepared once per run: its key and, for an enum, the text of
// every value, so that writing a case is copying and formatting digits only.
struct OutputPlan {
  struct Item {
    std::string key;  // JSON: ,"name":  (no comma for the first); CSV: ,
    dsl::Base base;
    int places = 0;                   // numbers: minimum decimals
    std::string_view yes = "true", no = "false";  // booleans (with --labels in CSV: 是, 否)
    std::vector<std::string> names;   // enums: JSON "name" / CSV name
  };
  std::vector<Item> items;
  std::size_t max_bytes = 0;  // an upper bound of one record's outputs

  bool csv = false;

  OutputPlan(const checked::Policy& p, const std::vector<std::uint32_t>& outputs, OutFormat out, bool labels) {
    csv = out != OutFormat::Jsonl;
    for (std::size_t k = 0; k < outputs.size(); ++k) {
      const auto& r = p.rules[outputs[k]];
      Item it;
      std::string key;
      append_json_string(key, output_key(r, labels));
      it.key = out == OutFormat::Csv ? std::string(",") : out == OutFormat::Sheet ? std::string(1, kField)
                                                         : fmt::format("{}{}:", k ? "," : "", key);
      it.base = r.type.base;
      it.places = r.type.unit == dsl::Unit::Yuan ? 2 : 0;
      if (labels && out == OutFormat::Csv) it.yes = kLabelTrue, it.no = kLabelFalse;
      if (r.type.base == dsl::Base::Enum)
        for (const auto& v : p.enums[r.type.enum_id].values) {
          std::string s;
          append_json_string(s, labels || out == OutFormat::Sheet ? v.label : v.name);
          it.names.push_back(csv ? s.substr(1, s.size() - 2) : s);
        }
      std::size_t longest = kMaxDecimalText;
      for (const auto& n : it.names) longest = std::max(longest, n.size());
      max_bytes += it.key.size() + longest + 16;
      items.push_back(std::move(it));
    }
    max_bytes += 64;
  }

  // Appends the outputs, each preceded by its key.
  void write(Bytes& out, const checked::Policy& p, const Outcome& o) const {
    out.reserve(out.size() + max_bytes);
    char* w = out.data() + out.size();
    for (std::size_t k = 0; k < o.outputs.size(); ++k) {
      const Item& it = items[k];
      const Value v = o.outputs[k].second;
      std::memcpy(w, it.key.data(), it.key.size());
      w += it.key.size();
      switch (it.base) {
        case dsl::Base::Bool:
        {
          const std::string_view b = checked::as_bool(v) ? it.yes : it.no;
          std::memcpy(w, b.data(), b.size());
          w += b.size();
          break;
        }
        case dsl::Base::Number: w = write_decimal(w, v, it.places); break;
        case dsl::Base::Enum: {
          int i = checked::as_enum(v);
          const std::string& s = i >= 0 && static_cast<std::size_t>(i) < it.names.size() ? it.names[i] : it.names.at(0);
          std::memcpy(w, s.data(), s.size());
          w += s.size();
          break;
        }
        default: {  // dates (and anything else): the general code
          out.n = static_cast<std::size_t>(w - out.data());
          std::string s;
          append_json_value(s, p, p.rules[o.outputs[k].first].type, v);
          if (csv && s.size() >= 2 && s.front() == '"') s = s.substr(1, s.size() - 2);  // CSV
          out.reserve(out.size() + s.size() + max_bytes);
          w = out.data() + out.size();
          std::memcpy(w, s.data(), s.size());
          w += s.size();
        }
      }
    }
    out.n = static_cast<std::size_t>(w - out.data());
  }
};

char* write_uint(char* p, std::uint64_t v) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *p++ = buf[--n];
  return p;
}

struct SheetPlace {
  std::string sheet;
  std::unordered_map<std::string, std::string> columns;  // field → column letters
};

struct Worker {
  const checked::Policy& policy;
  const CaseSchema& schema;
  const BatchOptions& opt;
  const OutputPlan& plan;
  JsonCaseReader json;
  CsvCaseReader csv;
  Case c;
  Outcome outcome;
  std::optional<EvalError> invalid;
  std::map<std::string, std::uint64_t> errors;
  std::uint64_t cases = 0, failed = 0;
  std::unordered_map<int, std::pair<std::unique_ptr<Program>, std::unique_ptr<Evaluator>>> programs;
  int last_key = 0;
  Evaluator* last = nullptr;
  std::string tmp;

  OutFormat outf = OutFormat::Jsonl;
  const SheetPlace* place = nullptr;  // a workbook's cases: where a field's cells are
  std::size_t case_columns = 0;       // workbook output: the case's columns (CSV header or id)
  bool csv_in = false;

  Worker(const checked::Policy& p, const CaseSchema& s, const BatchOptions& o, const OutputPlan& pl)
      : policy(p), schema(s), opt(o), plan(pl), json(s), csv(s) {
    outf = o.xlsx_out ? OutFormat::Sheet : o.csv_out ? OutFormat::Csv : OutFormat::Jsonl;
  }

  // A workbook's case error names the sheet, the row and (for a field) the column.
  std::string placed(std::uint64_t line_no, const std::string& field, const std::string& msg) const {
    if (!place) return msg;
    auto it = place->columns.find(field);
    if (it == place->columns.end()) return dsl::textf(dsl::Msg::XlsxRowAt, place->sheet, line_no, msg);
    return dsl::textf(dsl::Msg::XlsxCellAt, place->sheet, line_no, it->second, msg);
  }

  // A cell of a workbook record: no separator inside.
  static void sheet_cell(Bytes& out, std::string_view s) {
    const std::size_t at = out.size();
    out.append(s);  // copied whole, then the separators in it made spaces (a loop the compiler vectorizes)
    char* p = out.data() + at;
    for (std::size_t i = 0; i < s.size(); ++i) p[i] = p[i] == kField || p[i] == kRecord ? ' ' : p[i];
  }

  Evaluator& evaluator_for(std::optional<int> date) {
    int key = date.value_or(INT32_MIN);
    if (last && key == last_key) return *last;
    auto it = programs.find(key);
    if (it == programs.end()) {
      auto prog = std::make_unique<Program>(policy, date, opt.sets);
      auto ev = std::make_unique<Evaluator>(*prog);
      it = programs.emplace(key, std::make_pair(std::move(prog), std::move(ev))).first;
    }
    last_key = key;
    last = it->second.second.get();
    return *last;
  }

  void error_line(Bytes& out, const std::string& kind, const std::string& field, const std::string& msg) {
    ++failed;
    ++errors[kind];
    tmp.clear();
    if (outf == OutFormat::Sheet) {
      for (std::size_t i = 0; i <= opt.outputs.size(); ++i) out.push_back(kField);
      sheet_cell(out, msg);
      return;
    }
    if (outf == OutFormat::Csv) {
      for (std::size_t i = 0; i < opt.outputs.size(); ++i) tmp.push_back(',');
      tmp.push_back(',');
      csv_cell(tmp, msg);
    } else {
      tmp += "\"error\":{\"kind\":";
      append_json_string(tmp, kind);
      if (!field.empty()) {
        tmp += ",\"field\":";
        append_json_string(tmp, field);
      }
      tmp += ",\"message\":";
      append_json_string(tmp, msg);
      tmp += "}";
    }
    out.append(tmp);
  }

  // A CSV output cell; line ends (an id from a quoted CSV field) are shown as their
  // pictures, so that the output keeps one line per record.
  static void csv_cell(std::string& out, std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) {
      out += s;
      return;
    }
    std::string shown;
    if (s.find_first_of("\n\r") != std::string_view::npos) s = shown = dsl::visible(s);
    out.push_back('"');
    for (char ch : s) {
      if (ch == '"') out.push_back('"');
      out.push_back(ch);
    }
    out.push_back('"');
  }

  // The start of an output line: its line number and id (JSON: `{"line":N,"id":…,`; CSV:
  // `N,ID`), before the outputs or the error.
  void line_start(std::uint64_t line_no, std::string_view id_text, std::string_view id_json, Bytes& out) {
    out.reserve(out.size() + 64 + id_json.size() + id_text.size());
    if (outf == OutFormat::Sheet) {  // the line, then the case's own cells
      out.n = static_cast<std::size_t>(write_uint(out.data() + out.size(), line_no) - out.data());
      const auto& cells = csv.cells();
      for (std::size_t i = 0; i < case_columns; ++i) {
        out.push_back(kField);
        if (!csv_in) sheet_cell(out, id_text);
        else if (i < cells.size()) sheet_cell(out, cells[i]);
      }
    } else if (outf == OutFormat::Csv) {
      out.n = static_cast<std::size_t>(write_uint(out.data() + out.size(), line_no) - out.data());
      out.push_back(',');
      tmp.clear();
      csv_cell(tmp, id_text);
      out.append(tmp);
    } else {
      out.append("{\"line\":", 8);
      out.n = static_cast<std::size_t>(write_uint(out.data() + out.size(), line_no) - out.data());
      if (!id_json.empty()) {
        out.append(",\"id\":", 6);
        out.append(id_json);
      }
      out.push_back(',');
    }
  }

  void line_end(Bytes& out) {
    if (outf == OutFormat::Sheet) return out.push_back(kRecord);
    if (outf == OutFormat::Jsonl) out.push_back('}');
    out.push_back('\n');
  }

  // A blank line holds no case: an error line, so that the output keeps one line per input line.
  void blank(std::uint64_t line_no, Bytes& out) {
    if (place) return;  // a workbook's empty row holds no case and gives no row
    ++cases;
    line_no += opt.line_offset;
    line_start(line_no, {}, {}, out);
    error_line(out, "blank_line", "", dsl::textf(dsl::Msg::BlankLine, line_no));
    line_end(out);
  }

  // One case: its line of output.
  void one(std::string_view line, std::size_t capacity, std::uint64_t line_no, InFormat fmt_in, Bytes& out) {
    ++cases;
    CaseError err;
    bool ok = fmt_in == InFormat::Jsonl ? json.read(line, capacity, c, err) : csv.read(line, c, err);
    line_no += opt.line_offset;
    line_start(line_no, c.id_text, c.id_json, out);
    if (!ok) {
      error_line(out, err.kind, err.field, placed(line_no, err.field, err.message));
    } else {
      Evaluator& ev = evaluator_for(c.as_of ? c.as_of : opt.at);
      ev.validate_and_evaluate(c, opt.outputs, outcome, invalid);
      if (invalid) {
        error_line(out, "invalid_case", invalid->field, placed(line_no, invalid->field, invalid->message));
      } else if (outcome.error) {
        error_line(out, eval_error_kind_name(outcome.error->kind), outcome.error->field,
                   placed(line_no, outcome.error->field, outcome.error->message));
      } else if (outf == OutFormat::Sheet) {
        plan.write(out, policy, outcome);
        out.push_back(kField);
      } else if (outf == OutFormat::Csv) {
        plan.write(out, policy, outcome);
        out.push_back(',');
      } else {
        out.append("\"outputs\":{", 11);
        plan.write(out, policy, outcome);
        out.push_back('}');
      }
    }
    line_end(out);
  }

  // A line too long to read: its error line.
  void overlong(std::uint64_t line_no, bool quoted, Bytes& out) {
    ++cases;
    line_start(line_no + opt.line_offset, {}, {}, out);
    CaseError e = line_too_long_error(quoted);
    error_line(out, e.kind, e.field, e.message);
    line_end(out);
  }

  // One record of a CSV block ([pos, end)): blank, or a case.
  void record(const Block& b, std::size_t pos, std::size_t end, std::uint64_t line_no, Bytes& out) {
    const char* d = b.data.data();
    std::size_t len = end - pos;
    while (len && (d[pos + len - 1] == '\r' || d[pos + len - 1] == ' ' || d[pos + len - 1] == '\t')) --len;
    std::size_t lead = 0;
    while (lead < len && (d[pos + lead] == ' ' || d[pos + lead] == '\t')) ++lead;
    if (lead < len) one(std::string_view(d + pos, len), b.data.cap - pos, line_no, InFormat::Csv, out);
    else blank(line_no, out);
  }

  // A block of lines: one output line for each line (CSV: record) that holds a case.
  void process(const Block& b, InFormat fmt_in, Bytes& out) {
    out.clear();
    if (fmt_in == InFormat::Csv) {
      std::size_t pos = 0;
      for (const auto& [end, line_no] : b.records) {
        record(b, pos, end, line_no, out);
        pos = end + 1;
      }
    } else {
      lines(b, out);
    }
    if (b.overlong_line) overlong(b.overlong_line, b.overlong_quoted, out);
  }

  void lines(const Block& b, Bytes& out) {
    const InFormat fmt_in = InFormat::Jsonl;
    const char* d = b.data.data();
    std::size_t pos = 0;
    std::uint64_t line_no = b.first_line;
    while (pos < b.size) {
      const char* nl = static_cast<const char*>(std::memchr(d + pos, '\n', b.size - pos));
      std::size_t end = nl ? static_cast<std::size_t>(nl - d) : b.size;
      std::size_t len = end - pos;
      while (len && (d[pos + len - 1] == '\r' || d[pos + len - 1] == ' ' || d[pos + len - 1] == '\t')) --len;
      std::size_t lead = 0;
      while (lead < len && (d[pos + lead] == ' ' || d[pos + lead] == '\t')) ++lead;
      if (lead < len) one(std::string_view(d + pos, len), b.data.cap - pos, line_no, fmt_in, out);
      else blank(line_no, out);  // one output line for every input line, even an empty one
      pos = end + 1;
      ++line_no;
    }
  }
};

struct RunState {
  const BatchOptions& opt;
  InFormat fmt_in;
  BlockReader& reader;
  BatchWrite write;  // the output, in order
  std::vector<std::unique_ptr<Worker>>& workers;
  std::function<void(std::uint64_t)> progress;
  bool write_failed = false;
};

// One thread: read, evaluate, write, block after block.
void run_serial(RunState& st, Block* first) {
  Block b;
  Bytes out;
  bool more = first != nullptr;
  if (more) b = std::move(*first);
  else more = st.reader.fill(b);
  while (more) {
    st.workers[0]->process(b, st.fmt_in, out);
    if (!st.write(std::string_view(out.data(), out.size()))) {
      st.write_failed = true;
      return;
    }
    st.progress(b.lines);
    more = st.reader.fill(b);
  }
}

// Several threads, each reading a block (in turn), evaluating it, and handing the output to
// whichever thread writes next; blocks are written strictly in the order read. At most
// 2 × jobs blocks are in flight, so memory does not grow with the input. Reading has its own
// lock: a read that waits for slow input holds up no finished block's writing.
void run_parallel(RunState& st, Block* first) {
  struct Slot {
    Block block;
    Bytes out;
    bool ready = false;
  };
  const std::size_t ring = 2 * st.workers.size();
  std::vector<Slot> slots(ring);
  std::mutex m, read_m;
  std::condition_variable cv;
  std::uint64_t next_read = 0, next_write = 0;
  bool eof = false, writing = false;
  bool pending_first = first != nullptr;
  if (pending_first) slots[0].block = std::move(*first);
  auto write_ready = [&](std::unique_lock<std::mutex>& lock) {  // with m held
    while (!st.write_failed && slots[next_write % ring].ready) {
      Slot& o = slots[next_write % ring];
      lock.unlock();
      bool ok = st.write(std::string_view(o.out.data(), o.out.size()));
      lock.lock();
      if (!ok) st.write_failed = true;
      st.progress(o.block.lines);
      o.ready = false;
      ++next_write;
      cv.notify_all();
    }
  };
  auto work = [&](Worker& w) {
    while (true) {
      std::unique_lock rlock(read_m);
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return st.write_failed || eof || next_read - next_write < ring; });
      if (st.write_failed || eof) return;
      const std::uint64_t seq = next_read;
      Slot& s = slots[seq % ring];
      lock.unlock();
      bool got = true;
      if (pending_first) pending_first = false;
      else got = st.reader.fill(s.block);
      lock.lock();
      if (!got) {
        eof = true;
        cv.notify_all();
        return;
      }
      ++next_read;
      lock.unlock();
      rlock.unlock();
      w.process(s.block, st.fmt_in, s.out);
      lock.lock();
      s.ready = true;
      if (writing) continue;  // the thread writing now will write this one too
      writing = true;
      write_ready(lock);
      writing = false;
    }
  };
  std::vector<std::thread> threads;
  // The workers say their error lines in this thread's language (a server request's own).
  const auto lang = dsl::thread_lang();
  for (std::size_t i = 1; i < st.workers.size(); ++i)
    threads.emplace_back([&, i, lang] {
      dsl::set_thread_lang(lang);
      work(*st.workers[i]);
    });
  work(*st.workers[0]);
  for (auto& t : threads) t.join();
  // Blocks evaluated after the last read but not yet written (their writer had returned).
  std::unique_lock lock(m);
  write_ready(lock);
}

// CSV: the header record, read from the first block (whose other records are the first
// cases). False with `error` (exit 2): an empty file, a header that cannot be read.
bool read_csv_header(BlockReader& reader, Block& first, std::vector<std::unique_ptr<Worker>>& workers,
                     const BatchOptions& opt, std::string& error) {
  if (!reader.fill(first)) {
    error = dsl::textf(dsl::Msg::CasesEmpty, opt.cases_path);
    return false;
  }
  if (first.records.empty()) {  // the header itself is over the limit
    error = dsl::textf(dsl::Msg::HeaderTooLong, opt.cases_path, line_too_long_error().message);
    return false;
  }
  const std::size_t len = first.records[0].first;
  CaseError err;
  for (auto& w : workers)
    if (!w->csv.read_header(std::string_view(first.data.data(), len), err)) {
      error = fmt::format("{}:{}: {}", opt.cases_path, first.first_line + opt.line_offset, err.message);
      return false;
    }
  // The rest of the block holds the first cases; the header itself gives no output.
  const std::size_t skip = std::min(len + 1, first.size);
  std::memmove(first.data.data(), first.data.data() + skip, first.data.size() - skip);
  first.data.n -= skip;
  first.size -= skip;
  first.records.erase(first.records.begin());
  for (auto& r : first.records) r.first -= skip;
  return true;
}

// A workbook's cases: where each field's cells are, for the errors (sheet, row, column).
SheetPlace sheet_place(const CaseInput& input, const checked::Policy& policy, const CsvCaseReader& csv) {
  SheetPlace place{input.sheet(), {}};
  for (std::size_t i = 0; i < csv.columns().size(); ++i) {
    const int slot = csv.columns()[i];
    const std::string letters = column_letters(static_cast<std::uint32_t>(i));
    if (slot >= 0) place.columns.emplace(policy.inputs[static_cast<std::size_t>(slot)].name, letters);
    else if (slot == -1) place.columns.emplace("id", letters);
    else if (slot == -2) place.columns.emplace("as_of", letters);
  }
  return place;
}

// The columns of the results workbook: the line, the case's own columns (a CSV or a sheet's
// header; JSON Lines: the id), the outputs, the error.
std::vector<SheetColumn> result_columns(const checked::Policy& policy, const BatchOptions& opt, const CsvCaseReader* csv) {
  using dsl::Msg;
  std::vector<SheetColumn> cols;
  cols.push_back({std::string(dsl::text(Msg::HeadLine)), "line", CellType::Number});
  if (!csv) cols.push_back({std::string(dsl::text(Msg::HeadCaseId)), "id", CellType::Text});
  else
    for (std::size_t i = 0; i < csv->columns().size(); ++i) {
      const int slot = csv->columns()[i];
      const std::string& name = csv->header()[i];
      if (slot >= 0) {
        const auto& in = policy.inputs[static_cast<std::size_t>(slot)];
        cols.push_back({in.label.empty() ? in.name : in.label, in.name, cell_type_of(in.type)});
      } else if (slot == -1) {
        cols.push_back({std::string(dsl::text(Msg::HeadCaseId)), "id", CellType::Text});
      } else {
        cols.push_back({name, name, slot == -2 ? CellType::Date : CellType::Text});
      }
    }
  for (auto r : opt.outputs) {
    const auto& rule = policy.rules[r];
    cols.push_back({output_key(rule, true), rule.name, cell_type_of(rule.type)});
  }
  cols.push_back({std::string(dsl::text(Msg::Error)), "error", CellType::Text});
  return cols;
}

// Hands the workbook records of a block (sheet_cell fields, kRecord after each) to the writer.
bool write_sheet_rows(XlsxWriter& book, std::string_view bytes, std::uint64_t& written, std::string& error) {
  std::vector<std::string_view> cells;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t end = bytes.find(kRecord, pos);
    if (end == std::string_view::npos) end = bytes.size();
    cells.clear();
    std::string_view rec = bytes.substr(pos, end - pos);
    for (std::size_t f = 0;;) {
      std::size_t g = rec.find(kField, f);
      cells.push_back(rec.substr(f, g == std::string_view::npos ? std::string_view::npos : g - f));
      if (g == std::string_view::npos) break;
      f = g + 1;
    }
    if (!book.row(cells)) {
      error = dsl::textf(dsl::Msg::XlsxOutFull, XlsxWriter::kMaxRows, written + 1);
      return false;
    }
    ++written;
    pos = end + 1;
  }
  return true;
}

}  // namespace

namespace {

// The run from an open input to a destination: what run_batch and run_batch_stream share.
// `in_name` names the input in messages. 0; 2 with `error`; 3 when `write` failed.
// `input`: the cases file as opened (its encoding, its workbook), or null for a stream; `book`:
// the results workbook to fill, or null to write through `sink_write`.
int run_blocks(const checked::Policy& policy, const BatchOptions& opt, InFormat fmt_in, ByteSource& in,
               const std::string& in_name, const BatchWrite& sink_write, CaseInput* input, XlsxWriter* book,
               BatchSummary& summary, std::string& error) {
  auto start = std::chrono::steady_clock::now();
  auto input_error = [&](std::string& e) {  // the input's own error wins: it is the cause
    if (!input) return;
    std::string why = input->finish();
    if (!why.empty()) e = why;
  };
  CaseSchema schema(policy);
  OutputPlan plan(policy, opt.outputs, opt.xlsx_out ? OutFormat::Sheet : opt.csv_out ? OutFormat::Csv : OutFormat::Jsonl,
                  opt.labels);
  int jobs = opt.jobs > 0 ? opt.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < jobs; ++i) workers.push_back(std::make_unique<Worker>(policy, schema, opt, plan));
  BlockReader reader(in, fmt_in == InFormat::Csv, opt.block_bytes);

  Block first;  // the first block, read before the others: the CSV header, or UTF-16 text
  bool have_first = false;
  if (fmt_in == InFormat::Csv) {
    if (!read_csv_header(reader, first, workers, opt, error)) {
      input_error(error);
      return 2;
    }
    have_first = first.size > 0 || first.overlong_line;
  } else if (reader.fill(first)) {
    if (std::string p = utf16_problem(std::string_view(first.data.data(), first.size)); !p.empty()) {
      error = dsl::textf(dsl::Msg::CasesFile, in_name, p);
      return 2;
    }
    have_first = true;
  }
  std::optional<SheetPlace> place;
  if (input && input->workbook()) place = sheet_place(*input, policy, workers[0]->csv);
  for (auto& w : workers) {
    w->place = place ? &*place : nullptr;
    w->csv_in = fmt_in == InFormat::Csv;
    w->case_columns = fmt_in == InFormat::Csv ? w->csv.columns().size() : 1;
  }
  std::uint64_t sheet_rows = 0;
  std::string write_error;
  if (book) {
    book->add_sheet(std::string(dsl::text(dsl::Msg::SheetResults)),
                    result_columns(policy, opt, fmt_in == InFormat::Csv ? &workers[0]->csv : nullptr));
  } else if (opt.csv_out) {
    std::string header_out = opt.labels ? fmt::format("{},{}", dsl::text(dsl::Msg::HeadLine), dsl::text(dsl::Msg::HeadCaseId))
                                        : std::string("line,id");
    for (auto r : opt.outputs) header_out += "," + output_key(policy.rules[r], opt.labels);
    header_out += opt.labels ? fmt::format(",{}\n", dsl::text(dsl::Msg::Error)) : std::string(",error\n");
    (void)sink_write(header_out);
  }
  BatchWrite write = [&](std::string_view bytes) {
    if (!book) return sink_write(bytes);
    return write_sheet_rows(*book, bytes, sheet_rows, write_error);
  };

  const bool tty = opt.progress && isatty(STDERR_FILENO);
  std::uint64_t done = 0;
  auto last_progress = start;
  RunState st{opt, fmt_in, reader, write, workers, [&](std::uint64_t lines) {
                done += lines;
                if (!tty) return;
                auto now = std::chrono::steady_clock::now();
                if (now - start > std::chrono::seconds(2) && now - last_progress > std::chrono::milliseconds(500)) {
                  dsl::print_stderr(dsl::textf(dsl::Msg::BatchProgress, done));
                  last_progress = now;
                }
              }};
  if (jobs == 1) run_serial(st, have_first ? &first : nullptr);
  else run_parallel(st, have_first ? &first : nullptr);
  if (tty && std::chrono::steady_clock::now() - start > std::chrono::seconds(2)) dsl::print_stderr("\r\033[K");
  if (reader.error() != 0 && !st.write_failed) {
    error = dsl::textf(dsl::Msg::ErrorReading, in_name, std::strerror(reader.error()));
    return 2;
  }
  if (!write_error.empty()) {  // the results workbook is full
    error = write_error;
    return 2;
  }
  if (st.write_failed) {
    error = std::string(dsl::text(dsl::Msg::BatchDestinationStopped));
    return 3;
  }
  if (input) {
    if (std::string why = input->finish(); !why.empty()) {  // bytes not in the encoding, a bad workbook
      error = why;
      return 2;
    }
  }
  std::map<std::string, std::uint64_t> kinds;
  for (auto& w : workers) {
    summary.cases += w->cases;
    summary.errors += w->failed;
    for (auto& [k, n] : w->errors) kinds[k] += n;
  }
  summary.errors_by_kind.assign(kinds.begin(), kinds.end());
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return 0;
}

}  // namespace

const char* eval_error_kind_name(EvalErrorKind kind) {
  static const char* kinds[] = {"missing_input", "overflow", "division_by_zero", "no_parameter_value", "invalid_case"};
  return kinds[static_cast<int>(kind)];
}

int run_batch(const checked::Policy& policy, const BatchOptions& opt_given, BatchSummary& summary, std::string& error) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is an error we report, not a silent death
  // The output first: refused when it is an input, before anything is read or written.
  dsl::OutputFile sink;
  std::vector<std::string> inputs = opt_given.inputs;
  inputs.push_back(opt_given.cases_path == "-" ? std::string("/dev/stdin") : opt_given.cases_path);
  if (!sink.open(opt_given.out_path.empty() ? std::string("-") : opt_given.out_path, inputs, error)) return 2;
  CaseInput input;
  if (!input.open(opt_given.cases_path, {opt_given.encoding, opt_given.sheet}, {&policy}, error)) return 2;
  if (!input.note().empty()) dsl::print_stderr(input.note() + "\n");
  BatchOptions opt = opt_given;
  opt.line_offset += input.line_offset();  // a workbook's empty rows above its header
  const InFormat fmt_in = input.csv() ? InFormat::Csv : InFormat::Jsonl;
  const std::string in_name = opt.cases_path == "-" ? std::string(dsl::text(dsl::Msg::StandardInput)) : "'" + opt.cases_path + "'";
  XlsxWriter book;
  if (opt.xlsx_out && !book.open(error, &sink)) {
    error = dsl::textf(dsl::Msg::XlsxWriteFailed, opt.out_path, error);
    return 2;
  }
  BatchWrite write = [&sink](std::string_view bytes) { return sink.write(bytes); };
  FdSource in(input.fd());
  int rc = run_blocks(policy, opt, fmt_in, in, in_name, write, &input, opt.xlsx_out ? &book : nullptr, summary, error);
  if (rc == 2) return 2;  // the sink's temporary file is removed, no output is left under its name
  // A write error (rc 3) is the sink's to name (the destination and the reason).
  if (opt.xlsx_out ? !book.finish(sink, error) : !sink.commit(error)) return 2;
  return 0;
}

int run_batch_stream(const checked::Policy& policy, const BatchOptions& opt, ByteSource& in, bool csv_in,
                     const BatchWrite& write, BatchSummary& summary, std::string& error) {
  int rc = run_blocks(policy, opt, csv_in ? InFormat::Csv : InFormat::Jsonl, in, opt.cases_path, write, nullptr,
                      nullptr, summary, error);
  return rc == 0 ? 0 : 2;
}

}  // namespace pol::interp
