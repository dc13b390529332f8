#include "explain/explain.hpp"

#include <set>

#include <fmt/format.h>

#include "syntax/ast.hpp"
#include "base/calendar.hpp"
#include "eval/evaluator.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using checked::kNoNode;
using checked::Node;
using checked::NodeId;
using checked::Op;

namespace {

std::string enum_set(const checked::Policy& p, std::uint16_t enum_id, std::uint64_t mask) {
  std::vector<std::string> names;
  const auto& vals = p.enums[enum_id].values;
  for (std::size_t i = 0; i < vals.size(); ++i)
    if ((mask >> i) & 1) names.push_back(vals[i].name);
  return fmt::format("{}", fmt::join(names, ", "));
}

void print(const checked::Policy& p, NodeId id, const Trace* t, std::string& out) {
  const Node& n = p.nodes[id];
  bool done = t && t->node_done[id];
  if (n.parens) out.push_back('(');
  auto value = [&]() { out += plain_value(p, n.type, t->node_values[id]); };
  switch (n.op) {
    case Op::Const: out += plain_value(p, n.type, n.constant); break;
    case Op::Input:
      if (done) value();
      else out += p.inputs[n.slot].name;
      break;
    case Op::Param:
      if (done) value();
      else out += p.params[n.slot].name;
      break;
    case Op::Rule:
      if (done) value();
      else out += p.rules[n.slot].name;
      break;
    case Op::Neg:
      out.push_back('-');
      print(p, n.a, t, out);
      break;
    case Op::Not:
      out += "not ";
      print(p, n.a, t, out);
      break;
    case Op::In:
      print(p, n.a, t, out);
      out += " in {";
      out += enum_set(p, p.nodes[n.a].type.enum_id, n.mask);
      out += "}";
      break;
    case Op::Min:
    case Op::Max:
      out += n.op == Op::Min ? "min(" : "max(";
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (i) out += ", ";
        print(p, p.operands[n.first + i], t, out);
      }
      out += ")";
      break;
    case Op::Round: {
      out += n.mode == RoundMode::HalfAwayFromZero ? "round(" : n.mode == RoundMode::TowardZero ? "round_down(" : "round_up(";
      print(p, n.a, t, out);
      bool default_places = n.places == (p.nodes[n.a].type.is_money() ? 2 : 0);
      if (!default_places) out += fmt::format(", {}", n.places);
      out += ")";
      break;
    }
    case Op::AsOf:
      if (done) {
        value();
        break;
      }
      out += "as_of(" + format_date(checked::as_date(p.nodes[n.b].constant)) + ", ";
      print(p, n.a, nullptr, out);
      out += ")";
      break;
    case Op::Chain:
    case Op::Match: {
      if (n.op == Op::Match) {
        out += "match ";
        print(p, n.a, t, out);
      }
      for (std::uint32_t i = 0; i < n.count; ++i) {
        const auto& b = p.branches[n.first + i];
        if (b.condition == kNoNode && b.mask == 0) {
          out += " otherwise ";
        } else if (n.op == Op::Match) {
          out += " when " + enum_set(p, p.nodes[n.a].type.enum_id, b.mask) + " then ";
        } else {
          out += (i ? " when " : "when ");
          print(p, b.condition, t, out);
          out += " then ";
        }
        print(p, b.result, t, out);
      }
      break;
    }
    default:
      if (n.op == Op::DateAddDays && p.nodes[n.b].op == Op::Neg) {
        print(p, n.a, t, out);
        out += " - ";
        print(p, p.nodes[n.b].a, t, out);
        break;
      }
      print(p, n.a, t, out);
      out += fmt::format(" {} ", op_text(n.op));
      print(p, n.b, t, out);
  }
  if (n.parens) out.push_back(')');
}

class Builder {
public:
  Builder(const Program& prog, const Case& c, const Trace& t) : prog_(prog), p_(prog.policy()), case_(c), t_(t) {}

