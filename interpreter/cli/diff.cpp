// `pol diff`: its options, and the wiring from them to compare/ and search/.
#include <memory>

#include "base/messages.hpp"
#include "base/files.hpp"

#include "cli/compare_commands.hpp"
#include <limits>

#include "compare/diff_report.hpp"
#include "compare/diff_xlsx.hpp"
#include "sheets/source.hpp"
#include "compare/outputs.hpp"
#include "compare/population.hpp"
#include "compare/side_by_side.hpp"
#include "search/search.hpp"

namespace pol::interp {

namespace {

void add_diff_options(CLI::App* cmd, DiffArgs& a) {
  cmd->add_option("POLICY_A", a.a, cli::help(dsl::Msg::HelpPolicyA))->required();
  cmd->add_option("POLICY_B", a.b, cli::help(dsl::Msg::HelpPolicyB))->required();
  cmd->add_option("--cases", a.cases, cli::help(dsl::Msg::HelpDiffCases));
  cmd->add_option("--format", a.format, cli::help(dsl::Msg::HelpDiffFormat))
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}));
  cli::non_empty(cmd->add_option("--at", a.at, cli::help(dsl::Msg::HelpAt)));
  cmd->add_option("--output", a.outputs, cli::help(dsl::Msg::HelpOutputCompare))->take_all();
  cli::add_reading_option(cmd, a.readings);
  cmd->add_option("--reading-a", a.readings_a, cli::help(dsl::Msg::HelpReadingA))->take_all();
  cmd->add_option("--reading-b", a.readings_b, cli::help(dsl::Msg::HelpReadingB))->take_all();
  cmd->add_option("--explain-case", a.explain_case,
                  cli::help(dsl::Msg::HelpExplainCase));
  cmd->add_flag("--find-disagreement", a.find_disagreement, cli::help(dsl::Msg::HelpFindDisagreement));
  cmd->add_option("--encoding", a.encoding, cli::help(dsl::Msg::HelpEncoding));
  cmd->add_option("--sheet", a.sheet, cli::help(dsl::Msg::HelpSheet));
  cmd->add_option("--out", a.out, cli::help(dsl::Msg::HelpDiffOut));
  cmd->add_option("--show", a.show, cli::help(dsl::Msg::HelpShow))
      ->check(CLI::Validator(
          [](std::string& v) {
            return !v.empty() && v.front() == '-' ? dsl::textf(dsl::Msg::UsageShowCount, v) : std::string();
          },
          "", "count"));
}

}  // namespace

int run_diff(const DiffArgs& args) {
  auto pa = load_policy(args.a), pb = load_policy(args.b);
  if (!pa || !pb) return 1;
  // --reading (both sides), --reading-a, --reading-b: each side compared under those readings.
  auto both = cli::parse_readings_for_each({&*pa, &*pb}, args.readings);
  auto only_a = cli::parse_readings(*pa, args.readings_a, "--reading-a");
  auto only_b = cli::parse_readings(*pb, args.readings_b, "--reading-b");
  take_readings(*pa, both[0]);
  take_readings(*pa, only_a);
  take_readings(*pb, both[1]);
  take_readings(*pb, only_b);
  const checked::Policy& a = *pa;
  const checked::Policy& b = *pb;
  std::optional<int> at = parse_at_date(args.at);
  std::string format = args.format.empty() ? "text" : args.format;
  std::string error;
  auto generated = generated_at(error);
  if (!generated) throw CompareUsageError{error};
  const Provenance prov = make_provenance({&a, &b}, *generated);
  std::string out;
  const bool xlsx = is_xlsx_path(args.out);
  if (!args.explain_case.empty()) {
    if (args.cases.empty()) throw CompareUsageError{std::string(dsl::text(dsl::Msg::ExplainCaseNeedsCases))};
    out = render_case_under_both(a, b, explain_case(a, b, args, at), format, prov, at);
  } else if (args.find_disagreement) {
    if (!args.cases.empty()) throw CompareUsageError{std::string(dsl::text(dsl::Msg::FindMakesCases))};
    auto outputs = shared_outputs(a, b, args.outputs);
    DisagreementSearch found = find_disagreement(a, b, outputs, at);
    if (found.nothing_evaluated()) throw CompareUsageError{nothing_evaluated_message(a, b, found, at)};
    out = render_disagreement(a, b, found, at, format, prov);
  } else {
    if (xlsx) {
      if (args.cases.empty()) throw CompareUsageError{dsl::textf(dsl::Msg::CliXlsxNeedsCases)};
      DiffArgs all = args;
      all.show = std::numeric_limits<int>::max();  // a workbook lists every changed case
      write_diff_workbook(a, b, run_population(a, b, all, at), args.out, {args.a, args.b, args.cases});
      return 0;
    }
    out = diff_report(a, b, args, at, format, prov);
  }
  // Checked to the last byte: a full disk or a closed pipe is an error, never a success.
  dsl::OutputFile stdout_file;
  if (!stdout_file.open(args.out.empty() ? std::string("-") : args.out, {args.a, args.b, args.cases}, error))
    throw CompareUsageError{error};
  stdout_file.write(out);
  if (!stdout_file.commit(error)) throw CompareUsageError{error};
  return 0;
}

}  // namespace pol::interp

namespace pol::cli {

Registered add_diff(CLI::App& app) {
  auto args = std::make_shared<interp::DiffArgs>();
  auto* cmd = app.add_subcommand("diff", cli::help(dsl::Msg::HelpDiff));
  interp::add_diff_options(cmd, *args);
  return {cmd, [args] { return interp::run_diff(*args); }};
}

}  // namespace pol::cli
