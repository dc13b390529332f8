// Explanations: the tree built for one case of the fixture policy (values, kinds, branches,
// parameters with their dates, definitions already shown) and the text renderer's lines; the
// parts of a failed condition (with the operands the lazy walk skipped), the arithmetic, the
// summary (facts, ⚠ marks, placeholders), fractions as written, --depth, readings once a page
// and the provenance, on small inline policies.
#include <doctest/doctest.h>

#include <string>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "eval/evaluator.hpp"
#include "explain/explain.hpp"
#include "fixture.hpp"

using pol::interp::ConditionPart;
using pol::interp::ExplainNode;
using pol::interp::ExplainOptions;
using pol::interp::Explanation;

namespace {

// The explanations are read in Chinese: each test runs in Chinese and puts the language back.
struct ChineseMessages {
  pol::dsl::Lang before = pol::dsl::current_lang();
  ChineseMessages() { pol::dsl::set_lang(pol::dsl::Lang::Zh); }
  ~ChineseMessages() { pol::dsl::set_lang(before); }
};

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
    const ChineseMessages zh;
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
    const ChineseMessages zh;
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
    const ChineseMessages zh;
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
    const ChineseMessages zh;
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

  TEST_CASE("the text renderer: title, date note, one block per output in plain words, branches and references") {
    const ChineseMessages zh;
    auto e = explain_fixture_case();
    INFO(e.text);
    CHECK(has_line(e.text, "灵活就业人员医保单元测试（fixture）"));
    CHECK(has_line(e.text, "决定日期 2025-08-01（取自 --at）"));
    CHECK(has_line(e.text, "案例 c1"));
    CHECK(has_line(e.text, "月缴费额 = 591.26 元  【（三）】"));
    CHECK(has_line(e.text, "│  计算：591.26 元 = 7322.08 元 × 85% × 9.5%，四舍五入到分"));
    CHECK(has_line(e.text, "├─ 月平均工资 = 7322.08 元  〔参数，自 2025-07-01 起；来源：2024年度〕"));
    CHECK(has_line(e.text, "├─ ✗ 性别为“女”，不是“男”"));
    CHECK(has_line(e.text, "├─ ✓ 性别为“女”  → 取值 25 年"));
    CHECK(has_line(e.text, "├─ 应缴年限 = 25 年  【（五）】  （见上）"));
    CHECK(has_line(e.text, "│  计算：5 年 = 较大者(0 年, 25 年 − 20 年)"));
    CHECK(has_line(e.text, "视为连续参保 = 否  【（九）】"));
    CHECK(has_line(e.text, "│  中断缴费天数 91 天，超过允许中断天数 90 天（多 1 天）"));
    CHECK(has_line(e.text, "└─ 住院分娩医疗费用 = 1000.50 元  〔输入〕"));
    // The derivation alone: no summary, no provenance.
    CHECK(e.text.find(std::string(pol::dsl::text(pol::dsl::Msg::CaseFacts))) == std::string::npos);
  }

  TEST_CASE("with --names: the identifiers and the formulas as written, as before") {
    const ChineseMessages zh;
    auto e = explain_fixture_case();
    ExplainOptions o;
    o.names = true;
    std::string t = pol::interp::render_text(*e.loaded.policy, e.explanation, o);
    INFO(t);
    CHECK(has_line(t, "monthly 月缴费额 = 591.26 元  【（三）】"));
    CHECK(has_line(t, "│  = round(avg_wage * 85% * rate)"));
    CHECK(has_line(t, "├─ avg_wage 月平均工资 = 7322.08 元  〔参数，自 2025-07-01 起；来源：2024年度〕"));
    CHECK(has_line(t, "├─ ✗ 条件 gender in {male}"));
    CHECK(has_line(t, "│      代入：female in {female}  ⇒ 成立 → 取值 25 年"));
    CHECK(has_line(t, "  gender 性别：女"));
  }
}

namespace {

const char* kRetire = R"(policy r "退休测试"
enum Gender "性别" {
  male   "男"
  female "女"
}
input gender : Gender "性别"
input total_years : years "累计缴费年限（含视同）" min 0
input local_years : years "本省实际缴费年限" min 0
input note_days : days "未提供时不需要的天数"
param required_female : years "女性应满的年限"
  25 from 2025-01-01 source "（五）"
param required_local : years "本省应满年限"
  15 from 2025-01-01 source "（五）"
param annual : money "年缴费额"
  4555.80 from 2025-01-01 placeholder "示意值"
param share : rate "补贴比例"
  2/3 from 2025-01-01 source "（六）"
let required_total : years "退休时应达到的累计缴费年限"
  reading "女满25年"
  = match gender
      when male then 30
      when female then required_female
output outcome : bool "享受退休人员待遇"
  reading "两个条件同时满足"
  = when total_years >= required_total and local_years >= required_local and note_days > 0 then true
    otherwise false
output shortfall : years "差额年限"
  reading "女满25年"
  = max(0, required_total - total_years, required_local - local_years)
output lump_sum : money "趸缴金额"
  = when not outcome then round(shortfall * annual)
    otherwise 0
output cap : money "补贴上限"
  = round(annual * share)
)";