  ExplainNode rule(std::uint32_t r, std::set<std::uint32_t>& expanded) {
    const auto& ru = p_.rules[r];
    ExplainNode e;
    e.kind = ru.is_output ? ExplainNode::Kind::Output : ExplainNode::Kind::Let;
    e.name = ru.name;
    e.label = ru.label;
    e.clause = ru.clause;
    e.reading = ru.reading;
    e.type = ru.type;
    e.has_value = t_.rule_done[r];
    e.value = t_.rule_values[r];
    if (!expanded.insert(r).second) {
      e.seen_above = true;
      return e;
    }
    const Node& body = p_.nodes[ru.body];
    e.formula = print_expr(p_, ru.body, nullptr);
    if (body.op == Op::Chain || body.op == Op::Match) {
      e.formula.clear();
      branches(ru.body, e);
    } else {
      e.substituted = print_expr(p_, ru.body, &t_);
      if (e.substituted == e.formula) e.substituted.clear();
    }
    std::vector<NodeId> refs, dated;
    collect_refs(ru.body, refs, dated);
    for (NodeId id : refs) e.children.push_back(ref(id, expanded));
    for (NodeId id : dated)
      if (auto sub = as_of(id)) e.children.push_back(std::move(*sub));
    return e;
  }

private:
  const Program& prog_;
  const checked::Policy& p_;
  const Case& case_;
  const Trace& t_;
  std::set<std::pair<int, std::uint32_t>> dated_expanded_;  // (date, rule) shown under as_of

  // as_of(DATE, rule): the rule's derivation under the parameters in force on DATE, from the
  // same evaluator run on a program for that date; each (date, rule) is expanded once.
  std::optional<ExplainNode> as_of(NodeId id) {
    const Node& n = p_.nodes[id];
    const Node& inner = p_.nodes[n.a];
    auto date = prog_.context_date(n.slot);
    if (inner.op != Op::Rule || !date) return std::nullopt;
    std::string tag = fmt::format("〔按 {} 有效的参数〕", format_date(*date));
    if (!dated_expanded_.insert({*date, inner.slot}).second) {
      ExplainNode seen;
      seen.kind = ExplainNode::Kind::Let;
      seen.name = p_.rules[inner.slot].name;
      seen.label = p_.rules[inner.slot].label + tag;
      seen.clause = p_.rules[inner.slot].clause;
      seen.type = p_.rules[inner.slot].type;
      seen.value = t_.node_values[id];
      seen.seen_above = true;
      return seen;
    }
    Program dated(p_, date, prog_.sets());
    Evaluator ev(dated);
    Outcome out;
    Trace trace;
    ev.evaluate_traced(case_, {inner.slot}, out, trace);
    if (out.error || !trace.rule_done[inner.slot]) return std::nullopt;
    Builder sub(dated, case_, trace);
    std::set<std::uint32_t> expanded;
    ExplainNode e = sub.rule(inner.slot, expanded);
    e.kind = ExplainNode::Kind::Let;
    e.label += tag;
    return e;
  }

  void branches(NodeId id, ExplainNode& e) {
    const Node& n = p_.nodes[id];
    for (std::uint32_t i = 0; i < n.count; ++i) {
      const auto& b = p_.branches[n.first + i];
      ExplainNode br;
      br.kind = ExplainNode::Kind::Branch;
      br.source = b.clause;
      br.type = p_.nodes[b.result].type;
      bool otherwise = b.condition == kNoNode && b.mask == 0;
      if (n.op == Op::Chain && !otherwise) {
        if (!t_.node_done[b.condition]) break;  // not tried: an earlier branch was taken
        br.formula = print_expr(p_, b.condition, nullptr);
        br.substituted = print_expr(p_, b.condition, &t_);
        br.flag = checked::as_bool(t_.node_values[b.condition]);
      } else if (n.op == Op::Match && !otherwise) {
        if (!t_.node_done[n.a]) break;
        const Node& subj = p_.nodes[n.a];
        br.formula = fmt::format("{} in {{{}}}", print_expr(p_, n.a, nullptr), enum_set(p_, subj.type.enum_id, b.mask));
        br.substituted = fmt::format("{} in {{{}}}", print_expr(p_, n.a, &t_), enum_set(p_, subj.type.enum_id, b.mask));
        br.flag = (b.mask >> checked::as_enum(t_.node_values[n.a])) & 1;
      } else {
        br.formula = "otherwise";
        br.flag = true;
      }
      br.result = print_expr(p_, b.result, nullptr);
      br.taken = br.flag && t_.node_done[b.result];
      if (br.taken) {
        br.value = t_.node_values[b.result];
        std::string sub = print_expr(p_, b.result, &t_);
        if (sub != br.result) br.substituted = br.substituted.empty() ? sub : br.substituted;
      }
      br.has_value = br.taken;
      bool taken = br.taken;
      e.children.push_back(std::move(br));
      if (taken) break;
    }
  }

