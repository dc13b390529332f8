// pol sweep's line chart. Values are exact decimals; only the chart's coordinates are
// converted to floating point, for drawing.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "compare/sweep.hpp"
#include "report/html.hpp"
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

constexpr int W = 960, H = 540, L = 90, R = 300, T = 60, B = 70;

// Where values go on the drawing.
struct Scale {
  double xmin, xmax, ymin, ymax;
  [[nodiscard]] double x(double v) const { return L + (W - L - R) * (xmax > xmin ? (v - xmin) / (xmax - xmin) : 0.5); }
  [[nodiscard]] double y(double v) const { return H - B - (H - T - B) * (v - ymin) / (ymax - ymin); }
};

void axes(Svg& svg, const Scale& sc, const std::vector<double>& yt, bool x_percent, bool y_percent) {
  svg.empty("line", {{"x1", L}, {"y1", H - B}, {"x2", W - R}, {"y2", H - B}, {"stroke", "black"}}).newline();
  svg.empty("line", {{"x1", L}, {"y1", T}, {"x2", L}, {"y2", H - B}, {"stroke", "black"}}).newline();
  for (double t : ticks(sc.xmin, sc.xmax)) {
    double x = sc.x(t);
    svg.empty("line", {{"x1", x, 1}, {"y1", H - B}, {"x2", x, 1}, {"y2", H - B + 5}, {"stroke", "black"}}).newline();
    svg.text("text", {{"x", x, 1}, {"y", H - B + 18}, {"text-anchor", "middle"}}, axis_tick(t, x_percent)).newline();
  }
  for (double t : yt) {
    double y = sc.y(t);
    svg.empty("line", {{"x1", L}, {"y1", y, 1}, {"x2", W - R}, {"y2", y, 1}, {"stroke", "#ddd"}}).newline();
    svg.text("text", {{"x", L - 6}, {"y", y + 4, 1}, {"text-anchor", "end"}}, axis_tick(t, y_percent)).newline();
  }
}

// The path of one series: a jump much larger than the typical step between neighbours is
// drawn as a step, as is every change of a value that is not a number.
std::string series_path(const Scale& sc, const std::vector<Value>& xs, const SweepSeries& se) {
  std::vector<double> d;
  for (std::size_t i = 1; i < xs.size(); ++i)
    if (se.ys[i] && se.ys[i - 1]) d.push_back(std::abs(to_double(*se.ys[i]) - to_double(*se.ys[i - 1])));
  std::sort(d.begin(), d.end());
  double typical = d.empty() ? 0 : d[d.size() / 2];
  bool discrete = se.type.base != dsl::Base::Number;
  std::string path;
  bool pen = false;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!se.ys[i]) {
      pen = false;
      continue;
    }
    double x = sc.x(to_double(xs[i])), y = sc.y(to_double(*se.ys[i]));
    if (!pen) {
      path += fmt::format("M{:.2f},{:.2f} ", x, y);
      pen = true;
      continue;
    }
    double jump = std::abs(to_double(*se.ys[i]) - to_double(*se.ys[i - 1]));
    if (discrete || (jump > 0 && jump > 3 * typical)) path += fmt::format("H{:.2f} V{:.2f} ", x, y);
    else path += fmt::format("L{:.2f},{:.2f} ", x, y);
  }
  return path;
}

// The y axis names every output drawn (once each).
std::string y_label(const std::vector<SweepSeries>& series) {
  std::string ylab;
  std::vector<std::string> seen_outputs;
  for (const auto& se : series) {
    if (std::find(seen_outputs.begin(), seen_outputs.end(), se.output) != seen_outputs.end()) continue;
    seen_outputs.push_back(se.output);
    ylab += (ylab.empty() ? "" : " / ") + se.label + unit_suffix(se.label, se.type);
  }
  return ylab;
}

}  // namespace

std::string sweep_svg(const std::string& xname, const std::string& xlabel, bool x_percent, const std::vector<Value>& xs,
                      const std::vector<SweepSeries>& series) {
  Scale sc{to_double(xs.front()), to_double(xs.back()), 0, 0};
  bool first = true;
  for (const auto& s : series)
    for (const auto& y : s.ys)
      if (y) {
        double v = to_double(*y);
        if (first) sc.ymin = sc.ymax = v, first = false;
        sc.ymin = std::min(sc.ymin, v);
        sc.ymax = std::max(sc.ymax, v);
      }
  if (sc.ymin > 0) sc.ymin = 0;
  if (sc.ymax <= sc.ymin) sc.ymax = sc.ymin + 1;
  auto yt = ticks(sc.ymin, sc.ymax);
  sc.ymax = std::max(sc.ymax, yt.back());
  Svg svg({{"width", W},
           {"height", H},
           {"viewBox", fmt::format("0 0 {} {}", W, H)},
           {"font-family", kSvgFonts},
           {"font-size", "12"}},
          true);
  svg.empty("rect", {{"width", W}, {"height", H}, {"fill", "white"}}).newline();
  axes(svg, sc, yt, x_percent, !series.empty() && series.front().type.percent);
  svg.text("text", {{"x", (L + W - R) / 2}, {"y", H - 25}, {"text-anchor", "middle"}}, fmt::format("{} {}", xname, xlabel))
      .newline();
  svg.text("text", {{"x", "20"}, {"y", "28"}, {"font-size", "15"}},
           dsl::textf(dsl::Msg::SweepTitle, series.empty() ? "" : series.front().label, xlabel))
      .newline();
  bool several_outputs = false;
  for (const auto& se : series) several_outputs = several_outputs || se.output != series.front().output;
  svg.text("text", {{"transform", fmt::format("translate(20,{}) rotate(-90)", (T + H - B) / 2)}, {"text-anchor", "middle"}},
           y_label(series))
      .newline();
  static const char* colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& se = series[k];
    const char* col = colors[k % 8];
    svg.empty("path", {{"d", series_path(sc, xs, se)}, {"fill", "none"}, {"stroke", col}, {"stroke-width", "2"}}).newline();
    for (std::size_t i = 0; i < xs.size(); ++i)
      if (se.ys[i])
        svg.empty("circle", {{"class", "point"},
                             {"cx", sc.x(to_double(xs[i])), 2},
                             {"cy", sc.y(to_double(*se.ys[i])), 2},
                             {"r", "2"},
                             {"fill", col},
                             {"data-series", se.column()},
                             {"data-x", xs[i].to_string()},
                             {"data-y", sweep_cell(*se.p, se.type, *se.ys[i])}})
            .newline();
    int ly = T + 10 + 20 * static_cast<int>(k);
    svg.empty("line", {{"x1", W - R + 15}, {"y1", ly}, {"x2", W - R + 40}, {"y2", ly}, {"stroke", col}, {"stroke-width", "2"}})
        .newline();
    svg.text("text", {{"x", W - R + 46}, {"y", ly + 4}},
             fmt::format("{}{}{}", se.policy, se.case_label.empty() ? "" : " · " + se.case_label,
                         several_outputs ? " · " + se.label : ""))
        .newline();
  }
  return svg.finish();
}

}  // namespace pol::interp
