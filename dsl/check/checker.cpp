#include "check/checker.hpp"

#include "check/checker_impl.hpp"

namespace pol::dsl {

namespace checking {

std::optional<checked::Policy> Checker::run(std::shared_ptr<const SourceFile> root) {
  bool parsed = load(std::move(root));
  if (modules_.empty()) return std::nullopt;
  // The used files even when a file has a syntax error: what the base reads through a use
  // would otherwise be reported as unknown, on top of the syntax error.
  const bool used = load_uses();
  parsed = parsed && used;
  file_use_.resize(p_.files.size(), -1);
  // Base files first, so a variant's overrides replace what they build on.
  for (std::size_t f = modules_.size(); f-- > 0;) collect(static_cast<std::uint16_t>(f));
  check_bindings();
  check_bodies();
  choose_readings();
  mark_used_symbols();
  check_tests(0);
  find_cycles();
  // A declaration lost to a syntax error may be what uses an input: no guesses then.
  if (parsed) warn_unused();
  if (parsed) warn_variant();
  if (parsed) warn_quotes();
  compute_input_free();
  if (has_errors(diags_) || !parsed) return std::nullopt;
  return std::move(p_);
}

}  // namespace checking

CheckResult check_source(std::shared_ptr<const SourceFile> file) {
  CheckResult r;
  checking::Checker c(r.diagnostics);
  r.policy = c.run(std::move(file));
  sort_diagnostics(r.diagnostics);
  return r;
}

CheckResult check_file(const std::string& path) {
  std::string err;
  auto file = load_source(path, err);
  if (!file) {
    CheckResult r;
    r.diagnostics.push_back(Diagnostic{Severity::Error, DiagCode::BaseFileError, nullptr, {}, err, {}});
    r.unreadable = true;
    return r;
  }
  return check_source(std::move(file));
}

}  // namespace pol::dsl
