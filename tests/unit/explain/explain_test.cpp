// Explanations: the tree built for one case of the fixture policy (values, kinds, branches,
// parameters with their dates, definitions already shown) and the text renderer's lines.
#include <doctest/doctest.h>

#include <string>

#include "base/calendar.hpp"
#include "eval/evaluator.hpp"
#include "explain/explain.hpp"
#include "fixture.hpp"

using pol::interp::ExplainNode;
using pol::interp::Explanation;

namespace {

const char* kCase = R"({"id": "c1", "gender": "女", "total_years": 20, "gap_days": 91, "delivery_cost": 1000.5})";

struct Explained {
  pol::test::Loaded loaded;
  Explanation explanation;
  std::string text;
};

Explained explain_fixture_case() {
  Explained e{pol::test::load_fixture(), {}, {}};
  pol::interp::Case c;
  pol::interp::CaseError err;
  REQUIRE(pol::test::read_json_case(*e.loaded.schema, kCase, c, err));
  pol::interp::Program program(*e.loaded.policy, pol::parse_date("2025-08-01"));
  pol::interp::Evaluator ev(program);
  pol::interp::Outcome outcome;
  pol::interp::Trace trace;
  ev.evaluate_traced(c, e.loaded.policy->outputs(), outcome, trace);
  REQUIRE_FALSE(outcome.error.has_value());
  e.explanation = pol::interp::build_explanation(program, c, outcome, trace, "取自 --at");
  e.text = pol::interp::render_text(*e.loaded.policy, e.explanation);
  return e;
}

const ExplainNode& output(const Explanation& e, const std::string& name) {
  for (const auto& o : e.outputs)
    if (o.name == name) return o;
  FAIL("no output ", name);
  return e.outputs.front();
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

}  // namespace

TEST_SUITE("explain") {
  TEST_CASE("the tree: one node per output, in declaration order, with the policy and the case") {
    auto e = explain_fixture_case();
    const auto& x = e.explanation;
    CHECK(x.policy_name == "fixture");
    CHECK(x.case_id == "c1");
    CHECK(x.as_of == pol::parse_date("2025-08-01"));
    CHECK_FALSE(x.error.has_value());
    REQUIRE(x.outputs.size() == 5);
    const char* names[] = {"monthly", "required_years", "shortfall", "kept", "maternity"};
    for (std::size_t i = 0; i < 5; ++i) {
      CHECK(x.outputs[i].name == names[i]);
      CHECK(x.outputs[i].kind == ExplainNode::Kind::Output);
      CHECK(x.outputs[i].has_value);
    }
  }

  TEST_CASE("a formula: its values substituted, the parameters in force on the date as children") {
    auto e = explain_fixture_case();
    const auto& monthly = output(e.explanation, "monthly");
    CHECK(monthly.value.to_string() == "591.26");
    CHECK(monthly.clause == "（三）");
    CHECK(monthly.formula == "round(avg_wage * 85% * rate)");
    CHECK(monthly.substituted == "round(7322.08 * 85% * 9.5%)");
    REQUIRE(monthly.children.size() == 2);
    const auto& wage = monthly.children[0];
    CHECK(wage.kind == ExplainNode::Kind::Param);
    CHECK(wage.name == "avg_wage");
    CHECK(wage.value.to_string() == "7322.08");
    CHECK(wage.from == pol::parse_date("2025-07-01"));  // the 2025 value, not the 2024 one
    CHECK(wage.source == "2024年度");
    CHECK_FALSE(wage.set_by_user);
    CHECK(monthly.children[1].name == "rate");
  }

  TEST_CASE("a match: each branch tried, the one taken marked; an input given by its label") {
    auto e = explain_fixture_case();
    const auto& req = output(e.explanation, "required_years");
    CHECK(req.value.to_string() == "25");
    REQUIRE(req.children.size() == 3);
    CHECK(req.children[0].kind == ExplainNode::Kind::Branch);
    CHECK_FALSE(req.children[0].taken);
    CHECK(req.children[1].kind == ExplainNode::Kind::Branch);
    CHECK(req.children[1].taken);
    CHECK(req.children[1].result == "25");
    CHECK(req.children[2].kind == ExplainNode::Kind::Input);
    CHECK(req.children[2].name == "gender");
  }

  TEST_CASE("a definition met again is marked as shown above, not expanded twice") {
    auto e = explain_fixture_case();
    const auto& shortfall = output(e.explanation, "shortfall");
    CHECK(shortfall.value.to_string() == "5");
    REQUIRE(shortfall.children.size() == 2);
    CHECK(shortfall.children[0].name == "required_years");
    CHECK(shortfall.children[0].seen_above);
    CHECK(shortfall.children[0].children.empty());
    CHECK(shortfall.children[1].kind == ExplainNode::Kind::Input);
    CHECK(shortfall.children[1].value.to_string() == "20");
  }

  TEST_CASE("the text renderer: title, date note, one block per output, branches and references") {
    auto e = explain_fixture_case();
    INFO(e.text);
    CHECK(has_line(e.text, "灵活就业人员医保单元测试（fixture）"));
    CHECK(has_line(e.text, "决定日期 2025-08-01（取自 --at）"));
    CHECK(has_line(e.text, "案例 c1"));
    CHECK(has_line(e.text, "monthly 月缴费额 = 591.26 元  【（三）】"));
    CHECK(has_line(e.text, "│  = round(7322.08 * 85% * 9.5%)"));
    CHECK(has_line(e.text, "├─ avg_wage 月平均工资 = 7322.08 元  〔参数，自 2025-07-01 起；来源：2024年度〕"));
    CHECK(has_line(e.text, "├─ ✗ 条件 gender in {male}"));
    CHECK(has_line(e.text, "│      代入：female in {female}  ⇒ 成立 → 取值 25 年"));
    CHECK(has_line(e.text, "├─ required_years 应缴年限 = 25 年  【（五）】  （见上）"));
    CHECK(has_line(e.text, "kept 视为连续参保 = 否  【（九）】"));
    CHECK(has_line(e.text, "└─ delivery_cost 住院分娩医疗费用 = 1000.50 元  〔输入〕"));
  }
}
