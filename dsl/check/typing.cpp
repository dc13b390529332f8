// Expression typing: every expression of a body becomes nodes of the checked program with a
// type, or an error type (after one diagnostic) so that checking goes on without cascades.
// Untyped number literals ("poly") take the unit their context expects.
#include <algorithm>

#include <fmt/format.h>

#include "check/checker_impl.hpp"
#include "checked/ops.hpp"

namespace pol::dsl::checking {

void Checker::adopt(Typed& t, const Type* expected) {
  if (t.id != kNoNode && poly_[t.id] && expected && expected->is_number()) {
    p_.nodes[t.id].type.unit = expected->unit;
    p_.nodes[t.id].type.percent = expected->percent;
    t.type = p_.nodes[t.id].type;
  }
}

void Checker::unify_poly(Typed& a, Typed& b) {
  if (!a.type.is_number() || !b.type.is_number()) return;
  if (poly_[a.id] && !poly_[b.id]) adopt(a, &b.type);
  else if (poly_[b.id] && !poly_[a.id]) adopt(b, &a.type);
}

bool Checker::expect_type(const Typed& t, const Type& want, std::uint16_t f, SourceRange r, const char* what,
                          bool condition) {
  if (t.type.is_error() || want.is_error()) return true;
  if (t.type.same(want)) {
    if (want.is_number() && want.whole && !t.type.whole) {
      error(DiagCode::TypeMismatch, f, r,
            textf(Msg::MustBeWhole, what,
                        type_name(p_, want)));
      return false;
    }
    return true;
  }
  DiagCode code = condition                                    ? DiagCode::NotABoolean
                  : t.type.is_number() && want.is_number() ? DiagCode::UnitMismatch
                                                           : DiagCode::TypeMismatch;
  std::string hint;
  if (condition && t.type.is_number()) hint = text(Msg::WriteComparison);
  error(code, f, r, textf(Msg::MustBeType, what, type_name(p_, want), type_name(p_, t.type), hint));
  return false;
}

Typed Checker::enum_value(const ast::Expr& e, std::uint16_t f, std::uint16_t enum_id, bool report) {
  const auto& en = p_.enums[enum_id];
  int ord = en.find(e.name);
  if (ord < 0 || (e.kind == ast::ExprKind::Qualified && e.qualifier != en.name)) {
    if (report) {
      std::vector<std::string> cands;
      for (const auto& v : en.values) cands.push_back(v.name);
      for (const auto& v : en.values) cands.push_back(v.label);  // a label is a value too (`女`)
      error(DiagCode::UnknownEnumValue, f, e.range,
            with_suggestion(textf(Msg::NotEnumValue, e.name, en.name, en.label), e.name, cands));
    }
    return bad(f, e.range);
  }
  Node n;
  n.op = Op::Const;
  n.type = Type::enumeration(enum_id);
  n.constant = Value::from_int(ord);
  n.place = {f, e.range};
  return {add(n), n.type};
}

int Checker::enum_ordinal(const ast::Expr& e, std::uint16_t f, std::uint16_t enum_id) {
  if (e.kind != ast::ExprKind::Name && e.kind != ast::ExprKind::Qualified) {
    error(DiagCode::TypeMismatch, f, e.range, textf(Msg::ExpectedEnumValue, p_.enums[enum_id].name));
    return -1;
  }
  Typed t = enum_value(e, f, enum_id, true);
  if (t.type.is_error()) return -1;
  return checked::as_enum(p_.nodes[t.id].constant);
}

void Checker::use_param(Node& n, std::uint32_t slot, const Ctx& ctx) {
  n.op = Op::Param;
  n.slot = slot;
  n.type = p_.params[slot].type;
  param_used_[slot] = true;
  if (ctx.rule < 0) return;
  p_.rule_params[ctx.rule].push_back(slot);
  // A parameter with values under other readings depends on those ambiguities too.
  for (const auto& v : p_.params[slot].values)
    for (const auto& rv : v.readings) p_.rule_params[ctx.rule].push_back(p_.readings[rv.reading].param);
}

Typed Checker::name(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx) {
  if (e.kind == ast::ExprKind::ParamRef) {
    auto it = params_by_name_.find(prefix(f) + e.name);
    if (it == params_by_name_.end()) it = params_by_name_.find(e.name);
    if (it == params_by_name_.end()) {
      std::vector<std::string> cands;
      for (const auto& [n, i] : params_by_name_) cands.push_back(n);
      error(DiagCode::UnknownName, f, e.range,
            with_suggestion(textf(Msg::UnknownParam, e.name), e.name, cands, "param."));
      return bad(f, e.range);
    }
    if (!ctx.allow_refs) {
      error(DiagCode::TypeMismatch, f, e.range, std::string(text(Msg::OnlyLiterals)));
      return bad(f, e.range);
    }
    Node n;
    n.place = {f, e.range};
    use_param(n, it->second, ctx);
    return {add(n), n.type};
  }
  if (e.kind == ast::ExprKind::Qualified && !enum_ids_.count(e.qualifier) && find_use(e.qualifier) >= 0) {
    // ALIAS.NAME: a parameter or rule of a used file, or one of its bound inputs.
    if (auto it = syms_.find(e.qualifier + "." + e.name); it != syms_.end()) return symbol(e, f, it->second, ctx);
    std::vector<std::string> cands;
    for (const auto& [n, s] : syms_)
      if (n.rfind(e.qualifier + ".", 0) == 0) cands.push_back(n.substr(e.qualifier.size() + 1));
    error(DiagCode::UnknownName, f, e.range,
          with_suggestion(fmt::format("the used file '{}' has no value '{}'", e.qualifier, e.name), e.name, cands));
    return bad(f, e.range);
  }
  if (e.kind == ast::ExprKind::Qualified) {
    auto it = enum_ids_.find(e.qualifier);
    if (it == enum_ids_.end()) {
      std::vector<std::string> cands;
      for (const auto& [n, id] : enum_ids_) cands.push_back(n);
      error(DiagCode::UnknownName, f, e.range,
            with_suggestion(textf(Msg::UnknownEnum, e.qualifier), e.qualifier, cands));
      return bad(f, e.range);
    }
    return enum_value(e, f, it->second, true);
  }
  if (const Sym* s = lookup(f, e.name)) return symbol(e, f, *s, ctx);
  return unqualified_enum_value(e, f, expected);
}

Typed Checker::symbol(const ast::Expr& e, std::uint16_t f, const Sym& sym, Ctx& ctx) {
  if (!ctx.allow_refs) {
    error(DiagCode::TypeMismatch, f, e.range,
          textf(Msg::NotHereLiterals, e.name));
    return bad(f, e.range);
  }
  Node n;
  n.place = {f, e.range};
  n.slot = sym.index;
  switch (sym.kind) {
    case SymKind::Input:
      if (!ctx.allow_inputs) {
        error(DiagCode::TypeMismatch, f, e.range, textf(Msg::InputNotHere, e.name));
        return bad(f, e.range);
      }
      n.op = Op::Input;
      n.type = p_.inputs[n.slot].type;
      input_used_[n.slot] = true;
      if (ctx.rule >= 0) p_.rule_inputs[ctx.rule].push_back(n.slot);
      break;
    case SymKind::Param: use_param(n, sym.index, ctx); break;
    case SymKind::Rule:
      if (!ctx.allow_inputs) {
        error(DiagCode::TypeMismatch, f, e.range, textf(Msg::RuleNotHere, e.name));
        return bad(f, e.range);
      }
      n.op = Op::Rule;
      n.type = p_.rules[n.slot].type;
      if (ctx.rule >= 0) p_.rule_rules[ctx.rule].push_back(n.slot);
      break;
  }
  return {add(n), n.type};
}

// An enum value written without its enum: from the expected enum, else the only enum that has it.
Typed Checker::unqualified_enum_value(const ast::Expr& e, std::uint16_t f, const Type* expected) {
  if (expected && expected->base == Base::Enum) return enum_value(e, f, expected->enum_id, true);
  std::vector<std::uint16_t> owners;
  for (std::uint16_t i = 0; i < p_.enums.size(); ++i)
    if (p_.enums[i].find(e.name) >= 0) owners.push_back(i);
  if (owners.size() == 1) return enum_value(e, f, owners[0], true);
  if (owners.size() > 1) {
    error(DiagCode::UnknownName, f, e.range,
          textf(Msg::AmbiguousEnumValue, e.name, p_.enums[owners[0]].name,
                      p_.enums[owners[1]].name, p_.enums[owners[0]].name, e.name));
    return bad(f, e.range);
  }
  std::vector<std::string> cands;
  for (const auto& [n, s] : syms_) cands.push_back(n);
  for (const auto& en : p_.enums)
    for (const auto& v : en.values) cands.push_back(v.name);
  error(DiagCode::UnknownName, f, e.range, with_suggestion(textf(Msg::UnknownName, e.name), e.name, cands));
  return bad(f, e.range);
}

Typed Checker::binary(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx) {
  using ast::BinOp;
  Node n;
  n.place = {f, e.range};
  n.parens = e.parens;
  BinOp op = e.op;
  if (op == BinOp::And || op == BinOp::Or) {
    Type b = Type::boolean();
    Typed l = expr(*e.args[0], f, &b, ctx), r = expr(*e.args[1], f, &b, ctx);
    bool ok = expect_type(l, b, f, e.args[0]->range, textf(Msg::LeftSide, ast::op_text(op)).c_str(), true);
    ok &= expect_type(r, b, f, e.args[1]->range, textf(Msg::RightSide, ast::op_text(op)).c_str(), true);
    n.op = op == BinOp::And ? Op::And : Op::Or;
    n.a = l.id;
    n.b = r.id;
    n.type = ok ? b : Type::error();
    return {add(n), n.type};
  }
  bool arith = op == BinOp::Add || op == BinOp::Sub || op == BinOp::Mul || op == BinOp::Div;
  // Operands: the left is checked with the expectation for arithmetic, the right then with
  // the left's type, so untyped literals on either side take the unit of the other.
  const Type* lexp = arith && (op == BinOp::Add || op == BinOp::Sub) ? expected : nullptr;
  Typed l = expr(*e.args[0], f, lexp, ctx);
  const Type* rexp = (l.type.base == Base::Enum || l.type.base == Base::Number) ? &l.type : nullptr;
  if (op == BinOp::Mul || op == BinOp::Div) rexp = nullptr;
  Typed r = expr(*e.args[1], f, rexp, ctx);
  n.a = l.id;
  n.b = r.id;
  if (l.type.is_error() || r.type.is_error()) {
    n.type = Type::error();
    return {add(n), n.type};
  }
  if (l.type.is_number() && r.type.is_number() && !(op == BinOp::Mul || op == BinOp::Div)) unify_poly(l, r);
  const Type& L = l.type;
  const Type& R = r.type;
  auto mismatch = [&](Msg verb) {
    error(L.is_number() && R.is_number() ? DiagCode::UnitMismatch : DiagCode::TypeMismatch, f, e.range,
          textf(verb, type_name(p_, L), type_name(p_, R)));
    n.type = Type::error();
    return Typed{add(n), n.type};
  };
  auto negated = [&](NodeId id, const Type& t) {  // -x, for DATE - N
    Node neg;
    neg.op = Op::Neg;
    neg.a = id;
    neg.type = t;
    neg.place = p_.nodes[id].place;
    return add(neg);
  };
  switch (op) {
    case BinOp::Add:
    case BinOp::Sub:
      n.op = op == BinOp::Add ? Op::Add : Op::Sub;
      if (L.is_number() && R.is_number()) {
        if (L.unit != R.unit) return mismatch(op == BinOp::Add ? Msg::CannotAdd : Msg::CannotSubtract);
        n.type = Type::number(L.unit, L.whole && R.whole, L.percent && R.percent);
      } else if (L.base == Base::Date && R.is_number() && (R.unit == Unit::Days || poly_[r.id])) {
        if (op == BinOp::Sub) n.b = negated(r.id, R);  // DATE - N is DATE + (-N)
        n.op = Op::DateAddDays;
        n.type = Type::date();
      } else if (L.base == Base::Date && R.is_number() && R.unit == Unit::Months) {
        if (!R.whole) return whole_months_needed(e.args[1]->range, f);
        if (op == BinOp::Sub) n.b = negated(r.id, R);  // DATE - N is DATE + (-N)
        n.op = Op::DateAddMonths;
        n.type = Type::date();
      } else if (op == BinOp::Add && R.base == Base::Date && L.is_number() && L.unit == Unit::Months) {
        if (!L.whole) return whole_months_needed(e.args[0]->range, f);
        n.op = Op::DateAddMonths;
        std::swap(n.a, n.b);
        n.type = Type::date();
      } else if (op == BinOp::Add && R.base == Base::Date && L.is_number() && (L.unit == Unit::Days || poly_[l.id])) {
        n.op = Op::DateAddDays;
        std::swap(n.a, n.b);
        n.type = Type::date();
      } else if (op == BinOp::Sub && L.base == Base::Date && R.base == Base::Date) {
        n.op = Op::DateDiffDays;
        n.type = Type::number(Unit::Days, true);
      } else {
        return mismatch(op == BinOp::Add ? Msg::CannotAdd : Msg::CannotSubtract);
      }
      break;
    case BinOp::Mul:
      n.op = Op::Mul;
      if (!L.is_number() || !R.is_number()) return mismatch(Msg::CannotMultiply);
      if (L.unit == Unit::None || poly_[l.id]) n.type = Type::number(R.unit, L.whole && R.whole, L.percent && R.percent);
      else if (R.unit == Unit::None || poly_[r.id]) n.type = Type::number(L.unit, L.whole && R.whole, L.percent && R.percent);
      else if ((L.unit == Unit::Years || L.unit == Unit::Months) && R.unit == Unit::Yuan) n.type = Type::money();
      else if ((R.unit == Unit::Years || R.unit == Unit::Months) && L.unit == Unit::Yuan) n.type = Type::money();
      else return mismatch(Msg::CannotMultiply);
      break;
    case BinOp::Div:
      n.op = Op::Div;
      if (!L.is_number() || !R.is_number()) return mismatch(Msg::CannotDivide);
      if (R.unit == Unit::None || poly_[r.id]) n.type = Type::number(L.unit);
      else if (L.unit == R.unit) n.type = Type::number();
      else return mismatch(Msg::CannotDivide);
      if (poly_[l.id] && poly_[r.id]) n.type.percent = true;  // 2/3 is a fraction
      break;
    default: {
      static const Op ops[] = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
      n.op = ops[static_cast<int>(op) - static_cast<int>(BinOp::Eq)];
      bool ordered = op != BinOp::Eq && op != BinOp::Ne;
      bool ok = L.same(R) && (!ordered || L.is_number() || L.base == Base::Date);
      if (!ok) {
        error(L.is_number() && R.is_number() ? DiagCode::UnitMismatch : DiagCode::TypeMismatch, f, e.range,
              textf(Msg::CannotCompare, type_name(p_, L), type_name(p_, R),
                          ordered && L.same(R) ? text(Msg::ByOrder) : std::string_view()));
        n.type = Type::error();
        return {add(n), n.type};
      }
      n.type = Type::boolean();
    }
  }
  Typed t{add(n), n.type};
  if (poly_[l.id] && poly_[r.id]) poly_[t.id] = true;
  return t;
}

Typed Checker::expr(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx) {
  using K = ast::ExprKind;
  switch (e.kind) {
    case K::Invalid:
    case K::Number:
    case K::Percent:
    case K::Bool:
    case K::Date: return literal(e, f, expected);
    case K::Name:
    case K::ParamRef:
    case K::Qualified: {
      Typed t = name(e, f, expected, ctx);
      p_.nodes[t.id].parens = e.parens;
      return t;
    }
    case K::Negate:
    case K::Not: return unary(e, f, expected, ctx);
    case K::Binary: return binary(e, f, expected, ctx);
    case K::In: return in_set(e, f, ctx);
    case K::Call: return call(e, f, expected, ctx);
    case K::Chain:
    case K::Match: return branches(e, f, expected, ctx);
  }
  return bad(f, e.range);
}

Typed Checker::literal(const ast::Expr& e, std::uint16_t f, const Type* expected) {
  using K = ast::ExprKind;
  Node n = node_at(e, f);
  n.op = Op::Const;
  switch (e.kind) {
    case K::Invalid:
      // Reported by the parser: an error type, so nothing else is said about it.
      n.type = Type::error();
      return {add(n), n.type};
    case K::Number: {
      n.constant = e.number;
      Unit u = e.unit == ast::UnitWord::Days ? Unit::Days
             : e.unit == ast::UnitWord::Months ? Unit::Months
             : e.unit == ast::UnitWord::Years ? Unit::Years
                                              : Unit::None;
      n.type = Type::number(u, e.number.is_integer());
      if ((u == Unit::Days || u == Unit::Months) && !e.number.is_integer())
        error(DiagCode::BadLiteral, f, e.range, textf(Msg::UnitMustBeWhole, text(u == Unit::Days ? Msg::UnitWordDays : Msg::UnitWordMonths)));
      Typed t{add(n), n.type};
      if (e.unit == ast::UnitWord::None) {
        poly_[t.id] = true;
        adopt(t, expected);
      }
      return t;
    }
    case K::Percent:
      n.constant = e.number;
      n.type = Type::number(Unit::None, false, true);
      return {add(n), n.type};
    case K::Bool:
      n.constant = checked::make_bool(e.bool_value);
      n.type = Type::boolean();
      return {add(n), n.type};
    case K::Date:
      n.constant = Value::from_int(e.date_days);
      n.type = Type::date();
      return {add(n), n.type};
    default: return bad(f, e.range);
  }
}

Typed Checker::unary(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx) {
  Node n = node_at(e, f);
  if (e.kind == ast::ExprKind::Not) {
    Type b = Type::boolean();
    Typed a = expr(*e.args[0], f, &b, ctx);
    n.op = Op::Not;
    n.a = a.id;
    n.type = expect_type(a, b, f, e.args[0]->range, std::string(text(Msg::OperandOfNot)).c_str(), true) ? b : Type::error();
    return {add(n), n.type};
  }
  Typed a = expr(*e.args[0], f, expected, ctx);
  n.op = Op::Neg;
  n.a = a.id;
  if (!a.type.is_error() && !a.type.is_number()) {
    error(DiagCode::TypeMismatch, f, e.range, textf(Msg::CannotNegate, type_name(p_, a.type)));
    n.type = Type::error();
  } else {
    n.type = a.type;
  }
  Typed t{add(n), n.type};
  poly_[t.id] = poly_[a.id];
  return t;
}

Typed Checker::in_set(const ast::Expr& e, std::uint16_t f, Ctx& ctx) {
  Node n = node_at(e, f);
  Typed s = expr(*e.args[0], f, nullptr, ctx);
  n.op = Op::In;
  n.a = s.id;
  n.type = Type::boolean();
  if (s.type.is_error()) return {add(n), n.type};
  if (s.type.base != Base::Enum) {
    error(DiagCode::TypeMismatch, f, e.args[0]->range,
          textf(Msg::InNeedsEnum, type_name(p_, s.type)));
    n.type = Type::error();
    return {add(n), n.type};
  }
  for (std::size_t i = 1; i < e.args.size(); ++i) {
    int ord = enum_ordinal(*e.args[i], f, s.type.enum_id);
    if (ord >= 0) n.mask |= std::uint64_t{1} << ord;
  }
  return {add(n), n.type};
}

Typed Checker::call(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx) {
  using ast::Func;
  if (e.func == Func::AsOf) return as_of(e, f, expected, ctx);
  if (e.func == Func::MonthsBetween) return months_between(e, f, ctx);
  if (e.func == Func::Given) return given(e, f, ctx);
  std::vector<Typed> args;
  bool is_rounding = e.func == Func::Round || e.func == Func::RoundDown || e.func == Func::RoundUp;
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    const Type* ex = i == 0 ? expected : (is_rounding ? nullptr : &args[0].type);
    args.push_back(expr(*e.args[i], f, ex, ctx));
  }
  return is_rounding ? rounding(e, f, args) : min_max(e, f, args);
}

