#include "compare/charts.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "report/document.hpp"
#include "report/json_out.hpp"
#include "report/html.hpp"
#include "report/svg.hpp"

namespace pol::interp {

using dsl::Msg;

namespace {

constexpr const char* kBarColour = "#4a7bb7";

}  // namespace

std::string changes_svg(const Population& pop) {
  // A bar for each output that changed, labelled with its label; the left margin is as wide
  // as the longest label.
  std::vector<const OutputStats*> changed;
  std::uint64_t mx = 1;
  int left = 60;
  for (const auto& o : pop.outputs) {
    if (!o.changed) continue;
    changed.push_back(&o);
    mx = std::max(mx, o.changed);
    left = std::max(left, text_width(o.label, 12) + 16);
  }
  if (changed.empty()) return "";
  const int row = 22, w = std::max(760, left + 300);
  Svg svg({{"width", w},
           {"height", row * static_cast<int>(changed.size()) + 10},
           {"viewBox", fmt::format("0 0 {} {}", w, row * static_cast<int>(changed.size()) + 10)},
           {"font-family", kSvgFonts},
           {"font-size", "12"},
           {"role", "img"},
           {"aria-label", dsl::text(Msg::ChartChangedCases)}});
  for (std::size_t i = 0; i < changed.size(); ++i) {
    const auto& o = *changed[i];
    int y = 5 + row * static_cast<int>(i);
    int bw = static_cast<int>(static_cast<double>(w - left - 90) * static_cast<double>(o.changed) / static_cast<double>(mx));
    svg.text("text", {{"x", left - 6}, {"y", y + 14}, {"text-anchor", "end"}}, o.label)
        .empty("rect", {{"x", left}, {"y", y + 2}, {"width", bw}, {"height", "16"}, {"fill", kBarColour}})
        .text("text", {{"x", left + bw + 4}, {"y", y + 14}}, with_commas(o.changed))
        .newline();
  }
  return svg.finish();
}

std::string histogram_svg(const checked::Policy& a, const OutputStats& o) {
  if (!o.ta.is_number() || o.num.deltas.empty()) return "";
  auto to_d = [](Value v) { return std::stod(v.to_string()); };
  double lo = to_d(o.num.deltas.begin()->first), hi = to_d(o.num.deltas.rbegin()->first);
  constexpr int kBins = 20;
  std::vector<std::uint64_t> bins(kBins, 0);
  for (const auto& [v, n] : o.num.deltas) {
    int b = hi > lo ? static_cast<int>((to_d(v) - lo) / (hi - lo) * kBins) : 0;
    bins[static_cast<std::size_t>(std::clamp(b, 0, kBins - 1))] += n;
  }
  std::uint64_t mx = 1;
  for (auto n : bins) mx = std::max(mx, n);
  const std::string title = dsl::textf(Msg::ChartDistributionTitle, o.name, o.label, with_commas(o.changed));
  const int L = 60, W = std::max(640, L + text_width(title, 12) + 10), H = 200, B = 40, T = 24, bw = (640 - L - 20) / kBins;
  Svg svg({{"width", W},
           {"height", H},
           {"viewBox", fmt::format("0 0 {} {}", W, H)},
           {"font-family", kSvgFonts},
           {"font-size", "12"},
           {"role", "img"},
           {"aria-label", dsl::textf(Msg::ChartDistribution, o.name)}});
  svg.text("text", {{"x", L}, {"y", "16"}}, title).newline();
  for (int i = 0; i < kBins; ++i) {
    auto count = bins[static_cast<std::size_t>(i)];
    int h = static_cast<int>(static_cast<double>(H - T - B) * static_cast<double>(count) / static_cast<double>(mx));
    svg.titled("rect", {{"x", L + i * bw}, {"y", H - B - h}, {"width", bw - 1}, {"height", h}, {"fill", kBarColour}},
               with_commas(count))
        .newline();
  }
  svg.empty("line", {{"x1", L}, {"y1", H - B}, {"x2", L + kBins * bw}, {"y2", H - B}, {"stroke", "black"}}).newline();
  // The smallest change under the first bar's left edge, the largest under the last's right.
  svg.text("text", {{"x", L}, {"y", H - B + 16}, {"text-anchor", "start"}}, text_value(a, o.ta, o.num.deltas.begin()->first))
      .newline();
  svg.text("text", {{"x", L + kBins * bw}, {"y", H - B + 16}, {"text-anchor", "end"}},
           text_value(a, o.ta, o.num.deltas.rbegin()->first))
      .newline();
  svg.text("text", {{"x", L - 4}, {"y", T + 10}, {"text-anchor", "end"}}, with_commas(mx)).newline();
  svg.text("text", {{"x", L - 4}, {"y", H - B}, {"text-anchor", "end"}}, "0").newline();
  return svg.finish();
}

}  // namespace pol::interp
