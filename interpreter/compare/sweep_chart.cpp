// pol sweep's chart: one panel a unit, a band of segments for each output that is not a
// number, a legend from labels. Values are exact decimals; only the chart's coordinates are
// converted to floating point, for drawing.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "compare/sweep.hpp"
#include "report/html.hpp"
#include "report/json_out.hpp"
#include "report/svg.hpp"

namespace pol::interp {

namespace {

double to_double(Value v) { return static_cast<double>(v.coef()) / std::pow(10.0, v.scale()); }

// Tick positions: 1, 2 or 5 times a power of ten, about 6 of them.
std::vector<double> ticks(double lo, double hi) {
  if (hi <= lo) hi = lo + 1;
  double raw = (hi - lo) / 6;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) {
      step = m * mag;
      break;
    }
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

std::string tick_label(double v) {
  std::string s = fmt::format("{:.6f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string axis_tick(double v, bool percent) { return percent ? tick_label(v * 100) + "%" : tick_label(v); }

constexpr int W = 960, L = 100, R = 30, kPanelH = 220, kBandH = 24, kFont = 12;
constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
constexpr const char* kBandColours[] = {"#cfe0f3", "#f6d5c4", "#d5ecd0", "#e6d9f0", "#fbe8b6", "#e0e0e0", "#f3cfe3", "#c9ecef"};

// A panel: the numeric series of one unit on one y axis, or the bands of one output that is
// not a number.
struct Panel {
  bool band = false;
  std::string key;                // the unit ("元", "%", "年"), or the output's name
  std::vector<std::size_t> series;
};

std::string unit_key(const dsl::Type& t) {
  if (t.percent) return "%";
  return dsl::unit_label_zh(t.unit);
}

std::vector<Panel> panels_of(const std::vector<SweepSeries>& series) {
  std::vector<Panel> out;
  for (std::size_t k = 0; k < series.size(); ++k) {
    bool band = !series[k].type.is_number();
    std::string key = band ? series[k].output : unit_key(series[k].type);
    auto it = std::find_if(out.begin(), out.end(), [&](const Panel& p) { return p.band == band && p.key == key; });
    if (it == out.end()) it = out.insert(out.end(), Panel{band, key, {}});
    it->series.push_back(k);
  }
  return out;
}

// The x axis: where x values go across the drawing.
struct XScale {
  double xmin, xmax;
  [[nodiscard]] double x(double v) const { return L + (W - L - R) * (xmax > xmin ? (v - xmin) / (xmax - xmin) : 0.5); }
};

// The axis at `y`: ticks, their values, and under them the name of what varies.
void x_axis(Svg& svg, const XScale& sx, int y, const SweepPage& page) {
  const bool x_percent = page.x_percent;
  svg.empty("line", {{"x1", L}, {"y1", y}, {"x2", W - R}, {"y2", y}, {"stroke", "black"}}).newline();
  for (double t : ticks(sx.xmin, sx.xmax)) {
    double x = sx.x(t);
    svg.empty("line", {{"x1", x, 1}, {"y1", y}, {"x2", x, 1}, {"y2", y + 5}, {"stroke", "black"}}).newline();
    svg.text("text", {{"x", x, 1}, {"y", y + 18}, {"text-anchor", "middle"}}, axis_tick(t, x_percent)).newline();
  }
  svg.text("text", {{"x", (L + W - R) / 2}, {"y", y + 36}, {"text-anchor", "middle"}}, page.xlabel).newline();
}

// Lines of at most `width` pixels, broken between characters (a caption has no line breaks).
std::vector<std::string> wrap(const std::string& s, int width, int font) {
  std::vector<std::string> out;
  std::string line;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::string ch = s.substr(i, len);
    if (!line.empty() && text_width(line + ch, font) > width) {
      // At the last "；" of the line when there is one, so that a fact is not split.
      auto semi = line.rfind("；");
      std::string rest;
      if (semi != std::string::npos && semi > line.size() / 2) rest = line.substr(semi + 3), line.resize(semi + 3);
      out.push_back(std::move(line));
      line = std::move(rest);
    }
    line += ch;
    i += len;
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

// The path of one series: a jump much larger than the typical step between neighbours is
// drawn as a step.
template <class Y>
std::string series_path(const XScale& sx, const Y& sy, const std::vector<Value>& xs, const SweepSeries& se) {
  std::vector<double> d;
  for (std::size_t i = 1; i < xs.size(); ++i)
    if (se.ys[i] && se.ys[i - 1]) d.push_back(std::abs(to_double(*se.ys[i]) - to_double(*se.ys[i - 1])));
  std::sort(d.begin(), d.end());
  double typical = d.empty() ? 0 : d[d.size() / 2];
  std::string path;
  bool pen = false;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!se.ys[i]) {
      pen = false;
      continue;
    }
    double x = sx.x(to_double(xs[i])), y = sy(to_double(*se.ys[i]));
    if (!pen) {
      path += fmt::format("M{:.2f},{:.2f} ", x, y);
      pen = true;
      continue;
    }
    double jump = std::abs(to_double(*se.ys[i]) - to_double(*se.ys[i - 1]));
    if (jump > 0 && jump > 3 * typical) path += fmt::format("H{:.2f} V{:.2f} ", x, y);
    else path += fmt::format("L{:.2f},{:.2f} ", x, y);
  }
  return path;
}

// A data point (the table's cell, in its attributes); drawn unless `hidden` (a band's points
// would cover its labels).
void point(Svg& svg, double x, double y, const char* col, const SweepSeries& se, Value xv, Value yv, bool hidden = false) {
  svg.empty("circle", {{"class", "point"},
                       {"cx", x, 2},
                       {"cy", y, 2},
                       {"r", hidden ? "0" : "2"},
                       {"fill", col},
                       {"data-series", se.column()},
                       {"data-x", xv.to_string()},
                       {"data-y", sweep_cell(*se.p, se.type, yv)}})
      .newline();
}

// The numeric series of one unit, from `top`; gives the height used.
int number_panel(Svg& svg, const Panel& pn, const XScale& sx, const SweepPage& page, const std::vector<Value>& xs,
                 const std::vector<SweepSeries>& series, int top) {
  double ymin = 0, ymax = 0;
  bool first = true;
  for (auto k : pn.series)
    for (const auto& y : series[k].ys)
      if (y) {
        double v = to_double(*y);
        if (first) ymin = ymax = v, first = false;
        ymin = std::min(ymin, v), ymax = std::max(ymax, v);
      }
  if (ymin > 0) ymin = 0;
  if (ymax <= ymin) ymax = ymin + 1;
  auto yt = ticks(ymin, ymax);
  ymax = std::max(ymax, yt.back());
  const int bottom = top + kPanelH;
  auto sy = [&](double v) { return bottom - (kPanelH - 10) * (v - ymin) / (ymax - ymin); };
  bool percent = series[pn.series.front()].type.percent;
  // The axis title: the labels of the outputs drawn here, once each, and the unit.
  std::vector<std::string> labels;
  for (auto k : pn.series)
    if (std::find(labels.begin(), labels.end(), series[k].label) == labels.end()) labels.push_back(series[k].label);
  std::string title = fmt::format("{}", fmt::join(labels, dsl::text(dsl::Msg::ListSep)));
  bool named = std::all_of(labels.begin(), labels.end(), [&](const std::string& l) { return l.find("（" + pn.key) != std::string::npos; });
  if (!pn.key.empty() && !named) title += dsl::textf(dsl::Msg::Parenthesized, pn.key);
  svg.text("text", {{"x", L}, {"y", top - 8}, {"font-weight", "bold"}}, title).newline();
  svg.empty("line", {{"x1", L}, {"y1", top}, {"x2", L}, {"y2", bottom}, {"stroke", "black"}}).newline();
  for (double t : yt) {
    double y = sy(t);
    svg.empty("line", {{"x1", L}, {"y1", y, 1}, {"x2", W - R}, {"y2", y, 1}, {"stroke", "#ddd"}}).newline();
    svg.text("text", {{"x", L - 6}, {"y", y + 4, 1}, {"text-anchor", "end"}}, axis_tick(t, percent)).newline();
  }
  x_axis(svg, sx, bottom, page);
  for (auto k : pn.series) {
    const auto& se = series[k];
    const char* col = kColours[k % 8];
    svg.empty("path", {{"d", series_path(sx, sy, xs, se)}, {"fill", "none"}, {"stroke", col}, {"stroke-width", "2"}}).newline();
    for (std::size_t i = 0; i < xs.size(); ++i)
      if (se.ys[i]) point(svg, sx.x(to_double(xs[i])), sy(to_double(*se.ys[i])), col, se, xs[i], *se.ys[i]);
  }
  return kPanelH + 80;
}

// An output that is not a number: per series a band, each run of one value a segment with its
// label (inside when it fits), and the values' key below.
int band_panel(Svg& svg, const Panel& pn, const XScale& sx, const SweepPage& page, const std::vector<Value>& xs,
               const std::vector<SweepSeries>& series, int top) {
  const auto& s0 = series[pn.series.front()];
  svg.text("text", {{"x", L}, {"y", top - 8}, {"font-weight", "bold"}}, s0.label).newline();
  // Half a step either side of each x, so that every point has a width.
  auto edge = [&](std::size_t i, bool right) {
    double x = to_double(xs[i]);
    if (xs.size() < 2) return sx.x(x) + (right ? 20 : -20);
    double h = (to_double(xs.back()) - to_double(xs.front())) / static_cast<double>(xs.size() - 1) / 2;
    return std::clamp(sx.x(x + (right ? h : -h)), static_cast<double>(L), static_cast<double>(W - R));
  };
  std::vector<std::pair<std::string, std::string>> key;  // label, colour
  auto colour_of = [&](const std::string& label) {
    auto it = std::find_if(key.begin(), key.end(), [&](const auto& e) { return e.first == label; });
    if (it == key.end()) it = key.insert(key.end(), {label, kBandColours[key.size() % 8]});
    return it->second;
  };
  int y = top;
  for (auto k : pn.series) {
    const auto& se = series[k];
    if (pn.series.size() > 1)
      svg.text("text", {{"x", L - 6}, {"y", y + 16}, {"text-anchor", "end"}, {"font-size", "11"}}, se.case_label.empty() ? se.policy : se.case_label)
          .newline();
    for (std::size_t i = 0; i < xs.size();) {
      std::size_t j = i;
      while (j + 1 < xs.size() && se.ys[j + 1].has_value() == se.ys[i].has_value() &&
             (!se.ys[i] || compare(*se.ys[j + 1], *se.ys[i]) == 0))
        ++j;
      double x0 = edge(i, false), x1 = edge(j, true);
      if (se.ys[i]) {
        std::string label = text_value(*se.p, se.type, *se.ys[i]);
        svg.titled("rect", {{"x", x0, 1}, {"y", y}, {"width", x1 - x0, 1}, {"height", kBandH}, {"fill", colour_of(label)},
                            {"stroke", "white"}},
                   label)
            .newline();
        if (text_width(label, 11) + 6 < x1 - x0)
          svg.text("text", {{"x", (x0 + x1) / 2, 1}, {"y", y + 16}, {"text-anchor", "middle"}, {"font-size", "11"}}, label)
              .newline();
        for (std::size_t m = i; m <= j; ++m)
          point(svg, sx.x(to_double(xs[m])), y + kBandH / 2.0, "#333", se, xs[m], *se.ys[m], true);
      }
      i = j + 1;
    }
    y += kBandH + 4;
  }
  x_axis(svg, sx, y, page);
  y += 60;
  // The key: every value drawn, with its colour (a segment too narrow for its label has it here).
  int x = L;
  for (const auto& [label, colour] : key) {
    int w = text_width(label, 11) + 24;
    if (x + w > W - R) x = L, y += 18;
    svg.empty("rect", {{"x", x}, {"y", y - 10}, {"width", "14"}, {"height", "12"}, {"fill", colour}}).newline();
    svg.text("text", {{"x", x + 18}, {"y", y}, {"font-size", "11"}}, label).newline();
    x += w + 12;
  }
  return y - top + 40;
}

}  // namespace

namespace {

// Draws the whole chart on `svg` (whose height is `height`); gives the height drawn.
int draw(Svg& svg, int height, const SweepPage& page, const std::vector<Value>& xs, const std::vector<SweepSeries>& series,
         bool standalone) {
  XScale sx{to_double(xs.front()), to_double(xs.back())};
  svg.empty("rect", {{"width", W}, {"height", height}, {"fill", "white"}}).newline();
  int y = 0;
  if (standalone) {
    svg.text("text", {{"x", "20"}, {"y", "28"}, {"font-size", "16"}, {"font-weight", "bold"}}, page.title).newline();
    y = 50;
    for (const auto& c : page.caption)
      for (const auto& l : wrap(c, W - 40, kFont)) svg.text("text", {{"x", "20"}, {"y", y}}, l).newline(), y += 16;
  }
  y += 30;
  bool numbers = false;
  for (const auto& pn : panels_of(series)) {
    y += (pn.band ? band_panel : number_panel)(svg, pn, sx, page, xs, series, y);
    numbers = numbers || !pn.band;
  }
  // The legend of the lines (a band names its values itself).
  if (numbers) {
    y -= 10;
    for (std::size_t k = 0; k < series.size(); ++k) {
      if (!series[k].type.is_number()) continue;
      const char* col = kColours[k % 8];
      svg.empty("line", {{"x1", L}, {"y1", y}, {"x2", L + 25}, {"y2", y}, {"stroke", col}, {"stroke-width", "2"}}).newline();
      svg.text("text", {{"x", L + 32}, {"y", y + 4}}, series[k].legend).newline();
      y += 20;
    }
  }
  y += 10;
  if (standalone)
    for (const auto& c : page.provenance)
      for (const auto& l : wrap(c, W - 40, 10))
        svg.text("text", {{"x", "20"}, {"y", y}, {"font-size", "10"}, {"fill", "#555"}}, l).newline(), y += 14;
  return y;
}

}  // namespace

std::string sweep_svg(const SweepPage& page, const std::vector<Value>& xs, const std::vector<SweepSeries>& series,
                      bool standalone) {
  // Drawn once to learn the height, then for real.
  Svg scratch({});
  int height = draw(scratch, 0, page, xs, series, standalone);
  Svg svg({{"width", W}, {"height", height}, {"viewBox", fmt::format("0 0 {} {}", W, height)}, {"font-family", kSvgFonts},
           {"font-size", kFont}},
          standalone);
  draw(svg, height, page, xs, series, standalone);
  return svg.finish();
}

}  // namespace pol::interp
