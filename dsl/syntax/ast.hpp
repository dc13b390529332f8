#pragma once
// The syntax tree of one .pol file, as written: names are still text, nothing is resolved.
// Every node carries its SourceRange (byte offsets into the file's SourceFile), so the
// checker and the formatter can point at and reprint any piece. The checker turns a Module
// (and the Modules of the files it extends) into a checked::Policy.
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/decimal.hpp"
#include "base/source.hpp"

namespace pol::dsl::ast {

enum class UnitWord { None, Days, Months, Years };

enum class ExprKind {
  Number,     // 12, 12.5, 30 years
  Percent,    // 85%
  Bool,       // true / false
  Date,       // 2025-04-01
  Name,       // total_years, female
  Qualified,  // Gender.female
  ParamRef,   // param.waiting_period_months
  Negate,     // -a
  Not,        // not a
  Binary,     // a + b, a and b, a >= b
  In,         // a in {x, y}
  Call,       // min(a, b)
  Chain,      // when c then v ... otherwise v
  Match,      // match e when x, y then v ... otherwise v
  Invalid,    // what the parser already reported (a number out of range, nesting too deep)
};

enum class BinOp { Add, Sub, Mul, Div, Eq, Ne, Lt, Le, Gt, Ge, And, Or };
enum class Func { Min, Max, Round, RoundDown, RoundUp, AsOf, MonthsBetween, Given };

[[nodiscard]] const char* op_text(BinOp op);
[[nodiscard]] const char* func_text(Func f);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Branch {
  SourceRange range;
  ExprPtr condition;                  // Chain: the condition; Match: null
  std::vector<ExprPtr> values;        // Match: the enum values of the arm
  ExprPtr result;
  std::string clause;                 // optional clause of this branch
  bool is_otherwise = false;
};

struct Expr {
  ExprKind kind = ExprKind::Number;
  SourceRange range;
  std::string name;        // Name; Qualified: the value; literal text for numbers/dates
  std::string qualifier;   // Qualified: the enum
  Decimal number;          // Number, Percent (already divided by 100)
  UnitWord unit = UnitWord::None;
  bool bool_value = false;
  bool parens = false;     // written in parentheses
  int date_days = 0;       // Date: days since 1970-01-01
  BinOp op = BinOp::Add;
  Func func = Func::Min;
  std::vector<ExprPtr> args;      // operands, call arguments, In: [subject, members...]; Match: [subject]
  std::vector<Branch> branches;   // Chain, Match (the last may be is_otherwise)
};

struct Text {
  std::string value;
  SourceRange range;
  bool present = false;
};

struct Ident {
  std::string name;
  SourceRange range;
};

struct Header {
  SourceRange range;
  Ident name;
  Text title, issuer, number, source, extends;
  std::optional<int> effective;  // days since epoch
  SourceRange effective_range;
};

struct EnumValue {
  Ident name;
  Text label;
};

struct EnumDecl {
  SourceRange range;
  Ident name;
  Text label;
  std::vector<EnumValue> values;
};

struct Attrs {
  Text clause;
  Text reading;
};

struct InputDecl {
  SourceRange range;
  bool is_override = false;
  Ident name;
  Ident type;
  Text label;
  Attrs attrs;
  ExprPtr default_value;
  ExprPtr min, max;
};

// `alternative A4.gt "label" because "why" = BODY`: another reading of the rule's clause.
struct Alternative {
  SourceRange range;
  Ident id, name;  // A4, gt
  Text label, because;
  ExprPtr body;
};

// `reading A4.ge "label"` and the alternatives after it: the ambiguity A4, whose reading
// `ge` (the file's own) is the rule's body.
struct ReadingBlock {
  SourceRange range;
  Ident id, name;
  Text label;
  std::vector<Alternative> alternatives;
};

struct ParamValue {
  SourceRange range;
  ExprPtr value;
  std::optional<int> from;  // days since epoch
  SourceRange from_range;
  bool placeholder = false;
  Text source;
  std::vector<ReadingBlock> readings;  // alternative readings of this dated value
};

struct ParamDecl {
  SourceRange range;
  bool is_override = false;
  Ident name;
  Ident type;
  Text label;
  Attrs attrs;
  bool regional = false;  // left to each region: `regional`
  std::vector<ReadingBlock> readings;  // alternative readings of every dated value
  std::vector<ParamValue> values;
};

struct RuleDecl {
  SourceRange range;
  bool is_override = false;
  bool is_output = false;
  Ident name;
  Ident type;
  Text label;
  Attrs attrs;
  ExprPtr applies;  // `applies when COND`; null when the rule applies to every case
  ExprPtr body;
  std::vector<ReadingBlock> readings;  // alternative readings, after the body
};

struct ConstraintDecl {
  SourceRange range;
  ExprPtr condition;
  Text message;
  Text clause;
};

struct NoteDecl {
  SourceRange range;
  Text clause;
  Text text;
};

struct Assignment {
  SourceRange range;
  Ident name;
  ExprPtr value;
};

struct TestDecl {
  SourceRange range;
  Text name;
  Text clause;
  std::vector<Assignment> given;
  std::vector<Assignment> set;
  std::vector<Assignment> expect;
  std::optional<int> at;
  SourceRange at_range;
  Text expect_error;
  std::vector<std::pair<Ident, Ident>> readings;  // `reading A4.gt`: (ambiguity, alternative)
  // The order of statements as written, for the formatter: (kind, index).
  enum class Stmt { Given, Set, At, Expect, ExpectError, Reading };
  std::vector<std::pair<Stmt, std::size_t>> order;
};

// `override reading A4.gt source "…"`: a variant takes the reading gt of its base's ambiguity A4.
struct ReadingChoice {
  SourceRange range;
  Ident id, name;
  Text source;
};

// use "FILE" as ALIAS with INPUT = EXPR, …
struct UseDecl {
  SourceRange range;
  Text path;
  Ident alias;
  std::vector<Assignment> bindings;
};

using Decl = std::variant<Header, EnumDecl, InputDecl, ParamDecl, RuleDecl, ConstraintDecl, NoteDecl, TestDecl, UseDecl,
                          ReadingChoice>;

struct Comment {
  SourceRange range;  // from '#' to the end of the line
};

struct Module {
  std::shared_ptr<const SourceFile> file;
  std::vector<Decl> decls;
  std::vector<Comment> comments;
  [[nodiscard]] const Header* header() const;
};

[[nodiscard]] SourceRange range_of(const Decl& d);

}  // namespace pol::dsl::ast
