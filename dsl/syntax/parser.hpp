#pragma once
// parse(SourceFile) -> ParseResult: the syntax tree of one file and its syntax diagnostics.
// The parser reads one declaration at a time; after a syntax error it skips to the next line
// that opens a declaration, so one run reports the errors of every declaration.
#include <memory>
#include <optional>
#include <vector>

#include "syntax/ast.hpp"
#include "base/diagnostic.hpp"

namespace pol::dsl {

// Limits on what a rule file may hold (docs/limits.md); each is a clear error.
inline constexpr std::size_t kMaxFileBytes = kMaxRuleFileBytes;
inline constexpr std::size_t kMaxNameLength = 64;
inline constexpr std::size_t kMaxStringLength = 4096;
inline constexpr int kMaxNesting = 64;
// Significant digits of a number literal, before and after the point together: what an exact
// decimal always holds.
inline constexpr std::size_t kMaxNumberDigits = 18;
// Operands in one chain of the same precedence (a + b + … or a and b and …), and the depth of
// an expression's tree, each operator of a chain counting one level: the checker, evaluator
// and formatter walk expressions recursively, so both stay far from the stack's end.
inline constexpr std::size_t kMaxChainOperands = 256;
inline constexpr std::size_t kMaxExprDepth = 512;

struct ParseResult {
  ast::Module module;  // holds every declaration that parsed
  std::vector<Diagnostic> diagnostics;
};

[[nodiscard]] ParseResult parse(std::shared_ptr<const SourceFile> file);

}  // namespace pol::dsl
