// pol_baseline: the rules of policies/jilin_2025.pol written by hand in C++, as the
// baseline that `pol batch` is measured against and checked against.
//
//   pol_baseline CASES.jsonl [--out FILE]     (CASES may be - for standard input)
//   pol_baseline CASES.jsonl --eval-only
//
// Reads JSON Lines with simdjson On Demand and writes one line per case, in input order,
// byte for byte in the format of `pol batch`:
//   {"line":1,"id":"c1","outputs":{"eligible":true,"contribution_base":6223.77,...}}
//   {"line":2,"error":{"message":"..."}}
// A summary (cases, errors, seconds, cases/s) goes to standard error.
//
// --eval-only parses every case into a vector first, then times the rule evaluation alone
// over it (repeated for at least one second), and then evaluation plus formatting of the
// output line into memory (no I/O).
//
// Numbers are exact: every input number is read from its JSON text into an integer scaled
// by 10^6 (no double anywhere), money is computed in fen, and every rounding is half away
// from zero. The parameters are those in force on 2025-08-01.
//
// Limits of the baseline (not of pol): at most 6 decimal places in an input number; the
// decision date is fixed (a case's `as_of` is rejected); blank lines are skipped (but
// counted in line numbers).
#include <fmt/compile.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using i64 = std::int64_t;
__extension__ using i128 = __int128;

constexpr i64 S = 1'000'000;  // scale of input years and money: micro-units

// ---------------------------------------------------------------------------------------
// Parameters at 2025-08-01 (scaled integers).
struct Params {
  i64 avg_monthly_wage_fen = 732208;  // 7322.08
  i64 base_ratio_ppm = 850000;        // 85%
  i64 employer_medical_ppm = 70000;   // 7%
  i64 maternity_low_ppm = 5000;       // 0.5%
  i64 personal_medical_ppm = 20000;   // 2%
  i64 pooling_only_employer_share_ppm = 800000;  // 80%
  i64 required_years_male = 30 * S;
  i64 required_years_female = 25 * S;
  i64 required_jilin_years = 15 * S;
  i64 lump_sum_threshold_years = 2 * S;
  i64 subsidy_max_share_num = 2, subsidy_max_share_den = 3;
  i64 graduate_window_years = 2 * S;
  i64 max_gap_days = 90;
  i64 switch_min_years = 2 * S;
  i64 delivery_reimbursement_ppm = 1000000;  // 100%
};
constexpr Params P{};

// num / den rounded half away from zero; den > 0.
inline i64 round_div(i128 num, i64 den) {
  if (num >= INT64_MIN && num <= INT64_MAX) {
    const i64 n = static_cast<i64>(num);
    i64 q = n / den, r = n % den;
    if (r < 0) r = -r;
    if (2 * r >= den) q += n < 0 ? -1 : 1;
    return q;
  }
  i128 q = num / den, r = num % den;
  if (r < 0) r = -r;
  if (2 * r >= den) q += num < 0 ? -1 : 1;
  return static_cast<i64>(q);
}

// ---------------------------------------------------------------------------------------
// Inputs and outputs.
enum class WorkerType : std::uint8_t {
  SelfEmployed, PartTime, MigrantWorker, PlatformWorker, OtherFlexible, Employee
};
enum class Mode : std::uint8_t { Combined, PoolingOnly };
enum class Gender : std::uint8_t { Male, Female };
enum class SubsidyGroup : std::uint8_t { None, EmploymentDifficulty, Graduate };
enum class Outcome : std::uint8_t {
  NotAtRetirementAge, RetireeBenefits, LumpSumOrContinue, LumpSumOrResident
};

struct Case {
  i64 total_years = 0, jilin_years = 0, combined_years = 0, pooling_only_years = 0;
  i64 years_since_graduation = 0, prior_continuous_years = 0;  // all scaled by S
  i64 gap_days = 0;
  i64 delivery_cost = 0;  // scaled by S
  WorkerType worker_type = WorkerType::SelfEmployed;
  Mode mode = Mode::Combined;
  Gender gender = Gender::Male;
  SubsidyGroup subsidy_group = SubsidyGroup::None;
  bool has_employees = false, in_employee_insurance = false, hukou_in_jilin = false,
       lives_in_jilin = false, works_in_jilin = false, at_retirement_age = false,
       employment_registered = false, switching_scheme = false;
};

struct Outputs {
  i64 contribution_base = 0;      // fen
  i64 contribution_rate = 0;      // scaled by 10^12
  i64 monthly_contribution = 0;   // fen
  i64 annual_contribution = 0;    // fen
  i64 required_total_years = 0;   // scaled by S
  i64 shortfall_years = 0;        // scaled by S
  i64 lump_sum_amount = 0;        // fen
  i64 mode_topup_amount = 0;      // fen
  i64 subsidy_cap = 0;            // fen
  i64 delivery_reimbursement = 0; // fen
  Outcome retirement_outcome = Outcome::NotAtRetirementAge;
  bool eligible = false, personal_account = false, subsidy_eligible = false,
       maternity_allowance = false, continuity_kept = false, waiting_period_applies = false;
};

