// pol readings POLICY CASE | --cases CASES: how each alternative reading changes one case or
// a population (interpreter/readings/).
#include <cstdio>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/calendar.hpp"
#include "cli/readings_commands.hpp"
#include "compare/compare.hpp"
#include "readings/readings.hpp"

namespace pol::cli {

using namespace pol::interp;

namespace {

struct ReadingsArgs {
  std::string policy, case_path, cases, format = "text", at;
  std::vector<std::string> sets, readings;
};

int cmd_readings(const ReadingsArgs& a) {
  auto policy = load_policy(a.policy);
  if (!policy) return code(Exit::RuleErrors);
  const auto& p = *policy;
  auto sets = parse_sets(p, a.sets);
  for (const auto& r : parse_readings(p, a.readings)) sets.push_back(r);
  auto at = parse_at_date(a.at);
  if (a.case_path.empty() == a.cases.empty()) throw UsageError{std::string(dsl::text(dsl::Msg::ReadingsCaseOrCases))};
  std::string out;
  if (!a.cases.empty()) {
    out = render_population_readings(p, readings_for_population(p, a.cases, at, sets), a.format);
  } else {
    CaseSchema schema(p);
    Case c = load_case(schema, a.case_path);
    Program prog(p, c.as_of ? c.as_of : at, sets);
    Evaluator ev(prog);
    if (auto bad = ev.validate(c)) throw UsageError{fmt::format("{}: {}", case_name(a.case_path), bad->message)};
    auto r = readings_for_case(prog, c);
    // A case that cannot be computed is bad input, as for pol eval.
    if (r.error) throw UsageError{fmt::format("{}: {}", case_name(a.case_path), *r.error)};
    out = render_case_readings(p, r, a.format);
  }
  std::fputs(out.c_str(), stdout);
  return code(Exit::Ok);
}

}  // namespace

Registered add_readings(CLI::App& app) {
  auto a = std::make_shared<ReadingsArgs>();
  auto* cmd = app.add_subcommand("readings", cli::help(dsl::Msg::HelpReadings));
  cmd->add_option("POLICY", a->policy, cli::help(dsl::Msg::HelpPolicy))->required();
  cmd->add_option("CASE", a->case_path, cli::help(dsl::Msg::HelpCaseFile));
  cmd->add_option("--cases", a->cases, cli::help(dsl::Msg::HelpReadingsCases));
  cmd->add_option("--format", a->format, cli::help(dsl::Msg::HelpReportFormat))
      ->check(CLI::IsMember({"text", "markdown", "html", "json"}));
  non_empty(cmd->add_option("--at", a->at, cli::help(dsl::Msg::HelpAt)));
  cmd->add_option("--set", a->sets, cli::help(dsl::Msg::HelpSet))->take_all();
  add_reading_option(cmd, a->readings);
  return {cmd, [a] { return cmd_readings(*a); }};
}

}  // namespace pol::cli
