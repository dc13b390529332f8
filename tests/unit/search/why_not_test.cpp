// --why-not's search (search/counterfactual.cpp) on jilin_2025: the changes found for a woman
// at retirement age with 20 total years and 10 Jilin years, the thresholds they cross, --fix,
// and that every change it proposes is a valid case.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "base/calendar.hpp"
#include "eval/evaluator.hpp"
#include "fixture.hpp"
#include "search/search.hpp"

namespace {

using pol::checked::Value;

const char* kCase = R"({"id": "retire-female-20-10", "as_of": "2025-08-01", "worker_type": "个体工商户",
  "hukou_in_jilin": true, "mode": "pooling_only", "gender": "女", "at_retirement_age": true,
  "total_years": 20, "jilin_years": 10, "pooling_only_years": 20})";

struct Setup {
  pol::test::Loaded loaded;
  pol::interp::Case c;
  std::uint32_t outcome = 0;
  Value retiree;
  std::uint32_t slot(const std::string& name) const { return static_cast<std::uint32_t>(loaded.policy->find_input(name)); }
};

Setup setup() {
  Setup s{pol::test::load_file("policies/jilin_2025.pol"), {}, 0, {}};
  pol::interp::CaseError err;
  REQUIRE(pol::test::read_json_case(*s.loaded.schema, kCase, s.c, err));
  const auto& p = *s.loaded.policy;
  auto it = std::find_if(p.rules.begin(), p.rules.end(), [](const auto& r) { return r.name == "retirement_outcome"; });
  REQUIRE(it != p.rules.end());
  s.outcome = static_cast<std::uint32_t>(it - p.rules.begin());
  int ord = p.enums[it->type.enum_id].find("retiree_benefits");
  REQUIRE(ord >= 0);
  s.retiree = Value::from_int(ord);
  return s;
}

}  // namespace

TEST_SUITE("search") {
  TEST_CASE("why-not retiree benefits: both shortfalls together, no single change") {
    Setup s = setup();
    pol::interp::Program prog(*s.loaded.policy, s.c.as_of);
    auto w = pol::interp::why_not(prog, s.c, s.outcome, s.retiree, {});
    REQUIRE_FALSE(w.found.empty());
    for (const auto& f : w.found) {
      CHECK(f.changes.size() == 2);  // no one input suffices
      CHECK(f.value == s.retiree);
    }
    const auto& best = w.found[0];
    REQUIRE(best.changes.size() == 2);
    auto change_of = [&](const std::string& name) {
      auto it = std::find_if(best.changes.begin(), best.changes.end(), [&](const auto& ch) { return ch.input == s.slot(name); });
      REQUIRE(it != best.changes.end());
      return *it;
    };
    auto total = change_of("total_years"), jilin = change_of("jilin_years");
    CHECK(total.from == Value::from_int(20));
    CHECK(total.to == Value::from_int(25));
    CHECK(total.difference == Value::from_int(5));
    CHECK(jilin.from == Value::from_int(10));
    CHECK(jilin.to == Value::from_int(15));
    CHECK(best.size == Value::from_int(10));
    // Each change crosses its own threshold, in clause (五) first paragraph.
    REQUIRE(best.bindings.size() == 2);
    for (const auto& b : best.bindings) {
      CHECK_FALSE(b.held_before);
      CHECK(b.holds_after);
      CHECK(b.clause == "（五）第一段");
      CHECK(b.threshold == (b.input == s.slot("total_years") ? Value::from_int(25) : Value::from_int(15)));
    }
    CHECK(w.invalid > 0);  // jilin_years above total_years was tried and refused
  }

  TEST_CASE("every change proposed is a valid case") {
    Setup s = setup();
    pol::interp::Program prog(*s.loaded.policy, s.c.as_of);
    pol::interp::Evaluator ev(prog);
    auto w = pol::interp::why_not(prog, s.c, s.outcome, std::nullopt, {});
    REQUIRE_FALSE(w.found.empty());
    for (std::size_t i = 1; i < w.found.size(); ++i)
      CHECK(w.found[i - 1].changes.size() <= w.found[i].changes.size());
    for (const auto& f : w.found) {
      auto k = s.c;
      for (const auto& ch : f.changes) k.values[ch.input] = ch.to, k.state[ch.input] = pol::interp::InputState::Given;
      CHECK_FALSE(ev.validate(k).has_value());
      CHECK_FALSE(f.value == w.current);
    }
  }

  TEST_CASE("--fix holds an input") {
    Setup s = setup();
    pol::interp::Program prog(*s.loaded.policy, s.c.as_of);
    auto w = pol::interp::why_not(prog, s.c, s.outcome, s.retiree, {s.slot("jilin_years")});
    CHECK(w.found.empty());  // retiree benefits need 15 Jilin years
    auto v = pol::interp::why_not(prog, s.c, s.outcome, std::nullopt, {s.slot("jilin_years"), s.slot("at_retirement_age")});
    for (const auto& f : v.found)
      for (const auto& ch : f.changes) {
        CHECK(ch.input != s.slot("jilin_years"));
        CHECK(ch.input != s.slot("at_retirement_age"));
      }
  }
}

TEST_SUITE("search") {
  TEST_CASE("find-disagreement: the smallest case leaves out inputs without a default that change nothing") {
    auto policy = [](const std::string& name, const std::string& share) {
      return pol::test::load_source("policy " + name + " \"" + name + "\"\n" + R"(
input birth : date "出生日期"
input kind : int "类别" min 0
input wage : money "工资" default 1000 min 0
input share : rate "比例" default 10% min 0%

output born : date "出生日期加一天" = birth + 1
)" + "output paid : money \"缴费\" = when kind >= 1 then round(wage * (" + share + ")) otherwise 0\n",
                                    name + ".pol");
    };
    auto a = policy("a", "share");
    auto pb = policy("b", "share + 2%");  // B pays 2% more
    auto outputs = pol::interp::shared_outputs(*a.policy, *pb.policy, {"paid"});
    auto r = pol::interp::find_disagreement(*a.policy, *pb.policy, outputs, std::nullopt);
    REQUIRE_FALSE(r.found.empty());
    const auto& d = r.found.front();
    std::vector<std::string> given;
    for (const auto& [slot, v] : d.given) given.push_back(a.policy->inputs[slot].name);
    CAPTURE(given.size());
    // `kind` decides whether anything is paid: it stays; the birth date is read by no compared
    // output: it goes, and the case as each side reads it leaves it out too.
    CHECK(std::find(given.begin(), given.end(), "kind") != given.end());
    CHECK(std::find(given.begin(), given.end(), "birth") == given.end());
    CHECK(d.a.state[static_cast<std::size_t>(a.policy->find_input("birth"))] == pol::interp::InputState::Absent);
    REQUIRE(d.differences.size() == 1);
  }
}
