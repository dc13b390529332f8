#include "compare/side_by_side.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "base/source.hpp"
#include "compare/case_pairs.hpp"
#include "compare/outputs.hpp"
#include "explain/explain.hpp"

namespace pol::interp {

using dsl::Msg;

namespace {

std::string date_note(const Case& c, std::optional<int> at) {
  if (c.as_of) return std::string(dsl::text(Msg::DateFromCase));
  if (at) return std::string(dsl::text(Msg::DateFromAt));
  return "";
}

// Splits a line into pieces of at most `w` terminal columns.
std::vector<std::string> wrap_plain(const std::string& s, std::size_t w) {
  std::vector<std::string> out;
  std::string cur;
  std::size_t cw = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n = std::min(n, s.size() - i);
    std::string_view ch(s.data() + i, n);
    std::size_t chw = dsl::text_width(ch);
    if (cw + chw > w && !cur.empty()) {
      out.push_back(cur);
      cur.clear();
      cw = 0;
    }
    cur += ch;
    cw += chw;
    i += n;
  }
  out.push_back(cur);
  return out;
}

// The same; continuation pieces are indented by two columns.
std::vector<std::string> wrap(const std::string& s, std::size_t w) {
  auto out = wrap_plain(s, w);
  if (out.size() > 1) {
    std::string rest;
    for (std::size_t k = 1; k < out.size(); ++k) rest += out[k];
    auto more = wrap_plain(rest, w > 4 ? w - 2 : w);
    out.resize(1);
    for (auto& m : more) out.push_back("  " + m);
  }
  return out;
}

}  // namespace

Explained explain_one(const checked::Policy& p, const Case& c, std::optional<int> at, const std::vector<std::uint32_t>& rules) {
  Program prog(p, c.as_of ? c.as_of : at);
  Evaluator ev(prog);
  Explained x;
  Trace t;
  ev.evaluate_traced(c, rules, x.outcome, t);
  Explanation e = build_explanation(prog, c, x.outcome, t, date_note(c, at));
  x.text = render_text(p, e);
  x.json = render_json(p, e);
  while (!x.json.empty() && x.json.back() == '\n') x.json.pop_back();
  return x;
}

SideBySide side_by_side(const checked::Policy& a, const checked::Policy& b, const std::string& xa, const std::string& xb) {
  std::vector<std::string> la{side_head('A', a), ""}, lb{side_head('B', b), ""};
  std::istringstream sa(xa), sb(xb);
  for (std::string l; std::getline(sa, l);) la.push_back(l);
  for (std::string l; std::getline(sb, l);) lb.push_back(l);
  const std::size_t skip = 3;  // the column heads, a blank line, and the titles, which always differ
  std::size_t first = skip;
  while (first < la.size() && first < lb.size() && la[first] == lb[first]) ++first;
  bool identical = la.size() == lb.size() && first == la.size();
  // Long lines are wrapped inside their column, so the columns stay aligned.
  constexpr std::size_t kMaxColumn = 70;
  std::size_t w = 0;
  for (const auto& l : la) w = std::max<std::size_t>(w, dsl::text_width(l));
  w = std::min(w, kMaxColumn);
  SideBySide r;
  if (!identical) r.first = first - skip + 1;
  for (std::size_t i = 0; i < std::max(la.size(), lb.size()); ++i) {
    bool has_l = i < la.size(), has_r = i < lb.size();
    std::string l = has_l ? la[i] : "", rt = has_r ? lb[i] : "";
    std::string mark = i < skip ? " " : (!identical && i == first) ? "≠" : (has_l && has_r && l == rt) ? " " : "│";
    auto pl = wrap(l, w), pr = wrap(rt, w);
    for (std::size_t k = 0; k < std::max(pl.size(), pr.size()); ++k) {
      std::string x = k < pl.size() ? pl[k] : "", y = k < pr.size() ? pr[k] : "";
      std::size_t xw = dsl::text_width(x);
      std::string line = x + std::string(xw < w ? w - xw : 0, ' ') + " " + (k == 0 || mark == " " ? mark : "│") + " " + y;
      while (!line.empty() && line.back() == ' ') line.pop_back();
      r.text += line + "\n";
    }
  }
  return r;
}

std::string side_head(char side, const checked::Policy& p) {
  return fmt::format("{}{}{}", side, dsl::text(Msg::Colon), p.header.name);
}

std::string part_note(const SideBySide& s) {
  return s.first ? dsl::textf(Msg::PartsFrom, *s.first) : std::string(dsl::text(Msg::PartsSame));
}

CaseUnderBoth explain_case(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args, std::optional<int> at) {
  auto pairs = shared_outputs(a, b, args.outputs);
  CaseStream stream(a, b, args.cases, {args.encoding, args.sheet});
  Case c1, c2;
  bool ok1 = false, ok2 = false;
  CaseError e1, e2;
  std::uint64_t line = 0;
  while (stream.next(line, c1, ok1, e1, c2, ok2, e2)) {
    bool match = std::to_string(line) == args.explain_case || (ok1 && c1.id_text == args.explain_case) ||
                 (ok2 && c2.id_text == args.explain_case);
    if (!match) continue;
    std::string where = fmt::format("{} line {}", args.cases, line);
    if (!ok1) throw CompareUsageError{dsl::textf(dsl::Msg::CmpUnderPolicy, where, a.header.name, e1.message)};
    if (!ok2) throw CompareUsageError{dsl::textf(dsl::Msg::CmpUnderPolicy, where, b.header.name, e2.message)};
    for (auto [p, c] : {std::pair{&a, &c1}, std::pair{&b, &c2}}) {
      Program prog(*p, c->as_of ? c->as_of : at);
      Evaluator ev(prog);
      if (auto bad = ev.validate(*c)) throw CompareUsageError{dsl::textf(dsl::Msg::CmpUnderPolicy, where, p->header.name, bad->message)};
    }
    // The outputs to explain: the --output ones, else those that differ for this case.
    std::vector<std::uint32_t> ra, rb, all_a = rules_of(pairs, &OutputPair::ra), all_b = rules_of(pairs, &OutputPair::rb);
    Explained fa = explain_one(a, c1, at, all_a), fb = explain_one(b, c2, at, all_b);
    for (auto [x, p] : {std::pair{&fa, &a}, std::pair{&fb, &b}})
      if (x->outcome.error)
        throw CompareUsageError{dsl::textf(dsl::Msg::CmpUnderPolicy, where, p->header.name, x->outcome.error->message)};
    std::vector<std::string> differing;
    for (std::size_t i = 0; i < pairs.size(); ++i)
      if (!same_output(a, b, a.rules[pairs[i].ra].type, fa.outcome.outputs[i].second, b.rules[pairs[i].rb].type,
                       fb.outcome.outputs[i].second)) {
        ra.push_back(pairs[i].ra);
        rb.push_back(pairs[i].rb);
        differing.push_back(a.rules[pairs[i].ra].name);
      }
    if (!args.outputs.empty() || ra.empty()) {
      ra = all_a;
      rb = all_b;
    }
    CaseUnderBoth r{line, c1.id_text, c1.id_json, std::move(differing), explain_one(a, c1, at, ra),
                    explain_one(b, c2, at, rb), {}};
    r.columns = side_by_side(a, b, r.a.text, r.b.text);
    return r;
  }
  throw CompareUsageError{dsl::textf(dsl::Msg::CmpNoSuchCase, args.explain_case,
                                      args.cases)};
}

}  // namespace pol::interp
