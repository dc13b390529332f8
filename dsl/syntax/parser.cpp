#include "syntax/parser.hpp"

#include <tao/pegtl/contrib/limit_depth.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "syntax/grammar_errors.hpp"

namespace pol::dsl {
namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar;
using Node = pegtl::parse_tree::node;

template <typename Rule>
using selector = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        g::identifier, g::string_lit, g::label, g::date_lit, g::number_lit, g::unit_word, g::percent_lit, g::bool_lit,
        g::qualified_name, g::name_ref, g::param_ref, g::func_name, g::call, g::paren, g::negate, g::mul_op, g::add_op, g::cmp_op,
        g::in_op, g::set_lit, g::logical_not, g::clause_attr, g::chain_branch, g::otherwise_branch, g::chain,
        g::match_values, g::match_arm, g::match_expr, g::type_ref, g::reading_attr, g::applies_attr, g::issuer_field, g::number_field,
        g::effective_field, g::source_field, g::extends_field, g::policy_decl, g::enum_value, g::enum_decl,
        g::default_attr, g::min_attr, g::max_attr, g::input_decl, g::from_attr, g::source_attr, g::placeholder_attr,
        g::param_value, g::regional_attr, g::param_decl, g::rule_kind, g::rule_decl, g::override_decl, g::constraint_decl, g::note_decl,
        g::assignment, g::binding, g::use_decl, g::given_stmt, g::set_stmt, g::at_stmt, g::expect_error, g::expect_stmt, g::test_decl,
        g::reading_default, g::alternative_decl, g::reading_block, g::reading_pin, g::reading_choice>,
    pegtl::parse_tree::fold_one::on<g::multiplicative, g::additive, g::comparison, g::and_expr, g::or_expr>>;

// Every rule counts one level; an expression in parentheses takes about 25, so this allows
// kMaxNesting levels of parentheses or `not` and stops a hostile file long before the stack.
constexpr std::size_t kMaxRuleDepth = 40 * kMaxNesting;
template <typename Rule>
struct depth_action : pegtl::limit_depth<kMaxRuleDepth> {};

class Builder {
public:
  Builder(std::shared_ptr<const SourceFile> file, std::vector<Diagnostic>& diags)
      : file_(std::move(file)), base_(file_->text().data()), diags_(diags) {}

  bool nesting_reported = false;  // in the declaration being built: one nesting error is enough