Typed Checker::as_of(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx) {
  if (e.args.size() != 2 || e.args[0]->kind != ast::ExprKind::Date) {
    error(DiagCode::BadCall, f, e.range,
          std::string(text(Msg::AsOfArgs)));
    return bad(f, e.range);
  }
  Node n = node_at(e, f);
  int date = e.args[0]->date_days;
  auto it = std::find(p_.contexts.begin(), p_.contexts.end(), date);
  if (it == p_.contexts.end()) it = p_.contexts.insert(p_.contexts.end(), date);
  Typed inner = expr(*e.args[1], f, expected, ctx);
  n.op = Op::AsOf;
  n.a = inner.id;
  n.slot = static_cast<std::uint32_t>(it - p_.contexts.begin()) + 1;
  n.type = inner.type;
  // Keep the date as a constant child for printing.
  Node d;
  d.op = Op::Const;
  d.type = Type::date();
  d.constant = Value::from_int(date);
  d.place = {f, e.args[0]->range};
  n.b = add(d);
  return {add(n), n.type};
}

// months_between(FROM, TO): the whole months from one date to another, a whole number of months.
Typed Checker::months_between(const ast::Expr& e, std::uint16_t f, Ctx& ctx) {
  if (e.args.size() != 2) {
    error(DiagCode::BadCall, f, e.range, "months_between(FROM, TO) takes two dates: the whole months from FROM to TO");
    return bad(f, e.range);
  }
  Type d = Type::date();
  Typed a = expr(*e.args[0], f, &d, ctx), b = expr(*e.args[1], f, &d, ctx);
  bool ok = expect_type(a, d, f, e.args[0]->range, "the first argument of months_between");
  ok &= expect_type(b, d, f, e.args[1]->range, "the second argument of months_between");
  Node n = node_at(e, f);
  n.op = Op::MonthsBetween;
  n.a = a.id;
  n.b = b.id;
  n.type = ok ? Type::number(Unit::Months, true) : Type::error();
  return {add(n), n.type};
}