struct Retire {
  pol::test::Loaded loaded;
  std::unique_ptr<pol::interp::Program> program;
  Explanation x;
};

Retire explain_with(const char* src, const char* json) {
  Retire r{pol::test::load_source(src), nullptr, {}};
  pol::interp::Case c;
  pol::interp::CaseError err;
  REQUIRE(pol::test::read_json_case(*r.loaded.schema, json, c, err));
  r.program = std::make_unique<pol::interp::Program>(*r.loaded.policy, pol::parse_date("2025-08-01"));
  pol::interp::Evaluator ev(*r.program);
  pol::interp::Outcome outcome;
  pol::interp::Trace trace;
  ev.evaluate_traced(c, r.loaded.policy->outputs(), outcome, trace);
  REQUIRE_FALSE(outcome.error.has_value());
  r.x = pol::interp::build_explanation(*r.program, c, outcome, trace, "取自 --at");
  return r;
}

Retire explain_retire(const char* json) { return explain_with(kRetire, json); }

// A contribution that applies only to a person who may enrol, and a placeholder it rests on.
const char* kApplies = R"(policy a "适用范围测试"
input enrolled : bool "可以参保"
input wage : money "工资" default 1000 min 0
param rate : rate "费率"
  8% from 2025-01-01 placeholder "示意值"
output monthly : money "月缴费额"
  applies when enrolled and wage > 0
  = round(wage * rate)
output yearly : money "年缴费额"
  = 12 * monthly
)";

const char* kWoman = R"({"id": "w", "gender": "女", "total_years": 22, "local_years": 10})";

}  // namespace

