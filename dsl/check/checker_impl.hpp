#pragma once
// The checker's state, shared by its stages (private to dsl/check):
//   load.cpp       the extends chain: parse each file once, follow `extends`
//   declare.cpp    declarations and overrides, types of symbols, bodies of every declaration
//   typing.cpp     expression typing: names, literals, operators, calls, branches; constants
//   structure.cpp  cycles, unused inputs and parameters, placeholders, input-free nodes
//   tests.cpp      test blocks
//   quotes.cpp     quotations in sources, readings and notes, against the header's source text
//   variants.cpp   warnings for a regional variant (override gaps, regional parameters, tests)
//   checker.cpp    the driver (check_file, check_source) and the order of the stages
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/messages.hpp"
#include "check/checker.hpp"
#include "checked/checked.hpp"
#include "syntax/ast.hpp"

namespace pol::dsl::checking {

using checked::kNoNode;
using checked::Node;
using checked::NodeId;
using checked::Op;
using checked::Place;
using checked::Value;

struct Typed {
  NodeId id = kNoNode;
  Type type;
};

enum class SymKind { Input, Param, Rule };
struct Sym {
  SymKind kind;
  std::uint32_t index;
};

std::string_view kind_phrase(SymKind k);
const char* kind_word(SymKind k);

// A value as a diagnostic shows it (rates as percentages, dates as YYYY-MM-DD).
std::string show(const Type& t, Value v);

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
  // Each rule's `applies when` condition: its own, or (for an override that states none) the base's.
  std::vector<std::pair<std::uint16_t, const ast::Expr*>> applies_ast_;
  std::vector<std::pair<std::uint16_t, const ast::ConstraintDecl*>> constraint_ast_;
  std::vector<std::pair<std::uint16_t, const ast::ReadingChoice*>> reading_choices_;  // base files first
  std::vector<bool> input_used_, param_used_;
  // Used files (use.cpp): per file, the use it belongs to (-1: the checked file and its bases)
  // and the prefix of its names ("retirement."); the rules standing for bound inputs, with the
  // binding's expression and the file it is written in.
  std::vector<std::int16_t> file_use_;
  std::deque<ast::RuleDecl> synth_;
  std::unordered_map<std::uint32_t, std::pair<std::uint16_t, const ast::Expr*>> bound_body_;
  // The values an override replaced, by parameter slot (for the gaps it leaves: variants.cpp).
  std::unordered_map<std::uint32_t, std::pair<std::uint16_t, const ast::ParamDecl*>> replaced_params_;

  void diag(Severity sev, DiagCode code, std::uint16_t f, SourceRange r, std::string msg, std::vector<Note> notes = {}) {
    diags_.push_back(Diagnostic{sev, code, p_.files[f], r, std::move(msg), std::move(notes)});
  }
  void error(DiagCode code, std::uint16_t f, SourceRange r, std::string msg, std::vector<Note> notes = {}) {
    diag(Severity::Error, code, f, r, std::move(msg), std::move(notes));
  }
  Note note_at(const Place& pl, std::string msg) { return Note{p_.files[pl.file], pl.range, std::move(msg)}; }

  // load.cpp
  bool load(std::shared_ptr<const SourceFile> root);

  // use.cpp
  bool load_uses();
  [[nodiscard]] std::string prefix(std::uint16_t f) const;
  [[nodiscard]] ast::Ident qualified(std::uint16_t f, const ast::Ident& nm) const;
  // A name as written in file f: a used file's own names first, then the shared ones.
  [[nodiscard]] const Sym* lookup(std::uint16_t f, const std::string& name) const;
  [[nodiscard]] int find_use(const std::string& alias) const;
  const ast::Assignment* binding_of(std::uint16_t f, const std::string& input) const;
  void collect_bound_input(std::uint16_t f, const ast::InputDecl& in, const ast::Assignment& b);
  void check_bindings();
  bool used_param_override_ok(std::uint16_t f, const ast::ParamDecl& pa);
  void mark_used_symbols();
  Typed given(const ast::Expr& e, std::uint16_t f, Ctx& ctx);

