#pragma once
// The types the checker knows. A numeric type carries a unit, so `money + days` is an error
// found before any case is run; `whole` marks types whose values must be integers (int,
// days, months) and `percent` marks rates, which print as percentages.
#include <cstdint>
#include <string>

namespace pol::dsl {

enum class Base : std::uint8_t { Error, Bool, Number, Date, Enum };
enum class Unit : std::uint8_t { None, Yuan, Days, Months, Years };

struct Type {
  Base base = Base::Error;
  Unit unit = Unit::None;
  bool whole = false;
  bool percent = false;
  std::uint16_t enum_id = 0;

  static Type error() { return {}; }
  static Type boolean() { return {Base::Bool}; }
  static Type number(Unit u = Unit::None, bool whole = false, bool percent = false) {
    return {Base::Number, u, whole, percent};
  }
  static Type money() { return number(Unit::Yuan); }
  static Type date() { return {Base::Date}; }
  static Type enumeration(std::uint16_t id) { return {Base::Enum, Unit::None, false, false, id}; }

  [[nodiscard]] bool is_error() const { return base == Base::Error; }
  [[nodiscard]] bool is_number() const { return base == Base::Number; }
  [[nodiscard]] bool is_money() const { return base == Base::Number && unit == Unit::Yuan; }
  // Same kind of value (units included); `whole` and `percent` only affect display and checks.
  [[nodiscard]] bool same(const Type& o) const {
    return base == o.base && (base != Base::Number || unit == o.unit) && (base != Base::Enum || enum_id == o.enum_id);
  }
};

[[nodiscard]] const char* unit_name(Unit u);         // "money", "days", ... ; "number" for None
[[nodiscard]] const char* unit_label_zh(Unit u);     // "元", "天", "个月", "年", ""

}  // namespace pol::dsl
