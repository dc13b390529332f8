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
#include "base/files.hpp"
#include "base/source.hpp"
#include "cases/case.hpp"
#include "report/json_out.hpp"
#include "cases/lines.hpp"

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

// How each output is written, prepared once per run: its key and, for an enum, the text of
// every value, so that writing a case is copying and formatting digits only.
struct OutputPlan {
  struct Item {
    std::string key;  // JSON: ,"name":  (no comma for the first); CSV: ,
    dsl::Base base;
    int places = 0;                   // numbers: minimum decimals
    std::vector<std::string> names;   // enums: JSON "name" / CSV name
  };
  std::vector<Item> items;
  std::size_t max_bytes = 0;  // an upper bound of one record's outputs

  OutputPlan(const checked::Policy& p, const std::vector<std::uint32_t>& outputs, bool csv) {
    for (std::size_t k = 0; k < outputs.size(); ++k) {
      const auto& r = p.rules[outputs[k]];
      Item it;
      it.key = csv ? std::string(",") : fmt::format("{}\"{}\":", k ? "," : "", r.name);
      it.base = r.type.base;
      it.places = r.type.unit == dsl::Unit::Yuan ? 2 : 0;
      if (r.type.base == dsl::Base::Enum)
        for (const auto& v : p.enums[r.type.enum_id].values) {
          std::string s;
          append_json_string(s, v.name);
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
          if (checked::as_bool(v)) {
            std::memcpy(w, "true", 4);
            w += 4;
          } else {
            std::memcpy(w, "false", 5);
            w += 5;
          }
          break;
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
          if (items[k].key == "," && s.size() >= 2 && s.front() == '"') s = s.substr(1, s.size() - 2);  // CSV
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

  Worker(const checked::Policy& p, const CaseSchema& s, const BatchOptions& o, const OutputPlan& pl)
      : policy(p), schema(s), opt(o), plan(pl), json(s), csv(s) {}

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
    if (opt.csv_out) {
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
    if (opt.csv_out) {
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
    if (!opt.csv_out) out.push_back('}');
    out.push_back('\n');
  }

  // A blank line holds no case: an error line, so that the output keeps one line per input line.
  void blank(std::uint64_t line_no, Bytes& out) {
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
    line_start(line_no + opt.line_offset, c.id_text, c.id_json, out);
    if (!ok) {
      error_line(out, err.kind, err.field, err.message);
    } else {
      Evaluator& ev = evaluator_for(c.as_of ? c.as_of : opt.at);
      ev.validate_and_evaluate(c, opt.outputs, outcome, invalid);
      if (invalid) {
        error_line(out, "invalid_case", invalid->field, invalid->message);
      } else if (outcome.error) {
        static const char* kinds[] = {"missing_input", "overflow", "division_by_zero", "no_parameter_value", "invalid_case"};
        error_line(out, kinds[static_cast<int>(outcome.error->kind)], outcome.error->field, outcome.error->message);
      } else if (opt.csv_out) {
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
  dsl::OutputFile& sink;
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
    if (!st.sink.write(std::string_view(out.data(), out.size()))) {
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
      bool ok = st.sink.write(std::string_view(o.out.data(), o.out.size()));
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
  for (std::size_t i = 1; i < st.workers.size(); ++i) threads.emplace_back([&, i] { work(*st.workers[i]); });
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
      error = fmt::format("{}:{}: {}", opt.cases_path, first.first_line, err.message);
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

}  // namespace

int run_batch(const checked::Policy& policy, const BatchOptions& opt, BatchSummary& summary, std::string& error) {
  auto start = std::chrono::steady_clock::now();
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is an error we report, not a silent death
  const InFormat fmt_in = opt.cases_path != "-" && is_csv_path(opt.cases_path) ? InFormat::Csv : InFormat::Jsonl;
  // The output first: refused when it is an input, before anything is read or written.
  dsl::OutputFile sink;
  std::vector<std::string> inputs = opt.inputs;
  inputs.push_back(opt.cases_path == "-" ? std::string("/dev/stdin") : opt.cases_path);
  if (!sink.open(opt.out_path.empty() ? std::string("-") : opt.out_path, inputs, error)) return 2;
  const int in = open_cases_file(opt.cases_path, error);
  if (in < 0) return 2;
  struct FdGuard {
    int fd;
    ~FdGuard() {
      if (fd > 2) ::close(fd);
    }
  } in_guard{in};

  CaseSchema schema(policy);
  OutputPlan plan(policy, opt.outputs, opt.csv_out);
  int jobs = opt.jobs > 0 ? opt.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < jobs; ++i) workers.push_back(std::make_unique<Worker>(policy, schema, opt, plan));
  BlockReader reader(in, fmt_in == InFormat::Csv, opt.block_bytes);
  const std::string in_name = opt.cases_path == "-" ? std::string(dsl::text(dsl::Msg::StandardInput)) : "'" + opt.cases_path + "'";

  Block first;  // the first block, read before the others: the CSV header, or UTF-16 text
  bool have_first = false;
  if (fmt_in == InFormat::Csv) {
    if (!read_csv_header(reader, first, workers, opt, error)) return 2;
    have_first = first.size > 0 || first.overlong_line;
  } else if (reader.fill(first)) {
    if (std::string p = utf16_problem(std::string_view(first.data.data(), first.size)); !p.empty()) {
      error = dsl::textf(dsl::Msg::CasesFile, in_name, p);
      return 2;
    }
    have_first = true;
  }
  if (opt.csv_out) {
    std::string header_out = "line,id";
    for (auto r : opt.outputs) header_out += "," + policy.rules[r].name;
    header_out += ",error\n";
    (void)sink.write(header_out);
  }

  const bool tty = opt.progress && isatty(STDERR_FILENO);
  std::uint64_t done = 0;
  auto last_progress = start;
  RunState st{opt, fmt_in, reader, sink, workers, [&](std::uint64_t lines) {
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
    return 2;  // the sink's temporary file is removed, no output is left under its name
  }
  if (!sink.commit(error)) return 2;
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

}  // namespace pol::interp
