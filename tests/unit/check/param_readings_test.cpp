// Alternative readings on parameter values and a variant's `override reading`: parsing,
// formatting, checking (the codes of each mistake), and what a run under a reading gives.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "base/calendar.hpp"
#include "check/checker.hpp"
#include "compare/compare.hpp"
#include "eval/evaluator.hpp"
#include "fixture.hpp"
#include "policy_test/testing.hpp"
#include "syntax/format.hpp"
#include "syntax/parser.hpp"

using pol::dsl::DiagCode;
using pol::dsl::SourceFile;

namespace {

// A rate read two ways as a whole, and its 2026 value read two ways on its own.
const std::string kRates = R"(policy t "费率读法测试"
  effective 2025-01-01

input wage : money "工资"

param rate : rate "费率" clause "（三）"
  reading X1.low "低读法"
  alternative X1.high "高读法"
    because "另一种断句" = 10%
  5% from 2025-01-01 source "通知（三）"
  6% from 2026-01-01 source "通知（三）"
    reading X2.six "六"
    alternative X2.seven "七"
      because "七也说得通" = 7%

output pay : money "缴费" clause "（三）"
  = round(wage * rate)
)";

pol::dsl::CheckResult check_text(const std::string& src) {
  return pol::dsl::check_source(std::make_shared<SourceFile>("t.pol", src));
}

// The first diagnostic with `code` (the test fails without one), as "CODE: message".
std::string first_with(const pol::dsl::CheckResult& r, DiagCode code) {
  for (const auto& d : r.diagnostics)
    if (d.code == code) return d.message;
  FAIL_CHECK("no ", pol::dsl::code_name(code), " in:\n", pol::test::diagnostics_text(r.diagnostics));
  return {};
}

// pay for wage 1000 on `date`, under the --reading settings `readings`.
std::string pay_on(const pol::checked::Policy& p, const char* date, const std::vector<std::string>& readings) {
  std::vector<pol::interp::ParamSetting> sets;
  for (const auto& s : readings) {
    std::string error;
    auto setting = pol::interp::parse_reading_text(p, s, error);
    REQUIRE_MESSAGE(setting.has_value(), error);
    sets.push_back(*setting);
  }
  pol::interp::Program prog(p, pol::parse_date(date), sets);
  pol::interp::Evaluator ev(prog);
  pol::interp::CaseSchema schema(p);
  pol::interp::Case c;
  pol::interp::CaseError err;
  REQUIRE(pol::test::read_json_case(schema, R"({"wage": 1000})", c, err));
  pol::interp::Outcome out;
  ev.evaluate(c, {static_cast<std::uint32_t>(p.find_rule("pay"))}, out);
  REQUIRE_FALSE(out.error.has_value());
  return out.outputs.at(0).second.to_string();
}


}  // namespace

