// pol batch: many cases through one policy, streaming JSON Lines or CSV.
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/messages.hpp"
#include "base/files.hpp"
#include "batch/batch.hpp"
#include "cases/case.hpp"
#include "cli/common.hpp"
#include "compare/compare.hpp"
#include "sheets/source.hpp"

namespace pol::cli {

using namespace pol::interp;

namespace {

struct BatchArgs {
  BatchOptions opt;
  std::string policy, format = "json", at, line_offset = "0";
  std::vector<std::string> sets, outputs, readings;
  std::size_t format_given = 0;
};

// --line-offset N: a whole number from 0 to 2^63 - 1 (line numbers stay exact after adding it).
std::uint64_t parse_line_offset(const std::string& s) {
  constexpr std::uint64_t kMax = static_cast<std::uint64_t>(INT64_MAX);
  std::uint64_t v = 0;
  bool ok = !s.empty() && s.size() <= 19;
  for (char ch : s) {
    if (ch < '0' || ch > '9') ok = false;
    else if (ok) v = v * 10 + static_cast<std::uint64_t>(ch - '0');
  }
  if (!ok || v > kMax)
    throw UsageError{dsl::textf(dsl::Msg::LineOffsetBad, s, kMax)};
  return v;
}

// A workbook's sheet passes through memory in pieces of a MiB or so, on several threads: by
// default glibc hands each piece's memory back to the kernel and has it faulted in and zeroed
// again for the next (measured: a sixth of the CPU time of a workbook read and one written). A
// command that ends when its cases do keeps freed memory for reuse instead. (Not pol serve,
// whose memory is to stay flat over days.)
void keep_freed_memory() {
  constexpr int kKeep = 64 << 20;
  (void)mallopt(M_MMAP_THRESHOLD, kKeep);  // a piece's buffers from the heap, not an mmap each
  (void)mallopt(M_TRIM_THRESHOLD, 4 * kKeep);
  (void)mallopt(M_TOP_PAD, kKeep);
}

int cmd_batch(BatchArgs& a) {
  if (is_xlsx_path(a.opt.cases_path) || is_xlsx_path(a.opt.out_path)) keep_freed_memory();
  auto policy = load_policy(a.policy);
  if (!policy) return code(Exit::RuleErrors);
  a.opt.sets = parse_sets(*policy, a.sets);
  for (const auto& r : parse_readings(*policy, a.readings)) a.opt.sets.push_back(r);
  a.opt.outputs = parse_outputs(*policy, a.outputs);
  a.opt.at = parse_at_date(a.at);
  a.opt.line_offset = parse_line_offset(a.line_offset);
  a.opt.csv_out = a.format == "csv";
  a.opt.xlsx_out = is_xlsx_path(a.opt.out_path);  // a workbook, whatever --format says
  a.opt.inputs = {a.policy};
  for (const auto& f : policy->files) a.opt.inputs.push_back(f->name());
  if (!a.opt.csv_out && a.format_given == 0 && is_csv_path(a.opt.out_path))
    dsl::print_stderr(dsl::textf(dsl::Msg::BatchJsonToCsv, a.opt.out_path) + "\n");
  BatchSummary sum;
  std::string err;
  int rc = run_batch(*policy, a.opt, sum, err);
  if (rc != 0) {
    dsl::print_stderr(dsl::textf(dsl::Msg::BatchFailed, err) + "\n");
    return code(Exit::BadInput);
  }
  std::string kinds;
  for (const auto& [k, n] : sum.errors_by_kind)
    kinds += (kinds.empty() ? std::string() : std::string(dsl::text(dsl::Msg::ListSep))) + dsl::textf(dsl::Msg::BatchErrorKind, k, n);
  if (!kinds.empty()) kinds = dsl::textf(dsl::Msg::BatchErrorKinds, kinds);
  dsl::print_stderr(dsl::textf(dsl::Msg::BatchSummaryLine, sum.cases, sum.errors, kinds, sum.seconds,
                               sum.seconds > 0 ? static_cast<double>(sum.cases) / sum.seconds : 0.0) +
                    "\n");
  return code(Exit::Ok);
}

}  // namespace

Registered add_batch(CLI::App& app) {
  auto a = std::make_shared<BatchArgs>();
  auto* cmd = app.add_subcommand("batch", cli::help(dsl::Msg::HelpBatch));
  cmd->add_option("POLICY", a->policy, cli::help(dsl::Msg::HelpPolicy))->required();
  cmd->add_option("CASES", a->opt.cases_path, cli::help(dsl::Msg::HelpCasesAny))->required();
  cmd->add_option("--out", a->opt.out_path,
                  cli::help(dsl::Msg::HelpOut));
  cmd->add_option("--jobs", a->opt.jobs, cli::help(dsl::Msg::HelpJobs))->check(CLI::Range(1, 256));
  cmd->add_option("--format", a->format, cli::help(dsl::Msg::HelpBatchFormat))->check(CLI::IsMember({"json", "csv"}));
  cmd->add_option("--at", a->at, cli::help(dsl::Msg::HelpAt));
  cmd->add_option("--set", a->sets, cli::help(dsl::Msg::HelpSet))->take_all();
  cmd->add_option("--output", a->outputs, cli::help(dsl::Msg::HelpOutputOnly))->take_all();
  cmd->add_option("--encoding", a->opt.encoding, cli::help(dsl::Msg::HelpEncoding));
  cmd->add_option("--sheet", a->opt.sheet, cli::help(dsl::Msg::HelpSheet));
  cmd->add_flag("--labels", a->opt.labels, cli::help(dsl::Msg::HelpLabels));
  add_reading_option(cmd, a->readings);
  cmd->add_option("--line-offset", a->line_offset,
                  cli::help(dsl::Msg::HelpLineOffset));
  return {cmd, [a, cmd] {
            a->format_given = cmd->count("--format");
            return cmd_batch(*a);
          }};
}

}  // namespace pol::cli
