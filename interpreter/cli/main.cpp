// pol: the command line of ../shared/spec/CONTRACT.md. main builds the CLI11 app from the
// commands (one file each in this folder: check, eval and explain, test, batch, diff, sweep,
// fmt), runs the one given and turns usage errors into exit 2.
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/common.hpp"
#include "cli/compare_commands.hpp"
#include "compare/compare.hpp"

int main(int argc, char** argv) {
  using namespace pol;
  using namespace pol::cli;
  using namespace pol::interp;

  CLI::App app{"pol: policy rules as data, decisions explained"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "pol 0.1.0");

  std::vector<Registered> commands;
  commands.push_back(add_check(app));
  commands.push_back(add_eval(app, false));
  commands.push_back(add_eval(app, true));
  commands.push_back(add_test(app));
  commands.push_back(add_batch(app));

  commands.push_back(add_diff(app));
  commands.push_back(add_sweep(app));
  commands.push_back(add_fmt(app));
  commands.push_back(add_debug(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : code(Exit::BadInput);
  }

  try {
    for (const auto& c : commands)
      if (*c.sub) return c.run();
  } catch (const UsageError& e) {
    fmt::print(stderr, "pol: {}\n", e.message);
    return code(Exit::BadInput);
  } catch (const CompareUsageError& e) {
    fmt::print(stderr, "pol: {}\n", e.message);
    return code(Exit::BadInput);
  }
  return code(Exit::Ok);
}
