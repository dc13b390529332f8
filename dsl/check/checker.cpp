#include "check/checker.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "checked/ops.hpp"
#include "syntax/parser.hpp"

namespace pol::dsl {

const char* unit_name(Unit u) {
  switch (u) {
    case Unit::None: return "number";
    case Unit::Yuan: return "money";
    case Unit::Days: return "days";
    case Unit::Months: return "months";
    case Unit::Years: return "years";
  }
  return "number";
}

const char* unit_label_zh(Unit u) {
  switch (u) {
    case Unit::None: return "";
    case Unit::Yuan: return "元";
    case Unit::Days: return "天";
    case Unit::Months: return "个月";
    case Unit::Years: return "年";
  }
  return "";
}

std::string type_name(const checked::Policy& policy, const Type& t) {
  switch (t.base) {
    case Base::Error: return "<error>";
    case Base::Bool: return "bool";
    case Base::Date: return "date";
    case Base::Enum: return t.enum_id < policy.enums.size() ? policy.enums[t.enum_id].name : "enum";
    case Base::Number:
      if (t.unit == Unit::None) return t.percent ? "rate" : t.whole ? "int" : "decimal";
      return unit_name(t.unit);
  }
  return "?";
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::optional<std::string> did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

namespace {

using checked::Node;
using checked::NodeId;
using checked::Op;
using checked::Place;
using checked::Value;
using checked::kNoNode;

struct Typed {
  NodeId id = kNoNode;
  Type type;
};

enum class SymKind { Input, Param, Rule };
struct Sym {
  SymKind kind;
  std::uint32_t index;
};

const char* article(SymKind k) { return k == SymKind::Input ? "an" : "a"; }

const char* kind_word(SymKind k) {
  switch (k) {
    case SymKind::Input: return "input";
    case SymKind::Param: return "param";
    case SymKind::Rule: return "rule";
  }
  return "";
}

// What a body may refer to.
struct Ctx {
  bool allow_refs = true;
  bool allow_inputs = true;
  std::int64_t rule = -1;  // the rule whose body this is, for the dependency graph
};

class Checker {
public:
  explicit Checker(std::vector<Diagnostic>& diags) : diags_(diags) {}

  std::optional<checked::Policy> run(std::shared_ptr<const SourceFile> root);

private:
  std::vector<Diagnostic>& diags_;
  checked::Policy p_;
  std::vector<std::shared_ptr<const ast::Module>> modules_;  // modules_[i] belongs to p_.files[i]
  std::unordered_map<std::string, Sym> syms_;
  std::unordered_map<std::string, std::uint32_t> params_by_name_;  // every parameter, even one an output hides
  std::unordered_map<std::string, std::uint16_t> enum_ids_;
  std::vector<bool> poly_;  // node is an untyped number literal that adopts its context's unit
  // The AST behind each symbol, for pass two.
  std::vector<std::pair<std::uint16_t, const ast::InputDecl*>> input_ast_;
  std::vector<std::pair<std::uint16_t, const ast::ParamDecl*>> param_ast_;
  std::vector<std::pair<std::uint16_t, const ast::RuleDecl*>> rule_ast_;
  std::vector<std::pair<std::uint16_t, const ast::ConstraintDecl*>> constraint_ast_;
  std::vector<Place> sym_place_;  // scratch
  std::vector<bool> input_used_, param_used_;

  const SourceFile& file(std::uint16_t f) const { return *p_.files[f]; }

  void diag(Severity sev, DiagCode code, std::uint16_t f, SourceRange r, std::string msg, std::vector<Note> notes = {}) {
    diags_.push_back(Diagnostic{sev, code, p_.files[f], r, std::move(msg), std::move(notes)});
  }
  void error(DiagCode code, std::uint16_t f, SourceRange r, std::string msg, std::vector<Note> notes = {}) {
    diag(Severity::Error, code, f, r, std::move(msg), std::move(notes));
  }
  Note note_at(const Place& pl, std::string msg) { return Note{p_.files[pl.file], pl.range, std::move(msg)}; }

  bool load(std::shared_ptr<const SourceFile> root);
  void collect(std::uint16_t f);
  void declare(std::uint16_t f, const ast::Ident& name, bool is_override, SymKind kind, std::function<void(std::uint32_t)> replace,
               std::function<std::uint32_t()> add);
  std::optional<Type> resolve_type(std::uint16_t f, const ast::Ident& t);
  // An override keeps the type of what it replaces: rules and tests of the base rely on it.
  void check_override_type(std::uint16_t f, const ast::Ident& now, const ast::Ident& before, const Place& prev,
                           const std::string& name) {
    if (now.name == before.name) return;
    error(DiagCode::OverrideTypeChanged, f, now.range,
          fmt::format("'{}' is {} in the base file; an override must keep that type, but this one is {}", name,
                      before.name, now.name),
          {note_at(prev, "declared here")});
  }
  void check_bodies();
  void check_tests(std::uint16_t f);
  void find_cycles();
  void warn_unused();

  NodeId add(Node n) {
    p_.nodes.push_back(n);
    poly_.push_back(false);
    return static_cast<NodeId>(p_.nodes.size() - 1);
  }
  Typed bad(std::uint16_t f, SourceRange r) {
    Node n;
    n.type = Type::error();
    n.place = {f, r};
    return {add(n), Type::error()};
  }

  Typed expr(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx);
  Typed name(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx);
  Typed enum_value(const ast::Expr& e, std::uint16_t f, std::uint16_t enum_id, bool report);
  int enum_ordinal(const ast::Expr& e, std::uint16_t f, std::uint16_t enum_id);
  Typed binary(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx);
  void unify_poly(Typed& a, Typed& b);
  void adopt(Typed& t, const Type* expected);
  bool expect_type(const Typed& t, const Type& want, std::uint16_t f, SourceRange r, const char* what, bool condition = false);
  std::optional<Value> fold(NodeId id);
  std::optional<Value> constant(const ast::Expr& e, std::uint16_t f, const Type& want, const char* what);
  void compute_input_free();
};

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
  std::string msg = fmt::format("unknown type '{}'", t.name);
  if (auto s = did_you_mean(t.name, cands)) msg += fmt::format("; did you mean '{}'?", *s);
  else msg += "; the types are bool, int, decimal, rate, money, date, days, months, years and the enums declared";
  error(DiagCode::UnknownName, f, t.range, msg);
  return std::nullopt;
}

// Parsed files of this process, by name: a base file that several variants extend (and that
// `pol check` is also given on its own) is parsed once. An entry is used only while the text
// is the same, so an edited file is parsed again.
struct ParsedFile {
  std::shared_ptr<const SourceFile> file;
  std::shared_ptr<const ast::Module> module;
  std::vector<Diagnostic> diagnostics;
};

std::shared_ptr<const ParsedFile> parse_cached(std::shared_ptr<const SourceFile> file) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const ParsedFile>> cache;
  {
    std::lock_guard lock(mu);
    auto it = cache.find(file->name());
    if (it != cache.end() && it->second->file->text() == file->text()) return it->second;
  }
  ParseResult pr = parse(file);
  auto pf = std::make_shared<ParsedFile>(
      ParsedFile{file, std::make_shared<const ast::Module>(std::move(pr.module)), std::move(pr.diagnostics)});
  std::lock_guard lock(mu);
  if (cache.size() >= 64) cache.clear();
  cache[file->name()] = pf;
  return pf;
}

bool Checker::load(std::shared_ptr<const SourceFile> root) {
  std::shared_ptr<const SourceFile> cur = std::move(root);
  std::set<std::string> seen;
  bool ok = true;
  while (cur) {
    std::uint16_t f = static_cast<std::uint16_t>(p_.files.size());
    auto parsed = parse_cached(cur);
    cur = parsed->file;
    p_.files.push_back(cur);
    seen.insert(std::filesystem::weakly_canonical(cur->name()).string());
    if (has_errors(parsed->diagnostics)) ok = false;
    for (const auto& d : parsed->diagnostics) diags_.push_back(d);
    modules_.push_back(parsed->module);
    const ast::Header* h = modules_.back()->header();
    if (!h) {
      // A header lost to a syntax error was reported as such.
      std::size_t first = cur->text().size();
      if (!modules_.back()->decls.empty())
        first = std::visit([](const auto& d) -> std::size_t { return d.range.begin; }, modules_.back()->decls.front());
      for (const auto& d : diags_)
        if (d.file == cur && d.severity == Severity::Error && d.range.begin <= first) return false;
      error(DiagCode::MissingHeader, f, {0, 0},
            "a rule file must start with a header: policy NAME \"TITLE\" (see docs/language.md)");
      return false;
    }
    if (!h->extends.present) break;
    std::filesystem::path base = std::filesystem::path(cur->name()).parent_path() / h->extends.value;
    std::string path = base.lexically_normal().string();
    if (seen.count(std::filesystem::weakly_canonical(path).string())) {
      error(DiagCode::BaseFileError, f, h->extends.range, fmt::format("'{}' extends itself (through '{}')", cur->name(), path));
      return false;
    }
    std::string err;
    auto next = load_source(path, err);
    if (!next) {
      error(DiagCode::BaseFileError, f, h->extends.range, fmt::format("the base file {}", err));
      return false;
    }
    if (p_.files.size() > 8) {
      error(DiagCode::LimitExceeded, f, h->extends.range, "more than 8 files extend one another");
      return false;
    }
    cur = next;
  }
  return ok;
}

void Checker::declare(std::uint16_t f, const ast::Ident& nm, bool is_override, SymKind kind,
                      std::function<void(std::uint32_t)> replace, std::function<std::uint32_t()> add_new) {
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
    if (prev.file == f) {
      error(DiagCode::DuplicateDefinition, f, nm.range, fmt::format("'{}' is declared twice", nm.name),
            {note_at(prev, "first declared here")});
      return;
    }
    if (!is_override) {
      error(DiagCode::RedefinitionWithoutOverride, f, nm.range,
            fmt::format("'{}' is already declared in the base file; write 'override {} …' to replace it", nm.name,
                        kind == SymKind::Rule ? "let/output" : kind_word(kind)),
            {note_at(prev, "declared here")});
      return;
    }
    if (it->second.kind != kind) {
      error(DiagCode::OverrideTypeChanged, f, nm.range,
            fmt::format("'{}' is {} {} in the base file and cannot be overridden by {} {}", nm.name,
                        article(it->second.kind), kind_word(it->second.kind), article(kind), kind_word(kind)),
            {note_at(prev, "declared here")});
      return;
    }
    replace(it->second.index);
    return;
  }
  if (is_override) {
    std::vector<std::string> cands;
    for (const auto& [n, s] : syms_)
      if (s.kind == kind) cands.push_back(n);
    std::string msg = fmt::format("'{}' overrides nothing: the base file declares no {} of that name", nm.name,
                                  kind_word(kind));
    if (auto s = did_you_mean(nm.name, cands)) msg += fmt::format("; did you mean '{}'?", *s);
    error(DiagCode::OverrideWithoutBase, f, nm.range, msg);
    return;
  }
  syms_[nm.name] = Sym{kind, add_new()};
}

