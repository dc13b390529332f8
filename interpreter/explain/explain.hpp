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
#include <optional>
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "eval/evaluator.hpp"
#include "explain/print.hpp"

namespace pol::interp {

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
};

struct Explanation {
  std::string policy_name, policy_title;
  std::optional<int> as_of;
  std::string date_note;  // how the decision date was chosen
  std::string case_id;
  std::vector<ExplainNode> outputs;
  std::optional<EvalError> error;
};

[[nodiscard]] Explanation build_explanation(const Program& program, const Case& c, const Outcome& outcome,
                                            const Trace& trace, std::string date_note);

[[nodiscard]] std::string render_text(const checked::Policy& p, const Explanation& e);
[[nodiscard]] std::string render_json(const checked::Policy& p, const Explanation& e);
[[nodiscard]] std::string render_markdown(const checked::Policy& p, const Explanation& e);
[[nodiscard]] std::string render_html(const checked::Policy& p, const Explanation& e);

}  // namespace pol::interp
