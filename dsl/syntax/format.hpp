#pragma once
// `pol fmt`: prints a syntax tree in the one canonical layout. Comments are kept: each is
// printed before the declaration, parameter value or branch that follows it. The layout is a
// fixed point: formatting formatted text changes nothing.
#include <string>

#include "syntax/ast.hpp"

namespace pol::dsl {

[[nodiscard]] std::string format_module(const ast::Module& m);
[[nodiscard]] std::string format_expr(const ast::Expr& e);

}  // namespace pol::dsl
