#include "explain/print.hpp"

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using checked::kNoNode;
using checked::Node;
using checked::NodeId;
using checked::Op;

namespace {

void print(const checked::Policy& p, NodeId id, const Trace* t, std::string& out) {
  const Node& n = p.nodes[id];
  bool done = t && t->node_done[id];
  if (n.parens) out.push_back('(');
  auto value = [&]() { out += plain_value(p, n.type, t->node_values[id]); };
  switch (n.op) {
    case Op::Const: out += plain_value(p, n.type, n.constant); break;
    case Op::Input:
      if (done) value();
      else out += p.inputs[n.slot].name;
      break;
    case Op::Param:
      if (done) value();
      else out += p.params[n.slot].name;
      break;
    case Op::Given:
      if (done) value();
      else out += "given(" + p.inputs[n.slot].name + ")";
      break;
    case Op::Rule:
      if (done) value();
      else out += p.rules[n.slot].name;
      break;
    case Op::Neg:
      out.push_back('-');
      print(p, n.a, t, out);
      break;
    case Op::Not:
      out += "not ";
      print(p, n.a, t, out);
      break;
    case Op::In:
      print(p, n.a, t, out);
      out += " in {";
      out += enum_set(p, p.nodes[n.a].type.enum_id, n.mask);
      out += "}";
      break;
    case Op::Min:
    case Op::Max:
      out += n.op == Op::Min ? "min(" : "max(";
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (i) out += ", ";
        print(p, p.operands[n.first + i], t, out);
      }
      out += ")";
      break;
    case Op::Round: {
      out += n.mode == RoundMode::HalfAwayFromZero ? "round(" : n.mode == RoundMode::TowardZero ? "round_down(" : "round_up(";
      print(p, n.a, t, out);
      bool default_places = n.places == (p.nodes[n.a].type.is_money() ? 2 : 0);
      if (!default_places) out += fmt::format(", {}", n.places);
      out += ")";
      break;
    }
    case Op::AsOf:
      if (done) {
        value();
        break;
      }
      out += "as_of(" + format_date(checked::as_date(p.nodes[n.b].constant)) + ", ";
      print(p, n.a, nullptr, out);
      out += ")";
      break;
    case Op::Chain:
    case Op::Match: {
      if (n.op == Op::Match) {
        out += "match ";
        print(p, n.a, t, out);
      }
      for (std::uint32_t i = 0; i < n.count; ++i) {
        const auto& b = p.branches[n.first + i];
        if (b.condition == kNoNode && b.mask == 0) {
          out += " otherwise ";
        } else if (n.op == Op::Match) {
          out += " when " + enum_set(p, p.nodes[n.a].type.enum_id, b.mask) + " then ";
        } else {
          out += (i ? " when " : "when ");
          print(p, b.condition, t, out);
          out += " then ";
        }
        print(p, b.result, t, out);
      }
      break;
    }
    case Op::MonthsBetween:
      out += "months_between(";
      print(p, n.a, t, out);
      out += ", ";
      print(p, n.b, t, out);
      out += ")";
      break;
    default:
      if ((n.op == Op::DateAddDays || n.op == Op::DateAddMonths) && p.nodes[n.b].op == Op::Neg) {
        print(p, n.a, t, out);
        out += " - ";
        print(p, p.nodes[n.b].a, t, out);
        break;
      }
      print(p, n.a, t, out);
      out += fmt::format(" {} ", checked::op_text(n.op));
      print(p, n.b, t, out);
  }
  if (n.parens) out.push_back(')');
}

}  // namespace

std::string enum_set(const checked::Policy& p, std::uint16_t enum_id, std::uint64_t mask) {
  std::vector<std::string> names;
  const auto& vals = p.enums[enum_id].values;
  for (std::size_t i = 0; i < vals.size(); ++i)
    if ((mask >> i) & 1) names.push_back(vals[i].name);
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string print_expr(const checked::Policy& p, NodeId id, const Trace* trace) {
  std::string out;
  print(p, id, trace, out);
  return out;
}

}  // namespace pol::interp
