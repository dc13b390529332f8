// Conformance: the evaluation paths agree (interpreter/eval/evaluator.hpp states the rule).
//
// For every shipped policy and region (policies/**.pol) and the unit-test fixture, over
// generated cases of four kinds (valid, boundary, missing inputs, overflow), on the case's
// date and on each date where a parameter changes, with the policy's parameters as they are
// and with each numeric parameter set near the decimal limit:
// - the register path gives exactly the reference walk's outcome: each output's value (as
//   printed) or the same error kind, field, message and place; for all outputs at once and
//   for each output alone; with and without validation;
// - the int64 path gives the same outcome whenever it takes the case (it may decline);
// - the traced walk (explanations) gives the same outcome as the untraced one.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/calendar.hpp"
#include "case_generator.hpp"
#include "eval/evaluator.hpp"
#include "fixture.hpp"

namespace {

using pol::checked::Policy;
using pol::interp::Case;
using pol::interp::CaseError;
using pol::interp::CaseSchema;
using pol::interp::EvalError;
using pol::interp::EvalPath;
using pol::interp::Evaluator;
using pol::interp::Outcome;
using pol::interp::ParamSetting;
using pol::interp::Program;
using pol::test::CaseGenerator;

constexpr int kCasesPerMode = 150;

std::vector<std::string> policies_under_test() {
  auto out = pol::test::shipped_policies();
  out.push_back(std::filesystem::relative(pol::test::fixture_path(), POL_SOURCE_DIR).generic_string());
  return out;
}

std::string error_text(const Policy& p, const EvalError& e) {
  std::string where = "-";
  if (e.place.file < p.files.size())
    where = fmt::format("{}:{}", p.file_of(e.place).name(), e.place.range.begin);
  return fmt::format("error kind {} field '{}' at {}: {}", static_cast<int>(e.kind), e.field, where, e.message);
}

// An outcome as text: every output's exact value with its scale, or the error in full.
std::string outcome_text(const Policy& p, const Outcome& o, const std::optional<EvalError>& invalid = std::nullopt) {
  if (invalid) return "invalid: " + error_text(p, *invalid);
  if (o.error) return error_text(p, *o.error);
  std::string s;
  for (const auto& [r, v] : o.outputs) s += fmt::format("{}={}; ", p.rules[r].name, v.to_string());
  return s;
}

// The three paths on one program.
struct Paths {
  explicit Paths(const Program& prog)
      : reference(prog, EvalPath::Reference), registers(prog, EvalPath::Registers), int64(prog, EvalPath::Int64) {}
  Evaluator reference, registers, int64;
};

struct Counts {
  int compared = 0, int64_taken = 0;
};

void compare_paths(const Policy& p, Paths& e, const Case& c, const std::vector<std::uint32_t>& rules, Counts& n,
                   const std::string& what) {
  Outcome ref, reg, whole, traced;
  e.reference.evaluate(c, rules, ref);
  e.registers.evaluate(c, rules, reg);
  e.int64.evaluate(c, rules, whole);
  pol::interp::Trace trace;
  e.reference.evaluate_traced(c, rules, traced, trace);
  const std::string want = outcome_text(p, ref);
  INFO(what);
  CHECK_MESSAGE(outcome_text(p, reg) == want, "registers differ from the reference");
  CHECK_MESSAGE(outcome_text(p, traced) == want, "the traced walk differs from the reference");
  if (e.int64.last_path() == EvalPath::Int64) {
    ++n.int64_taken;
    CHECK_MESSAGE(outcome_text(p, whole) == want, "int64 differs from the reference");
  } else {
    CHECK_MESSAGE(outcome_text(p, whole) == want, "int64 declined, and the registers it fell back on differ");
  }
  std::optional<EvalError> ir, ig, iw;
  Outcome vr, vg, vw;
  e.reference.validate_and_evaluate(c, rules, vr, ir);
  e.registers.validate_and_evaluate(c, rules, vg, ig);
  e.int64.validate_and_evaluate(c, rules, vw, iw);
  const std::string vwant = outcome_text(p, vr, ir);
  CHECK_MESSAGE(outcome_text(p, vg, ig) == vwant, "validate_and_evaluate: registers differ from the reference");
  CHECK_MESSAGE(outcome_text(p, vw, iw) == vwant, "validate_and_evaluate: int64 differs from the reference");
  ++n.compared;
}

// The dates a policy's runs are bound to: each parameter change and the day before it (a used
// file's parameters are checked on that file's own runs).
std::vector<std::optional<int>> run_dates(const Policy& p) {
  std::vector<std::optional<int>> out{std::nullopt};
  for (const auto& prm : p.params)
    for (const auto& v : prm.values)
      if (prm.use < 0 && v.from) {
        out.emplace_back(*v.from);
        out.emplace_back(*v.from - 1);
      }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Each numeric parameter set near the decimal limit, one at a time: overflow in its uses.
std::vector<std::vector<ParamSetting>> settings(const Policy& p) {
  std::vector<std::vector<ParamSetting>> out{{}};
  for (std::uint32_t k = 0; k < p.params.size(); ++k)
    if (p.params[k].type.base == pol::dsl::Base::Number && p.params[k].use < 0)
      out.push_back({{k, p.params[k].type.whole ? pol::Decimal::from_int(999999999999999999)
                                                : pol::Decimal::raw(999999999999999999, 2)}});
  // Each alternative reading other than the one the file takes, one at a time: the rules'
  // alternative bodies and parameters' alternative values on every path.
  for (const auto& rd : p.readings)
    if (p.params[rd.param].use < 0)
      for (std::size_t k = 0; k < rd.alternatives.size(); ++k)
        if (static_cast<int>(k) != rd.taken) out.push_back({{rd.param, pol::checked::Value::from_int(static_cast<std::int64_t>(k))}});
  return out;
}

}  // namespace

TEST_CASE("every path gives the reference walk's outcome on every shipped policy") {
  for (const std::string& rel : policies_under_test()) {
    CAPTURE(rel);
    auto loaded = pol::test::load_file(rel);
    const Policy& p = *loaded.policy;
    const CaseSchema& schema = *loaded.schema;
    // Cases, loaded once.
    std::vector<std::pair<std::string, Case>> cases;
    std::uint32_t seed = 7;
    for (auto mode : {CaseGenerator::Mode::Valid, CaseGenerator::Mode::Boundary, CaseGenerator::Mode::Missing,
                      CaseGenerator::Mode::Overflow}) {
      CaseGenerator gen(p, seed++, mode);
      for (int i = 0; i < kCasesPerMode; ++i) {
        std::string j = gen.next();
        Case c;
        CaseError err;
        if (pol::test::read_json_case(schema, j, c, err)) cases.emplace_back(j, std::move(c));
      }
    }
    REQUIRE(cases.size() > 100);
    const auto all = p.outputs();
    Counts n;
    for (const auto& date : run_dates(p)) {
      for (const auto& sets : settings(p)) {
        Program prog(p, date, sets);
        Paths paths(prog);
        const std::string run = fmt::format("decision date {}, {} parameters set", date ? pol::format_date(*date) : "latest",
                                            sets.size());
        for (std::size_t i = 0; i < cases.size(); ++i) {
          const auto& [json, c] = cases[i];
          // The full set on every case; each output alone on some (each set is compiled apart).
          compare_paths(p, paths, c, all, n, run + ": " + json);
          if (sets.empty() && i % 8 == 0)
            for (std::uint32_t r : all) compare_paths(p, paths, c, {r}, n, run + ", one output: " + json);
        }
      }
    }
    MESSAGE(rel << ": " << n.compared << " outcomes compared, " << n.int64_taken << " taken by the int64 path");
    CHECK(n.int64_taken > 0);
  }
}
