#pragma once
// Diagnostics are data: every user mistake in a rule file becomes a Diagnostic with a stable
// code, a range in one SourceFile and a message saying what was expected and what was found.
// Bugs are asserts, never diagnostics.
//
// Codes are explicit numbers that never change meaning (E01xx syntax, E02xx names,
// E03xx types and units, E04xx structure, W05xx warnings). docs/diagnostics.md lists them.
#include <memory>
#include <string>
#include <vector>

#include "base/source.hpp"

namespace pol::dsl {

enum class Severity { Error, Warning, Note };

enum class DiagCode : int {
  // syntax
  SyntaxError = 101,
  InvalidUtf8 = 102,
  LimitExceeded = 103,
  BadLiteral = 104,
  // names
  UnknownName = 201,
  DuplicateDefinition = 202,
  OverrideWithoutBase = 203,
  RedefinitionWithoutOverride = 204,
  UnknownEnumValue = 205,
  BaseFileError = 206,
  // types and units
  TypeMismatch = 301,
  UnitMismatch = 302,
  NotABoolean = 303,
  BadCall = 304,
  OverrideTypeChanged = 305,
  // structure
  Cycle = 401,
  NonExhaustiveMatch = 402,
  DuplicateBranch = 403,
  BadParamValues = 404,
  BadTest = 405,
  MissingHeader = 406,
  // warnings
  UnusedInput = 501,
  UnusedParam = 502,
  Placeholder = 503,
  OverrideGap = 504,
  RegionalUnset = 505,
  VariantWithoutTests = 506,
  QuoteNotInText = 507,
};

struct Note {
  std::shared_ptr<const SourceFile> file;  // may be null: a note without a place
  SourceRange range;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  DiagCode code = DiagCode::SyntaxError;
  std::shared_ptr<const SourceFile> file;
  SourceRange range;
  std::string message;
  std::vector<Note> notes;
};

// "file:line:col: error[E0203]: message" followed by the source line and a caret line.
[[nodiscard]] std::string render(const Diagnostic& d);
[[nodiscard]] std::string code_name(DiagCode c);  // "E0203" / "W0501"
// Sorts by file, offset, severity, so output is stable.
void sort_diagnostics(std::vector<Diagnostic>& ds);
[[nodiscard]] bool has_errors(const std::vector<Diagnostic>& ds);

}  // namespace pol::dsl