constexpr i64 kRateScale = 1'000'000'000'000;  // 10^12

// ---------------------------------------------------------------------------------------
// The rules.
inline Outputs evaluate(const Case& c) {
  Outputs o;
  // （一）
  bool flexible = false;
  switch (c.worker_type) {
    case WorkerType::SelfEmployed: flexible = !c.has_employees; break;
    case WorkerType::PartTime:
    case WorkerType::MigrantWorker:
    case WorkerType::PlatformWorker:
    case WorkerType::OtherFlexible: flexible = true; break;
    case WorkerType::Employee: flexible = false; break;
  }
  o.eligible = flexible && !c.in_employee_insurance &&
               (c.hukou_in_jilin || c.lives_in_jilin || c.works_in_jilin);

  // （三）（四）
  o.contribution_base =
      round_div(static_cast<i128>(P.avg_monthly_wage_fen) * P.base_ratio_ppm, 1'000'000);
  const i64 combined_rate =
      (P.employer_medical_ppm + P.maternity_low_ppm + P.personal_medical_ppm) * 1'000'000;
  const i64 pooling_rate =
      P.employer_medical_ppm * P.pooling_only_employer_share_ppm + P.maternity_low_ppm * 1'000'000;
  auto monthly_at = [&](i64 rate) {
    return round_div(static_cast<i128>(o.contribution_base) * rate, kRateScale);
  };
  const i64 annual_combined = 12 * monthly_at(combined_rate);
  const i64 annual_pooling = 12 * monthly_at(pooling_rate);
  o.contribution_rate = c.mode == Mode::Combined ? combined_rate : pooling_rate;
  o.monthly_contribution = monthly_at(o.contribution_rate);
  o.annual_contribution = 12 * o.monthly_contribution;
  o.personal_account = c.mode == Mode::Combined;  // （二）

  // （五）
  o.required_total_years =
      c.gender == Gender::Male ? P.required_years_male : P.required_years_female;
  i64 shortfall = 0;
  if (o.required_total_years - c.total_years > shortfall)
    shortfall = o.required_total_years - c.total_years;
  if (P.required_jilin_years - c.jilin_years > shortfall)
    shortfall = P.required_jilin_years - c.jilin_years;
  o.shortfall_years = shortfall;
  if (!c.at_retirement_age) o.retirement_outcome = Outcome::NotAtRetirementAge;
  else if (c.total_years >= o.required_total_years && c.jilin_years >= P.required_jilin_years)
    o.retirement_outcome = Outcome::RetireeBenefits;
  else if (c.jilin_years >= P.lump_sum_threshold_years)
    o.retirement_outcome = Outcome::LumpSumOrContinue;
  else
    o.retirement_outcome = Outcome::LumpSumOrResident;
  const bool lump = o.retirement_outcome == Outcome::LumpSumOrContinue ||
                    o.retirement_outcome == Outcome::LumpSumOrResident;
  o.lump_sum_amount =
      lump ? round_div(static_cast<i128>(o.shortfall_years) * o.annual_contribution, S) : 0;
  if (c.mode == Mode::Combined && c.at_retirement_age &&
      c.combined_years < o.required_total_years) {
    const i64 missing = o.required_total_years - c.combined_years;
    const i64 p = c.pooling_only_years < missing ? c.pooling_only_years : missing;
    o.mode_topup_amount =
        round_div(static_cast<i128>(missing - p) * annual_combined +
                      static_cast<i128>(p) * (annual_combined - annual_pooling),
                  S);
  }

  // （六）
  o.subsidy_eligible =
      o.eligible && c.employment_registered &&
      (c.subsidy_group == SubsidyGroup::EmploymentDifficulty ||
       (c.subsidy_group == SubsidyGroup::Graduate &&
        c.years_since_graduation <= P.graduate_window_years));
  o.subsidy_cap = o.subsidy_eligible
                      ? round_div(static_cast<i128>(o.monthly_contribution) *
                                      P.subsidy_max_share_num,
                                  P.subsidy_max_share_den)
                      : 0;

  // （八）
  o.delivery_reimbursement =
      round_div(static_cast<i128>(c.delivery_cost) * P.delivery_reimbursement_ppm,
                S * 1'000'000 / 100);
  o.maternity_allowance = false;

  // （九）
  o.continuity_kept =
      c.gap_days <= P.max_gap_days &&
      (o.eligible || (c.switching_scheme && c.prior_continuous_years >= P.switch_min_years));
  o.waiting_period_applies = c.gap_days > 0 && !o.continuity_kept;
  return o;
}

