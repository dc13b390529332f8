// The look-ups of compare/index.hpp and the points of pol sweep --vary (compare/sweep_range.hpp).
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "compare/compare.hpp"
#include "compare/index.hpp"
#include "compare/sweep_range.hpp"
#include "fixture.hpp"

namespace {

using pol::checked::Value;

// The outputs among `rules`, by name.
std::vector<std::string> outputs_among(const pol::checked::Policy& p, const std::vector<std::uint32_t>& rules) {
  std::vector<std::string> out;
  for (auto r : rules)
    if (p.rules[r].is_output) out.push_back(p.rules[r].name);
  return out;
}

std::string refusal(const std::string& arg) {
  try {
    pol::interp::SweepRange r(arg);
  } catch (const pol::interp::CompareUsageError& e) {
    return e.message;
  }
  return "";
}

}  // namespace

TEST_SUITE("compare") {
  TEST_CASE("the outputs each rule, input and parameter can affect: the dependency closure, computed once") {
    auto f = pol::test::load_fixture();
    const auto& p = *f.policy;
    pol::interp::AffectedOutputs affected(p);
    for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
      CAPTURE(p.rules[r].name);
      CHECK(affected.of_rule(r) == outputs_among(p, p.rules_affected_by_rule(r)));
      // The closure holds the rule and every rule that reads one in it.
      auto closure = p.rules_affected_by_rule(r);
      std::set<std::uint32_t> in(closure.begin(), closure.end());
      CHECK(in.count(r) == 1);
      for (std::uint32_t i = 0; i < p.rules.size(); ++i)
        for (auto d : p.rule_rules[i])
          if (in.count(d)) CHECK(in.count(i) == 1);
    }
    for (std::uint32_t k = 0; k < p.params.size(); ++k) CHECK(affected.of_param(k) == outputs_among(p, p.rules_affected_by_param(k)));
    pol::interp::PolicyIndex index(p);
    for (std::size_t i = 0; i < p.inputs.size(); ++i) CHECK(index.inputs.find(p.inputs[i].name) == static_cast<int>(i));
    CHECK(index.rules.find("no_such_rule") == -1);
  }

  TEST_CASE("sweep points: counted before they are made, refused at the decimal limits") {
    pol::interp::SweepRange r("x=0..1:0.25");
    REQUIRE(r.xs.size() == 5);
    CHECK(r.xs.back() == Value::raw(1, 0));
    CHECK(pol::interp::SweepRange("x=1..1").xs.size() == 1);
    CHECK(pol::interp::SweepRange("x=0..1").xs.size() == 51);
    CHECK(pol::interp::SweepRange("x=0..1:0.3").xs.back() == Value::raw(9, 1));
    CHECK(pol::interp::SweepRange("x=0..100000:1").xs.size() == 100001);
    CHECK(refusal("x=0..100001:1").find("100001 steps; at most 100000") != std::string::npos);
    CHECK(refusal("x=0..1:0.000000000000000001").find("1000000000000000000 steps") != std::string::npos);
    CHECK(refusal("x=-9200000000000000000..9200000000000000000").find("wider than") != std::string::npos);
    CHECK(refusal("x=0..1:1e-18").find("STEP '1e-18' is not a number") != std::string::npos);
    CHECK(refusal("x=2..1").find("TO (1) is below FROM (2)") != std::string::npos);
    CHECK(refusal("x=0..1:0").find("STEP must be positive") != std::string::npos);
    auto top = pol::interp::SweepRange("x=9223372036854775000..9223372036854775807:100");
    CHECK(top.xs.size() == 9);
  }

  TEST_CASE("sweep points: a whole-number axis takes whole points, a percentage only a rate") {
    auto days = pol::dsl::Type::number(pol::dsl::Unit::Days, true);
    pol::interp::SweepRange half("d=0..3:0.5");
    std::string why;
    try {
      half.check_axis("p", "d", "天数", days, Value::from_int(1));
    } catch (const pol::interp::CompareUsageError& e) {
      why = e.message;
    }
    CHECK(why.find("takes whole days, and the point 0.5 is not one") != std::string::npos);
    CHECK_NOTHROW(pol::interp::SweepRange("d=0..3:1").check_axis("p", "d", "天数", days, Value::from_int(1)));
    // Half a unit times a factor of 2 is whole.
    CHECK_NOTHROW(half.check_axis("p", "d", "天数", days, Value::from_int(2)));
    CHECK_THROWS_AS(pol::interp::SweepRange("m=0..1000:1%").check_axis("p", "m", "金额", pol::dsl::Type::money(), Value::from_int(1)),
                    pol::interp::CompareUsageError);
    CHECK_NOTHROW(pol::interp::SweepRange("r=1%..5%:1%").check_axis("p", "r", "费率",
                                                                    pol::dsl::Type::number(pol::dsl::Unit::None, false, true),
                                                                    Value::from_int(1)));
  }
}
