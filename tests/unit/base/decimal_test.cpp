// Exact decimals: parsing, printing, arithmetic, the rounding modes and overflow.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "base/decimal.hpp"

using pol::Decimal;
using pol::DecimalOverflow;
using pol::RoundMode;

namespace {

Decimal D(const char* text) {
  auto d = Decimal::parse(text);
  REQUIRE_MESSAGE(d.has_value(), "cannot parse '", text, "'");
  return *d;
}

std::string S(Decimal d) { return d.to_string(); }

}  // namespace

TEST_SUITE("decimal") {
  TEST_CASE("parse accepts plain decimal text") {
    CHECK(D("0").is_zero());
    CHECK(D("12").coef() == 12);
    CHECK(D("12").scale() == 0);
    CHECK(D("12.50").coef() == 1250);
    CHECK(D("12.50").scale() == 2);
    CHECK(D("-2.5").is_negative());
    CHECK(D("+3").coef() == 3);
    CHECK(D("0.000000000000000001").scale() == 18);
    CHECK(D("9223372036854775807").coef() == INT64_MAX);
    // Trailing zeros beyond 18 places are exact and so accepted.
    CHECK(S(D("1.0000000000000000000000")) == "1");
  }

  TEST_CASE("parse rejects malformed or unrepresentable text") {
    for (const char* bad : {"", "-", ".", "1.2.3", "12a", "1e5", "85%", " 1", "1 ", "--1", "0x10",
                            "9223372036854775808", "0.0000000000000000001", "1,5"})
      CHECK_MESSAGE(!Decimal::parse(bad).has_value(), "accepted '", bad, "'");
  }

  TEST_CASE("to_string prints minimal exact text; to_string_fixed pads") {
    CHECK(S(D("0.095")) == "0.095");
    CHECK(S(D("30.000")) == "30");
    CHECK(S(D("-2.50")) == "-2.5");
    CHECK(S(D("0")) == "0");
    CHECK(S(D("-0.001")) == "-0.001");
    CHECK(D("591.2").to_string_fixed(2) == "591.20");
    CHECK(D("591.255").to_string_fixed(2) == "591.255");  // never drops digits
    CHECK(D("7").to_string_fixed(2) == "7.00");
    CHECK(D("-0.5").to_string_fixed(2) == "-0.50");
    CHECK(D("0").to_string_fixed(0) == "0");
    CHECK(Decimal::raw(INT64_MIN, 0).to_string() == "-9223372036854775808");
    CHECK(Decimal::raw(INT64_MIN, 18).to_string() == "-9.223372036854775808");
    std::string out = "x=";
    D("1.5").append_to(out, 2);
    CHECK(out == "x=1.50");
  }

  TEST_CASE("addition and subtraction are exact across scales") {
    CHECK(S(D("0.1") + D("0.2")) == "0.3");
    CHECK(D("0.1") + D("0.2") == D("0.3"));
    CHECK(S(D("591.26") + D("0.005")) == "591.265");
    CHECK(S(D("1") - D("0.000000000000000001")) == "0.999999999999999999");
    CHECK(S(D("-7") + D("2.5")) == "-4.5");
    CHECK(S(D("7095.12") - D("4555.80")) == "2539.32");
    // A large integer plus a long fraction: the fraction is rounded away, never wrapped.
    Decimal big = Decimal::from_int(INT64_MAX / 10);
    Decimal sum = big + D("0.5");
    CHECK(sum > big);
  }

  TEST_CASE("multiplication keeps every digit up to 18 places") {
    CHECK(S(D("6223.77") * D("0.095")) == "591.25815");
    CHECK(S(D("7322.08") * D("0.85")) == "6223.768");
    CHECK(S(D("12") * D("591.26")) == "7095.12");
    CHECK(S(D("-1.5") * D("1.5")) == "-2.25");
    CHECK(S(D("0.000000001") * D("0.000000001")) == "0.000000000000000001");
    // Beyond 18 places the product rounds half away from zero.
    CHECK(S(D("0.000000001") * D("0.0000000005")) == "0.000000000000000001");
    CHECK(S(D("-0.000000001") * D("0.0000000005")) == "-0.000000000000000001");
  }

  TEST_CASE("division is taken to 18 places, half away from zero") {
    Decimal two_thirds = D("2") / D("3");
    CHECK(S(two_thirds) == "0.666666666666666667");
    CHECK(S(D("1") / D("3")) == "0.333333333333333333");
    CHECK(S(D("-2") / D("3")) == "-0.666666666666666667");
    CHECK(S(D("1") / D("8")) == "0.125");
    CHECK(S(D("85") / D("100")) == "0.85");
    CHECK(S(D("10") / D("4")) == "2.5");
    CHECK(S(D("7095.12") / D("12")) == "591.26");
    // 591.26 × 2/3 rounds to 394.17 at the fen, as the rational value would.
    CHECK(S((D("591.26") * two_thirds).round(2)) == "394.17");
    // A large quotient keeps fewer decimals instead of overflowing.
    Decimal q = Decimal::from_int(INT64_MAX / 1000) / D("3");
    CHECK(q > Decimal::from_int(INT64_MAX / 3000 - 1));
  }

  TEST_CASE("round half away from zero") {
    CHECK(S(D("2.345").round(2)) == "2.35");
    CHECK(S(D("-2.345").round(2)) == "-2.35");
    CHECK(S(D("0.125").round(2)) == "0.13");
    CHECK(S(D("-0.125").round(2)) == "-0.13");
    CHECK(S(D("2.344999").round(2)) == "2.34");
    CHECK(S(D("2.5").round(0)) == "3");
    CHECK(S(D("-2.5").round(0)) == "-3");
    CHECK(S(D("591.25815").round(2)) == "591.26");
    CHECK(S(D("1.2").round(5)) == "1.2");  // fewer places than asked: unchanged
    CHECK(D("2.345").round(2).scale() == 2);
  }

  TEST_CASE("round toward zero and away from zero") {
    CHECK(S(D("2.349").round(2, RoundMode::TowardZero)) == "2.34");
    CHECK(S(D("-2.349").round(2, RoundMode::TowardZero)) == "-2.34");
    CHECK(S(D("2.341").round(2, RoundMode::AwayFromZero)) == "2.35");
    CHECK(S(D("-2.341").round(2, RoundMode::AwayFromZero)) == "-2.35");
    CHECK(S(D("2.34").round(2, RoundMode::AwayFromZero)) == "2.34");
    CHECK(S(D("2.340").round(2, RoundMode::AwayFromZero)) == "2.34");
    CHECK(S(D("0.001").round(0, RoundMode::AwayFromZero)) == "1");
    CHECK(S(D("0.999").round(0, RoundMode::TowardZero)) == "0");
  }

  TEST_CASE("compare across scales") {
    CHECK(D("1.50") == D("1.5"));
    CHECK(D("1.5") == D("1.500000000000000000"));
    CHECK(D("0.1") < D("0.10000000000000001"));
    CHECK(D("-1") < D("-0.999999999999999999"));
    CHECK(D("30") >= D("30.0"));
    CHECK(D("29.99") < D("30"));
    CHECK(compare(D("2"), D("1.999")) == 1);
    CHECK(compare(D("1.999"), D("2")) == -1);
    // Comparing where scaling up would overflow int64 still gives the right order.
    CHECK(Decimal::from_int(INT64_MAX) > D("0.000000000000000001"));
    CHECK(Decimal::from_int(INT64_MIN) < D("-0.000000000000000001"));
    CHECK(Decimal::from_int(9'000'000'000'000'000'000) > D("8.999999999999999999"));
  }

  TEST_CASE("normalized and is_integer") {
    CHECK(D("12.500").normalized().scale() == 1);
    CHECK(D("12.000").is_integer());
    CHECK(!D("12.001").is_integer());
    CHECK(D("-3").is_integer());
  }

  TEST_CASE("overflow throws DecimalOverflow and never wraps") {
    Decimal e18 = Decimal::from_int(1'000'000'000'000'000'000);
    CHECK_THROWS_AS((void)(e18 * e18), DecimalOverflow);
    Decimal max = Decimal::from_int(INT64_MAX);
    Decimal min = Decimal::from_int(INT64_MIN);
    CHECK_THROWS_AS((void)(max + Decimal::from_int(1)), DecimalOverflow);
    CHECK_THROWS_AS((void)(min - Decimal::from_int(1)), DecimalOverflow);
    CHECK_THROWS_AS((void)(max * Decimal::from_int(2)), DecimalOverflow);
    CHECK_THROWS_AS((void)(min * Decimal::from_int(-1)), DecimalOverflow);
    CHECK_THROWS_AS((void)(-min), DecimalOverflow);
    CHECK_THROWS_AS((void)(max / D("0.5")), DecimalOverflow);
    // INT64-sized products: 3037000500^2 just exceeds INT64_MAX.
    Decimal r = Decimal::from_int(3'037'000'500);
    CHECK_THROWS_AS((void)(r * r), DecimalOverflow);
    Decimal r2 = Decimal::from_int(3'037'000'499);
    CHECK_NOTHROW((void)(r2 * r2));
    CHECK(S(r2 * r2) == "9223372030926249001");
    // Fractions that cannot all be kept are rounded, not an overflow: the integer part fits.
    CHECK_NOTHROW((void)(D("3037000499.5") * D("3037000499.5")));
    // The result of a throwing operation is never a wrapped value of the other sign.
    bool threw = false;
    try {
      Decimal p = max * max;
      CHECK(p > Decimal::from_int(0));
    } catch (const DecimalOverflow& e) {
      threw = true;
      CHECK(std::string(e.what).find("too large") != std::string::npos);
    }
    CHECK(threw);
  }

  TEST_CASE("division by zero throws") {
    CHECK_THROWS_AS((void)(D("1") / D("0")), DecimalOverflow);
    CHECK_THROWS_AS((void)(D("0") / D("0.00")), DecimalOverflow);
    try {
      (void)(D("5") / Decimal::from_int(0));
    } catch (const DecimalOverflow& e) {
      CHECK(std::string(e.what) == "division by zero");
    }
  }
}
