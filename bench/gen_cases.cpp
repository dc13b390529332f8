// pol_gen_cases: deterministic benchmark cases for policies/jilin_2025.pol, or for any policy.
//
//   pol_gen_cases N [--format jsonl|csv] [--broken PERCENT] [--seed S] [--policy FILE]
//
// Without --policy, and with --policy naming the policy jilin_2025, the cases are those of the
// hand-tuned jilin_2025 generator below (bench/run.sh compares pol with bench/baseline.cpp on
// them, so they stay byte for byte the same for the same N and seed); with --policy, its key
// list and enum values are first checked against the policy's declarations. For any other
// policy the cases are found from its declarations (bench/gen_declared.cpp; only in the
// project's build, which has the checker).
//
// Writes N cases to standard output: JSON Lines (one object per line) or CSV (a header row,
// then one row per case). Case i depends only on the seed and on i, so the first 100,000
// cases of a 10,000,000-case file are the 100,000-case file.
//
// Every enum value appears (identifiers, and in about one case in ten the Chinese labels),
// and every threshold of the policy appears often together with its neighbours:
// total_years 24.99/25/29.99/30, jilin_years 1.99/2/14.99/15, combined_years the same values
// as total_years, years_since_graduation 1.99/2/2.01, prior_continuous_years 1.99/2/2.01,
// gap_days 0/1/89/90/91. Every valid case satisfies the policy's constraints (years >= 0,
// jilin_years <= total_years, combined_years + pooling_only_years <= total_years).
//
// Decimals are generated as integers in hundredths and printed as exact decimal text,
// sometimes minimal ("25", "2.5") and sometimes with two places ("25.00", "2.50"). In JSON
// Lines, a key whose value equals the input's default is sometimes left out (CSV always writes
// every cell), so the JSON Lines and CSV files of the same N and seed describe exactly the
// same cases.
//
// --broken P replaces P percent of the cases (chosen deterministically) by invalid ones of
// several kinds: malformed JSON (in CSV: a wrong number of fields), a value of the wrong type,
// an undeclared key (JSON only), a negative number, jilin_years > total_years,
// combined_years + pooling_only_years > total_years, an unknown enum value, a missing gender.
//
// The random numbers come from splitmix64 and plain integer arithmetic only, so the output is
// the same on every platform and with every standard library.
#include <fmt/compile.h>
#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "gen_rng.hpp"
#ifdef POL_GEN_DECLARED
#include "gen_declared.hpp"
#endif

