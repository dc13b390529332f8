#pragma once
// Exact decimal numbers for money, rates and years.
//
// Representation: an int64 coefficient and a decimal scale (0..18): value = coef / 10^scale.
// Every operation is exact or rounds half away from zero (the one rounding mode of the
// language unless a rule names another); an integer part that does not fit is an Overflow
// error, never a wraparound. There is no binary floating point anywhere: literals go from
// text straight to Decimal.
//
// Products keep all their digits up to 18 decimal places; quotients are taken to 18 decimal
// places (fewer when the integer part is large), rounded half away from zero. So 2/3 is
// 0.666666666666666667 and 591.26 * 2/3 rounds to 394.17 at the fen, exactly as the rational
// value would: a fen amount times a fraction with a small denominator never lies on a tie.
//
// Lives in pol_dsl because literals are decimals already when the checker folds constants.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pol {

enum class RoundMode : std::uint8_t { HalfAwayFromZero, TowardZero, AwayFromZero };

// What went wrong in an arithmetic operation: an error kind, never a string to compare.
enum class ArithError : std::uint8_t { Overflow, DivisionByZero, DateRange };

// Thrown by the arithmetic below (and by checked/ops.hpp); the evaluator turns it into an
// EvalError of the same kind.
struct DecimalOverflow {
  const char* what;
  ArithError kind = ArithError::Overflow;
};

// Whether a division by `divisor` that leaves `abs_rem` (0 < abs_rem < divisor) rounds away
// from zero under `mode`: the one rounding rule, for Decimal and the whole-number path alike.
template <class I>
[[nodiscard]] constexpr bool rounds_away(I abs_rem, I divisor, RoundMode mode) {
  return mode == RoundMode::AwayFromZero || (mode == RoundMode::HalfAwayFromZero && abs_rem >= divisor - abs_rem);
}

__extension__ typedef __int128 Int128;
// v / 10^n (n >= 0), rounded under `mode`: the one division with rounding, used by Decimal's
// arithmetic and by the whole-number path's products.
[[nodiscard]] Int128 div_pow10(Int128 v, int n, RoundMode mode);
// Brings an exact product or sum (coef / 10^scale) into a Decimal's range as every operation
// does: digits beyond 18 decimals rounded away, then one decimal fewer at a time while the
// coefficient does not fit an int64. False when even the integer part does not fit.
[[nodiscard]] bool bring_into_range(Int128& coef, int& scale);

class Decimal {
public:
  static constexpr int kMaxScale = 18;

  constexpr Decimal() = default;
  static constexpr Decimal raw(std::int64_t coef, int scale) {
    Decimal d;
    d.coef_ = coef;
    d.scale_ = static_cast<std::uint8_t>(scale);
    return d;
  }
  static constexpr Decimal from_int(std::int64_t v) { return raw(v, 0); }

  // Parses "-12.50", "85%" is not accepted here (the parser divides by 100).
  // Returns nullopt on malformed text or when it does not fit.
  [[nodiscard]] static std::optional<Decimal> parse(std::string_view text);

  [[nodiscard]] constexpr std::int64_t coef() const { return coef_; }
  [[nodiscard]] constexpr int scale() const { return scale_; }
  [[nodiscard]] constexpr bool is_zero() const { return coef_ == 0; }
  [[nodiscard]] constexpr bool is_negative() const { return coef_ < 0; }
  [[nodiscard]] bool is_integer() const;

  // All of these throw DecimalOverflow when the result does not fit. The common case (int64
  // coefficients whose result fits) is inline; the rest goes through exact 128-bit code.
  friend Decimal operator+(Decimal a, Decimal b) {
    std::int64_t r;
    if (a.scale_ == b.scale_ && !__builtin_add_overflow(a.coef_, b.coef_, &r)) return raw(r, a.scale_);
    return add_slow(a, b);
  }
  friend Decimal operator-(Decimal a, Decimal b) {
    std::int64_t r;
    if (a.scale_ == b.scale_ && !__builtin_sub_overflow(a.coef_, b.coef_, &r)) return raw(r, a.scale_);
    return add_slow(a, -b);
  }
  friend Decimal operator*(Decimal a, Decimal b) {
    std::int64_t r;
    if (a.scale_ + b.scale_ <= kMaxScale && !__builtin_mul_overflow(a.coef_, b.coef_, &r))
      return raw(r, a.scale_ + b.scale_);
    return mul_slow(a, b);
  }
  friend Decimal operator/(Decimal a, Decimal b);  // b != 0 (checked by caller)
  [[nodiscard]] Decimal operator-() const {
    if (coef_ == INT64_MIN) throw DecimalOverflow{"number too large"};
    return raw(-coef_, scale_);
  }

  friend int compare(Decimal a, Decimal b) {
    if (a.scale_ == b.scale_) return a.coef_ < b.coef_ ? -1 : (a.coef_ > b.coef_ ? 1 : 0);
    return compare_slow(a, b);
  }
  friend bool operator==(Decimal a, Decimal b) { return compare(a, b) == 0; }
  friend bool operator<(Decimal a, Decimal b) { return compare(a, b) < 0; }
  friend bool operator<=(Decimal a, Decimal b) { return compare(a, b) <= 0; }
  friend bool operator>(Decimal a, Decimal b) { return compare(a, b) > 0; }
  friend bool operator>=(Decimal a, Decimal b) { return compare(a, b) >= 0; }

  // The one rounding function: to `places` decimal places (0..18).
  [[nodiscard]] Decimal round(int places, RoundMode mode = RoundMode::HalfAwayFromZero) const {
    if (places >= scale_) return *this;
    if (places < 0) places = 0;
    std::int64_t d = pow10(scale_ - places);
    std::int64_t q = coef_ / d, r = coef_ % d;
    if (r != 0) {
      if (rounds_away<std::int64_t>(r < 0 ? -r : r, d, mode)) q += coef_ < 0 ? -1 : 1;
    }
    return raw(q, places);
  }
  static constexpr std::int64_t pow10(int n) {
    std::int64_t v = 1;
    for (int i = 0; i < n; ++i) v *= 10;
    return v;
  }
  // The same value with trailing zeros of the fraction removed.
  [[nodiscard]] Decimal normalized() const;

  // Exact text: minimal digits ("0.095", "30", "-2.5").
  [[nodiscard]] std::string to_string() const;
  // Exact text with at least `min_places` decimals ("591.20"); never drops digits.
  [[nodiscard]] std::string to_string_fixed(int min_places) const;
  // Appends to_string_fixed(min_places) to out without allocating beyond out's growth.
  void append_to(std::string& out, int min_places = 0) const;

private:
  static Decimal add_slow(Decimal a, Decimal b);
  static Decimal mul_slow(Decimal a, Decimal b);
  static int compare_slow(Decimal a, Decimal b);
  std::int64_t coef_ = 0;
  std::uint8_t scale_ = 0;
};

}  // namespace pol
