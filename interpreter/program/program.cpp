#include "program/program.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/messages.hpp"

#include "check/checker.hpp"
#include "eval/reference/walk.hpp"

namespace pol::interp {

using checked::Node;
using checked::NodeId;
using checked::Op;

Program::Program(const checked::Policy& policy, std::optional<int> date, std::vector<ParamSetting> sets)
    : policy_(policy), date_(date), sets_(std::move(sets)) {
  bind_parameters();
  fold();
}

void Program::bind_parameters() {
  std::size_t contexts = policy_.contexts.size() + 1;
  params_.assign(contexts, std::vector<Value>(policy_.params.size()));
  choice_.assign(contexts, std::vector<int>(policy_.params.size(), static_cast<int>(ParamChoice::None)));
  reading_.assign(contexts, std::vector<int>(policy_.params.size(), -1));
  for (std::size_t k = 0; k < contexts; ++k) {
    std::optional<int> d = k == 0 ? date_ : std::optional<int>(policy_.contexts[k - 1]);
    for (std::uint32_t p = 0; p < policy_.params.size(); ++p) {
      int i = policy_.params[p].value_at(d);
      choice_[k][p] = i;
      if (i >= 0) params_[k][p] = policy_.params[p].values[i].value;
    }
    for (const auto& s : sets_) {  // a --set holds for the whole run, in every context
      params_[k][s.slot] = s.value;
      choice_[k][s.slot] = static_cast<int>(ParamChoice::Set);
    }
    // A value with another value under the reading in force (which --reading may have set).
    for (std::uint32_t p = 0; p < policy_.params.size(); ++p) {
      int i = choice_[k][p];
      if (i < 0) continue;
      const auto& rvs = policy_.params[p].values[static_cast<std::size_t>(i)].readings;
      for (std::size_t j = 0; j < rvs.size(); ++j) {
        const auto& rd = policy_.readings[rvs[j].reading];
        if (checked::as_enum(params_[k][rd.param]) != rvs[j].alternative) continue;
        params_[k][p] = rvs[j].value;  // the value's own alternatives come before the parameter's
        reading_[k][p] = static_cast<int>(j);
        break;
      }
    }
  }
}

// Every node that depends on no input, replaced by its value in a copy of the nodes. The
// reference walk evaluates the original nodes (so a parent never reads a half-folded child).
void Program::fold() {
  folded_ = policy_.nodes;
  reference::Walker walker(*this);
  for (NodeId id = 0; id < folded_.size(); ++id) {
    const Node& n = policy_.nodes[id];
    if (!n.input_free || n.op == Op::Const) continue;
    Value v;
    if (walker.fold(id, v)) {
      Node c = n;
      c.op = Op::Const;
      c.constant = v;
      folded_[id] = c;
    }
  }
}

std::optional<ParamSetting> parse_param_setting(const checked::Policy& p, const std::string& name,
                                                std::string_view text, std::string& error) {
  int slot = p.find_param(name);
  if (slot < 0) {
    std::vector<std::string> names;
    for (const auto& pa : p.params) names.push_back(pa.name);
    error = dsl::with_suggestion(dsl::textf(dsl::Msg::ParamNoSuch, p.header.name, name), name, names);
    return std::nullopt;
  }
  std::string why;
  auto v = dsl::parse_value(p, p.params[slot].type, text, why);
  if (!v) {
    error = dsl::textf(dsl::Msg::ParamBadValue, name, p.params[slot].label, why);
    return std::nullopt;
  }
  return ParamSetting{static_cast<std::uint32_t>(slot), *v};
}

std::optional<ParamSetting> parse_reading_text(const checked::Policy& p, const std::string& s, std::string& error,
                                               bool* no_such_id, std::string_view option) {
  if (no_such_id) *no_such_id = false;
  auto eq = s.find('=');
  if (eq == std::string::npos) {
    error = dsl::textf(dsl::Msg::ReadingExpectedForm, option, s);
    return std::nullopt;
  }
  auto setting = parse_reading_setting(p, s.substr(0, eq), s.substr(eq + 1), error, no_such_id);
  if (!setting) error = fmt::format("{} {}: {}", option, s, error);
  return setting;
}

std::optional<ParamSetting> parse_reading_setting(const checked::Policy& p, const std::string& id,
                                                  const std::string& alt, std::string& error, bool* no_such_id) {
  if (no_such_id) *no_such_id = false;
  int r = p.find_reading(id);
  if (r < 0) {
    std::vector<std::string> ids;
    for (const auto& rd : p.readings) ids.push_back(rd.id);
    std::string known = ids.empty() ? std::string(dsl::text(dsl::Msg::ReadingNone)) : dsl::joined(ids);
    error = dsl::with_suggestion(dsl::textf(dsl::Msg::ReadingNoSuch, p.header.name, id, known), id, ids);
    if (no_such_id) *no_such_id = true;
    return std::nullopt;
  }
  const auto& rd = p.readings[static_cast<std::size_t>(r)];
  int k = rd.find(alt);
  if (k < 0) {
    std::vector<std::string> alts;
    for (const auto& a : rd.alternatives) alts.push_back(a.name);
    error = dsl::with_suggestion(dsl::textf(dsl::Msg::ReadingNoAlt, id, alt, dsl::joined(alts)), alt, alts);
    return std::nullopt;
  }
  return ParamSetting{rd.param, Value::from_int(k)};
}

void take_readings(checked::Policy& p, const std::vector<ParamSetting>& readings) {
  for (const auto& s : readings) {
    int r = p.params[s.slot].ambiguity;
    if (r < 0) continue;
    int k = checked::as_enum(s.value);
    const auto& alt = p.readings[static_cast<std::size_t>(r)].alternatives[static_cast<std::size_t>(k)];
    p.take_reading(static_cast<std::uint32_t>(r), k, "--reading " + p.readings[static_cast<std::size_t>(r)].id + "=" + alt.name,
                   alt.place);
  }
}

std::optional<std::vector<std::vector<ParamSetting>>> reading_settings_for_each(
    const std::vector<const checked::Policy*>& policies, const std::vector<std::string>& readings, std::string& error) {
  std::vector<std::vector<ParamSetting>> out(policies.size());
  for (const auto& s : readings) {
    std::string first_error;
    bool anywhere = false;
    for (std::size_t i = 0; i < policies.size(); ++i) {
      bool no_such_id = false;
      auto setting = parse_reading_text(*policies[i], s, error, &no_such_id);
      if (setting) {
        out[i].push_back(*setting);
        anywhere = true;
      } else if (!no_such_id) {
        return std::nullopt;  // the ambiguity is there, the alternative is not
      } else if (first_error.empty()) {
        first_error = error;
      }
    }
    if (!anywhere) {
      error = first_error;
      return std::nullopt;
    }
  }
  error.clear();
  return out;
}

}  // namespace pol::interp
