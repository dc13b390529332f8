#pragma once
// The one HTML page every HTML report is: a Chinese page with its title, the report's style
// sheet and a body. Reports differ only in their style sheet and what goes in the body.
#include <string>
#include <string_view>

namespace pol::interp {

// The fonts every page and chart names, in CSS (quoted) and in SVG attribute form.
inline constexpr std::string_view kCssFonts = "\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif";
inline constexpr std::string_view kSvgFonts = "Noto Sans CJK SC, Microsoft YaHei, sans-serif";

// From <!DOCTYPE html> to <body>; `css` is the style sheet's rules, each line ending in \n.
[[nodiscard]] std::string html_page_begin(std::string_view title, std::string_view css);
// </body> and </html>.
[[nodiscard]] std::string_view html_page_end();

}  // namespace pol::interp
