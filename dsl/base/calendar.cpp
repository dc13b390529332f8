#include "base/calendar.hpp"

#include <chrono>

#include <fmt/format.h>

namespace pol {

using namespace std::chrono;

std::optional<int> parse_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto num = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  if (y < kMinYear || y > kMaxYear) return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<int>(sys_days{ymd}.time_since_epoch().count());
}

void append_date(std::string& out, int days) {
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                 static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string format_date(int days) {
  std::string s;
  append_date(s, days);
  return s;
}

std::optional<int> add_months(int days, int n, DateRounding rounding) {
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  year_month ym = year_month{ymd.year(), ymd.month()} + months{n};
  year_month_day target{ym.year(), ym.month(), ymd.day()};
  if (!target.ok()) {
    switch (rounding) {
      case DateRounding::Abort: return std::nullopt;
      case DateRounding::Down: target = year_month_day{year_month_day_last{ym.year(), month_day_last{ym.month()}}}; break;
      case DateRounding::Up: target = year_month_day{(ym + months{1}).year(), (ym + months{1}).month(), day{1}}; break;
    }
  }
  return static_cast<int>(sys_days{target}.time_since_epoch().count());
}

int months_between(int a, int b) {
  year_month_day x{sys_days{std::chrono::days{a}}}, y{sys_days{std::chrono::days{b}}};
  int m = (static_cast<int>(y.year()) - static_cast<int>(x.year())) * 12 +
          (static_cast<int>(static_cast<unsigned>(y.month())) - static_cast<int>(static_cast<unsigned>(x.month())));
  // add_months(a, m) lies in b's month: one month fewer when it falls after b.
  if (*add_months(a, m, DateRounding::Down) > b) --m;
  return m;
}

}  // namespace pol
