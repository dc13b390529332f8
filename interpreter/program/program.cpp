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

std::optional<ParamSetting> parse_reading_setting(const checked::Policy& p, const std::string& id,
                                                  const std::string& alt, std::string& error) {
  int r = p.find_reading(id);
  if (r < 0) {
    std::vector<std::string> ids;
    for (const auto& rd : p.readings) ids.push_back(rd.id);
    std::string known = ids.empty() ? std::string(dsl::text(dsl::Msg::ReadingNone)) : fmt::format("{}", fmt::join(ids, ", "));
    error = dsl::with_suggestion(dsl::textf(dsl::Msg::ReadingNoSuch, p.header.name, id, known), id, ids);
    return std::nullopt;
  }
  const auto& rd = p.readings[static_cast<std::size_t>(r)];
  int k = rd.find(alt);
  if (k < 0) {
    std::vector<std::string> alts;
    for (const auto& a : rd.alternatives) alts.push_back(a.name);
    error = dsl::with_suggestion(dsl::textf(dsl::Msg::ReadingNoAlt, id, alt, fmt::format("{}", fmt::join(alts, ", "))), alt, alts);
    return std::nullopt;
  }
  return ParamSetting{rd.param, Value::from_int(k)};
}

}  // namespace pol::interp