// ---------------------------------------------------------------------------------------
// Output.
using Buf = fmt::memory_buffer;

inline void put(Buf& b, std::string_view s) { b.append(s.data(), s.data() + s.size()); }

// The output line of a case is written through a raw pointer into space reserved in the
// buffer beforehand (kMaxOutputs bytes plus the id): no per-value bounds checks.
constexpr std::size_t kMaxOutputs = 1024;

template <std::size_t N>
inline void lit(char*& p, const char (&s)[N]) {
  std::memcpy(p, s, N - 1);
  p += N - 1;
}
inline void raw(char*& p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  p += s.size();
}
inline void put_uint(char*& p, std::uint64_t v) {
  char tmp[20];
  int n = 0;
  do {
    tmp[19 - n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  std::memcpy(p, tmp + 20 - n, static_cast<std::size_t>(n));
  p += n;
}
inline void put_bool(char*& p, bool v) {
  if (v) lit(p, "true");
  else lit(p, "false");
}
inline void put_money(char*& p, i64 fen) {
  std::uint64_t u = static_cast<std::uint64_t>(fen);
  if (fen < 0) {
    *p++ = '-';
    u = 0 - u;
  }
  put_uint(p, u / 100);
  const unsigned f = static_cast<unsigned>(u % 100);
  p[0] = '.';
  p[1] = static_cast<char>('0' + f / 10);
  p[2] = static_cast<char>('0' + f % 10);
  p += 3;
}
// Minimal exact decimal text of v / scale (scale a power of ten).
inline void put_decimal(char*& p, i64 v, i64 scale) {
  std::uint64_t u = static_cast<std::uint64_t>(v);
  if (v < 0) {
    *p++ = '-';
    u = 0 - u;
  }
  const std::uint64_t us = static_cast<std::uint64_t>(scale);
  put_uint(p, u / us);
  std::uint64_t fp = u % us;
  if (fp == 0) return;
  *p++ = '.';
  for (std::uint64_t d = us / 10; fp != 0; d /= 10) {
    *p++ = static_cast<char>('0' + fp / d);
    fp %= d;
  }
}

constexpr std::string_view kOutcome[] = {"not_at_retirement_age", "retiree_benefits",
                                         "lump_sum_or_continue", "lump_sum_or_resident"};

inline void put_outputs(char*& p, const Outputs& o) {
  lit(p, "\"outputs\":{\"eligible\":");
  put_bool(p, o.eligible);
  lit(p, ",\"contribution_base\":");
  put_money(p, o.contribution_base);
  lit(p, ",\"contribution_rate\":");
  put_decimal(p, o.contribution_rate, kRateScale);
  lit(p, ",\"monthly_contribution\":");
  put_money(p, o.monthly_contribution);
  lit(p, ",\"annual_contribution\":");
  put_money(p, o.annual_contribution);
  lit(p, ",\"personal_account\":");
  put_bool(p, o.personal_account);
  lit(p, ",\"required_total_years\":");
  put_decimal(p, o.required_total_years, S);
  lit(p, ",\"shortfall_years\":");
  put_decimal(p, o.shortfall_years, S);
  lit(p, ",\"retirement_outcome\":\"");
  raw(p, kOutcome[static_cast<int>(o.retirement_outcome)]);
  lit(p, "\",\"lump_sum_amount\":");
  put_money(p, o.lump_sum_amount);
  lit(p, ",\"mode_topup_amount\":");
  put_money(p, o.mode_topup_amount);
  lit(p, ",\"subsidy_eligible\":");
  put_bool(p, o.subsidy_eligible);
  lit(p, ",\"subsidy_cap\":");
  put_money(p, o.subsidy_cap);
  lit(p, ",\"delivery_reimbursement\":");
  put_money(p, o.delivery_reimbursement);
  lit(p, ",\"maternity_allowance\":");
  put_bool(p, o.maternity_allowance);
  lit(p, ",\"continuity_kept\":");
  put_bool(p, o.continuity_kept);
  lit(p, ",\"waiting_period_applies\":");
  put_bool(p, o.waiting_period_applies);
  *p++ = '}';
}

// {"line":N,"id":ID,"outputs":{...}}\n
inline void put_ok_line(Buf& b, std::uint64_t line, std::string_view id, const Outputs& o) {
  const std::size_t n = b.size();
  b.resize(n + kMaxOutputs + id.size());
  char* p = b.data() + n;
  lit(p, "{\"line\":");
  put_uint(p, line);
  if (!id.empty()) {
    lit(p, ",\"id\":");
    raw(p, id);
  }
  *p++ = ',';
  put_outputs(p, o);
  lit(p, "}\n");
  b.resize(static_cast<std::size_t>(p - b.data()));
}

void put_json_string(Buf& b, std::string_view s) {
  put(b, "\"");
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"') put(b, "\\\"");
    else if (ch == '\\') put(b, "\\\\");
    else if (ch == '\n') put(b, "\\n");
    else if (ch == '\t') put(b, "\\t");
    else if (ch == '\r') put(b, "\\r");
    else if (u < 0x20) fmt::format_to(std::back_inserter(b), "\\u{:04x}", u);
    else b.push_back(ch);
  }
  put(b, "\"");
}

