// pol eval and pol explain: one case through one policy; explain adds the derivation.
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/calendar.hpp"
#include "check/checker.hpp"
#include "base/messages.hpp"
#include "cli/common.hpp"
#include "compare/compare.hpp"
#include "explain/explain.hpp"
#include "report/json_out.hpp"

namespace pol::cli {

using namespace pol::interp;

namespace {

struct EvalArgs {
  std::string policy, case_path, format, at;
  std::vector<std::string> sets, outputs, readings;
  bool names = false;  // explain: identifiers beside the labels
  int depth = 0;       // explain: levels of steps under each output (0: all)
  std::string why_not;             // explain: OUTPUT[=VALUE]
  std::vector<std::string> fixes;  // explain: inputs --why-not holds fixed
};

// The time a page says it was generated (report/provenance.hpp).
std::time_t generated_at() {
  std::string error;
  auto t = interp::generated_at(error);
  if (!t) throw UsageError{error};
  return *t;
}

// --why-not OUTPUT[=VALUE] and --fix NAME...: the search for the changes that give OUTPUT
// another value (or VALUE).
WhyNotSearch run_why_not(const EvalArgs& a, const Program& prog, const Case& c) {
  const auto& p = prog.policy();
  auto eq = a.why_not.find('=');
  std::optional<std::string> value;
  if (eq != std::string::npos) value = a.why_not.substr(eq + 1);
  std::string error, bad_fix;
  auto q = why_not_question(p, a.why_not.substr(0, eq), value, a.fixes, error, bad_fix);
  if (!q) throw UsageError{dsl::textf(dsl::Msg::OptionFailed, bad_fix.empty() ? "--why-not" : "--fix",
                                      bad_fix.empty() ? a.why_not : bad_fix, error)};
  const auto& ru = p.rules[q->output];
  WhyNotSearch w = why_not(prog, c, q->output, q->target, q->fixed);
  if (w.error) throw UsageError{dsl::textf(dsl::Msg::WhyNotCaseError, a.why_not, case_name(a.case_path), w.error->message)};
  if (q->target && compare(*q->target, w.current) == 0)
    throw UsageError{dsl::textf(dsl::Msg::WhyNotAlready, a.why_not, ru.name, ru.label,
                                 text_value(p, ru.type, w.current))};
  return w;
}

std::string default_format() { return isatty(fileno(stdout)) ? "text" : "json"; }

void print_json(const checked::Policy& p, std::optional<int> date, const Outcome& out) {
  std::string s;
  append_eval_result_json(s, p, date, out);
  s += "\n";
  std::fputs(s.c_str(), stdout);
}

void print_text(const checked::Policy& p, std::optional<int> date, const std::string& note, const Outcome& out) {
  fmt::print("{}（{}）\n", p.header.title, p.header.name);
  fmt::print("{}\n\n", date ? dsl::textf(dsl::Msg::DecisionDate, format_date(*date), note)
                            : std::string(dsl::text(dsl::Msg::NoDecisionDate)));
  std::size_t wn = 0, wl = 0;
  for (auto [r, v] : out.outputs) {
    wn = std::max<std::size_t>(wn, p.rules[r].name.size());
    wl = std::max<std::size_t>(wl, dsl::text_width(p.rules[r].label));
  }
  for (auto [r, v] : out.outputs) {
    const auto& ru = p.rules[r];
    std::string pad(wl - dsl::text_width(ru.label), ' ');
    fmt::print("{:<{}}  {}{}  {}\n", ru.name, wn, ru.label, pad, text_value(p, ru.type, v));
  }
}

// The file an evaluation error is about: a parameter without a value on a date an as_of of the
// rules asks for is the rule file's gap, not the case's; anything else is about the case.
std::string at_fault(const EvalArgs& a, const EvalError& e) {
  return e.kind == EvalErrorKind::NoParamValue && e.context > 0 ? a.policy : case_name(a.case_path);
}

int cmd_eval(const EvalArgs& a, bool explain) {
  auto policy = load_policy(a.policy);
  if (!policy) return code(Exit::RuleErrors);
  const auto& p = *policy;
  auto sets = parse_sets(p, a.sets);
  for (const auto& r : parse_readings(p, a.readings)) sets.push_back(r);
  auto outputs = parse_outputs(p, a.outputs);
  auto at = parse_at_date(a.at);
  if (!a.fixes.empty() && a.why_not.empty()) throw UsageError{std::string(dsl::text(dsl::Msg::FixNeedsWhyNot))};
  CaseSchema schema(p);
  Case c = load_case(schema, a.case_path);
  std::optional<int> date = c.as_of ? c.as_of : at;
  std::string note(dsl::text(c.as_of ? dsl::Msg::DateFromCase : dsl::Msg::DateFromAt));
  Program prog(p, date, sets);
  Evaluator ev(prog);
  if (auto bad = ev.validate(c)) throw UsageError{fmt::format("{}: {}", case_name(a.case_path), bad->message)};
  Outcome out;
  std::string format = a.format.empty() ? default_format() : a.format;
  if (explain) {
    Trace trace;
    ev.evaluate_traced(c, outputs, out, trace);
    if (out.error) throw UsageError{fmt::format("{}: {}", at_fault(a, *out.error), out.error->message)};
    Explanation e = build_explanation(prog, c, out, trace, note);
    add_provenance(e, p, generated_at());
    if (!a.why_not.empty()) e.why_not = run_why_not(a, prog, c);
    cut_depth(e, a.depth);
    ExplainOptions o;
    o.names = a.names;
    std::string s = format == "json" ? render_json(p, e, o)
                  : format == "markdown" ? render_markdown(p, e, o)
                  : format == "html" ? render_html(p, e, o)
                                     : render_text(p, e, o);
    std::fputs(s.c_str(), stdout);
    return code(Exit::Ok);
  }
  ev.evaluate(c, outputs, out);
  if (out.error) throw UsageError{fmt::format("{}: {}", at_fault(a, *out.error), out.error->message)};
  if (format == "json") print_json(p, date, out);
  else print_text(p, date, note, out);
  return code(Exit::Ok);
}

}  // namespace

Registered add_eval(CLI::App& app, bool explain) {
  auto a = std::make_shared<EvalArgs>();
  auto* cmd = explain ? app.add_subcommand("explain", cli::help(dsl::Msg::HelpExplain))
                      : app.add_subcommand("eval", cli::help(dsl::Msg::HelpEval));
  cmd->add_option("POLICY", a->policy, cli::help(dsl::Msg::HelpPolicy))->required();
  cmd->add_option("CASE", a->case_path, cli::help(dsl::Msg::HelpCaseFile))->required();
  cmd->add_option("--format", a->format, explain ? cli::help(dsl::Msg::HelpReportFormat) : cli::help(dsl::Msg::HelpEvalFormat))
      ->check(explain ? CLI::IsMember({"text", "json", "markdown", "html"}) : CLI::IsMember({"text", "json"}));
  non_empty(cmd->add_option("--at", a->at, cli::help(dsl::Msg::HelpAt)));
  cmd->add_option("--set", a->sets, cli::help(dsl::Msg::HelpSet))->take_all();
  cmd->add_option("--output", a->outputs, cli::help(dsl::Msg::HelpOutputNeeds))->take_all();
  add_reading_option(cmd, a->readings);
  if (explain) {
    cmd->add_flag("--names", a->names, cli::help(dsl::Msg::HelpNames));
    cmd->add_option("--depth", a->depth, cli::help(dsl::Msg::HelpDepth))
        ->check(CLI::Range(1, 1000000));
    non_empty(cmd->add_option("--why-not", a->why_not,
                              cli::help(dsl::Msg::HelpWhyNot)));
    cmd->add_option("--fix", a->fixes, cli::help(dsl::Msg::HelpFix))->take_all();
  }
  return {cmd, [a, explain] { return cmd_eval(*a, explain); }};
}

}  // namespace pol::cli
