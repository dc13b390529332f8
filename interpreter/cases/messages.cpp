#include "cases/messages.hpp"

#include <fmt/format.h>

#include "base/source.hpp"

namespace pol::interp::msg {

std::string trailing_content(std::string_view rest, std::size_t line, std::size_t column, bool after_cr) {
  constexpr std::size_t kShown = 24;
  while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r' || rest.back() == ' ' || rest.back() == '\t'))
    rest.remove_suffix(1);
  std::string shown = dsl::visible(rest.substr(0, kShown));
  if (rest.size() > kShown) shown += "…";
  std::string where = line > 0 ? fmt::format("line {}, column {}", line, column) : fmt::format("column {}", column);
  std::string msg = fmt::format(
      "text after the JSON object at {}: '{}'; a case is one JSON object and nothing after it (two objects glued "
      "together, or a stray '}}' or ','?)",
      where, shown);
  if (after_cr)
    msg += "; a carriage return (CR) without a line feed comes before it: the file has CR-only line ends, save it "
           "with LF or CRLF line ends";
  return msg;
}

std::string duplicate_column(std::string_view name, std::size_t first, std::size_t second) {
  return fmt::format("column '{}' appears twice in the CSV header, as columns {} and {}: name each column once",
                     dsl::visible(name), first, second);
}

std::string empty_column(std::size_t column, std::size_t columns) {
  if (column == columns)
    return fmt::format("column {} of the CSV header has no name: the header ends with a comma; remove it (or name "
                       "the column)",
                       column);
  return fmt::format("column {} of the CSV header has no name: every column needs the name of an input, id or as_of",
                     column);
}

std::string header_nul() {
  return "the CSV header holds NUL bytes: the file is not UTF-8 text (UTF-16 looks like this); save it as UTF-8 "
         "(in Excel: CSV UTF-8)";
}

std::string header_cr_only(std::size_t column) {
  return fmt::format("the CSV header holds a carriage return (CR) without a line feed at column {}: the file has "
                     "CR-only line ends (old Mac), so it reads as one line; save it with LF or CRLF line ends",
                     column);
}

std::string utf16(const char* how) {
  return fmt::format("the file is UTF-16 text ({}), not UTF-8: save it as UTF-8 (in Excel: CSV UTF-8; in an editor: "
                     "encoding UTF-8)",
                     how);
}

std::string line_too_long(std::size_t limit, bool quoted) {
  std::string msg = fmt::format("the line is longer than {} bytes ({} MiB), the limit for one case; its bytes were "
                                "skipped",
                                limit, limit >> 20);
  if (quoted)
    msg += "; a quote opened in it is never closed, so the rest of the file was read as one field (check for an "
           "unbalanced '\"')";
  return msg;
}

std::string unbalanced_quote_row() {
  return "unbalanced quote in this row: a quoted field is not closed before the end of the input";
}

std::string case_file_too_large(std::size_t limit) {
  return fmt::format("the case file is larger than {} bytes ({} MiB), the limit for one case", limit, limit >> 20);
}

}  // namespace pol::interp::msg
