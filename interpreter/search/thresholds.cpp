#include "search/search.hpp"

#include <functional>

namespace pol::interp {

using checked::NodeId;
using checked::Op;

void collect_thresholds(const checked::Policy& p, const Program& prog, Thresholds& out) {
  const auto& nodes = prog.folded_nodes();
  // The constants and parameter values an expression is built from, following definitions,
  // in the unit of the input they are compared with.
  std::function<void(NodeId, const dsl::Type&, std::set<Value>&, int)> consts = [&](NodeId id, const dsl::Type& t,
                                                                                     std::set<Value>& acc, int depth) {
    if (id == checked::kNoNode || depth > 32) return;
    const auto& n = p.nodes[id];
    if (nodes[id].op == Op::Const && nodes[id].type.is_number() && nodes[id].type.unit == t.unit) {
      acc.insert(nodes[id].constant);
      if (n.op == Op::Const || n.op == Op::Param) return;
    }
    switch (n.op) {
      case Op::Rule: consts(p.rules[n.slot].body, t, acc, depth + 1); break;
      case Op::Min:
      case Op::Max:
        for (std::uint32_t i = 0; i < n.count; ++i) consts(p.operands[n.first + i], t, acc, depth + 1);
        break;
      case Op::Chain:
      case Op::Match:
        for (std::uint32_t i = 0; i < n.count; ++i) consts(p.branches[n.first + i].result, t, acc, depth + 1);
        break;
      default:
        consts(n.a, t, acc, depth + 1);
        consts(n.b, t, acc, depth + 1);
    }
  };
  for (NodeId id = 0; id < p.nodes.size(); ++id) {
    const auto& n = p.nodes[id];
    if (n.op < Op::Eq || n.op > Op::Ge) continue;
    for (int side = 0; side < 2; ++side) {
      NodeId x = side == 0 ? n.a : n.b, y = side == 0 ? n.b : n.a;
      if (p.nodes[x].op != Op::Input || !p.nodes[x].type.is_number()) continue;
      consts(y, p.nodes[x].type, out[p.inputs[p.nodes[x].slot].name], 0);
    }
  }
}

// The values worth trying for an input: both booleans, every enum value, and for a number 0
// and each threshold it is compared with, with one step either side (never below 0).
std::vector<Value> candidate_values(const checked::Policy& a, const checked::Input& in, Thresholds& th) {
  std::set<Value> vs;
  if (in.type.base == dsl::Base::Bool) vs = {checked::make_bool(false), checked::make_bool(true)};
  else if (in.type.base == dsl::Base::Enum)
    for (std::size_t e = 0; e < a.enums[in.type.enum_id].values.size(); ++e) vs.insert(Value::from_int(static_cast<std::int64_t>(e)));
  else if (in.type.is_number()) {
    Value step = in.type.whole ? Value::from_int(1) : Value::raw(1, 2);
    vs.insert(Value());
    for (Value t : th[in.name]) {
      if (t < Value()) continue;
      vs.insert(t);
      vs.insert(t + step);
      if (t - step >= Value()) vs.insert(t - step);
    }
  }
  return {vs.begin(), vs.end()};
}

}  // namespace pol::interp