Typed Checker::whole_months_needed(SourceRange r, std::uint16_t f) {
  error(DiagCode::TypeMismatch, f, r,
        "a date plus or minus months needs a whole number of months; write round_down(…, 0) to drop a fraction");
  return bad(f, r);
}

Typed Checker::rounding(const ast::Expr& e, std::uint16_t f, const std::vector<Typed>& args) {
  using ast::Func;
  Node n = node_at(e, f);
  n.op = Op::Round;
  n.mode = e.func == Func::Round ? RoundMode::HalfAwayFromZero
         : e.func == Func::RoundDown ? RoundMode::TowardZero
                                     : RoundMode::AwayFromZero;
  if (args.empty() || args.size() > 2) {
    error(DiagCode::BadCall, f, e.range,
          textf(Msg::RoundArgs, ast::func_text(e.func),
                      ast::func_text(e.func)));
    return bad(f, e.range);
  }
  n.a = args[0].id;
  if (!args[0].type.is_error() && !args[0].type.is_number()) {
    error(DiagCode::TypeMismatch, f, e.args[0]->range,
          textf(Msg::NeedsNumber, ast::func_text(e.func), type_name(p_, args[0].type)));
    return bad(f, e.range);
  }
  int places = args[0].type.is_money() ? 2 : 0;
  if (args.size() == 2) {
    const ast::Expr& pe = *e.args[1];
    if (pe.kind != ast::ExprKind::Number || !pe.number.is_integer() || pe.number > Decimal::from_int(18)) {
      error(DiagCode::BadCall, f, pe.range, std::string(text(Msg::PlacesRange)));
      return bad(f, e.range);
    }
    places = static_cast<int>(pe.number.round(0).coef());
  }
  n.places = static_cast<std::uint8_t>(places);
  n.type = args[0].type;
  n.type.whole = places == 0;
  n.type.percent = args[0].type.percent;
  return {add(n), n.type};
}