// ---------------------------------------------------------------------------------------
// Input.
namespace od = simdjson::ondemand;

constexpr const char* kNotANumber = "is not a valid number";

// JSON number text -> value * 10^6, exactly (no floating point). Returns an error message,
// or nullptr on success.
const char* parse_scaled_slow(std::string_view t, i64& out);

inline const char* parse_scaled(std::string_view t, i64& out) {
  // Fast path: [digits][.digits] with at most 12 integer digits and 6 decimals.
  const char* p = t.data();
  const char* const end = p + t.size();
  std::uint64_t ip = 0;
  const char* q = p;
  while (q < end && static_cast<unsigned>(*q - '0') < 10) ip = ip * 10 + static_cast<unsigned>(*q++ - '0');
  const std::size_t ni = static_cast<std::size_t>(q - p);
  if (ni == 0 || ni > 12 || (ni > 1 && *p == '0')) return parse_scaled_slow(t, out);
  std::uint64_t fp = 0;
  int nf = 0;
  if (q < end && *q == '.') {
    ++q;
    while (q < end && static_cast<unsigned>(*q - '0') < 10 && nf < 7) fp = fp * 10 + static_cast<unsigned>(*q++ - '0'), ++nf;
    if (nf == 0 || nf > 6) return parse_scaled_slow(t, out);
  }
  if (q != end) return parse_scaled_slow(t, out);
  static constexpr std::uint64_t kPow[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
  out = static_cast<i64>(ip * 1000000 + fp * kPow[nf]);
  return nullptr;
}

const char* parse_scaled_slow(std::string_view t, i64& out) {
  constexpr std::uint64_t kLimit = static_cast<std::uint64_t>(INT64_MAX);
  const char* p = t.data();
  const char* const end = p + t.size();
  auto digit = [&](const char* q) { return q < end && *q >= '0' && *q <= '9'; };
  const bool neg = p < end && *p == '-';
  if (neg) ++p;
  if (!digit(p)) return kNotANumber;
  if (*p == '0' && digit(p + 1)) return kNotANumber;
  std::uint64_t mant = 0;  // all significant digits read so far
  int frac_digits = 0;     // how many of them follow the decimal point
  int zeros = 0;           // fractional zeros not yet added to mant (trailing, maybe)
  bool big = false;
  auto add = [&](unsigned d) {
    if (mant > (kLimit - d) / 10) big = true;
    else mant = mant * 10 + d;
  };
  for (; digit(p); ++p) add(static_cast<unsigned>(*p - '0'));
  if (p < end && *p == '.') {
    ++p;
    if (!digit(p)) return kNotANumber;
    for (; digit(p); ++p) {
      if (*p == '0') {
        ++zeros;
        continue;
      }
      for (; zeros > 0; --zeros) add(0), ++frac_digits;
      add(static_cast<unsigned>(*p - '0'));
      ++frac_digits;
    }
  }
  long exp = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool eneg = false;
    if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
    if (!digit(p)) return kNotANumber;
    for (; digit(p); ++p)
      if (exp < 100000) exp = exp * 10 + (*p - '0');
    if (eneg) exp = -exp;
  }
  if (p != end) return kNotANumber;
  if (big) return "is too large";
  if (mant == 0) {
    out = 0;
    return nullptr;
  }
  // value = mant * 10^(exp - frac_digits); we want value * 10^6.
  for (long shift = exp - frac_digits + 6; shift != 0;) {
    if (shift < 0) {
      if (mant % 10 != 0) return "has more decimal places than the baseline supports (6)";
      mant /= 10;
      ++shift;
    } else {
      if (mant > kLimit / 10) return "is too large";
      mant *= 10;
      --shift;
    }
  }
  out = neg ? -static_cast<i64>(mant) : static_cast<i64>(mant);
  return nullptr;
}

enum class Field : std::uint8_t {
  Unknown, Id, AsOf, WorkerType, HasEmployees, InEmployeeInsurance, HukouInJilin, LivesInJilin,
  WorksInJilin, Mode, Gender, AtRetirementAge, TotalYears, JilinYears, CombinedYears,
  PoolingOnlyYears, SubsidyGroup, YearsSinceGraduation, EmploymentRegistered, SwitchingScheme,
  PriorContinuousYears, GapDays, DeliveryCost, Count
};
constexpr std::string_view kFieldNames[] = {
    "", "id", "as_of", "worker_type", "has_employees", "in_employee_insurance",
    "hukou_in_jilin", "lives_in_jilin", "works_in_jilin", "mode", "gender",
    "at_retirement_age", "total_years", "jilin_years", "combined_years", "pooling_only_years",
    "subsidy_group", "years_since_graduation", "employment_registered", "switching_scheme",
    "prior_continuous_years", "gap_days", "delivery_cost"};
