#include "base/messages.hpp"
#include "eval/errors.hpp"

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "checked/visit.hpp"

namespace pol::interp {

using checked::kNoNode;
using checked::Node;
using checked::NodeId;

namespace {

// What an overflow is, in words: a date out of the calendar's range, or a number too large.
std::string overflow_words(checked::Op op) {
  if (op == checked::Op::DateAddDays || op == checked::Op::DateAddMonths) return std::string(dsl::text(dsl::Msg::DateOverflow));
  return std::string(dsl::text(dsl::Msg::NumberOverflow));
}

// Whether the body of a rule (not entering other rules) holds `node`.
bool holds(const checked::Policy& p, NodeId root, NodeId node) {
  bool found = false;
  checked::walk(p, root, [&](NodeId id, const Node&) {
    if (id == node) found = true;
    return !found;
  });
  return found;
}

// Where a failing operation is: "in output 'x' (label) at FILE:LINE", or, when it is in a let
// or another output that the output needs, "in 'y' (label) at FILE:LINE, needed by output 'x' (label)".
std::string_view kind_word(const checked::Rule& r) { return dsl::text(r.is_output ? dsl::Msg::WordOutput : dsl::Msg::WordLet); }

std::string rule_context(const checked::Policy& p, NodeId node, std::uint32_t output) {
  std::uint32_t in = output;
  if (output >= p.rules.size() || node >= p.nodes.size() || !holds(p, p.rules[output].body, node))
    for (std::uint32_t r = 0; r < p.rules.size(); ++r)
      if (node < p.nodes.size() && p.rules[r].body != kNoNode && holds(p, p.rules[r].body, node)) {
        in = r;
        break;
      }
  std::string where;
  if (node < p.nodes.size()) {
    const auto& place = p.nodes[node].place;
    if (place.file < p.files.size())
      where = dsl::textf(dsl::Msg::AtFileLine, p.file_of(place).name(), p.file_of(place).line_col(place.range.begin).line);
  }
  if (output >= p.rules.size()) return dsl::textf(dsl::Msg::WhileComputing, where);
  const auto& out = p.rules[output];
  if (in == output) return dsl::textf(dsl::Msg::InRule, kind_word(out), out.name, out.label, where);
  const auto& r = p.rules[in];
  return dsl::textf(dsl::Msg::InRuleNeededBy, r.name, r.label, where, kind_word(out),
                     out.name, out.label);
}

}  // namespace

EvalError missing_input_error(const checked::Policy& p, std::uint32_t input, std::uint32_t output) {
  const auto& in = p.inputs[input];
  const auto& out = p.rules[output];
  return {EvalErrorKind::MissingInput, in.name,
          dsl::textf(dsl::Msg::MissingInput, in.name, in.label,
                      out.name, out.label),
          in.place};
}

EvalError no_param_error(const checked::Policy& p, std::uint32_t param, const checked::Place& place,
                         std::optional<int> date, std::uint32_t context) {
  const auto& pa = p.params[param];
  std::string first = pa.values.empty() || !pa.values.front().from ? std::string("?") : format_date(*pa.values.front().from);
  std::string msg = dsl::textf(dsl::Msg::NoParamValue, pa.name, pa.label,
                               date ? format_date(*date) : std::string(dsl::text(dsl::Msg::ThatDate)), first);
  if (context > 0)
    for (NodeId id = 0; id < p.nodes.size(); ++id) {
      const Node& n = p.nodes[id];
      if (n.op != checked::Op::AsOf || n.slot != context) continue;
      const auto line = [&](const checked::Place& pl) {
        return fmt::format("{}:{}", p.file_of(pl).name(), p.file_of(pl).line_col(pl.range.begin).line);
      };
      const std::string d = format_date(p.contexts[context - 1]);
      msg += dsl::textf(dsl::Msg::NoParamValueAsOf, line(n.place), d, line(pa.place), pa.name, d);
      break;
    }
  return {EvalErrorKind::NoParamValue, pa.name, std::move(msg), place, context};
}

EvalError arith_error(const checked::Policy& p, ArithError kind, NodeId node, std::uint32_t output) {
  const Node& n = p.nodes[node];
  if (kind == ArithError::DivisionByZero)
    return {EvalErrorKind::DivisionByZero, "", std::string(dsl::text(dsl::Msg::DivisionByZero)) + rule_context(p, node, output), n.place};
  return {EvalErrorKind::Overflow, "", overflow_words(n.op) + rule_context(p, node, output), n.place};
}

}  // namespace pol::interp
