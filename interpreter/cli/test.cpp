// pol test: run the test blocks of rule files, optionally with coverage.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/messages.hpp"
#include "cli/common.hpp"
#include "compare/compare.hpp"
#include "policy_test/testing.hpp"

namespace pol::cli {

using namespace pol::interp;

namespace {

int cmd_test(const std::vector<std::string>& files, bool coverage, const std::vector<std::string>& readings) {
  int passed = 0, failed = 0;
  bool rule_errors = false;
  for (const auto& f : files) {
    auto policy = load_policy(f);
    if (!policy) {
      rule_errors = true;
      continue;
    }
    auto rep = run_tests(*policy, coverage, parse_readings(*policy, readings));
    for (const auto& l : rep.lines) fmt::print("{}\n", l);
    if (policy->tests.empty()) fmt::print("{}\n", dsl::textf(dsl::Msg::TestNoTests, f));
    passed += rep.passed;
    failed += rep.failed;
    if (coverage) {
      std::size_t covered = 0;
      for (const auto& it : rep.coverage) covered += it.covered;
      for (const auto& it : rep.coverage)
        if (!it.covered) {
          auto lc = policy->file_of(it.place).line_col(it.place.range.begin);
          fmt::print("{}\n", dsl::textf(dsl::Msg::NotCovered, policy->file_of(it.place).name(), lc.line, it.what));
        }
      // Nothing to cover is not full coverage: say what there is.
      if (policy->tests.empty() || rep.coverage.empty()) {
        fmt::print("{}\n", dsl::textf(policy->tests.empty() ? dsl::Msg::CoverageNoTests : dsl::Msg::CoverageNothingOwn, f,
                                      covered, rep.coverage.size()));
        continue;
      }
      double pct = 100.0 * static_cast<double>(covered) / static_cast<double>(rep.coverage.size());
      fmt::print("{}\n", dsl::textf(dsl::Msg::Coverage, f, covered,
                 rep.coverage.size(), static_cast<int>(pct)));
    }
  }
  fmt::print("{}\n", dsl::textf(dsl::Msg::TestsPassed, passed, failed));
  return rule_errors || failed ? code(Exit::RuleErrors) : code(Exit::Ok);
}

}  // namespace

Registered add_test(CLI::App& app) {
  struct Args {
    std::vector<std::string> files, readings;
    bool coverage = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("test", cli::help(dsl::Msg::HelpTest));
  cmd->add_option("FILE", a->files, cli::help(dsl::Msg::HelpFiles))->required();
  cmd->add_flag("--coverage", a->coverage, cli::help(dsl::Msg::HelpTestCoverage));
  add_reading_option(cmd, a->readings);
  return {cmd, [a] { return cmd_test(a->files, a->coverage, a->readings); }};
}

}  // namespace pol::cli
