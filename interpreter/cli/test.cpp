// pol test: run the test blocks of rule files, optionally with coverage.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/common.hpp"
#include "compare/compare.hpp"
#include "policy_test/testing.hpp"

namespace pol::cli {

using namespace pol::interp;

namespace {

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
    if (policy->tests.empty()) fmt::print("{}: no tests: the file has no test blocks\n", f);
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
      // Nothing to cover is not full coverage: say what there is.
      if (policy->tests.empty() || rep.coverage.empty()) {
        fmt::print("{}: {} of {} branches, conditions and rules exercised\ncoverage: {}\n", f, covered, rep.coverage.size(),
                   policy->tests.empty() ? "no tests" : "no rules of its own to cover (its tests exercise what it builds on)");
        continue;
      }
      double pct = 100.0 * static_cast<double>(covered) / static_cast<double>(rep.coverage.size());
      fmt::print("{}: {} of {} branches, conditions and rules exercised\ncoverage: {}%\n", f, covered,
                 rep.coverage.size(), static_cast<int>(pct));
    }
  }
  fmt::print("{} passed, {} failed\n", passed, failed);
  return rule_errors || failed ? code(Exit::RuleErrors) : code(Exit::Ok);
}

}  // namespace

Registered add_test(CLI::App& app) {
  return add_files_command(app, "test", "run the test blocks of rule files", "--coverage",
                           "report the branches and conditions the tests exercised", cmd_test);
}

}  // namespace pol::cli