Typed Checker::min_max(const ast::Expr& e, std::uint16_t f, std::vector<Typed>& args) {
  Node n = node_at(e, f);
  n.op = e.func == ast::Func::Min ? Op::Min : Op::Max;
  if (args.size() < 2) {
    error(DiagCode::BadCall, f, e.range, textf(Msg::NeedsTwoArgs, ast::func_text(e.func)));
    return bad(f, e.range);
  }
  // Untyped literals take the unit of the first typed argument.
  const Typed* typed = nullptr;
  for (auto& a : args)
    if (!poly_[a.id] && !a.type.is_error()) typed = &a;
  if (typed) {
    Type tt = typed->type;
    for (auto& a : args) adopt(a, &tt);
  }
  n.type = args[0].type;
  bool whole = true;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].type.is_error()) {
      n.type = Type::error();
      continue;
    }
    if (!(args[i].type.is_number() || args[i].type.base == Base::Date) || !args[i].type.same(args[0].type)) {
      error(DiagCode::UnitMismatch, f, e.args[i]->range,
            textf(Msg::ArgsOneUnit,
                        ast::func_text(e.func), type_name(p_, args[i].type), type_name(p_, args[0].type)));
      n.type = Type::error();
    }
    whole &= args[i].type.whole;
  }
  if (!n.type.is_error()) n.type.whole = whole;
  n.first = static_cast<std::uint32_t>(p_.operands.size());
  n.count = static_cast<std::uint32_t>(args.size());
  for (auto& a : args) p_.operands.push_back(a.id);
  return {add(n), n.type};
}