static_assert(std::size(kFieldNames) == static_cast<std::size_t>(Field::Count));

// Equality of short strings without a call to memcmp.
inline bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

Field field_of(std::string_view k) {
  // Length and one distinguishing letter select the only candidate; one compare confirms it.
  Field f = Field::Unknown;
  if (k.empty()) return f;
  const char c0 = k[0];
  switch (k.size()) {
    case 2: f = Field::Id; break;
    case 4: f = Field::Mode; break;
    case 5: f = Field::AsOf; break;
    case 6: f = Field::Gender; break;
    case 8: f = Field::GapDays; break;
    case 11:
      f = c0 == 'w' ? Field::WorkerType : c0 == 't' ? Field::TotalYears : Field::JilinYears;
      break;
    case 13:
      f = c0 == 'h' ? Field::HasEmployees : c0 == 's' ? Field::SubsidyGroup : Field::DeliveryCost;
      break;
    case 14:
      f = c0 == 'h'   ? Field::HukouInJilin
          : c0 == 'l' ? Field::LivesInJilin
          : c0 == 'w' ? Field::WorksInJilin
                      : Field::CombinedYears;
      break;
    case 16: f = Field::SwitchingScheme; break;
    case 17: f = Field::AtRetirementAge; break;
    case 18: f = Field::PoolingOnlyYears; break;
    case 21: f = c0 == 'i' ? Field::InEmployeeInsurance : Field::EmploymentRegistered; break;
    case 22: f = c0 == 'y' ? Field::YearsSinceGraduation : Field::PriorContinuousYears; break;
    default: return Field::Unknown;
  }
  const std::string_view name = kFieldNames[static_cast<int>(f)];
  return same(name, k) ? f : Field::Unknown;
}

struct EnumEntry {
  std::string_view id, label;
  std::uint8_t value;
};
constexpr EnumEntry kWorkerTypes[] = {
    {"self_employed", "个体工商户", 0}, {"part_time", "非全日制从业人员", 1},
    {"migrant_worker", "农民工", 2},    {"platform_worker", "新就业形态人员", 3},
    {"other_flexible", "其他灵活就业人员", 4}, {"employee", "用人单位职工", 5}};
constexpr EnumEntry kModes[] = {{"combined", "统账结合", 0}, {"pooling_only", "单建统筹", 1}};
constexpr EnumEntry kGenders[] = {{"male", "男", 0}, {"female", "女", 1}};
constexpr EnumEntry kSubsidyGroups[] = {
    {"none", "无", 0}, {"employment_difficulty", "就业困难人员", 1}, {"graduate", "高校毕业生", 2}};

template <std::size_t K>
bool lookup(const EnumEntry (&table)[K], std::string_view s, std::uint8_t& out) {
  for (const auto& e : table)
    if (same(s, e.id) || same(s, e.label)) {
      out = e.value;
      return true;
    }
  return false;
}

template <std::size_t K>
std::string expected_values(const EnumEntry (&table)[K]) {
  std::string s;
  for (std::size_t i = 0; i < K; ++i) {
    if (i) s += i + 1 == K ? " or " : ", ";
    s += table[i].id;
  }
  return s;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' ||
                        s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

const char* type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "a value";
}

struct ParseResult {
  bool ok = false;
  std::string_view id;  // raw JSON token, empty if none
  std::string message;
};

