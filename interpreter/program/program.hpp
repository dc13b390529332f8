#pragma once
// A checked policy bound to one run: the decision date and the --set values.
//
// Program fixes what is the same for every case of a run: the parameter values in force on the
// decision date (and on the date of each as_of(DATE, …), its "contexts"), or set with --set,
// and every sub-expression that depends on no input, folded to a constant (most money
// arithmetic depends only on parameters). Folding is evaluation by the reference tree walk
// (eval/reference/walk.hpp) of each input-free node; a node whose evaluation fails (a
// division by zero in a branch no case takes, say) is left to be evaluated per case. So a
// folded program means exactly what the unfolded one does.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checked/checked.hpp"

namespace pol::interp {

using checked::Value;

struct ParamSetting {
  std::uint32_t slot;
  Value value;
};

// NAME=VALUE of --set (and of a request's "set"): the parameter and its value, type-checked
// like a value in a rule file. nullopt with `error` ("policy P has no parameter 'x'; did you
// mean …", or "x (label) expected …").
[[nodiscard]] std::optional<ParamSetting> parse_param_setting(const checked::Policy& p, const std::string& name,
                                                              std::string_view text, std::string& error);

// ID and ALT of --reading (and of a request's "readings"): the alternative ALT of ambiguity ID,
// as the setting of the ambiguity's hidden parameter. nullopt with `error` (no such ambiguity,
// no such alternative, each with the names there are and a did-you-mean); `no_such_id` tells an
// ambiguity the policy does not have from an alternative it does not have.
[[nodiscard]] std::optional<ParamSetting> parse_reading_setting(const checked::Policy& p, const std::string& id,
                                                                const std::string& alt, std::string& error,
                                                                bool* no_such_id = nullptr);

// The same from the text ID=ALT of an option; `option` names it in the message (--reading, or
// pol diff's --reading-a and --reading-b).
[[nodiscard]] std::optional<ParamSetting> parse_reading_text(const checked::Policy& p, const std::string& text,
                                                             std::string& error, bool* no_such_id = nullptr,
                                                             std::string_view option = "--reading");

// The same for several policies at once (pol diff, pol sweep): each ID=ALT applies to the
// files that have ambiguity ID. An ID no file has, or an ALT that a file's ID does not have,
// gives nullopt with `error`.
[[nodiscard]] std::optional<std::vector<std::vector<ParamSetting>>> reading_settings_for_each(
    const std::vector<const checked::Policy*>& policies, const std::vector<std::string>& readings, std::string& error);

// Makes each reading of `readings` (settings of ambiguities' parameters) the one `p` takes, for
// the commands that compare whole files: every comparison then runs under it.
void take_readings(checked::Policy& p, const std::vector<ParamSetting>& readings);

// Which of a parameter's dated values a run uses.
enum class ParamChoice : int { None = -1, Set = -2 };  // otherwise: an index into Param::values

class Program {
public:
  // `date`: the decision date (nullopt: each parameter's latest value).
  Program(const checked::Policy& policy, std::optional<int> date, std::vector<ParamSetting> sets = {});

  [[nodiscard]] const checked::Policy& policy() const { return policy_; }
  [[nodiscard]] std::optional<int> date() const { return date_; }
  [[nodiscard]] const std::vector<Value>& params(std::uint32_t ctx = 0) const { return params_[ctx]; }
  // Index into Param::values of the value in force, or ParamChoice::None (no value yet) or
  // ParamChoice::Set (set for this run), as an int.
  [[nodiscard]] int param_choice(std::uint32_t p, std::uint32_t ctx = 0) const { return choice_[ctx][p]; }
  // The value in force under another reading: an index into ParamValue::readings of the
  // value param_choice() names, or -1 (its own value, or set for this run).
  [[nodiscard]] int param_reading(std::uint32_t p, std::uint32_t ctx = 0) const { return reading_[ctx][p]; }
  [[nodiscard]] const std::vector<checked::Node>& folded_nodes() const { return folded_; }
  [[nodiscard]] bool param_ok(std::uint32_t p, std::uint32_t ctx = 0) const {
    return choice_[ctx][p] != static_cast<int>(ParamChoice::None);
  }
  // Context 0 is the decision date; context k >= 1 the date of the k-th as_of(DATE, …).
  [[nodiscard]] std::optional<int> context_date(std::uint32_t ctx) const {
    return ctx == 0 ? date_ : std::optional<int>(policy_.contexts[ctx - 1]);
  }
  [[nodiscard]] std::uint32_t context_count() const { return static_cast<std::uint32_t>(params_.size()); }
  [[nodiscard]] const std::vector<ParamSetting>& sets() const { return sets_; }

private:
  void bind_parameters();
  void fold();

  const checked::Policy& policy_;
  std::optional<int> date_;
  std::vector<ParamSetting> sets_;
  std::vector<std::vector<Value>> params_;  // per context
  std::vector<std::vector<int>> choice_;
  std::vector<std::vector<int>> reading_;
  std::vector<checked::Node> folded_;
};

}  // namespace pol::interp
