// pol debug code POLICY [--at DATE] [--set NAME=VALUE]... [--output NAME]...: the register code
// compiled for the outputs and its whole-number form (eval/disasm.hpp). Hidden from --help:
// it is for those who work on pol itself; a golden file keeps the listing reviewed.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/common.hpp"
#include "compare/compare.hpp"
#include "eval/disasm.hpp"
#include "eval/evaluator.hpp"

namespace pol::cli {

using namespace pol::interp;

namespace {

struct DebugArgs {
  std::string policy, at;
  std::vector<std::string> sets, outputs, readings;
};

int cmd_code(const DebugArgs& a) {
  auto policy = load_policy(a.policy);
  if (!policy) return code(Exit::RuleErrors);
  auto sets = parse_sets(*policy, a.sets);
  for (const auto& r : parse_readings(*policy, a.readings)) sets.push_back(r);
  Program prog(*policy, parse_at_date(a.at), sets);
  Evaluator ev(prog);
  fmt::print("{}", disassemble(prog, ev.code_for(parse_outputs(*policy, a.outputs))));
  return code(Exit::Ok);
}

}  // namespace

Registered add_debug(CLI::App& app) {
  auto args = std::make_shared<DebugArgs>();
  auto* debug = app.add_subcommand("debug", "");  // no description: not listed in --help
  debug->group("");
  debug->require_subcommand(1);
  auto* code_cmd = debug->add_subcommand("code", cli::help(dsl::Msg::HelpDebugCode));
  code_cmd->add_option("POLICY", args->policy, cli::help(dsl::Msg::HelpPolicy))->required();
  non_empty(code_cmd->add_option("--at", args->at, cli::help(dsl::Msg::HelpAtLatest)));
  code_cmd->add_option("--set", args->sets, cli::help(dsl::Msg::HelpSet))->take_all();
  add_reading_option(code_cmd, args->readings);
  code_cmd->add_option("--output", args->outputs, cli::help(dsl::Msg::HelpOutputOnly))->take_all();
  return {debug, [args] { return cmd_code(*args); }};
}

}  // namespace pol::cli
