#pragma once
// Calendar dates as days since 1970-01-01, built on C++20 <chrono> civil calendar types.
// The supported range is 1900-01-01 .. 2199-12-31; anything else is rejected where it is read.
#include <optional>
#include <string>
#include <string_view>

namespace pol {

inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2199;
// The same range as days since 1970-01-01 (1900-01-01 and 2199-12-31).
inline constexpr long long kMinDays = -25567;
inline constexpr long long kMaxDays = 84005;

// "2025-04-01" -> days since 1970-01-01; nullopt if malformed, not a real date, or out of range.
[[nodiscard]] std::optional<int> parse_date(std::string_view text);
[[nodiscard]] std::string format_date(int days);
void append_date(std::string& out, int days);

enum class DateRounding { Up, Down, Abort };
// Adds whole months; a day that does not exist in the target month (Jan 31 + 1 month) rounds
// down to the month's last day, up to the next month's first, or gives nullopt with Abort.
[[nodiscard]] std::optional<int> add_months(int days, int months, DateRounding rounding);
// The whole months from date `a` to date `b`: the largest m with add_months(a, m, Down) <= b
// (negative when b is before a). From 2025-01-31 to 2025-02-28: 1; to 2025-02-27: 0.
[[nodiscard]] int months_between(int a, int b);

}  // namespace pol
