// pol: the command line of ../shared/spec/CONTRACT.md. Each command is a thin function that
// wires the stages together: check, then evaluate, then render.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "batch/batch.hpp"
#include "base/calendar.hpp"
#include "cases/case.hpp"
#include "check/checker.hpp"
#include "cli/compare_commands.hpp"
#include "compare/compare.hpp"
#include "eval/evaluator.hpp"
#include "explain/explain.hpp"
#include "syntax/format.hpp"
#include "report/json_out.hpp"
#include "syntax/parser.hpp"
#include "policy_test/testing.hpp"

namespace {

using namespace pol;
using namespace pol::interp;

enum class Exit : int { Ok = 0, RuleErrors = 1, BadInput = 2 };

struct UsageError {
  std::string message;
};

int code(Exit e) { return static_cast<int>(e); }


std::optional<int> parse_at(const std::string& at) {
  if (at.empty()) return std::nullopt;
  auto d = parse_date(at);
  if (!d) throw UsageError{fmt::format("--at '{}': expected a date YYYY-MM-DD between {}-01-01 and {}-12-31", at, kMinYear, kMaxYear)};
  return d;
}

std::vector<ParamSetting> parse_sets(const checked::Policy& p, const std::vector<std::string>& sets) {
  std::vector<ParamSetting> out;
  for (const auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos) throw UsageError{fmt::format("--set '{}': expected NAME=VALUE", s)};
    std::string name = s.substr(0, eq);
    int slot = p.find_param(name);
    if (slot < 0) {
      std::vector<std::string> names;
      for (const auto& pa : p.params) names.push_back(pa.name);
      std::string msg = fmt::format("--set {}: policy {} has no parameter '{}'", s, p.header.name, name);
      if (auto m = dsl::did_you_mean(name, names)) msg += fmt::format("; did you mean '{}'?", *m);
      throw UsageError{msg};
    }
    std::string why;
    auto v = dsl::parse_value(p, p.params[slot].type, s.substr(eq + 1), why);
    if (!v) throw UsageError{fmt::format("--set {}: {} ({}) {}", s, name, p.params[slot].label, why)};
    out.push_back({static_cast<std::uint32_t>(slot), *v});
  }
  return out;
}

std::vector<std::uint32_t> parse_outputs(const checked::Policy& p, const std::vector<std::string>& names) {
  std::vector<std::string> unknown;
  auto rules = select_outputs(p, names, unknown);
  if (!unknown.empty()) {
    std::vector<std::string> all;
    for (const auto& r : p.rules) all.push_back(r.name);
    std::string msg = fmt::format("--output {}: policy {} has no output or let of that name", unknown[0], p.header.name);
    if (auto m = dsl::did_you_mean(unknown[0], all)) msg += fmt::format("; did you mean '{}'?", *m);
    throw UsageError{msg};
  }
  return rules;
}

