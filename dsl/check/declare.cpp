// Declarations and overrides: every file's enums, inputs, parameters and rules, base files
// first so that a variant's `override` replaces what it builds on; then the types of the
// symbols and the bodies of every declaration.
#include <algorithm>
#include <climits>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "check/checker_impl.hpp"

namespace pol::dsl::checking {

std::optional<Type> Checker::resolve_type(std::uint16_t f, const ast::Ident& t) {
  static const std::vector<std::pair<std::string, Type>> builtins = {
      {"bool", Type::boolean()},
      {"int", Type::number(Unit::None, true)},
      {"decimal", Type::number()},
      {"rate", Type::number(Unit::None, false, true)},
      {"money", Type::money()},
      {"date", Type::date()},
      {"days", Type::number(Unit::Days, true)},
      {"months", Type::number(Unit::Months, true)},
      {"years", Type::number(Unit::Years)},
  };
  for (const auto& [n, ty] : builtins)
    if (n == t.name) return ty;
  if (auto it = enum_ids_.find(t.name); it != enum_ids_.end()) return Type::enumeration(it->second);
  std::vector<std::string> cands;
  for (const auto& [n, ty] : builtins) cands.push_back(n);
  for (const auto& [n, id] : enum_ids_) cands.push_back(n);
  std::string msg = textf(Msg::UnknownType, t.name);
  if (auto s = did_you_mean(t.name, cands)) msg += textf(Msg::DidYouMean, "", *s);
  else msg += text(Msg::TypesAre);
  error(DiagCode::UnknownName, f, t.range, msg);
  return std::nullopt;
}

bool Checker::check_override_type(std::uint16_t f, const ast::Ident& now, const ast::Ident& before, const Place& prev,
                                  const std::string& name) {
  if (now.name == before.name) return true;
  error(DiagCode::OverrideTypeChanged, f, now.range,
        textf(Msg::OverrideKeepsType, name,
                    before.name, now.name),
        {note_at(prev, std::string(text(Msg::DeclaredHereKept)))});
  return false;
}

namespace {

// The fields every symbol keeps from its declaration.
template <typename Out, typename Decl>
Out symbol_of(std::uint16_t f, const Decl& d) {
  Out x;
  x.name = d.name.name;
  x.label = d.label.value;
  x.clause = d.attrs.clause.value;
  x.reading = d.attrs.reading.value;
  x.place = {f, d.name.range};
  return x;
}

}  // namespace

bool Checker::redeclared(std::uint16_t f, const ast::Ident& nm, bool is_override, SymKind kind, const Place& prev) {
  if (prev.file < file_use_.size() && file_use_[prev.file] >= 0 && prev.file != f) {
    const auto& use = p_.uses[static_cast<std::size_t>(file_use_[prev.file])];
    error(DiagCode::DuplicateDefinition, f, nm.range,
          textf(Msg::AlreadyUsedInput,
                      nm.name, use.path, use.path, use.alias, nm.name),
          {note_at(prev, std::string(text(Msg::DeclaredHere)))});
    return true;
  }
  if (prev.file == f) {
    error(DiagCode::DuplicateDefinition, f, nm.range, textf(Msg::DeclaredTwice, nm.name),
          {note_at(prev, std::string(text(Msg::FirstDeclaredHere)))});
    return true;
  }
  if (!is_override) {
    error(DiagCode::RedefinitionWithoutOverride, f, nm.range,
          textf(Msg::AlreadyInBase, nm.name,
                      kind == SymKind::Rule ? "let/output" : kind_word(kind)),
          {note_at(prev, std::string(text(Msg::DeclaredHere)))});
    return true;
  }
  return false;
}

void Checker::overrides_nothing(std::uint16_t f, const ast::Ident& nm, SymKind kind, const std::vector<std::string>& cands) {
  std::string msg = textf(Msg::OverridesNothing, nm.name, kind_word(kind));
  // A used file's parameter goes by its alias: `retirement.NAME`.
  for (const auto& c : cands)
    if (c.size() > nm.name.size() && c.ends_with("." + nm.name)) {
      error(DiagCode::OverrideWithoutBase, f, nm.range, msg + textf(Msg::DidYouMean, "", c));
      return;
    }
  error(DiagCode::OverrideWithoutBase, f, nm.range, with_suggestion(std::move(msg), nm.name, cands));
}

void Checker::declare(std::uint16_t f, const ast::Ident& nm, bool is_override, SymKind kind,
                      const std::function<void(std::uint32_t)>& replace, const std::function<std::uint32_t()>& add_new) {
  auto it = syms_.find(nm.name);
  if (it != syms_.end() && it->second.kind == SymKind::Param && kind == SymKind::Rule && !is_override) {
    // An output may share its name with a parameter (mohrss_2003's waiting_period_months);
    // the parameter stays reachable as param.NAME.
    it->second = Sym{kind, add_new()};
    return;
  }
  if (it != syms_.end()) {
    Place prev;
    switch (it->second.kind) {
      case SymKind::Input: prev = p_.inputs[it->second.index].place; break;
      case SymKind::Param: prev = p_.params[it->second.index].place; break;
      case SymKind::Rule: prev = p_.rules[it->second.index].place; break;
    }
    if (redeclared(f, nm, is_override, kind, prev)) return;
    if (it->second.kind != kind) {
      error(DiagCode::OverrideTypeChanged, f, nm.range,
            textf(Msg::OverrideKindChanged, nm.name, kind_phrase(it->second.kind), kind_phrase(kind)),
            {note_at(prev, std::string(text(Msg::DeclaredHere)))});
      return;
    }
    replace(it->second.index);
    return;
  }
  if (is_override) {
    std::vector<std::string> cands;
    for (const auto& [n, s] : syms_)
      if (s.kind == kind) cands.push_back(n);
    overrides_nothing(f, nm, kind, cands);
    return;
  }
  syms_[nm.name] = Sym{kind, add_new()};
}

void Checker::collect(std::uint16_t f) {
  const ast::Module& m = *modules_[f];
  bool is_root = f == 0;
  for (const auto& d : m.decls) {
    if (auto h = std::get_if<ast::Header>(&d)) {
      if (file_use_[f] >= 0) continue;  // a used file's header is its Use
      checked::Header ch{h->name.name, h->title.value, h->issuer.value, h->number.value, h->source.value,
                         h->extends.value, h->effective};
      if (is_root) p_.header = ch;
      else p_.bases.push_back(ch);
    } else if (auto en = std::get_if<ast::EnumDecl>(&d)) {
      collect_enum(f, *en);
    } else if (auto in = std::get_if<ast::InputDecl>(&d)) {
      if (const ast::Assignment* b = binding_of(f, in->name.name)) collect_bound_input(f, *in, *b);
      else collect_input(f, *in);
    } else if (auto pa = std::get_if<ast::ParamDecl>(&d)) {
      collect_param(f, *pa);
    } else if (auto ru = std::get_if<ast::RuleDecl>(&d)) {
      collect_rule(f, *ru);
    } else if (auto co = std::get_if<ast::ConstraintDecl>(&d)) {
      constraint_ast_.push_back({f, co});
    } else if (auto ch = std::get_if<ast::ReadingChoice>(&d)) {
      reading_choices_.push_back({f, ch});
    } else if (auto no = std::get_if<ast::NoteDecl>(&d)) {
      p_.notes.push_back({no->clause.value, no->text.value, {f, no->range}});
    }
  }
}

void Checker::collect_enum(std::uint16_t f, const ast::EnumDecl& en) {
  if (enum_ids_.count(en.name.name)) {
    error(DiagCode::DuplicateDefinition, f, en.name.range, textf(Msg::EnumDeclaredTwice, en.name.name),
          {note_at(p_.enums[enum_ids_[en.name.name]].place, std::string(text(Msg::FirstDeclaredHere)))});
    return;
  }
  checked::EnumInfo info;
  info.name = en.name.name;
  info.label = en.label.value;
  info.place = {f, en.range};
  std::set<std::string> names;
  for (const auto& v : en.values) {
    if (!names.insert(v.name.name).second) {
      error(DiagCode::DuplicateDefinition, f, v.name.range,
            textf(Msg::EnumValueTwice, v.name.name, en.name.name));
      continue;
    }
    info.values.push_back({v.name.name, v.label.value});
  }
  if (info.values.empty()) error(DiagCode::BadParamValues, f, en.name.range, textf(Msg::EnumNoValues, en.name.name));
  if (info.values.size() > 64)
    error(DiagCode::LimitExceeded, f, en.name.range, textf(Msg::EnumTooMany, en.name.name));
  enum_ids_[info.name] = static_cast<std::uint16_t>(p_.enums.size());
  p_.enums.push_back(std::move(info));
}

void Checker::collect_input(std::uint16_t f, const ast::InputDecl& in) {
  declare(
      f, in.name, in.is_override, SymKind::Input,
      [&](std::uint32_t i) {
        if (!check_override_type(f, in.type, input_ast_[i].second->type, p_.inputs[i].place, in.name.name)) return;
        p_.inputs[i] = symbol_of<checked::Input>(f, in);
        input_ast_[i] = {f, &in};
      },
      [&]() {
        p_.inputs.push_back(symbol_of<checked::Input>(f, in));
        input_ast_.push_back({f, &in});
        return static_cast<std::uint32_t>(p_.inputs.size() - 1);
      });
}

// Parameters have a namespace of their own (param.NAME), so they are declared here rather
// than through declare(): an output of the same name hides a parameter but does not replace it.
void Checker::collect_param(std::uint16_t f, const ast::ParamDecl& pa) {
  const ast::Ident nm = qualified(f, pa.name);
  auto make = [&]() {
    auto x = symbol_of<checked::Param>(f, pa);
    x.name = nm.name;
    x.overridden = pa.is_override;
    x.regional = pa.regional;
    return x;
  };
  if (!used_param_override_ok(f, pa)) return;
  auto pit = params_by_name_.find(nm.name);
  if (pit != params_by_name_.end()) {
    const Place prev = p_.params[pit->second].place;
    // `override param ALIAS.NAME` replaces a used file's parameter in the using file (or a variant of it).
    const bool replaces_used = prev.file != f && prev.file < file_use_.size() && file_use_[prev.file] >= 0;
    if (!replaces_used && redeclared(f, nm, pa.is_override, SymKind::Param, prev)) return;
    if (!check_override_type(f, pa.type, param_ast_[pit->second].second->type, prev, nm.name)) return;
    const bool regional = p_.params[pit->second].regional;
    replaced_params_[pit->second] = param_ast_[pit->second];
    p_.params[pit->second] = make();
    p_.params[pit->second].regional = regional || pa.regional;
    param_ast_[pit->second] = {f, &pa};
  } else if (pa.is_override) {
    std::vector<std::string> cands;
    for (const auto& [n, i] : params_by_name_) cands.push_back(n);
    overrides_nothing(f, nm, SymKind::Param, cands);
  } else {
    auto sit = syms_.find(nm.name);
    if (sit != syms_.end() && sit->second.kind == SymKind::Input) {
      error(DiagCode::DuplicateDefinition, f, pa.name.range,
            textf(Msg::AlreadyAnInput, nm.name),
            {note_at(p_.inputs[sit->second.index].place, std::string(text(Msg::DeclaredHere)))});
    } else {
      p_.params.push_back(make());
      param_ast_.push_back({f, &pa});
      auto idx = static_cast<std::uint32_t>(p_.params.size() - 1);
      params_by_name_[nm.name] = idx;
      if (sit == syms_.end()) syms_[nm.name] = Sym{SymKind::Param, idx};
    }
  }
}

void Checker::collect_rule(std::uint16_t f, const ast::RuleDecl& ru) {
  const ast::Ident nm = qualified(f, ru.name);
  auto make = [&]() {
    auto x = symbol_of<checked::Rule>(f, ru);
    x.name = nm.name;
    x.is_output = ru.is_output && file_use_[f] < 0;  // a used file's outputs are values, not outputs
    x.overridden = ru.is_override;
    return x;
  };
  declare(
      f, nm, ru.is_override, SymKind::Rule,
      [&](std::uint32_t i) {
        bool was_output = p_.rules[i].is_output;
        if (!check_override_type(f, ru.type, rule_ast_[i].second->type, p_.rules[i].place, nm.name)) return;
        p_.rules[i] = make();
        if (was_output != ru.is_output)
          error(DiagCode::OverrideTypeChanged, f, ru.name.range,
                textf(Msg::OverrideKeepsRule, nm.name, text(was_output ? Msg::KindAnOutput : Msg::KindALet)));
        rule_ast_[i] = {f, &ru};
        if (ru.applies) applies_ast_[i] = {f, ru.applies.get()};
      },
      [&]() {
        p_.rules.push_back(make());
        rule_ast_.push_back({f, &ru});
        applies_ast_.push_back({f, ru.applies.get()});
        return static_cast<std::uint32_t>(p_.rules.size() - 1);
      });
}

void Checker::check_bodies() {
  // Types of every symbol first, so bodies can refer forward.
  std::vector<bool> input_ok(p_.inputs.size()), param_ok(p_.params.size()), rule_ok(p_.rules.size());
  for (std::size_t i = 0; i < p_.inputs.size(); ++i) {
    auto [f, d] = input_ast_[i];
    if (auto t = resolve_type(f, d->type)) {
      p_.inputs[i].type = *t;
      input_ok[i] = true;
    }
  }
  for (std::size_t i = 0; i < p_.params.size(); ++i) {
    auto [f, d] = param_ast_[i];
    if (auto t = resolve_type(f, d->type)) {
      p_.params[i].type = *t;
      param_ok[i] = true;
    }
  }
  for (std::size_t i = 0; i < p_.rules.size(); ++i) {
    auto [f, d] = rule_ast_[i];
    if (auto t = resolve_type(f, d->type)) {
      p_.rules[i].type = *t;
      rule_ok[i] = true;
    }
  }
  input_used_.assign(p_.inputs.size(), false);
  param_used_.assign(p_.params.size(), false);
  p_.rule_inputs.assign(p_.rules.size(), {});
  p_.rule_params.assign(p_.rules.size(), {});
  p_.rule_rules.assign(p_.rules.size(), {});

  for (std::size_t i = 0; i < p_.inputs.size(); ++i) {
    if (!input_ok[i]) continue;
    auto [f, d] = input_ast_[i];
    auto& in = p_.inputs[i];
    if (d->default_value)
      in.default_value = constant(*d->default_value, f, in.type, textf(Msg::WhatDefault, in.name).c_str());
    Ctx ctx;  // bounds may refer to other inputs and to parameters
    for (auto [bound, slot] : {std::pair{d->min.get(), &in.min}, std::pair{d->max.get(), &in.max}}) {
      if (!bound) continue;
      Typed t = expr(*bound, f, &in.type, ctx);
      if (expect_type(t, in.type, f, bound->range, textf(Msg::WhatBound, in.name).c_str())) *slot = t.id;
    }
  }
  // Alternative readings of a parameter add the ambiguity's parameter to p_.params: only the
  // declared ones are visited, each by index.
  const std::size_t declared_params = p_.params.size();
  for (std::size_t i = 0; i < declared_params; ++i) {
    if (!param_ok[i]) continue;
    auto [f, d] = param_ast_[i];
    if (d->values.empty())
      error(DiagCode::BadParamValues, f, d->name.range,
            textf(Msg::ParamNoValue, p_.params[i].name));
    const auto slot = static_cast<std::uint32_t>(i);
    const auto whole = reading_values(slot, f, d->readings);
    for (const auto& v : d->values) {
      auto val = constant(*v.value, f, p_.params[i].type, textf(Msg::WhatValue, p_.params[i].name).c_str());
      auto own = reading_values(slot, f, v.readings);
      if (!val) continue;
      if (!v.from && v.from_range.end > v.from_range.begin) continue;  // its date was reported as bad
      merge_reading_values(own, whole);
      p_.params[i].values.push_back({*val, v.from, v.placeholder, v.source.value, {f, v.range}, v.value->range, std::move(own)});
    }
    auto& pa = p_.params[i];
    std::stable_sort(pa.values.begin(), pa.values.end(), [](const auto& a, const auto& b) {
      return a.from.value_or(INT32_MIN) < b.from.value_or(INT32_MIN);
    });
    for (std::size_t k = 1; k < pa.values.size(); ++k)
      if (pa.values[k].from.value_or(INT32_MIN) == pa.values[k - 1].from.value_or(INT32_MIN))
        error(DiagCode::BadParamValues, pa.values[k].place.file, pa.values[k].place.range,
              textf(Msg::ParamSameDate, pa.name),
              {note_at(pa.values[k - 1].place, std::string(text(Msg::TheOtherValue)))});
  }
  for (std::size_t i = 0; i < p_.rules.size(); ++i) {
    auto [f, d] = rule_ast_[i];
    if (!rule_ok[i]) continue;
    Ctx ctx;
    ctx.rule = static_cast<std::int64_t>(i);
    Type want = p_.rules[i].type;
    const ast::Expr* body = d->body.get();
    if (auto b = bound_body_.find(static_cast<std::uint32_t>(i)); b != bound_body_.end()) std::tie(f, body) = b->second;
    Typed t = expr(*body, f, &want, ctx);
    expect_type(t, want, f, body->range, textf(Msg::WhatValue, p_.rules[i].name).c_str());
    p_.rules[i].body = d->readings.empty() ? t.id : alternatives(static_cast<std::uint32_t>(i), f, *d, t.id, ctx);
    if (auto [af, cond] = applies_ast_[i]; cond) {
      // Not part of the value: typed in a context that adds nothing to the dependency graph.
      Type b = Type::boolean();
      Ctx outside;
      Typed c = expr(*cond, af, &b, outside);
      if (expect_type(c, b, af, cond->range, fmt::format("where '{}' applies", p_.rules[i].name).c_str(), true))
        p_.rules[i].applies = c.id;
    }
    for (auto* v : {&p_.rule_inputs[i], &p_.rule_params[i], &p_.rule_rules[i]}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
  }
  for (auto [f, d] : constraint_ast_) {
    Ctx ctx;
    Type b = Type::boolean();
    Typed t = expr(*d->condition, f, &b, ctx);
    expect_type(t, b, f, d->condition->range, "a constraint", true);
    p_.constraints.push_back({t.id, d->message.value, d->clause.value, {f, d->range}});
  }
}

}  // namespace pol::dsl::checking