void Checker::collect(std::uint16_t f) {
  const ast::Module& m = *modules_[f];
  bool is_root = f == 0;
  for (const auto& d : m.decls) {
    if (auto h = std::get_if<ast::Header>(&d)) {
      checked::Header ch{h->name.name, h->title.value, h->issuer.value, h->number.value, h->source.value,
                         h->extends.value, h->effective};
      if (is_root) p_.header = ch;
      else p_.bases.push_back(ch);
    } else if (auto en = std::get_if<ast::EnumDecl>(&d)) {
      if (enum_ids_.count(en->name.name)) {
        error(DiagCode::DuplicateDefinition, f, en->name.range, fmt::format("enum '{}' is declared twice", en->name.name),
              {note_at(p_.enums[enum_ids_[en->name.name]].place, "first declared here")});
        continue;
      }
      checked::EnumInfo info;
      info.name = en->name.name;
      info.label = en->label.value;
      info.place = {f, en->range};
      std::set<std::string> names;
      for (const auto& v : en->values) {
        if (!names.insert(v.name.name).second) {
          error(DiagCode::DuplicateDefinition, f, v.name.range,
                fmt::format("'{}' is listed twice in enum '{}'", v.name.name, en->name.name));
          continue;
        }
        info.values.push_back({v.name.name, v.label.value});
      }
      if (info.values.empty()) error(DiagCode::BadParamValues, f, en->name.range, fmt::format("enum '{}' has no values", en->name.name));
      if (info.values.size() > 64)
        error(DiagCode::LimitExceeded, f, en->name.range, fmt::format("enum '{}' has more than 64 values", en->name.name));
      enum_ids_[info.name] = static_cast<std::uint16_t>(p_.enums.size());
      p_.enums.push_back(std::move(info));
    } else if (auto in = std::get_if<ast::InputDecl>(&d)) {
      auto make = [&]() {
        checked::Input x;
        x.name = in->name.name;
        x.label = in->label.value;
        x.clause = in->attrs.clause.value;
        x.reading = in->attrs.reading.value;
        x.place = {f, in->name.range};
        return x;
      };
      declare(
          f, in->name, in->is_override, SymKind::Input,
          [&](std::uint32_t i) {
            check_override_type(f, in->type, input_ast_[i].second->type, p_.inputs[i].place, in->name.name);
            p_.inputs[i] = make();
            input_ast_[i] = {f, in};
          },
          [&]() {
            p_.inputs.push_back(make());
            input_ast_.push_back({f, in});
            return static_cast<std::uint32_t>(p_.inputs.size() - 1);
          });
    } else if (auto pa = std::get_if<ast::ParamDecl>(&d)) {
      auto make = [&]() {
        checked::Param x;
        x.name = pa->name.name;
        x.label = pa->label.value;
        x.clause = pa->attrs.clause.value;
        x.reading = pa->attrs.reading.value;
        x.place = {f, pa->name.range};
        x.overridden = pa->is_override;
        return x;
      };
      auto pit = params_by_name_.find(pa->name.name);
      if (pit != params_by_name_.end()) {
        const Place prev = p_.params[pit->second].place;
        if (prev.file == f)
          error(DiagCode::DuplicateDefinition, f, pa->name.range, fmt::format("'{}' is declared twice", pa->name.name),
                {note_at(prev, "first declared here")});
        else if (!pa->is_override)
          error(DiagCode::RedefinitionWithoutOverride, f, pa->name.range,
                fmt::format("'{}' is already declared in the base file; write 'override param …' to replace it",
                            pa->name.name),
                {note_at(prev, "declared here")});
        else {
          check_override_type(f, pa->type, param_ast_[pit->second].second->type, prev, pa->name.name);
          p_.params[pit->second] = make();
          param_ast_[pit->second] = {f, pa};
        }
      } else if (pa->is_override) {
        std::vector<std::string> cands;
        for (const auto& [n, i] : params_by_name_) cands.push_back(n);
        std::string msg = fmt::format("'{}' overrides nothing: the base file declares no param of that name", pa->name.name);
        if (auto sug = did_you_mean(pa->name.name, cands)) msg += fmt::format("; did you mean '{}'?", *sug);
        error(DiagCode::OverrideWithoutBase, f, pa->name.range, msg);
      } else {
        auto sit = syms_.find(pa->name.name);
        if (sit != syms_.end() && sit->second.kind == SymKind::Input) {
          error(DiagCode::DuplicateDefinition, f, pa->name.range,
                fmt::format("'{}' is already declared as an input", pa->name.name),
                {note_at(p_.inputs[sit->second.index].place, "declared here")});
        } else {
          p_.params.push_back(make());
          param_ast_.push_back({f, pa});
          auto idx = static_cast<std::uint32_t>(p_.params.size() - 1);
          params_by_name_[pa->name.name] = idx;
          if (sit == syms_.end()) syms_[pa->name.name] = Sym{SymKind::Param, idx};
        }
      }
    } else if (auto ru = std::get_if<ast::RuleDecl>(&d)) {
      auto make = [&]() {
        checked::Rule x;
        x.name = ru->name.name;
        x.label = ru->label.value;
        x.clause = ru->attrs.clause.value;
        x.reading = ru->attrs.reading.value;
        x.is_output = ru->is_output;
        x.overridden = ru->is_override;
        x.place = {f, ru->name.range};
        return x;
      };
      declare(
          f, ru->name, ru->is_override, SymKind::Rule,
          [&](std::uint32_t i) {
            bool was_output = p_.rules[i].is_output;
            check_override_type(f, ru->type, rule_ast_[i].second->type, p_.rules[i].place, ru->name.name);
            p_.rules[i] = make();
            if (was_output != ru->is_output)
              error(DiagCode::OverrideTypeChanged, f, ru->name.range,
                    fmt::format("'{}' is {} in the base file; an override keeps it so", ru->name.name,
                                was_output ? "an output" : "a let"));
            rule_ast_[i] = {f, ru};
          },
          [&]() {
            p_.rules.push_back(make());
            rule_ast_.push_back({f, ru});
            return static_cast<std::uint32_t>(p_.rules.size() - 1);
          });
    } else if (auto co = std::get_if<ast::ConstraintDecl>(&d)) {
      constraint_ast_.push_back({f, co});
    } else if (auto no = std::get_if<ast::NoteDecl>(&d)) {
      p_.notes.push_back({no->clause.value, no->text.value, {f, no->range}});
    }
  }
}

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
            fmt::format("{} must be a whole number ({}), but this can have a fraction; use round(…)", what,
                        type_name(p_, want)));
      return false;
    }
    return true;
  }
  DiagCode code = condition                                    ? DiagCode::NotABoolean
                  : t.type.is_number() && want.is_number() ? DiagCode::UnitMismatch
                                                           : DiagCode::TypeMismatch;
  std::string hint;
  if (condition && t.type.is_number()) hint = "; write a comparison such as '… > 0'";
  error(code, f, r, fmt::format("{} must be {}, but this is {}{}", what, type_name(p_, want), type_name(p_, t.type), hint));
  return false;
}

