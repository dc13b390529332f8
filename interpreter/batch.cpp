#include "batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "case.hpp"
#include "lines.hpp"
#include "json_out.hpp"

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

struct Worker {
  const checked::Policy& policy;
  const CaseSchema& schema;
  const BatchOptions& opt;
  const std::vector<std::string>* header;
  JsonCaseReader json;
  CsvCaseReader csv;
  Case c;
  Outcome outcome;
  std::map<std::string, std::uint64_t> errors;
  std::uint64_t cases = 0, failed = 0;
  std::unordered_map<int, std::pair<std::unique_ptr<Program>, std::unique_ptr<Evaluator>>> programs;

  Worker(const checked::Policy& p, const CaseSchema& s, const BatchOptions& o)
      : policy(p), schema(s), opt(o), header(nullptr), json(s), csv(s) {}

  Evaluator& evaluator_for(std::optional<int> date) {
    int key = date.value_or(INT32_MIN);
    auto it = programs.find(key);
    if (it == programs.end()) {
      auto prog = std::make_unique<Program>(policy, date, opt.sets);
      auto ev = std::make_unique<Evaluator>(*prog);
      it = programs.emplace(key, std::make_pair(std::move(prog), std::move(ev))).first;
    }
    return *it->second.second;
  }

  void error_line(std::string& out, const std::string& kind, const std::string& field, const std::string& msg) {
    ++failed;
    ++errors[kind];
    if (opt.csv_out) {
      for (std::size_t i = 0; i < opt.outputs.size(); ++i) out.push_back(',');
      out.push_back(',');
      csv_cell(out, msg);
      return;
    }
    out += "\"error\":{\"kind\":";
    append_json_string(out, kind);
    if (!field.empty()) {
      out += ",\"field\":";
      append_json_string(out, field);
    }
    out += ",\"message\":";
    append_json_string(out, msg);
    out += "}";
  }