  // The inputs, parameters and definitions a body read, in the order they appear.
  void collect_refs(NodeId id, std::vector<NodeId>& out, std::vector<NodeId>& dated) {
    const Node& n = p_.nodes[id];
    if (!t_.node_done[id] && n.op != Op::Chain && n.op != Op::Match) return;
    switch (n.op) {
      case Op::Input:
      case Op::Param:
      case Op::Rule:
        for (NodeId o : out)
          if (p_.nodes[o].op == n.op && p_.nodes[o].slot == n.slot) return;
        out.push_back(id);
        return;
      case Op::AsOf:  // evaluated under another date: shown whole by as_of(), not taken apart here
        dated.push_back(id);
        return;
      case Op::Min:
      case Op::Max:
        for (std::uint32_t i = 0; i < n.count; ++i) collect_refs(p_.operands[n.first + i], out, dated);
        return;
      case Op::Chain:
      case Op::Match:
        if (n.a != kNoNode) collect_refs(n.a, out, dated);
        for (std::uint32_t i = 0; i < n.count; ++i) {
          const auto& b = p_.branches[n.first + i];
          if (b.condition != kNoNode) collect_refs(b.condition, out, dated);
          collect_refs(b.result, out, dated);
        }
        return;
      default:
        if (n.a != kNoNode) collect_refs(n.a, out, dated);
        if (n.b != kNoNode) collect_refs(n.b, out, dated);
    }
  }

  ExplainNode ref(NodeId id, std::set<std::uint32_t>& expanded) {
    const Node& n = p_.nodes[id];
    if (n.op == Op::Rule) return rule(n.slot, expanded);
    ExplainNode e;
    e.type = n.type;
    e.value = t_.node_values[id];
    if (n.op == Op::Input) {
      const auto& in = p_.inputs[n.slot];
      e.kind = ExplainNode::Kind::Input;
      e.name = in.name;
      e.label = in.label;
      e.clause = in.clause;
      e.reading = in.reading;
      e.flag = case_.state[n.slot] == InputState::Defaulted;
    } else {
      const auto& pa = p_.params[n.slot];
      e.kind = ExplainNode::Kind::Param;
      e.name = pa.name;
      e.label = pa.label;
      e.clause = pa.clause;
      e.reading = pa.reading;
      int choice = prog_.param_choice(n.slot);
      if (choice == -2) {
        e.set_by_user = true;
      } else if (choice >= 0) {
        const auto& v = pa.values[choice];
        e.flag = v.placeholder;
        e.source = v.source;
        e.from = v.from;
      }
    }
    return e;
  }
};

// ---- text

std::string clause_tag(const std::string& c) { return c.empty() ? "" : fmt::format("  【{}】", c); }

std::string head_text(const checked::Policy& p, const ExplainNode& e) {
  std::string v = e.has_value ? text_value(p, e.type, e.value) : "（未求值）";
  switch (e.kind) {
    case ExplainNode::Kind::Output:
    case ExplainNode::Kind::Let:
      return fmt::format("{} {} = {}{}{}", e.name, e.label, v, clause_tag(e.clause), e.seen_above ? "  （见上）" : "");
    case ExplainNode::Kind::Input:
      return fmt::format("{} {} = {}  〔输入{}〕", e.name, e.label, v, e.flag ? "，未提供，取默认值" : "");
    case ExplainNode::Kind::Param: {
      std::string src;
      if (e.set_by_user) src = "本次运行以 --set 设定";
      else {
        src = e.from ? fmt::format("自 {} 起", format_date(*e.from)) : std::string("始终适用");
        if (!e.source.empty()) src += fmt::format("；{}：{}", e.flag ? "占位值（未证实）" : "来源", e.source);
      }
      return fmt::format("{} {} = {}  〔参数，{}〕{}", e.name, e.label, v, src, e.flag ? " ⚠" : "");
    }
    case ExplainNode::Kind::Branch: {
      if (e.formula == "otherwise") return fmt::format("✓ 其他情形 → {}{}", e.has_value ? text_value(p, e.type, e.value) : e.result, clause_tag(e.source));
      std::string s = fmt::format("{} 条件 {}", e.flag ? "✓" : "✗", e.formula);
      return s;
    }
  }
  return "";
}