// Parses one line into c. On failure fills r.message (syntax errors win over later-found
// validation errors: the line is read to its end either way).
class LineParser {
public:
  ParseResult parse(const char* p, std::size_t len, std::size_t capacity, Case& c) {
    ParseResult r;
    c = Case{};
    std::string err;  // first validation error
    bool syntax = false;
    auto fail = [&](std::string m) {
      if (err.empty()) err = std::move(m);
    };
    bool seen[static_cast<int>(Field::Count)] = {};

    [&] {
      od::document doc;
      if (parser_.iterate(p, len, capacity).get(doc)) {
        syntax = true;
        return;
      }
      od::object obj;
      {
        od::json_type t;
        if (doc.type().get(t)) {
          syntax = true;
          return;
        }
        if (t != od::json_type::object) {
          fail(std::string("a case must be a JSON object, got ") + type_name(t));
          return;
        }
      }
      if (doc.get_object().get(obj)) {
        syntax = true;
        return;
      }
      for (auto fr : obj) {
        od::field f;
        if (std::move(fr).get(f)) {
          syntax = true;
          return;
        }
        // The key as it stands in the text when it has no escapes (the usual case), else
        // unescaped by simdjson.
        std::string_view key;
        {
          const char* k0 = f.key().raw();
          const char* k1 = k0;
          while (*k1 != '"' && *k1 != '\\') ++k1;
          if (*k1 == '"') key = std::string_view(k0, static_cast<std::size_t>(k1 - k0));
          else if (f.unescaped_key().get(key)) {
            syntax = true;
            return;
          }
        }
        od::value v = f.value();
        od::json_type t;
        if (v.type().get(t)) {
          syntax = true;
          return;
        }
        const std::string_view raw = trim_right(v.raw_json_token());
        const Field fld = field_of(key);
        // Consume (and so validate) the value according to its JSON type.
        bool bval = false;
        std::string_view sval, num_text;
        switch (t) {
          case od::json_type::boolean:
            if (v.get_bool().get(bval)) { syntax = true; return; }
            break;
          case od::json_type::string:
            if (v.get_string().get(sval)) { syntax = true; return; }
            break;
          case od::json_type::number:
            num_text = raw;
            break;
          case od::json_type::null: {
            bool isnull = false;
            if (v.is_null().get(isnull) || !isnull) { syntax = true; return; }
            break;
          }
          default: break;  // objects/arrays are skipped by the iterator
        }
        if (fld == Field::Unknown) {
          fail(fmt::format("unknown input '{}': jilin_2025 declares no such input", key));
          if (t == od::json_type::number) {
            i64 dummy;
            if (const char* e = parse_scaled(num_text, dummy); e && e == kNotANumber)
              syntax = true;
          }
          if (syntax) return;
          continue;
        }
        const int fi = static_cast<int>(fld);
        if (seen[fi]) fail(fmt::format("{}: duplicate key", key));
        seen[fi] = true;
        const std::string_view name = kFieldNames[fi];
        auto wrong_type = [&](const char* expected) {
          fail(fmt::format("{}: expected {}, got {}", name, expected, type_name(t)));
        };
        auto number = [&](i64& out, const char* what) {
          if (t != od::json_type::number) return wrong_type(what);
          i64 x = 0;
          if (const char* e = parse_scaled(num_text, x)) {
            if (e == kNotANumber) {
              syntax = true;
              return;
            }
            return fail(fmt::format("{}: {} {}", name, num_text, e));
          }
          if (x < 0) return fail(fmt::format("{}: expected {}, got {}", name, what, num_text));
          out = x;
        };
        auto boolean = [&](bool& out) {
          if (t != od::json_type::boolean) return wrong_type("true or false");
          out = bval;
        };
        auto enumeration = [&](auto& table, auto& out) {
          if (t != od::json_type::string)
            return wrong_type(("one of " + expected_values(table)).c_str());
          std::uint8_t x = 0;
          if (!lookup(table, sval, x))
            return fail(fmt::format("{}: unknown value \"{}\", expected one of {}", name, sval,
                                    expected_values(table)));
          out = static_cast<std::remove_reference_t<decltype(out)>>(x);
        };
        switch (fld) {
          case Field::Id:
            if (t != od::json_type::string && t != od::json_type::number)
              wrong_type("a string or a number");
            else
              r.id = raw;
            break;
          case Field::AsOf:
            fail("as_of: the baseline evaluates at 2025-08-01 only");
            break;
          case Field::WorkerType: enumeration(kWorkerTypes, c.worker_type); break;
          case Field::HasEmployees: boolean(c.has_employees); break;
          case Field::InEmployeeInsurance: boolean(c.in_employee_insurance); break;
          case Field::HukouInJilin: boolean(c.hukou_in_jilin); break;
          case Field::LivesInJilin: boolean(c.lives_in_jilin); break;
          case Field::WorksInJilin: boolean(c.works_in_jilin); break;
          case Field::Mode: enumeration(kModes, c.mode); break;
          case Field::Gender: enumeration(kGenders, c.gender); break;
          case Field::AtRetirementAge: boolean(c.at_retirement_age); break;
          case Field::TotalYears: number(c.total_years, "years >= 0"); break;
          case Field::JilinYears: number(c.jilin_years, "years >= 0"); break;
          case Field::CombinedYears: number(c.combined_years, "years >= 0"); break;
          case Field::PoolingOnlyYears: number(c.pooling_only_years, "years >= 0"); break;
          case Field::SubsidyGroup: enumeration(kSubsidyGroups, c.subsidy_group); break;
          case Field::YearsSinceGraduation: number(c.years_since_graduation, "years >= 0"); break;
          case Field::EmploymentRegistered: boolean(c.employment_registered); break;
          case Field::SwitchingScheme: boolean(c.switching_scheme); break;
          case Field::PriorContinuousYears: number(c.prior_continuous_years, "years >= 0"); break;
          case Field::GapDays: {
            i64 x = 0;
            number(x, "whole days >= 0");
            if (!syntax && err.empty()) {
              if (x % S != 0) fail(fmt::format("gap_days: expected whole days, got {}", num_text));
              else c.gap_days = x / S;
            }
            break;
          }
          case Field::DeliveryCost: number(c.delivery_cost, "money >= 0"); break;
          default: break;
        }
        if (syntax) return;
      }
      // Anything after the object is an error.
      if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) syntax = true;
    }();

