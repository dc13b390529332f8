#pragma once
// The words a user reads, one table per language. Output is Chinese today (Lang::Zh); every
// caller names a message by its id and the table gives the text. Entries with {} are fmt
// formats (textf, or fmt::vformat with text()). Diagnostics of the checker and the evaluator
// keep their own wording (docs/diagnostics.md).
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace pol::dsl {

enum class Lang { Zh, En };

enum class Msg {
  // Values
  Yes,
  No,
  // Units after a number
  UnitYuan,
  UnitDays,
  UnitMonths,
  UnitYears,
  // Punctuation of running text
  Colon,
  ListSep,
  Semicolon,
  Comma,
  Parenthesized,
  Clause,
  // Explanations
  NotEvaluated,
  SeeAbove,
  InputTag,
  InputDefaulted,
  ParamTag,
  SetForRun,
  InForceSince,
  AlwaysInForce,
  Placeholder,
  Source,
  DatedParams,
  Otherwise,
  Condition,
  Holds,
  HoldsTaking,
  Fails,
  Substituted,
  Reading,
  Formula,
  Error,
  DecisionDate,
  NoDecisionDate,
  DateFromCase,
  DateFromAt,
  CaseId,
  HeadOutput,
  HeadMeaning,
  HeadResult,
  HeadClause,
  Derivation,
  // Declarations compared (pol diff)
  InForceThroughout,
  NoValueOn,
  DefaultIs,
  NoDefault,
  MinIs,
  MaxIs,
  KindParam,
  KindInput,
  KindRule,
  KindOutput,
  KindEnum,
  Added,
  Removed,
  Changed,
  OnlyInA,
  OnlyInB,
  KindOf,
  HeaderLine,
  BasedOn,
  NoDifferences,
  MayAffect,
  CountedNames,
  HeadChange,
  HeadKind,
  HeadName,
  ComparesAt,
  ComparesAll,
  Unrelated,
  DeclDiffs,
  // Outcomes over cases (pol diff --cases)
  ErrorAtLine,
  OnCases,
  CasesSummary,
  ListedFirst,
  Transition,
  OutputChangedCount,
  DeltaStats,
  HeadChangedCases,
  HeadDeltaMin,
  HeadMedian,
  HeadMax,
  HeadTotal,
  HeadTransitions,
  ChangedCases,
  NoChangedCases,
  ChangedCasesListed,
  OutputValueChange,
  LineCase,
  ChartChangedCases,
  ChartDistribution,
  ChartDistributionTitle,
  // One case under both files (pol diff --explain-case)
  PartsFrom,
  PartsSame,
  SameUnderBoth,
  DifferingOutputs,
  CaseIdNote,
  ExplainCaseTitle,
  ExplainCaseHead,
  // The disagreement finder (pol diff --find-disagreement)
  DatesAt,
  DatesLatest,
  ValueChange,
  FindTitle,
  FindNone,
  FindTried,
  NamedValues,
  FindFound,
  FindListedFirst,
  SmallestCase,
  OtherCases,
  CaseAndDiffs,
  // Sweeps (pol sweep)
  SweepTitle,
  // Cases only one file, or neither, can evaluate (pol diff --find-disagreement)
  OneSidedFound,
  OneSidedHead,
  OneSidedItem,
  FailedBoth,
  InvalidBoth,
  Count_
};

[[nodiscard]] std::string_view text(Msg m, Lang lang = Lang::Zh);

// A message with its {} filled in, in Chinese.
template <class... Args>
[[nodiscard]] std::string textf(Msg m, const Args&... args) {
  auto s = text(m);
  return fmt::vformat(fmt::string_view(s.data(), s.size()), fmt::make_format_args(args...));
}

}  // namespace pol::dsl