Typed Checker::branches(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx) {
  bool is_match = e.kind == ast::ExprKind::Match;
  Node n = node_at(e, f);
  n.op = is_match ? Op::Match : Op::Chain;
  Typed subject;
  if (is_match) {
    subject = expr(*e.args[0], f, nullptr, ctx);
    n.a = subject.id;
    if (!subject.type.is_error() && subject.type.base != Base::Enum) {
      error(DiagCode::TypeMismatch, f, e.args[0]->range,
            textf(Msg::MatchNeedsEnum,
                        type_name(p_, subject.type)));
      subject.type = Type::error();
    }
  }
  Type result = expected ? *expected : Type::error();
  bool have_result = expected != nullptr;
  std::vector<checked::Branch> arms;
  std::uint64_t covered = 0;
  bool has_otherwise = false;
  for (const auto& b : e.branches) {
    checked::Branch cb;
    cb.clause = b.clause;
    cb.place = {f, b.range};
    if (b.is_otherwise) {
      has_otherwise = true;
    } else if (is_match) {
      for (const auto& v : b.values) {
        if (subject.type.is_error()) break;
        int ord = enum_ordinal(*v, f, subject.type.enum_id);
        if (ord < 0) continue;
        std::uint64_t bit = std::uint64_t{1} << ord;
        if (covered & bit)
          error(DiagCode::DuplicateBranch, f, v->range,
                textf(Msg::AlreadyHandled, v->name));
        covered |= bit;
        cb.mask |= bit;
      }
    } else {
      Type bt = Type::boolean();
      Typed c = expr(*b.condition, f, &bt, ctx);
      expect_type(c, bt, f, b.condition->range, std::string(text(Msg::ConditionOfWhen)).c_str(), true);
      cb.condition = c.id;
    }
    Typed r = expr(*b.result, f, have_result ? &result : nullptr, ctx);
    if (!have_result && !r.type.is_error()) {
      result = r.type;
      have_result = true;
    } else if (have_result) {
      expect_type(r, result, f, b.result->range, std::string(text(Msg::ResultOfBranch)).c_str());
    }
    cb.result = r.id;
    arms.push_back(cb);
  }
  // 'otherwise' after covering every value is harmless; nothing to report.
  if (!has_otherwise) check_exhaustive(e, f, is_match, subject, covered);
  n.first = static_cast<std::uint32_t>(p_.branches.size());
  n.count = static_cast<std::uint32_t>(arms.size());
  for (auto& b : arms) p_.branches.push_back(std::move(b));
  n.type = have_result ? result : Type::error();
  return {add(n), n.type};
}