void text_node(const checked::Policy& p, const ExplainNode& e, const std::string& indent, bool last, bool root,
               std::string& out) {
  std::string branch = root ? "" : (last ? "└─ " : "├─ ");
  std::string cont = root ? "" : (last ? "   " : "│  ");
  out += indent + branch + head_text(p, e) + "\n";
  std::string inner = indent + cont;
  bool has_kids = !e.children.empty();
  std::string bar = has_kids ? "│  " : "   ";
  if (e.kind == ExplainNode::Kind::Branch) {
    if (e.formula != "otherwise") {
      std::string verdict = e.flag ? (e.taken ? fmt::format("成立 → 取值 {}", text_value(p, e.type, e.value)) : "成立")
                                   : "不成立";
      out += fmt::format("{}    代入：{}  ⇒ {}{}\n", inner, e.substituted, verdict, clause_tag(e.source));
    }
  } else {
    if (!e.reading.empty()) out += fmt::format("{}{}解读：{}\n", inner, bar, e.reading);
    if (!e.formula.empty()) out += fmt::format("{}{}= {}\n", inner, bar, e.formula);
    if (!e.substituted.empty()) out += fmt::format("{}{}= {}\n", inner, bar, e.substituted);
  }
  for (std::size_t i = 0; i < e.children.size(); ++i) {
    const auto& c = e.children[i];
    // Branch lines sit above the tree of what was used.
    text_node(p, c, inner, i + 1 == e.children.size(), false, out);
  }
}

std::string date_line(const Explanation& e) {
  if (e.as_of) return fmt::format("决定日期 {}（{}）", format_date(*e.as_of), e.date_note);
  return "未指定决定日期：各参数取其最新值";
}

// ---- json

void json_node(const checked::Policy& p, const ExplainNode& e, std::string& out) {
  static const char* kinds[] = {"output", "let", "input", "param", "branch"};
  out += "{\"kind\":";
  append_json_string(out, kinds[static_cast<int>(e.kind)]);
  if (!e.name.empty()) {
    out += ",\"name\":";
    append_json_string(out, e.name);
    out += ",\"label\":";
    append_json_string(out, e.label);
  }
  if (e.has_value) {
    out += ",\"value\":";
    append_json_value(out, p, e.type, e.value);
    out += ",\"text\":";
    append_json_string(out, text_value(p, e.type, e.value));
  }
  if (!e.clause.empty()) {
    out += ",\"clause\":";
    append_json_string(out, e.clause);
  }
  if (!e.reading.empty()) {
    out += ",\"reading\":";
    append_json_string(out, e.reading);
  }
  if (!e.formula.empty()) {
    out += e.kind == ExplainNode::Kind::Branch ? ",\"condition\":" : ",\"formula\":";
    append_json_string(out, e.formula);
  }
  if (!e.substituted.empty()) {
    out += ",\"substituted\":";
    append_json_string(out, e.substituted);
  }
  switch (e.kind) {
    case ExplainNode::Kind::Input: out += fmt::format(",\"defaulted\":{}", e.flag); break;
    case ExplainNode::Kind::Param:
      out += fmt::format(",\"placeholder\":{},\"set_for_run\":{}", e.flag, e.set_by_user);
      if (e.from) out += fmt::format(",\"effective_from\":\"{}\"", format_date(*e.from));
      if (!e.source.empty()) {
        out += ",\"source\":";
        append_json_string(out, e.source);
      }
      break;
    case ExplainNode::Kind::Branch:
      out += fmt::format(",\"holds\":{},\"taken\":{}", e.flag, e.taken);
      out += ",\"result\":";
      append_json_string(out, e.result);
      if (!e.source.empty()) {
        out += ",\"clause\":";
        append_json_string(out, e.source);
      }
      break;
    default:
      if (e.seen_above) out += ",\"see_above\":true";
  }
  if (!e.children.empty()) {
    out += ",\"steps\":[";
    for (std::size_t i = 0; i < e.children.size(); ++i) {
      if (i) out.push_back(',');
      json_node(p, e.children[i], out);
    }
    out += "]";
  }
  out += "}";
}

// ---- markdown and html

std::string md_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '*' || c == '_' || c == '`' || c == '|' || c == '<' || c == '>' || c == '[' || c == ']') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