  // declare.cpp
  void collect(std::uint16_t f);
  void collect_enum(std::uint16_t f, const ast::EnumDecl& en);
  void collect_input(std::uint16_t f, const ast::InputDecl& in);
  void collect_param(std::uint16_t f, const ast::ParamDecl& pa);
  void collect_rule(std::uint16_t f, const ast::RuleDecl& ru);
  void declare(std::uint16_t f, const ast::Ident& name, bool is_override, SymKind kind,
               const std::function<void(std::uint32_t)>& replace, const std::function<std::uint32_t()>& add);
  // Reports a name declared again in the same file, or in a variant without `override`.
  bool redeclared(std::uint16_t f, const ast::Ident& nm, bool is_override, SymKind kind, const Place& prev);
  void overrides_nothing(std::uint16_t f, const ast::Ident& nm, SymKind kind, const std::vector<std::string>& cands);
  std::optional<Type> resolve_type(std::uint16_t f, const ast::Ident& t);
  // An override keeps the type of what it replaces: rules and tests of the base rely on it.
  // False (after the error) when the type differs: the caller keeps the base's declaration.
  bool check_override_type(std::uint16_t f, const ast::Ident& now, const ast::Ident& before, const Place& prev,
                           const std::string& name);
  void check_bodies();

  // tests.cpp
  void check_tests(std::uint16_t f);

  // readings.cpp: a rule's alternative readings, wrapped around its typed body
  NodeId alternatives(std::uint32_t rule, std::uint16_t f, const ast::RuleDecl& d, NodeId body, Ctx& ctx);
  std::uint32_t reading_of(std::uint16_t f, const ast::ReadingBlock& b);
  std::vector<checked::ReadingValue> reading_values(std::uint32_t param, std::uint16_t f,
                                                    const std::vector<ast::ReadingBlock>& blocks);
  static void merge_reading_values(std::vector<checked::ReadingValue>& own, const std::vector<checked::ReadingValue>& whole);
  void choose_readings();
  bool pin_reading(std::uint16_t f, const ast::Ident& id, const ast::Ident& name,
                   std::vector<std::pair<std::uint32_t, Value>>& out);

  // structure.cpp
  void find_cycles();
  void warn_unused();
  void compute_input_free();

  // quotes.cpp
  void warn_quotes();

  // variants.cpp
  void warn_variant();
  void warn_override_gaps();

  // typing.cpp
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
  // A node placed at `e`, keeping whether it was written in parentheses.
  static Node node_at(const ast::Expr& e, std::uint16_t f) {
    Node n;
    n.place = {f, e.range};
    n.parens = e.parens;
    return n;
  }

  Typed expr(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx);
  Typed literal(const ast::Expr& e, std::uint16_t f, const Type* expected);
  Typed unary(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx);
  Typed in_set(const ast::Expr& e, std::uint16_t f, Ctx& ctx);
  Typed call(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx);
  Typed as_of(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx);
  Typed months_between(const ast::Expr& e, std::uint16_t f, Ctx& ctx);
  Typed whole_months_needed(SourceRange r, std::uint16_t f);
  Typed rounding(const ast::Expr& e, std::uint16_t f, const std::vector<Typed>& args);
  Typed min_max(const ast::Expr& e, std::uint16_t f, std::vector<Typed>& args);
  Typed branches(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx);
  void check_exhaustive(const ast::Expr& e, std::uint16_t f, bool is_match, const Typed& subject, std::uint64_t covered);
  Typed name(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx);
  Typed symbol(const ast::Expr& e, std::uint16_t f, const Sym& sym, Ctx& ctx);
  Typed unqualified_enum_value(const ast::Expr& e, std::uint16_t f, const Type* expected);
  void use_param(Node& n, std::uint32_t slot, const Ctx& ctx);
  Typed enum_value(const ast::Expr& e, std::uint16_t f, std::uint16_t enum_id, bool report);
  int enum_ordinal(const ast::Expr& e, std::uint16_t f, std::uint16_t enum_id);
  Typed binary(const ast::Expr& e, std::uint16_t f, const Type* expected, Ctx& ctx);
  Typed logical(const ast::Expr& e, std::uint16_t f, Ctx& ctx);
  void unify_poly(Typed& a, Typed& b);
  void adopt(Typed& t, const Type* expected);
  bool expect_type(const Typed& t, const Type& want, std::uint16_t f, SourceRange r, const char* what, bool condition = false);
  std::optional<Value> fold(NodeId id);
  std::optional<Value> constant(const ast::Expr& e, std::uint16_t f, const Type& want, const char* what);
};

}  // namespace pol::dsl::checking
