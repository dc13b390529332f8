#include "report/html.hpp"

#include "report/escape.hpp"

namespace pol::interp {

std::string html_page_begin(std::string_view title, std::string_view css) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
  out += html_escape(title);
  out += "</title>\n<style>\n";
  out += css;
  out += "</style>\n</head>\n<body>\n";
  return out;
}

std::string_view html_page_end() { return "</body>\n</html>\n"; }

}  // namespace pol::interp