// How a case file is named in messages: standard input has no path.
std::string case_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string read_all(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError{fmt::format("cannot open case file '{}'", path)};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Loads one case from a JSON file; exits 2 with the field named on any problem.
Case load_case(const checked::Policy& p, const CaseSchema& schema, const std::string& path) {
  std::string text = read_all(path);
  text.erase(0, dsl::bom_size(text));
  std::size_t n = text.size();
  text.append(JsonCaseReader::kPadding, ' ');
  JsonCaseReader reader(schema);
  Case c;
  CaseError err;
  if (!reader.read(std::string_view(text.data(), n), text.size(), c, err))
    throw UsageError{fmt::format("{}: {}", case_name(path), err.message)};
  (void)p;
  return c;
}

std::string default_format() { return isatty(fileno(stdout)) ? "text" : "json"; }

struct EvalArgs {
  std::string policy, case_path, format, at;
  std::vector<std::string> sets, outputs;
};

void add_eval_options(CLI::App* cmd, EvalArgs& a, bool explain) {
  cmd->add_option("POLICY", a.policy, "the rule file")->required();
  cmd->add_option("CASE", a.case_path, "a JSON file holding one case, or - for standard input")->required();
  cmd->add_option("--format", a.format, explain ? "text, json, markdown or html" : "text or json")
      ->check(explain ? CLI::IsMember({"text", "json", "markdown", "html"}) : CLI::IsMember({"text", "json"}));
  cmd->add_option("--at", a.at, "the decision date YYYY-MM-DD (a case's as_of wins)");
  cmd->add_option("--set", a.sets, "override a parameter for this run: NAME=VALUE")->take_all();
  cmd->add_option("--output", a.outputs, "only these outputs (and what they need)")->take_all();
}

int cmd_eval(const EvalArgs& a, bool explain) {
  auto policy = load_policy(a.policy);
  if (!policy) return code(Exit::RuleErrors);
  const auto& p = *policy;
  auto sets = parse_sets(p, a.sets);
  auto outputs = parse_outputs(p, a.outputs);
  auto at = parse_at(a.at);
  CaseSchema schema(p);
  Case c = load_case(p, schema, a.case_path);
  std::optional<int> date = c.as_of ? c.as_of : at;
  std::string note = c.as_of ? "取自案例的 as_of" : "取自 --at";
  Program prog(p, date, sets);
  Evaluator ev(prog);
  if (auto bad = ev.validate(c)) throw UsageError{fmt::format("{}: {}", case_name(a.case_path), bad->message)};
  Outcome out;
  std::string format = a.format.empty() ? default_format() : a.format;
  if (explain) {
    Trace trace;
    ev.evaluate_traced(c, outputs, out, trace);
    if (out.error) throw UsageError{fmt::format("{}: {}", case_name(a.case_path), out.error->message)};
    Explanation e = build_explanation(prog, c, out, trace, note);
    std::string s = format == "json" ? render_json(p, e)
                  : format == "markdown" ? render_markdown(p, e)
                  : format == "html" ? render_html(p, e)
                                     : render_text(p, e);
    std::fputs(s.c_str(), stdout);
    return code(Exit::Ok);
  }
  ev.evaluate(c, outputs, out);
  if (out.error) throw UsageError{fmt::format("{}: {}", case_name(a.case_path), out.error->message)};
  if (format == "json") {
    std::string s = "{\"policy\": ";
    append_json_string(s, p.header.name);
    s += ", \"as_of\": ";
    if (date) s += fmt::format("\"{}\"", format_date(*date));
    else s += "null";
    s += ", \"outputs\": {";
    for (std::size_t i = 0; i < out.outputs.size(); ++i) {
      auto [r, v] = out.outputs[i];
      if (i) s += ", ";
      append_json_string(s, p.rules[r].name);
      s += ": ";
      append_json_value(s, p, p.rules[r].type, v);
    }
    s += "}}\n";
    std::fputs(s.c_str(), stdout);
  } else {
    fmt::print("{}（{}）\n", p.header.title, p.header.name);
    fmt::print("{}\n\n", date ? fmt::format("决定日期 {}（{}）", format_date(*date), note)
                              : std::string("未指定决定日期：各参数取其最新值"));
    std::size_t wn = 0, wl = 0;
    for (auto [r, v] : out.outputs) {
      wn = std::max<std::size_t>(wn, p.rules[r].name.size());
      wl = std::max<std::size_t>(wl, dsl::text_width(p.rules[r].label));
    }
    for (auto [r, v] : out.outputs) {
      const auto& ru = p.rules[r];
      std::string pad(wl - dsl::text_width(ru.label), ' ');
      fmt::print("{:<{}}  {}{}  {}\n", ru.name, wn, ru.label, pad, text_value(p, ru.type, v));
    }
  }
  return code(Exit::Ok);
}

int cmd_check(const std::vector<std::string>& files) {
  int errors = 0, warnings = 0;
  bool unreadable = false;
  std::set<std::pair<std::string, std::uint32_t>> shown;  // a base file's warnings once
  for (const auto& f : files) {
    auto r = dsl::check_file(f);
    if (r.unreadable) {
      fmt::print(stderr, "pol: {}\n", r.diagnostics.front().message);
      unreadable = true;
      continue;
    }
    for (const auto& d : r.diagnostics) {
      if (d.file && !shown.insert({d.file->name() + "#" + std::to_string(static_cast<int>(d.code)), d.range.begin}).second)
        continue;
      std::fputs(dsl::render(d).c_str(), stderr);
      (d.severity == dsl::Severity::Error ? errors : warnings) += 1;
    }
  }
  fmt::print(stderr, "{} file{} checked: {} error{}, {} warning{}\n", files.size(), files.size() == 1 ? "" : "s", errors,
             errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  return unreadable ? code(Exit::BadInput) : errors ? code(Exit::RuleErrors) : code(Exit::Ok);
}

int cmd_test(const std::vector<std::string>& files, bool coverage) {
  int passed = 0, failed = 0;
  bool rule_errors = false;
  for (const auto& f : files) {
    auto policy = load_policy(f);
    if (!policy) {
      rule_errors = true;
      continue;
    }
    auto rep = run_tests(*policy, coverage);
    for (const auto& l : rep.lines) fmt::print("{}\n", l);
    passed += rep.passed;
    failed += rep.failed;
    if (coverage) {
      std::size_t covered = 0;
      for (const auto& it : rep.coverage) covered += it.covered;
      for (const auto& it : rep.coverage)
        if (!it.covered) {
          auto lc = policy->file_of(it.place).line_col(it.place.range.begin);
          fmt::print("not covered  {}:{}: {}\n", policy->file_of(it.place).name(), lc.line, it.what);
        }
      double pct = rep.coverage.empty() ? 100.0 : 100.0 * static_cast<double>(covered) / static_cast<double>(rep.coverage.size());
      fmt::print("{}: {} of {} branches, conditions and rules exercised\ncoverage: {}%\n", f, covered,
                 rep.coverage.size(), static_cast<int>(pct));
    }
  }
  fmt::print("{} passed, {} failed\n", passed, failed);
  return rule_errors || failed ? code(Exit::RuleErrors) : code(Exit::Ok);
}

int cmd_fmt(const std::vector<std::string>& files, bool check) {
  int status = code(Exit::Ok);
  for (const auto& f : files) {
    std::string err;
    auto src = dsl::load_source(f, err);
    if (!src) {
      fmt::print(stderr, "pol: {}\n", err);
      status = code(Exit::BadInput);
      continue;
    }
    auto pr = dsl::parse(src);
    if (dsl::has_errors(pr.diagnostics)) {
      for (const auto& d : pr.diagnostics) std::fputs(dsl::render(d).c_str(), stderr);
      status = code(Exit::RuleErrors);
      continue;
    }
    std::string out = dsl::format_module(pr.module);
    if (out == src->text()) continue;
    if (check) {
      fmt::print(stderr, "{}: not in canonical layout (run pol fmt {})\n", f, f);
      status = code(Exit::RuleErrors);
      continue;
    }
    std::ofstream o(f, std::ios::binary | std::ios::trunc);
    o << out;
    if (!o) {
      fmt::print(stderr, "pol: cannot write '{}'\n", f);
      status = code(Exit::BadInput);
    }
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pol: policy rules as data, decisions explained"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "pol 0.1.0");

  std::vector<std::string> check_files;
  auto* check = app.add_subcommand("check", "parse and type-check rule files; print every diagnostic");
  check->add_option("FILE", check_files, "rule files")->required();

  EvalArgs eval_args;
  auto* eval = app.add_subcommand("eval", "evaluate every output of POLICY for one case");
  add_eval_options(eval, eval_args, false);

  EvalArgs explain_args;
  auto* explain = app.add_subcommand("explain", "evaluate, with the step-by-step derivation of each output");
  add_eval_options(explain, explain_args, true);

  std::vector<std::string> test_files;
  bool coverage = false;
  auto* test = app.add_subcommand("test", "run the test blocks of rule files");
  test->add_option("FILE", test_files, "rule files")->required();
  test->add_flag("--coverage", coverage, "report the branches and conditions the tests exercised");

  BatchOptions batch_opt;
  std::string batch_policy, batch_format = "json", batch_at;
  std::vector<std::string> batch_sets, batch_outputs;
  auto* batch = app.add_subcommand("batch", "evaluate many cases, streaming (JSON Lines or CSV)");
  batch->add_option("POLICY", batch_policy, "the rule file")->required();
  batch->add_option("CASES", batch_opt.cases_path, "cases: .jsonl, .csv, or - for JSON Lines on standard input")->required();
  batch->add_option("--out", batch_opt.out_path, "write here instead of standard output");
  batch->add_option("--jobs", batch_opt.jobs, "worker threads (default: the machine's cores)")->check(CLI::Range(1, 256));
  batch->add_option("--format", batch_format, "json (JSON Lines) or csv")->check(CLI::IsMember({"json", "csv"}));
  batch->add_option("--at", batch_at, "the decision date YYYY-MM-DD (a case's as_of wins)");
  batch->add_option("--set", batch_sets, "override a parameter: NAME=VALUE")->take_all();
  batch->add_option("--output", batch_outputs, "only these outputs")->take_all();
  batch->add_option("--line-offset", batch_opt.line_offset,
                    "add N to every line number (for a shard: the lines of the file before it)");

  DiffArgs diff_args;
  auto* diff = app.add_subcommand("diff", "what differs between two rule files: parameters, rules, and outputs over cases");
  add_diff_options(diff, diff_args);

  SweepArgs sweep_args;
  auto* sweep = app.add_subcommand("sweep", "evaluate policies while one input or parameter varies; CSV and SVG");
  add_sweep_options(sweep, sweep_args);

  std::vector<std::string> fmt_files;
  bool fmt_check = false;
  auto* fmtc = app.add_subcommand("fmt", "rewrite rule files in the canonical layout");
  fmtc->add_option("FILE", fmt_files, "rule files")->required();
  fmtc->add_flag("--check", fmt_check, "only report files that are not in the canonical layout");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : code(Exit::BadInput);
  }

  try {
    if (*check) return cmd_check(check_files);
    if (*eval) return cmd_eval(eval_args, false);
    if (*explain) return cmd_eval(explain_args, true);
    if (*test) return cmd_test(test_files, coverage);
    if (*fmtc) return cmd_fmt(fmt_files, fmt_check);
    if (*diff) return run_diff(diff_args);
    if (*sweep) return run_sweep(sweep_args);
    if (*batch) {
      auto policy = load_policy(batch_policy);
      if (!policy) return code(Exit::RuleErrors);
      batch_opt.sets = parse_sets(*policy, batch_sets);
      batch_opt.outputs = parse_outputs(*policy, batch_outputs);
      batch_opt.at = parse_at(batch_at);
      batch_opt.csv_out = batch_format == "csv";
      if (!batch_opt.csv_out && batch->count("--format") == 0 && batch_opt.out_path.size() >= 4 &&
          batch_opt.out_path.compare(batch_opt.out_path.size() - 4, 4, ".csv") == 0)
        fmt::print(stderr, "pol batch: note: writing JSON Lines to {} (the output format follows --format only; "
                           "add --format csv for a CSV table)\n", batch_opt.out_path);
      BatchSummary sum;
      std::string err;
      int rc = run_batch(*policy, batch_opt, sum, err);
      if (rc != 0) {
        fmt::print(stderr, "pol batch: {}\n", err);
        return code(Exit::BadInput);
      }
      std::string kinds;
      for (const auto& [k, n] : sum.errors_by_kind) kinds += fmt::format("{}{}: {}", kinds.empty() ? " (" : ", ", k, n);
      if (!kinds.empty()) kinds += ")";
      fmt::print(stderr, "pol batch: {} cases, {} errors{}, {:.2f} s, {:.0f} cases/s\n", sum.cases, sum.errors, kinds,
                 sum.seconds, sum.seconds > 0 ? static_cast<double>(sum.cases) / sum.seconds : 0.0);
      return code(Exit::Ok);
    }
  } catch (const UsageError& e) {
    fmt::print(stderr, "pol: {}\n", e.message);
    return code(Exit::BadInput);
  } catch (const CompareUsageError& e) {
    fmt::print(stderr, "pol: {}\n", e.message);
    return code(Exit::BadInput);
  }
  return code(Exit::Ok);
}