    if (syntax) {
      r.id = {};
      r.message = "invalid JSON";
      return r;
    }
    if (err.empty()) {
      if (!seen[static_cast<int>(Field::WorkerType)])
        err = "missing input worker_type, needed by eligible";
      else if (!seen[static_cast<int>(Field::Gender)])
        err = "missing input gender, needed by required_total_years";
      else if (c.jilin_years > c.total_years)
        err = "jilin_years must not exceed total_years";
      else if (static_cast<i128>(c.combined_years) + c.pooling_only_years > c.total_years)
        err = "combined_years + pooling_only_years must not exceed total_years";
    }
    if (!err.empty()) {
      r.message = std::move(err);
      return r;
    }
    r.ok = true;
    return r;
  }

private:
  od::parser parser_;
};

// ---------------------------------------------------------------------------------------
// Driver.

// Reads a stream line by line into a buffer with simdjson's padding after the data.
class LineReader {
public:
  explicit LineReader(std::FILE* f) : f_(f), buf_(kInitial + simdjson::SIMDJSON_PADDING) {}

  // Next line (without '\n' / '\r\n'); false at the end. `capacity` is the bytes readable
  // from the line's start (at least len + SIMDJSON_PADDING).
  bool next(const char*& p, std::size_t& len, std::size_t& capacity) {
    for (;;) {
      const char* begin = buf_.data() + pos_;
      const char* end = buf_.data() + have_;
      if (const void* nl = std::memchr(begin, '\n', static_cast<std::size_t>(end - begin))) {
        const char* e = static_cast<const char*>(nl);
        pos_ = static_cast<std::size_t>(e - buf_.data()) + 1;
        return emit(begin, e, p, len, capacity);
      }
      if (eof_) {
        if (begin == end) return false;
        pos_ = have_;
        return emit(begin, end, p, len, capacity);
      }
      fill();
    }
  }

private:
  static constexpr std::size_t kInitial = std::size_t{8} << 20;

  bool emit(const char* b, const char* e, const char*& p, std::size_t& len,
            std::size_t& capacity) {
    if (e > b && e[-1] == '\r') --e;
    p = b;
    len = static_cast<std::size_t>(e - b);
    capacity = static_cast<std::size_t>(buf_.data() + buf_.size() - b);
    return true;
  }

  void fill() {
    const std::size_t usable = buf_.size() - simdjson::SIMDJSON_PADDING;
    if (pos_ > 0) {  // keep the unfinished line, at the front
      std::memmove(buf_.data(), buf_.data() + pos_, have_ - pos_);
      have_ -= pos_;
      pos_ = 0;
    }
    if (have_ == usable) buf_.resize(2 * usable + simdjson::SIMDJSON_PADDING);
    const std::size_t room = buf_.size() - simdjson::SIMDJSON_PADDING - have_;
    const std::size_t n = std::fread(buf_.data() + have_, 1, room, f_);
    have_ += n;
    if (n < room) {
      if (std::ferror(f_)) {
        std::perror("pol_baseline: read");
        std::exit(2);
      }
      eof_ = true;
    }
  }

