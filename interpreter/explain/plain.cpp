#include "explain/plain.hpp"

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using checked::Node;
using checked::NodeId;
using checked::Op;
using dsl::Msg;
using dsl::text;
using dsl::textf;
using State = ConditionPart::State;

namespace {

bool done(const ValueView& v, NodeId id) { return v.t.node_done[id] != 0; }
bool is_ref(const Node& n) { return n.op == Op::Input || n.op == Op::Param || n.op == Op::Rule; }

std::string ref_label(const ValueView& v, const Node& n) {
  switch (n.op) {
    case Op::Input: return short_label(v.p.inputs[n.slot].label);
    case Op::Param: return short_label(v.p.params[n.slot].label);
    case Op::Rule: return short_label(v.p.rules[n.slot].label);
    case Op::AsOf: return v.p.nodes[n.a].op == Op::Rule ? short_label(v.p.rules[v.p.nodes[n.a].slot].label) : "";
    default: return "";
  }
}

std::string quoted(std::string_view s) { return textf(Msg::Quoted, s); }

// The labels of the enum values in `mask`, quoted: "“男”、“女”".
std::string labels_of(const checked::Policy& p, std::uint16_t enum_id, std::uint64_t mask, int& count) {
  std::string out;
  count = 0;
  const auto& vals = p.enums[enum_id].values;
  for (std::size_t i = 0; i < vals.size(); ++i) {
    if (!((mask >> i) & 1)) continue;
    if (count++) out += text(Msg::ListSep);
    out += quoted(vals[i].label);
  }
  return out;
}

const char* symbol(Op op) {
  switch (op) {
    case Op::Add: return "+";
    case Op::Sub: return "−";
    case Op::Mul: return "×";
    case Op::Div: return "÷";
    case Op::Eq: return "=";
    case Op::Ne: return "≠";
    case Op::Lt: return "<";
    case Op::Le: return "≤";
    case Op::Gt: return ">";
    case Op::Ge: return "≥";
    case Op::DateAddDays: return "+";
    case Op::DateDiffDays: return "−";
    case Op::DateAddMonths: return "+";
    default: return checked::op_text(op);
  }
}

std::string_view round_word(RoundMode m) {
  return text(m == RoundMode::HalfAwayFromZero ? Msg::RoundHalf : m == RoundMode::TowardZero ? Msg::RoundDown : Msg::RoundUp);
}

void print(const ValueView& v, NodeId id, std::string& out) {
  const Node& n = v.p.nodes[id];
  if (n.parens) out += "(";
  switch (n.op) {
    case Op::Const: out += text_value(v.p, n.type, n.constant); break;
    case Op::Input:
    case Op::Param:
    case Op::Rule:
      out += done(v, id) ? node_value_text(v, id) : textf(Msg::Unevaluated, ref_label(v, n));
      break;
    case Op::Given:
      out += textf(v.p.nodes[id].input_free || !done(v, id) || checked::as_bool(v.t.node_values[id]) ? Msg::WordGiven : Msg::WordNotGiven,
                   quoted(short_label(v.p.inputs[n.slot].label)));
      break;
    case Op::Neg:
      out += "−";
      print(v, n.a, out);
      break;
    case Op::Not:
      out += fmt::format("{} ", text(Msg::WordNot));
      print(v, n.a, out);
      break;
    case Op::In: {
      print(v, n.a, out);
      int count = 0;
      out += fmt::format(" {} {}", text(Msg::WordIn), labels_of(v.p, v.p.nodes[n.a].type.enum_id, n.mask, count));
      break;
    }
    case Op::Min:
    case Op::Max:
      out += text(n.op == Op::Min ? Msg::WordMin : Msg::WordMax);
      out += "(";
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (i) out += ", ";
        print(v, v.p.operands[n.first + i], out);
      }
      out += ")";
      break;
    case Op::Round:
      out += round_word(n.mode);
      out += "(";
      print(v, n.a, out);
      out += ")";
      break;
    case Op::AsOf:
    case Op::Chain:
    case Op::Match:
      out += done(v, id) ? node_value_text(v, id) : textf(Msg::Unevaluated, ref_label(v, n));
      break;
    case Op::And:
    case Op::Or:
      print(v, n.a, out);
      out += fmt::format(" {} ", text(n.op == Op::And ? Msg::WordAnd : Msg::WordOr));
      print(v, n.b, out);
      break;
    case Op::MonthsBetween: {
      std::string from, to;
      print(v, n.a, from);
      print(v, n.b, to);
      out += textf(Msg::WordMonthsBetween, from, to);
      break;
    }
    default:
      if ((n.op == Op::DateAddDays || n.op == Op::DateAddMonths) && v.p.nodes[n.b].op == Op::Neg) {
        print(v, n.a, out);
        out += " − ";
        print(v, v.p.nodes[n.b].a, out);
        break;
      }
      print(v, n.a, out);
      out += fmt::format(" {} ", symbol(n.op));
      print(v, n.b, out);
  }
  if (n.parens) out += ")";
}

