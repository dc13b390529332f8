// `pol sweep`: its options (the sweep itself is compare/sweep.cpp).
#include <memory>

#include "cli/compare_commands.hpp"

namespace pol::interp {

namespace {

void add_sweep_options(CLI::App* cmd, SweepArgs& a) {
  cmd->add_option("POLICY", a.policies, "one or more rule files")->required();
  cmd->add_option("--case", a.case_paths, "[LABEL=]CASE: the case (JSON) to vary; repeat to draw several cases")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--vary", a.vary, "NAME=FROM..TO[:STEP]: an input or parameter and its range")->required();
  cmd->add_option("--output", a.outputs, "the outputs to chart (default: the numeric outputs all policies share)")->take_all();
  cmd->add_option("--csv", a.csv, "write the table here (default: standard output)");
  cmd->add_option("--svg", a.svg, "write the chart here (SVG: one panel a unit, with the caption and provenance)");
  cmd->add_option("--html", a.html, "write a page here: the chart, the case and date, the table and the provenance");
  cli::non_empty(cmd->add_option("--at", a.at, "the decision date YYYY-MM-DD"));
  cmd->add_option("--set", a.sets, "override a parameter: NAME=VALUE")->take_all();
}

}  // namespace

}  // namespace pol::interp

namespace pol::cli {

Registered add_sweep(CLI::App& app) {
  auto args = std::make_shared<interp::SweepArgs>();
  auto* cmd = app.add_subcommand("sweep", "evaluate policies while one input or parameter varies; CSV and SVG");
  interp::add_sweep_options(cmd, *args);
  return {cmd, [args] { return interp::run_sweep(*args); }};
}

}  // namespace pol::cli