Typed Checker::enum_value(const ast::Expr& e, std::uint16_t f, std::uint16_t enum_id, bool report) {
  const auto& en = p_.enums[enum_id];
  int ord = en.find(e.name);
  if (ord < 0 || (e.kind == ast::ExprKind::Qualified && e.qualifier != en.name)) {
    if (report) {
      std::vector<std::string> cands;
      for (const auto& v : en.values) cands.push_back(v.name);
      std::string msg = fmt::format("'{}' is not a value of {} ({})", e.name, en.name, en.label);
      if (auto s = did_you_mean(e.name, cands)) msg += fmt::format("; did you mean '{}'?", *s);
      error(DiagCode::UnknownEnumValue, f, e.range, msg);
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
    error(DiagCode::TypeMismatch, f, e.range, fmt::format("expected a value of {}", p_.enums[enum_id].name));
    return -1;
  }
  Typed t = enum_value(e, f, enum_id, true);
  if (t.type.is_error()) return -1;
  return checked::as_enum(p_.nodes[t.id].constant);
}

Typed Checker::name(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx) {
  if (e.kind == ast::ExprKind::ParamRef) {
    auto it = params_by_name_.find(e.name);
    if (it == params_by_name_.end()) {
      std::vector<std::string> cands;
      for (const auto& [n, i] : params_by_name_) cands.push_back(n);
      std::string msg = fmt::format("unknown parameter '{}'", e.name);
      if (auto s = did_you_mean(e.name, cands)) msg += fmt::format("; did you mean 'param.{}'?", *s);
      error(DiagCode::UnknownName, f, e.range, msg);
      return bad(f, e.range);
    }
    if (!ctx.allow_refs) {
      error(DiagCode::TypeMismatch, f, e.range, "only literal values are allowed here");
      return bad(f, e.range);
    }
    Node n;
    n.place = {f, e.range};
    n.slot = it->second;
    n.op = Op::Param;
    n.type = p_.params[n.slot].type;
    param_used_[n.slot] = true;
    if (ctx.rule >= 0) p_.rule_params[ctx.rule].push_back(n.slot);
    return {add(n), n.type};
  }
  if (e.kind == ast::ExprKind::Qualified) {
    auto it = enum_ids_.find(e.qualifier);
    if (it == enum_ids_.end()) {
      std::vector<std::string> cands;
      for (const auto& [n, id] : enum_ids_) cands.push_back(n);
      std::string msg = fmt::format("unknown enum '{}'", e.qualifier);
      if (auto s = did_you_mean(e.qualifier, cands)) msg += fmt::format("; did you mean '{}'?", *s);
      error(DiagCode::UnknownName, f, e.range, msg);
      return bad(f, e.range);
    }
    return enum_value(e, f, it->second, true);
  }
  if (auto it = syms_.find(e.name); it != syms_.end()) {
    if (!ctx.allow_refs) {
      error(DiagCode::TypeMismatch, f, e.range,
            fmt::format("'{}' cannot be used here: only literal values (numbers, dates, enum values) are allowed", e.name));
      return bad(f, e.range);
    }
    Node n;
    n.place = {f, e.range};
    n.slot = it->second.index;
    switch (it->second.kind) {
      case SymKind::Input:
        if (!ctx.allow_inputs) {
          error(DiagCode::TypeMismatch, f, e.range, fmt::format("input '{}' cannot be used here", e.name));
          return bad(f, e.range);
        }
        n.op = Op::Input;
        n.type = p_.inputs[n.slot].type;
        input_used_[n.slot] = true;
        if (ctx.rule >= 0) p_.rule_inputs[ctx.rule].push_back(n.slot);
        break;
      case SymKind::Param:
        n.op = Op::Param;
        n.type = p_.params[n.slot].type;
        param_used_[n.slot] = true;
        if (ctx.rule >= 0) p_.rule_params[ctx.rule].push_back(n.slot);
        break;
      case SymKind::Rule:
        if (!ctx.allow_inputs) {
          error(DiagCode::TypeMismatch, f, e.range, fmt::format("rule '{}' cannot be used here", e.name));
          return bad(f, e.range);
        }
        n.op = Op::Rule;
        n.type = p_.rules[n.slot].type;
        if (ctx.rule >= 0) p_.rule_rules[ctx.rule].push_back(n.slot);
        break;
    }
    return {add(n), n.type};
  }
  // An enum value: from the expected enum, else the only enum that has it.
  if (expected && expected->base == Base::Enum) return enum_value(e, f, expected->enum_id, true);
  std::vector<std::uint16_t> owners;
  for (std::uint16_t i = 0; i < p_.enums.size(); ++i)
    if (p_.enums[i].find(e.name) >= 0) owners.push_back(i);
  if (owners.size() == 1) return enum_value(e, f, owners[0], true);
  if (owners.size() > 1) {
    error(DiagCode::UnknownName, f, e.range,
          fmt::format("'{}' is a value of several enums ({} and {}); write {}.{}", e.name, p_.enums[owners[0]].name,
                      p_.enums[owners[1]].name, p_.enums[owners[0]].name, e.name));
    return bad(f, e.range);
  }
  std::vector<std::string> cands;
  for (const auto& [n, s] : syms_) cands.push_back(n);
  for (const auto& en : p_.enums)
    for (const auto& v : en.values) cands.push_back(v.name);
  std::string msg = fmt::format("unknown name '{}'", e.name);
  if (auto s = did_you_mean(e.name, cands)) msg += fmt::format("; did you mean '{}'?", *s);
  error(DiagCode::UnknownName, f, e.range, msg);
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
    bool ok = expect_type(l, b, f, e.args[0]->range, fmt::format("the left side of '{}'", ast::op_text(op)).c_str(), true);
    ok &= expect_type(r, b, f, e.args[1]->range, fmt::format("the right side of '{}'", ast::op_text(op)).c_str(), true);
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
  if (l.type.base == Base::Enum && r.type.is_error() == false && r.type.base != Base::Enum) {
  }
  n.a = l.id;
  n.b = r.id;
  if (l.type.is_error() || r.type.is_error()) {
    n.type = Type::error();
    return {add(n), n.type};
  }
  if (l.type.is_number() && r.type.is_number() && !(op == BinOp::Mul || op == BinOp::Div)) unify_poly(l, r);
  const Type& L = l.type;
  const Type& R = r.type;
  auto mismatch = [&](const char* verb) {
    error(L.is_number() && R.is_number() ? DiagCode::UnitMismatch : DiagCode::TypeMismatch, f, e.range,
          fmt::format("cannot {} {} and {}", verb, type_name(p_, L), type_name(p_, R)));
    n.type = Type::error();
    return Typed{add(n), n.type};
  };
  switch (op) {
    case BinOp::Add:
    case BinOp::Sub:
      n.op = op == BinOp::Add ? Op::Add : Op::Sub;
      if (L.is_number() && R.is_number()) {
        if (L.unit != R.unit) return mismatch(op == BinOp::Add ? "add" : "subtract");
        n.type = Type::number(L.unit, L.whole && R.whole, L.percent && R.percent);
      } else if (L.base == Base::Date && R.is_number() && (R.unit == Unit::Days || poly_[r.id])) {
        if (op == BinOp::Sub) {
          Node neg;
          neg.op = Op::Neg;
          neg.a = r.id;
          neg.type = R;
          neg.place = p_.nodes[r.id].place;
          n.b = add(neg);
        }
        n.op = Op::DateAddDays;
        n.type = Type::date();
      } else if (op == BinOp::Add && R.base == Base::Date && L.is_number() && (L.unit == Unit::Days || poly_[l.id])) {
        n.op = Op::DateAddDays;
        std::swap(n.a, n.b);
        n.type = Type::date();
      } else if (op == BinOp::Sub && L.base == Base::Date && R.base == Base::Date) {
        n.op = Op::DateDiffDays;
        n.type = Type::number(Unit::Days, true);
      } else {
        return mismatch(op == BinOp::Add ? "add" : "subtract");
      }
      break;
    case BinOp::Mul:
      n.op = Op::Mul;
      if (!L.is_number() || !R.is_number()) return mismatch("multiply");
      if (L.unit == Unit::None || poly_[l.id]) n.type = Type::number(R.unit, L.whole && R.whole, L.percent && R.percent);
      else if (R.unit == Unit::None || poly_[r.id]) n.type = Type::number(L.unit, L.whole && R.whole, L.percent && R.percent);
      else if ((L.unit == Unit::Years || L.unit == Unit::Months) && R.unit == Unit::Yuan) n.type = Type::money();
      else if ((R.unit == Unit::Years || R.unit == Unit::Months) && L.unit == Unit::Yuan) n.type = Type::money();
      else return mismatch("multiply");
      break;
    case BinOp::Div:
      n.op = Op::Div;
      if (!L.is_number() || !R.is_number()) return mismatch("divide");
      if (R.unit == Unit::None || poly_[r.id]) n.type = Type::number(L.unit);
      else if (L.unit == R.unit) n.type = Type::number();
      else return mismatch("divide");
      if (poly_[l.id] && poly_[r.id]) n.type.percent = true;  // 2/3 is a fraction
      break;
    default: {
      static const Op ops[] = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
      n.op = ops[static_cast<int>(op) - static_cast<int>(BinOp::Eq)];
      bool ordered = op != BinOp::Eq && op != BinOp::Ne;
      bool ok = L.same(R) && (!ordered || L.is_number() || L.base == Base::Date);
      if (!ok) {
        error(L.is_number() && R.is_number() ? DiagCode::UnitMismatch : DiagCode::TypeMismatch, f, e.range,
              fmt::format("cannot compare {} with {}{}", type_name(p_, L), type_name(p_, R),
                          ordered && L.same(R) ? " by order" : ""));
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
  Node n;
  n.place = {f, e.range};
  n.parens = e.parens;
  switch (e.kind) {
    case K::Invalid:
      // Reported by the parser: an error type, so nothing else is said about it.
      n.op = Op::Const;
      n.type = Type::error();
      return {add(n), n.type};
    case K::Number: {
      n.op = Op::Const;
      n.constant = e.number;
      Unit u = e.unit == ast::UnitWord::Days ? Unit::Days
             : e.unit == ast::UnitWord::Months ? Unit::Months
             : e.unit == ast::UnitWord::Years ? Unit::Years
                                              : Unit::None;
      n.type = Type::number(u, e.number.is_integer());
      if ((u == Unit::Days || u == Unit::Months) && !e.number.is_integer())
        error(DiagCode::BadLiteral, f, e.range, fmt::format("{} must be a whole number", unit_name(u)));
      Typed t{add(n), n.type};
      if (e.unit == ast::UnitWord::None) {
        poly_[t.id] = true;
        adopt(t, expected);
      }
      return t;
    }
    case K::Percent:
      n.op = Op::Const;
      n.constant = e.number;
      n.type = Type::number(Unit::None, false, true);
      return {add(n), n.type};
    case K::Bool:
      n.op = Op::Const;
      n.constant = checked::make_bool(e.bool_value);
      n.type = Type::boolean();
      return {add(n), n.type};
    case K::Date:
      n.op = Op::Const;
      n.constant = Value::from_int(e.date_days);
      n.type = Type::date();
      return {add(n), n.type};
    case K::Name:
    case K::ParamRef:
    case K::Qualified: {
      Typed t = name(e, f, expected, ctx);
      p_.nodes[t.id].parens = e.parens;
      return t;
    }
    case K::Negate: {
      Typed a = expr(*e.args[0], f, expected, ctx);
      n.op = Op::Neg;
      n.a = a.id;
      if (!a.type.is_error() && !a.type.is_number()) {
        error(DiagCode::TypeMismatch, f, e.range, fmt::format("cannot negate {}", type_name(p_, a.type)));
        n.type = Type::error();
      } else {
        n.type = a.type;
      }
      Typed t{add(n), n.type};
      poly_[t.id] = poly_[a.id];
      return t;
    }
    case K::Not: {
      Type b = Type::boolean();
      Typed a = expr(*e.args[0], f, &b, ctx);
      n.op = Op::Not;
      n.a = a.id;
      n.type = expect_type(a, b, f, e.args[0]->range, "the operand of 'not'", true) ? b : Type::error();
      return {add(n), n.type};
    }
    case K::Binary: return binary(e, f, expected, ctx);
    case K::In: {
      Typed s = expr(*e.args[0], f, nullptr, ctx);
      n.op = Op::In;
      n.a = s.id;
      n.type = Type::boolean();
      if (s.type.is_error()) return {add(n), n.type};
      if (s.type.base != Base::Enum) {
        error(DiagCode::TypeMismatch, f, e.args[0]->range,
              fmt::format("'in {{…}}' needs an enum value on its left, but this is {}", type_name(p_, s.type)));
        n.type = Type::error();
        return {add(n), n.type};
      }
      for (std::size_t i = 1; i < e.args.size(); ++i) {
        int ord = enum_ordinal(*e.args[i], f, s.type.enum_id);
        if (ord >= 0) n.mask |= std::uint64_t{1} << ord;
      }
      return {add(n), n.type};
    }
    case K::Call: {
      using ast::Func;
      if (e.func == Func::AsOf) {
        if (e.args.size() != 2 || e.args[0]->kind != K::Date) {
          error(DiagCode::BadCall, f, e.range,
                "as_of(DATE, EXPR) takes a date literal and an expression: the expression under the parameters in force "
                "on that date");
          return bad(f, e.range);
        }
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
      std::vector<Typed> args;
      bool rounding = e.func == Func::Round || e.func == Func::RoundDown || e.func == Func::RoundUp;
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        const Type* ex = i == 0 ? expected : (rounding ? nullptr : &args[0].type);
        args.push_back(expr(*e.args[i], f, ex, ctx));
      }
      if (rounding) {
        n.op = Op::Round;
        n.mode = e.func == Func::Round ? RoundMode::HalfAwayFromZero
               : e.func == Func::RoundDown ? RoundMode::TowardZero
                                           : RoundMode::AwayFromZero;
        if (args.empty() || args.size() > 2) {
          error(DiagCode::BadCall, f, e.range,
                fmt::format("{}(x) or {}(x, places) takes one or two arguments", ast::func_text(e.func),
                            ast::func_text(e.func)));
          return bad(f, e.range);
        }
        n.a = args[0].id;
        if (!args[0].type.is_error() && !args[0].type.is_number()) {
          error(DiagCode::TypeMismatch, f, e.args[0]->range,
                fmt::format("{} needs a number, but this is {}", ast::func_text(e.func), type_name(p_, args[0].type)));
          return bad(f, e.range);
        }
        int places = args[0].type.is_money() ? 2 : 0;
        if (args.size() == 2) {
          const ast::Expr& pe = *e.args[1];
          if (pe.kind != ast::ExprKind::Number || !pe.number.is_integer() || pe.number > Decimal::from_int(18)) {
            error(DiagCode::BadCall, f, pe.range, "the number of decimal places must be a whole number from 0 to 18");
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
      n.op = e.func == Func::Min ? Op::Min : Op::Max;
      if (args.size() < 2) {
        error(DiagCode::BadCall, f, e.range, fmt::format("{}(…) needs at least two arguments", ast::func_text(e.func)));
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
                fmt::format("the arguments of {} must all be numbers of one unit (or dates); this is {}, the first is {}",
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
    case K::Chain:
    case K::Match: {
      bool is_match = e.kind == K::Match;
      n.op = is_match ? Op::Match : Op::Chain;
      Typed subject;
      if (is_match) {
        subject = expr(*e.args[0], f, nullptr, ctx);
        n.a = subject.id;
        if (!subject.type.is_error() && subject.type.base != Base::Enum) {
          error(DiagCode::TypeMismatch, f, e.args[0]->range,
                fmt::format("'match' needs an enum value, but this is {}; use 'when … then' for conditions",
                            type_name(p_, subject.type)));
          subject.type = Type::error();
        }
      }
      Type result = expected ? *expected : Type::error();
      bool have_result = expected != nullptr;
      std::vector<checked::Branch> branches;
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
                    fmt::format("'{}' is already handled by an earlier branch of this match", v->name));
            covered |= bit;
            cb.mask |= bit;
          }
        } else {
          Type bt = Type::boolean();
          Typed c = expr(*b.condition, f, &bt, ctx);
          expect_type(c, bt, f, b.condition->range, "the condition of 'when'", true);
          cb.condition = c.id;
        }
        Typed r = expr(*b.result, f, have_result ? &result : nullptr, ctx);
        if (!have_result && !r.type.is_error()) {
          result = r.type;
          have_result = true;
        } else if (have_result) {
          expect_type(r, result, f, b.result->range, "the result of this branch");
        }
        cb.result = r.id;
        branches.push_back(cb);
      }
      if (!has_otherwise) {
        if (is_match && !subject.type.is_error()) {
          const auto& en = p_.enums[subject.type.enum_id];
          std::vector<std::string> missing;
          for (std::size_t i = 0; i < en.values.size(); ++i)
            if (!(covered & (std::uint64_t{1} << i))) missing.push_back(fmt::format("{} ({})", en.values[i].name, en.values[i].label));
          if (!missing.empty())
            error(DiagCode::NonExhaustiveMatch, f, e.range,
                  fmt::format("this match over {} does not handle {}; add a branch for each or end with 'otherwise …'",
                              en.name, fmt::join(missing, ", ")));
        } else if (!is_match) {
          error(DiagCode::NonExhaustiveMatch, f, e.range,
                "this condition chain can fall through: when no condition holds there is no result; end it with "
                "'otherwise …'");
        }
      } else if (is_match && !subject.type.is_error() &&
                 covered == (p_.enums[subject.type.enum_id].values.size() >= 64
                                 ? ~std::uint64_t{0}
                                 : (std::uint64_t{1} << p_.enums[subject.type.enum_id].values.size()) - 1)) {
        // 'otherwise' after covering every value is harmless; nothing to report.
      }
      n.first = static_cast<std::uint32_t>(p_.branches.size());
      n.count = static_cast<std::uint32_t>(branches.size());
      for (auto& b : branches) p_.branches.push_back(std::move(b));
      n.type = have_result ? result : Type::error();
      return {add(n), n.type};
    }
  }
  return bad(f, e.range);
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
    error(DiagCode::BadLiteral, f, e.range, fmt::format("{} must be a literal value", what));
    return std::nullopt;
  }
  if (want.is_number() && want.whole && !v->is_integer()) {
    error(DiagCode::BadLiteral, f, e.range, fmt::format("{} must be a whole number", what));
    return std::nullopt;
  }
  // A plain number above 1 given as a rate is a percentage missing its '%': 6.5 would be 650%.
  if (want.percent && e.kind == ast::ExprKind::Number && e.unit == ast::UnitWord::None &&
      compare(*v, Decimal::from_int(1)) > 0) {
    std::string pct = (*v * Decimal::from_int(100)).to_string();
    error(DiagCode::BadLiteral, f, e.range,
          fmt::format("{} is a rate: '{}' would be {}%; write '{}%' (or '{}%' if that is really meant)", what, e.name,
                      pct, e.name, pct));
    return std::nullopt;
  }
  return v;
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
      in.default_value = constant(*d->default_value, f, in.type, fmt::format("the default of '{}'", in.name).c_str());
    Ctx ctx;  // bounds may refer to other inputs and to parameters
    for (auto [bound, slot] : {std::pair{d->min.get(), &in.min}, std::pair{d->max.get(), &in.max}}) {
      if (!bound) continue;
      Typed t = expr(*bound, f, &in.type, ctx);
      if (expect_type(t, in.type, f, bound->range, fmt::format("the bound of '{}'", in.name).c_str())) *slot = t.id;
    }
  }
  for (std::size_t i = 0; i < p_.params.size(); ++i) {
    if (!param_ok[i]) continue;
    auto [f, d] = param_ast_[i];
    auto& pa = p_.params[i];
    if (d->values.empty())
      error(DiagCode::BadParamValues, f, d->name.range,
            fmt::format("parameter '{}' has no value; add a line like: VALUE from YYYY-MM-DD source \"…\"", pa.name));
    for (const auto& v : d->values) {
      auto val = constant(*v.value, f, pa.type, fmt::format("the value of '{}'", pa.name).c_str());
      if (!val) continue;
      if (!v.from && v.from_range.end > v.from_range.begin) continue;  // its date was reported as bad
      pa.values.push_back({*val, v.from, v.placeholder, v.source.value, {f, v.range}, v.value->range});
    }
    std::stable_sort(pa.values.begin(), pa.values.end(), [](const auto& a, const auto& b) {
      return a.from.value_or(INT32_MIN) < b.from.value_or(INT32_MIN);
    });
    for (std::size_t k = 1; k < pa.values.size(); ++k)
      if (pa.values[k].from.value_or(INT32_MIN) == pa.values[k - 1].from.value_or(INT32_MIN))
        error(DiagCode::BadParamValues, pa.values[k].place.file, pa.values[k].place.range,
              fmt::format("parameter '{}' has two values from the same date", pa.name),
              {note_at(pa.values[k - 1].place, "the other value")});
  }
  for (std::size_t i = 0; i < p_.rules.size(); ++i) {
    auto [f, d] = rule_ast_[i];
    if (!rule_ok[i]) continue;
    Ctx ctx;
    ctx.rule = static_cast<std::int64_t>(i);
    Type want = p_.rules[i].type;
    Typed t = expr(*d->body, f, &want, ctx);
    expect_type(t, want, f, d->body->range, fmt::format("the value of '{}'", p_.rules[i].name).c_str());
    p_.rules[i].body = t.id;
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
        const char* what = kind == SymKind::Input ? "an input" : kind == SymKind::Param ? "a parameter" : "an output or let";
        std::string msg = fmt::format("'{}' is not {} of this policy", a.name.name, what);
        if (auto s = did_you_mean(a.name.name, cands)) msg += fmt::format("; did you mean '{}'?", *s);
        error(DiagCode::BadTest, f, a.name.range, msg);
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
      auto v = constant(*a.value, f, ty, fmt::format("the value of '{}'", a.name.name).c_str());
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
    if (t->expect.empty() && !tc.expect_error) {
      error(DiagCode::BadTest, f, t->name.range, "this test expects nothing; add 'expect NAME = VALUE'");
      ok = false;
    }
    if (ok) p_.tests.push_back(std::move(tc));
  }
}

void Checker::find_cycles() {
  std::vector<int> state(p_.rules.size(), 0);  // 0 new, 1 on stack, 2 done
  std::vector<std::uint32_t> stack;
  std::function<void(std::uint32_t)> visit = [&](std::uint32_t r) {
    state[r] = 1;
    stack.push_back(r);
    for (std::uint32_t d : p_.rule_rules[r]) {
      if (state[d] == 1) {
        auto from = std::find(stack.begin(), stack.end(), d);
        std::vector<std::string> names;
        for (auto it = from; it != stack.end(); ++it) names.push_back(p_.rules[*it].name);
        names.push_back(p_.rules[d].name);
        std::vector<Note> notes;
        for (auto it = from + 1; it != stack.end(); ++it) notes.push_back(note_at(p_.rules[*it].place, fmt::format("'{}' is part of the cycle", p_.rules[*it].name)));
        error(DiagCode::Cycle, p_.rules[d].place.file, p_.rules[d].place.range,
              fmt::format("definitions depend on each other in a cycle: {}", fmt::join(names, " → ")), std::move(notes));
      } else if (state[d] == 0) {
        visit(d);
      }
    }
    stack.pop_back();
    state[r] = 2;
  };
  for (std::uint32_t r = 0; r < p_.rules.size(); ++r)
    if (state[r] == 0) visit(r);
}

std::string show(const Type& t, Value v) {
  if (t.is_number() && t.percent) return (v * Decimal::from_int(100)).to_string() + "%";
  if (t.base == Base::Date) return format_date(checked::as_date(v));
  if (t.base == Base::Bool) return checked::as_bool(v) ? "true" : "false";
  return v.to_string_fixed(t.is_money() ? 2 : 0);
}

void Checker::warn_unused() {
  for (std::size_t i = 0; i < p_.inputs.size(); ++i)
    if (!input_used_[i] && p_.inputs[i].place.file == 0)
      diag(Severity::Warning, DiagCode::UnusedInput, 0, p_.inputs[i].place.range,
           fmt::format("input '{}' ({}) is not used by any rule", p_.inputs[i].name, p_.inputs[i].label));
  for (std::size_t i = 0; i < p_.params.size(); ++i)
    if (!param_used_[i] && p_.params[i].place.file == 0)
      diag(Severity::Warning, DiagCode::UnusedParam, 0, p_.params[i].place.range,
           fmt::format("parameter '{}' ({}) is not used by any rule", p_.params[i].name, p_.params[i].label));
  for (const auto& pa : p_.params)
    for (const auto& v : pa.values)
      if (v.placeholder)
        diag(Severity::Warning, DiagCode::Placeholder, v.place.file, v.value_range,
             fmt::format("'{}' = {} is a placeholder, not a confirmed figure: {}", pa.name, show(pa.type, v.value), v.source));
}

void Checker::compute_input_free() {
  // Children come before parents in `nodes`, except references to rules, which are resolved
  // by a fixpoint over rules in dependency order.
  std::vector<int> rule_free(p_.rules.size(), -1);
  std::function<bool(std::uint32_t)> rule_is_free = [&](std::uint32_t r) -> bool {
    if (rule_free[r] >= 0) return rule_free[r] == 1;
    rule_free[r] = 0;  // a cycle (already reported) counts as not free
    NodeId b = p_.rules[r].body;
    bool free = b != kNoNode && p_.rule_inputs[r].empty();
    for (auto d : p_.rule_rules[r]) free = free && rule_is_free(d);
    rule_free[r] = free ? 1 : 0;
    return free;
  };
  for (NodeId id = 0; id < p_.nodes.size(); ++id) {
    Node& n = p_.nodes[id];
    auto free = [&](NodeId c) { return c == kNoNode || p_.nodes[c].input_free; };
    switch (n.op) {
      case Op::Const:
      case Op::Param: n.input_free = true; break;
      case Op::Input: n.input_free = false; break;
      case Op::Rule: n.input_free = rule_is_free(n.slot); break;
      case Op::Min:
      case Op::Max: {
        bool f = true;
        for (std::uint32_t i = 0; i < n.count; ++i) f = f && free(p_.operands[n.first + i]);
        n.input_free = f;
        break;
      }
      case Op::Chain:
      case Op::Match: {
        bool f = free(n.a);
        for (std::uint32_t i = 0; i < n.count; ++i) {
          const auto& b = p_.branches[n.first + i];
          f = f && free(b.condition) && free(b.result);
        }
        n.input_free = f;
        break;
      }
      default: n.input_free = free(n.a) && free(n.b); break;
    }
    if (n.type.is_error()) n.input_free = false;
  }
}

std::optional<checked::Policy> Checker::run(std::shared_ptr<const SourceFile> root) {
  bool parsed = load(std::move(root));
  if (modules_.empty()) return std::nullopt;
  // Base files first, so a variant's overrides replace what they build on.
  for (std::size_t f = modules_.size(); f-- > 0;) collect(static_cast<std::uint16_t>(f));
  check_bodies();
  check_tests(0);
  find_cycles();
  // A declaration lost to a syntax error may be what uses an input: no guesses then.
  if (parsed) warn_unused();
  compute_input_free();
  if (has_errors(diags_) || !parsed) return std::nullopt;
  return std::move(p_);
}

}  // namespace

CheckResult check_source(std::shared_ptr<const SourceFile> file) {
  CheckResult r;
  Checker c(r.diagnostics);
  r.policy = c.run(std::move(file));
  sort_diagnostics(r.diagnostics);
  return r;
}

CheckResult check_file(const std::string& path) {
  std::string err;
  auto file = load_source(path, err);
  if (!file) {
    CheckResult r;
    r.diagnostics.push_back(Diagnostic{Severity::Error, DiagCode::BaseFileError, nullptr, {}, err, {}});
    r.unreadable = true;
    return r;
  }
  return check_source(std::move(file));
}

std::optional<checked::Value> parse_value(const checked::Policy& policy, const Type& type, std::string_view text,
                                          std::string& error) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  switch (type.base) {
    case Base::Bool:
      if (text == "true" || text == "是") return checked::make_bool(true);
      if (text == "false" || text == "否") return checked::make_bool(false);
      error = "expected true or false";
      return std::nullopt;
    case Base::Date:
      if (auto d = parse_date(text)) return Value::from_int(*d);
      error = fmt::format("expected a date YYYY-MM-DD between {}-01-01 and {}-12-31", kMinYear, kMaxYear);
      return std::nullopt;
    case Base::Enum: {
      const auto& en = policy.enums[type.enum_id];
      int ord = en.find(text);
      if (ord >= 0) return Value::from_int(ord);
      std::vector<std::string> names;
      for (const auto& v : en.values) names.push_back(fmt::format("{} ({})", v.name, v.label));
      error = fmt::format("expected one of {}", fmt::join(names, ", "));
      return std::nullopt;
    }
    case Base::Number: {
      bool percent = !text.empty() && text.back() == '%';
      if (percent) text.remove_suffix(1);
      std::optional<Decimal> d;
      std::size_t slash = text.find('/');
      try {
        if (slash != std::string_view::npos) {
          auto a = Decimal::parse(trim(text.substr(0, slash)));
          auto b = Decimal::parse(trim(text.substr(slash + 1)));
          if (a && b && !b->is_zero()) d = *a / *b;
        } else {
          d = Decimal::parse(text);
        }
        if (d && percent) d = *d / Decimal::from_int(100);
      } catch (const DecimalOverflow&) {
        d.reset();
      }
      if (!d) {
        error = fmt::format("expected {} as an exact decimal number{}", type_name(policy, type),
                            type.percent ? " (like 6.5% or 0.065)" : "");
        return std::nullopt;
      }
      if (percent && !type.percent && type.unit != Unit::None) {
        error = fmt::format("expected {}, not a percentage", type_name(policy, type));
        return std::nullopt;
      }
      if (type.whole && !d->is_integer()) {
        error = fmt::format("expected a whole number of {}", type_name(policy, type));
        return std::nullopt;
      }
      // A rate written without '%' above 1 is almost always a percentage missing its sign:
      // 6.5 would mean 650%. Say so rather than compute with it.
      if (type.percent && !percent && slash == std::string_view::npos && compare(*d, Decimal::from_int(1)) > 0) {
        error = fmt::format("'{}' as a rate would be {}%; write '{}%' for a percentage (or {}% explicitly)", text,
                            (*d * Decimal::from_int(100)).to_string(), text, (*d * Decimal::from_int(100)).to_string());
        return std::nullopt;
      }
      return *d;
    }
    case Base::Error: break;
  }
  error = "no value of this type can be given";
  return std::nullopt;
}

}  // namespace pol::dsl

namespace pol::checked {

int EnumInfo::find(std::string_view text) const {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i].name == text || values[i].label == text) return static_cast<int>(i);
  return -1;
}