// An operand of a comparison: its label and value ("累计缴费年限 22 年"), a literal's value,
// or the expression in words with its value.
std::string operand(const ValueView& v, NodeId id, bool right) {
  const Node& n = v.p.nodes[id];
  std::string value = done(v, id) ? node_value_text(v, id) : std::string();
  std::string label = ref_label(v, n);
  if (!label.empty()) return value.empty() ? label : fmt::format("{} {}", label, value);
  if (n.op == Op::Const) return right ? " " + value : value;
  std::string e = math_expr(v, id);
  std::string s = value.empty() || value == e ? e : fmt::format("{} = {}", e, value);
  return right ? " " + s : s;
}

// The subject of an enum or yes/no test: its label, or the expression in words.
std::string subject(const ValueView& v, NodeId id) {
  std::string label = ref_label(v, v.p.nodes[id]);
  return label.empty() ? math_expr(v, id) : label;
}

std::string comparison(const ValueView& v, NodeId id, bool holds) {
  const Node& n = v.p.nodes[id];
  const Node& a = v.p.nodes[n.a];
  if (a.type.base == dsl::Base::Enum || a.type.base == dsl::Base::Bool) {
    std::string s = subject(v, n.a), x = quoted(node_value_text(v, n.a)), y = quoted(node_value_text(v, n.b));
    bool same = (n.op == Op::Eq) == holds;
    return same ? textf(Msg::IsValue, s, x) : textf(Msg::IsNotValue, s, x, y);
  }
  bool date = a.type.base == dsl::Base::Date;
  Msg verb = Msg::CmpEqual;
  bool gap_b_minus_a = false, gap_a_minus_b = false;
  switch (n.op) {
    case Op::Ge:
      verb = date ? (holds ? Msg::DateNotBefore : Msg::DateBefore) : (holds ? Msg::CmpAtLeast : Msg::CmpBelow);
      gap_b_minus_a = !holds;
      break;
    case Op::Gt: verb = date ? (holds ? Msg::DateAfter : Msg::DateNotAfter) : (holds ? Msg::CmpMore : Msg::CmpNotMore); break;
    case Op::Le:
      verb = date ? (holds ? Msg::DateNotAfter : Msg::DateAfter) : (holds ? Msg::CmpNotMore : Msg::CmpMore);
      gap_a_minus_b = !holds;
      break;
    case Op::Lt: verb = date ? (holds ? Msg::DateBefore : Msg::DateNotBefore) : (holds ? Msg::CmpLess : Msg::CmpAtLeast); break;
    case Op::Eq: verb = holds ? Msg::CmpEqual : Msg::CmpNotEqual; break;
    default: verb = holds ? Msg::CmpNotEqual : Msg::CmpEqual; break;
  }
  std::string s = textf(Msg::Compared, operand(v, n.a, false), text(verb), operand(v, n.b, true));
  if (!date && (gap_a_minus_b || gap_b_minus_a) && done(v, n.a) && done(v, n.b)) {
    try {
      Value x = v.t.node_values[n.a], y = v.t.node_values[n.b];
      Value gap = gap_b_minus_a ? y - x : x - y;
      if (!gap.is_zero()) s += textf(gap_b_minus_a ? Msg::Gap : Msg::GapOver, text_value(v.p, a.type, gap));
    } catch (const DecimalOverflow&) {
      // no gap shown for numbers at the limit
    }
  }
  return s;
}

std::string set_test(const ValueView& v, NodeId subj, std::uint64_t mask, bool in) {
  int count = 0;
  std::string set = labels_of(v.p, v.p.nodes[subj].type.enum_id, mask, count);
  std::string s = subject(v, subj), x = quoted(node_value_text(v, subj));
  if (count == 1) return in ? textf(Msg::IsValue, s, x) : textf(Msg::IsNotValue, s, x, set);
  return textf(in ? Msg::InSet : Msg::NotInSet, s, x, set);
}

void flatten(const checked::Policy& p, NodeId id, Op op, std::vector<NodeId>& out) {
  const Node& n = p.nodes[id];
  if (n.op != op) {
    out.push_back(id);
    return;
  }
  flatten(p, n.a, op, out);
  flatten(p, n.b, op, out);
}

