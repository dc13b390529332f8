#include "base/decimal.hpp"

#include <array>
#include <charconv>

namespace pol {
namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

constexpr std::array<std::int64_t, 19> kPow10 = [] {
  std::array<std::int64_t, 19> p{};
  std::int64_t v = 1;
  for (auto& x : p) {
    x = v;
    if (v <= INT64_MAX / 10) v *= 10;
  }
  return p;
}();

i128 pow10_128(int n) {
  i128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

constexpr i128 kI64Max = INT64_MAX;
constexpr i128 kI64Min = INT64_MIN;

bool fits(i128 v) { return v >= kI64Min && v <= kI64Max; }

}  // namespace

i128 div_pow10(i128 v, int n, RoundMode mode) {
  if (n <= 0) return v;
  if (n > 38) return 0;
  i128 d = pow10_128(n);
  i128 q = v / d;
  i128 r = v % d;
  if (r != 0 && rounds_away<i128>(r < 0 ? -r : r, d, mode)) q += (v < 0 ? -1 : 1);
  return q;
}

bool bring_into_range(i128& coef, int& scale) {
  if (scale > Decimal::kMaxScale) {
    coef = div_pow10(coef, scale - Decimal::kMaxScale, RoundMode::HalfAwayFromZero);
    scale = Decimal::kMaxScale;
  }
  while (!fits(coef) && scale > 0) {
    coef = div_pow10(coef, 1, RoundMode::HalfAwayFromZero);
    --scale;
  }
  return fits(coef);
}

namespace {

// An exact (coefficient, scale) pair as a Decimal, brought into range.
Decimal make(i128 coef, int scale) {
  if (!bring_into_range(coef, scale)) throw DecimalOverflow{"number too large"};
  return Decimal::raw(static_cast<std::int64_t>(coef), scale);
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  std::size_t i = 0;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
  }
  i128 coef = 0;
  int scale = 0;
  bool seen_digit = false, seen_point = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    if (seen_point) {
      if (scale == kMaxScale) {
        if (c != '0') return std::nullopt;  // more precision than we can hold exactly
        continue;
      }
      ++scale;
    }
    coef = coef * 10 + (c - '0');
    if (coef > kI64Max) return std::nullopt;
  }
  if (!seen_digit) return std::nullopt;
  return raw(static_cast<std::int64_t>(neg ? -coef : coef), scale);
}

bool Decimal::is_integer() const {
  return scale_ == 0 || coef_ % kPow10[scale_] == 0;
}

// Fast paths first: the common case is two int64 coefficients whose result fits, which needs
// no 128-bit arithmetic; every other case takes the exact 128-bit path below it.
Decimal Decimal::add_slow(Decimal a, Decimal b) {
  if (a.scale_ != b.scale_) {
    Decimal& lo = a.scale_ < b.scale_ ? a : b;
    const Decimal& hi = a.scale_ < b.scale_ ? b : a;
    std::int64_t up, r;
    if (!__builtin_mul_overflow(lo.coef_, kPow10[hi.scale_ - lo.scale_], &up) && !__builtin_add_overflow(up, hi.coef_, &r))
      return Decimal::raw(r, hi.scale_);
  }
  int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  i128 x = static_cast<i128>(a.coef_) * kPow10[s - a.scale_];
  i128 y = static_cast<i128>(b.coef_) * kPow10[s - b.scale_];
  return make(x + y, s);
}

Decimal Decimal::mul_slow(Decimal a, Decimal b) {
  i128 p = static_cast<i128>(a.coef_) * b.coef_;
  return make(p, a.scale_ + b.scale_);
}

Decimal operator/(Decimal a, Decimal b) {
  if (b.coef_ == 0) throw DecimalOverflow{"division by zero", ArithError::DivisionByZero};
  // result = (a.coef / 10^as) / (b.coef / 10^bs) = a.coef * 10^(bs - as + rs) / b.coef / 10^rs
  // Choose the largest result scale rs <= 18 whose scaled numerator fits in 128 bits.
  for (int rs = Decimal::kMaxScale; rs >= 0; --rs) {
    int shift = b.scale_ - a.scale_ + rs;
    i128 num = a.coef_;
    i128 den = b.coef_;
    if (shift >= 0) {
      // |a.coef| < 2^63, 10^shift up to 10^36: product must stay below 2^126.
      if (shift > 36) continue;
      i128 m = pow10_128(shift);
      i128 anum = num < 0 ? -num : num;
      if (anum != 0 && m > (static_cast<i128>(1) << 125) / anum) continue;
      num *= m;
    } else {
      den *= pow10_128(-shift);
    }
    i128 q = num / den;
    i128 r = num % den;
    if (r != 0) {
      i128 ar = r < 0 ? -r : r;
      i128 ad = den < 0 ? -den : den;
      if (2 * ar >= ad) q += ((num < 0) != (den < 0)) ? -1 : 1;
    }
    if (!fits(q)) continue;
    return Decimal::raw(static_cast<std::int64_t>(q), rs).normalized();
  }
  throw DecimalOverflow{"number too large"};
}

int Decimal::compare_slow(Decimal a, Decimal b) {
  {
    const bool a_lo = a.scale_ < b.scale_;
    std::int64_t up;
    std::int64_t lo = a_lo ? a.coef_ : b.coef_, hi = a_lo ? b.coef_ : a.coef_;
    if (!__builtin_mul_overflow(lo, kPow10[a_lo ? b.scale_ - a.scale_ : a.scale_ - b.scale_], &up)) {
      std::int64_t x = a_lo ? up : hi, y = a_lo ? hi : up;
      return x < y ? -1 : (x > y ? 1 : 0);
    }
  }
  int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  i128 x = static_cast<i128>(a.coef_) * kPow10[s - a.scale_];
  i128 y = static_cast<i128>(b.coef_) * kPow10[s - b.scale_];
  return x < y ? -1 : (x > y ? 1 : 0);
}

Decimal Decimal::normalized() const {
  std::int64_t c = coef_;
  int s = scale_;
  while (s > 0 && c % 10 == 0) {
    c /= 10;
    --s;
  }
  return raw(c, s);
}

void Decimal::append_to(std::string& out, int min_places) const {
  Decimal d = normalized();
  int places = d.scale_ > min_places ? d.scale_ : min_places;
  // digits of |coef| scaled to `places`
  i128 c = static_cast<i128>(d.coef_) * pow10_128(places - d.scale_);
  bool neg = c < 0;
  u128 u = neg ? static_cast<u128>(-c) : static_cast<u128>(c);
  char buf[64];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u != 0);
  while (n <= places) buf[n++] = '0';
  if (neg) out.push_back('-');
  for (int i = n - 1; i >= 0; --i) {
    out.push_back(buf[i]);
    if (i == places && places > 0) out.push_back('.');
  }
}

std::string Decimal::to_string() const {
  std::string s;
  append_to(s, 0);
  return s;
}

std::string Decimal::to_string_fixed(int min_places) const {
  std::string s;
  append_to(s, min_places);
  return s;
}

}  // namespace pol