// A match or chain without 'otherwise' must have a result for every case.
void Checker::check_exhaustive(const ast::Expr& e, std::uint16_t f, bool is_match, const Typed& subject,
                               std::uint64_t covered) {
  if (is_match && !subject.type.is_error()) {
    const auto& en = p_.enums[subject.type.enum_id];
    std::vector<std::string> missing;
    for (std::size_t i = 0; i < en.values.size(); ++i)
      if (!(covered & (std::uint64_t{1} << i))) missing.push_back(textf(Msg::NameLabel, en.values[i].name, en.values[i].label));
    if (!missing.empty())
      error(DiagCode::NonExhaustiveMatch, f, e.range,
            textf(Msg::MatchMissing,
                        en.name, joined(missing)));
  } else if (!is_match) {
    error(DiagCode::NonExhaustiveMatch, f, e.range,
          std::string(text(Msg::ChainFallsThrough)));
  }
}

std::optional<Value> Checker::fold(NodeId id) {
  const Node& n = p_.nodes[id];
  try {
    switch (n.op) {
      case Op::Const: return n.constant;
      case Op::Neg: {
        auto a = fold(n.a);
        if (!a) return std::nullopt;
        return -*a;
      }
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div: {
        auto a = fold(n.a), b = fold(n.b);
        if (!a || !b) return std::nullopt;
        return ops::binary(n.op, *a, *b);
      }
      case Op::Round: {
        auto a = fold(n.a);
        if (!a) return std::nullopt;
        return ops::round(*a, n.places, n.mode);
      }
      default: return std::nullopt;
    }
  } catch (const DecimalOverflow&) {
    return std::nullopt;
  }
}