  // The depth of every expression of `d`, found without recursion; an error if one is too deep.
  bool within_depth(const ast::Decl& d) {
    std::vector<std::pair<const ast::Expr*, std::size_t>> stack;
    auto push = [&](const ast::ExprPtr& e, std::size_t level) {
      if (e) stack.emplace_back(e.get(), level);
    };
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, ast::InputDecl>) {
            push(x.default_value, 1);
            push(x.min, 1);
            push(x.max, 1);
          } else if constexpr (std::is_same_v<T, ast::ParamDecl>) {
            for (const auto& b : x.readings)
              for (const auto& a : b.alternatives) push(a.body, 1);
            for (const auto& v : x.values) {
              push(v.value, 1);
              for (const auto& b : v.readings)
                for (const auto& a : b.alternatives) push(a.body, 1);
            }
          } else if constexpr (std::is_same_v<T, ast::RuleDecl>) {
            push(x.body, 1);
            for (const auto& b : x.readings)
              for (const auto& a : b.alternatives) push(a.body, 1);
          } else if constexpr (std::is_same_v<T, ast::ConstraintDecl>) {
            push(x.condition, 1);
          } else if constexpr (std::is_same_v<T, ast::TestDecl>) {
            for (const auto* v : {&x.given, &x.set, &x.expect})
              for (const auto& a : *v) push(a.value, 1);
          }
        },
        d);
    while (!stack.empty()) {
      auto [e, level] = stack.back();
      stack.pop_back();
      if (level > kMaxExprDepth) {
        error(e->range, DiagCode::LimitExceeded,
              textf(Msg::SynExprDepth, kMaxExprDepth));
        return false;
      }
      for (const auto& a : e->args) push(a, level + 1);
      for (const auto& b : e->branches) {
        push(b.condition, level + 1);
        push(b.result, level + 1);
        for (const auto& v : b.values) push(v, level + 1);
      }
    }
    return true;
  }

  SourceRange range(const Node& n) const {
    return {static_cast<std::uint32_t>(n.m_begin.data - base_), static_cast<std::uint32_t>(n.m_end.data - base_)};
  }

  void error(SourceRange r, DiagCode code, std::string msg) {
    diags_.push_back(Diagnostic{Severity::Error, code, file_, r, std::move(msg), {}});
  }

  ast::Ident ident(const Node& n) {
    ast::Ident id{std::string(n.string_view()), range(n)};
    if (id.name.size() > kMaxNameLength)
      error(id.range, DiagCode::LimitExceeded,
            textf(Msg::SynNameLength, id.name.size(), kMaxNameLength));
    return id;
  }

  ast::Text text(const Node& n) {
    // n is a string_lit or a label (whose content is the quoted string).
    std::string_view raw = n.string_view();
    ast::Text t;
    t.range = range(n);
    t.present = true;
    raw = raw.substr(1, raw.size() - 2);
    t.value.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) {
        char c = raw[++i];
        t.value.push_back(c == 'n' ? '\n' : c);
      } else {
        t.value.push_back(raw[i]);
      }
    }
    if (utf8_length(t.value) > kMaxStringLength)
      error(t.range, DiagCode::LimitExceeded, textf(Msg::SynStringLength, kMaxStringLength));
    return t;
  }

  std::optional<int> date(const Node& n) {
    auto d = parse_date(n.string_view());
    if (!d)
      error(range(n), DiagCode::BadLiteral,
            textf(Msg::SynBadDate, n.string_view(), kMinYear, kMaxYear));
    return d;
  }

  ast::ExprPtr expr(const Node& n, int depth = 0) {
    auto e = std::make_unique<ast::Expr>();
    e->range = range(n);
    if (depth > kMaxNesting) {
      e->kind = ast::ExprKind::Invalid;
      if (nesting_reported) return e;
      // The caret goes under the rest of the line where the nesting goes too deep.
      std::string_view rest(base_ + e->range.begin, e->range.end - e->range.begin);
      if (auto nl = rest.find('\n'); nl != std::string_view::npos) e->range.end = e->range.begin + static_cast<std::uint32_t>(nl);
      error(e->range, DiagCode::LimitExceeded,
            textf(Msg::SynNesting, kMaxNesting));
      nesting_reported = true;
      return e;
    }
    const auto& kids = n.children;
    if (n.is_type<g::paren>()) {
      auto inner = expr(*kids.at(0), depth + 1);
      inner->parens = true;
      inner->range = e->range;
      return inner;
    }
    if (literal(n, *e)) return e;
    if (n.is_type<g::negate>()) {
      e->kind = ast::ExprKind::Negate;
      e->args.push_back(expr(*kids.at(0), depth + 1));
      return e;
    }
    if (n.is_type<g::logical_not>()) {
      e->kind = ast::ExprKind::Not;
      e->args.push_back(expr(*kids.at(0), depth + 1));
      return e;
    }
    if (n.is_type<g::call>()) {
      e->kind = ast::ExprKind::Call;
      std::string_view f = kids.at(0)->string_view();
      e->func = f == "min" ? ast::Func::Min
              : f == "max" ? ast::Func::Max
              : f == "round" ? ast::Func::Round
              : f == "round_down" ? ast::Func::RoundDown
              : f == "as_of" ? ast::Func::AsOf
              : f == "months_between" ? ast::Func::MonthsBetween
              : f == "given" ? ast::Func::Given
                                  : ast::Func::RoundUp;
      for (std::size_t i = 1; i < kids.size(); ++i) e->args.push_back(expr(*kids[i], depth + 1));
      return e;
    }
    if (n.is_type<g::multiplicative>() || n.is_type<g::additive>() || n.is_type<g::and_expr>() ||
        n.is_type<g::or_expr>())
      return operator_chain(n, std::move(e), depth);
    if (n.is_type<g::comparison>()) {
      if (kids.at(1)->is_type<g::in_op>()) {
        e->kind = ast::ExprKind::In;
        e->args.push_back(expr(*kids[0], depth + 1));
        for (const auto& m : kids.at(2)->children) e->args.push_back(expr(*m, depth + 1));
        // The parse node may run on over the space after it; the expression ends at '}'.
        std::string_view set = kids[2]->string_view();
        std::size_t close = set.rfind('}');
        e->range = {e->args[0]->range.begin,
                    range(*kids[2]).begin + static_cast<std::uint32_t>(close == std::string_view::npos ? set.size() : close + 1)};
        return e;
      }
      e->kind = ast::ExprKind::Binary;
      std::string_view op = kids[1]->string_view();
      e->op = op == "==" ? ast::BinOp::Eq
            : op == "!=" ? ast::BinOp::Ne
            : op == "<=" ? ast::BinOp::Le
            : op == ">=" ? ast::BinOp::Ge
            : op == "<" ? ast::BinOp::Lt
                        : ast::BinOp::Gt;
      e->args.push_back(expr(*kids[0], depth + 1));
      e->args.push_back(expr(*kids.at(2), depth + 1));
      e->range = {e->args[0]->range.begin, e->args[1]->range.end};
      return e;
    }
    if (n.is_type<g::chain>()) {
      e->kind = ast::ExprKind::Chain;
      for (const auto& k : kids) e->branches.push_back(branch(*k, depth));
      return e;
    }
    if (n.is_type<g::match_expr>()) {
      e->kind = ast::ExprKind::Match;
      e->args.push_back(expr(*kids.at(0), depth + 1));
      for (std::size_t i = 1; i < kids.size(); ++i) e->branches.push_back(branch(*kids[i], depth));
      return e;
    }
    error(e->range, DiagCode::SyntaxError, fmt::format("internal: unexpected syntax node {}", n.type));
    return e;
  }

  // Number, percentage, boolean and date literals and plain, param. and qualified names;
  // false if `n` is none of these.
  bool literal(const Node& n, ast::Expr& e) {
    const auto& kids = n.children;
    if (n.is_type<g::number_lit>()) {
      e.kind = ast::ExprKind::Number;
      std::string_view sv = n.string_view();
      std::size_t end = sv.find_first_not_of("0123456789.");
      std::string_view digits = sv.substr(0, end);
      e.name = std::string(digits);
      if (!number(e.range, digits, e.number)) e.kind = ast::ExprKind::Invalid;
      if (!kids.empty()) {
        std::string_view u = kids.back()->string_view();
        e.unit = u == "days" ? ast::UnitWord::Days : u == "months" ? ast::UnitWord::Months : ast::UnitWord::Years;
      }
      return true;
    }
    if (n.is_type<g::percent_lit>()) {
      e.kind = ast::ExprKind::Percent;
      std::string_view sv = n.string_view();
      e.name = std::string(sv);
      Decimal d;
      if (number(e.range, sv.substr(0, sv.size() - 1), d)) e.number = d / Decimal::from_int(100);
      else e.kind = ast::ExprKind::Invalid;
      return true;
    }
    if (n.is_type<g::bool_lit>()) {
      e.kind = ast::ExprKind::Bool;
      e.bool_value = n.string_view() == "true";
      return true;
    }
    if (n.is_type<g::date_lit>()) {
      e.kind = ast::ExprKind::Date;
      e.name = std::string(n.string_view());
      e.date_days = date(n).value_or(0);
      return true;
    }
    if (n.is_type<g::name_ref>()) {
      e.kind = ast::ExprKind::Name;
      e.name = ident(n).name;
      return true;
    }
    if (n.is_type<g::param_ref>()) {
      e.kind = ast::ExprKind::ParamRef;
      e.name = std::string(kids.at(0)->string_view());
      return true;
    }
    if (n.is_type<g::qualified_name>()) {
      e.kind = ast::ExprKind::Qualified;
      e.qualifier = std::string(kids.at(0)->string_view());
      e.name = std::string(kids.at(1)->string_view());
      return true;
    }
    return false;
  }

  // `a op b op c …`, left-associative: arithmetic (operand, operator, operand, …) and the
  // logical chains (operands only).
  ast::ExprPtr operator_chain(const Node& n, ast::ExprPtr e, int depth) {
    const auto& kids = n.children;
    bool logical = n.is_type<g::and_expr>() || n.is_type<g::or_expr>();
    std::size_t operands = logical ? kids.size() : (kids.size() + 1) / 2;
    if (operands > kMaxChainOperands) {
      error(e->range, DiagCode::LimitExceeded,
            textf(Msg::SynChainOperands, operands, kMaxChainOperands));
      e->kind = ast::ExprKind::Invalid;
      return e;
    }
    std::size_t step = logical ? 1 : 2;
    ast::ExprPtr acc = expr(*kids.at(0), depth + 1);
    for (std::size_t i = step; i < kids.size(); i += step) {
      auto b = std::make_unique<ast::Expr>();
      b->kind = ast::ExprKind::Binary;
      if (logical) {
        b->op = n.is_type<g::and_expr>() ? ast::BinOp::And : ast::BinOp::Or;
      } else {
        char op = kids[i - 1]->string_view()[0];
        b->op = op == '*' ? ast::BinOp::Mul : op == '/' ? ast::BinOp::Div : op == '+' ? ast::BinOp::Add : ast::BinOp::Sub;
      }
      b->args.push_back(std::move(acc));
      b->args.push_back(expr(*kids[i], depth + 1));
      b->range = {b->args[0]->range.begin, b->args[1]->range.end};
      acc = std::move(b);
    }
    return acc;
  }

  ast::Branch branch(const Node& n, int depth) {
    ast::Branch b;
    b.range = range(n);
    const auto& kids = n.children;
    std::size_t i = 0;
    if (n.is_type<g::otherwise_branch>()) {
      b.is_otherwise = true;
    } else if (n.is_type<g::match_arm>()) {
      for (const auto& v : kids.at(0)->children) b.values.push_back(expr(*v, depth + 1));
      i = 1;
    } else {
      b.condition = expr(*kids.at(0), depth + 1);
      i = 1;
    }
    b.result = expr(*kids.at(i), depth + 1);
    if (i + 1 < kids.size() && kids[i + 1]->is_type<g::clause_attr>()) b.clause = text(*kids[i + 1]->children.at(0)).value;
    return b;
  }

  bool number(SourceRange r, std::string_view digits, Decimal& out) {
    // Significant digits: leading zeros do not count.
    std::size_t count = 0;
    bool leading = true;
    for (char ch : digits) {
      if (ch < '0' || ch > '9') continue;
      if (leading && ch == '0') continue;
      leading = false;
      ++count;
    }
    std::size_t point = digits.find('.');
    std::size_t frac = point == std::string_view::npos ? 0 : digits.size() - point - 1;
    std::optional<Decimal> d;
    if (count <= kMaxNumberDigits && frac <= static_cast<std::size_t>(Decimal::kMaxScale)) d = Decimal::parse(digits);
    if (!d) {
      error(r, DiagCode::LimitExceeded,
            textf(Msg::SynDigits, digits, kMaxNumberDigits));
      return false;
    }
    out = *d;
    return true;
  }

  void attrs(const Node& k, ast::Attrs& a) {
    if (k.is_type<g::clause_attr>()) a.clause = text(*k.children.at(0));
    else if (k.is_type<g::reading_attr>()) a.reading = text(*k.children.at(0));
  }

  // What inputs, parameters and rules begin with: NAME : TYPE "LABEL", from child `first` on.
  template <typename D>
  void head(D& d, const Node& n, bool is_override, std::size_t first) {
    d.range = range(n);
    d.is_override = is_override;
    d.name = ident(*n.children.at(first));
    d.type = ident(*n.children.at(first + 1));
    d.label = text(*n.children.at(first + 2));
  }

  // VALUE from DATE source "…" (or placeholder "…").
  ast::ParamValue param_value(const Node& k) {
    ast::ParamValue v;
    v.range = range(k);
    v.value = expr(*k.children.at(0));
    for (std::size_t j = 1; j < k.children.size(); ++j) {
      const Node& a = *k.children[j];
      if (a.is_type<g::from_attr>()) {
        v.from = date(*a.children.at(0));
        v.from_range = range(a);
      } else if (a.is_type<g::reading_block>()) {
        v.readings.push_back(reading_block(a));
      } else {
        v.placeholder = a.is_type<g::placeholder_attr>();
        v.source = text(*a.children.at(0));
      }
    }
    return v;
  }

  // `ID.NAME` of a reading or an alternative.
  std::pair<ast::Ident, ast::Ident> reading_name(const Node& q) {
    return {ident(*q.children.at(0)), ident(*q.children.at(1))};
  }

  ast::ReadingBlock reading_block(const Node& n) {
    ast::ReadingBlock b;
    b.range = range(n);
    const Node& head = *n.children.at(0);
    std::tie(b.id, b.name) = reading_name(*head.children.at(0));
    b.label = text(*head.children.at(1));
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      const Node& k = *n.children[i];
      ast::Alternative a;
      a.range = range(k);
      std::tie(a.id, a.name) = reading_name(*k.children.at(0));
      a.label = text(*k.children.at(1));
      a.because = text(*k.children.at(2));
      a.body = expr(*k.children.at(3));
      b.alternatives.push_back(std::move(a));
    }
    return b;
  }

  ast::Decl decl(const Node& n, bool is_override = false) {
    const auto& kids = n.children;
    if (n.is_type<g::override_decl>()) return decl(*kids.at(0), true);
    if (n.is_type<g::reading_choice>()) {
      ast::ReadingChoice c;
      c.range = range(n);
      std::tie(c.id, c.name) = reading_name(*kids.at(0));
      if (kids.size() > 1) c.source = text(*kids[1]->children.at(0));
      return c;
    }
    if (n.is_type<g::use_decl>()) {
      ast::UseDecl u;
      u.range = range(n);
      u.path = text(*kids.at(0));
      u.alias = ident(*kids.at(1));
      for (std::size_t i = 2; i < kids.size(); ++i) {
        ast::Assignment as;
        as.range = range(*kids[i]);
        as.name = ident(*kids[i]->children.at(0));
        as.value = expr(*kids[i]->children.at(1));
        u.bindings.push_back(std::move(as));
      }
      return u;
    }
    if (n.is_type<g::policy_decl>()) {
      ast::Header h;
      h.range = range(n);
      h.name = ident(*kids.at(0));
      h.title = text(*kids.at(1));
      for (std::size_t i = 2; i < kids.size(); ++i) {
        const Node& f = *kids[i];
        if (f.is_type<g::issuer_field>()) h.issuer = text(*f.children.at(0));
        else if (f.is_type<g::number_field>()) h.number = text(*f.children.at(0));
        else if (f.is_type<g::source_field>()) h.source = text(*f.children.at(0));
        else if (f.is_type<g::extends_field>()) h.extends = text(*f.children.at(0));
        else if (f.is_type<g::effective_field>()) {
          h.effective = date(*f.children.at(0));
          h.effective_range = range(f);
        }
      }
      return h;
    }
    if (n.is_type<g::enum_decl>()) {
      ast::EnumDecl d;
      d.range = range(n);
      d.name = ident(*kids.at(0));
      for (std::size_t i = 1; i < kids.size(); ++i) {
        if (kids[i]->is_type<g::label>()) d.label = text(*kids[i]);
        else if (kids[i]->is_type<g::enum_value>())
          d.values.push_back({ident(*kids[i]->children.at(0)), text(*kids[i]->children.at(1))});
      }
      return d;
    }
    if (n.is_type<g::input_decl>()) {
      ast::InputDecl d;
      head(d, n, is_override, 0);
      for (std::size_t i = 3; i < kids.size(); ++i) {
        const Node& k = *kids[i];
        if (k.is_type<g::default_attr>()) d.default_value = expr(*k.children.at(0));
        else if (k.is_type<g::min_attr>()) d.min = expr(*k.children.at(0));
        else if (k.is_type<g::max_attr>()) d.max = expr(*k.children.at(0));
        else attrs(k, d.attrs);
      }
      return d;
    }
    if (n.is_type<g::param_decl>()) {
      ast::ParamDecl d;
      head(d, n, is_override, 0);
      for (std::size_t i = 3; i < kids.size(); ++i) {
        const Node& k = *kids[i];
        if (k.is_type<g::param_value>()) d.values.push_back(param_value(k));
        else if (k.is_type<g::reading_block>()) d.readings.push_back(reading_block(k));
        else if (k.is_type<g::regional_attr>()) d.regional = true;
        else attrs(k, d.attrs);
      }
      return d;
    }
    if (n.is_type<g::rule_decl>()) {
      ast::RuleDecl d;
      head(d, n, is_override, 1);
      d.is_output = kids.at(0)->string_view() == "output";
      std::size_t last = kids.size();
      while (last > 4 && kids[last - 1]->is_type<g::reading_block>()) --last;
      for (std::size_t i = 4; i + 1 < last; ++i) {
        if (kids[i]->is_type<g::applies_attr>()) d.applies = expr(*kids[i]->children.at(0));
        else attrs(*kids[i], d.attrs);
      }
      d.body = expr(*kids.at(last - 1));
      for (std::size_t i = last; i < kids.size(); ++i) d.readings.push_back(reading_block(*kids[i]));
      return d;
    }
    if (n.is_type<g::constraint_decl>()) {
      ast::ConstraintDecl d;
      d.range = range(n);
      d.condition = expr(*kids.at(0));
      d.message = text(*kids.at(1));
      if (kids.size() > 2) d.clause = text(*kids[2]->children.at(0));
      return d;
    }
    if (n.is_type<g::note_decl>()) {
      ast::NoteDecl d;
      d.range = range(n);
      d.clause = text(*kids.at(0));
      d.text = text(*kids.at(1));
      return d;
    }
    // test_decl
    ast::TestDecl t;
    t.range = range(n);
    t.name = text(*kids.at(0));
    for (std::size_t i = 1; i < kids.size(); ++i) {
      const Node& k = *kids[i];
      using S = ast::TestDecl::Stmt;
      if (k.is_type<g::clause_attr>()) {
        t.clause = text(*k.children.at(0));
      } else if (k.is_type<g::at_stmt>()) {
        t.at = date(*k.children.at(0));
        t.at_range = range(k);
        t.order.emplace_back(S::At, 0);
      } else if (k.is_type<g::reading_pin>()) {
        t.order.emplace_back(S::Reading, t.readings.size());
        t.readings.push_back(reading_name(*k.children.at(0)));
      } else if (k.is_type<g::expect_stmt>() && k.children.at(0)->is_type<g::expect_error>()) {
        t.expect_error = text(*k.children[0]->children.at(0));
        t.order.emplace_back(S::ExpectError, 0);
      } else {
        auto& list = k.is_type<g::given_stmt>() ? t.given : k.is_type<g::set_stmt>() ? t.set : t.expect;
        S kind = k.is_type<g::given_stmt>() ? S::Given : k.is_type<g::set_stmt>() ? S::Set : S::Expect;
        t.order.emplace_back(kind, list.size());
        for (const auto& a : k.children) {
          ast::Assignment as;
          as.range = range(*a);
          as.name = ident(*a->children.at(0));
          as.value = expr(*a->children.at(1));
          list.push_back(std::move(as));
        }
      }
    }
    return t;
  }

