// Calendar dates: parsing, printing and adding months.
#include <doctest/doctest.h>

#include <optional>
#include <random>
#include <string>

#include "base/calendar.hpp"

using pol::add_months;
using pol::DateRounding;
using pol::format_date;
using pol::months_between;
using pol::parse_date;

namespace {

int date(const char* text) {
  auto d = parse_date(text);
  REQUIRE_MESSAGE(d.has_value(), "not a date: ", text);
  return *d;
}

std::string after(const char* from, int months, DateRounding r) {
  auto d = add_months(date(from), months, r);
  return d ? format_date(*d) : std::string("abort");
}

}  // namespace

TEST_SUITE("calendar") {
  TEST_CASE("parse_date counts days since 1970-01-01") {
    CHECK(date("1970-01-01") == 0);
    CHECK(date("1970-01-02") == 1);
    CHECK(date("1969-12-31") == -1);
    CHECK(date("2025-08-01") == 20301);
    CHECK(date("2025-04-01") - date("2025-03-31") == 1);
    CHECK(date("2025-01-01") - date("2024-01-01") == 366);
  }

  TEST_CASE("parse_date accepts real dates in range") {
    for (const char* ok : {"2024-02-29", "2000-02-29", "1900-01-01", "2199-12-31", "2025-12-31", "2025-04-30"})
      CHECK_MESSAGE(parse_date(ok).has_value(), "rejected ", ok);
  }

  TEST_CASE("parse_date rejects malformed, impossible and out-of-range dates") {
    for (const char* bad : {"2025-02-29", "1900-02-29", "2100-02-29", "2025-04-31", "2025-13-01", "2025-00-10",
                            "2025-01-00", "2025-01-32", "1899-12-31", "2200-01-01", "25-01-01", "2025-1-01",
                            "2025/01/01", "2025-01-01T00", " 2025-01-01", "2025-01-0a", "", "abcd-ef-gh",
                            "-025-01-01"})
      CHECK_MESSAGE(!parse_date(bad).has_value(), "accepted '", bad, "'");
  }

  TEST_CASE("format_date round trip") {
    for (const char* s : {"1900-01-01", "1969-12-31", "1970-01-01", "2000-02-29", "2024-02-29", "2025-08-01", "2199-12-31"})
      CHECK(format_date(date(s)) == s);
    for (int d = date("2023-12-25"); d < date("2025-03-05"); ++d) {
      auto back = parse_date(format_date(d));
      REQUIRE(back.has_value());
      CHECK(*back == d);
    }
    std::string out = "on ";
    pol::append_date(out, date("2025-04-01"));
    CHECK(out == "on 2025-04-01");
  }

  TEST_CASE("add_months on a day that exists") {
    CHECK(after("2025-01-15", 1, DateRounding::Abort) == "2025-02-15");
    CHECK(after("2025-11-30", 3, DateRounding::Down) == "2026-02-28");
    CHECK(after("2025-03-31", -1, DateRounding::Down) == "2025-02-28");
    CHECK(after("2025-01-31", 12, DateRounding::Abort) == "2026-01-31");
    CHECK(after("2025-05-10", -17, DateRounding::Up) == "2023-12-10");
    CHECK(after("2025-05-10", 0, DateRounding::Abort) == "2025-05-10");
  }

  TEST_CASE("add_months from Jan 31: Up, Down, Abort") {
    CHECK(after("2025-01-31", 1, DateRounding::Down) == "2025-02-28");
    CHECK(after("2025-01-31", 1, DateRounding::Up) == "2025-03-01");
    CHECK(after("2025-01-31", 1, DateRounding::Abort) == "abort");
    CHECK(after("2024-01-31", 1, DateRounding::Down) == "2024-02-29");
    CHECK(after("2024-01-31", 1, DateRounding::Up) == "2024-03-01");
    CHECK(after("2025-01-31", 3, DateRounding::Down) == "2025-04-30");
    CHECK(after("2025-01-31", 3, DateRounding::Up) == "2025-05-01");
    CHECK(after("2025-01-31", 2, DateRounding::Abort) == "2025-03-31");
    CHECK(after("2025-12-31", 2, DateRounding::Up) == "2026-03-01");
  }

  TEST_CASE("months_between counts whole months, and undoes add_months") {
    CHECK(months_between(date("1965-01-01"), date("1965-01-31")) == 0);
    CHECK(months_between(date("1965-01-01"), date("1965-12-15")) == 11);
    CHECK(months_between(date("2025-01-31"), date("2025-02-28")) == 1);  // the month's last day
    CHECK(months_between(date("2025-01-31"), date("2025-02-27")) == 0);
    CHECK(months_between(date("2024-01-31"), date("2024-02-29")) == 1);
    CHECK(months_between(date("2025-03-15"), date("2025-03-14")) == -1);
    CHECK(months_between(date("2025-03-15"), date("2025-03-15")) == 0);
    CHECK(months_between(date("2025-03-15"), date("2024-03-15")) == -12);
    CHECK(months_between(date("1900-01-01"), date("2199-12-31")) == 3599);
    // The largest m with add_months(a, m) <= b, for dates either way round.
    std::mt19937 rng(17);
    std::uniform_int_distribution<int> day(static_cast<int>(pol::kMinDays), static_cast<int>(pol::kMaxDays));
    for (int k = 0; k < 2000; ++k) {
      int a = day(rng), b = day(rng);
      int m = months_between(a, b);
      CHECK(*add_months(a, m, DateRounding::Down) <= b);
      auto next = add_months(a, m + 1, DateRounding::Down);
      CHECK((!next || *next > b));
    }
  }
}
