#pragma once
// The one child visitor of the checked program: every walk over a node's children (folding,
// the dependency graph, explanations, comparison, error places) goes through for_each_child,
// which knows where each operation keeps its children from the shape in ops.def. A new
// operation gets its children visited everywhere by naming its shape there.
#include <vector>

#include "checked/checked.hpp"

namespace pol::checked {

// Calls fn(NodeId) for each child of n, in evaluation order: a, b; the operands; for a chain
// each branch's condition (when it has one) then its result; for a match the subject, then
// each arm's result. A Rule node has no children: the rule's body is its own tree.
template <class F>
void for_each_child(const Policy& p, const Node& n, F&& fn) {
  switch (shape_of(n.op)) {
    case Shape::Leaf: return;
    case Shape::Unary:
    case Shape::AsOf: fn(n.a); return;
    case Shape::Binary:
      fn(n.a);
      fn(n.b);
      return;
    case Shape::Operands:
      for (std::uint32_t i = 0; i < n.count; ++i) fn(p.operands[n.first + i]);
      return;
    case Shape::Match: fn(n.a); [[fallthrough]];
    case Shape::Branches:
      for (std::uint32_t i = 0; i < n.count; ++i) {
        const Branch& b = p.branches[n.first + i];
        if (b.condition != kNoNode) fn(b.condition);
        fn(b.result);
      }
      return;
  }
}

// Visits root and every node below it, parents before children (depth first, in evaluation
// order), not entering other rules' bodies. fn(NodeId, const Node&) returns false to stop
// the walk below that node (its children are skipped), true to go on.
template <class F>
void walk(const Policy& p, NodeId root, F&& fn) {
  if (root == kNoNode) return;
  std::vector<NodeId> stack{root};
  std::vector<NodeId> kids;
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    const Node& n = p.nodes[id];
    if (!fn(id, n)) continue;
    kids.clear();
    for_each_child(p, n, [&](NodeId c) { kids.push_back(c); });
    stack.insert(stack.end(), kids.rbegin(), kids.rend());
  }
}

}  // namespace pol::checked