  static void csv_cell(std::string& out, std::string_view s) {
    if (s.find_first_of(",\"\n") == std::string_view::npos) {
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

  void process(Chunk& ch, InFormat fmt_in) {
    std::string& out = ch.out;
    out.clear();
    for (std::size_t i = 0; i < ch.lines.size(); ++i) {
      auto [off, len] = ch.lines[i];
      std::string_view line(ch.data.data() + off, len);
      ++cases;
      CaseError err;
      bool ok = fmt_in == InFormat::Jsonl ? json.read(line, len + JsonCaseReader::kPadding, c, err) : csv.read(line, c, err);
      if (opt.csv_out) {
        fmt::format_to(std::back_inserter(out), "{},", ch.line_no[i]);
        csv_cell(out, c.id_text);
      } else {
        fmt::format_to(std::back_inserter(out), "{{\"line\":{}", ch.line_no[i]);
        if (!c.id_json.empty()) {
          out += ",\"id\":";
          out += c.id_json;
        }
        out.push_back(',');
      }
      if (!ok) {
        error_line(out, err.kind, err.field, err.message);
      } else {
        Evaluator& ev = evaluator_for(c.as_of ? c.as_of : opt.at);
        std::optional<EvalError> bad;
        ev.validate_and_evaluate(c, opt.outputs, outcome, bad);
        if (bad) {
          error_line(out, "invalid_case", bad->field, bad->message);
        } else {
          if (outcome.error) {
            static const char* kinds[] = {"missing_input", "overflow", "division_by_zero", "no_parameter_value", "invalid_case"};
            error_line(out, kinds[static_cast<int>(outcome.error->kind)], outcome.error->field, outcome.error->message);
          } else if (opt.csv_out) {
            for (const auto& [r, v] : outcome.outputs) {
              out.push_back(',');
              const auto& t = policy.rules[r].type;
              if (t.base == dsl::Base::Enum || t.base == dsl::Base::Date) {
                std::string s;
                append_json_value(s, policy, t, v);
                out.append(s, 1, s.size() - 2);
              } else {
                append_json_value(out, policy, t, v);
              }
            }
            out.push_back(',');
          } else {
            out += "\"outputs\":";
            append_outputs_json(out, policy, outcome);
          }
        }
      }
      if (!opt.csv_out) out.push_back('}');
      out.push_back('\n');
    }
  }
};

bool write_all(std::FILE* f, const std::string& s) {
  return s.empty() || std::fwrite(s.data(), 1, s.size(), f) == s.size();
}

}  // namespace

int run_batch(const checked::Policy& policy, const BatchOptions& opt, BatchSummary& summary, std::string& error) {
  auto start = std::chrono::steady_clock::now();
  std::signal(SIGPIPE, SIG_IGN);
  InFormat fmt_in = InFormat::Jsonl;
  std::FILE* in = stdin;
  if (opt.cases_path != "-") {
    if (opt.cases_path.size() >= 4 && opt.cases_path.compare(opt.cases_path.size() - 4, 4, ".csv") == 0) fmt_in = InFormat::Csv;
    in = std::fopen(opt.cases_path.c_str(), "rb");
    if (!in) {
      error = fmt::format("cannot open cases file '{}': {}", opt.cases_path, std::strerror(errno));
      return 2;
    }
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in_guard(in == stdin ? nullptr : in, &std::fclose);
  std::FILE* out = stdout;
  if (!opt.out_path.empty()) {
    out = std::fopen(opt.out_path.c_str(), "wb");
    if (!out) {
      error = fmt::format("cannot write '{}': {}", opt.out_path, std::strerror(errno));
      return 2;
    }
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out_guard(out == stdout ? nullptr : out, &std::fclose);

  CaseSchema schema(policy);
  int jobs = opt.jobs > 0 ? opt.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < jobs; ++i) workers.push_back(std::make_unique<Worker>(policy, schema, opt));
  LineReader reader(in);

  std::string header_out;
  if (opt.csv_out) {
    header_out = "line,id";
    for (auto r : opt.outputs) header_out += "," + policy.rules[r].name;
    header_out += ",error\n";
  }
  if (fmt_in == InFormat::Csv) {
    Chunk h;
    if (!reader.fill(h, 1)) {
      error = fmt::format("cases file '{}' is empty: expected a header row naming the inputs", opt.cases_path);
      return 2;
    }
    CaseError err;
    std::string_view line(h.data.data() + h.lines[0].first, h.lines[0].second);
    for (auto& w : workers)
      if (!w->csv.read_header(line, err)) {
        error = fmt::format("{}:{}: {}", opt.cases_path, h.line_no[0], err.message);
        return 2;
      }
  }
  if (!write_all(out, header_out)) {
    error = fmt::format("cannot write output: {}", std::strerror(errno));
    return 2;
  }
  bool tty = opt.progress && isatty(fileno(stderr));
  auto last_progress = start;
  std::vector<Chunk> chunks(static_cast<std::size_t>(jobs));
  bool more = true;
  std::uint64_t done = 0;
  while (more) {
    std::size_t filled = 0;
    for (auto& ch : chunks) {
      if (!reader.fill(ch, opt.chunk_lines)) {
        more = false;
        break;
      }
      ++filled;
    }
    if (filled == 0) break;
    if (filled == 1 || jobs == 1) {
      for (std::size_t i = 0; i < filled; ++i) workers[0]->process(chunks[i], fmt_in);
    } else {
      std::vector<std::thread> threads;
      for (std::size_t i = 1; i < filled; ++i)
        threads.emplace_back([&, i] { workers[i]->process(chunks[i], fmt_in); });
      workers[0]->process(chunks[0], fmt_in);
      for (auto& t : threads) t.join();
    }
    for (std::size_t i = 0; i < filled; ++i) {
      if (!write_all(out, chunks[i].out)) {
        error = fmt::format("cannot write output{}: {}", opt.out_path.empty() ? "" : " to '" + opt.out_path + "'",
                            std::strerror(errno));
        return 2;
      }
      done += chunks[i].lines.size();
    }
    if (tty) {
      auto now = std::chrono::steady_clock::now();
      if (now - start > std::chrono::seconds(2) && now - last_progress > std::chrono::milliseconds(500)) {
        fmt::print(stderr, "\rpol batch: {} cases…", done);
        last_progress = now;
      }
    }
  }
  if (reader.error()) {
    error = fmt::format("error reading '{}': {}", opt.cases_path, std::strerror(errno));
    return 2;
  }
  if (std::fflush(out) != 0 || std::ferror(out)) {
    error = fmt::format("cannot write output: {}", std::strerror(errno));
    return 2;
  }
  if (out != stdout) {
    std::FILE* f = out_guard.release();
    if (std::fclose(f) != 0) {
      error = fmt::format("cannot write '{}': {}", opt.out_path, std::strerror(errno));
      return 2;
    }
  }
  if (tty && done > 0 && std::chrono::steady_clock::now() - start > std::chrono::seconds(2)) fmt::print(stderr, "\r\033[K");
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
