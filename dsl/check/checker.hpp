#pragma once
// check(path) -> CheckResult: parses a rule file and the files it extends, resolves every
// name, checks types and units, finds cycles, duplicates, bad overrides and non-exhaustive
// matches, and builds the checked::Policy that evaluation runs on. Every problem of every
// file is reported in one run; the policy is present only when there is no error.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checked/checked.hpp"
#include "base/diagnostic.hpp"

namespace pol::dsl {

struct CheckResult {
  std::optional<checked::Policy> policy;
  std::vector<Diagnostic> diagnostics;  // sorted
  bool unreadable = false;              // the file itself could not be read: bad usage, not a rule error
};

// Reads the file at `path` (and the files it extends, relative to it).
[[nodiscard]] CheckResult check_file(const std::string& path);
// Checks text already in memory; `extends` paths are relative to file->name().
[[nodiscard]] CheckResult check_source(std::shared_ptr<const SourceFile> file);

// The closest of `candidates` to `name`, if close enough to suggest.
[[nodiscard]] std::optional<std::string> did_you_mean(const std::string& name, const std::vector<std::string>& candidates);
// `msg`, followed by "; did you mean 'PREFIX…'?" when one of `candidates` is close to `name`.
[[nodiscard]] std::string with_suggestion(std::string msg, const std::string& name,
                                          const std::vector<std::string>& candidates, std::string_view prefix = {});

// Checks a value typed on the command line or in a test (`--set rate=6.5%`) against `type`.
// On failure returns nullopt and sets `error` to what was expected.
[[nodiscard]] std::optional<checked::Value> parse_value(const checked::Policy& policy, const Type& type,
                                                        std::string_view text, std::string& error);

[[nodiscard]] std::string type_name(const checked::Policy& policy, const Type& t);

}  // namespace pol::dsl
