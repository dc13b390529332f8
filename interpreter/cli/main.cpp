// pol: the command line of ../shared/spec/CONTRACT.md. main builds the CLI11 app from the
// commands (one file each in this folder: check, eval and explain, test, batch, diff, sweep,
// fmt), runs the one given and turns usage errors into exit 2.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/messages.hpp"
#include "cli/common.hpp"
#include "cli/readings_commands.hpp"
#include "cli/usage.hpp"
#include "eval/evaluator.hpp"
#include "cli/compare_commands.hpp"
#include "cli/variant_commands.hpp"
#include "compare/compare.hpp"

namespace {

// A standard stream that is closed (`2>&-`) is held by /dev/null, so that no file opened
// later takes its number: output (fd 1) then fails with a reported error (opened for reading),
// messages (fd 2) are lost, reading standard input (fd 0) fails.
void hold_closed_std_streams() {
  for (int fd = 0; fd <= 2; ++fd)
    if (::fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
      int got = ::open("/dev/null", fd == 1 ? O_RDONLY : O_WRONLY);
      if (got >= 0 && got != fd) {
        ::dup2(got, fd);
        ::close(got);
      }
    }
}

// The exit code once standard output is flushed: never a success after output was lost.
int finish(int rc) {
  std::string error;
  if (!pol::dsl::finish_stdout(error)) {
    pol::cli::say("pol: {}\n", error);
    return pol::cli::code(pol::cli::Exit::BadInput);
  }
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pol;
  using namespace pol::cli;
  using namespace pol::interp;

  std::string lang_error;
  const bool lang_ok = choose_language(argc, argv, lang_error);
  CLI::App app{std::string(dsl::text(dsl::Msg::HelpApp))};
  app.require_subcommand(1);
  std::string lang_arg;
  localize_app(app, lang_arg);

  std::vector<Registered> commands;
  commands.push_back(add_check(app));
  commands.push_back(add_eval(app, false));
  commands.push_back(add_eval(app, true));
  commands.push_back(add_test(app));
  commands.push_back(add_batch(app));

  commands.push_back(add_diff(app));
  commands.push_back(add_sweep(app));
  commands.push_back(add_readings(app));
  commands.push_back(add_doc(app));
  commands.push_back(add_new(app));
  commands.push_back(add_compare(app));
  commands.push_back(add_fmt(app));
  commands.push_back(add_debug(app));
  commands.push_back(add_serve(app));
  localize_commands(app);

  // A closed pipe is an error to report ("cannot write standard output: Broken pipe"), not a
  // silent death by signal.
  std::signal(SIGPIPE, SIG_IGN);
  hold_closed_std_streams();
  if (!lang_ok) {
    say("pol: {}\n", lang_error);
    return code(Exit::BadInput);
  }
  if (!pol::interp::eval_path_from_env()) {
    say("pol: {}\n", dsl::text(dsl::Msg::UsageBadEvalPath));
    return code(Exit::BadInput);
  }
  int rc = code(Exit::Ok);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      rc = app.exit(e) == 0 ? code(Exit::Ok) : code(Exit::BadInput);
    } else {
      say("pol: {}\n{}\n", usage_message(e), dsl::text(dsl::Msg::UsageHint));
      rc = code(Exit::BadInput);
    }
    std::cout.flush();
    if (!std::cout) rc = code(Exit::BadInput);
    return finish(rc);
  }
  try {
    for (const auto& c : commands)
      if (*c.sub) rc = c.run();
  } catch (const UsageError& e) {
    say("pol: {}\n", e.message);
    rc = code(Exit::BadInput);
  } catch (const CompareUsageError& e) {
    say("pol: {}\n", e.message);
    rc = code(Exit::BadInput);
  } catch (const std::filesystem::filesystem_error& e) {
    say("pol: {}\n", e.what());
    return code(Exit::BadInput);
  } catch (const std::system_error& e) {  // fmt::print could not write standard output
    say("pol: {}\n", dsl::textf(dsl::Msg::CannotWriteStdout, e.code().message()));
    return code(Exit::BadInput);
  }
  return finish(rc);
}
