// pol check: parse and type-check rule files, print every diagnostic and a summary.
#include <cstdio>
#include <memory>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "check/checker.hpp"
#include "cli/common.hpp"

namespace pol::cli {

namespace {

int cmd_check(const std::vector<std::string>& files) {
  int errors = 0, warnings = 0;
  bool unreadable = false;
  std::set<std::pair<std::string, std::uint32_t>> shown;  // a base file's warnings once
  for (const auto& f : files) {
    auto r = dsl::check_file(f);
    if (r.unreadable) {
      say("pol: {}\n", r.diagnostics.front().message);
      unreadable = true;
      continue;
    }
    for (const auto& d : r.diagnostics) {
      if (d.file && !shown.insert({d.file->name() + "#" + std::to_string(static_cast<int>(d.code)), d.range.begin}).second)
        continue;
      dsl::print_stderr(dsl::render(d));
      (d.severity == dsl::Severity::Error ? errors : warnings) += 1;
    }
  }
  say("{}\n", dsl::textf(dsl::Msg::CheckSummary, dsl::counted(dsl::Msg::CountFile, dsl::Msg::CountFiles, files.size()),
                        dsl::counted(dsl::Msg::CountError, dsl::Msg::CountErrors, errors),
                        dsl::counted(dsl::Msg::CountWarning, dsl::Msg::CountWarnings, warnings)));
  return unreadable ? code(Exit::BadInput) : errors ? code(Exit::RuleErrors) : code(Exit::Ok);
}

}  // namespace

Registered add_check(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("check", cli::help(dsl::Msg::HelpCheck));
  cmd->add_option("FILE", *files, cli::help(dsl::Msg::HelpFiles))->required();
  return {cmd, [files] { return cmd_check(*files); }};
}

}  // namespace pol::cli
