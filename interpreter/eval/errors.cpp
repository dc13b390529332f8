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
  if (op == checked::Op::DateAddDays) return "a date falls outside 1900-01-01 .. 2199-12-31 (overflow), ";
  return "a number is too large to be held exactly (overflow: beyond 19 digits), ";
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
      where = fmt::format(" at {}:{}", p.file_of(place).name(), p.file_of(place).line_col(place.range.begin).line);
  }
  if (output >= p.rules.size()) return fmt::format("while computing{}", where);
  const auto& out = p.rules[output];
  if (in == output) return fmt::format("in {} '{}' ({}){}", out.is_output ? "output" : "let", out.name, out.label, where);
  const auto& r = p.rules[in];
  return fmt::format("in '{}' ({}){}, needed by {} '{}' ({})", r.name, r.label, where, out.is_output ? "output" : "let",
                     out.name, out.label);
}

}  // namespace

EvalError missing_input_error(const checked::Policy& p, std::uint32_t input, std::uint32_t output) {
  const auto& in = p.inputs[input];
  const auto& out = p.rules[output];
  return {EvalErrorKind::MissingInput, in.name,
          fmt::format("missing input '{}' ({}): output '{}' ({}) needs it, and it has no default", in.name, in.label,
                      out.name, out.label),
          in.place};
}

EvalError no_param_error(const checked::Policy& p, std::uint32_t param, const checked::Place& place,
                         std::optional<int> date, std::uint32_t context) {
  const auto& pa = p.params[param];
  std::string first = pa.values.empty() || !pa.values.front().from ? std::string("?") : format_date(*pa.values.front().from);
  std::string msg = fmt::format("parameter '{}' ({}) has no value on {}: its first value holds from {}", pa.name, pa.label,
                                date ? format_date(*date) : std::string("that date"), first);
  if (context > 0)
    for (NodeId id = 0; id < p.nodes.size(); ++id) {
      const Node& n = p.nodes[id];
      if (n.op != checked::Op::AsOf || n.slot != context) continue;
      const auto line = [&](const checked::Place& pl) {
        return fmt::format("{}:{}", p.file_of(pl).name(), p.file_of(pl).line_col(pl.range.begin).line);
      };
      msg += fmt::format("; the rules read it on {} through as_of({}, …) at {}, so '{}' at {} needs a value from {} "
                         "or earlier (pol check warns of this gap)",
                         format_date(p.contexts[context - 1]), format_date(p.contexts[context - 1]), line(n.place),
                         pa.name, line(pa.place), format_date(p.contexts[context - 1]));
      break;
    }
  return {EvalErrorKind::NoParamValue, pa.name, std::move(msg), place, context};
}

EvalError arith_error(const checked::Policy& p, ArithError kind, NodeId node, std::uint32_t output) {
  const Node& n = p.nodes[node];
  if (kind == ArithError::DivisionByZero)
    return {EvalErrorKind::DivisionByZero, "", "division by zero " + rule_context(p, node, output), n.place};
  return {EvalErrorKind::Overflow, "", overflow_words(n.op) + rule_context(p, node, output), n.place};
}

}  // namespace pol::interp
