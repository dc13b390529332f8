#pragma once
// The grammar of .pol files, as PEGTL rules: one named struct per rule, no actions.
// parser.cpp selects the rules it keeps in the parse tree and turns that tree into ast::.
//
// A file is a sequence of declarations, each opened by a keyword; whitespace, newlines and
// '#' comments separate tokens anywhere. The parser reads one declaration at a time, so a
// syntax error loses only the declaration it is in (see parser.cpp). `must<>` turns a failed
// sub-rule into an error whose message comes from error_message<> in grammar_errors.hpp.
#include <tao/pegtl.hpp>

namespace pol::dsl::grammar {

namespace pegtl = tao::pegtl;
using pegtl::at;
using pegtl::digit;
using pegtl::eolf;
using pegtl::list;
using pegtl::must;
using pegtl::not_at;
using pegtl::not_one;
using pegtl::one;
using pegtl::opt;
using pegtl::plus;
using pegtl::ranges;
using pegtl::rep;
using pegtl::seq;
using pegtl::sor;
using pegtl::star;
using pegtl::until;

// `req<R>` is R where it must match: only req<> rules carry error messages, so R itself can
// fail quietly where it is one alternative among others.
template <typename R>
struct req : seq<R> {};
template <typename R>
using expect = must<req<R>>;

// ---- whitespace and comments
struct comment : seq<one<'#'>, until<eolf>> {};
struct ws : sor<one<' ', '\t', '\r', '\n', '\f', '\v'>, comment> {};
struct sp : star<ws> {};

// ---- words
struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
template <typename Str>
struct word : seq<Str, not_at<ident_other>> {};

#define POL_KEYWORD(name, text) \
  struct kw_##name : word<TAO_PEGTL_STRING(text)> {};
POL_KEYWORD(policy, "policy")
POL_KEYWORD(enum, "enum")
POL_KEYWORD(input, "input")
POL_KEYWORD(param, "param")
POL_KEYWORD(let, "let")
POL_KEYWORD(output, "output")
POL_KEYWORD(constraint, "constraint")
POL_KEYWORD(note, "note")
POL_KEYWORD(test, "test")
POL_KEYWORD(override, "override")
POL_KEYWORD(issuer, "issuer")
POL_KEYWORD(number, "number")
POL_KEYWORD(effective, "effective")
POL_KEYWORD(source, "source")
POL_KEYWORD(extends, "extends")
POL_KEYWORD(placeholder, "placeholder")
POL_KEYWORD(from, "from")
POL_KEYWORD(default, "default")
POL_KEYWORD(min, "min")
POL_KEYWORD(max, "max")
POL_KEYWORD(clause, "clause")
POL_KEYWORD(reading, "reading")
POL_KEYWORD(applies, "applies")
POL_KEYWORD(when, "when")
POL_KEYWORD(then, "then")
POL_KEYWORD(otherwise, "otherwise")
POL_KEYWORD(match, "match")
POL_KEYWORD(and, "and")
POL_KEYWORD(or, "or")
POL_KEYWORD(not, "not")
POL_KEYWORD(in, "in")
POL_KEYWORD(true, "true")
POL_KEYWORD(false, "false")
POL_KEYWORD(given, "given")
POL_KEYWORD(set, "set")
POL_KEYWORD(at, "at")
POL_KEYWORD(expect, "expect")
POL_KEYWORD(error, "error")
POL_KEYWORD(days, "days")
POL_KEYWORD(months, "months")
POL_KEYWORD(years, "years")
POL_KEYWORD(round, "round")
POL_KEYWORD(round_down, "round_down")
POL_KEYWORD(round_up, "round_up")
POL_KEYWORD(as_of, "as_of")
POL_KEYWORD(use, "use")
POL_KEYWORD(alternative, "alternative")
POL_KEYWORD(because, "because")
#undef POL_KEYWORD

// Words that start a declaration: recovery after a syntax error skips to the next line
// that starts with one of these.
struct decl_keyword : sor<kw_policy, kw_enum, kw_input, kw_param, kw_let, kw_output, kw_constraint, kw_note,
                          kw_test, kw_override, kw_use> {};
struct reserved : sor<decl_keyword, kw_issuer, kw_number, kw_effective, kw_source, kw_extends, kw_placeholder,
                      kw_from, kw_default, kw_min, kw_max, kw_clause, kw_reading, kw_applies, kw_when, kw_then, kw_otherwise,
                      kw_match, kw_and, kw_or, kw_not, kw_in, kw_true, kw_false, kw_given, kw_set, kw_at,
                      kw_expect, kw_error, kw_days, kw_months, kw_years, kw_round_down, kw_round_up, kw_round,
                      kw_as_of, kw_alternative, kw_because> {};

struct identifier : seq<not_at<reserved>, ident_first, star<ident_other>> {};

// ---- literals
struct escape : seq<one<'\\'>, one<'"', '\\', 'n'>> {};
struct string_char : sor<escape, not_one<'"', '\\', '\n', '\r'>> {};
struct string_body : until<one<'"'>, string_char> {};
struct string_lit : seq<one<'"'>, expect<string_body>> {};

struct date_lit : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>, not_at<ident_other>> {};
struct digits : plus<digit> {};
struct decimal_text : seq<digits, opt<one<'.'>, digits>> {};
struct unit_word : sor<kw_days, kw_months, kw_years> {};
struct percent_lit : seq<decimal_text, one<'%'>> {};
struct number_lit : seq<decimal_text, not_at<ident_first>, opt<star<one<' '>>, unit_word>> {};
struct bool_lit : sor<kw_true, kw_false> {};

// ---- expressions
struct expr;
struct or_expr;
struct qualified_name : seq<identifier, one<'.'>, identifier> {};
// An enum value may also be written as its label (`女`, `单建统筹`): a word that starts with a
// character outside ASCII.
struct label_word : seq<pegtl::utf8::range<0x80, 0x10FFFF>, star<sor<pegtl::utf8::range<0x80, 0x10FFFF>, ident_other>>> {};
struct name_ref : sor<identifier, label_word> {};
// `param.NAME`: the parameter, where an output of the same name would hide it.
struct param_ref : seq<kw_param, one<'.'>, identifier> {};
// months_between is not reserved: it is a function only when a '(' follows.
struct fn_months_between : word<TAO_PEGTL_STRING("months_between")> {};
struct func_name : sor<kw_min, kw_max, kw_round_down, kw_round_up, kw_round, kw_as_of, fn_months_between, kw_given> {};
struct close_paren : one<')'> {};
struct call : seq<func_name, sp, one<'('>, sp, expect<list<expr, one<','>, ws>>, sp, expect<close_paren>> {};
struct paren : seq<one<'('>, sp, expect<expr>, sp, expect<close_paren>> {};
struct primary : sor<paren, call, date_lit, percent_lit, number_lit, bool_lit, param_ref, qualified_name, name_ref> {};
struct unary;
struct negate : seq<one<'-'>, sp, expect<unary>> {};
struct unary : sor<negate, primary> {};
struct mul_op : sor<one<'*'>, one<'/'>> {};
struct multiplicative : seq<unary, star<sp, mul_op, sp, expect<unary>>> {};
struct add_op : sor<one<'+'>, one<'-'>> {};
struct additive : seq<multiplicative, star<sp, add_op, sp, expect<multiplicative>>> {};
struct cmp_op : sor<TAO_PEGTL_STRING("=="), TAO_PEGTL_STRING("!="), TAO_PEGTL_STRING("<="),
                    TAO_PEGTL_STRING(">="), one<'<'>, one<'>'>> {};
struct set_member : sor<qualified_name, name_ref> {};
struct close_brace : one<'}'> {};
struct set_lit : seq<one<'{'>, sp, expect<list<set_member, one<','>, ws>>, sp, expect<close_brace>> {};
struct in_op : kw_in {};
struct comparison : seq<additive, opt<sp, sor<seq<cmp_op, sp, expect<additive>>, seq<in_op, sp, expect<set_lit>>>>> {};
struct not_expr;
struct logical_not : seq<kw_not, sp, expect<not_expr>> {};
struct not_expr : sor<logical_not, comparison> {};
struct and_op : kw_and {};
struct and_expr : seq<not_expr, star<sp, and_op, sp, expect<not_expr>>> {};
struct or_op : kw_or {};
struct or_expr : seq<and_expr, star<sp, or_op, sp, expect<and_expr>>> {};

struct clause_attr : seq<kw_clause, sp, expect<string_lit>> {};
struct chain_branch : seq<kw_when, sp, expect<or_expr>, sp, expect<kw_then>, sp, expect<or_expr>, opt<sp, clause_attr>> {};
struct otherwise_branch : seq<kw_otherwise, sp, expect<or_expr>, opt<sp, clause_attr>> {};
struct chain : seq<chain_branch, star<sp, chain_branch>, opt<sp, otherwise_branch>> {};
struct match_values : list<set_member, one<','>, ws> {};
struct match_arm : seq<kw_when, sp, expect<match_values>, sp, expect<kw_then>, sp, expect<or_expr>, opt<sp, clause_attr>> {};
struct match_expr : seq<kw_match, sp, expect<or_expr>, sp, expect<match_arm>, star<sp, match_arm>, opt<sp, otherwise_branch>> {};
struct expr : sor<chain, match_expr, or_expr> {};

// ---- declarations
struct type_ref : sor<unit_word, identifier> {};
struct label : string_lit {};
struct reading_attr : seq<kw_reading, sp, expect<string_lit>> {};
struct colon : one<':'> {};
struct equals : one<'='> {};

struct issuer_field : seq<kw_issuer, sp, expect<string_lit>> {};
struct number_field : seq<kw_number, sp, expect<string_lit>> {};
struct effective_field : seq<kw_effective, sp, expect<date_lit>> {};
struct source_field : seq<kw_source, sp, expect<string_lit>> {};
struct extends_field : seq<kw_extends, sp, expect<string_lit>> {};
struct header_field : sor<issuer_field, number_field, effective_field, source_field, extends_field> {};
struct policy_decl : seq<kw_policy, sp, expect<identifier>, sp, expect<label>, star<sp, header_field>> {};

struct enum_value : seq<identifier, sp, expect<label>> {};
struct enum_decl : seq<kw_enum, sp, expect<identifier>, sp, opt<label, sp>, expect<one<'{'>>, star<sp, enum_value>, sp,
                       expect<close_brace>> {};

struct default_attr : seq<kw_default, sp, expect<unary>> {};
struct min_attr : seq<kw_min, sp, expect<additive>> {};
struct max_attr : seq<kw_max, sp, expect<additive>> {};
struct input_decl : seq<kw_input, sp, expect<identifier>, sp, expect<colon>, sp, expect<type_ref>, sp, expect<label>,
                        star<sp, sor<default_attr, min_attr, max_attr, clause_attr, reading_attr>>> {};

struct from_attr : seq<kw_from, sp, expect<date_lit>> {};
struct source_attr : seq<kw_source, sp, expect<string_lit>> {};
struct placeholder_attr : seq<kw_placeholder, sp, expect<string_lit>> {};
struct value_source : sor<source_attr, placeholder_attr> {};
// `regional`: a parameter the file leaves to each region (pol check lists a variant's unset ones).
// Not reserved: it is a word only in this place.
struct regional_attr : word<TAO_PEGTL_STRING("regional")> {};
// A parameter's name; `ALIAS.NAME` names a used file's parameter, which only `override param` may do.
struct param_name : sor<qualified_name, identifier> {};

struct rule_kind : sor<kw_let, kw_output> {};
// Where a rule applies: outside it, explanations and population reports say "not applicable".
struct applies_attr : seq<kw_applies, sp, expect<kw_when>, sp, expect<or_expr>> {};
// Alternative readings of an ambiguity, after the body: `reading ID.NAME "label"` names the
// ambiguity and the file's own reading (the body above), then each `alternative ID.OTHER
// "label" because "why" = BODY` another way to read the same clause.
struct reading_default : seq<kw_reading, sp, qualified_name, sp, expect<string_lit>> {};
struct alternative_decl : seq<kw_alternative, sp, expect<qualified_name>, sp, expect<string_lit>, sp, expect<kw_because>,
                              sp, expect<string_lit>, sp, expect<equals>, sp, expect<expr>> {};
struct reading_block : seq<reading_default, sp, expect<alternative_decl>, star<sp, alternative_decl>> {};
// A parameter's alternative readings: after its attributes (every dated value), or after one
// dated value's source (that value only); each alternative's body is a value of its type.
struct param_value : seq<additive, opt<sp, from_attr>, sp, expect<value_source>, star<sp, reading_block>> {};
struct param_decl : seq<kw_param, sp, expect<param_name>, sp, expect<colon>, sp, expect<type_ref>, sp, expect<label>,
                        star<sp, sor<clause_attr, reading_block, reading_attr, regional_attr>>, star<sp, param_value>> {};
struct rule_decl : seq<rule_kind, sp, expect<identifier>, sp, expect<colon>, sp, expect<type_ref>, sp, expect<label>,
                       star<sp, sor<clause_attr, reading_attr, applies_attr>>, sp, expect<equals>, sp, expect<expr>,
                       star<sp, reading_block>> {};

// `override reading A4.gt source "…"`: a variant takes another reading of its base's ambiguity.
struct reading_choice : seq<kw_reading, sp, expect<qualified_name>, opt<sp, source_attr>> {};
struct overridable : sor<param_decl, rule_decl, input_decl, reading_choice> {};
struct override_decl : seq<kw_override, sp, expect<overridable>> {};

struct constraint_decl : seq<kw_constraint, sp, expect<or_expr>, sp, expect<string_lit>, opt<sp, clause_attr>> {};
struct note_decl : seq<kw_note, sp, expect<string_lit>, sp, expect<string_lit>> {};

// NAME = VALUE in a test; ALIAS.NAME sets a used file's parameter or expects its value.
struct assignment : seq<sor<qualified_name, identifier>, sp, expect<equals>, sp, expect<additive>> {};
struct assignments : list<assignment, one<','>, ws> {};
struct given_stmt : seq<kw_given, sp, expect<assignments>> {};
struct set_stmt : seq<kw_set, sp, expect<assignments>> {};
struct at_stmt : seq<kw_at, sp, expect<date_lit>> {};
struct expect_error : seq<kw_error, sp, expect<string_lit>> {};
struct expect_stmt : seq<kw_expect, sp, expect<sor<expect_error, assignments>>> {};
// `reading A4.gt`: the test runs under that alternative reading.
struct reading_pin : seq<kw_reading, sp, expect<qualified_name>> {};
struct test_stmt : sor<given_stmt, set_stmt, at_stmt, expect_stmt, reading_pin> {};
struct test_decl : seq<kw_test, sp, expect<string_lit>, opt<sp, clause_attr>, sp, expect<one<'{'>>, star<sp, test_stmt>,
                       sp, expect<close_brace>> {};

// use "FILE" as NAME [with INPUT = EXPR, …]: another rule file's outputs as NAME.OUTPUT.
struct use_as : word<TAO_PEGTL_STRING("as")> {};
struct use_with : word<TAO_PEGTL_STRING("with")> {};
struct binding : seq<identifier, sp, expect<equals>, sp, expect<expr>> {};
struct bindings : list<binding, one<','>, ws> {};
struct use_decl : seq<kw_use, sp, expect<string_lit>, sp, expect<use_as>, sp, expect<identifier>,
                      opt<sp, use_with, sp, expect<bindings>>> {};

struct declaration : sor<policy_decl, enum_decl, input_decl, param_decl, rule_decl, override_decl, constraint_decl,
                         note_decl, test_decl, use_decl> {};

}  // namespace pol::dsl::grammar
