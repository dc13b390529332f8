// What every command shares: loading a rule file, reading --at.
#include <cstdio>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "base/calendar.hpp"
#include "base/files.hpp"
#include "check/checker.hpp"
#include "compare/compare.hpp"

namespace pol::interp {

std::optional<checked::Policy> load_policy(const std::string& path, bool show_warnings) {
  auto r = dsl::check_file(path);
  if (r.unreadable) throw CompareUsageError{r.diagnostics.front().message};
  for (const auto& d : r.diagnostics)
    if (d.severity == dsl::Severity::Error || show_warnings) dsl::print_stderr(dsl::render(d));
  if (!r.policy) {
    std::size_t n = 0;
    for (const auto& d : r.diagnostics) n += d.severity == dsl::Severity::Error;
    dsl::print_stderr(dsl::textf(dsl::Msg::PolicyHasErrors, path, dsl::counted(dsl::Msg::CountError, dsl::Msg::CountErrors, n), path) + "\n");
  }
  return std::move(r.policy);
}

std::optional<int> parse_at_date(const std::string& at) {
  if (at.empty()) return std::nullopt;
  auto d = parse_date(at);
  if (!d)
    throw CompareUsageError{
        dsl::textf(dsl::Msg::AtBad, at, kMinYear, kMaxYear)};
  return d;
}

}  // namespace pol::interp
