#include "base/messages.hpp"
#include "cli/common.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/calendar.hpp"
#include "base/files.hpp"
#include "cases/messages.hpp"
#include "check/checker.hpp"

namespace pol::cli {

using namespace pol::interp;

CLI::Option* non_empty(CLI::Option* option) {
  return option->check(CLI::Validator(
      [](std::string& v) { return v.empty() ? std::string(dsl::text(dsl::Msg::UsageEmptyValue)) : std::string(); },
      "", "non-empty"));
}


std::vector<ParamSetting> parse_sets(const checked::Policy& p, const std::vector<std::string>& sets) {
  std::vector<ParamSetting> out;
  for (const auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos) throw UsageError{dsl::textf(dsl::Msg::SetForm, s)};
    std::string error;
    auto setting = parse_param_setting(p, s.substr(0, eq), std::string_view(s).substr(eq + 1), error);
    if (!setting) throw UsageError{dsl::textf(dsl::Msg::SetFailed, s, error)};
    out.push_back(*setting);
  }
  return out;
}

std::vector<ParamSetting> parse_readings(const checked::Policy& p, const std::vector<std::string>& readings,
                                         std::string_view option) {
  std::vector<ParamSetting> out;
  for (const auto& s : readings) {
    std::string error;
    auto setting = parse_reading_text(p, s, error, nullptr, option);
    if (!setting) throw UsageError{error};
    out.push_back(*setting);
  }
  return out;
}

std::vector<std::vector<ParamSetting>> parse_readings_for_each(const std::vector<const checked::Policy*>& policies,
                                                               const std::vector<std::string>& readings) {
  std::string error;
  auto out = reading_settings_for_each(policies, readings, error);
  if (!out) throw UsageError{error};
  return *out;
}

CLI::Option* add_reading_option(CLI::App* cmd, std::vector<std::string>& readings) {
  return cmd->add_option("--reading", readings, help(dsl::Msg::HelpReadingAlt))
      ->take_all();
}

std::vector<std::uint32_t> parse_outputs(const checked::Policy& p, const std::vector<std::string>& names) {
  std::vector<std::string> unknown;
  auto rules = select_outputs(p, names, unknown);
  if (!unknown.empty()) {
    std::vector<std::string> all;
    for (const auto& r : p.rules) all.push_back(r.name);
    throw UsageError{dsl::with_suggestion(
        dsl::textf(dsl::Msg::OutputNoRule, unknown[0], p.header.name), unknown[0],
        all)};
  }
  return rules;
}

std::string case_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

namespace {

// Reads a stream (standard input, a FIFO) to its end, at most `limit` + 1 bytes; false with
// `error` when a read fails.
bool read_stream(int fd, std::size_t limit, std::string& text, const std::string& name, std::string& error) {
  text.clear();
  char buf[1 << 16];
  while (text.size() <= limit) {
    ssize_t n = ::read(fd, buf, std::min(sizeof buf, limit + 1 - text.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = dsl::textf(dsl::Msg::CannotReadStream, name, std::strerror(errno));
      return false;
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

// The text of a case file: an ordinary file (base/files.hpp: directories, devices, sockets
// and symbolic link loops are refused), a FIFO or standard input, at most kMaxCaseLineBytes.
std::string read_all(const std::string& path) {
  const std::size_t limit = kMaxCaseLineBytes;
  std::string error, text;
  struct stat st {};
  if (path == "-" || (::stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode))) {
    // A stream: opened as usual (a FIFO waits for its writer), read up to the limit.
    int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw UsageError{dsl::textf(dsl::Msg::CannotOpenCase, path, std::strerror(errno))};
    bool ok = read_stream(fd, limit, text, path == "-" ? std::string(dsl::text(dsl::Msg::StandardInput)) : "'" + path + "'", error);
    if (fd != STDIN_FILENO) ::close(fd);
    if (!ok) throw UsageError{error};
  } else {
    dsl::InputFile f;
    if (!dsl::read_input_file(path, limit, dsl::text(dsl::Msg::WhatCaseFile).data(), f, error)) throw UsageError{error};
    text = std::move(f.text);
  }
  if (text.size() > limit)
    throw UsageError{fmt::format("{}: {}", case_name(path), msg::case_file_too_large(limit))};
  return text;
}

}  // namespace

Case load_case(const CaseSchema& schema, const std::string& path) {
  std::string text = read_all(path);
  text.erase(0, dsl::bom_size(text));
  if (std::string p = utf16_problem(text); !p.empty()) throw UsageError{fmt::format("{}: {}", case_name(path), p)};
  std::size_t n = text.size();
  text.append(JsonCaseReader::kPadding, ' ');
  JsonCaseReader reader(schema);
  Case c;
  CaseError err;
  if (!reader.read(std::string_view(text.data(), n), text.size(), c, err))
    throw UsageError{fmt::format("{}: {}", case_name(path), err.message)};
  return c;
}

Registered add_files_command(CLI::App& app, const char* name, const std::string& about, const char* flag,
                             const std::string& flag_about, int (*run)(const std::vector<std::string>& files, bool flag)) {
  struct Args {
    std::vector<std::string> files;
    bool flag = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(name, about);
  cmd->add_option("FILE", a->files, cli::help(dsl::Msg::HelpFiles))->required();
  cmd->add_flag(flag, a->flag, flag_about);
  return {cmd, [a, run] { return run(a->files, a->flag); }};
}

}  // namespace pol::cli
