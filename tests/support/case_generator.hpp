#pragma once
// Random cases for a policy, built from what it declares (its inputs' types, enums, bounds
// and the constants its rules compare with), so tests follow the policies as they change.
// Deterministic for a seed. Used by the property tests and the conformance test.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/calendar.hpp"
#include "checked/checked.hpp"

namespace pol::test {

using pol::Decimal;
using pol::checked::Policy;
using pol::dsl::Base;

// Random cases for one policy, as JSON objects, built from its declarations.
class CaseGenerator {
public:
  // What the cases are for: Valid (mostly valid values near the numbers the rules use, some
  // inputs left out), Boundary (exactly those numbers and the dates either side of the
  // policy's), Missing (most inputs left out), Overflow (numbers near the decimal limit, and
  // long fractions).
  enum class Mode { Valid, Boundary, Missing, Overflow };

  CaseGenerator(const Policy& p, std::uint32_t seed, Mode mode = Mode::Valid) : p_(p), rng_(seed), mode_(mode) {
    // Numbers the rules and bounds compare with, by unit: the values around them are where
    // conditions change their answer.
    for (const auto& n : p.nodes)
      if (n.op == pol::checked::Op::Const && n.type.base == Base::Number) numbers_[unit_key(n.type)].insert(n.constant);
    for (const auto& prm : p.params)
      if (prm.type.base == Base::Number)
        for (const auto& v : prm.values) numbers_[unit_key(prm.type)].insert(v.value);
    // Dates: the policy's own (parameter changes, as_of contexts, date constants), and the
    // days either side of each.
    for (const auto& prm : p.params)
      for (const auto& v : prm.values)
        if (v.from) add_date(*v.from);
    for (int d : p.contexts) add_date(d);
    for (const auto& n : p.nodes)
      if (n.op == pol::checked::Op::Const && n.type.base == Base::Date) add_date(pol::checked::as_date(n.constant));
    if (p.header.effective) add_date(*p.header.effective);
    if (dates_.empty()) add_date(*pol::parse_date("2025-01-01"));
  }

  // A case: each input given (a random value of its type) or left out; as_of sometimes.
  std::string next() {
    std::string j = "{";
    auto sep = [&] {
      if (j.size() > 1) j += ", ";
    };
    for (const auto& in : p_.inputs) {
      if (mode_ == Mode::Missing ? pick(4) != 0 : pick(4) == 0) continue;  // left out: its default, or missing
      sep();
      j += "\"" + in.name + "\": " + value_json(in.type);
    }
    if (pick(3) != 0) {
      sep();
      j += "\"as_of\": \"" + pol::format_date(random_date()) + "\"";
    }
    return j + "}";
  }

private:
  static int unit_key(const pol::dsl::Type& t) { return static_cast<int>(t.unit); }

  int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint32_t>(n)); }

  void add_date(int d) {
    for (int k = -1; k <= 1; ++k)
      if (pol::format_date(d + k) >= "1900-01-01" && pol::format_date(d + k) <= "2199-12-31") dates_.push_back(d + k);
  }

  int random_date() { return dates_[static_cast<std::size_t>(pick(static_cast<int>(dates_.size())))]; }

  std::string value_json(const pol::dsl::Type& t) {
    switch (t.base) {
      case Base::Bool: return pick(2) ? "true" : "false";
      case Base::Enum: {
        const auto& values = p_.enums[t.enum_id].values;
        const auto& v = values[static_cast<std::size_t>(pick(static_cast<int>(values.size())))];
        return fmt::format("\"{}\"", pick(4) == 0 ? v.label : v.name);  // a label is accepted too
      }
      case Base::Date: return fmt::format("\"{}\"", pol::format_date(random_date()));
      case Base::Number: return number_json(t);
      case Base::Error: break;
    }
    FAIL("input of an unknown type");
    return "null";
  }

  std::string number_json(const pol::dsl::Type& t) {
    if (mode_ == Mode::Overflow && pick(2) == 0) return huge_json(t);
    Decimal step = t.whole ? Decimal::from_int(1) : t.unit == pol::dsl::Unit::Yuan ? Decimal::raw(1, 2) : Decimal::raw(25, 2);
    Decimal v;
    const auto& near = numbers_[unit_key(t)];
    if (!near.empty() && (mode_ == Mode::Boundary || pick(3) != 0)) {
      // A number the rules use, or one step either side of it.
      auto it = near.begin();
      std::advance(it, pick(static_cast<int>(near.size())));
      v = *it;
      int k = mode_ == Mode::Boundary && pick(2) == 0 ? 0 : pick(3) - 1;
      if (k < 0) v = v - step;
      if (k > 0) v = v + step;
    } else {
      // A small random amount, in steps.
      v = step * Decimal::from_int(pick(t.unit == pol::dsl::Unit::Yuan ? 2000000 : 200));
    }
    if (t.whole) v = v.round(0);
    if (v.is_negative() && pick(8) != 0) v = -v;  // mostly valid; validation rejects the rest
    return v.to_string();
  }

  // A number near the limits of exact decimals: 18 digits, or a long fraction.
  std::string huge_json(const pol::dsl::Type& t) {
    static const char* const kHuge[] = {"999999999999999999", "-999999999999999999", "123456789012345678",
                                        "900000000000000000", "4611686018427387904", "0.000000000000000001",
                                        "99999999999999.9999", "1e18", "-0.5"};
    std::string v = kHuge[pick(static_cast<int>(std::size(kHuge)))];
    if (t.whole && v.find('.') != std::string::npos) return "999999999999999999";
    return v;
  }

  const Policy& p_;
  std::mt19937 rng_;
  Mode mode_;
  struct Less {
    bool operator()(const Decimal& a, const Decimal& b) const { return a < b; }
  };
  std::map<int, std::set<Decimal, Less>> numbers_;
  std::vector<int> dates_;
};

}  // namespace pol::test