TEST_SUITE("explain for the reader") {
  TEST_CASE("every failed part of a condition, the operand the lazy walk skipped included, with both numbers and the gap") {
    const ChineseMessages zh;
    auto r = explain_retire(kWoman);
    const auto& outcome = output(r.x, "outcome");
    REQUIRE(outcome.children.size() >= 2);
    const auto& branch = outcome.children[0];
    CHECK(branch.kind == ExplainNode::Kind::Branch);
    CHECK_FALSE(branch.flag);
    REQUIRE(branch.parts.size() == 3);
    CHECK(branch.parts[0].text == "累计缴费年限 22 年，未达到退休时应达到的累计缴费年限 25 年（差 3 年）");
    CHECK(branch.parts[0].state == ConditionPart::State::Fails);
    CHECK_FALSE(branch.parts[0].for_explanation_only);
    CHECK(branch.parts[1].text == "本省实际缴费年限 10 年，未达到本省应满年限 15 年（差 5 年）");
    CHECK(branch.parts[1].for_explanation_only);
    // note_days is missing: the part cannot be evaluated, and is not needed.
    CHECK(branch.parts[2].state == ConditionPart::State::NotNeeded);
    CHECK(branch.parts[2].text == "「未提供时不需要的天数」 > 0 天：不需要（未求值）");
    CHECK(branch.condition_values == "22 年 ≥ 25 年 且 10 年 ≥ 15 年 且 「未提供时不需要的天数」 > 0 天");
    // The value the skipped part read is under the result.
    bool has_required_local = false;
    for (const auto& k : outcome.children) has_required_local = has_required_local || k.name == "required_local";
    CHECK(has_required_local);
    // The outcome itself is the lazy walk's: the substituted formula keeps what it skipped.
    CHECK(branch.substituted == "22 >= 25 and local_years >= required_local and note_days > 0");
  }

  TEST_CASE("the arithmetic of a figure, the branch taken included, and a fraction as written") {
    const ChineseMessages zh;
    auto r = explain_retire(kWoman);
    CHECK(output(r.x, "lump_sum").arithmetic == "22779.00 元 = 5 年 × 4555.80 元，四舍五入到分");
    CHECK(output(r.x, "shortfall").arithmetic == "5 年 = 较大者(0 年, 25 年 − 22 年, 15 年 − 10 年)");
    CHECK(output(r.x, "cap").arithmetic == "3037.20 元 = 4555.80 元 × 2/3，四舍五入到分");
    const auto& cap = output(r.x, "cap");
    REQUIRE(cap.children.size() == 2);
    CHECK(cap.children[1].written == "2/3");
    ExplainOptions o;
    std::string j = pol::interp::render_json(*r.loaded.policy, r.x, o);
    CHECK(j.find("\"written\":\"2/3\"") != std::string::npos);
    CHECK(j.find("\"value\":0.666666666666666667") != std::string::npos);  // the exact value stays
  }

  TEST_CASE("the summary: facts given, outputs marked when they depend on a placeholder, the placeholders") {
    const ChineseMessages zh;
    auto r = explain_retire(kWoman);
    REQUIRE(r.x.facts.size() == 3);
    CHECK(r.x.facts[0].name == "gender");
    CHECK(r.x.facts[0].text == "女");
    CHECK_FALSE(r.x.facts[0].defaulted);
    CHECK_FALSE(output(r.x, "outcome").placeholder_dependent);
    CHECK_FALSE(output(r.x, "shortfall").placeholder_dependent);
    CHECK(output(r.x, "lump_sum").placeholder_dependent);
    CHECK(output(r.x, "cap").placeholder_dependent);
    REQUIRE(r.x.unconfirmed.size() == 1);
    CHECK(r.x.unconfirmed[0].name == "annual");
    CHECK(r.x.unconfirmed[0].output_names == std::vector<std::string>{"lump_sum", "cap"});
    std::string t = pol::interp::render_text(*r.loaded.policy, r.x, ExplainOptions{});
    INFO(t);
    CHECK(has_line(t, "  趸缴金额：22779.00 元 ⚠"));
    CHECK(has_line(t, "  ⚠ 年缴费额 = 4555.80 元；示意值；影响：趸缴金额、补贴上限"));
  }

  TEST_CASE("a reading once a page, and --depth cuts the tree with a count of what it left out") {
    const ChineseMessages zh;
    auto r = explain_retire(kWoman);
    const auto& outcome = output(r.x, "outcome");
    const ExplainNode* req = nullptr;
    for (const auto& k : outcome.children)
      if (k.name == "required_total") req = &k;
    REQUIRE(req != nullptr);
    CHECK_FALSE(req->reading_repeated);
    CHECK(output(r.x, "shortfall").reading_repeated);  // the same reading as required_total's
    pol::interp::cut_depth(r.x, 1);
    const auto& cut = output(r.x, "outcome");
    for (const auto& k : cut.children) CHECK(k.children.empty());
    int total = 0;
    for (const auto& k : cut.children) total += k.steps_cut;
    CHECK(total > 0);
  }

  TEST_CASE("provenance: pol's version, each rule file with its SHA-256, the time generated") {
    const ChineseMessages zh;
    auto r = explain_retire(kWoman);
    pol::interp::add_provenance(r.x, *r.loaded.policy, 1754006400);
    REQUIRE(r.x.provenance.has_value());
    CHECK_FALSE(r.x.provenance->version.empty());
    REQUIRE(r.x.provenance->files.size() == 1);
    CHECK(r.x.provenance->files[0].path == "t.pol");
    CHECK(r.x.provenance->files[0].sha256.size() == 64);
    CHECK(r.x.provenance->generated == "2025-08-01 00:00:00 UTC");
    CHECK(r.x.provenance->files[0].sha256.find_first_not_of("0123456789abcdef") == std::string::npos);
  }

  TEST_CASE("outside `applies when`: one line saying why, 不适用 in the summary, no ⚠, the value kept in json") {
    const ChineseMessages zh;
    auto r = explain_with(kApplies, R"({"id": "n", "enrolled": false})");
    const auto& monthly = output(r.x, "monthly");
    REQUIRE(monthly.outside.size() == 1);
    CHECK(monthly.outside[0].text == "可以参保：否");
    CHECK(monthly.children.empty());
    CHECK_FALSE(monthly.placeholder_dependent);
    // A definition that reads it shows the value it read, derived in full.
    const auto& yearly = output(r.x, "yearly");
    CHECK(yearly.outside.empty());
    REQUIRE_FALSE(yearly.children.empty());
    CHECK(yearly.children[0].name == "monthly");
    CHECK(yearly.children[0].outside.empty());
    CHECK_FALSE(yearly.children[0].children.empty());
    std::string t = pol::interp::render_text(*r.loaded.policy, r.x, ExplainOptions{});
    INFO(t);
    CHECK(has_line(t, "  月缴费额：不适用"));
    CHECK(has_line(t, "月缴费额：不适用（可以参保：否）"));
    CHECK(has_line(t, "  年缴费额：960.00 元 ⚠"));
    std::string j = pol::interp::render_json(*r.loaded.policy, r.x, ExplainOptions{});
    CHECK(j.find(R"("name":"monthly","label":"月缴费额","value":80.00)") != std::string::npos);
    CHECK(j.find(R"("applies":false,"not_applicable_because":[{"text":"可以参保：否","state":"fails"}])") != std::string::npos);
  }

  TEST_CASE("inside `applies when`: the derivation as ever, and the failing part alone when one of two fails") {
    const ChineseMessages zh;
    auto in = explain_with(kApplies, R"({"id": "y", "enrolled": true})");
    CHECK(output(in.x, "monthly").outside.empty());
    CHECK_FALSE(output(in.x, "monthly").children.empty());
    auto zero = explain_with(kApplies, R"({"id": "z", "enrolled": true, "wage": 0})");
    const auto& m = output(zero.x, "monthly");
    REQUIRE(m.outside.size() == 1);
    CHECK(m.outside[0].text.find("工资 0.00 元") != std::string::npos);
  }
}
