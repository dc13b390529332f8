#include "compare/same.hpp"

#include <vector>

#include "checked/visit.hpp"

namespace pol::interp {

using checked::NodeId;
using checked::Op;
using checked::Value;

bool SameStructure::type(const dsl::Type& x, const dsl::Type& y) const {
  if (x.base != y.base) return false;
  if (x.base == dsl::Base::Number) return x.unit == y.unit && x.whole == y.whole && x.percent == y.percent;
  if (x.base == dsl::Base::Enum) return a.enums[x.enum_id].name == b.enums[y.enum_id].name;
  return true;
}

std::set<std::string> SameStructure::names(const checked::Policy& p, const dsl::Type& t, std::uint64_t mask) const {
  std::set<std::string> s;
  if (t.base != dsl::Base::Enum) return s;
  const auto& vals = p.enums[t.enum_id].values;
  for (std::size_t i = 0; i < vals.size() && i < 64; ++i)
    if (mask & (std::uint64_t{1} << i)) s.insert(vals[i].name);
  return s;
}

bool SameStructure::value(const dsl::Type& t, Value x, const dsl::Type& u, Value y) const {
  if (t.base == dsl::Base::Enum && u.base == dsl::Base::Enum) {
    const auto &va = a.enums[t.enum_id].values, &vb = b.enums[u.enum_id].values;
    auto i = static_cast<std::size_t>(checked::as_enum(x)), j = static_cast<std::size_t>(checked::as_enum(y));
    return i < va.size() && j < vb.size() && va[i].name == vb[j].name;
  }
  return compare(x, y) == 0;
}

// What a node holds besides its children: leaves' symbols and constants, enum sets, rounding,
// branch clauses and arm values, as_of dates.
bool SameStructure::attributes(const checked::Node& n, const checked::Node& m) const {
  switch (n.op) {
    case Op::Const: return value(n.type, n.constant, m.type, m.constant);
    case Op::Input:
    case Op::Given: return a.inputs[n.slot].name == b.inputs[m.slot].name;
    case Op::Param: return a.params[n.slot].name == b.params[m.slot].name;
    case Op::Rule: return a.rules[n.slot].name == b.rules[m.slot].name;
    case Op::In: return names(a, a.nodes[n.a].type, n.mask) == names(b, b.nodes[m.a].type, m.mask);
    case Op::Round: return n.places == m.places && n.mode == m.mode;
    case Op::Min:
    case Op::Max: return n.count == m.count;
    case Op::Chain:
    case Op::Match:
      if (n.count != m.count) return false;
      for (std::uint32_t i = 0; i < n.count; ++i) {
        const auto& bx = a.branches[n.first + i];
        const auto& by = b.branches[m.first + i];
        if (bx.clause != by.clause || (bx.condition == checked::kNoNode) != (by.condition == checked::kNoNode))
          return false;
        if (n.op == Op::Match && names(a, a.nodes[n.a].type, bx.mask) != names(b, b.nodes[m.a].type, by.mask))
          return false;
      }
      return true;
    case Op::AsOf: return n.slot >= 1 && m.slot >= 1 && a.contexts[n.slot - 1] == b.contexts[m.slot - 1];
    default: return true;
  }
}

bool SameStructure::node(NodeId x, NodeId y) const {
  if (x == checked::kNoNode || y == checked::kNoNode) return x == y;
  const auto& n = a.nodes[x];
  const auto& m = b.nodes[y];
  if (n.op != m.op || !type(n.type, m.type) || !attributes(n, m)) return false;
  std::vector<NodeId> cx, cy;
  checked::for_each_child(a, n, [&](NodeId c) { cx.push_back(c); });
  checked::for_each_child(b, m, [&](NodeId c) { cy.push_back(c); });
  if (cx.size() != cy.size()) return false;
  for (std::size_t i = 0; i < cx.size(); ++i)
    if (!node(cx[i], cy[i])) return false;
  return true;
}

}  // namespace pol::interp