void md_node(const checked::Policy& p, const ExplainNode& e, int depth, std::string& out) {
  std::string ind(static_cast<std::size_t>(depth) * 2, ' ');
  std::string head = head_text(p, e);
  if (e.kind == ExplainNode::Kind::Output || e.kind == ExplainNode::Kind::Let)
    head = fmt::format("**{}** {} = **{}**{}{}", e.name, md_escape(e.label),
                       e.has_value ? md_escape(text_value(p, e.type, e.value)) : "（未求值）", md_escape(clause_tag(e.clause)),
                       e.seen_above ? "（见上）" : "");
  else head = md_escape(head);
  out += fmt::format("{}- {}\n", ind, head);
  if (e.kind == ExplainNode::Kind::Branch) {
    if (e.formula != "otherwise")
      out += fmt::format("{}  - 代入：`{}` ⇒ {}{}\n", ind, e.substituted,
                         e.flag ? (e.taken ? "成立 → 取值 " + md_escape(text_value(p, e.type, e.value)) : std::string("成立")) : "不成立",
                         md_escape(clause_tag(e.source)));
  } else {
    if (!e.reading.empty()) out += fmt::format("{}  - 解读：{}\n", ind, md_escape(e.reading));
    if (!e.formula.empty()) out += fmt::format("{}  - 公式：`{}`\n", ind, e.formula);
    if (!e.substituted.empty()) out += fmt::format("{}  - 代入：`{}`\n", ind, e.substituted);
  }
  for (const auto& c : e.children) md_node(p, c, depth + 1, out);
}

std::string html_escape(const std::string& s) {
  std::string out;
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

void html_node(const checked::Policy& p, const ExplainNode& e, std::string& out) {
  static const char* cls[] = {"output", "let", "input", "param", "branch"};
  const char* c = cls[static_cast<int>(e.kind)];
  std::string extra = e.kind == ExplainNode::Kind::Branch ? (e.flag ? " holds" : " fails") : "";
  if (e.kind == ExplainNode::Kind::Param && e.flag) extra = " placeholder";
  out += fmt::format("<li class=\"{}{}\">", c, extra);
  bool open = !e.children.empty() || !e.formula.empty();
  if (open) out += e.kind == ExplainNode::Kind::Output ? "<details open><summary>" : "<details><summary>";
  if (e.kind == ExplainNode::Kind::Output || e.kind == ExplainNode::Kind::Let) {
    out += fmt::format("<code>{}</code> {} = <b>{}</b>", html_escape(e.name), html_escape(e.label),
                       e.has_value ? html_escape(text_value(p, e.type, e.value)) : "（未求值）");
    if (!e.clause.empty()) out += fmt::format(" <span class=\"clause\">{}</span>", html_escape(e.clause));
    if (e.seen_above) out += " <span class=\"see\">（见上）</span>";
  } else {
    out += html_escape(head_text(p, e));
  }
  if (open) out += "</summary>";
  if (e.kind == ExplainNode::Kind::Branch) {
    if (e.formula != "otherwise")
      out += fmt::format("<div class=\"sub\">代入：<code>{}</code> ⇒ {}{}</div>", html_escape(e.substituted),
                         e.flag ? (e.taken ? "成立 → 取值 " + html_escape(text_value(p, e.type, e.value)) : std::string("成立")) : "不成立",
                         e.source.empty() ? std::string() : fmt::format(" <span class=\"clause\">{}</span>", html_escape(e.source)));
  } else {
    if (!e.reading.empty()) out += fmt::format("<div class=\"reading\">解读：{}</div>", html_escape(e.reading));
    if (!e.formula.empty()) out += fmt::format("<div class=\"formula\">= <code>{}</code></div>", html_escape(e.formula));
    if (!e.substituted.empty()) out += fmt::format("<div class=\"formula\">= <code>{}</code></div>", html_escape(e.substituted));
  }
  if (!e.children.empty()) {
    out += "<ul>";
    for (const auto& k : e.children) html_node(p, k, out);
    out += "</ul>";
  }
  if (open) out += "</details>";
  out += "</li>\n";
}

std::string error_text(const EvalError& e) { return e.message; }

}  // namespace

std::string print_expr(const checked::Policy& p, NodeId id, const Trace* trace) {
  std::string out;
  print(p, id, trace, out);
  return out;
}