namespace {

using pol_bench::Rng;

struct Enum {
  const char* id;
  const char* label;
};
constexpr Enum kWorkerType[] = {
    {"self_employed", "个体工商户"},      {"part_time", "非全日制从业人员"},
    {"migrant_worker", "农民工"},         {"platform_worker", "新就业形态人员"},
    {"other_flexible", "其他灵活就业人员"}, {"employee", "用人单位职工"},
};
constexpr Enum kMode[] = {{"combined", "统账结合"}, {"pooling_only", "单建统筹"}};
constexpr Enum kGender[] = {{"male", "男"}, {"female", "女"}};
constexpr Enum kSubsidyGroup[] = {
    {"none", "无"}, {"employment_difficulty", "就业困难人员"}, {"graduate", "高校毕业生"}};

enum Key : int {
  kId, kWorker, kHasEmployees, kInEmployeeInsurance, kHukou, kLives, kWorks, kModeKey,
  kGenderKey, kAtRetirement, kTotal, kJilin, kCombined, kPooling, kSubsidy, kYsg,
  kRegistered, kSwitching, kPrior, kGap, kDelivery, kKeyCount
};
constexpr const char* kKeyNames[kKeyCount] = {
    "id", "worker_type", "has_employees", "in_employee_insurance", "hukou_in_jilin",
    "lives_in_jilin", "works_in_jilin", "mode", "gender", "at_retirement_age", "total_years",
    "jilin_years", "combined_years", "pooling_only_years", "subsidy_group",
    "years_since_graduation", "employment_registered", "switching_scheme",
    "prior_continuous_years", "gap_days", "delivery_cost"};

enum class Kind : std::uint8_t { Bool, Enum, Hundredths, Money, Days, Id };

struct Case {
  std::uint64_t index = 0;
  int worker = 0, mode = 0, gender = 0, subsidy = 0;
  bool has_employees = false, in_employee_insurance = false, hukou = false, lives = false,
       works = false, at_retirement = false, registered = false, switching = false;
  std::int64_t total = 0, jilin = 0, combined = 0, pooling = 0, ysg = 0, prior = 0;  // 1/100 y
  std::int64_t gap = 0;       // days
  std::int64_t delivery = 0;  // fen
  bool labels = false;        // print enums as Chinese labels
  bool padded = false;        // print decimals with two places
  std::uint32_t omit = 0;     // bit per key: left out (only when the value is the default)
};

// A value in [0, hi] hundredths with 0, 1 or 2 decimals.
std::int64_t random_hundredths(Rng& r, std::int64_t hi) {
  static constexpr std::int64_t kStep[] = {100, 10, 1};
  const std::int64_t step = kStep[r.below(3)];
  return static_cast<std::int64_t>(r.below(static_cast<std::uint64_t>(hi / step) + 1)) * step;
}

// Picks one of `v` no larger than hi, or -1 when none fits.
template <std::size_t K>
std::int64_t pick_at_most(Rng& r, const std::int64_t (&v)[K], std::int64_t hi) {
  std::int64_t fit[K];
  std::size_t n = 0;
  for (std::int64_t x : v)
    if (x <= hi) fit[n++] = x;
  return n == 0 ? -1 : fit[r.below(n)];
}

Case make_case(std::uint64_t seed, std::uint64_t i) {
  Rng r{seed ^ (i * 0xd1b54a32d192ed03ULL)};
  r.next();
  Case c;
  c.index = i;
  c.worker = static_cast<int>(r.below(6));
  c.has_employees = r.percent(50);
  c.in_employee_insurance = r.percent(25);
  c.hukou = r.percent(50);
  c.lives = r.percent(50);
  c.works = r.percent(50);
  c.mode = static_cast<int>(r.below(2));
  c.gender = static_cast<int>(r.below(2));
  c.at_retirement = r.percent(50);

  static constexpr std::int64_t kTotalEdges[] = {2499, 2500, 2999, 3000};
  static constexpr std::int64_t kJilinEdges[] = {199, 200, 1499, 1500};
  c.total = r.percent(40) ? r.pick(kTotalEdges) : random_hundredths(r, 4000);

  const unsigned jr = static_cast<unsigned>(r.below(100));
  std::int64_t j = -1;
  if (jr < 45) j = pick_at_most(r, kJilinEdges, c.total);
  else if (jr < 55) j = c.total;
  c.jilin = j >= 0 ? j : random_hundredths(r, c.total);

  const unsigned cr = static_cast<unsigned>(r.below(100));
  std::int64_t cb = -1;
  if (cr < 25) cb = pick_at_most(r, kTotalEdges, c.total);
  else if (cr < 40) cb = c.total;
  else if (cr < 50) cb = 0;
  c.combined = cb >= 0 ? cb : random_hundredths(r, c.total);
  const unsigned pr = static_cast<unsigned>(r.below(100));
  if (pr < 20) c.pooling = c.total - c.combined;
  else if (pr < 50) c.pooling = 0;
  else c.pooling = random_hundredths(r, c.total - c.combined);

  c.subsidy = static_cast<int>(r.below(3));
  static constexpr std::int64_t kTwoEdges[] = {199, 200, 201};
  c.ysg = r.percent(40) ? r.pick(kTwoEdges) : random_hundredths(r, 1000);
  c.registered = r.percent(50);
  c.switching = r.percent(50);
  c.prior = r.percent(40) ? r.pick(kTwoEdges) : random_hundredths(r, 2000);
  static constexpr std::int64_t kGapEdges[] = {0, 1, 89, 90, 91};
  c.gap = r.percent(45) ? r.pick(kGapEdges) : static_cast<std::int64_t>(r.below(401));
  c.delivery = r.percent(20) ? 0 : static_cast<std::int64_t>(r.below(5000001));

  c.labels = r.percent(10);
  c.padded = r.percent(50);
  // Leave out some keys whose value is the default (JSON Lines only).
  if (r.percent(30)) {
    const bool defaults[kKeyCount] = {
        false, false, !c.has_employees, !c.in_employee_insurance, !c.hukou, !c.lives,
        !c.works, c.mode == 0, false, !c.at_retirement, c.total == 0, c.jilin == 0,
        c.combined == 0, c.pooling == 0, c.subsidy == 0, c.ysg == 0, !c.registered,
        !c.switching, c.prior == 0, c.gap == 0, c.delivery == 0};
    for (int k = 0; k < kKeyCount; ++k)
      if (defaults[k] && r.percent(50)) c.omit |= 1u << k;
  }
  return c;
}

using Buf = fmt::memory_buffer;

void put(Buf& b, std::string_view s) { b.append(s.data(), s.data() + s.size()); }

void put_hundredths(Buf& b, std::int64_t h, bool padded) {
  if (h < 0) {
    put(b, "-");
    h = -h;
  }
  const std::int64_t ip = h / 100, fp = h % 100;
  if (padded) fmt::format_to(std::back_inserter(b), FMT_COMPILE("{}.{:02}"), ip, fp);
  else if (fp == 0) fmt::format_to(std::back_inserter(b), FMT_COMPILE("{}"), ip);
  else if (fp % 10 == 0) fmt::format_to(std::back_inserter(b), FMT_COMPILE("{}.{}"), ip, fp / 10);
  else fmt::format_to(std::back_inserter(b), FMT_COMPILE("{}.{:02}"), ip, fp);
}

void put_money(Buf& b, std::int64_t fen) {
  if (fen < 0) {
    put(b, "-");
    fen = -fen;
  }
  fmt::format_to(std::back_inserter(b), FMT_COMPILE("{}.{:02}"), fen / 100, fen % 100);
}

// The broken kinds.
enum class Broken : int {
  None = -1, BadSyntax, WrongType, UnknownKey, Negative, JilinOverTotal, ModesOverTotal,
  UnknownEnum, MissingGender, Count
};

struct Writer {
  bool csv = false;
  Buf b;