std::optional<Value> Checker::constant(const ast::Expr& e, std::uint16_t f, const Type& want, const char* what) {
  Ctx ctx;
  ctx.allow_refs = false;
  std::size_t errors_before = diags_.size();
  Typed t = expr(e, f, &want, ctx);
  if (diags_.size() != errors_before || t.type.is_error()) return std::nullopt;
  if (!expect_type(t, want, f, e.range, what)) return std::nullopt;
  auto v = fold(t.id);
  if (!v) {
    error(DiagCode::BadLiteral, f, e.range, textf(Msg::MustBeLiteral, what));
    return std::nullopt;
  }
  if (want.is_number() && want.whole && !v->is_integer()) {
    error(DiagCode::BadLiteral, f, e.range, textf(Msg::WhatMustBeWhole, what));
    return std::nullopt;
  }
  // A plain number above 1 given as a rate is a percentage missing its '%': 6.5 would be 650%.
  if (want.percent && e.kind == ast::ExprKind::Number && e.unit == ast::UnitWord::None &&
      compare(*v, Decimal::from_int(1)) > 0) {
    std::string pct = (*v * Decimal::from_int(100)).to_string();
    error(DiagCode::BadLiteral, f, e.range,
          textf(Msg::RateNotPercent, what, e.name,
                      pct, e.name, pct));
    return std::nullopt;
  }
  return v;
}

}  // namespace pol::dsl::checking
