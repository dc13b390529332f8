#pragma once
// Explanations: the derivation of each output, built from the Trace of the evaluation that
// produced the values (never a second evaluation), then rendered as text, JSON, Markdown or
// HTML. build_explanation() (build.cpp) makes a format-free tree; each render_* (one file per
// format, render_*.cpp) is a pure function of that tree.
//
// A definition's node shows its value, label, clause and reading, its formula as written and
// the same formula with the values substituted; a condition chain shows every branch tried,
// the failed conditions with the numbers on both sides and the branch taken; below come the
// inputs (marked when they took their default), parameters (with source, the date their value
// took effect, and a placeholder mark) and definitions it used, each definition expanded once
// in the whole explanation and referred to as "见上" after.
//
// For the reader, a condition that decided a branch (and a yes/no definition) is also taken
// apart: every operand that the lazy evaluation skipped is evaluated for the explanation only
// (Evaluator::evaluate_node_traced; an operand that fails, such as one needing a missing
// input, is "not needed"), and each part is a sentence with both numbers, the labels and the
// gap. A figure carries its arithmetic with units ("22779.00 元 = 5 年 × 4555.80 元"). Before
// the derivation come the case facts, the outputs (⚠ when they depend, through the dependency
// graph, on a placeholder parameter) and the placeholders; after it, the provenance.
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "eval/evaluator.hpp"
#include "explain/print.hpp"
#include "report/provenance.hpp"
#include "search/search.hpp"

namespace pol::interp {

// One part of a condition, in words: "累计缴费年限 22 年，未达到退休时应达到的累计缴费年限
// 25 年（差 3 年）".
struct ConditionPart {
  enum class State { Holds, Fails, NotNeeded };
  std::string text;
  State state = State::Holds;
  bool for_explanation_only = false;  // evaluated for the explanation: the outcome did not read it
};

// A reading of an ambiguity (checked::Reading) at a rule that has alternatives: the one in
// force; at an output, each other alternative of the readings it depends on and what the
// output would be under it for this case (the case evaluated again under that reading).
struct ReadingNote {
  std::string id, name, label;
  bool own = true;           // the file's own reading
  bool changes = false;      // another reading: the output's value differs
  std::string value_text;    // another reading: the output's value under it (or the error)
};

struct ExplainNode {
  enum class Kind { Output, Let, Input, Param, Branch };
  Kind kind = Kind::Output;
  std::string name, label, clause, reading;
  dsl::Type type;
  Value value;
  bool has_value = true;
  std::string formula;      // as written
  std::string substituted;  // with values
  // Input: took its default. Param: placeholder. Branch: the condition held.
  bool flag = false;
  bool taken = false;       // Branch: this branch gave the value
  bool seen_above = false;  // a definition already expanded earlier in this tree
  std::string source;       // Param: source text; Branch: its clause
  std::optional<int> from;  // Param: the date its value took effect
  bool set_by_user = false; // Param: --set
  std::string result;       // Branch: the result expression
  std::vector<ExplainNode> children;
  // For the reader (see the top of this file).
  std::vector<ConditionPart> parts;  // Branch: its condition; a yes/no definition: its body
  std::string condition_values;      // Branch: the condition with values, in words ("22 ≥ 25 且 10 ≥ 15")
  std::string arithmetic;            // a figure: "22779.00 元 = 5 年 × 4555.80 元"
  std::string written;               // Param: its value as the rule file writes it, when a fraction ("2/3")
  bool for_explanation_only = false; // its value comes from the explanation's own evaluation
  bool placeholder_dependent = false;// Output: depends on a placeholder parameter in force
  bool reading_repeated = false;     // its reading was printed earlier on the page
  int steps_cut = 0;                 // --depth: the steps below it that are not shown
  // Not applicable to the case: the failing parts of the rule's `applies when` condition
  // (empty when it applies). Its value is still computed and shown in json.
  std::vector<ConditionPart> outside;
  std::vector<ReadingNote> readings_in_force;  // a rule with alternative readings
  std::vector<ReadingNote> other_readings;     // an output: the alternatives it depends on
};

// A fact of the case: an input given, or one that took its default and was used.
struct CaseFact {
  std::string name, label, text;
  dsl::Type type;
  Value value;
  bool defaulted = false;
};

// A parameter in force whose value is a placeholder, and the outputs shown that depend on it.
struct Unconfirmed {
  std::string name, label, text, source;
  std::vector<std::string> outputs;  // their labels
  std::vector<std::string> output_names;
};

struct Explanation {
  std::string policy_name, policy_title;
  std::optional<int> as_of;
  std::string date_note;  // how the decision date was chosen
  std::string case_id;
  std::vector<ExplainNode> outputs;
  std::optional<EvalError> error;
  std::vector<CaseFact> facts;
  std::vector<Unconfirmed> unconfirmed;
  std::optional<Provenance> provenance;  // set by add_provenance()
  std::optional<WhyNotSearch> why_not;   // --why-not: a section after the derivation
};

// How a page is written. The defaults are the page for an analyst; derivation_only() is the
// derivation alone (no summary, no provenance), as pol diff --explain-case sets two side by side.
struct ExplainOptions {
  bool names = false;  // the identifiers beside the labels, and the formulas as written
  bool summary = true;
  bool provenance = true;
  [[nodiscard]] static ExplainOptions derivation_only() { return {false, false, false}; }
};

[[nodiscard]] Explanation build_explanation(const Program& program, const Case& c, const Outcome& outcome,
                                            const Trace& trace, std::string date_note);
// Which pol and rule files produced the page, generated at `generated` (seconds since 1970, UTC).
void add_provenance(Explanation& e, const checked::Policy& p, std::time_t generated);
// --depth N: under each output, N levels of steps; what lies deeper is counted in steps_cut.
void cut_depth(Explanation& e, int depth);

[[nodiscard]] std::string render_text(const checked::Policy& p, const Explanation& e, const ExplainOptions& o);
[[nodiscard]] std::string render_json(const checked::Policy& p, const Explanation& e, const ExplainOptions& o);
[[nodiscard]] std::string render_markdown(const checked::Policy& p, const Explanation& e, const ExplainOptions& o);
[[nodiscard]] std::string render_html(const checked::Policy& p, const Explanation& e, const ExplainOptions& o);
// The derivation alone (ExplainOptions::derivation_only()).
[[nodiscard]] std::string render_text(const checked::Policy& p, const Explanation& e);
[[nodiscard]] std::string render_json(const checked::Policy& p, const Explanation& e);
[[nodiscard]] std::string render_markdown(const checked::Policy& p, const Explanation& e);
[[nodiscard]] std::string render_html(const checked::Policy& p, const Explanation& e);

}  // namespace pol::interp
