// The formatter (pol fmt): the canonical layout of the fixture policy is a fixed point, a copy
// laid out differently formats back to it, comments are kept where they were, and the
// formatted text checks to a policy that gives the same outputs.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "base/calendar.hpp"
#include "check/checker.hpp"
#include "eval/evaluator.hpp"
#include "fixture.hpp"
#include "syntax/format.hpp"
#include "syntax/parser.hpp"

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// Parses `text` (which must parse without errors) and formats it.
std::string formatted(const std::string& text) {
  auto parsed = pol::dsl::parse(std::make_shared<pol::dsl::SourceFile>("fixture.pol", text));
  INFO(pol::test::diagnostics_text(parsed.diagnostics, true));
  REQUIRE(pol::test::diagnostics_text(parsed.diagnostics, true).empty());
  return pol::dsl::format_module(parsed.module);
}

// The fixture laid out otherwise: deeper indentation, blank lines and a comment added.
std::string relaid(const std::string& text) {
  std::string s = replace_all(text, "\n  = ", "\n        = ");
  s = replace_all(s, "\n      when ", "\n   when ");
  s = replace_all(s, "\noutput ", "\n\n\noutput ");
  return replace_all(s, "\nparam rate ", "\n# 费率由通知规定。\nparam rate ");
}

}  // namespace

TEST_SUITE("format") {
  TEST_CASE("the fixture is in the canonical layout: formatting it changes nothing") {
    const std::string text = pol::test::read_text(pol::test::fixture_path());
    CHECK(formatted(text) == text);
  }

  TEST_CASE("another layout formats back to the canonical one, and formatting again changes nothing") {
    const std::string text = pol::test::read_text(pol::test::fixture_path());
    const std::string messy = relaid(text);
    REQUIRE(messy != text);
    const std::string once = formatted(messy);
    CHECK(once == replace_all(text, "\nparam rate ", "\n# 费率由通知规定。\nparam rate "));
    CHECK(formatted(once) == once);
  }

  TEST_CASE("applies when: one line of its own after the reading, before the body") {
    const std::string messy = "policy t \"t\"\ninput a : bool \"a\"\noutput x : bool \"x\" reading \"r\" applies   when  a   and not a = a\n";
    const std::string once = formatted(messy);
    CHECK(once.find("output x : bool \"x\"\n  reading \"r\"\n  applies when a and not a\n  = a\n") != std::string::npos);
    CHECK(formatted(once) == once);
  }

  TEST_CASE("a used file's parameter overridden by its dotted name keeps the name") {
    const std::string messy = "policy t \"t\"\noverride   param  retirement.cap :  months \"c\"\n  24   source \"s\"\n";
    const std::string once = formatted(messy);
    CHECK(once.find("override param retirement.cap : months \"c\"\n  24 source \"s\"\n") != std::string::npos);
    CHECK(formatted(once) == once);
  }

  TEST_CASE("comments are kept, before what follows them") {
    const std::string once = formatted(relaid(pol::test::read_text(pol::test::fixture_path())));
    const auto header = once.find("# 单元测试共用的政策");
    const auto wage = once.find("# 缴费基数按上年度月平均工资的 85% 核定。\nparam avg_wage ");
    const auto rate = once.find("# 费率由通知规定。\nparam rate ");
    const auto branch = once.find("# 男女年限不同。\n      when male then 30");
    CHECK(header == 0);
    CHECK(wage != std::string::npos);
    CHECK(rate != std::string::npos);
    CHECK(branch != std::string::npos);
    CHECK(wage < rate);
  }

  TEST_CASE("the formatted text keeps the meaning: same declarations and the same outputs") {
    const std::string text = relaid(pol::test::read_text(pol::test::fixture_path()));
    auto before = pol::test::load_source(text, "fixture.pol");
    auto after = pol::test::load_source(formatted(text), "fixture.pol");
    REQUIRE(before.policy->rules.size() == after.policy->rules.size());
    REQUIRE(before.policy->inputs.size() == after.policy->inputs.size());
    const std::string json = R"({"gender": "female", "total_years": 20, "gap_days": 91, "delivery_cost": 1000.5})";
    pol::interp::Case ca, cb;
    pol::interp::CaseError err;
    REQUIRE(pol::test::read_json_case(*before.schema, json, ca, err));
    REQUIRE(pol::test::read_json_case(*after.schema, json, cb, err));
    pol::interp::Program pa(*before.policy, pol::parse_date("2025-08-01")), pb(*after.policy, pol::parse_date("2025-08-01"));
    pol::interp::Evaluator ea(pa), eb(pb);
    pol::interp::Outcome oa, ob;
    ea.evaluate(ca, before.policy->outputs(), oa);
    eb.evaluate(cb, after.policy->outputs(), ob);
    REQUIRE_FALSE(oa.error.has_value());
    REQUIRE_FALSE(ob.error.has_value());
    REQUIRE(oa.outputs.size() == 5);
    REQUIRE(oa.outputs.size() == ob.outputs.size());
    for (std::size_t i = 0; i < oa.outputs.size(); ++i) {
      CHECK(before.policy->rules[oa.outputs[i].first].name == after.policy->rules[ob.outputs[i].first].name);
      CHECK(oa.outputs[i].second == ob.outputs[i].second);
    }
  }
}
