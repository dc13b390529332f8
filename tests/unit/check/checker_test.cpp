// The checker: one test per diagnostic it can emit, each on a small realistic policy, plus
// what a clean file gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "check/checker.hpp"
#include "fixture.hpp"

using pol::dsl::CheckResult;
using pol::dsl::DiagCode;
using pol::dsl::Diagnostic;
using pol::dsl::Severity;
using pol::dsl::SourceFile;

namespace {

// A small policy in the style of the shipped ones; each test appends what it needs.
const std::string kBase = std::string(R"(policy t "灵活就业人员医保测试"
  issuer "测试局"
  effective 2025-04-01

)") + pol::test::kEnums + R"(
input mode : Mode "参保模式" default combined clause "（二）"
input gender : Gender "性别" clause "（五）"
input total_years : years "累计缴费年限" default 0 min 0 clause "（五）"
input gap_days : days "中断缴费天数" default 0 min 0 clause "（九）"

param base : money "缴费基数" clause "（三）"
  6223.77 from 2025-04-01 source "通知（三）"

param employer_rate : rate "单位费率" clause "（三）"
  7% from 2025-04-01 source "通知（三）"

param max_gap_days : days "允许中断天数" clause "（九）"
  90 from 2025-04-01 source "通知（九）"

output monthly : money "月缴费额" clause "（三）"
  = round(base * employer_rate)

output required_years : years "应缴年限" clause "（五）"
  = match gender
      when male then 30
      when female then 25

output kept : bool "视为连续参保" clause "（九）"
  = gap_days <= max_gap_days and mode == combined and total_years >= 0
)";

CheckResult check_text(const std::string& src, const std::string& name = "t.pol") {
  return pol::dsl::check_source(std::make_shared<SourceFile>(name, src));
}

std::string rendered(const CheckResult& r) {
  std::string s = pol::test::diagnostics_text(r.diagnostics);
  return s.empty() ? "(no diagnostics)\n" : s;
}

// Checks `src` and requires a diagnostic with `code`; prints every diagnostic on failure.
// Returns a copy of the first one with that code (default-constructed if none).
Diagnostic expect_diag(const std::string& src, DiagCode code, const std::string& name = "t.pol") {
  CheckResult r = check_text(src, name);
  const Diagnostic* found = nullptr;
  for (const auto& d : r.diagnostics)
    if (d.code == code && !found) found = &d;
  INFO("expected ", pol::dsl::code_name(code), "; got:\n", rendered(r));
  CHECK(found != nullptr);
  bool is_error = code < DiagCode::UnusedInput;
  if (is_error) CHECK_FALSE(r.policy.has_value());
  return found ? *found : Diagnostic{};
}

// Requires a clean file: a policy and no errors.
pol::checked::Policy check_ok(const std::string& src) {
  CheckResult r = check_text(src);
  INFO(rendered(r));
  REQUIRE(r.policy.has_value());
  CHECK_FALSE(pol::dsl::has_errors(r.diagnostics));
  return std::move(*r.policy);
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The text a diagnostic points at.
std::string at(const Diagnostic& d) {
  if (!d.file) return "";
  return std::string(d.file->slice(d.range));
}

}  // namespace

TEST_SUITE("checker") {
  TEST_CASE("a clean file yields a policy") {
    auto p = check_ok(kBase);
    CHECK(p.header.name == "t");
    CHECK(p.header.title == "灵活就业人员医保测试");
    CHECK(p.header.issuer == "测试局");
    CHECK(p.enums.size() == 2);
    CHECK(p.inputs.size() == 4);
    CHECK(p.params.size() == 3);
    CHECK(p.outputs().size() == 3);
    CHECK(p.find_input("gap_days") == 3);
    CHECK(p.find_param("employer_rate") == 1);
    CHECK(p.find_rule("kept") == 2);
    CHECK(p.find_rule("nope") == -1);
    CHECK(p.inputs[0].default_value.has_value());
    CHECK_FALSE(p.inputs[1].default_value.has_value());
    CHECK(p.params[1].values.at(0).value.to_string() == "0.07");
    // The dependency graph: kept reads two inputs... and one parameter.
    int kept = p.find_rule("kept");
    CHECK(p.rule_params[kept].size() == 1);
    CHECK(p.rule_inputs[kept].size() == 3);
    auto affected = p.rules_affected_by_param(static_cast<std::uint32_t>(p.find_param("base")));
    CHECK(affected == std::vector<std::uint32_t>{static_cast<std::uint32_t>(p.find_rule("monthly"))});
    auto r = check_text(kBase);
    CHECK(r.diagnostics.empty());
  }

  TEST_CASE("param.NAME works when an output shares the parameter's name") {
    auto p = check_ok(kBase + R"(
param waiting_period_months : months "待遇等待期（月）" clause "（七）"
  6 source "指导意见（七）"

input first_enrollment : bool "首次参保" default false clause "（七）"

output waiting_period_months : months "待遇等待期（月）" clause "（七）"
  = when first_enrollment then param.waiting_period_months
    otherwise 0
)");
    int r = p.find_rule("waiting_period_months");
    int pa = p.find_param("waiting_period_months");
    REQUIRE(r >= 0);
    REQUIRE(pa >= 0);
    CHECK(p.rule_params[r] == std::vector<std::uint32_t>{static_cast<std::uint32_t>(pa)});
    // A bare name refers to the output; param.NAME with a typo is an unknown name.
    auto d = expect_diag(kBase + R"(
param waiting_period_months : months "待遇等待期（月）"
  6 source "s"
output waiting_period_months : months "待遇等待期（月）" = param.waiting_period_month
)",
                         DiagCode::UnknownName);
    CHECK(contains(d.message, "did you mean 'param.waiting_period_months'?"));
  }

