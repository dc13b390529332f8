#include "report/escape.hpp"

namespace pol::interp {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string md_escape(std::string_view s, bool backslash) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '*': case '_': case '`': case '|': case '<': case '>': case '[': case ']': out.push_back('\\'); break;
      case '\\':
        if (backslash) out.push_back('\\');
        break;
      default: break;
    }
    out.push_back(c);
  }
  return out;
}

std::string csv_cell(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string q(1, '"');
  for (char ch : text) {
    if (ch == '"') q.push_back('"');
    q.push_back(ch);
  }
  q.push_back('"');
  return q;
}

}  // namespace pol::interp
