// `pol new BASE --name NAME --title TITLE [--out FILE]`: a regional-variant skeleton for BASE
// (variant/skeleton.cpp), on standard output or in FILE, never over an existing file.
#include <filesystem>
#include <memory>

#include "base/files.hpp"
#include "base/messages.hpp"
#include "cli/variant_commands.hpp"
#include "compare/compare.hpp"
#include "variant/skeleton.hpp"

namespace pol::cli {

namespace {

namespace fs = std::filesystem;

struct NewArgs {
  std::string base, name, title, out;
};

// The base's path as the new file's `extends` line must give it: relative to the folder the
// file is written in (the current folder for standard output).
std::string extends_path(const std::string& base, const std::string& out) {
  std::error_code ec;
  fs::path from = out.empty() || out == "-" ? fs::current_path(ec) : fs::absolute(out, ec).parent_path();
  fs::path rel = fs::absolute(base, ec).lexically_normal().lexically_relative(from.lexically_normal());
  return ec || rel.empty() ? base : rel.generic_string();
}

int run_new(const NewArgs& a) {
  if (!interp::is_policy_name(a.name))
    throw UsageError{dsl::textf(dsl::Msg::CliNewBadName,
                                 a.name)};
  if (a.title.empty()) throw UsageError{dsl::textf(dsl::Msg::CliNewNoTitle)};
  auto base = interp::load_policy(a.base);
  if (!base) return code(Exit::RuleErrors);
  const bool to_file = !a.out.empty() && a.out != "-";
  std::error_code ec;
  if (to_file && fs::symlink_status(a.out, ec).type() != fs::file_type::not_found)
    throw UsageError{dsl::textf(dsl::Msg::CliNewExists, a.out)};
  auto sk = interp::write_skeleton(*base, {a.name, a.title, extends_path(a.base, a.out)});
  dsl::OutputFile file;
  std::string error;
  if (!file.open(to_file ? a.out : "-", {a.base}, error)) throw UsageError{error};
  file.write(sk.text);
  if (!file.commit(error)) throw UsageError{error};
  if (to_file) say("{}", dsl::textf(dsl::Msg::NewWritten, a.out, sk.regional, sk.others, sk.tests));
  return code(Exit::Ok);
}

}  // namespace

Registered add_new(CLI::App& app) {
  auto a = std::make_shared<NewArgs>();
  auto* cmd = app.add_subcommand("new", cli::help(dsl::Msg::HelpNew));
  cmd->add_option("BASE", a->base, cli::help(dsl::Msg::HelpNewBase))->required();
  non_empty(cmd->add_option("--name", a->name, cli::help(dsl::Msg::HelpNewName)))->required();
  cmd->add_option("--title", a->title, cli::help(dsl::Msg::HelpNewTitle))->required();
  non_empty(cmd->add_option("--out", a->out, cli::help(dsl::Msg::HelpNewOut)));
  return {cmd, [a] { return run_new(*a); }};
}

}  // namespace pol::cli