  void header() {
    if (!csv) return;
    for (int k = 0; k < kKeyCount; ++k) {
      if (k) put(b, ",");
      put(b, kKeyNames[k]);
    }
    put(b, "\n");
  }

  // Writes one case; `broken` selects a defect (variant chooses among sub-kinds).
  void write(Case c, Broken broken, std::uint64_t variant) {
    int bad_key = -1;                 // key whose value is replaced by `bad_text`
    std::string_view bad_text;
    bool extra_key = false, truncate = false, missing_gender = false;
    switch (broken) {
      case Broken::None: case Broken::Count: break;
      case Broken::BadSyntax: truncate = true; break;
      case Broken::WrongType: {
        static constexpr struct { int key; const char* text; } kWrong[] = {
            {kTotal, "\"25\""}, {kHasEmployees, "1"}, {kGenderKey, "2"},
            {kGap, "\"90\""}, {kDelivery, "true"}, {kWorker, "null"}};
        const auto& w = kWrong[variant % 6];
        bad_key = w.key;
        bad_text = w.text;
        if (csv) {  // CSV cells are text: only a non-number / non-bool can be wrong
          static constexpr struct { int key; const char* text; } kWrongCsv[] = {
              {kTotal, "abc"}, {kHasEmployees, "yes please"}, {kGap, "ninety"}};
          const auto& wc = kWrongCsv[variant % 3];
          bad_key = wc.key;
          bad_text = wc.text;
        }
        break;
      }
      case Broken::UnknownKey:
        if (csv) truncate = true;  // no per-row keys in CSV: a short row instead
        else extra_key = true;
        break;
      case Broken::Negative: {
        static constexpr int kNeg[] = {kTotal, kJilin, kYsg, kPrior, kGap, kDelivery,
                                       kCombined, kPooling};
        bad_key = kNeg[variant % 8];
        bad_text = bad_key == kGap ? "-1" : "-0.01";
        break;
      }
      case Broken::JilinOverTotal:
        c.jilin = c.total + 1;
        break;
      case Broken::ModesOverTotal:
        c.combined = c.total - c.total / 2;
        c.pooling = c.total / 2 + 1;
        break;
      case Broken::UnknownEnum: {
        static constexpr struct { int key; const char* text; } kEnum[] = {
            {kWorker, "astronaut"}, {kModeKey, "Combined"}, {kGenderKey, "other"},
            {kSubsidy, "student"}};
        const auto& e = kEnum[variant % 4];
        bad_key = e.key;
        bad_text = e.text;
        break;
      }
      case Broken::MissingGender:
        missing_gender = true;
        break;
    }
    // CSV writes every cell (a default-valued key is written out, not left empty).
    if (broken != Broken::None || csv) c.omit = 0;
    if (missing_gender) c.omit = 1u << kGenderKey;  // in CSV: an empty gender cell

    const std::size_t start = b.size();
    if (!csv) put(b, "{");
    bool first = true;
    for (int k = 0; k < kKeyCount; ++k) {
      const bool omitted = (c.omit >> k) & 1u;
      if (omitted && !csv) continue;
      if (!first) put(b, csv ? "," : ", ");
      first = false;
      if (!csv) {
        put(b, "\"");
        put(b, kKeyNames[k]);
        put(b, "\": ");
      }
      if (omitted) continue;  // CSV: empty cell
      if (k == bad_key) {
        if (!csv && broken == Broken::UnknownEnum) {
          put(b, "\"");
          put(b, bad_text);
          put(b, "\"");
        } else {
          put(b, bad_text);
        }
        continue;
      }
      value(c, k);
    }
    if (extra_key) put(b, ", \"monthly_income\": 5000");
    if (!csv) put(b, "}");
    if (truncate) {
      // JSON: cut inside the object; CSV: drop the last fields of the row.
      const std::size_t len = b.size() - start;
      b.resize(start + (csv ? len * 2 / 3 : len - 1 - variant % 3));
      if (csv) {
        while (b.size() > start && b.data()[b.size() - 1] != ',') b.resize(b.size() - 1);
        if (b.size() > start) b.resize(b.size() - 1);
      }
    }
    put(b, "\n");
  }

