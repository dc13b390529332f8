#include "base/diagnostic.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "base/messages.hpp"

namespace pol::dsl {

std::string code_name(DiagCode c) {
  int n = static_cast<int>(c);
  return fmt::format("{}{:04}", n >= 500 ? 'W' : 'E', n);
}

static std::string_view severity_word(Severity s) {
  switch (s) {
    case Severity::Error: return text(Msg::DiagError);
    case Severity::Warning: return text(Msg::DiagWarning);
    case Severity::Note: return text(Msg::DiagNote);
  }
  return text(Msg::DiagError);
}

std::string render(const Diagnostic& d) {
  std::string out;
  if (d.file) {
    LineCol lc = d.file->line_col(d.range.begin);
    out = textf(Msg::DiagAt, d.file->name(), lc.line, lc.col, severity_word(d.severity), d.message, code_name(d.code)) +
          "\n";
    out += d.file->snippet(d.range);
  } else {
    out = textf(Msg::DiagNoPlace, severity_word(d.severity), d.message, code_name(d.code)) + "\n";
  }
  for (const auto& n : d.notes) {
    if (n.file) {
      LineCol lc = n.file->line_col(n.range.begin);
      out += textf(Msg::DiagNoteAt, n.file->name(), lc.line, lc.col, n.message) + "\n";
      out += n.file->snippet(n.range);
    } else {
      out += textf(Msg::DiagNoteNoPlace, n.message) + "\n";
    }
  }
  return out;
}

void sort_diagnostics(std::vector<Diagnostic>& ds) {
  std::stable_sort(ds.begin(), ds.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const std::string& fa = a.file ? a.file->name() : std::string();
    const std::string& fb = b.file ? b.file->name() : std::string();
    return std::tie(fa, a.range.begin, a.severity) < std::tie(fb, b.range.begin, b.severity);
  });
}

bool has_errors(const std::vector<Diagnostic>& ds) {
  return std::any_of(ds.begin(), ds.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

}  // namespace pol::dsl