  TEST_CASE("E0201 unknown name, with did-you-mean") {
    auto d = expect_diag(kBase + R"(
output short : bool "年限不足" clause "（五）"
  = total_yeras < required_years
)",
                         DiagCode::UnknownName);
    CHECK(d.message == "unknown name 'total_yeras'; did you mean 'total_years'?");
    CHECK(at(d) == "total_yeras");
    // Unknown type and unknown enum qualifier are E0201 as well.
    auto t = expect_diag(kBase + "input x : yaers \"年\"\n", DiagCode::UnknownName);
    CHECK(contains(t.message, "unknown type 'yaers'; did you mean 'years'?"));
    auto q = expect_diag(kBase + "output y : bool \"y\" = mode == Mdoe.combined\n", DiagCode::UnknownName);
    CHECK(contains(q.message, "unknown enum 'Mdoe'; did you mean 'Mode'?"));
    // Far from every name: no suggestion.
    auto far = expect_diag(kBase + "output z : bool \"z\" = zzzzzzzz\n", DiagCode::UnknownName);
    CHECK(far.message == "unknown name 'zzzzzzzz'");
  }

  TEST_CASE("E0202 duplicate definition") {
    auto d = expect_diag(kBase + "input total_years : years \"又一个累计年限\" default 0\n", DiagCode::DuplicateDefinition);
    CHECK(d.message == "'total_years' is declared twice");
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].message == "first declared here");
    CHECK(d.file->line_col(d.notes[0].range.begin).line == 17);
    expect_diag(kBase + "enum Mode \"模式\" { a \"甲\" }\n", DiagCode::DuplicateDefinition);
    auto v = expect_diag(kBase + "enum Twice \"重复\" {\n  a \"甲\"\n  a \"乙\"\n}\n", DiagCode::DuplicateDefinition);
    CHECK(contains(v.message, "'a' is listed twice in enum 'Twice'"));
    expect_diag(kBase + "param gap_days : days \"天\"\n  1 source \"s\"\n", DiagCode::DuplicateDefinition);
  }

  TEST_CASE("E0203 override without a base declaration") {
    auto d = expect_diag(kBase + "override param employer_rat : rate \"单位费率\"\n  6% source \"s\"\n",
                         DiagCode::OverrideWithoutBase);
    CHECK(contains(d.message, "'employer_rat' overrides nothing"));
    CHECK(contains(d.message, "did you mean 'employer_rate'?"));
    expect_diag(kBase + "override output monthy : money \"月缴\" = 1\n", DiagCode::OverrideWithoutBase);
  }

  TEST_CASE("E0204 redefinition without override, E0305 override changing kind (two files)") {
    pol::test::TempDir dir("pol_checker_test");
    dir.write("base.pol", kBase);
    std::string variant = dir.write("regions/v.pol", R"(policy v "长春变体"
  extends "../base.pol"

param employer_rate : rate "长春单位费率" clause "（三）"
  6.5% from 2025-04-01 source "长春文件"

override let kept : bool "视为连续参保" = true
)");
    auto r = pol::dsl::check_file(variant);
    INFO(rendered(r));
    CHECK_FALSE(r.policy.has_value());
    const Diagnostic* redefined = nullptr;
    const Diagnostic* changed = nullptr;
    for (const auto& d : r.diagnostics) {
      if (d.code == DiagCode::RedefinitionWithoutOverride) redefined = &d;
      if (d.code == DiagCode::OverrideTypeChanged) changed = &d;
    }
    REQUIRE(redefined);
    CHECK(contains(redefined->message, "write 'override param …'"));
    CHECK(redefined->file->name() == variant);
    REQUIRE(redefined->notes.size() == 1);
    CHECK(contains(redefined->notes[0].file->name(), "base.pol"));
    REQUIRE(changed);
    CHECK(contains(changed->message, "'kept' is an output in the base file"));

    // A correct variant: the override replaces the base's parameter.
    std::string good = dir.write("regions/ok.pol", R"(policy ok "长春"
  extends "../base.pol"

override param employer_rate : rate "长春单位费率" clause "（三）"
  6.5% from 2025-04-01 source "长春文件"
)");
    auto ok = pol::dsl::check_file(good);
    INFO(rendered(ok));
    REQUIRE(ok.policy.has_value());
    const auto& pa = ok.policy->params.at(static_cast<std::size_t>(ok.policy->find_param("employer_rate")));
    CHECK(pa.overridden);
    CHECK(pa.values.at(0).value.to_string() == "0.065");
    CHECK(ok.policy->bases.size() == 1);
    CHECK(ok.policy->bases[0].name == "t");
  }

  TEST_CASE("a variant overrides a used file's parameter by its dotted name") {
    pol::test::TempDir dir("pol_checker_test");
    const std::string nat = R"(policy nat "国家文件"

input age : int "年龄" default 0 min 0

param cap : months "上限" clause "第一条"
  36 FROMsource "国家文件第一条"

output capped : months "上限内的月数" clause "第一条"
  = min(cap, age * 1 months)
)";
    auto write_nat = [&](const std::string& from) {
      std::string text = nat;
      dir.write("nat.pol", text.replace(text.find("FROM"), 4, from));
    };
    write_nat("");
    dir.write("base.pol", R"(policy b "省级文件"
  effective 2025-04-01

use "nat.pol" as nat

output months_allowed : months "允许月数" clause "（一）"
  = nat.capped
)");
    auto variant = [&](const std::string& name, const std::string& decls) {
      return pol::dsl::check_file(
          dir.write("regions/" + name + ".pol", "policy " + name + " \"变体\"\n  extends \"../base.pol\"\n\n" + decls));
    };
    auto ok = variant("ok", "override param nat.cap : months \"上限（本地）\" clause \"第一条\"\n"
                            "  24 from 2025-04-01 source \"本地文件\"\n");
    INFO(rendered(ok));
    REQUIRE(ok.policy.has_value());
    const int slot = ok.policy->find_param("nat.cap");
    REQUIRE(slot >= 0);
    const auto& pa = ok.policy->params[static_cast<std::size_t>(slot)];
    CHECK(pa.overridden);
    CHECK(pa.use == -1);  // the variant's own now, with its own source and place
    CHECK(pa.place.file == 0);
    REQUIRE(pa.values.size() == 1);
    CHECK(pa.values[0].value.to_string() == "24");
    CHECK(pa.values[0].source == "本地文件");
    // The dependency graph sees through the use: the using file's output moves with it.
    auto affected = ok.policy->rules_affected_by_param(static_cast<std::uint32_t>(slot));
    CHECK(std::find(affected.begin(), affected.end(), ok.policy->find_rule("months_allowed")) != affected.end());

    auto first = [](const CheckResult& r, DiagCode code) {
      for (const auto& d : r.diagnostics)
        if (d.code == code) return d;
      return Diagnostic{};
    };
    auto type = variant("type", "override param nat.cap : days \"上限\"\n  24 source \"s\"\n");
    CHECK_FALSE(type.policy.has_value());
    CHECK(contains(first(type, DiagCode::OverrideTypeChanged).message, "'nat.cap' is months in the base file"));
    auto bare = variant("bare", "param nat.cap : months \"上限\"\n  24 source \"s\"\n");
    CHECK(contains(first(bare, DiagCode::RedefinitionWithoutOverride).message, "only 'override param nat.cap'"));
    auto alias = variant("alias", "override param nta.cap : months \"上限\"\n  24 source \"s\"\n");
    CHECK(contains(first(alias, DiagCode::UnknownName).message, "'nta' is not the name of a used file"));
    CHECK(contains(first(alias, DiagCode::UnknownName).message, "did you mean 'nat'?"));
    auto typo = variant("typo", "override param nat.cpa : months \"上限\"\n  24 source \"s\"\n");
    CHECK(contains(first(typo, DiagCode::OverrideWithoutBase).message, "did you mean 'nat.cap'?"));
    auto undotted = variant("undotted", "override param cap : months \"上限\"\n  24 source \"s\"\n");
    CHECK(contains(first(undotted, DiagCode::OverrideWithoutBase).message, "did you mean 'nat.cap'?"));
    auto twice = variant("twice", "override param nat.cap : months \"上限\"\n  24 source \"s\"\n\n"
                                  "override param nat.cap : months \"上限\"\n  20 source \"s\"\n");
    CHECK(first(twice, DiagCode::DuplicateDefinition).code == DiagCode::DuplicateDefinition);
    // A dated override that leaves the used file's earlier dates uncovered is warned of (W0504).
    write_nat("from 2020-01-01 ");
    auto gap = variant("gap", "override param nat.cap : months \"上限\"\n  24 from 2026-01-01 source \"s\"\n\n"
                              "test \"t\" {\n  given age = 30\n  at 2026-02-01\n  expect months_allowed = 24\n}\n");
    INFO(rendered(gap));
    CHECK(gap.policy.has_value());
    CHECK(contains(first(gap, DiagCode::OverrideGap).message, "the override of 'nat.cap' starts on 2026-01-01"));
  }

  TEST_CASE("a bound input keeps every later rule's applies-when in place") {
    pol::test::TempDir dir("pol_checker_test");
    dir.write("nat.pol", "policy nat \"国家文件\"\n\ninput age : int \"年龄\" default 0 min 0\n\n"
                         "output doubled : int \"两倍\" = age * 2\n");
    std::string base = dir.write("bound.pol", R"(policy b "省级文件"

use "nat.pol" as nat
  with age = 3

input flag : bool "标记" default false

output shown : int "结果" clause "（一）"
  applies when flag
  = nat.doubled
)");
    auto r = pol::dsl::check_file(base);
    INFO(rendered(r));
    REQUIRE(r.policy.has_value());
    const auto& shown = r.policy->rules.at(static_cast<std::size_t>(r.policy->find_rule("shown")));
    CHECK(shown.applies != pol::checked::kNoNode);
    const auto& bound = r.policy->rules.at(static_cast<std::size_t>(r.policy->find_rule("nat.age")));
    CHECK(bound.applies == pol::checked::kNoNode);
    CHECK(r.policy->rules.at(static_cast<std::size_t>(r.policy->find_rule("nat.doubled"))).applies == pol::checked::kNoNode);
  }

  TEST_CASE("E0206 a base file that cannot be read" ) {
    auto d = expect_diag("policy v \"变体\"\n  extends \"no_such_base.pol\"\n", DiagCode::BaseFileError);
    CHECK(contains(d.message, "cannot open"));
    CHECK(at(d) == "\"no_such_base.pol\"");
    auto r = pol::dsl::check_file("/nonexistent/dir/x.pol");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == DiagCode::BaseFileError);
    CHECK(r.diagnostics[0].file == nullptr);
  }

  TEST_CASE("E0205 unknown enum value") {
    auto d = expect_diag(kBase + "output p : bool \"统账\" = mode == comined\n", DiagCode::UnknownEnumValue);
    CHECK(d.message == "'comined' is not a value of Mode (参保模式); did you mean 'combined'?");
    auto q = expect_diag(kBase + "output p : bool \"统账\" = mode in {combined, poolingonly}\n", DiagCode::UnknownEnumValue);
    CHECK(at(q) == "poolingonly");
    expect_diag(kBase + "output p : bool \"性别\" = gender == Gender.man\n", DiagCode::UnknownEnumValue);
  }

  TEST_CASE("applies when: a condition on the rule, outside its dependency graph; not a condition is E0303") {
    auto r = check_text(kBase + "output pay : money \"p\"\n  applies when gap_days > 0 and mode == combined\n  = monthly\n");
    REQUIRE(r.policy.has_value());
    const auto& p = *r.policy;
    auto pay = static_cast<std::size_t>(p.find_rule("pay"));
    CHECK(p.rules[pay].applies != pol::checked::kNoNode);
    CHECK(p.rules[static_cast<std::size_t>(p.find_rule("monthly"))].applies == pol::checked::kNoNode);
    CHECK(p.rule_inputs[pay].empty());  // gap_days and mode are read by the condition only
    auto d = expect_diag(kBase + "output pay : money \"p\"\n  applies when total_years\n  = monthly\n", DiagCode::NotABoolean);
    CHECK(d.message.find("where 'pay' applies") != std::string::npos);
  }

  TEST_CASE("E0301 type mismatch") {
    auto d = expect_diag(kBase + "output p : bool \"p\" = total_years\n", DiagCode::TypeMismatch);
    CHECK(d.message == "the value of 'p' must be bool, but this is years");
    auto e = expect_diag(kBase + "output p : bool \"p\" = mode == Gender.male\n", DiagCode::TypeMismatch);
    CHECK(e.message == "cannot compare Mode with Gender");
    expect_diag(kBase + "output p : bool \"p\" = gap_days in {combined}\n", DiagCode::TypeMismatch);
    auto w = expect_diag(kBase + "output p : days \"p\" = gap_days / 2\n", DiagCode::TypeMismatch);
    CHECK(contains(w.message, "must be a whole number (days)"));
  }

  TEST_CASE("E0302 unit mismatch: money + days") {
    auto d = expect_diag(kBase + "output p : money \"p\" = monthly + gap_days\n", DiagCode::UnitMismatch);
    CHECK(d.message == "cannot add money and days");
    CHECK(at(d) == "monthly + gap_days");
    auto c = expect_diag(kBase + "output p : bool \"p\" = total_years > gap_days\n", DiagCode::UnitMismatch);
    CHECK(c.message == "cannot compare years with days");
    auto m = expect_diag(kBase + "output p : money \"p\" = monthly * monthly\n", DiagCode::UnitMismatch);
    CHECK(m.message == "cannot multiply money and money");
    // But years × money is money, and money / money is a plain number.
    check_ok(kBase + "output p : money \"p\" = total_years * monthly\noutput q : decimal \"q\" = monthly / base\n");
  }

  TEST_CASE("E0303 a condition that is not a boolean") {
    auto d = expect_diag(kBase + "output p : money \"p\" = when total_years then 1 otherwise 0\n", DiagCode::NotABoolean);
    CHECK(at(d) == "total_years");
    CHECK(contains(d.message, "write a comparison"));
    auto a = expect_diag(kBase + "output p : bool \"p\" = total_years > 1 and gap_days\n", DiagCode::NotABoolean);
    CHECK(a.message == "the right side of 'and' must be bool, but this is days; write a comparison such as '… > 0'");
    expect_diag(kBase + "output p : bool \"p\" = not monthly\n", DiagCode::NotABoolean);
  }

  TEST_CASE("a condition that is not a boolean is rejected at the condition") {
    auto r = check_text(kBase + "output p : money \"p\" = when total_years then 1 otherwise 0\n");
    INFO(rendered(r));
    CHECK_FALSE(r.policy.has_value());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(at(r.diagnostics[0]) == "total_years");
    CHECK(contains(r.diagnostics[0].message, "the condition of 'when' must be bool, but this is years"));
  }

  TEST_CASE("E0304 bad call") {
    auto d = expect_diag(kBase + "output p : money \"p\" = round(monthly, 19)\n", DiagCode::BadCall);
    CHECK(contains(d.message, "whole number from 0 to 18"));
    auto m = expect_diag(kBase + "output p : money \"p\" = min(monthly)\n", DiagCode::BadCall);
    CHECK(m.message == "min(…) needs at least two arguments");
    expect_diag(kBase + "output p : money \"p\" = round(monthly, 2, 3)\n", DiagCode::BadCall);
    expect_diag(kBase + "output p : money \"p\" = as_of(total_years, monthly)\n", DiagCode::BadCall);
  }

  TEST_CASE("E0305 an override changes what it overrides (two files)") {
    pol::test::TempDir dir("pol_checker_test");
    dir.write("base.pol", kBase);
    std::string v = dir.write("regions/kind.pol", R"(policy kind "变体"
  extends "../base.pol"

override let monthly : money "月缴费额" = 1

override input max_gap_days : days "允许中断天数" default 0
)");
    auto r = pol::dsl::check_file(v);
    INFO(rendered(r));
    CHECK_FALSE(r.policy.has_value());
    std::vector<std::string> msgs;
    for (const auto& d : r.diagnostics)
      if (d.code == DiagCode::OverrideTypeChanged) msgs.push_back(d.message);
    REQUIRE(msgs.size() == 2);
    CHECK(contains(msgs[0], "'monthly' is an output in the base file; an override keeps it so"));
    CHECK(contains(msgs[1], "'max_gap_days' is a param in the base file and cannot be overridden by"));
  }

  TEST_CASE("an override in the file that declares the name is a duplicate") {
    auto d = expect_diag(kBase + "override let monthly : money \"月缴费额\" = 1\n", DiagCode::DuplicateDefinition);
    CHECK(d.message == "'monthly' is declared twice");
  }

  TEST_CASE("E0305 an override changing the type") {
    pol::test::TempDir dir("pol_checker_test");
    dir.write("base.pol", kBase);
    std::string v = dir.write("regions/type.pol", R"(policy type "变体"
  extends "../base.pol"

override output kept : money "视为连续参保" = 1
)");
    auto r = pol::dsl::check_file(v);
    INFO(rendered(r));
    bool found = false;
    for (const auto& d : r.diagnostics)
      if (d.code == DiagCode::OverrideTypeChanged) {
        found = true;
        CHECK(d.message == "'kept' is bool in the base file; an override must keep that type, but this one is money");
        REQUIRE(d.notes.size() == 1);
        CHECK(contains(d.notes[0].file->name(), "base.pol"));
      }
    CHECK(found);
  }

  TEST_CASE("E0401 cycle, and the message names the cycle") {
    auto d = expect_diag(kBase + R"(
let a : money "甲" = b + 1
let b : money "乙" = a * 2
output c : money "丙" = a
)",
                         DiagCode::Cycle);
    CHECK(contains(d.message, "a → b → a"));
    REQUIRE(d.notes.size() == 1);
    CHECK(contains(d.notes[0].message, "'b' is part of the cycle"));
    auto self = expect_diag(kBase + "let s : money \"自身\" = s + 1\noutput o : money \"o\" = s\n", DiagCode::Cycle);
    CHECK(contains(self.message, "s → s"));
  }

  TEST_CASE("E0402 match missing a value; chain without otherwise") {
    auto d = expect_diag(kBase + R"(
output rate : rate "费率"
  = match mode
      when combined then 9.5%
)",
                         DiagCode::NonExhaustiveMatch);
    CHECK(contains(d.message, "does not handle pooling_only (单建统筹)"));
    auto c = expect_diag(kBase + R"(
output lump : money "趸缴"
  = when total_years < 30 then monthly * 12
)",
                         DiagCode::NonExhaustiveMatch);
    CHECK(contains(c.message, "end it with 'otherwise …'"));
    // otherwise makes both complete.
    check_ok(kBase + "output r : rate \"费率\" = match mode when combined then 9.5% otherwise 6.1%\n");
  }

  TEST_CASE("E0403 duplicate branch") {
    auto d = expect_diag(kBase + R"(
output rate : rate "费率"
  = match mode
      when combined then 9.5%
      when pooling_only, combined then 6.1%
)",
                         DiagCode::DuplicateBranch);
    CHECK(d.message == "'combined' is already handled by an earlier branch of this match");
    CHECK(at(d) == "combined");
    CHECK(d.file->line_col(d.range.begin).line == d.file->line_count() - 1);
  }

  TEST_CASE("E0404 bad parameter values") {
    auto d = expect_diag(kBase + "param cap : money \"上限\" clause \"（六）\"\noutput o : money \"o\" = cap\n",
                         DiagCode::BadParamValues);
    CHECK(contains(d.message, "parameter 'cap' has no value"));
    auto two = expect_diag(kBase + R"(
param cap : money "上限"
  100 from 2025-04-01 source "a"
  200 from 2025-04-01 source "b"
output o : money "o" = cap
)",
                           DiagCode::BadParamValues);
    CHECK(contains(two.message, "two values from the same date"));
    expect_diag(kBase + "enum Empty \"空\" {\n}\n", DiagCode::BadParamValues);
  }

  TEST_CASE("E0405 bad test") {
    auto d = expect_diag(kBase + R"(
test "缺少期望" clause "（三）" {
  given mode = combined
}
)",
                         DiagCode::BadTest);
    CHECK(contains(d.message, "expects nothing"));
    auto u = expect_diag(kBase + R"(
test "未知输入" {
  given totl_years = 3
  expect monthly = 435.66
}
)",
                         DiagCode::BadTest);
    CHECK(u.message == "'totl_years' is not an input of this policy; did you mean 'total_years'?");
    expect_diag(kBase + "test \"t\" {\n  set base_x = 1\n  expect monthly = 1\n}\n", DiagCode::BadTest);
    expect_diag(kBase + "test \"t\" {\n  expect monthy = 1\n}\n", DiagCode::BadTest);
  }

  TEST_CASE("a test whose expectation has an error is not also said to expect nothing") {
    auto r = check_text(kBase + "test \"t\" {\n  expect monthy = 1\n}\n");
    INFO(rendered(r));
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(contains(r.diagnostics[0].message, "'monthy' is not an output or let"));
  }

  TEST_CASE("E0406 missing header") {
    auto d = expect_diag("input a : bool \"甲\"\noutput b : bool \"乙\" = a\n", DiagCode::MissingHeader);
    CHECK(contains(d.message, "policy NAME \"TITLE\""));
    CHECK(d.range.begin == 0);
  }

  TEST_CASE("E0104 bad literal") {
    expect_diag(kBase + "param p : rate \"p\"\n  1% from 2025-02-30 source \"s\"\noutput o : rate \"o\" = p\n",
                DiagCode::BadLiteral);
    expect_diag(kBase + "output o : days \"o\" = 1.5 days\n", DiagCode::BadLiteral);
    expect_diag(kBase + "input i : money \"i\" default base\n", DiagCode::TypeMismatch);
    // A rate above 1 without '%' is a percentage missing its sign.
    auto r = expect_diag(kBase + "param p : rate \"p\"\n  6.5 source \"s\"\noutput o : rate \"o\" = p\n",
                         DiagCode::BadLiteral);
    CHECK(r.message == "the value of 'p' is a rate: '6.5' would be 650%; write '6.5%' (or '650%' if that is really meant)");
    check_ok(kBase + "param p : rate \"p\"\n  6.5% source \"s\"\noutput o : rate \"o\" = p\n");
    check_ok(kBase + "param p : rate \"p\"\n  0.065 source \"s\"\noutput o : rate \"o\" = p\n");
  }

  TEST_CASE("a parameter value whose date is bad is not also a duplicate date") {
    auto r = check_text(kBase + "param p : money \"p\"\n  1.00 from 1899-12-31 source \"a\"\n  2.00 from 2025-02-30 source \"b\"\n"
                                "output o : money \"o\" = p\n");
    INFO(rendered(r));
    CHECK_FALSE(r.policy.has_value());
    for (const auto& d : r.diagnostics) CHECK(d.code != DiagCode::BadParamValues);
  }

  TEST_CASE("parse_value: a rate above 1 without '%' is refused with a hint") {
    auto r = check_text(kBase + "param p : rate \"p\"\n  6.5% source \"s\"\noutput o : rate \"o\" = p\n");
    REQUIRE(r.policy);
    const auto& pol = *r.policy;
    int slot = pol.find_param("p");
    REQUIRE(slot >= 0);
    std::string why;
    CHECK_FALSE(pol::dsl::parse_value(pol, pol.params[slot].type, "6.5", why));
    CHECK(contains(why, "would be 650%; write '6.5%'"));
    auto v = pol::dsl::parse_value(pol, pol.params[slot].type, "6.5%", why);
    REQUIRE(v);
    CHECK(v->to_string() == "0.065");
    CHECK(pol::dsl::parse_value(pol, pol.params[slot].type, "2/3", why));
    CHECK(pol::dsl::parse_value(pol, pol.params[slot].type, "1", why));
  }

  TEST_CASE("W0501 unused input, W0502 unused parameter, W0503 placeholder") {
    std::string src = kBase + R"(
input has_employees : bool "有雇工" default false clause "（一）"

param spare_rate : rate "备用费率" clause "（三）"
  1% from 2025-04-01 source "s"

param maternity_rate : rate "生育费率" clause "（三）"
  0.5% from 2025-04-01 placeholder "待统筹地区设定"

output maternity : money "生育费" = round(base * maternity_rate)
)";
    auto r = check_text(src);
    INFO(rendered(r));
    REQUIRE(r.policy.has_value());  // warnings only
    auto in = expect_diag(src, DiagCode::UnusedInput);
    CHECK(in.severity == Severity::Warning);
    CHECK(in.message == "input 'has_employees' (有雇工) is not used by any rule");
    auto pa = expect_diag(src, DiagCode::UnusedParam);
    CHECK(pa.severity == Severity::Warning);
    CHECK(pa.message == "parameter 'spare_rate' (备用费率) is not used by any rule");
    auto ph = expect_diag(src, DiagCode::Placeholder);
    CHECK(ph.severity == Severity::Warning);
    CHECK(ph.message == "'maternity_rate' = 0.5% is a placeholder, not a confirmed figure: 待统筹地区设定");
    CHECK(at(ph) == "0.5%");
    CHECK(pol::dsl::code_name(DiagCode::Placeholder) == "W0503");
  }

  TEST_CASE("every problem of a file is reported in one run, sorted by position") {
    auto r = check_text(kBase + R"(
output x : money "x" = monthly + gap_days
output y : bool "y" = mode == comined
output z : bool "z" = unknown_thing
)");
    INFO(rendered(r));
    REQUIRE(r.diagnostics.size() == 3);
    CHECK(r.diagnostics[0].code == DiagCode::UnitMismatch);
    CHECK(r.diagnostics[1].code == DiagCode::UnknownEnumValue);
    CHECK(r.diagnostics[2].code == DiagCode::UnknownName);
    CHECK(r.diagnostics[0].range.begin < r.diagnostics[1].range.begin);
  }

  TEST_CASE("render shows file, line, column, code, the line and a caret") {
    auto d = expect_diag(kBase + "output p : money \"月\" = monthly + gap_days\n", DiagCode::UnitMismatch);
    std::string s = pol::dsl::render(d);
    int line = static_cast<int>(d.file->line_count()) - 1;
    CHECK(s.find("t.pol:" + std::to_string(line) + ":24: error: cannot add money and days [E0302]\n") == 0);
    CHECK(contains(s, "| output p : money \"月\" = monthly + gap_days\n"));
    // The label holds one wide character: the caret sits 24 cells in (23 characters, one of them wide).
    CHECK(contains(s, "| " + std::string(24, ' ') + "^" + std::string(17, '~') + "\n"));
  }

  TEST_CASE("did_you_mean") {
    using pol::dsl::did_you_mean;
    CHECK(did_you_mean("totl_years", {"total_years", "gap_days"}) == std::optional<std::string>("total_years"));
    CHECK_FALSE(did_you_mean("xyz", {"total_years", "gap_days"}).has_value());
    CHECK_FALSE(did_you_mean("a", {}).has_value());
    // Labels: one edit a character, not a byte.
    CHECK(did_you_mean("单建统", {"统账结合", "单建统筹"}) == std::optional<std::string>("单建统筹"));
    CHECK(did_you_mean("女性", {"男", "女"}) == std::optional<std::string>("女"));
  }

  TEST_CASE("an enum value written as its label") {
    auto p = check_ok(kBase + "output l : bool \"l\" = mode == 单建统筹 or mode in {统账结合}\n"
                              "test \"标签\" {\n  given mode = 单建统筹, gender = 女\n  expect l = true\n}\n");
    REQUIRE(p.tests.size() == 1);
    CHECK(p.tests[0].given.size() == 2);
    auto d = expect_diag(kBase + "test \"t\" {\n  given mode = 单建\n  expect kept = true\n}\n", DiagCode::UnknownEnumValue);
    CHECK(contains(d.message, "did you mean '单建统筹'?"));
  }

  TEST_CASE("regional marks a parameter and is a name elsewhere") {
    auto p = check_ok(kBase + "param r : rate \"r\" clause \"（三）\" regional\n  1% source \"s\"\n"
                              "input regional : bool \"区\" default false\noutput o : rate \"o\" = when regional then r otherwise 0%\n");
    auto i = p.find_param("r");
    REQUIRE(i >= 0);
    CHECK(p.params[static_cast<std::size_t>(i)].regional);
    CHECK_FALSE(p.params[static_cast<std::size_t>(p.find_param("employer_rate"))].regional);
  }

  TEST_CASE("parse_value checks a typed value") {
    auto p = check_ok(kBase);
    std::string why;
    auto rate = pol::dsl::parse_value(p, p.params[1].type, "6.5%", why);
    REQUIRE(rate);
    CHECK(rate->to_string() == "0.065");
    CHECK(pol::dsl::parse_value(p, p.params[1].type, "2/3", why)->to_string() == "0.666666666666666667");
    CHECK_FALSE(pol::dsl::parse_value(p, p.params[0].type, "7000元", why));
    CHECK(contains(why, "expected money"));
    CHECK_FALSE(pol::dsl::parse_value(p, p.params[0].type, "5%", why));
    CHECK(contains(why, "not a percentage"));
    CHECK_FALSE(pol::dsl::parse_value(p, p.params[2].type, "1.5", why));
    CHECK(contains(why, "whole number"));
    CHECK(pol::dsl::parse_value(p, p.inputs[0].type, "单建统筹", why)->coef() == 1);
    CHECK_FALSE(pol::dsl::parse_value(p, p.inputs[0].type, "both", why));
    CHECK(contains(why, "combined (统账结合)"));
    CHECK_FALSE(pol::dsl::parse_value(p, p.params[1].type, "1/0", why));
  }
}