private:
  std::shared_ptr<const SourceFile> file_;
  const char* base_;
  std::vector<Diagnostic>& diags_;
};

// Skips spaces, line ends and comments from `pos`, recording comments.
std::size_t skip_space(const std::string& s, std::size_t pos, std::vector<ast::Comment>* comments) {
  while (pos < s.size()) {
    char c = s[pos];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      ++pos;
    } else if (c == '#') {
      std::size_t end = s.find('\n', pos);
      if (end == std::string::npos) end = s.size();
      std::size_t stop = end;
      if (stop > pos && s[stop - 1] == '\r') --stop;
      if (comments) comments->push_back({{static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(stop)}});
      pos = end;
    } else {
      break;
    }
  }
  return pos;
}

// Every comment of the file, found by a scan that knows strings (a '#' in a string is text).
std::vector<ast::Comment> scan_comments(const std::string& s) {
  std::vector<ast::Comment> out;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"' || c == '\n') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '#') {
      std::size_t end = s.find('\n', i);
      if (end == std::string::npos) end = s.size();
      std::size_t stop = end;
      if (stop > i && s[stop - 1] == '\r') --stop;
      out.push_back({{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(stop)}});
      i = end;
    }
  }
  return out;
}

bool starts_declaration(const std::string& s, std::size_t pos) {
  pegtl::memory_input<> in(s.data() + pos, s.data() + s.size(), "");
  return pegtl::parse<g::decl_keyword>(in);
}

