// `pol sweep`: its options (the sweep itself is compare/sweep.cpp).
#include <memory>

#include "cli/common.hpp"
#include "cli/compare_commands.hpp"

namespace pol::interp {

namespace {

void add_sweep_options(CLI::App* cmd, SweepArgs& a) {
  cmd->add_option("POLICY", a.policies, cli::help(dsl::Msg::HelpSweepPolicies))->required();
  cmd->add_option("--case", a.case_paths, cli::help(dsl::Msg::HelpSweepCase))
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--vary", a.vary, cli::help(dsl::Msg::HelpVary))->required();
  cmd->add_option("--output", a.outputs, cli::help(dsl::Msg::HelpOutputChart))->take_all();
  cmd->add_option("--csv", a.csv, cli::help(dsl::Msg::HelpCsv));
  cmd->add_option("--svg", a.svg, cli::help(dsl::Msg::HelpSvg));
  cmd->add_option("--html", a.html, cli::help(dsl::Msg::HelpHtml));
  cli::non_empty(cmd->add_option("--at", a.at, cli::help(dsl::Msg::HelpAtPlain)));
  cmd->add_option("--set", a.sets, cli::help(dsl::Msg::HelpSet))->take_all();
  cli::add_reading_option(cmd, a.readings);
}

}  // namespace

}  // namespace pol::interp

namespace pol::cli {

Registered add_sweep(CLI::App& app) {
  auto args = std::make_shared<interp::SweepArgs>();
  auto* cmd = app.add_subcommand("sweep", cli::help(dsl::Msg::HelpSweep));
  interp::add_sweep_options(cmd, *args);
  return {cmd, [args] { return interp::run_sweep(*args); }};
}

}  // namespace pol::cli
