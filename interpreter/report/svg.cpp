#include "report/svg.hpp"

#include <fmt/format.h>

#include "report/escape.hpp"

namespace pol::interp {

SvgAttr::SvgAttr(std::string_view n, int v) : name(n), value(std::to_string(v)) {}
SvgAttr::SvgAttr(std::string_view n, double v, int places) : name(n), value(fmt::format("{:.{}f}", v, places)) {}

Svg::Svg(Attrs attrs, bool xml_declaration) {
  if (xml_declaration) out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out_ += "<svg xmlns=\"http://www.w3.org/2000/svg\"";
  append_attrs(attrs);
  out_ += ">\n";
}

void Svg::open(std::string_view tag, Attrs attrs) {
  out_ += '<';
  out_ += tag;
  append_attrs(attrs);
}

void Svg::append_attrs(Attrs attrs) {
  for (const auto& a : attrs) out_ += fmt::format(" {}=\"{}\"", a.name, html_escape(a.value));
}

Svg& Svg::empty(std::string_view tag, Attrs attrs) {
  open(tag, attrs);
  out_ += "/>";
  return *this;
}

Svg& Svg::text(std::string_view tag, Attrs attrs, std::string_view content) {
  open(tag, attrs);
  out_ += fmt::format(">{}</{}>", html_escape(content), tag);
  return *this;
}

Svg& Svg::titled(std::string_view tag, Attrs attrs, std::string_view title) {
  open(tag, attrs);
  out_ += fmt::format("><title>{}</title></{}>", html_escape(title), tag);
  return *this;
}

Svg& Svg::newline() {
  out_ += '\n';
  return *this;
}

std::string Svg::finish() { return std::move(out_) + "</svg>\n"; }

int text_width(std::string_view text, int font_px) {
  double em = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    // Three bytes and more: U+0800 and above, drawn wide (CJK, full-width punctuation, ⚠).
    em += len >= 3 ? 1.0 : 0.62;
    i += len;
  }
  return static_cast<int>(em * font_px + 0.5);
}

}  // namespace pol::interp