// A message of grammar_errors.hpp (its English words) in the run's language.
std::string_view grammar_message(std::string_view english) {
  std::string_view found = english;
  bool done = false;
  dsl::for_each_syntax_message([&](Msg m) {
    if (!done && text(m, Lang::En) == english) found = text(m), done = true;
  });
  return found;
}

// What is at `pos`, for "found …" in messages.
std::string found_at(const std::string& s, std::size_t pos) {
  if (pos >= s.size()) return std::string(text(Msg::SynEndOfFile));
  std::size_t end = pos;
  while (end < s.size() && end - pos < 24 && s[end] != ' ' && s[end] != '\n' && s[end] != '\r' && s[end] != '\t')
    ++end;
  while (end > pos && end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;  // whole chars
  if (end == pos) return std::string(text(s[pos] == '\n' || s[pos] == '\r' ? Msg::SynEndOfLine : Msg::SynWhitespace));
  return fmt::format("'{}'", visible(std::string_view(s).substr(pos, end - pos)));
}

// The next line at or after `from` that starts (in column 1) with a declaration keyword.
std::size_t next_declaration(const std::string& s, std::size_t from) {
  std::size_t pos = s.find('\n', from);
  while (pos != std::string::npos) {
    ++pos;
    if (starts_declaration(s, pos)) return pos;
    pos = s.find('\n', pos);
  }
  return s.size();
}

}  // namespace

