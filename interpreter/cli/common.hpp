#pragma once
// What the command files of `pol` share: exit codes, usage errors, and reading the options
// every command that evaluates takes (--at, --set, --output, a case file).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/files.hpp"
#include "base/messages.hpp"
#include "cases/case.hpp"
#include "checked/checked.hpp"
#include "eval/evaluator.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace pol::cli {

// The exit codes of ../shared/spec/CONTRACT.md.
enum class Exit : int { Ok = 0, RuleErrors = 1, BadInput = 2 };
[[nodiscard]] inline int code(Exit e) { return static_cast<int>(e); }

// Bad usage or bad input: main prints "pol: MESSAGE" and exits 2.
struct UsageError {
  std::string message;
};

[[nodiscard]] std::vector<interp::ParamSetting> parse_sets(const checked::Policy& p, const std::vector<std::string>& sets);
// --reading ID=ALT (repeatable): the alternative ALT of ambiguity ID, as the setting of the
// ambiguity's parameter (checked::Reading); an unknown ID or ALT is a UsageError with a
// did-you-mean.
[[nodiscard]] std::vector<interp::ParamSetting> parse_readings(const checked::Policy& p,
                                                               const std::vector<std::string>& readings,
                                                               std::string_view option = "--reading");
// The same for several policies at once (pol diff, pol sweep): each reading applies to the
// files that have its ambiguity; one that no file has, or an alternative a file's ambiguity
// does not have, is a UsageError.
[[nodiscard]] std::vector<std::vector<interp::ParamSetting>> parse_readings_for_each(
    const std::vector<const checked::Policy*>& policies, const std::vector<std::string>& readings);
// Registers --reading on a command.
CLI::Option* add_reading_option(CLI::App* cmd, std::vector<std::string>& readings);
[[nodiscard]] std::vector<std::uint32_t> parse_outputs(const checked::Policy& p, const std::vector<std::string>& names);
// How a case file is named in messages: standard input has no path.
[[nodiscard]] std::string case_name(const std::string& path);
// Loads one case from a JSON file (or - for standard input); a problem is a UsageError
// naming the field.
[[nodiscard]] interp::Case load_case(const interp::CaseSchema& schema, const std::string& path);

// Each command registers its subcommand and options on `app` and returns the function that
// runs it once the command line is parsed.
using Command = std::function<int()>;
// A message to standard error, formatted; never throws (a closed or full standard error loses
// the message, and only the message: base/files.hpp print_stderr).
template <class... A>
void say(fmt::format_string<A...> f, A&&... args) {
  dsl::print_stderr(fmt::format(f, std::forward<A>(args)...));
}

// A --help text from the message table.
[[nodiscard]] inline std::string help(dsl::Msg m) { return std::string(dsl::text(m)); }

// An option whose empty value is refused (`--at ''`: leaving the option out is giving none).
CLI::Option* non_empty(CLI::Option* option);

struct Registered {
  CLI::App* sub;
  Command run;
};
// A command over rule files with one flag (test --coverage, fmt --check).
Registered add_files_command(CLI::App& app, const char* name, const std::string& about, const char* flag,
                             const std::string& flag_about, int (*run)(const std::vector<std::string>& files, bool flag));
Registered add_check(CLI::App& app);
Registered add_eval(CLI::App& app, bool explain);
Registered add_test(CLI::App& app);
Registered add_batch(CLI::App& app);
Registered add_fmt(CLI::App& app);
// pol debug code POLICY: the compiled code (hidden: for those who work on pol itself).
Registered add_debug(CLI::App& app);
// pol serve [DIR]: the HTTP API.
Registered add_serve(CLI::App& app);

}  // namespace pol::cli
