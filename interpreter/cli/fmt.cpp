// pol fmt: rewrite rule files in the canonical layout, or only report those not in it.
#include <cstdio>
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/messages.hpp"
#include "cli/common.hpp"
#include "syntax/format.hpp"
#include "syntax/parser.hpp"

namespace pol::cli {

namespace {

int cmd_fmt(const std::vector<std::string>& files, bool check) {
  int status = code(Exit::Ok);
  for (const auto& f : files) {
    std::string err;
    auto src = dsl::load_source(f, err);
    if (!src) {
      say("pol: {}\n", err);
      status = code(Exit::BadInput);
      continue;
    }
    auto pr = dsl::parse(src);
    if (dsl::has_errors(pr.diagnostics)) {
      for (const auto& d : pr.diagnostics) dsl::print_stderr(dsl::render(d));
      status = code(Exit::RuleErrors);
      continue;
    }
    std::string out = dsl::format_module(pr.module);
    if (out == src->text()) continue;
    if (check) {
      say("{}\n", dsl::textf(dsl::Msg::NotCanonical, f, f));
      status = code(Exit::RuleErrors);
      continue;
    }
    // Into a temporary file renamed over the rule file: an interrupted run leaves it whole.
    dsl::OutputFile o;
    std::string werr;
    if (!o.open(f, {}, werr) || (o.write(out), !o.commit(werr))) {
      say("pol: {}\n", werr);
      status = code(Exit::BadInput);
    }
  }
  return status;
}

}  // namespace

Registered add_fmt(CLI::App& app) {
  return add_files_command(app, "fmt", cli::help(dsl::Msg::HelpFmt), "--check",
                           cli::help(dsl::Msg::HelpFmtCheck), cmd_fmt);
}

}  // namespace pol::cli
