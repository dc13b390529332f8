#include "cases/messages.hpp"

#include <fmt/format.h>

#include "base/messages.hpp"
#include "base/source.hpp"

namespace pol::interp::msg {

using dsl::Msg;
using dsl::text;
using dsl::textf;

std::string trailing_content(std::string_view rest, std::size_t line, std::size_t column, bool after_cr) {
  constexpr std::size_t kShown = 24;
  while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r' || rest.back() == ' ' || rest.back() == '\t'))
    rest.remove_suffix(1);
  std::string shown = dsl::visible(rest.substr(0, kShown));
  if (rest.size() > kShown) shown += "…";
  std::string where = line > 0 ? textf(Msg::TrailingWhere, line, column) : textf(Msg::TrailingColumn, column);
  std::string msg = textf(Msg::Trailing, where, shown);
  if (after_cr) msg += text(Msg::TrailingAfterCr);
  return msg;
}

std::string duplicate_column(std::string_view name, std::size_t first, std::size_t second) {
  return textf(Msg::DuplicateColumn, dsl::visible(name), first, second);
}

std::string empty_column(std::size_t column, std::size_t columns) {
  return textf(column == columns ? Msg::EmptyLastColumn : Msg::EmptyColumn, column);
}

std::string header_nul() { return std::string(text(Msg::HeaderNul)); }

std::string header_cr_only(std::size_t column) { return textf(Msg::HeaderCrOnly, column); }

std::string utf16(std::string_view how) { return textf(Msg::Utf16, how); }

std::string line_too_long(std::size_t limit, bool quoted) {
  std::string msg = textf(Msg::LineTooLong, limit, limit >> 20);
  if (quoted) msg += text(Msg::LineTooLongQuote);
  return msg;
}

std::string unbalanced_quote_row() { return std::string(text(Msg::UnbalancedQuoteRow)); }

std::string case_file_too_large(std::size_t limit) { return textf(Msg::CaseFileTooLarge, limit, limit >> 20); }

}  // namespace pol::interp::msg
