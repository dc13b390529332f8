// The structural diff (the static part of pol diff): the fixture against itself, and against a
// variant in which exactly one parameter value differs.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "base/calendar.hpp"
#include "compare/compare.hpp"
#include "fixture.hpp"

namespace {

// The fixture with the text `from` replaced by `to` (which must occur exactly once).
pol::test::Loaded variant(const std::string& from, const std::string& to) {
  std::string text = pol::test::read_text(pol::test::fixture_path());
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  text.replace(at, from.size(), to);
  return pol::test::load_source(text, pol::test::fixture_path());
}

}  // namespace

TEST_SUITE("compare") {
  TEST_CASE("the fixture against itself: no change") {
    auto a = pol::test::load_fixture();
    auto b = pol::test::load_fixture();
    CHECK(pol::interp::static_diff(*a.policy, *b.policy, std::nullopt).empty());
    CHECK(pol::interp::static_diff(*a.policy, *b.policy, pol::parse_date("2025-08-01")).empty());
  }

  TEST_CASE("one parameter value changed: exactly that change, and the outputs it can move") {
    auto a = pol::test::load_fixture();
    auto b = variant("  9.5% from 2025-04-01", "  10% from 2025-04-01");
    for (auto date : {std::optional<int>{}, pol::parse_date("2025-08-01")}) {
      auto changes = pol::interp::static_diff(*a.policy, *b.policy, date);
      REQUIRE(changes.size() == 1);
      const auto& c = changes[0];
      CHECK(c.kind == "param");
      CHECK(c.what == "changed");
      CHECK(c.name == "rate");
      CHECK(c.label == "费率");
      CHECK(c.before.find("9.5%") != std::string::npos);
      CHECK(c.after.find("10%") != std::string::npos);
      CHECK(c.before_json != c.after_json);
      // monthly is the only output that reads the rate.
      CHECK(c.affects == std::vector<std::string>{"monthly"});
    }
  }

  TEST_CASE("the change goes the other way when the sides are swapped") {
    auto a = pol::test::load_fixture();
    auto b = variant("  90 from 2025-04-01", "  60 from 2025-04-01");
    auto ab = pol::interp::static_diff(*a.policy, *b.policy, std::nullopt);
    auto ba = pol::interp::static_diff(*b.policy, *a.policy, std::nullopt);
    REQUIRE(ab.size() == 1);
    REQUIRE(ba.size() == 1);
    CHECK(ab[0].name == "max_gap_days");
    CHECK(ab[0].affects == std::vector<std::string>{"kept"});
    CHECK(ab[0].before == ba[0].after);
    CHECK(ab[0].after == ba[0].before);
  }
}
