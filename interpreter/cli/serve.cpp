// pol serve [DIR]: the HTTP API over the rule files of DIR (interpreter/serve/).
#include <cstdio>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/files.hpp"
#include "base/messages.hpp"
#include "cli/common.hpp"
#include "report/provenance.hpp"
#include "serve/serve.hpp"

namespace pol::cli {

namespace {

struct ServeArgs {
  serve::ServeOptions opt;
  std::string token_file;
  bool host_given = false;
};

// The token: the first line of the file, without surrounding white space; at least 16 bytes.
std::string read_token(const std::string& path) {
  dsl::InputFile f;
  std::string error;
  if (!dsl::read_input_file(path, 4096, dsl::text(dsl::Msg::WhatTokenFile).data(), f, error)) throw UsageError{"--token-file: " + error};
  std::string t = f.text.substr(0, f.text.find('\n'));
  while (!t.empty() && (t.back() == '\r' || t.back() == ' ' || t.back() == '\t')) t.pop_back();
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.erase(0, 1);
  if (t.size() < 16) throw UsageError{dsl::textf(dsl::Msg::CliTokenShort, path)};
  return t;
}

int cmd_serve(ServeArgs& a) {
  const bool local = a.opt.host == "127.0.0.1" || a.opt.host == "localhost" || a.opt.host == "::1";
  if (!a.token_file.empty()) a.opt.token = read_token(a.token_file);
  // Reports say when they were generated as the commands do: SOURCE_DATE_EPOCH when set, a
  // bad value refused here as `pol explain` refuses it, not found on the first request.
  if (std::string why; !interp::generated_at(why)) throw UsageError{why};
  if (!local) {
    if (a.opt.token.empty()) throw UsageError{dsl::textf(dsl::Msg::ServeNeedsToken, a.opt.host)};
    say("{}\n", dsl::textf(dsl::Msg::ServeHostWarning, a.opt.host));
  }
  a.opt.on_listening = [&a](const std::string& host, int port) {
    std::printf("%s\n", dsl::textf(dsl::Msg::ServeListening, a.opt.dir, host, port, a.opt.edit ? dsl::text(dsl::Msg::ServeEditable) : "").c_str());
    std::fflush(stdout);
  };
  std::string error;
  if (serve::run_server(a.opt, error) != 0) throw UsageError{error};
  say("{}\n", dsl::text(dsl::Msg::ServeStopped));
  return code(Exit::Ok);
}

}  // namespace

Registered add_serve(CLI::App& app) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", cli::help(dsl::Msg::HelpServe));
  cmd->add_option("DIR", a->opt.dir, cli::help(dsl::Msg::HelpServeDir));
  non_empty(cmd->add_option("--host", a->opt.host, cli::help(dsl::Msg::HelpServeHost)));
  cmd->add_option("--port", a->opt.port, cli::help(dsl::Msg::HelpServePort))->check(CLI::Range(0, 65535));
  cmd->add_flag("--edit", a->opt.edit, cli::help(dsl::Msg::HelpServeEdit));
  non_empty(cmd->add_option("--token-file", a->token_file, cli::help(dsl::Msg::HelpServeToken)));
  cmd->add_option("--web", a->opt.web_dir, cli::help(dsl::Msg::HelpServeWeb));
  cmd->add_option("--threads", a->opt.threads, cli::help(dsl::Msg::HelpServeThreads))->check(CLI::Range(2, 4096));
  cmd->add_option("--queue", a->opt.queue, cli::help(dsl::Msg::HelpServeQueue))
      ->check(CLI::Range(0, 1000000));
  return {cmd, [a] { return cmd_serve(*a); }};
}

}  // namespace pol::cli