  std::FILE* f_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, have_ = 0;
  bool eof_ = false;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool blank(const char* p, std::size_t len) {
  for (std::size_t i = 0; i < len; ++i)
    if (p[i] != ' ' && p[i] != '\t') return false;
  return true;
}

void write_all(std::FILE* out, Buf& b) {
  if (b.size() && std::fwrite(b.data(), 1, b.size(), out) != b.size()) {
    std::perror("pol_baseline: write");
    std::exit(2);
  }
  b.clear();
}

int run_batch(std::FILE* in, std::FILE* out) {
  const auto t0 = std::chrono::steady_clock::now();
  LineReader reader(in);
  LineParser lp;
  Buf b;
  b.reserve(std::size_t{1} << 21);
  std::uint64_t line = 0, cases = 0, errors = 0;
  const char* p;
  std::size_t len, cap;
  Case c;
  while (reader.next(p, len, cap)) {
    ++line;
    if (blank(p, len)) continue;
    ++cases;
    ParseResult r = lp.parse(p, len, cap, c);
    if (r.ok) {
      put_ok_line(b, line, r.id, evaluate(c));
    } else {
      ++errors;
      fmt::format_to(std::back_inserter(b), FMT_COMPILE("{{\"line\":{}"), line);
      if (!r.id.empty()) {
        put(b, ",\"id\":");
        put(b, r.id);
      }
      put(b, ",\"error\":{\"message\":");
      put_json_string(b, fmt::format("line {}: {}", line, r.message));
      put(b, "}}\n");
    }
    if (b.size() >= (std::size_t{1} << 20)) write_all(out, b);
  }
  write_all(out, b);
  if (std::fflush(out) != 0) {
    std::perror("pol_baseline: write");
    return 2;
  }
  const double s = seconds_since(t0);
  std::fprintf(stderr, "pol_baseline: %llu cases, %llu errors, %.3f s, %.0f cases/s\n",
               static_cast<unsigned long long>(cases), static_cast<unsigned long long>(errors),
               s, s > 0 ? static_cast<double>(cases) / s : 0.0);
  return 0;
}

int run_eval_only(std::FILE* in) {
  LineReader reader(in);
  LineParser lp;
  std::vector<Case> cases;
  std::uint64_t errors = 0;
  const char* p;
  std::size_t len, cap;
  Case c;
  const auto tp = std::chrono::steady_clock::now();
  while (reader.next(p, len, cap)) {
    if (blank(p, len)) continue;
    if (lp.parse(p, len, cap, c).ok) cases.push_back(c);
    else ++errors;
  }
  const double parse_s = seconds_since(tp);
  std::fprintf(stderr, "pol_baseline: parsed %zu cases (%llu errors) in %.3f s\n", cases.size(),
               static_cast<unsigned long long>(errors), parse_s);
  if (cases.empty()) return 0;

  // Evaluation alone. The checksum keeps the work from being optimised away.
  std::uint64_t checksum = 0, evaluated = 0;
  auto t0 = std::chrono::steady_clock::now();
  double s = 0;
  do {
    for (const Case& k : cases) {
      const Outputs o = evaluate(k);
      checksum += static_cast<std::uint64_t>(o.lump_sum_amount + o.mode_topup_amount +
                                             o.subsidy_cap + o.shortfall_years) +
                  (o.eligible ? 1u : 0u) + (o.continuity_kept ? 2u : 0u) +
                  static_cast<unsigned>(o.retirement_outcome);
    }
    evaluated += cases.size();
    s = seconds_since(t0);
  } while (s < 1.0);
  std::printf("eval-only: %llu cases in %.3f s, %.0f cases/s (checksum %llu)\n",
              static_cast<unsigned long long>(evaluated), s, static_cast<double>(evaluated) / s,
              static_cast<unsigned long long>(checksum));

  // Evaluation plus formatting of each output line into memory (buffer reused, no I/O).
  Buf b;
  b.reserve(std::size_t{1} << 21);
  std::uint64_t bytes = 0;
  evaluated = 0;
  t0 = std::chrono::steady_clock::now();
  do {
    std::uint64_t line = 0;
    for (const Case& k : cases) {
      put_ok_line(b, ++line, "\"c\"", evaluate(k));
      if (b.size() >= (std::size_t{1} << 20)) bytes += b.size(), b.clear();
    }
    bytes += b.size();
    b.clear();
    evaluated += cases.size();
    s = seconds_since(t0);
  } while (s < 1.0);
  std::printf("eval+format: %llu cases in %.3f s, %.0f cases/s (%llu bytes)\n",
              static_cast<unsigned long long>(evaluated), s, static_cast<double>(evaluated) / s,
              static_cast<unsigned long long>(bytes));
  return 0;
}

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "pol_baseline: %s\n", msg);
  std::fprintf(stderr, "usage: pol_baseline CASES.jsonl [--out FILE] [--eval-only]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  const char* in_path = nullptr;
  const char* out_path = nullptr;
  bool eval_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--out") {
      if (++i >= argc) usage("--out needs a file name");
      out_path = argv[i];
    } else if (a == "--eval-only") {
      eval_only = true;
    } else if (a == "-h" || a == "--help") {
      usage(nullptr);
    } else if (!in_path && (a == "-" || a.substr(0, 1) != "-")) {
      in_path = argv[i];
    } else {
      usage("unexpected argument");
    }
  }
  if (!in_path) usage(nullptr);
  std::FILE* in = std::string_view(in_path) == "-" ? stdin : std::fopen(in_path, "rb");
  if (!in) {
    std::fprintf(stderr, "pol_baseline: %s: %s\n", in_path, std::strerror(errno));
    return 2;
  }
  if (eval_only) return run_eval_only(in);
  std::FILE* out = stdout;
  if (out_path && std::string_view(out_path) != "-") {
    out = std::fopen(out_path, "wb");
    if (!out) {
      std::fprintf(stderr, "pol_baseline: %s: %s\n", out_path, std::strerror(errno));
      return 2;
    }
  }
  const int rc = run_batch(in, out);
  if (out != stdout && std::fclose(out) != 0) {
    std::perror("pol_baseline: write");
    return 2;
  }
  return rc;
}