TEST_SUITE("parameter readings") {
  TEST_CASE("parsed under the parameter and under one dated value, and formatted back unchanged") {
    auto parsed = pol::dsl::parse(std::make_shared<SourceFile>("t.pol", kRates));
    REQUIRE(parsed.diagnostics.empty());
    const auto& m = parsed.module;
    const pol::dsl::ast::ParamDecl* pa = nullptr;
    for (const auto& d : m.decls)
      if (auto x = std::get_if<pol::dsl::ast::ParamDecl>(&d)) pa = x;
    REQUIRE(pa);
    REQUIRE(pa->readings.size() == 1);
    CHECK(pa->readings[0].id.name == "X1");
    CHECK(pa->readings[0].alternatives.at(0).name.name == "high");
    REQUIRE(pa->values.size() == 2);
    CHECK(pa->values[0].readings.empty());
    REQUIRE(pa->values[1].readings.size() == 1);
    CHECK(pa->values[1].readings[0].name.name == "six");
    CHECK(pol::dsl::format_module(m) == kRates);
  }

  TEST_CASE("the value under each reading, by date; a dated value's own reading wins over the parameter's") {
    auto r = check_text(kRates);
    INFO(pol::test::diagnostics_text(r.diagnostics));
    REQUIRE(r.policy.has_value());
    const auto& p = *r.policy;
    CHECK(pay_on(p, "2025-06-01", {}) == "50");
    CHECK(pay_on(p, "2025-06-01", {"X1=high"}) == "100");
    CHECK(pay_on(p, "2026-06-01", {}) == "60");
    CHECK(pay_on(p, "2026-06-01", {"X1=high"}) == "100");  // the parameter's alternative, every date
    CHECK(pay_on(p, "2026-06-01", {"X2=seven"}) == "70");
    CHECK(pay_on(p, "2025-06-01", {"X2=seven"}) == "50");  // 2025's value has no X2 alternative
    CHECK(pay_on(p, "2026-06-01", {"X1=high", "X2=seven"}) == "70");
    // The ambiguities are in the dependency graph: pay depends on both.
    for (const char* id : {"X1", "X2"}) {
      int k = p.find_reading(id);
      REQUIRE(k >= 0);
      auto affected = p.rules_affected_by_param(p.readings[static_cast<std::size_t>(k)].param);
      CHECK(affected.size() == 1);
    }
  }

  TEST_CASE("an alternative value of the wrong type is E0301, as for a rule's alternative") {
    std::string src = kRates;
    src.replace(src.find("= 10%"), 5, "= true");
    auto r = check_text(src);
    CHECK_FALSE(r.policy.has_value());
    CHECK(first_with(r, DiagCode::TypeMismatch).find("under reading X1.high") != std::string::npos);
  }

  TEST_CASE("an alternative naming another ambiguity than its block is E0201") {
    std::string src = kRates;
    src.replace(src.find("alternative X1.high"), 19, "alternative X3.high");
    auto r = check_text(src);
    CHECK_FALSE(r.policy.has_value());
    CHECK(first_with(r, DiagCode::UnknownName).find("X1.high") != std::string::npos);
  }

  TEST_CASE("one ambiguity spans a rule and a parameter") {
    std::string src = kRates + R"(
output doubled : money "两倍" clause "（三）"
  = pay * 2
  reading X1.low "低读法"
  alternative X1.high "高读法"
    because "另一种断句"
  = pay * 3
)";
    auto r = check_text(src);
    INFO(pol::test::diagnostics_text(r.diagnostics));
    REQUIRE(r.policy.has_value());
    const auto& rd = r.policy->readings[static_cast<std::size_t>(r.policy->find_reading("X1"))];
    CHECK(rd.params.size() == 1);
    CHECK(rd.rules.size() == 1);
  }

  TEST_CASE("a test block pins a parameter's reading") {
    std::string src = kRates + R"(
test "高读法" {
  given wage = 1000
  at 2025-06-01
  reading X1.high
  expect pay = 100
}
)";
    auto r = check_text(src);
    INFO(pol::test::diagnostics_text(r.diagnostics));
    REQUIRE(r.policy.has_value());
    REQUIRE(r.policy->tests.size() == 1);
    auto report = pol::interp::run_tests(*r.policy, false);
    CHECK(report.passed == 1);
    CHECK(report.failed == 0);
    // The same expectation without the pin fails: the pin is what makes it pass.
    std::string unpinned = src;
    unpinned.erase(unpinned.find("  reading X1.high\n  expect"), 18);
    auto u = check_text(unpinned);
    REQUIRE(u.policy.has_value());
    CHECK(pol::interp::run_tests(*u.policy, false).failed == 1);
    // The pin is a setting of the ambiguity's parameter.
    REQUIRE(r.policy->tests[0].set.size() == 1);
    CHECK(r.policy->params[r.policy->tests[0].set[0].first].ambiguity >= 0);
  }
}