Explanation build_explanation(const Program& program, const Case& c, const Outcome& outcome, const Trace& trace,
                              std::string date_note) {
  Explanation e;
  const auto& p = program.policy();
  e.policy_name = p.header.name;
  e.policy_title = p.header.title;
  e.as_of = program.date();
  e.date_note = std::move(date_note);
  e.case_id = c.id_text;
  e.error = outcome.error;
  Builder b(program, c, trace);
  // A definition is expanded once in the whole explanation; later uses say "见上".
  std::set<std::uint32_t> expanded;
  for (const auto& [r, v] : outcome.outputs) e.outputs.push_back(b.rule(r, expanded));
  return e;
}

std::string render_text(const checked::Policy& p, const Explanation& e) {
  std::string out = fmt::format("{}（{}）\n{}\n", e.policy_title, e.policy_name, date_line(e));
  if (!e.case_id.empty()) out += fmt::format("案例 {}\n", e.case_id);
  for (const auto& o : e.outputs) {
    out += "\n";
    text_node(p, o, "", true, true, out);
  }
  if (e.error) out += fmt::format("\n错误：{}\n", error_text(*e.error));
  return out;
}

std::string render_json(const checked::Policy& p, const Explanation& e) {
  std::string out = "{\"policy\":";
  append_json_string(out, e.policy_name);
  out += ",\"title\":";
  append_json_string(out, e.policy_title);
  out += ",\"as_of\":";
  if (e.as_of) out += fmt::format("\"{}\"", format_date(*e.as_of));
  else out += "null";
  out += ",\"date_note\":";
  append_json_string(out, e.as_of ? e.date_note : "no decision date: each parameter's latest value is used");
  if (!e.case_id.empty()) {
    out += ",\"id\":";
    append_json_string(out, e.case_id);
  }
  out += ",\"outputs\":[";
  for (std::size_t i = 0; i < e.outputs.size(); ++i) {
    if (i) out.push_back(',');
    json_node(p, e.outputs[i], out);
  }
  out += "]";
  if (e.error) {
    out += ",\"error\":";
    append_json_string(out, e.error->message);
  }
  out += "}\n";
  return out;
}

std::string render_markdown(const checked::Policy& p, const Explanation& e) {
  std::string out = fmt::format("# {}（{}）\n\n{}\n", md_escape(e.policy_title), e.policy_name, date_line(e));
  if (!e.case_id.empty()) out += fmt::format("\n案例 {}\n", md_escape(e.case_id));
  out += "\n| 输出 | 含义 | 结果 | 条款 |\n| --- | --- | --- | --- |\n";
  for (const auto& o : e.outputs)
    out += fmt::format("| `{}` | {} | {} | {} |\n", o.name, md_escape(o.label), md_escape(text_value(p, o.type, o.value)),
                       md_escape(o.clause));
  out += "\n## 推导过程\n\n";
  for (const auto& o : e.outputs) md_node(p, o, 0, out);
  if (e.error) out += fmt::format("\n**错误**：{}\n", md_escape(e.error->message));
  return out;
}

std::string render_html(const checked::Policy& p, const Explanation& e) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(e.policy_title) +
      "</title>\n<style>\n"
      "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:2em;max-width:60em;color:#222}\n"
      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}\n"
      "ul{list-style:none;padding-left:1.4em;border-left:1px dotted #bbb}\n"
      "li{margin:.2em 0}.clause{color:#735;font-size:.9em}.input{color:#045}.param{color:#450}\n"
      ".placeholder{background:#fff3cd}.fails{color:#a00}.holds{color:#060}.formula,.sub,.reading{color:#555;margin-left:1em}\n"
      "code{background:#f4f4f4;padding:0 .2em}\n</style>\n</head>\n<body>\n";
  out += fmt::format("<h1>{}（{}）</h1>\n<p>{}</p>\n", html_escape(e.policy_title), html_escape(e.policy_name),
                     html_escape(date_line(e)));
  if (!e.case_id.empty()) out += fmt::format("<p>案例 {}</p>\n", html_escape(e.case_id));
  out += "<table>\n<tr><th>输出</th><th>含义</th><th>结果</th><th>条款</th></tr>\n";
  for (const auto& o : e.outputs)
    out += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n", html_escape(o.name),
                       html_escape(o.label), html_escape(text_value(p, o.type, o.value)), html_escape(o.clause));
  out += "</table>\n<h2>推导过程</h2>\n<ul>\n";
  for (const auto& o : e.outputs) html_node(p, o, out);
  out += "</ul>\n";
  if (e.error) out += fmt::format("<p class=\"fails\">错误：{}</p>\n", html_escape(e.error->message));
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace pol::interp
