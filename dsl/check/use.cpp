// Used files (`use "FILE" as ALIAS with INPUT = EXPR, …`): the names of a used file's
// parameters and rules are ALIAS.NAME; its inputs are inputs of the using file unless bound,
// and a bound input is a rule ALIAS.NAME whose body is the binding, written in the using file.
// A used file's outputs are values the using file reads, not outputs of its own.
#include <fmt/format.h>

#include "check/checker_impl.hpp"

namespace pol::dsl::checking {

std::string Checker::prefix(std::uint16_t f) const {
  if (f >= file_use_.size() || file_use_[f] < 0) return {};
  return p_.uses[static_cast<std::size_t>(file_use_[f])].alias + ".";
}

ast::Ident Checker::qualified(std::uint16_t f, const ast::Ident& nm) const { return {prefix(f) + nm.name, nm.range}; }

const Sym* Checker::lookup(std::uint16_t f, const std::string& name) const {
  if (std::string pre = prefix(f); !pre.empty())
    if (auto it = syms_.find(pre + name); it != syms_.end()) return &it->second;
  auto it = syms_.find(name);
  return it == syms_.end() ? nullptr : &it->second;
}

int Checker::find_use(const std::string& alias) const {
  for (std::size_t u = 0; u < p_.uses.size(); ++u)
    if (p_.uses[u].alias == alias) return static_cast<int>(u);
  return -1;
}

const ast::Assignment* Checker::binding_of(std::uint16_t f, const std::string& input) const {
  if (f >= file_use_.size() || file_use_[f] < 0) return nullptr;
  const auto& use = p_.uses[static_cast<std::size_t>(file_use_[f])];
  for (const auto& d : modules_[use.by_file]->decls)
    if (const auto* u = std::get_if<ast::UseDecl>(&d); u && u->alias.name == use.alias)
      for (const auto& b : u->bindings)
        if (b.name.name == input) return &b;
  return nullptr;
}

// A bound input becomes the rule ALIAS.NAME, typed and labelled as the input.
void Checker::collect_bound_input(std::uint16_t f, const ast::InputDecl& in, const ast::Assignment& b) {
  ast::RuleDecl& r = synth_.emplace_back();
  r.range = in.range;
  r.name = qualified(f, in.name);
  r.type = in.type;
  r.label = in.label;
  r.attrs = in.attrs;
  checked::Rule rule;
  rule.name = r.name.name;
  rule.label = in.label.value;
  rule.clause = in.attrs.clause.value;
  rule.reading = in.attrs.reading.value;
  rule.place = {f, in.name.range};
  p_.rules.push_back(rule);
  rule_ast_.push_back({f, &r});
  applies_ast_.push_back({f, nullptr});
  auto idx = static_cast<std::uint32_t>(p_.rules.size() - 1);
  syms_[r.name.name] = Sym{SymKind::Rule, idx};
  bound_body_[idx] = {p_.uses[static_cast<std::size_t>(file_use_[f])].by_file, b.value.get()};
}

// A parameter named ALIAS.NAME is a used file's, which only `override param ALIAS.NAME` replaces,
// in a file of the extends chain; a parameter of that file it does not name is reported with the
// file's parameters as candidates.
bool Checker::used_param_override_ok(std::uint16_t f, const ast::ParamDecl& pa) {
  const std::string& name = pa.name.name;
  const auto dot = name.find('.');
  if (dot == std::string::npos) return true;
  const std::string alias = name.substr(0, dot);
  const int u = find_use(alias);
  if (u < 0 || file_use_[f] >= 0) {
    std::vector<std::string> aliases;
    for (const auto& use : p_.uses) aliases.push_back(use.alias);
    error(DiagCode::UnknownName, f, pa.name.range, with_suggestion(textf(Msg::UsedParamNoUse, name, alias), alias, aliases));
    return false;
  }
  const auto& use = p_.uses[static_cast<std::size_t>(u)];
  if (!pa.is_override) {
    error(DiagCode::RedefinitionWithoutOverride, f, pa.name.range, textf(Msg::UsedParamNeedsOverride, name, use.path, name));
    return false;
  }
  if (params_by_name_.count(name)) return true;
  std::vector<std::string> cands;
  for (const auto& [n, i] : params_by_name_)
    if (n.compare(0, alias.size() + 1, alias + ".") == 0) cands.push_back(n);
  overrides_nothing(f, pa.name, SymKind::Param, cands);
  return false;
}

// Every binding names an input of the used file.
void Checker::check_bindings() {
  for (const auto& use : p_.uses) {
    for (const auto& d : modules_[use.by_file]->decls) {
      const auto* u = std::get_if<ast::UseDecl>(&d);
      if (!u || u->alias.name != use.alias) continue;
      for (const auto& b : u->bindings) {
        std::vector<std::string> cands;
        bool found = false;
        for (const auto& dd : modules_[use.file]->decls)
          if (const auto* in = std::get_if<ast::InputDecl>(&dd)) {
            cands.push_back(in->name.name);
            found = found || in->name.name == b.name.name;
          }
        if (!found)
          error(DiagCode::UnknownName, use.by_file, b.name.range,
                with_suggestion(fmt::format("'{}' is not an input of the used file '{}'", b.name.name, use.path),
                                b.name.name, cands));
      }
    }
  }
}

// The symbols of used files: which use they belong to, and their clauses under the used file's
// title, so that explanations, diffs and coverage name the text they come from.
void Checker::mark_used_symbols() {
  auto title = [&](std::int16_t u) { return fmt::format("《{}》", p_.uses[static_cast<std::size_t>(u)].header.title); };
  auto mark = [&](auto& sym) {
    if (sym.place.file >= file_use_.size() || file_use_[sym.place.file] < 0) return;
    sym.use = file_use_[sym.place.file];
    if (!sym.clause.empty()) sym.clause = title(sym.use) + sym.clause;
  };
  for (auto& x : p_.inputs) mark(x);
  for (auto& x : p_.params) {
    mark(x);
    // An override of a used file's parameter (`override param ALIAS.NAME`) cites that file's clause.
    if (const auto dot = x.name.find('.'); x.use < 0 && dot != std::string::npos && !x.clause.empty())
      if (const int u = find_use(x.name.substr(0, dot)); u >= 0) x.clause = title(static_cast<std::int16_t>(u)) + x.clause;
  }
  for (auto& x : p_.rules) mark(x);
  for (auto& b : p_.branches)
    if (!b.clause.empty() && b.place.file < file_use_.size() && file_use_[b.place.file] >= 0)
      b.clause = title(file_use_[b.place.file]) + b.clause;
  for (auto& n : p_.notes)
    if (n.place.file < file_use_.size() && file_use_[n.place.file] >= 0) n.clause = title(file_use_[n.place.file]) + n.clause;
}

// given(INPUT): whether the case gave the input, rather than leaving it to its default.
Typed Checker::given(const ast::Expr& e, std::uint16_t f, Ctx& ctx) {
  const Sym* s = e.args.size() == 1 && e.args[0]->kind == ast::ExprKind::Name ? lookup(f, e.args[0]->name) : nullptr;
  if (!s || s->kind != SymKind::Input) {
    error(DiagCode::BadCall, f, e.range, std::string(text(Msg::GivenTakesInput)));
    return bad(f, e.range);
  }
  if (!ctx.allow_inputs || !ctx.allow_refs) {
    error(DiagCode::TypeMismatch, f, e.range, std::string(text(Msg::GivenNotHere)));
    return bad(f, e.range);
  }
  Node n = node_at(e, f);
  n.op = Op::Given;
  n.slot = s->index;
  n.type = Type::boolean();
  input_used_[n.slot] = true;
  if (ctx.rule >= 0) p_.rule_inputs[ctx.rule].push_back(n.slot);
  return {add(n), n.type};
}

}  // namespace pol::dsl::checking