  void enum_value(const Enum& e, bool labels) {
    if (!csv) put(b, "\"");
    put(b, labels ? e.label : e.id);
    if (!csv) put(b, "\"");
  }

  void value(const Case& c, int k) {
    auto boolean = [&](bool v) { put(b, v ? "true" : "false"); };
    switch (k) {
      case kId:
        if (csv) fmt::format_to(std::back_inserter(b), FMT_COMPILE("c{}"), c.index + 1);
        else fmt::format_to(std::back_inserter(b), FMT_COMPILE("\"c{}\""), c.index + 1);
        break;
      case kWorker: enum_value(kWorkerType[c.worker], c.labels); break;
      case kHasEmployees: boolean(c.has_employees); break;
      case kInEmployeeInsurance: boolean(c.in_employee_insurance); break;
      case kHukou: boolean(c.hukou); break;
      case kLives: boolean(c.lives); break;
      case kWorks: boolean(c.works); break;
      case kModeKey: enum_value(kMode[c.mode], c.labels); break;
      case kGenderKey: enum_value(kGender[c.gender], c.labels); break;
      case kAtRetirement: boolean(c.at_retirement); break;
      case kTotal: put_hundredths(b, c.total, c.padded); break;
      case kJilin: put_hundredths(b, c.jilin, c.padded); break;
      case kCombined: put_hundredths(b, c.combined, c.padded); break;
      case kPooling: put_hundredths(b, c.pooling, c.padded); break;
      case kSubsidy: enum_value(kSubsidyGroup[c.subsidy], c.labels); break;
      case kYsg: put_hundredths(b, c.ysg, c.padded); break;
      case kRegistered: boolean(c.registered); break;
      case kSwitching: boolean(c.switching); break;
      case kPrior: put_hundredths(b, c.prior, c.padded); break;
      case kGap: fmt::format_to(std::back_inserter(b), FMT_COMPILE("{}"), c.gap); break;
      case kDelivery: put_money(b, c.delivery); break;
      default: break;
    }
  }

  void flush_if(std::size_t limit) {
    if (b.size() < limit) return;
    if (std::fwrite(b.data(), 1, b.size(), stdout) != b.size()) {
      std::perror("pol_gen_cases: write");
      std::exit(1);
    }
    b.clear();
  }
};

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "pol_gen_cases: %s\n", msg);
  std::fprintf(stderr,
               "usage: pol_gen_cases N [--format jsonl|csv] [--broken PERCENT] [--seed S] [--policy FILE]\n");
  std::exit(2);
}

