#pragma once
// The points of `pol sweep --vary NAME[,NAME2*FACTOR]...=FROM..TO[:STEP]`: parsed and counted
// in exact decimals, with a defined refusal for every range that cannot be swept (a number
// beyond the decimal range, too many points, a fraction for a whole-number input, a
// percentage for something that is not a rate). The words are in this file's .cpp only.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "checked/checked.hpp"

namespace pol::interp {

struct SweepRange {
  // At most this many points (100,000 steps).
  static constexpr std::size_t kMaxPoints = 100001;

  std::string text;  // as given
  // The names tried in order, each with its factor (avg_monthly_wage,local_avg_annual_wage*12):
  // the x axis is the first; a policy that lacks it uses the first of the others it has.
  std::vector<std::pair<std::string, checked::Value>> names;
  std::vector<checked::Value> xs;  // FROM, FROM + STEP, … up to TO
  bool percent = false;            // written as percentages (6.5%)

  // Throws CompareUsageError naming --vary.
  explicit SweepRange(const std::string& arg);
  [[nodiscard]] const std::string& name() const { return names.front().first; }
  [[nodiscard]] std::string names_text() const { return text.substr(0, text.find('=')); }

  // Refuses (CompareUsageError) an axis of type `t`, named `name` (`label`) in policy
  // `policy`, that these points times `factor` do not fit: a percentage for what is not a
  // rate, a fraction for whole days, months or an int.
  void check_axis(const std::string& policy, const std::string& name, const std::string& label, const dsl::Type& t,
                  checked::Value factor) const;

private:
  void parse_names(const std::string& list);
  void make_points(checked::Value from, checked::Value to, const std::string& step_text);
};

}  // namespace pol::interp