TEST_SUITE("override reading") {
  TEST_CASE("a variant takes another reading of its base: checked, and the value from the beginning") {
    pol::test::TempDir dir("pol_param_readings");
    dir.write("base.pol", kRates);
    auto good = dir.write("v.pol", R"(policy v "变体"
  extends "base.pol"

override reading X1.high source "某地细则（三）"
)");
    auto r = pol::dsl::check_file(good);
    INFO(pol::test::diagnostics_text(r.diagnostics));
    REQUIRE(r.policy.has_value());
    const auto& rd = r.policy->readings[static_cast<std::size_t>(r.policy->find_reading("X1"))];
    CHECK(rd.taken == 1);
    CHECK(rd.taken_source == "某地细则（三）");
    CHECK(pay_on(*r.policy, "2025-06-01", {}) == "100");
    CHECK(pay_on(*r.policy, "2025-06-01", {"X1=low"}) == "50");  // --reading still chooses

    auto unknown_id = pol::dsl::check_file(dir.write("v2.pol", R"(policy v2 "变体"
  extends "base.pol"

override reading X11.high
)"));
    CHECK_FALSE(unknown_id.policy.has_value());
    auto m = first_with(unknown_id, DiagCode::OverrideWithoutBase);
    CHECK(m.find("did you mean 'X1'") != std::string::npos);

    auto unknown_alt = pol::dsl::check_file(dir.write("v3.pol", R"(policy v3 "变体"
  extends "base.pol"

override reading X1.hihg
)"));
    CHECK_FALSE(unknown_alt.policy.has_value());
    CHECK(first_with(unknown_alt, DiagCode::UnknownEnumValue).find("X1.high") != std::string::npos);
  }

  TEST_CASE("a file cannot choose a reading of its own ambiguity, nor one twice") {
    auto own = check_text(kRates + "\noverride reading X1.high\n");
    CHECK_FALSE(own.policy.has_value());
    CHECK(first_with(own, DiagCode::OverrideWithoutBase).find("declared in this file") != std::string::npos);

    pol::test::TempDir dir("pol_param_readings");
    dir.write("base.pol", kRates);
    auto twice = pol::dsl::check_file(dir.write("v.pol", R"(policy v "变体"
  extends "base.pol"

override reading X1.high
override reading X1.low
)"));
    CHECK_FALSE(twice.policy.has_value());
    CHECK(first_with(twice, DiagCode::DuplicateDefinition).find("twice") != std::string::npos);
  }
}

TEST_SUITE("--reading for several files") {
  TEST_CASE("applies where the ambiguity is; an id no file has or an unknown alternative is an error") {
    auto a = check_text(kRates);
    auto b = pol::dsl::check_source(std::make_shared<SourceFile>("b.pol", R"(policy b "无读法"
input wage : money "工资"
output pay : money "缴费"
  = wage
)"));
    REQUIRE(a.policy.has_value());
    REQUIRE(b.policy.has_value());
    std::vector<const pol::checked::Policy*> both{&*a.policy, &*b.policy};
    std::string error;
    auto ok = pol::interp::reading_settings_for_each(both, {"X1=high"}, error);
    REQUIRE(ok.has_value());
    CHECK((*ok)[0].size() == 1);
    CHECK((*ok)[1].empty());
    CHECK_FALSE(pol::interp::reading_settings_for_each(both, {"X9=high"}, error).has_value());
    CHECK(error.find("did you mean 'X1'") != std::string::npos);
    CHECK_FALSE(pol::interp::reading_settings_for_each(both, {"X1=hihg"}, error).has_value());
    CHECK(error.find("did you mean 'high'") != std::string::npos);
  }
}

TEST_SUITE("pol diff of parameter readings") {
  TEST_CASE("another value under a reading is a change of the parameter; the same values are none") {
    auto a = check_text(kRates);
    std::string other = kRates;
    other.replace(other.find("= 10%"), 5, "= 12%");
    auto b = check_text(other), same = check_text(kRates);
    REQUIRE(a.policy.has_value());
    REQUIRE(b.policy.has_value());
    REQUIRE(same.policy.has_value());
    auto changes = pol::interp::static_diff(*a.policy, *b.policy, std::nullopt);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].kind == "param");
    CHECK(changes[0].name == "rate");
    CHECK(changes[0].affects == std::vector<std::string>{"pay"});
    CHECK(pol::interp::static_diff(*a.policy, *same.policy, std::nullopt).empty());
  }
}
