#pragma once
// The one HTML page every HTML report is: a Chinese page with its title, the report's style
// sheet and a body. Reports differ only in their style sheet and what goes in the body.
#include <string>
#include <string_view>

namespace pol::interp {

// The fonts every page and chart names, in CSS (quoted) and in SVG attribute form.
inline constexpr std::string_view kCssFonts = "\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif";
inline constexpr std::string_view kSvgFonts = "Noto Sans CJK SC, Microsoft YaHei, sans-serif";

// Rules for printing a report on A4: page margins, no background colours lost, tables that
// fit the page width and rows and list items that are not split across pages.
inline constexpr std::string_view kPrintCss =
    "@media print{@page{size:A4;margin:15mm 12mm}"
    "body{margin:0;max-width:none;font-size:10pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "table{width:100%;table-layout:auto}thead{display:table-header-group}"
    "tr,li,h2,h3{break-inside:avoid;page-break-inside:avoid}h2,h3{break-after:avoid}}\n";

// From <!DOCTYPE html> to <body>; `css` is the style sheet's rules, each line ending in \n.
[[nodiscard]] std::string html_page_begin(std::string_view title, std::string_view css);
// </body> and </html>.
[[nodiscard]] std::string_view html_page_end();

}  // namespace pol::interp