ParseResult parse(std::shared_ptr<const SourceFile> file) {
  ParseResult result;
  result.module.file = file;
  const std::string& s = file->text();
  auto err = [&](std::size_t at, std::size_t len, DiagCode code, std::string msg) {
    result.diagnostics.push_back(Diagnostic{Severity::Error, code, file,
                                            {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + len)},
                                            std::move(msg), {}});
  };
  if (file->size() > kMaxFileBytes) {
    err(0, 0, DiagCode::LimitExceeded,
        textf(Msg::SynFileTooLarge, file->size(), kMaxFileBytes));
    return result;
  }
  if (std::size_t bad = utf8_invalid_at(s); bad != std::string::npos) {
    err(bad, 1, DiagCode::InvalidUtf8, std::string(text(Msg::SynInvalidUtf8)));
    return result;
  }
  if (std::size_t nul = s.find('\0'); nul != std::string::npos) {
    err(nul, 1, DiagCode::InvalidUtf8, std::string(text(Msg::SynNul)));
    return result;
  }
  result.module.comments = scan_comments(s);
  Builder builder(file, result.diagnostics);
  std::size_t pos = bom_size(s);  // a byte-order mark is harmless
  while (true) {
    pos = skip_space(s, pos, nullptr);
    if (pos >= s.size()) break;
    if (!starts_declaration(s, pos)) {
      err(pos, std::min<std::size_t>(1, s.size() - pos), DiagCode::SyntaxError,
          textf(Msg::SynExpectedDecl, found_at(s, pos)));
      pos = next_declaration(s, pos);
      continue;
    }
    pegtl::memory_input<> in(s.data() + pos, s.data() + s.size(), file->name());
    try {
      auto root = pegtl::parse_tree::parse<g::declaration, selector, depth_action, g::control>(in);
      if (!root || root->children.empty()) {
        err(pos, 1, DiagCode::SyntaxError, textf(Msg::SynExpectedDeclShort, found_at(s, pos)));
        pos = next_declaration(s, pos);
        continue;
      }
      builder.nesting_reported = false;
      auto d = builder.decl(*root->children.front());
      // A tree too deep for the later stages is dropped whole (its error says so); a part cut
      // off at a limit is an Invalid expression, which the checker accepts without more errors.
      if (builder.within_depth(d)) result.module.decls.push_back(std::move(d));
      pos = static_cast<std::size_t>(in.current() - s.data());
    } catch (const pegtl::parse_error& e) {
      std::size_t at = pos + (e.positions().empty() ? 0 : e.positions().front().byte);
      std::string msg(e.message());
      if (msg.find("nesting depth") != std::string::npos)
        err(at, at < s.size() ? 1 : 0, DiagCode::LimitExceeded,
            textf(Msg::SynTooDeepParens, kMaxNesting));
      else {
        // What is missing at the end of a line is reported there, not at the start of the
        // next declaration: `= wage * 2 +` then a blank line then `output …`.
        std::size_t back = at;
        while (back > pos && (s[back - 1] == ' ' || s[back - 1] == '\t' || s[back - 1] == '\r' || s[back - 1] == '\n'))
          --back;
        std::string found = found_at(s, at);
        if (back < at && s.find('\n', back) < at) {
          found = at < s.size() ? textf(Msg::SynEndOfLineNext, found) : found;
          at = back;
        }
        err(at, at < s.size() ? 1 : 0, DiagCode::SyntaxError, textf(Msg::SynFound, grammar_message(msg), found));
      }
      // Resume at the next line that starts a declaration after the broken one's first line,
      // so a declaration right after the error is still read and checked.
      pos = next_declaration(s, pos);
    }
  }
  return result;
}

