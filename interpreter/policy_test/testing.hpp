#pragma once
// `pol test`: runs the test blocks of a checked policy, and measures which branches and
// conditions of the rules the tests exercised (coverage).
#include <string>
#include <vector>

#include "checked/checked.hpp"
#include "program/program.hpp"

namespace pol::interp {

struct TestFailure {
  std::string test, where, message;
};

struct CoverageItem {
  checked::Place place;
  std::string what;  // "branch 2 of retirement_outcome", "condition … seen false"
  bool covered = false;
};

struct TestReport {
  int passed = 0, failed = 0;
  std::vector<std::string> lines;  // one per test, in order
  std::vector<CoverageItem> coverage;
};

// `readings`: settings of reading parameters (--reading) for every test; a test's own
// `reading ID.ALT` wins. Coverage is of the file's own rules, or with `every_file` of the rules
// of the files it extends and uses too.
[[nodiscard]] TestReport run_tests(const checked::Policy& policy, bool coverage,
                                   const std::vector<ParamSetting>& readings = {}, bool every_file = false);

}  // namespace pol::interp
