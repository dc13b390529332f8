#pragma once
// The command line in the language of the run: choosing the language (--lang, POL_LANG, the
// locale), CLI11's help labels and groups, and CLI11's parse errors in our own words.
#include <string>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace pol::cli {

// Sets the language from --lang in argv (read before CLI11 parses, so that --help and the
// parse errors speak it), else POL_LANG, else the locale. False, with `error` set, when
// --lang or POL_LANG names no language.
[[nodiscard]] bool choose_language(int argc, char** argv, std::string& error);
// Before any subcommand is added: the help flag, the labels and the option group; --lang on
// every command (it falls through from each subcommand to `app`).
void localize_app(CLI::App& app, std::string& lang);
// After the subcommands are added: their group heading.
void localize_commands(CLI::App& app);
// A parse error as one sentence in the current language (without "pol: ").
[[nodiscard]] std::string usage_message(const CLI::ParseError& e);

}  // namespace pol::cli