// "5", "0.5", "12.25" -> hundredths of a percent (basis points); no floating point.
bool parse_percent(std::string_view s, std::uint64_t& bp) {
  std::uint64_t ip = 0, fp = 0;
  int fd = 0;
  std::size_t i = 0;
  if (s.empty()) return false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ip = ip * 10 + (s[i] - '0');
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
      if (fd < 2) fp = fp * 10 + (s[i] - '0'), ++fd;
  }
  if (i != s.size() || ip > 100) return false;
  while (fd < 2) fp *= 10, ++fd;
  bp = ip * 100 + fp;
  return bp <= 10000;
}

#ifdef POL_GEN_DECLARED
// What the jilin_2025 generator writes, for checking against the policy's declarations.
std::vector<pol_bench::ProfileKey> jilin_profile() {
  std::vector<pol_bench::ProfileKey> keys;
  auto values = [](const auto& table) {
    std::vector<std::pair<std::string, std::string>> v;
    for (const Enum& e : table) v.emplace_back(e.id, e.label);
    return v;
  };
  for (int k = kWorker; k < kKeyCount; ++k) {
    pol_bench::ProfileKey key{kKeyNames[k], {}};
    if (k == kWorker) key.enum_values = values(kWorkerType);
    if (k == kModeKey) key.enum_values = values(kMode);
    if (k == kGenderKey) key.enum_values = values(kGender);
    if (k == kSubsidy) key.enum_values = values(kSubsidyGroup);
    keys.push_back(std::move(key));
  }
  return keys;
}

// With --policy: 0 to go on with the jilin_2025 generator, -1 when the cases were written from
// the declarations (and *status holds the exit status), else an exit status.
int for_policy(const std::string& path, const pol_bench::GenOptions& opt, int* status) {
  std::string name;
  if (int rc = pol_bench::read_policy_name(path, name); rc != 0) return rc;
  if (name != "jilin_2025") {
    *status = pol_bench::write_declared_cases(path, opt);
    return -1;
  }
  const auto problems = pol_bench::profile_mismatches(path, jilin_profile());
  for (const auto& m : problems)
    std::fprintf(stderr, "pol_gen_cases: the jilin_2025 generator no longer matches %s: %s\n", path.c_str(), m.c_str());
  return problems.empty() ? 0 : 2;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t n = 0, broken_bp = 0, seed = 20250801;
  bool have_n = false;
  std::string policy;
  Writer w;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto next = [&]() -> std::string_view {
      if (i + 1 >= argc) usage("missing value after an option");
      return argv[++i];
    };
    if (a == "--format") {
      auto f = next();
      if (f == "csv") w.csv = true;
      else if (f == "jsonl") w.csv = false;
      else usage("--format must be jsonl or csv");
    } else if (a == "--broken") {
      if (!parse_percent(next(), broken_bp)) usage("--broken takes a percentage 0..100");
    } else if (a == "--seed") {
      seed = std::strtoull(std::string(next()).c_str(), nullptr, 10);
    } else if (a == "--policy") {
      policy = next();
    } else if (a == "-h" || a == "--help") {
      usage(nullptr);
    } else if (!have_n && !a.empty() && a[0] >= '0' && a[0] <= '9') {
      char* end = nullptr;
      n = std::strtoull(argv[i], &end, 10);
      if (*end != '\0') usage("N must be a whole number");
      have_n = true;
    } else {
      usage("unexpected argument");
    }
  }
  if (!have_n) usage(nullptr);
  if (!policy.empty()) {
#ifdef POL_GEN_DECLARED
    int status = 0;
    const int rc = for_policy(policy, {n, broken_bp, seed, w.csv}, &status);
    if (rc < 0) return status;
    if (rc > 0) return rc;
#else
    usage("--policy needs the project's build (this one has no checker)");
#endif
  }

  w.b.reserve(1 << 21);
  w.header();
  for (std::uint64_t i = 0; i < n; ++i) {
    Case c = make_case(seed, i);
    Broken broken = Broken::None;
    std::uint64_t variant = 0;
    if (broken_bp) {
      Rng br{seed * 31 + 7 + i * 0x9e3779b97f4a7c15ULL};
      br.next();
      if (br.below(10000) < broken_bp) {
        broken = static_cast<Broken>(br.below(static_cast<int>(Broken::Count)));
        variant = br.next();
      }
    }
    w.write(c, broken, variant);
    w.flush_if(1 << 20);
  }
  w.flush_if(0);
  if (std::fflush(stdout) != 0) {
    std::perror("pol_gen_cases: write");
    return 1;
  }
  return 0;
}
