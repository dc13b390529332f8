#pragma once
// The messages of syntax errors: one per rule that can fail inside must<>. Each says what was
// expected; parser.cpp appends what was found.
#include "syntax/grammar.hpp"

namespace pol::dsl::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr auto error_message<req<string_body>> = "unterminated string: expected '\"' before the end of the line";
template <> inline constexpr auto error_message<req<list<expr, one<','>, ws>>> = "expected the arguments of the call, separated by ','";
template <> inline constexpr auto error_message<req<close_paren>> = "expected ')' to close '('";
template <> inline constexpr auto error_message<req<unary>> = "expected a value (a number, a name, or '(')";

template <> inline constexpr auto error_message<req<multiplicative>> = "expected a value after the operator";
template <> inline constexpr auto error_message<req<additive>> = "expected a value";
template <> inline constexpr auto error_message<req<set_lit>> = "expected a set of values in braces, like {a, b}";
template <> inline constexpr auto error_message<req<list<set_member, one<','>, ws>>> = "expected enum values separated by ','";
template <> inline constexpr auto error_message<req<close_brace>> = "expected '}' to close '{'";
template <> inline constexpr auto error_message<req<not_expr>> = "expected a condition after 'not'";
template <> inline constexpr auto error_message<req<and_expr>> = "expected a condition after 'or'";
template <> inline constexpr auto error_message<req<string_lit>> = "expected a quoted string";
template <> inline constexpr auto error_message<req<label>> = "expected a label in quotes, like \"缴费基数\"";
template <> inline constexpr auto error_message<req<or_expr>> = "expected an expression";
template <> inline constexpr auto error_message<req<kw_then>> = "expected 'then' after the condition of 'when'";
template <> inline constexpr auto error_message<req<kw_when>> = "expected 'when' after 'applies', as in: applies when eligible";
template <> inline constexpr auto error_message<req<match_values>> = "expected the enum values of this branch";
template <> inline constexpr auto error_message<req<match_arm>> = "expected 'when VALUE then RESULT' after 'match'";
template <> inline constexpr auto error_message<req<expr>> = "expected an expression";
template <> inline constexpr auto error_message<req<identifier>> = "expected a name (ASCII letters, digits and '_', not a keyword)";
template <> inline constexpr auto error_message<req<param_name>> = "expected a name (ASCII letters, digits and '_', not a keyword)";
template <> inline constexpr auto error_message<req<date_lit>> = "expected a date like 2025-04-01";
template <> inline constexpr auto error_message<req<one<'{'>>> = "expected '{'";
template <> inline constexpr auto error_message<req<colon>> = "expected ':' and a type after the name";
template <> inline constexpr auto error_message<req<type_ref>> = "expected a type (bool, int, decimal, rate, money, date, days, months, years, or an enum)";
template <> inline constexpr auto error_message<req<equals>> = "expected '='";
template <> inline constexpr auto error_message<req<overridable>> = "expected 'param', 'let', 'output', 'input' or 'reading' after 'override'";
template <> inline constexpr auto error_message<req<assignments>> = "expected NAME = VALUE";
template <> inline constexpr auto error_message<req<use_as>> = "expected 'as NAME' after the file that 'use' names";
template <> inline constexpr auto error_message<req<bindings>> = "expected INPUT = EXPRESSION after 'with', separated by ','";
template <> inline constexpr auto error_message<req<value_source>> = "expected 'source \"…\"' or 'placeholder \"…\"' after the parameter value";
template <> inline constexpr auto error_message<req<sor<expect_error, assignments>>> = "expected NAME = VALUE or error \"…\" after 'expect'";
template <> inline constexpr auto error_message<req<qualified_name>> = "expected an ambiguity and a reading, like A4.gt";
template <> inline constexpr auto error_message<req<alternative_decl>> = "expected 'alternative ID.NAME \"label\" because \"why\" = BODY' after 'reading ID.NAME \"label\"'";
template <> inline constexpr auto error_message<req<kw_because>> = "expected 'because \"why\"' after the label of the alternative";
// clang-format on

struct error_messages {
  template <typename Rule>
  static constexpr const char* message = error_message<Rule>;
};

template <typename Rule>
using control = pegtl::must_if<error_messages>::control<Rule>;

}  // namespace pol::dsl::grammar
