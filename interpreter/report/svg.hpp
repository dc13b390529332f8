#pragma once
// The one SVG builder behind every chart: elements with attributes in the order given, text
// and attribute values escaped, coordinates written as the caller asks (whole numbers, or a
// fixed number of decimals).
#include <initializer_list>
#include <string>
#include <string_view>

namespace pol::interp {

struct SvgAttr {
  SvgAttr(std::string_view n, std::string v) : name(n), value(std::move(v)) {}
  SvgAttr(std::string_view n, const char* v) : name(n), value(v) {}
  SvgAttr(std::string_view n, std::string_view v) : name(n), value(v) {}
  SvgAttr(std::string_view n, int v);
  SvgAttr(std::string_view n, double v, int places);  // "12.50" with places 2
  std::string_view name;
  std::string value;
};

// About how wide `text` (UTF-8) is drawn at `font_px`: a wide (CJK) character one em, any
// other about 0.62 em. Charts size their margins with it, so that no label is cut.
[[nodiscard]] int text_width(std::string_view text, int font_px);

class Svg {
public:
  using Attrs = std::initializer_list<SvgAttr>;
  // Opens <svg xmlns=... attrs>; with `xml_declaration`, a standalone file's XML prolog first.
  explicit Svg(Attrs attrs, bool xml_declaration = false);

  Svg& empty(std::string_view tag, Attrs attrs);                          // <tag a="v"/>
  Svg& text(std::string_view tag, Attrs attrs, std::string_view content); // <tag a="v">content</tag>
  Svg& titled(std::string_view tag, Attrs attrs, std::string_view title); // <tag a="v"><title>t</title></tag>
  Svg& newline();
  // Closes the drawing and gives its text.
  [[nodiscard]] std::string finish();

private:
  void open(std::string_view tag, Attrs attrs);
  void append_attrs(Attrs attrs);
  std::string out_;
};

}  // namespace pol::interp