const ast::Header* ast::Module::header() const {
  for (const auto& d : decls)
    if (auto h = std::get_if<ast::Header>(&d)) return h;
  return nullptr;
}

SourceRange ast::range_of(const ast::Decl& d) {
  return std::visit([](const auto& x) { return x.range; }, d);
}

const char* ast::op_text(BinOp op) {
  switch (op) {
    case BinOp::Add: return "+";
    case BinOp::Sub: return "-";
    case BinOp::Mul: return "*";
    case BinOp::Div: return "/";
    case BinOp::Eq: return "==";
    case BinOp::Ne: return "!=";
    case BinOp::Lt: return "<";
    case BinOp::Le: return "<=";
    case BinOp::Gt: return ">";
    case BinOp::Ge: return ">=";
    case BinOp::And: return "and";
    case BinOp::Or: return "or";
  }
  return "?";
}

const char* ast::func_text(Func f) {
  switch (f) {
    case Func::Min: return "min";
    case Func::Max: return "max";
    case Func::Round: return "round";
    case Func::RoundDown: return "round_down";
    case Func::RoundUp: return "round_up";
    case Func::AsOf: return "as_of";
    case Func::MonthsBetween: return "months_between";
    case Func::Given: return "given";
  }
  return "?";
}

}  // namespace pol::dsl
