// Test blocks: each `test` of the checked file becomes a TestCase whose given inputs, set
// parameters and expected values are checked against the declared types.
#include <fmt/format.h>

#include "check/checker_impl.hpp"

namespace pol::dsl::checking {

void Checker::check_tests(std::uint16_t f) {
  for (const auto& d : modules_[f]->decls) {
    auto t = std::get_if<ast::TestDecl>(&d);
    if (!t) continue;
    checked::TestCase tc;
    tc.name = t->name.value;
    tc.clause = t->clause.value;
    tc.at = t->at;
    tc.place = {f, t->range};
    if (t->expect_error.present) tc.expect_error = t->expect_error.value;
    bool ok = true;
    auto resolve = [&](const ast::Assignment& a, SymKind kind, std::vector<std::pair<std::uint32_t, Value>>& out) {
      auto it = syms_.find(a.name.name);
      std::optional<Sym> found;
      if (kind == SymKind::Param) {
        if (auto pit = params_by_name_.find(a.name.name); pit != params_by_name_.end()) found = Sym{SymKind::Param, pit->second};
      } else if (it != syms_.end() && it->second.kind == kind) {
        found = it->second;
      }
      if (!found) {
        std::vector<std::string> cands;
        for (const auto& [n, s] : syms_)
          if (s.kind == kind) cands.push_back(n);
        if (kind == SymKind::Param)
          for (const auto& [n, i] : params_by_name_) cands.push_back(n);
        auto what = text(kind == SymKind::Input ? Msg::TestKindInput : kind == SymKind::Param ? Msg::TestKindParam : Msg::TestKindRule);
        error(DiagCode::BadTest, f, a.name.range,
              with_suggestion(textf(Msg::TestNotOf, a.name.name, what), a.name.name, cands));
        ok = false;
        return;
      }
      Type ty = kind == SymKind::Input ? p_.inputs[found->index].type
              : kind == SymKind::Param ? p_.params[found->index].type
                                       : p_.rules[found->index].type;
      if (ty.is_error()) {
        ok = false;
        return;
      }
      // A test's values are folded to constants and their nodes dropped again: the checked
      // program does not grow with the number of tests (pol test builds a program per test).
      const std::size_t nodes = p_.nodes.size(), operands = p_.operands.size(), branches = p_.branches.size();
      auto v = constant(*a.value, f, ty, textf(Msg::WhatValue, a.name.name).c_str());
      p_.nodes.erase(p_.nodes.begin() + static_cast<std::ptrdiff_t>(nodes), p_.nodes.end());
      poly_.erase(poly_.begin() + static_cast<std::ptrdiff_t>(nodes), poly_.end());
      p_.operands.erase(p_.operands.begin() + static_cast<std::ptrdiff_t>(operands), p_.operands.end());
      p_.branches.erase(p_.branches.begin() + static_cast<std::ptrdiff_t>(branches), p_.branches.end());
      if (!v) {
        ok = false;
        return;
      }
      out.emplace_back(found->index, *v);
      if (kind == SymKind::Rule) tc.expect_places.push_back({f, a.range});
    };
    for (const auto& a : t->given) resolve(a, SymKind::Input, tc.given);
    for (const auto& a : t->set) resolve(a, SymKind::Param, tc.set);
    for (const auto& a : t->expect) resolve(a, SymKind::Rule, tc.expect);
    for (const auto& [id, name] : t->readings) ok = pin_reading(f, id, name, tc.set) && ok;
    if (t->expect.empty() && !tc.expect_error) {
      error(DiagCode::BadTest, f, t->name.range, std::string(text(Msg::TestExpectsNothing)));
      ok = false;
    }
    if (ok) p_.tests.push_back(std::move(tc));
  }
}

}  // namespace pol::dsl::checking
