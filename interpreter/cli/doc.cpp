// pol doc POLICY [--format markdown|html] [--out FILE]: the rule file beside its source text,
// clause by clause (interpreter/doc/).
#include <memory>

#include <CLI/CLI.hpp>

#include "cli/readings_commands.hpp"
#include "compare/compare.hpp"
#include "doc/doc.hpp"

namespace pol::cli {

using namespace pol::interp;

namespace {

struct DocArgs {
  std::string policy, format = "markdown", out;
};

int cmd_doc(const DocArgs& a) {
  auto policy = load_policy(a.policy);
  if (!policy) return code(Exit::RuleErrors);
  PolicyDoc doc;
  std::string error;
  if (!build_doc(*policy, doc, error)) throw UsageError{error};
  std::string page = render_doc(doc, a.format);
  std::vector<std::string> inputs;
  for (const auto& f : policy->files) inputs.push_back(f->name());
  dsl::OutputFile file;
  if (!file.open(a.out.empty() ? "-" : a.out, inputs, error)) throw UsageError{error};
  file.write(page);
  if (!file.commit(error)) throw UsageError{error};
  return code(Exit::Ok);
}

}  // namespace

Registered add_doc(CLI::App& app) {
  auto a = std::make_shared<DocArgs>();
  auto* cmd = app.add_subcommand("doc", help(dsl::Msg::HelpDoc));
  cmd->add_option("POLICY", a->policy, help(dsl::Msg::HelpFiles))->required();
  cmd->add_option("--format", a->format, help(dsl::Msg::HelpDocFormat))->check(CLI::IsMember({"markdown", "html"}));
  non_empty(cmd->add_option("--out", a->out, help(dsl::Msg::HelpDocOut)));
  return {cmd, [a] { return cmd_doc(*a); }};
}

}  // namespace pol::cli