int Param::value_at(std::optional<int> date) const {
  if (values.empty()) return -1;
  if (!date) return static_cast<int>(values.size() - 1);
  int found = -1;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!values[i].from || *values[i].from <= *date) found = static_cast<int>(i);
  return found;
}

int Policy::find_input(std::string_view n) const {
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].name == n) return static_cast<int>(i);
  return -1;
}
int Policy::find_param(std::string_view n) const {
  for (std::size_t i = 0; i < params.size(); ++i)
    if (params[i].name == n) return static_cast<int>(i);
  return -1;
}
int Policy::find_rule(std::string_view n) const {
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i].name == n) return static_cast<int>(i);
  return -1;
}
std::vector<std::uint32_t> Policy::outputs() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    if (rules[i].is_output) out.push_back(i);
  return out;
}

std::vector<std::uint32_t> Policy::rules_affected_by_rule(std::uint32_t r) const {
  std::vector<bool> hit(rules.size(), false);
  hit[r] = true;
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
      if (hit[i]) continue;
      for (auto d : rule_rules[i])
        if (hit[d]) {
          hit[i] = changed = true;
          break;
        }
    }
  }
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    if (hit[i]) out.push_back(i);
  return out;
}

std::vector<std::uint32_t> Policy::rules_affected_by_param(std::uint32_t p) const {
  std::vector<bool> hit(rules.size(), false);
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    for (auto d : rule_params[i])
      if (d == p) hit[i] = true;
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    if (hit[i])
      for (auto r : rules_affected_by_rule(i)) out.push_back(r);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace pol::checked