void parts(const ValueView& v, NodeId id, std::vector<ConditionPart>& out) {
  const Node& n = v.p.nodes[id];
  bool extra = v.extra[id] != 0;
  if (!done(v, id)) {
    std::string label = ref_label(v, n);
    out.push_back({textf(Msg::NotNeeded, label.empty() ? math_expr(v, id) : label), State::NotNeeded, false});
    return;
  }
  bool value = checked::as_bool(v.t.node_values[id]);
  State state = value ? State::Holds : State::Fails;
  switch (n.op) {
    case Op::And:
    case Op::Or: {
      std::vector<NodeId> ops;
      flatten(v.p, id, n.op, ops);
      // A false `and` is explained by its false parts, a true `or` by its true parts.
      bool decisive = n.op == Op::Or;
      bool select = value == decisive;
      // A part of a false `and` that cannot be evaluated is shown as not needed.
      for (NodeId o : ops)
        if (!select || (done(v, o) ? checked::as_bool(v.t.node_values[o]) == decisive : n.op == Op::And)) parts(v, o, out);
      return;
    }
    case Op::Not: {
      const Node& inner = v.p.nodes[n.a];
      bool leaf = inner.op == Op::Input || inner.op == Op::Param || inner.op == Op::Rule || inner.op == Op::Const;
      if (leaf) {  // "已达到法定退休年龄：是（此条件要求为否）"
        std::string fact = textf(Msg::BoolFact, subject(v, n.a), node_value_text(v, n.a));
        out.push_back({value ? fact : textf(Msg::NotRequired, fact), state, extra});
        return;
      }
      std::size_t from = out.size();
      parts(v, n.a, out);
      for (std::size_t i = from; i < out.size(); ++i)
        if (out[i].state != State::NotNeeded) out[i].state = out[i].state == State::Holds ? State::Fails : State::Holds;
      return;
    }
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: out.push_back({comparison(v, id, value), state, extra}); return;
    case Op::In: out.push_back({set_test(v, n.a, n.mask, value), state, extra}); return;
    case Op::Given: out.push_back({math_expr(v, id), state, extra}); return;  // "案件未给出“出生日期”"
    default: out.push_back({textf(Msg::BoolFact, subject(v, id), node_value_text(v, id)), state, extra});
  }
}

}  // namespace

std::string short_label(const std::string& label) {
  static constexpr std::string_view open = "（", close = "）";
  if (label.size() <= close.size() || label.compare(label.size() - close.size(), close.size(), close) != 0) return label;
  auto at = label.rfind(open);
  if (at == std::string::npos || at == 0) return label;
  return label.substr(0, at);
}

std::string node_value_text(const ValueView& v, NodeId id) {
  const Node& n = v.p.nodes[id];
  if (n.op == Op::Param && !v.written[n.slot].empty()) return v.written[n.slot];
  if (n.op == Op::Const) return text_value(v.p, n.type, n.constant);
  return text_value(v.p, n.type, v.t.node_values[id]);
}

std::string math_expr(const ValueView& v, NodeId id) {
  std::string out;
  print(v, id, out);
  return out;
}

std::string arithmetic_of(const ValueView& v, NodeId id) {
  const Node& n = v.p.nodes[id];
  bool figure = n.type.is_number() || n.type.base == dsl::Base::Date;
  if (!figure || !done(v, id) || is_ref(n)) return "";
  switch (n.op) {
    case Op::Const:
    case Op::AsOf:
    case Op::Chain:
    case Op::Match: return "";
    default: break;
  }
  std::string value = node_value_text(v, id);
  if (n.op != Op::Round) return fmt::format("{} = {}", value, math_expr(v, id));
  bool money = n.type.is_money();
  std::string places = n.places == 0 ? std::string(text(Msg::RoundToWhole))
                     : money && n.places == 2 ? std::string(text(Msg::RoundToFen))
                                              : textf(Msg::RoundToPlaces, n.places);
  std::string inner = math_expr(v, n.a);
  if (inner == value) return "";
  return fmt::format("{} = {}{}{}{}", value, inner, text(Msg::Comma), round_word(n.mode), places);
}

std::vector<ConditionPart> condition_parts(const ValueView& v, NodeId id) {
  std::vector<ConditionPart> out;
  parts(v, id, out);
  return out;
}

std::string arm_sentence(const ValueView& v, NodeId subj, std::uint64_t mask) {
  int index = checked::as_enum(v.t.node_values[subj]);
  return set_test(v, subj, mask, (mask >> index) & 1);
}

}  // namespace pol::interp
