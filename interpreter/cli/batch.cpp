// pol batch: many cases through one policy, streaming JSON Lines or CSV.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "batch/batch.hpp"
#include "cli/common.hpp"
#include "compare/compare.hpp"

namespace pol::cli {

using namespace pol::interp;

namespace {

struct BatchArgs {
  BatchOptions opt;
  std::string policy, format = "json", at;
  std::vector<std::string> sets, outputs;
  std::size_t format_given = 0;
};

int cmd_batch(BatchArgs& a) {
  auto policy = load_policy(a.policy);
  if (!policy) return code(Exit::RuleErrors);
  a.opt.sets = parse_sets(*policy, a.sets);
  a.opt.outputs = parse_outputs(*policy, a.outputs);
  a.opt.at = parse_at(a.at);
  a.opt.csv_out = a.format == "csv";
  if (!a.opt.csv_out && a.format_given == 0 && a.opt.out_path.size() >= 4 &&
      a.opt.out_path.compare(a.opt.out_path.size() - 4, 4, ".csv") == 0)
    fmt::print(stderr, "pol batch: note: writing JSON Lines to {} (the output format follows --format only; "
                       "add --format csv for a CSV table)\n", a.opt.out_path);
  BatchSummary sum;
  std::string err;
  int rc = run_batch(*policy, a.opt, sum, err);
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

}  // namespace

Registered add_batch(CLI::App& app) {
  auto a = std::make_shared<BatchArgs>();
  auto* cmd = app.add_subcommand("batch", "evaluate many cases, streaming (JSON Lines or CSV)");
  cmd->add_option("POLICY", a->policy, "the rule file")->required();
  cmd->add_option("CASES", a->opt.cases_path, "cases: .jsonl, .csv, or - for JSON Lines on standard input")->required();
  cmd->add_option("--out", a->opt.out_path, "write here instead of standard output");
  cmd->add_option("--jobs", a->opt.jobs, "worker threads (default: the machine's cores)")->check(CLI::Range(1, 256));
  cmd->add_option("--format", a->format, "json (JSON Lines) or csv")->check(CLI::IsMember({"json", "csv"}));
  cmd->add_option("--at", a->at, "the decision date YYYY-MM-DD (a case's as_of wins)");
  cmd->add_option("--set", a->sets, "override a parameter: NAME=VALUE")->take_all();
  cmd->add_option("--output", a->outputs, "only these outputs")->take_all();
  cmd->add_option("--line-offset", a->opt.line_offset,
                  "add N to every line number (for a shard: the lines of the file before it)");
  return {cmd, [a, cmd] {
            a->format_given = cmd->count("--format");
            return cmd_batch(*a);
          }};
}

}  // namespace pol::cli
