// Evaluation: cases loaded from JSON, lazy evaluation, defaults, effective-dated parameters,
// --set overrides, validation, and the fast (folded) path agreeing with the traced one.
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "base/calendar.hpp"
#include "cases/case.hpp"
#include "check/checker.hpp"
#include "eval/evaluator.hpp"
#include "fixture.hpp"

using pol::Decimal;
using pol::checked::Policy;
using pol::interp::Case;
using pol::interp::CaseError;
using pol::interp::CaseSchema;
using pol::interp::EvalErrorKind;
using pol::interp::Evaluator;
using pol::interp::InputState;
using pol::interp::JsonCaseReader;
using pol::interp::Outcome;
using pol::interp::ParamSetting;
using pol::interp::Program;
using pol::interp::Trace;

namespace {

const std::string kPolicy = std::string(R"(policy e "求值测试"
  effective 2025-04-01

)") + pol::test::kEnums + R"(
input mode : Mode "参保模式" default combined clause "（二）"
input gender : Gender "性别" clause "（五）"
input total_years : years "累计缴费年限" default 0 min 0 clause "（五）"
input jilin_years : years "省内缴费年限" default 0 min 0 max total_years clause "（五）"
input combined_years : years "统账结合缴费年限" default 0 min 0 clause "（五）"
input gap_days : days "中断缴费天数" default 0 min 0 max 3650 clause "（九）"
input start : date "参保日期" default 2025-04-01 clause "（九）"
input months_paid : int "已缴月数" default 0 min 0 clause "（四）"

constraint combined_years <= total_years "统账结合缴费年限不得超过累计缴费年限" clause "（五）"

param avg_wage : money "月平均工资" clause "（三）"
  7178.50 from 2024-07-01 source "2023年度"
  7322.08 from 2025-07-01 source "2024年度"

param base_ratio : rate "基数比例" clause "（三）"
  85% from 2025-04-01 source "通知（三）"

param rate : rate "费率" clause "（三）"
  9.5% from 2025-04-01 source "通知（三）"

param required_male : years "男性年限" clause "（五）"
  30 source "通知（五）"

param required_female : years "女性年限" clause "（五）"
  25 source "通知（五）"

output base : money "缴费基数" clause "（三）"
  = round(avg_wage * base_ratio)

output monthly : money "月缴费额" clause "（三）"
  = round(base * rate)

output required : years "应缴年限" clause "（五）"
  = match gender
      when male then required_male
      when female then required_female

output short : bool "年限不足" clause "（五）"
  = when mode == pooling_only then false
    otherwise total_years < required

output quick : bool "先看模式" clause "（五）"
  = mode == pooling_only or total_years < required

output shortfall : years "差额年限" clause "（五）"
  = max(0, required - total_years)

output average : money "月均" clause "（四）"
  = round(monthly * 12 / months_paid)

output ends : date "到期日" clause "（九）"
  = start + gap_days
)";

using pol::test::Loaded;

Loaded from_source(const std::string& src, const std::string& name = "e.pol") { return pol::test::load_source(src, name); }

bool load(const Loaded& l, const std::string& json, Case& c, CaseError& err) {
  return pol::test::read_json_case(*l.schema, json, c, err);
}

Case load_ok(const Loaded& l, const std::string& json) {
  Case c;
  CaseError err;
  bool ok = load(l, json, c, err);
  INFO(json, " -> ", err.kind, ": ", err.message);
  REQUIRE(ok);
  return c;
}

CaseError load_fails(const Loaded& l, const std::string& json) {
  Case c;
  CaseError err;
  bool ok = load(l, json, c, err);
  INFO(json);
  CHECK_FALSE(ok);
  return err;
}

std::optional<int> day(const char* text) { return pol::parse_date(text); }

std::uint32_t rule(const Loaded& l, const char* name) {
  int r = l.policy->find_rule(name);
  REQUIRE_MESSAGE(r >= 0, "no rule ", name);
  return static_cast<std::uint32_t>(r);
}

// The value of output `name` in `out` as text ("591.26"), or "<absent>".
std::string value_of(const Loaded& l, const Outcome& out, const char* name) {
  std::uint32_t r = rule(l, name);
  for (const auto& [k, v] : out.outputs)
    if (k == r) return v.to_string();
  return "<absent>";
}

// Evaluates the named outputs (all outputs when none are named) both ways, requires the two
// to agree, and returns the fast result.
Outcome run(const Loaded& l, const Case& c, std::optional<int> date, std::vector<const char*> names = {},
            std::vector<ParamSetting> sets = {}) {
  std::vector<std::uint32_t> rules;
  for (const char* n : names) rules.push_back(rule(l, n));
  if (rules.empty()) rules = l.policy->outputs();
  Program prog(*l.policy, date, sets);
  Evaluator ev(prog);
  Outcome fast, slow;
  Trace trace;
  ev.evaluate(c, rules, fast);
  ev.evaluate_traced(c, rules, slow, trace);
  CHECK(fast.error.has_value() == slow.error.has_value());
  if (fast.error && slow.error) CHECK(fast.error->message == slow.error->message);
  if (!fast.error && !slow.error) {
    REQUIRE(fast.outputs.size() == slow.outputs.size());
    for (std::size_t i = 0; i < fast.outputs.size(); ++i) {
      CHECK(fast.outputs[i].first == slow.outputs[i].first);
      CHECK(fast.outputs[i].second == slow.outputs[i].second);
    }
  }
  return fast;
}

std::optional<pol::interp::EvalError> validate(const Loaded& l, const Case& c, std::optional<int> date = {}) {
  Program prog(*l.policy, date);
  Evaluator ev(prog);
  return ev.validate(c);
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string error_text(const Outcome& o) { return o.error ? o.error->message : std::string(); }

}  // namespace

TEST_SUITE("evaluator") {
  TEST_CASE("a full case evaluates every output") {
    auto l = from_source(kPolicy);
    Case c = load_ok(l, R"({"gender": "male", "total_years": 12.5, "jilin_years": 10, "gap_days": 30, "months_paid": 360})");
    auto out = run(l, c, day("2025-08-01"));
    INFO(error_text(out));
    REQUIRE_FALSE(out.error);
    CHECK(out.outputs.size() == l.policy->outputs().size());
    CHECK(value_of(l, out, "base") == "6223.77");
    CHECK(value_of(l, out, "monthly") == "591.26");
    CHECK(value_of(l, out, "required") == "30");
    CHECK(value_of(l, out, "short") == "1");
    CHECK(value_of(l, out, "shortfall") == "17.5");
    CHECK(value_of(l, out, "average") == "19.71");  // 7095.12 / 360 = 19.7086…
    CHECK(value_of(l, out, "ends") == std::to_string(*day("2025-05-01")));
  }

  TEST_CASE("lazy evaluation: a missing input is an error only when an output needs it") {
    auto l = from_source(kPolicy);
    Case c = load_ok(l, R"({"mode": "pooling_only", "gap_days": 10})");  // no gender
    CHECK(c.state[static_cast<std::size_t>(l.policy->find_input("gender"))] == InputState::Absent);
    // Outputs that do not read gender are fine.
    auto some = run(l, c, day("2025-08-01"), {"base", "monthly"});
    REQUIRE_FALSE(some.error);
    CHECK(value_of(l, some, "monthly") == "591.26");
    // `short` takes the pooling_only branch, and `quick` stops at the left of `or`: gender unused.
    auto lazy = run(l, c, day("2025-08-01"), {"short", "quick"});
    INFO(error_text(lazy));
    REQUIRE_FALSE(lazy.error);
    CHECK(value_of(l, lazy, "short") == "0");
    CHECK(value_of(l, lazy, "quick") == "1");
    // `required` does need it: the error names the input and the output.
    auto all = run(l, c, day("2025-08-01"));
    REQUIRE(all.error);
    CHECK(all.error->kind == EvalErrorKind::MissingInput);
    CHECK(all.error->field == "gender");
    CHECK(all.error->message ==
          "missing input 'gender' (性别): output 'required' (应缴年限) needs it, and it has no default");
    // In combined mode, `short` needs gender too.
    Case c2 = load_ok(l, R"({"mode": "combined"})");
    auto needs = run(l, c2, day("2025-08-01"), {"short"});
    REQUIRE(needs.error);
    CHECK(contains(needs.error->message, "missing input 'gender'"));
    CHECK(contains(needs.error->message, "output 'short' (年限不足)"));
  }

  TEST_CASE("defaults are applied and marked Defaulted") {
    auto l = from_source(kPolicy);
    Case c = load_ok(l, R"({"gender": "女", "total_years": 3})");
    auto idx = [&](const char* n) { return static_cast<std::size_t>(l.policy->find_input(n)); };
    CHECK(c.state[idx("gender")] == InputState::Given);
    CHECK(c.state[idx("total_years")] == InputState::Given);
    CHECK(c.state[idx("mode")] == InputState::Defaulted);
    CHECK(c.values[idx("mode")].coef() == 0);
    CHECK(c.state[idx("jilin_years")] == InputState::Defaulted);
    CHECK(c.state[idx("start")] == InputState::Defaulted);
    CHECK(c.values[idx("start")].coef() == *day("2025-04-01"));
    auto out = run(l, c, day("2025-08-01"), {"required", "shortfall"});
    REQUIRE_FALSE(out.error);
    CHECK(value_of(l, out, "required") == "25");
    CHECK(value_of(l, out, "shortfall") == "22");
    // null counts as left out.
    Case n = load_ok(l, R"({"gender": "male", "mode": null})");
    CHECK(n.state[idx("mode")] == InputState::Defaulted);
  }

  TEST_CASE("effective-dated parameters are chosen by the decision date") {
    auto l = from_source(kPolicy);
    Case c = load_ok(l, R"({"gender": "male"})");
    std::vector<const char*> names{"base", "monthly"};
    auto may = run(l, c, day("2025-05-01"), names);
    REQUIRE_FALSE(may.error);
    CHECK(value_of(l, may, "base") == "6101.73");
    CHECK(value_of(l, may, "monthly") == "579.66");
    auto jul1 = run(l, c, day("2025-07-01"), names);
    REQUIRE_FALSE(jul1.error);
    CHECK(value_of(l, jul1, "base") == "6223.77");
    auto jun30 = run(l, c, day("2025-06-30"), names);
    CHECK(value_of(l, jun30, "base") == "6101.73");
    // No date: each parameter's latest value.
    auto latest = run(l, c, std::nullopt, names);
    REQUIRE_FALSE(latest.error);
    CHECK(value_of(l, latest, "monthly") == "591.26");
    // Before the first date of base_ratio and rate: no value, an error naming the parameter.
    auto early = run(l, c, day("2025-03-31"), names);
    REQUIRE(early.error);
    CHECK(early.error->kind == EvalErrorKind::NoParamValue);
    CHECK(early.error->field == "base_ratio");
    CHECK(early.error->message ==
          "parameter 'base_ratio' (基数比例) has no value on 2025-03-31: its first value holds from 2025-04-01");
    // A parameter without `from` holds from the beginning of time.
    auto old = run(l, c, day("1990-01-01"), {"required"});
    REQUIRE_FALSE(old.error);
    CHECK(value_of(l, old, "required") == "30");
    // The program reports which value is in force.
    Program prog(*l.policy, day("2025-05-01"));
    auto wage = static_cast<std::uint32_t>(l.policy->find_param("avg_wage"));
    CHECK(prog.param_choice(wage) == 0);
    CHECK(prog.param_ok(wage));
    Program early_prog(*l.policy, day("2024-01-01"));
    CHECK_FALSE(early_prog.param_ok(wage));
    CHECK(early_prog.param_choice(wage) == -1);
  }

  TEST_CASE("--set overrides a parameter for the run") {
    auto l = from_source(kPolicy);
    Case c = load_ok(l, R"({"gender": "male", "total_years": 26})");
    auto rate = static_cast<std::uint32_t>(l.policy->find_param("rate"));
    auto male = static_cast<std::uint32_t>(l.policy->find_param("required_male"));
    std::string why;
    auto v = pol::dsl::parse_value(*l.policy, l.policy->params[rate].type, "6.5%", why);
    REQUIRE(v);
    auto out = run(l, c, day("2025-08-01"), {"monthly", "short"},
                   {ParamSetting{rate, *v}, ParamSetting{male, Decimal::from_int(25)}});
    REQUIRE_FALSE(out.error);
    CHECK(value_of(l, out, "monthly") == "404.55");  // 6223.77 × 6.5% = 404.54505
    CHECK(value_of(l, out, "short") == "0");
    Program prog(*l.policy, day("2025-08-01"), {ParamSetting{rate, *v}});
    CHECK(prog.param_choice(rate) == -2);
    // A set value holds even before the parameter's first date.
    auto early = run(l, c, day("2025-05-01"), {"monthly"}, {ParamSetting{rate, *v}});
    REQUIRE_FALSE(early.error);
    CHECK(value_of(l, early, "monthly") == "396.61");  // 6101.73 × 6.5% = 396.61245
  }

  TEST_CASE("division by zero is an error of the output that divides") {
    auto l = from_source(kPolicy);
    Case c = load_ok(l, R"({"gender": "male"})");  // months_paid defaults to 0
    auto out = run(l, c, day("2025-08-01"), {"average"});
    REQUIRE(out.error);
    CHECK(out.error->kind == EvalErrorKind::DivisionByZero);
    auto other = run(l, c, day("2025-08-01"), {"monthly"});
    CHECK_FALSE(other.error);
  }

  TEST_CASE("validation: min, max and constraints") {
    auto l = from_source(kPolicy);
    auto neg = validate(l, load_ok(l, R"({"gender": "male", "total_years": -3})"));
    REQUIRE(neg);
    CHECK(neg->kind == EvalErrorKind::InvalidCase);
    CHECK(neg->field == "total_years");
    CHECK(neg->message == "field 'total_years' (累计缴费年限) must not be negative, got -3");
    auto over = validate(l, load_ok(l, R"({"total_years": 10, "jilin_years": 12})"));
    REQUIRE(over);
    CHECK(over->field == "jilin_years");
    CHECK(over->message == "field 'jilin_years' (省内缴费年限) must be at most total_years (10), got 12");
    auto big = validate(l, load_ok(l, R"({"gap_days": 4000})"));
    REQUIRE(big);
    CHECK(big->message == "field 'gap_days' (中断缴费天数) must be at most 3650, got 4000");
    auto con = validate(l, load_ok(l, R"({"total_years": 10, "combined_years": 11})"));
    REQUIRE(con);
    CHECK(con->field == "combined_years");
    CHECK(con->message == "the case breaks a rule: 统账结合缴费年限不得超过累计缴费年限");
    CHECK_FALSE(validate(l, load_ok(l, R"({"total_years": 10, "jilin_years": 10, "combined_years": 10})")));
    // A bound on an input the case leaves out (jilin_years ≤ total_years, both defaulted) is fine.
    CHECK_FALSE(validate(l, load_ok(l, R"({})")));
  }

  TEST_CASE("JSON case loading errors name the field and what was expected") {
    auto l = from_source(kPolicy);
    auto unknown = load_fails(l, R"({"gender": "male", "totl_years": 3})");
    CHECK(unknown.kind == "unknown_field");
    CHECK(unknown.field == "totl_years");
    CHECK(unknown.message == "unknown field 'totl_years': policy e has no input of that name; did you mean 'total_years'?");
    auto type = load_fails(l, R"({"total_years": "ten"})");
    CHECK(type.kind == "wrong_type");
    CHECK(type.field == "total_years");
    CHECK(type.message == "field 'total_years' (累计缴费年限) must be a number (years), got \"ten\"");
    auto flag = load_fails(l, R"({"gender": true})");
    CHECK(flag.kind == "wrong_type");
    CHECK(contains(flag.message, "must be one of \"male\" (男), \"female\" (女), got a boolean"));
    auto label = load_fails(l, R"({"gender": "男性"})");
    CHECK(contains(label.message, "'男性' is not one of"));
    auto whole = load_fails(l, R"({"gap_days": 1.5})");
    CHECK(contains(whole.message, "must be a whole number of days, got 1.5"));
    auto exp = load_fails(l, R"({"total_years": 1e2})");
    CHECK(contains(exp.message, "no exponent"));
    auto date = load_fails(l, R"({"start": "2025-02-30"})");
    CHECK(date.kind == "wrong_type");
    auto as_of = load_fails(l, R"({"as_of": "2025-13-01"})");
    CHECK(as_of.field == "as_of");
    auto dup = load_fails(l, R"({"gender": "male", "gender": "female"})");
    CHECK(dup.kind == "duplicate_field");
    for (const char* bad : {R"({"gender": })", R"({"gender": "male")", "", "[1, 2]", "null"}) {
      auto e = load_fails(l, bad);
      CHECK_MESSAGE(e.kind == "invalid_json", bad);
      CHECK(contains(e.message, "not valid JSON"));
    }
    CHECK(load_fails(l, R"({"a": 1} x)").kind == "trailing_content");
  }

  TEST_CASE("JSON case loading accepts labels, as_of, id, and negative numbers for validation") {
    auto l = from_source(kPolicy);
    Case c = load_ok(l, R"({"id": "c-1", "as_of": "2025-05-01", "mode": "单建统筹", "gender": "女", "total_years": -3})");
    CHECK(c.id_text == "c-1");
    CHECK(c.id_json == "\"c-1\"");
    CHECK(c.as_of == day("2025-05-01"));
    CHECK(c.values[static_cast<std::size_t>(l.policy->find_input("mode"))].coef() == 1);
    CHECK(c.values[static_cast<std::size_t>(l.policy->find_input("gender"))].coef() == 1);
    // Negative years load, and validation rejects them.
    CHECK(validate(l, c).has_value());
    Case n = load_ok(l, R"({"id": 17})");
    CHECK(n.id_text == "17");
    CHECK(n.id_json == "17");
    CHECK(load_fails(l, R"({"id": [1]})").field == "id");
  }

  TEST_CASE("CSV rows load like JSON cases") {
    auto l = from_source(kPolicy);
    pol::interp::CsvCaseReader csv(*l.schema);
    CaseError err;
    REQUIRE(csv.read_header("id,gender,total_years,mode,as_of", err));
    Case c;
    REQUIRE(csv.read("r1,女,12.5,单建统筹,2025-05-01", c, err));
    CHECK(c.id_text == "r1");
    CHECK(c.as_of == day("2025-05-01"));
    CHECK(c.values[static_cast<std::size_t>(l.policy->find_input("total_years"))].to_string() == "12.5");
    CHECK_FALSE(csv.read("r2,male,abc,combined,", c, err));
    CHECK(err.field == "total_years");
    pol::interp::CsvCaseReader bad(*l.schema);
    CHECK_FALSE(bad.read_header("gender,totl_years", err));
    CHECK(contains(err.message, "did you mean 'total_years'?"));
    std::vector<std::string> cells;
    REQUIRE(pol::interp::split_csv(R"(a,"b,c","d""e",)", cells));
    CHECK(cells == std::vector<std::string>{"a", "b,c", "d\"e", ""});
    CHECK_FALSE(pol::interp::split_csv(R"(a,"b)", cells));
  }

  TEST_CASE("select_outputs") {
    auto l = from_source(kPolicy);
    std::vector<std::string> unknown;
    CHECK(pol::interp::select_outputs(*l.policy, {}, unknown) == l.policy->outputs());
    auto sel = pol::interp::select_outputs(*l.policy, {"monthly", "nope"}, unknown);
    CHECK(sel == std::vector<std::uint32_t>{rule(l, "monthly")});
    CHECK(unknown == std::vector<std::string>{"nope"});
  }

  TEST_CASE("overflow is an error, never a wrapped value") {
    auto l = from_source(R"(policy o "溢出"
input amount : money "金额" default 0
input factor : decimal "倍数" default 1000000000
output square : money "放大" = amount * factor
output half : money "一半" = amount / 2
)");
    Case c = load_ok(l, R"({"amount": 9000000000000})");
    auto out = run(l, c, std::nullopt, {"square"});
    REQUIRE(out.error);
    CHECK(out.error->kind == EvalErrorKind::Overflow);
    auto ok = run(l, c, std::nullopt, {"half"});
    REQUIRE_FALSE(ok.error);
    CHECK(value_of(l, ok, "half") == "4500000000000");
  }

  TEST_CASE("folded evaluation agrees with traced evaluation on generated jilin_2025 cases") {
    auto l = pol::test::load_file("policies/jilin_2025.pol");
    const auto& p = *l.policy;
    std::mt19937 rng(20250401);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    // Years in quarters, so that sums and comparisons meet fractions; mostly consistent cases
    // (jilin_years <= total_years, the two modes' years within the total), some not.
    auto years = [](int quarters) {
      static const char* frac[] = {"", ".25", ".5", ".75"};
      return std::to_string(quarters / 4) + frac[quarters % 4];
    };
    const char* dates[] = {"2024-06-30", "2025-03-31", "2025-04-01", "2025-06-30", "2025-07-01", "2025-08-01", ""};
    const char* workers[] = {"self_employed", "part_time", "migrant_worker", "platform_worker", "other_flexible",
                             "employee", "农民工", "个体工商户"};
    const char* groups[] = {"none", "employment_difficulty", "graduate", "高校毕业生"};
    const char* tf[] = {"false", "true"};
    int evaluated = 0, errors = 0, compared = 0, invalid = 0;
    for (int i = 0; i < 400; ++i) {
      int total = pick(161);
      int jilin = pick(10) ? pick(total + 1) : pick(161);
      int combined = pick(total + 1);
      int pooling = pick(10) ? pick(total - combined + 1) : pick(81);
      std::string j = "{";
      j += "\"worker_type\": \"" + std::string(workers[pick(8)]) + "\"";
      j += ", \"has_employees\": " + std::string(tf[pick(2)]);
      j += ", \"in_employee_insurance\": " + std::string(tf[pick(4) == 0]);
      j += ", \"hukou_in_jilin\": " + std::string(tf[pick(2)]);
      j += ", \"lives_in_jilin\": " + std::string(tf[pick(2)]);
      j += ", \"works_in_jilin\": " + std::string(tf[pick(2)]);
      j += ", \"mode\": \"" + std::string(pick(2) ? "combined" : "单建统筹") + "\"";
      if (pick(10)) j += ", \"gender\": \"" + std::string(pick(2) ? "male" : "女") + "\"";  // sometimes missing
      j += ", \"at_retirement_age\": " + std::string(tf[pick(2)]);
      j += ", \"total_years\": " + years(total);
      j += ", \"jilin_years\": " + years(jilin);
      j += ", \"combined_years\": " + years(combined);
      j += ", \"pooling_only_years\": " + years(pooling);
      j += ", \"subsidy_group\": \"" + std::string(groups[pick(4)]) + "\"";
      j += ", \"years_since_graduation\": " + years(pick(17));
      j += ", \"employment_registered\": " + std::string(tf[pick(2)]);
      j += ", \"switching_scheme\": " + std::string(tf[pick(2)]);
      j += ", \"prior_continuous_years\": " + years(pick(17));
      j += ", \"gap_days\": " + std::to_string(pick(3) ? pick(120) : 90 + pick(3));
      j += ", \"delivery_cost\": " + std::to_string(pick(20000)) + "." + std::to_string(10 + pick(90));
      if (pick(3) == 0) j += ", \"pending_at_notice\": true";
      std::string date = dates[pick(7)];
      if (!date.empty()) j += ", \"as_of\": \"" + date + "\"";
      j += "}";
      CAPTURE(j);
      Case c = load_ok(l, j);
      Program prog(p, c.as_of);
      Evaluator ev(prog);
      if (ev.validate(c)) {  // e.g. jilin_years > total_years
        ++invalid;
        continue;
      }
      auto outputs = p.outputs();
      // All outputs, and each output alone (the compiled code differs per selection).
      for (int sel = -1; sel < static_cast<int>(outputs.size()); sel += (sel < 0 ? 1 : 5)) {
        std::vector<std::uint32_t> rules = sel < 0 ? outputs : std::vector<std::uint32_t>{outputs[sel]};
        Outcome fast, slow;
        Trace trace;
        ev.evaluate(c, rules, fast);
        ev.evaluate_traced(c, rules, slow, trace);
        ++evaluated;
        REQUIRE(fast.error.has_value() == slow.error.has_value());
        if (fast.error) {
          ++errors;
          CHECK(fast.error->message == slow.error->message);
          continue;
        }
        REQUIRE(fast.outputs.size() == slow.outputs.size());
        for (std::size_t k = 0; k < fast.outputs.size(); ++k) {
          CAPTURE(p.rules[fast.outputs[k].first].name);
          CHECK(fast.outputs[k].first == slow.outputs[k].first);
          CHECK(fast.outputs[k].second == slow.outputs[k].second);
          ++compared;
        }
      }
    }
    int valid = 400 - invalid;
    INFO(valid, " valid cases, ", evaluated, " evaluations, ", errors, " with errors, ", compared,
            " values compared");
    CHECK(invalid > 0);
    CHECK(invalid < 100);
    CHECK(compared > 3000);
    CHECK(errors > 0);                // missing gender and early dates occur
    CHECK(errors * 2 < evaluated);    // but most cases evaluate
  }

  TEST_CASE("given(): code compiled for the inputs a case gave keeps it on the whole-number path") {
    auto l = pol::test::load_file("policies/jilin_2025.pol");
    const auto& p = *l.policy;
    Program prog(p, day("2025-08-01"));
    Evaluator fast(prog, pol::interp::EvalPath::Int64), ref(prog, pol::interp::EvalPath::Reference);
    const std::string facts = R"("worker_type": "part_time", "lives_in_jilin": true, "gender": "male", "total_years": 30, "jilin_years": 15)";
    // Without a birth date, the national file's rules behind given(birth_date) are not compiled;
    // with one, they are; a caseworker's decision wins either way.
    for (const std::string& extra : {std::string(""), std::string(R"(, "birth_date": "1965-01-15", "retirement_category": "male_60", "application_date": "2025-03-01")"),
                                    std::string(R"(, "birth_date": "1965-01-15", "retirement_category": "male_60", "application_date": "2025-01-01")"),
                                    std::string(R"(, "at_retirement_age": true)"), std::string(R"(, "birth_date": "1965-01-15")")}) {
      CAPTURE(extra);
      Case c = load_ok(l, "{" + facts + extra + "}");
      Outcome a, b;
      fast.evaluate(c, p.outputs(), a);
      CHECK(fast.last_path() == pol::interp::EvalPath::Int64);
      ref.evaluate(c, p.outputs(), b);
      REQUIRE_FALSE(a.error);
      REQUIRE_FALSE(b.error);
      REQUIRE(a.outputs.size() == b.outputs.size());
      for (std::size_t k = 0; k < a.outputs.size(); ++k) CHECK(a.outputs[k].second == b.outputs[k].second);
    }
    Case retired = load_ok(l, "{" + facts + R"(, "birth_date": "1965-01-15", "retirement_category": "male_60", "application_date": "2025-03-01"})");
    CHECK(value_of(l, run(l, retired, day("2025-08-01"), {"retirement_outcome"}), "retirement_outcome") == "1");
  }

  TEST_CASE("the shipped jilin_2025 figures") {
    auto l = pol::test::load_file("policies/jilin_2025.pol");
    Case c = load_ok(l, R"({"worker_type": "platform_worker", "lives_in_jilin": true, "gender": "male",
                           "subsidy_group": "graduate", "years_since_graduation": 2, "employment_registered": true})");
    auto out = run(l, c, day("2025-08-01"));
    INFO(error_text(out));
    REQUIRE_FALSE(out.error);
    CHECK(value_of(l, out, "contribution_base") == "6223.77");
    CHECK(value_of(l, out, "contribution_rate") == "0.095");
    CHECK(value_of(l, out, "monthly_contribution") == "591.26");
    CHECK(value_of(l, out, "annual_contribution") == "7095.12");
    CHECK(value_of(l, out, "subsidy_eligible") == "1");
    CHECK(value_of(l, out, "subsidy_cap") == "394.17");
  }
}
