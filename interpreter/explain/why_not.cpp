#include "explain/why_not.hpp"

#include <fmt/format.h>

#include "base/messages.hpp"
#include "explain/plain.hpp"
#include "explain/print.hpp"
#include "explain/words.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using checked::Op;
using dsl::Msg;
using dsl::text;
using dsl::textf;

namespace {

const dsl::Type& output_type(const checked::Policy& p, const WhyNotSearch& w) { return p.rules[w.output].type; }

// "10 → 15 年（+5）", "否 → 是".
std::string change_text(const checked::Policy& p, const WhyNotChange& c, bool names) {
  const auto& in = p.inputs[c.input];
  std::string from = !c.from ? std::string(text(Msg::WhyNotNotGiven))
                   : in.type.is_number() ? plain_value(p, in.type, *c.from)
                                         : text_value(p, in.type, *c.from);
  std::string s = fmt::format("{}{} {} → {}", names ? in.name + " " : "", short_label(in.label), from, text_value(p, in.type, c.to));
  if (c.difference) {
    std::string d = plain_value(p, in.type, *c.difference);
    if (*c.difference > checked::Value()) d = "+" + d;
    s += textf(Msg::Parenthesized, d);
  }
  return s;
}

Op flipped(Op op) {
  switch (op) {
    case Op::Lt: return Op::Gt;
    case Op::Le: return Op::Ge;
    case Op::Gt: return Op::Lt;
    case Op::Ge: return Op::Le;
    default: return op;
  }
}

// The comparison as the rule writes it, in words ("不少于", "超过").
std::string_view comparison_word(Op op) {
  switch (op) {
    case Op::Ge: return text(Msg::CmpAtLeast);
    case Op::Gt: return text(Msg::CmpMore);
    case Op::Le: return text(Msg::CmpNotMore);
    case Op::Lt: return text(Msg::CmpLess);
    case Op::Eq: return text(Msg::CmpEqual);
    default: return text(Msg::CmpNotEqual);
  }
}

std::string binding_text(const checked::Policy& p, const WhyNotBinding& b) {
  const auto& in = p.inputs[b.input];
  Op op = b.input_left ? b.op : flipped(b.op);
  std::string other = text_value(p, in.type, b.threshold);
  if (!b.other_label.empty()) other = short_label(b.other_label) + " " + other;
  return textf(b.holds_after ? Msg::WhyNotCrossUp : Msg::WhyNotCrossDown, short_label(in.label), comparison_word(op), other) +
         clause_tag(b.clause);
}

}  // namespace

WhyNotLines why_not_lines(const checked::Policy& p, const WhyNotSearch& w, bool names) {
  WhyNotLines l;
  const auto& out = p.rules[w.output];
  std::string now = text_value(p, out.type, w.current);
  l.question = w.target ? textf(Msg::WhyNotAskTarget, out.label, text_value(p, out.type, *w.target), now)
                        : textf(Msg::WhyNotAskOther, out.label, now);
  if (!w.found.empty()) l.question += text(Msg::WhyNotCanChange);
  for (const auto& f : w.found) {
    WhyNotLines::Item item;
    for (std::size_t i = 0; i < f.changes.size(); ++i) {
      if (i) item.change += text(Msg::WhyNotAnd);
      item.change += change_text(p, f.changes[i], names);
    }
    item.change += fmt::format(" ⇒ {}{}{}", out.label, text(Msg::Colon), text_value(p, out.type, f.value));
    for (const auto& b : f.bindings) item.bindings.push_back(binding_text(p, b));
    l.items.push_back(std::move(item));
  }
  if (w.found.empty()) l.none = text(Msg::WhyNotNone);
  if (!w.fixed.empty()) {
    std::string held;
    for (std::size_t i = 0; i < w.fixed.size(); ++i) held += (i ? std::string(text(Msg::WhyNotListSep)) : "") + p.inputs[w.fixed[i]].label;
    l.fixed = textf(Msg::WhyNotFixed, held);
  }
  l.tried = textf(Msg::WhyNotTried, w.tried, w.invalid);
  if (w.cut) l.cut = text(Msg::WhyNotCut);
  return l;
}

void why_not_json(const checked::Policy& p, const WhyNotSearch& w, JsonWriter& o) {
  const auto& t = output_type(p, w);
  o.key("why_not").begin_object().field("output", p.rules[w.output].name).key("target");
  if (w.target) o.value(p, t, *w.target);
  else o.null();
  o.key("current").value(p, t, w.current);
  std::vector<std::string> fixed;
  for (auto slot : w.fixed) fixed.push_back(p.inputs[slot].name);
  o.key("fixed").strings(fixed).field("tried", w.tried).field("invalid", w.invalid).field("cut", w.cut);
  o.key("found").begin_array();
  WhyNotLines lines = why_not_lines(p, w);
  for (std::size_t i = 0; i < w.found.size(); ++i) {
    const auto& f = w.found[i];
    o.begin_object().key("changes").begin_array();
    for (const auto& c : f.changes) {
      const auto& in = p.inputs[c.input];
      o.begin_object().field("input", in.name).field("label", in.label).key("from");
      if (c.from) o.value(p, in.type, *c.from);
      else o.null();
      o.key("to").value(p, in.type, c.to);
      if (c.difference) o.key("difference").value(p, in.type, *c.difference);
      o.end_object();
    }
    o.end_array().key("bindings").begin_array();
    for (const auto& b : f.bindings) {
      const auto& in = p.inputs[b.input];
      o.begin_object().field("input", in.name).field("comparison", print_expr(p, b.comparison, nullptr));
      o.key("threshold").value(p, in.type, b.threshold);
      if (!b.other_name.empty()) o.field("threshold_name", b.other_name);
      o.field("clause", b.clause).field("held_before", b.held_before).field("holds_after", b.holds_after);
      o.field("text", binding_text(p, b)).end_object();
    }
    o.end_array().key("value").value(p, t, f.value).field("text", lines.items[i].change).end_object();
  }
  o.end_array().end_object();
}

}  // namespace pol::interp
