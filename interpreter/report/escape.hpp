#pragma once
// Escaping text for the formats reports are written in. HTML escaping serves HTML pages and
// SVG alike (both XML text and attribute values).
#include <string>
#include <string_view>

namespace pol::interp {

// & < > " as entities.
[[nodiscard]] std::string html_escape(std::string_view s);

// A backslash before each character Markdown would read as markup (* _ ` | < > [ ]), and with
// `backslash` before a backslash too.
[[nodiscard]] std::string md_escape(std::string_view s, bool backslash);

// A cell of a CSV as RFC 4180 wants it: quoted when it holds a comma, a quote or a line end.
[[nodiscard]] std::string csv_cell(std::string_view text);

}  // namespace pol::interp
