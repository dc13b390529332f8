// `pol compare FILE... [--at DATE] [--case C]... [--cases F]`: several rule files side by side
// (compare/multi.cpp), the first the base.
#include <memory>

#include "base/files.hpp"
#include "cli/variant_commands.hpp"
#include "compare/multi.hpp"
#include "program/program.hpp"

namespace pol::cli {

namespace {

int run_compare(const interp::CompareArgs& a, const std::vector<std::string>& readings) {
  if (a.files.size() < 2) throw UsageError{std::string(dsl::text(dsl::Msg::CompareNeedsTwoFiles))};
  std::vector<std::optional<checked::Policy>> loaded;
  bool bad = false;
  for (const auto& f : a.files) {
    loaded.push_back(interp::load_policy(f));
    bad = bad || !loaded.back();
  }
  if (bad) return code(Exit::RuleErrors);
  std::vector<const checked::Policy*> ps;
  for (const auto& p : loaded) ps.push_back(&*p);
  // --reading: each file that has the ambiguity is compared under that reading.
  auto taken = cli::parse_readings_for_each(ps, readings);
  for (std::size_t i = 0; i < loaded.size(); ++i) interp::take_readings(*loaded[i], taken[i]);
  // Each case as every file reads it; a case no file can read is bad input.
  std::vector<std::vector<std::optional<interp::Case>>> cases;
  std::vector<std::vector<std::string>> errors;
  for (const auto& path : a.case_paths) {
    cases.emplace_back();
    errors.emplace_back();
    bool any = false;
    for (const auto* p : ps) {
      interp::CaseSchema schema(*p);
      try {
        cases.back().push_back(load_case(schema, path));
        errors.back().emplace_back();
        any = true;
      } catch (const UsageError& e) {
        if (path == "-") throw;
        cases.back().emplace_back();
        errors.back().push_back(e.message);
      }
    }
    if (!any) throw UsageError{errors.back().front()};
  }
  auto c = interp::compare_files(ps, a, cases, errors);
  if (!a.cases.empty()) c.population = interp::compare_population(c, a.cases);
  std::string error;
  auto generated = interp::generated_at(error);
  if (!generated) throw UsageError{error};
  std::string out = interp::render_comparison(c, a.format.empty() ? "text" : a.format, interp::make_provenance(ps, *generated));
  dsl::OutputFile stdout_file;
  if (!stdout_file.open("-", {}, error)) throw UsageError{error};
  stdout_file.write(out);
  if (!stdout_file.commit(error)) throw UsageError{error};
  return code(Exit::Ok);
}

}  // namespace

Registered add_compare(CLI::App& app) {
  auto a = std::make_shared<interp::CompareArgs>();
  auto readings = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("compare", cli::help(dsl::Msg::HelpCompare));
  cmd->add_option("FILE", a->files, cli::help(dsl::Msg::HelpCompareFiles))->required();
  non_empty(cmd->add_option("--at", a->at, cli::help(dsl::Msg::HelpCompareAt)));
  cmd->add_option("--case", a->case_paths, cli::help(dsl::Msg::HelpCompareCase))->allow_extra_args(false);
  cmd->add_option("--cases", a->cases, cli::help(dsl::Msg::HelpCompareCases));
  cmd->add_option("--format", a->format, cli::help(dsl::Msg::HelpCompareFormat))
      ->check(CLI::IsMember({"text", "markdown", "html", "json", "csv"}));
  cmd->add_option("--output", a->outputs, cli::help(dsl::Msg::HelpOutputCompare))->take_all();
  non_empty(cmd->add_option("--chart", a->chart, cli::help(dsl::Msg::HelpCompareChart)));
  cli::add_reading_option(cmd, *readings);
  return {cmd, [a, readings] { return run_compare(*a, *readings); }};
}

}  // namespace pol::cli
