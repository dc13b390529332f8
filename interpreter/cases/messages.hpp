#pragma once
// The sentences of the cases stage for input that lies about its shape: text after a JSON
// object, CSV headers that name a column twice or none, UTF-16 and CR-only files, lines over
// the limit. One place, so that the wording stays consistent; the words are in base/messages.
#include <cstddef>
#include <string>
#include <string_view>

namespace pol::interp::msg {

// `rest` is the text from the first character after the object; `line`/`column` where it
// starts (line 0: a JSON Lines line, the column only); `after_cr`: a lone CR comes before it.
[[nodiscard]] std::string trailing_content(std::string_view rest, std::size_t line, std::size_t column, bool after_cr);
[[nodiscard]] std::string duplicate_column(std::string_view name, std::size_t first, std::size_t second);
[[nodiscard]] std::string empty_column(std::size_t column, std::size_t columns);
[[nodiscard]] std::string header_nul();
[[nodiscard]] std::string header_cr_only(std::size_t column);
[[nodiscard]] std::string utf16(std::string_view how);
[[nodiscard]] std::string line_too_long(std::size_t limit, bool quoted);
[[nodiscard]] std::string unbalanced_quote_row();
[[nodiscard]] std::string case_file_too_large(std::size_t limit);

}  // namespace pol::interp::msg
