#include "compare/compare.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <simdjson.h>

#include "base/calendar.hpp"
#include "cases/case.hpp"
#include "check/checker.hpp"
#include "explain/explain.hpp"
#include "report/json_out.hpp"
#include "cases/lines.hpp"

namespace pol::interp {

using checked::NodeId;
using checked::Op;

namespace {


std::optional<int> parse_at(const std::string& at) {
  if (at.empty()) return std::nullopt;
  auto d = parse_date(at);
  if (!d) throw CompareUsageError{fmt::format("--at '{}': expected a date YYYY-MM-DD", at)};
  return d;
}

std::string json_str(std::string_view s) {
  std::string o;
  append_json_string(o, s);
  return o;
}

std::string sep(bool comma) { return comma ? std::string(",") : std::string(); }

std::string json_val(const checked::Policy& p, const dsl::Type& t, Value v) {
  std::string o;
  append_json_value(o, p, t, v);
  return o;
}

// ---- structural comparison: two checked expressions are the same when their trees are, with
// inputs, parameters, rules and enum values matched by name; layout, comments and parentheses
// do not count.
struct SameStructure {
  const checked::Policy& a;
  const checked::Policy& b;

  bool type(const dsl::Type& x, const dsl::Type& y) const {
    if (x.base != y.base) return false;
    if (x.base == dsl::Base::Number) return x.unit == y.unit && x.whole == y.whole && x.percent == y.percent;
    if (x.base == dsl::Base::Enum) return a.enums[x.enum_id].name == b.enums[y.enum_id].name;
    return true;
  }
  std::set<std::string> names(const checked::Policy& p, const dsl::Type& t, std::uint64_t mask) const {
    std::set<std::string> s;
    if (t.base != dsl::Base::Enum) return s;
    const auto& vals = p.enums[t.enum_id].values;
    for (std::size_t i = 0; i < vals.size() && i < 64; ++i)
      if (mask & (std::uint64_t{1} << i)) s.insert(vals[i].name);
    return s;
  }
  bool value(const dsl::Type& t, Value x, const dsl::Type& u, Value y) const {
    if (t.base == dsl::Base::Enum && u.base == dsl::Base::Enum) {
      const auto &va = a.enums[t.enum_id].values, &vb = b.enums[u.enum_id].values;
      auto i = static_cast<std::size_t>(checked::as_enum(x)), j = static_cast<std::size_t>(checked::as_enum(y));
      return i < va.size() && j < vb.size() && va[i].name == vb[j].name;
    }
    return compare(x, y) == 0;
  }
  bool node(NodeId x, NodeId y) const {
    if (x == checked::kNoNode || y == checked::kNoNode) return x == y;
    const auto& n = a.nodes[x];
    const auto& m = b.nodes[y];
    if (n.op != m.op || !type(n.type, m.type)) return false;
    switch (n.op) {
      case Op::Const: return value(n.type, n.constant, m.type, m.constant);
      case Op::Input: return a.inputs[n.slot].name == b.inputs[m.slot].name;
      case Op::Param: return a.params[n.slot].name == b.params[m.slot].name;
      case Op::Rule: return a.rules[n.slot].name == b.rules[m.slot].name;
      case Op::In:
        return node(n.a, m.a) && names(a, a.nodes[n.a].type, n.mask) == names(b, b.nodes[m.a].type, m.mask);
      case Op::Min:
      case Op::Max:
        if (n.count != m.count) return false;
        for (std::uint32_t i = 0; i < n.count; ++i)
          if (!node(a.operands[n.first + i], b.operands[m.first + i])) return false;
        return true;
      case Op::Round: return n.places == m.places && n.mode == m.mode && node(n.a, m.a);
      case Op::Chain:
      case Op::Match: {
        if (n.count != m.count || !node(n.a, m.a)) return false;
        for (std::uint32_t i = 0; i < n.count; ++i) {
          const auto& bx = a.branches[n.first + i];
          const auto& by = b.branches[m.first + i];
          if (bx.clause != by.clause || !node(bx.condition, by.condition) || !node(bx.result, by.result)) return false;
          if (n.op == Op::Match &&
              names(a, a.nodes[n.a].type, bx.mask) != names(b, b.nodes[m.a].type, by.mask))
            return false;
        }
        return true;
      }
      case Op::AsOf:
        return n.slot >= 1 && m.slot >= 1 && a.contexts[n.slot - 1] == b.contexts[m.slot - 1] && node(n.a, m.a);
      default: return node(n.a, m.a) && node(n.b, m.b);
    }
  }
};

// ---- descriptions of declarations, readable (Chinese) and as JSON

std::string describe_value(const checked::Policy& p, const checked::Param& pa, const checked::ParamValue& v) {
  std::string s = text_value(p, pa.type, v.value);
  s += v.from ? fmt::format("（自 {} 起", format_date(*v.from)) : std::string("（一直适用");
  if (!v.source.empty()) s += fmt::format("；{}：{}", v.placeholder ? "占位值（未证实）" : "来源", v.source);
  else if (v.placeholder) s += "；占位值（未证实）";
  return s + "）";
}

std::string json_param_value(const checked::Policy& p, const checked::Param& pa, const checked::ParamValue& v) {
  std::string s = "{\"value\":" + json_val(p, pa.type, v.value) + ",\"from\":";
  s += v.from ? json_str(format_date(*v.from)) : std::string("null");
  s += fmt::format(",\"placeholder\":{},\"source\":", v.placeholder);
  return s + json_str(v.source) + "}";
}

// The values compared: the one in force on `date`, or all of them.
std::vector<const checked::ParamValue*> values_of(const checked::Param& pa, std::optional<int> date) {
  std::vector<const checked::ParamValue*> out;
  if (date) {
    int i = pa.value_at(date);
    if (i >= 0) out.push_back(&pa.values[static_cast<std::size_t>(i)]);
  } else {
    for (const auto& v : pa.values) out.push_back(&v);
  }
  return out;
}

// What a declaration says about itself: its label, clause and reading.
template <class D>
bool same_meta(const D& x, const D& y) {
  return x.label == y.label && x.clause == y.clause && x.reading == y.reading;
}

template <class D>
std::string describe_meta(const D& d) {
  std::string s;
  if (!d.clause.empty()) s += fmt::format("  【{}】", d.clause);
  if (!d.reading.empty()) s += fmt::format("  解读：{}", d.reading);
  return s;
}

template <class D>
std::string json_meta(const D& d) {
  return "\"label\":" + json_str(d.label) + ",\"clause\":" + json_str(d.clause) + ",\"reading\":" + json_str(d.reading);
}

std::string describe_param(const checked::Policy& p, const checked::Param& pa, std::optional<int> date) {
  auto vs = values_of(pa, date);
  if (vs.empty()) return fmt::format("{} 无生效的值", format_date(*date));
  std::vector<std::string> parts;
  for (const auto* v : vs) parts.push_back(describe_value(p, pa, *v));
  return fmt::format("{}{}", fmt::join(parts, "；"), describe_meta(pa));
}

std::string json_param(const checked::Policy& p, const checked::Param& pa, std::optional<int> date) {
  std::vector<std::string> parts;
  for (const auto* v : values_of(pa, date)) parts.push_back(json_param_value(p, pa, *v));
  return fmt::format("{{{},\"values\":[{}]}}", json_meta(pa), fmt::join(parts, ","));
}

bool same_param(const SameStructure& s, const checked::Param& x, const checked::Param& y, std::optional<int> date) {
  if (!s.type(x.type, y.type) || !same_meta(x, y)) return false;
  auto vx = values_of(x, date), vy = values_of(y, date);
  if (vx.size() != vy.size()) return false;
  for (std::size_t i = 0; i < vx.size(); ++i) {
    const auto &u = *vx[i], &w = *vy[i];
    if (compare(u.value, w.value) != 0 || u.source != w.source || u.placeholder != w.placeholder) return false;
    if (!date && u.from != w.from) return false;
  }
  return true;
}

std::vector<std::string> output_names(const checked::Policy& p, const std::vector<std::uint32_t>& rules) {
  std::vector<std::string> out;
  for (auto r : rules)
    if (p.rules[r].is_output) out.push_back(p.rules[r].name);
  return out;
}

// Outputs whose value can change with the input: rules that read it, and all that depend on them.
std::vector<std::string> affected_by_input(const checked::Policy& p, const std::string& name) {
  int slot = p.find_input(name);
  std::set<std::uint32_t> rules;
  if (slot >= 0)
    for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
      const auto& ins = p.rule_inputs[r];
      if (std::find(ins.begin(), ins.end(), static_cast<std::uint32_t>(slot)) == ins.end()) continue;
      rules.insert(r);
      for (auto d : p.rules_affected_by_rule(r)) rules.insert(d);
    }
  return output_names(p, std::vector<std::uint32_t>(rules.begin(), rules.end()));
}

std::string describe_input(const checked::Policy& p, const checked::Input& in) {
  std::string s = dsl::type_name(p, in.type);
  if (in.default_value) s += "，默认 " + text_value(p, in.type, *in.default_value);
  else s += "，无默认值";
  if (in.min != checked::kNoNode) s += "，最小 " + print_expr(p, in.min, nullptr);
  if (in.max != checked::kNoNode) s += "，最大 " + print_expr(p, in.max, nullptr);
  return s + describe_meta(in);
}

std::string json_input(const checked::Policy& p, const checked::Input& in) {
  std::string s = "{\"type\":" + json_str(dsl::type_name(p, in.type)) + ",\"default\":";
  s += in.default_value ? json_val(p, in.type, *in.default_value) : std::string("null");
  s += ",\"min\":" + (in.min != checked::kNoNode ? json_str(print_expr(p, in.min, nullptr)) : std::string("null"));
  s += ",\"max\":" + (in.max != checked::kNoNode ? json_str(print_expr(p, in.max, nullptr)) : std::string("null"));
  return s + "," + json_meta(in) + "}";
}

bool same_input(const SameStructure& s, const checked::Input& x, const checked::Input& y) {
  if (!s.type(x.type, y.type) || !same_meta(x, y) || x.default_value.has_value() != y.default_value.has_value()) return false;
  if (x.default_value && !s.value(x.type, *x.default_value, y.type, *y.default_value)) return false;
  return s.node(x.min, y.min) && s.node(x.max, y.max);
}

std::string describe_rule(const checked::Policy& p, const checked::Rule& r) {
  return fmt::format("{} = {}{}", dsl::type_name(p, r.type), print_expr(p, r.body, nullptr), describe_meta(r));
}

std::string json_rule(const checked::Policy& p, const checked::Rule& r) {
  return "{\"type\":" + json_str(dsl::type_name(p, r.type)) + "," + json_meta(r) +
         ",\"expr\":" + json_str(print_expr(p, r.body, nullptr)) + "}";
}

bool same_rule(const SameStructure& s, const checked::Rule& x, const checked::Rule& y) {
  return x.is_output == y.is_output && same_meta(x, y) && s.type(x.type, y.type) && s.node(x.body, y.body);
}

}  // namespace

std::vector<Change> static_diff(const checked::Policy& a, const checked::Policy& b, std::optional<int> date) {
  std::vector<Change> out;
  SameStructure same{a, b};
  // Parameters.
  for (std::uint32_t i = 0; i < a.params.size(); ++i) {
    const auto& pa = a.params[i];
    int j = b.find_param(pa.name);
    if (j < 0) {
      out.push_back({"param", "removed", pa.name, pa.label, describe_param(a, pa, date), "", json_param(a, pa, date),
                     "null", output_names(a, a.rules_affected_by_param(i))});
      continue;
    }
    const auto& pb = b.params[static_cast<std::size_t>(j)];
    if (!same_param(same, pa, pb, date))
      out.push_back({"param", "changed", pa.name, pb.label, describe_param(a, pa, date), describe_param(b, pb, date),
                     json_param(a, pa, date), json_param(b, pb, date),
                     output_names(b, b.rules_affected_by_param(static_cast<std::uint32_t>(j)))});
  }
  for (std::uint32_t j = 0; j < b.params.size(); ++j)
    if (a.find_param(b.params[j].name) < 0)
      out.push_back({"param", "added", b.params[j].name, b.params[j].label, "", describe_param(b, b.params[j], date), "null",
                     json_param(b, b.params[j], date), output_names(b, b.rules_affected_by_param(j))});
  // Inputs.
  for (const auto& in : a.inputs) {
    int j = b.find_input(in.name);
    if (j < 0) {
      out.push_back({"input", "only_in_a", in.name, in.label, describe_input(a, in), "", json_input(a, in), "null", {}});
      continue;
    }
    const auto& ib = b.inputs[static_cast<std::size_t>(j)];
    if (!same_input(same, in, ib))
      out.push_back({"input", "changed", in.name, ib.label, describe_input(a, in), describe_input(b, ib), json_input(a, in),
                     json_input(b, ib), affected_by_input(b, in.name)});
  }
  for (const auto& in : b.inputs)
    if (a.find_input(in.name) < 0)
      out.push_back({"input", "only_in_b", in.name, in.label, "", describe_input(b, in), "null", json_input(b, in), {}});
  // Rules, by structure.
  for (std::uint32_t i = 0; i < a.rules.size(); ++i) {
    const auto& ra = a.rules[i];
    int j = b.find_rule(ra.name);
    const char* kind = ra.is_output ? "output" : "rule";
    if (j < 0) {
      out.push_back({kind, ra.is_output ? "only_in_a" : "removed", ra.name, ra.label, describe_rule(a, ra), "",
                     json_rule(a, ra), "null",
                     ra.is_output ? std::vector<std::string>{} : output_names(a, a.rules_affected_by_rule(i))});
      continue;
    }
    const auto& rb = b.rules[static_cast<std::size_t>(j)];
    if (!same_rule(same, ra, rb))
      out.push_back({kind, "changed", ra.name, rb.label, describe_rule(a, ra), describe_rule(b, rb), json_rule(a, ra),
                     json_rule(b, rb), output_names(b, b.rules_affected_by_rule(static_cast<std::uint32_t>(j)))});
  }
  for (std::uint32_t j = 0; j < b.rules.size(); ++j) {
    const auto& rb = b.rules[j];
    if (a.find_rule(rb.name) < 0)
      out.push_back({rb.is_output ? "output" : "rule", rb.is_output ? "only_in_b" : "added", rb.name, rb.label, "",
                     describe_rule(b, rb), "null", json_rule(b, rb),
                     rb.is_output ? std::vector<std::string>{} : output_names(b, b.rules_affected_by_rule(j))});
  }
  // Enums both declare.
  for (const auto& ea : a.enums)
    for (const auto& eb : b.enums)
      if (ea.name == eb.name) {
        std::vector<std::string> va, vb, ja, jb;
        for (const auto& v : ea.values) va.push_back(fmt::format("{} {}", v.name, v.label)), ja.push_back(json_str(v.name));
        for (const auto& v : eb.values) vb.push_back(fmt::format("{} {}", v.name, v.label)), jb.push_back(json_str(v.name));
        if (va != vb)
          out.push_back({"enum", "changed", ea.name, eb.label, fmt::format("{}", fmt::join(va, "，")),
                         fmt::format("{}", fmt::join(vb, "，")), fmt::format("[{}]", fmt::join(ja, ",")),
                         fmt::format("[{}]", fmt::join(jb, ",")), {}});
      }
  return out;
}

namespace {

// ---- words of the report

const char* kind_zh(const std::string& k) {
  if (k == "param") return "参数";
  if (k == "input") return "输入";
  if (k == "rule") return "中间规则";
  if (k == "output") return "输出";
  if (k == "enum") return "枚举";
  return "?";
}

const char* what_zh(const std::string& w) {
  if (w == "added") return "新增";
  if (w == "removed") return "删除";
  if (w == "changed") return "修改";
  if (w == "only_in_a") return "仅 A 有";
  if (w == "only_in_b") return "仅 B 有";
  return "?";
}

std::string with_commas(std::uint64_t n) {
  std::string s = std::to_string(n), out;
  int k = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (k && k % 3 == 0) out.push_back(',');
    out.push_back(*it);
    ++k;
  }
  return std::string(out.rbegin(), out.rend());
}

std::string header_line(const checked::Policy& p, const std::string& path) {
  std::string s = fmt::format("{} {}（{}）", p.header.name, p.header.title, path);
  if (!p.bases.empty()) s += fmt::format("，基于 {}", p.bases.front().name);
  return s;
}

bool related(const checked::Policy& a, const checked::Policy& b) {
  auto chain = [](const checked::Policy& p) {
    std::set<std::string> s{p.header.name};
    for (const auto& h : p.bases) s.insert(h.name);
    return s;
  };
  auto ca = chain(a), cb = chain(b);
  return ca.count(b.header.name) || cb.count(a.header.name) ||
         (!a.bases.empty() && !b.bases.empty() && a.bases.back().name == b.bases.back().name);
}

std::string md(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\')
      o.push_back('\\');
    o.push_back(c);
  }
  return o;
}

std::string html(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o.push_back(c);
  }
  return o;
}

// A report in text, Markdown or HTML: headings, paragraphs, lists, tables, preformatted text.
struct Report {
  std::string format;  // text, markdown, html
  std::string out;
  bool text() const { return format == "text"; }
  bool mdf() const { return format == "markdown"; }
  bool htm() const { return format == "html"; }

  void begin(const std::string& title) {
    if (htm())
      out += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html(title) +
             "</title>\n<style>\nbody{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:2em;max-width:72em}\n"
             "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}\n"
             "th{background:#f4f4f4}.affects{color:#555}pre{background:#f8f8f8;padding:.5em;overflow-x:auto}\n"
             "</style>\n</head>\n<body>\n";
    h1(title);
  }
  void end() {
    if (htm()) out += "</body>\n</html>\n";
  }
  void h1(const std::string& s) {
    if (mdf()) out += "# " + md(s) + "\n\n";
    else if (htm()) out += "<h1>" + html(s) + "</h1>\n";
    else out += s + "\n";
  }
  void h2(const std::string& s) {
    if (mdf()) out += "## " + md(s) + "\n\n";
    else if (htm()) out += "<h2>" + html(s) + "</h2>\n";
    else out += "\n" + s + "\n";
  }
  void para(const std::string& s) {
    if (mdf()) out += md(s) + "\n\n";
    else if (htm()) out += "<p>" + html(s) + "</p>\n";
    else out += s + "\n";
  }
  // Lines: one paragraph with a line break after each line.
  void lines(const std::vector<std::string>& ls) {
    if (ls.empty()) return;
    if (mdf()) {
      for (std::size_t i = 0; i < ls.size(); ++i) out += md(ls[i]) + (i + 1 < ls.size() ? "  \n" : "\n\n");
    } else if (htm()) {
      out += "<p>";
      for (std::size_t i = 0; i < ls.size(); ++i) out += html(ls[i]) + (i + 1 < ls.size() ? "<br>\n" : "</p>\n");
    } else {
      for (const auto& l : ls) out += l + "\n";
    }
  }
  void list(const std::vector<std::string>& items, const std::string& text_indent = "  ") {
    if (items.empty()) return;
    if (mdf()) {
      for (const auto& i : items) out += std::string("- ") + md(i) + "\n";
      out += "\n";
    } else if (htm()) {
      out += "<ul>\n";
      for (const auto& i : items) out += "<li>" + html(i) + "</li>\n";
      out += "</ul>\n";
    } else {
      for (const auto& i : items) out += text_indent + i + "\n";
    }
  }
  // Markdown and HTML only (text lays out its own tables).
  void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
             const std::vector<std::string>& classes = {}) {
    if (mdf()) {
      out += "|";
      for (const auto& h : head) out += " " + md(h) + " |";
      out += "\n|";
      for (std::size_t i = 0; i < head.size(); ++i) out += " --- |";
      out += "\n";
      for (const auto& r : rows) {
        out += "|";
        for (const auto& c : r) out += " " + md(c) + " |";
        out += "\n";
      }
      out += "\n";
    } else if (htm()) {
      out += "<table>\n<tr>";
      for (const auto& h : head) out += "<th>" + html(h) + "</th>";
      out += "</tr>\n";
      for (const auto& r : rows) {
        out += "<tr>";
        for (std::size_t i = 0; i < r.size(); ++i) {
          std::string cls = i < classes.size() && !classes[i].empty() ? " class=\"" + classes[i] + "\"" : "";
          out += "<td" + cls + ">" + html(r[i]) + "</td>";
        }
        out += "</tr>\n";
      }
      out += "</table>\n";
    }
  }
  void pre(const std::string& s) {
    if (mdf()) out += "```text\n" + s + (s.empty() || s.back() == '\n' ? "" : "\n") + "```\n\n";
    else if (htm()) out += "<pre>" + html(s) + "</pre>\n";
    else out += s;
  }
};

void render_changes(const std::vector<Change>& all, Report& r) {
  if (all.empty()) {
    r.para("没有差异");
    return;
  }
  // What only one file has is listed by name, grouped; every other change in full.
  std::vector<Change> cs;
  std::vector<std::pair<std::string, std::vector<std::string>>> only;  // "仅 A 有的输入", names
  for (const auto& c : all) {
    if (c.what != "only_in_a" && c.what != "only_in_b") {
      cs.push_back(c);
      continue;
    }
    std::string head = fmt::format("{}的{}", what_zh(c.what), kind_zh(c.kind));
    auto it = std::find_if(only.begin(), only.end(), [&](const auto& g) { return g.first == head; });
    if (it == only.end()) it = only.insert(only.end(), {head, {}});
    it->second.push_back(c.name + " " + c.label);
  }
  if (r.text()) {
    for (const auto& c : cs) {
      r.out += fmt::format("{} {} {} {}\n", what_zh(c.what), kind_zh(c.kind), c.name, c.label);
      if (!c.before.empty()) r.out += fmt::format("    A：{}\n", c.before);
      if (!c.after.empty()) r.out += fmt::format("    B：{}\n", c.after);
      if (!c.affects.empty()) r.out += fmt::format("    可能影响的输出：{}\n", fmt::join(c.affects, "、"));
    }
    for (const auto& [head, names] : only) r.out += fmt::format("{}（{} 个）：{}\n", head, names.size(), fmt::join(names, "；"));
    return;
  }
  if (!cs.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : cs)
      rows.push_back({what_zh(c.what), kind_zh(c.kind), c.name + " " + c.label, c.before.empty() ? "—" : c.before,
                      c.after.empty() ? "—" : c.after, c.affects.empty() ? "—" : fmt::format("{}", fmt::join(c.affects, "、"))});
    r.table({"变化", "类别", "名称", "A", "B", "可能影响的输出"}, rows, {"", "", "", "", "", "affects"});
  }
  std::vector<std::string> items;
  for (const auto& [head, names] : only) items.push_back(fmt::format("{}（{} 个）：{}", head, names.size(), fmt::join(names, "；")));
  r.list(items, "");
}

void render_changes_json(const std::vector<Change>& cs, std::string& out) {
  out += "[";
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const auto& c = cs[i];
    if (i) out += ",";
    out += "{\"kind\":" + json_str(c.kind) + ",\"change\":" + json_str(c.what) + ",\"name\":" + json_str(c.name) +
           ",\"label\":" + json_str(c.label) + ",\"before\":" + c.before_json + ",\"after\":" + c.after_json +
           ",\"before_text\":" + (c.before.empty() ? std::string("null") : json_str(c.before)) +
           ",\"after_text\":" + (c.after.empty() ? std::string("null") : json_str(c.after)) + ",\"affects\":[";
    for (std::size_t k = 0; k < c.affects.size(); ++k) out += sep(k) + json_str(c.affects[k]);
    out += "]}";
  }
  out += "]";
}

// ---- outputs compared

struct OutputPair {
  std::uint32_t ra, rb;
};

// The outputs both files have with the same kind of value (all, or the --output ones).
std::vector<OutputPair> shared_outputs(const checked::Policy& a, const checked::Policy& b,
                                       const std::vector<std::string>& only) {
  for (const auto& name : only) {
    int i = a.find_rule(name), j = b.find_rule(name);
    bool in_a = i >= 0 && a.rules[static_cast<std::size_t>(i)].is_output;
    bool in_b = j >= 0 && b.rules[static_cast<std::size_t>(j)].is_output;
    if (!in_a && !in_b) {
      std::vector<std::string> all;
      for (auto r : a.outputs()) all.push_back(a.rules[r].name);
      std::string msg = fmt::format("--output {}: neither {} nor {} has an output of that name", name, a.header.name,
                                    b.header.name);
      if (auto m = dsl::did_you_mean(name, all)) msg += fmt::format("; did you mean '{}'?", *m);
      throw CompareUsageError{msg};
    }
    if (!in_a || !in_b)
      throw CompareUsageError{fmt::format("--output {}: only {} has an output of that name; pol diff compares the outputs both files have",
                                          name, in_a ? a.header.name : b.header.name)};
  }
  std::vector<OutputPair> out;
  for (std::uint32_t i = 0; i < a.rules.size(); ++i) {
    if (!a.rules[i].is_output) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), a.rules[i].name) == only.end()) continue;
    int j = b.find_rule(a.rules[i].name);
    if (j < 0 || !b.rules[static_cast<std::size_t>(j)].is_output) continue;
    const auto &ta = a.rules[i].type, &tb = b.rules[static_cast<std::size_t>(j)].type;
    bool comparable = ta.base == tb.base && (ta.base != dsl::Base::Number || ta.unit == tb.unit) &&
                      (ta.base != dsl::Base::Enum || a.enums[ta.enum_id].name == b.enums[tb.enum_id].name);
    if (comparable) out.push_back({i, static_cast<std::uint32_t>(j)});
    else if (!only.empty())
      throw CompareUsageError{fmt::format("--output {}: the two files give it different types ({} and {})", a.rules[i].name,
                                          dsl::type_name(a, ta), dsl::type_name(b, tb))};
  }
  if (out.empty()) throw CompareUsageError{"the two policies share no output of the same type to compare"};
  return out;
}

// Values of A and B are equal when the same number, or the enum values of the same name.
bool same_output(const checked::Policy& a, const checked::Policy& b, const dsl::Type& t, Value va, const dsl::Type& u, Value vb) {
  return SameStructure{a, b}.value(t, va, u, vb);
}

// ---- reading cases for both files at once (JSON Lines or CSV)

class CaseStream {
public:
  CaseStream(const checked::Policy& a, const checked::Policy& b, const std::string& path)
      : sa_(a), sb_(b), ja_(sa_), jb_(sb_), ca_(sa_), cb_(sb_), path_(path) {
    ja_.ignore_unknown(true);
    jb_.ignore_unknown(true);
    ca_.ignore_unknown(true);
    cb_.ignore_unknown(true);
    csv_ = path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
    file_ = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (!file_) throw CompareUsageError{fmt::format("cannot open cases file '{}'", path)};
    reader_ = std::make_unique<LineReader>(file_);
    if (csv_) {
      if (!reader_->fill(chunk_, 1)) throw CompareUsageError{fmt::format("cases file '{}' is empty", path)};
      std::string_view h(chunk_.data.data() + chunk_.lines[0].first, chunk_.lines[0].second);
      CaseError err;
      if (!ca_.read_header(h, err) || !cb_.read_header(h, err))
        throw CompareUsageError{fmt::format("{}: {}", path, err.message)};
      // A column neither file declares is a mistake in the file, not a column to skip.
      std::vector<std::string> cells;
      if (split_csv(h, cells))
        for (auto& c : cells) {
          if (c == "id" || c == "as_of" || c.empty()) continue;
          if (sa_.input_slot(c) < 0 && sb_.input_slot(c) < 0)
            throw CompareUsageError{fmt::format("{}: column '{}': neither {} nor {} has an input of that name", path, c,
                                                a.header.name, b.header.name)};
        }
      chunk_.lines.clear();
    }
  }
  ~CaseStream() {
    if (file_ && file_ != stdin) std::fclose(file_);
  }
  CaseStream(const CaseStream&) = delete;
  CaseStream& operator=(const CaseStream&) = delete;

  // The next case, read for A and for B; false at the end.
  bool next(std::uint64_t& line_no, Case& c1, bool& ok1, CaseError& e1, Case& c2, bool& ok2, CaseError& e2) {
    if (k_ >= chunk_.lines.size()) {
      if (!reader_->fill(chunk_, 4096)) return false;
      k_ = 0;
    }
    auto [off, len] = chunk_.lines[k_];
    line_no = chunk_.line_no[k_];
    ++k_;
    std::string_view line(chunk_.data.data() + off, len);
    if (csv_) {
      ok1 = ca_.read(line, c1, e1);
      ok2 = cb_.read(line, c2, e2);
    } else {
      ok1 = ja_.read(line, len + JsonCaseReader::kPadding, c1, e1);
      ok2 = jb_.read(line, len + JsonCaseReader::kPadding, c2, e2);
      if (ok1 || ok2) check_keys(line, len + JsonCaseReader::kPadding, ok1, e1, ok2, e2);
    }
    return true;
  }

private:
  // A key that neither file declares is a mistake in the case (a misspelt input), not a field
  // to skip: the case is an error under both files.
  void check_keys(std::string_view line, std::size_t capacity, bool& ok1, CaseError& e1, bool& ok2, CaseError& e2) {
    simdjson::ondemand::document doc;
    if (json_.iterate(simdjson::padded_string_view(line.data(), line.size(), capacity)).get(doc)) return;
    simdjson::ondemand::object obj;
    if (doc.get_object().get(obj)) return;
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return;
      if (key == "id" || key == "as_of" || sa_.input_slot(key) >= 0 || sb_.input_slot(key) >= 0) continue;
      std::vector<std::string> names;
      for (const auto& in : sa_.policy().inputs) names.push_back(in.name);
      for (const auto& in : sb_.policy().inputs) names.push_back(in.name);
      std::string msg = fmt::format("unknown field '{}': neither {} nor {} has an input of that name", key,
                                    sa_.policy().header.name, sb_.policy().header.name);
      if (auto m = dsl::did_you_mean(std::string(key), names)) msg += fmt::format("; did you mean '{}'?", *m);
      e1 = e2 = CaseError{"unknown_field", std::string(key), msg};
      ok1 = ok2 = false;
      return;
    }
  }

  simdjson::ondemand::parser json_;
  CaseSchema sa_, sb_;
  JsonCaseReader ja_, jb_;
  CsvCaseReader ca_, cb_;
  std::string path_;
  bool csv_ = false;
  std::FILE* file_ = nullptr;
  std::unique_ptr<LineReader> reader_;
  Chunk chunk_;
  std::size_t k_ = 0;
};

// Programs (one per decision date) and their evaluators, made when first needed.
struct Evaluators {
  const checked::Policy& p;
  std::map<int, std::unique_ptr<Program>> progs;
  std::map<int, std::unique_ptr<Evaluator>> evs;
  Evaluator& at(std::optional<int> d) {
    int key = d.value_or(INT32_MIN);
    auto it = evs.find(key);
    if (it != evs.end()) return *it->second;
    progs[key] = std::make_unique<Program>(p, d);
    return *(evs[key] = std::make_unique<Evaluator>(*progs[key]));
  }
};

// ---- population statistics

// Memory grows with the number of distinct changes (one counter per distinct amount), never
// with the number of cases: the median stays exact.
struct NumStats {
  std::map<Value, std::uint64_t> deltas;
  Value total;
};

struct OutputStats {
  OutputPair pair;
  std::string name, label;
  dsl::Type ta, tb;
  std::uint64_t changed = 0;
  NumStats num;
  std::map<std::pair<Value, Value>, std::uint64_t> transitions;
};

struct OutputChange {
  std::size_t output;  // index into Population::outputs
  Value a, b;
};

struct ChangedCase {
  std::uint64_t line;
  std::string id;
  std::vector<OutputChange> diffs;
};

struct Population {
  std::uint64_t cases = 0, errors_a = 0, errors_b = 0, changed_cases = 0;
  std::vector<OutputStats> outputs;
  std::vector<ChangedCase> examples;
  std::vector<std::string> error_examples;
};

Value median_of(const NumStats& s) {
  std::uint64_t n = 0;
  for (auto& [v, c] : s.deltas) n += c;
  if (n == 0) return Value();
  std::uint64_t lo = (n - 1) / 2, hi = n / 2, seen = 0;
  std::optional<Value> x, y;
  for (auto& [v, c] : s.deltas) {
    if (!x && seen + c > lo) x = v;
    if (!y && seen + c > hi) y = v;
    seen += c;
  }
  return (*x + *y) / Value::from_int(2);
}

Population run_population(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args,
                          std::optional<int> at) {
  Population pop;
  auto pairs = shared_outputs(a, b, args.outputs);
  std::vector<std::uint32_t> ra, rb;
  for (auto pr : pairs) {
    pop.outputs.push_back({pr, a.rules[pr.ra].name, a.rules[pr.ra].label, a.rules[pr.ra].type, b.rules[pr.rb].type, 0, {}, {}});
    ra.push_back(pr.ra);
    rb.push_back(pr.rb);
  }
  CaseStream stream(a, b, args.cases);
  Evaluators eva{a, {}, {}}, evb{b, {}, {}};
  Case c1, c2;
  Outcome o1, o2;
  std::optional<EvalError> invalid;
  std::uint64_t line = 0;
  bool ok1 = false, ok2 = false;
  CaseError e1, e2;
  while (stream.next(line, c1, ok1, e1, c2, ok2, e2)) {
    ++pop.cases;
    auto note_error = [&](const char* side, const checked::Policy& p, const std::string& msg) {
      if (pop.error_examples.size() < 10)
        pop.error_examples.push_back(fmt::format("第 {} 行，{}（{}）：{}", line, side, p.header.name, msg));
    };
    // One side: a case that read well is validated and evaluated; any error is noted.
    auto side = [&](const char* name, const checked::Policy& p, Evaluators& evs, const Case& c, bool& ok,
                    const CaseError& read_error, const std::vector<std::uint32_t>& rules, Outcome& o) {
      if (!ok) return note_error(name, p, read_error.message);
      evs.at(c.as_of ? c.as_of : at).validate_and_evaluate(c, rules, o, invalid);
      const EvalError* bad = invalid ? &*invalid : o.error ? &*o.error : nullptr;
      if (bad) ok = false, note_error(name, p, bad->message);
    };
    side("A", a, eva, c1, ok1, e1, ra, o1);
    side("B", b, evb, c2, ok2, e2, rb, o2);
    pop.errors_a += !ok1;
    pop.errors_b += !ok2;
    if (!ok1 || !ok2) continue;
    bool listed = static_cast<int>(pop.examples.size()) < args.show, any = false;
    ChangedCase cc{line, listed ? c1.id_text : std::string(), {}};
    for (std::size_t i = 0; i < pop.outputs.size(); ++i) {
      auto& st = pop.outputs[i];
      Value va = o1.outputs[i].second, vb = o2.outputs[i].second;
      if (same_output(a, b, st.ta, va, st.tb, vb)) continue;
      any = true;
      ++st.changed;
      if (st.ta.is_number()) {
        Value d = vb - va;
        ++st.num.deltas[d];
        st.num.total = st.num.total + d;
      } else {
        ++st.transitions[{va, vb}];
      }
      if (listed) cc.diffs.push_back({i, va, vb});
    }
    if (any) {
      ++pop.changed_cases;
      if (listed) pop.examples.push_back(std::move(cc));
    }
  }
  return pop;
}

// SVG bar chart of the number of changed cases per output (inlined in the HTML report).
std::string changes_svg(const Population& pop) {
  std::uint64_t mx = 1;
  for (const auto& o : pop.outputs) mx = std::max(mx, o.changed);
  int row = 22, w = 760, left = 340;
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-size=\"12\" role=\"img\" "
      "aria-label=\"各输出结果不同的案例数\">\n",
      w, row * static_cast<int>(pop.outputs.size()) + 10);
  for (std::size_t i = 0; i < pop.outputs.size(); ++i) {
    const auto& o = pop.outputs[i];
    int y = 5 + row * static_cast<int>(i);
    int bw = static_cast<int>(static_cast<double>(w - left - 90) * static_cast<double>(o.changed) / static_cast<double>(mx));
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} {}</text>", left - 6, y + 14, html(o.name), html(o.label));
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"#4a7bb7\"/>", left, y + 2, bw);
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", left + bw + 4, y + 14, with_commas(o.changed));
  }
  return s + "</svg>\n";
}

// SVG histogram of the changes (B − A) of one numeric output: 20 bins from the smallest to the
// largest change, counted exactly from the distribution kept for the median.
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
  const int W = 640, H = 200, L = 60, B = 40, T = 24, bw = (W - L - 20) / kBins;
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-size=\"12\" role=\"img\" aria-label=\"{}\">\n",
      W, H, html(o.name + " 变化的分布"));
  s += fmt::format("<text x=\"{}\" y=\"16\">{}</text>\n", L, html(fmt::format("{} {}：B − A 的分布（{} 个案例）", o.name, o.label, with_commas(o.changed))));
  for (int i = 0; i < kBins; ++i) {
    int h = static_cast<int>(static_cast<double>(H - T - B) * static_cast<double>(bins[static_cast<std::size_t>(i)]) / static_cast<double>(mx));
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#4a7bb7\"><title>{}</title></rect>\n", L + i * bw,
                     H - B - h, bw - 1, h, with_commas(bins[static_cast<std::size_t>(i)]));
  }
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n", L, H - B, L + kBins * bw, H - B);
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", L, H - B + 16,
                   html(text_value(a, o.ta, o.num.deltas.begin()->first)));
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", L + kBins * bw, H - B + 16,
                   html(text_value(a, o.ta, o.num.deltas.rbegin()->first)));
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", L - 4, T + 10, with_commas(mx));
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>\n", L - 4, H - B);
  return s + "</svg>\n";
}

std::string date_note(const Case& c, std::optional<int> at) {
  if (c.as_of) return "取自案例的 as_of";
  if (at) return "取自 --at";
  return "";
}

// The explanation of the outputs `rules` for one case, as text and as JSON.
struct Explained {
  std::string text, json;
  Outcome outcome;
};

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

// Two explanations side by side: A on the left, B on the right; `≠` marks the first line where
// they part, `│` every later line that differs.
struct SideBySide {
  std::string text;
  std::optional<std::size_t> first;  // 1-based line of the first difference (after the title)
};

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

SideBySide side_by_side(const checked::Policy& a, const checked::Policy& b, const std::string& xa, const std::string& xb) {
  std::vector<std::string> la{"A：" + a.header.name, ""}, lb{"B：" + b.header.name, ""};
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

std::string part_note(const SideBySide& s) {
  return s.first ? fmt::format("两份推导自第 {} 行起不同（该行标 ≠，其后不同的行标 │；行数从标题下一行算起）", *s.first)
                 : std::string("两份推导除标题外完全相同");
}

// `--explain-case ID`: the case with that id or line, explained under A and under B.
std::string explain_case(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args, std::optional<int> at,
                         const std::string& format) {
  auto pairs = shared_outputs(a, b, args.outputs);
  CaseStream stream(a, b, args.cases);
  Case c1, c2;
  bool ok1 = false, ok2 = false;
  CaseError e1, e2;
  std::uint64_t line = 0;
  while (stream.next(line, c1, ok1, e1, c2, ok2, e2)) {
    bool match = std::to_string(line) == args.explain_case || (ok1 && c1.id_text == args.explain_case) ||
                 (ok2 && c2.id_text == args.explain_case);
    if (!match) continue;
    std::string where = fmt::format("{} line {}", args.cases, line);
    if (!ok1) throw CompareUsageError{fmt::format("{}: under {}: {}", where, a.header.name, e1.message)};
    if (!ok2) throw CompareUsageError{fmt::format("{}: under {}: {}", where, b.header.name, e2.message)};
    for (auto [p, c] : {std::pair{&a, &c1}, std::pair{&b, &c2}}) {
      Program prog(*p, c->as_of ? c->as_of : at);
      Evaluator ev(prog);
      if (auto bad = ev.validate(*c)) throw CompareUsageError{fmt::format("{}: under {}: {}", where, p->header.name, bad->message)};
    }
    // The outputs to explain: the --output ones, else those that differ for this case.
    std::vector<std::uint32_t> ra, rb, all_a, all_b;
    for (auto pr : pairs) all_a.push_back(pr.ra), all_b.push_back(pr.rb);
    Explained fa = explain_one(a, c1, at, all_a), fb = explain_one(b, c2, at, all_b);
    for (auto [x, p] : {std::pair{&fa, &a}, std::pair{&fb, &b}})
      if (x->outcome.error)
        throw CompareUsageError{fmt::format("{}: under {}: {}", where, p->header.name, x->outcome.error->message)};
    std::vector<std::string> differing;
    for (std::size_t i = 0; i < pairs.size(); ++i)
      if (!same_output(a, b, a.rules[pairs[i].ra].type, fa.outcome.outputs[i].second, b.rules[pairs[i].rb].type,
                       fb.outcome.outputs[i].second)) {
        ra.push_back(pairs[i].ra);
        rb.push_back(pairs[i].rb);
        differing.push_back(a.rules[pairs[i].ra].name);
      }
    bool none_differ = ra.empty();
    if (!args.outputs.empty() || none_differ) {
      ra = all_a;
      rb = all_b;
    }
    Explained xa = explain_one(a, c1, at, ra), xb = explain_one(b, c2, at, rb);
    SideBySide s = side_by_side(a, b, xa.text, xb.text);
    std::string id = c1.id_text.empty() ? "" : fmt::format("（id {}）", c1.id_text);
    std::string summary = none_differ
                              ? "比较的输出在 A 与 B 下都相同"
                              : fmt::format("不同的输出：{}", fmt::join(differing, "、"));
    if (format == "json") {
      std::string out = "{\"a\":" + json_str(a.header.name) + ",\"b\":" + json_str(b.header.name) +
                        fmt::format(",\"line\":{},\"id\":", line) + (c1.id_json.empty() ? "null" : c1.id_json) +
                        ",\"differing\":[";
      for (std::size_t i = 0; i < differing.size(); ++i) out += sep(i) + json_str(differing[i]);
      out += "],\"first_difference\":" + (s.first ? std::to_string(*s.first) : std::string("null"));
      out += ",\"explanation_a\":" + xa.json + ",\"explanation_b\":" + xb.json + "}\n";
      return out;
    }
    Report r{format, {}};
    r.begin(fmt::format("案例 {}{} 在 {} 与 {} 下的推导", line, id, a.header.name, b.header.name));
    if (r.text()) r.out.clear(), r.out += fmt::format("第 {} 行的案例{}：A {}，B {}\n", line, id, a.header.name, b.header.name);
    r.lines({summary, part_note(s)});
    if (r.text()) r.out += "\n";
    r.pre(s.text);
    r.end();
    return r.out;
  }
  throw CompareUsageError{fmt::format("--explain-case {}: no case with that id or line number in {}", args.explain_case,
                                      args.cases)};
}

// ---- disagreement finder

// Thresholds an input is compared with, in either policy: every comparison whose one side is
// the input and the other side depends on no input (folded on the decision date).
void thresholds(const checked::Policy& p, const Program& prog, std::map<std::string, std::set<Value>>& out) {
  const auto& nodes = prog.folded_nodes();
  // The constants and parameter values an expression is built from, following definitions,
  // in the unit of the input they are compared with.
  std::function<void(NodeId, const dsl::Type&, std::set<Value>&, int)> consts = [&](NodeId id, const dsl::Type& t,
                                                                                     std::set<Value>& acc, int depth) {
    if (id == checked::kNoNode || depth > 32) return;
    const auto& n = p.nodes[id];
    if (nodes[id].op == Op::Const && nodes[id].type.is_number() && nodes[id].type.unit == t.unit) {
      acc.insert(nodes[id].constant);
      if (n.op == Op::Const || n.op == Op::Param) return;
    }
    switch (n.op) {
      case Op::Rule: consts(p.rules[n.slot].body, t, acc, depth + 1); break;
      case Op::Min:
      case Op::Max:
        for (std::uint32_t i = 0; i < n.count; ++i) consts(p.operands[n.first + i], t, acc, depth + 1);
        break;
      case Op::Chain:
      case Op::Match:
        for (std::uint32_t i = 0; i < n.count; ++i) consts(p.branches[n.first + i].result, t, acc, depth + 1);
        break;
      default:
        consts(n.a, t, acc, depth + 1);
        consts(n.b, t, acc, depth + 1);
    }
  };
  for (NodeId id = 0; id < p.nodes.size(); ++id) {
    const auto& n = p.nodes[id];
    if (n.op < Op::Eq || n.op > Op::Ge) continue;
    for (int side = 0; side < 2; ++side) {
      NodeId x = side == 0 ? n.a : n.b, y = side == 0 ? n.b : n.a;
      if (p.nodes[x].op != Op::Input || !p.nodes[x].type.is_number()) continue;
      consts(y, p.nodes[x].type, out[p.inputs[p.nodes[x].slot].name], 0);
    }
  }
}

struct Disagreement {
  std::size_t changes = 0;  // how many inputs differ from the starting case
  std::string json;         // the case, as JSON (inputs at their default left out)
  Case c1, c2;
  std::vector<std::pair<std::size_t, std::pair<Value, Value>>> diffs;  // index into the pairs, A, B
};

std::string find_disagreement(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args,
                              std::optional<int> at, const std::string& format) {
  constexpr std::size_t kMaxFound = 10;
  Program pa(a, at), pb(b, at);
  std::map<std::string, std::set<Value>> th;
  thresholds(a, pa, th);
  thresholds(b, pb, th);
  // The inputs the two share, with their candidate values.
  std::vector<std::pair<std::size_t, std::size_t>> shared;
  for (std::size_t i = 0; i < a.inputs.size(); ++i)
    if (int j = b.find_input(a.inputs[i].name); j >= 0) shared.emplace_back(i, static_cast<std::size_t>(j));
  std::vector<std::vector<Value>> cand(shared.size());
  std::size_t explored = 0;
  for (std::size_t k = 0; k < shared.size(); ++k) {
    const auto& in = a.inputs[shared[k].first];
    std::set<Value> vs;
    if (in.type.base == dsl::Base::Bool) vs = {checked::make_bool(false), checked::make_bool(true)};
    else if (in.type.base == dsl::Base::Enum)
      for (std::size_t e = 0; e < a.enums[in.type.enum_id].values.size(); ++e) vs.insert(Value::from_int(static_cast<std::int64_t>(e)));
    else if (in.type.is_number()) {
      Value step = in.type.whole ? Value::from_int(1) : Value::raw(1, 2);
      vs.insert(Value());
      for (Value t : th[in.name]) {
        if (t < Value()) continue;
        vs.insert(t);
        vs.insert(t + step);
        if (t - step >= Value()) vs.insert(t - step);
      }
    }
    cand[k].assign(vs.begin(), vs.end());
    explored += cand[k].size();
  }
  CaseSchema sa(a), sb(b);
  Evaluator ea(pa), eb(pb);
  auto pairs = shared_outputs(a, b, args.outputs);
  std::vector<std::uint32_t> ra, rb;
  for (auto pr : pairs) ra.push_back(pr.ra), rb.push_back(pr.rb);
  // Starting case: every shared input at its default, or its first candidate.
  std::vector<Value> base(shared.size());
  for (std::size_t k = 0; k < shared.size(); ++k) {
    const auto& in = a.inputs[shared[k].first];
    base[k] = in.default_value ? *in.default_value : (cand[k].empty() ? Value() : cand[k][0]);
  }
  std::vector<Disagreement> found;
  std::set<std::string> seen, outcomes;
  std::uint64_t tried = 0, disagreeing = 0;
  auto try_case = [&](const std::vector<std::pair<std::size_t, Value>>& changes) {
    if (found.size() >= kMaxFound && changes.size() > 1) return;
    std::vector<Value> vals = base;
    for (auto& [k, v] : changes) vals[k] = v;
    // The same case reached twice (a change to the starting value) is tried once.
    std::string key;
    for (const auto& v : vals) key += v.to_string() + ",";
    if (!seen.insert(key).second) return;
    Disagreement d;
    sa.reset(d.c1);
    sb.reset(d.c2);
    for (std::size_t k = 0; k < shared.size(); ++k) {
      Value v = vals[k];
      const auto& ia = a.inputs[shared[k].first];
      const auto& ib = b.inputs[shared[k].second];
      d.c1.values[shared[k].first] = v;
      d.c1.state[shared[k].first] = InputState::Given;
      // Enum values are matched by name across the two files.
      Value vb = v;
      if (ia.type.base == dsl::Base::Enum && ib.type.base == dsl::Base::Enum) {
        int ord = b.enums[ib.type.enum_id].find(a.enums[ia.type.enum_id].values[static_cast<std::size_t>(checked::as_enum(v))].name);
        if (ord < 0) return;
        vb = Value::from_int(ord);
      }
      d.c2.values[shared[k].second] = vb;
      d.c2.state[shared[k].second] = InputState::Given;
    }
    sa.apply_defaults(d.c1);
    sb.apply_defaults(d.c2);
    ++tried;
    if (ea.validate(d.c1) || eb.validate(d.c2)) return;
    Outcome o1, o2;
    ea.evaluate(d.c1, ra, o1);
    eb.evaluate(d.c2, rb, o2);
    if (o1.error || o2.error) return;
    for (std::size_t i = 0; i < o1.outputs.size(); ++i)
      if (!same_output(a, b, a.rules[ra[i]].type, o1.outputs[i].second, b.rules[rb[i]].type, o2.outputs[i].second))
        d.diffs.push_back({i, {o1.outputs[i].second, o2.outputs[i].second}});
    if (d.diffs.empty()) return;
    ++disagreeing;
    // A case that disagrees in exactly the way an earlier one does adds nothing: keep one.
    std::string outcome;
    for (const auto& [i, v] : d.diffs) outcome += fmt::format("{}:{}:{};", i, v.first.to_string(), v.second.to_string());
    if (!outcomes.insert(outcome).second) return;
    d.changes = 0;
    d.json = "{";
    for (std::size_t k = 0; k < shared.size(); ++k) {
      const auto& in = a.inputs[shared[k].first];
      if (compare(vals[k], base[k]) != 0) ++d.changes;
      if (in.default_value && compare(vals[k], *in.default_value) == 0) continue;
      if (d.json.size() > 1) d.json += ", ";
      d.json += json_str(in.name) + ": " + json_val(a, in.type, vals[k]);
    }
    d.json += "}";
    found.push_back(std::move(d));
  };
  try_case({});
  for (std::size_t k = 0; k < shared.size(); ++k)
    for (Value v : cand[k]) try_case({{k, v}});
  if (found.empty())
    for (std::size_t k = 0; k < shared.size() && found.size() < kMaxFound; ++k)
      for (std::size_t l = k + 1; l < shared.size() && found.size() < kMaxFound; ++l)
        for (Value v : cand[k])
          for (Value w : cand[l]) try_case({{k, v}, {l, w}});
  std::stable_sort(found.begin(), found.end(), [](const Disagreement& x, const Disagreement& y) { return x.changes < y.changes; });
  std::size_t distinct = found.size();
  if (found.size() > kMaxFound) found.erase(found.begin() + kMaxFound, found.end());

  std::vector<std::string> out_names;
  for (auto r : ra) out_names.push_back(a.rules[r].name);
  std::string date_text = at ? fmt::format("参数取 {} 生效的值（--at）", format_date(*at))
                             : std::string("参数取各自最新的值（未指定 --at）");
  auto diff_text = [&](const Disagreement& d, bool labels) {
    std::vector<std::string> parts;
    for (const auto& [i, v] : d.diffs) {
      const auto &rua = a.rules[ra[i]], &rub = b.rules[rb[i]];
      parts.push_back(fmt::format("{}{}：{} → {}", rua.name, labels ? " " + rua.label : "", text_value(a, rua.type, v.first),
                                  text_value(b, rub.type, v.second)));
    }
    return parts;
  };

  if (format == "json") {
    std::string out = "{\"a\":" + json_str(a.header.name) + ",\"b\":" + json_str(b.header.name) + ",\"as_of\":" +
                      (at ? json_str(format_date(*at)) : std::string("null")) + ",\"outputs\":[";
    for (std::size_t i = 0; i < out_names.size(); ++i) out += sep(i) + json_str(out_names[i]);
    out += fmt::format("],\"tried\":{},\"disagreeing\":{},\"distinct\":{},\"found\":[", tried, disagreeing, distinct);
    for (std::size_t f = 0; f < found.size(); ++f) {
      const auto& d = found[f];
      out += sep(f) + std::string("{\"case\":") + d.json + ",\"differences\":{";
      for (std::size_t k = 0; k < d.diffs.size(); ++k) {
        const auto& [i, v] = d.diffs[k];
        out += sep(k) + json_str(a.rules[ra[i]].name) + ":{\"a\":" + json_val(a, a.rules[ra[i]].type, v.first) +
               ",\"b\":" + json_val(b, b.rules[rb[i]].type, v.second) + "}";
      }
      out += "}}";
    }
    out += "]";
    if (!found.empty()) {
      std::vector<std::uint32_t> da, db;
      for (const auto& [i, v] : found[0].diffs) da.push_back(ra[i]), db.push_back(rb[i]);
      out += ",\"explanation_a\":" + explain_one(a, found[0].c1, at, da).json +
             ",\"explanation_b\":" + explain_one(b, found[0].c2, at, db).json;
    } else {
      out += ",\"explored\":[";
      for (std::size_t k = 0; k < shared.size(); ++k) {
        const auto& in = a.inputs[shared[k].first];
        out += sep(k) + std::string("{\"name\":") + json_str(in.name) + ",\"label\":" + json_str(in.label) + ",\"values\":[";
        for (std::size_t v = 0; v < cand[k].size(); ++v) out += sep(v) + json_val(a, in.type, cand[k][v]);
        out += "]}";
      }
      out += "]";
    }
    return out + "}\n";
  }

  Report r{format, {}};
  r.begin(fmt::format("{} 与 {}：寻找结果不同的案例", a.header.name, b.header.name));
  if (r.text()) r.out.clear();
  if (found.empty()) {
    r.para(fmt::format("在 {} 与 {} 共有的输出（{}）上没有找到结果不同的案例。", a.header.name, b.header.name,
                       fmt::join(out_names, "、")));
    r.para(fmt::format("已试 {} 个案例：从各输入的默认值出发，逐一改变 {} 个共有输入中的一个，再改变其中任意两个，"
                       "共 {} 个候选值（布尔的两个值、枚举的每个值、数字的 0 和规则中比较的每个阈值及其前后一步）；{}：",
                       with_commas(tried), shared.size(), explored, date_text));
    std::vector<std::string> items;
    for (std::size_t k = 0; k < shared.size(); ++k) {
      const auto& in = a.inputs[shared[k].first];
      std::vector<std::string> vs;
      for (Value v : cand[k]) vs.push_back(text_value(a, in.type, v));
      items.push_back(fmt::format("{} {}：{}", in.name, in.label, fmt::join(vs, "，")));
    }
    r.list(items);
    r.end();
    return r.out;
  }
  const auto& d0 = found[0];
  r.para(fmt::format("{} 与 {} 的结果不同：试了 {} 个案例，其中 {} 个结果不同，不同的方式有 {} 种{}。"
                     "每种列出改动输入最少的一个案例（改动从少到多）；{}。",
                     a.header.name, b.header.name, with_commas(tried), with_commas(disagreeing), distinct,
                     distinct > found.size() ? fmt::format("（列出前 {} 种）", found.size()) : "", date_text));
  r.h2(fmt::format("最小的案例：{}", d0.json));
  r.list(diff_text(d0, true));
  if (r.text()) r.out += "\n";
  std::vector<std::uint32_t> da, db;
  for (const auto& [i, v] : d0.diffs) da.push_back(ra[i]), db.push_back(rb[i]);
  SideBySide s = side_by_side(a, b, explain_one(a, d0.c1, at, da).text, explain_one(b, d0.c2, at, db).text);
  r.para(part_note(s));
  if (r.text()) r.out += "\n";
  r.pre(s.text);
  if (found.size() > 1) {
    r.h2("其他结果不同的案例");
    std::vector<std::string> items;
    for (std::size_t f = 1; f < found.size(); ++f)
      items.push_back(fmt::format("{}：{}", found[f].json, fmt::join(diff_text(found[f], false), "；")));
    r.list(items);
  }
  r.end();
  return r.out;
}

}  // namespace

void add_diff_options(CLI::App* cmd, DiffArgs& a) {
  cmd->add_option("POLICY_A", a.a, "the first rule file (A)")->required();
  cmd->add_option("POLICY_B", a.b, "the second rule file (B)")->required();
  cmd->add_option("--cases", a.cases, "evaluate both on these cases (.csv, JSON Lines, or - for JSON Lines on standard input)");
  cmd->add_option("--format", a.format, "text, json, markdown or html (default text)")
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}));
  cmd->add_option("--at", a.at, "the decision date YYYY-MM-DD (a case's as_of wins)");
  cmd->add_option("--output", a.outputs, "compare only these outputs")->take_all();
  cmd->add_option("--explain-case", a.explain_case,
                  "with --cases: the case with this id (or line number) explained under A and B, side by side");
  cmd->add_flag("--find-disagreement", a.find_disagreement, "search for small cases on which the two files disagree");
  cmd->add_option("--show", a.show, "with --cases: how many changed cases to list (default 20)")->check(CLI::NonNegativeNumber);
}

std::optional<checked::Policy> load_policy(const std::string& path, bool show_warnings) {
  auto r = dsl::check_file(path);
  if (r.unreadable) throw CompareUsageError{r.diagnostics.front().message};
  for (const auto& d : r.diagnostics)
    if (d.severity == dsl::Severity::Error || show_warnings) std::fputs(dsl::render(d).c_str(), stderr);
  if (!r.policy) {
    std::size_t n = 0;
    for (const auto& d : r.diagnostics) n += d.severity == dsl::Severity::Error;
    fmt::print(stderr, "pol: {} has {} error{}; fix them first (pol check {})\n", path, n, n == 1 ? "" : "s", path);
  }
  return std::move(r.policy);
}

int run_diff(const DiffArgs& args) {
  auto pa = load_policy(args.a), pb = load_policy(args.b);
  if (!pa || !pb) return 1;
  const checked::Policy& a = *pa;
  const checked::Policy& b = *pb;
  std::optional<int> at = parse_at(args.at);
  std::string format = args.format.empty() ? "text" : args.format;
  if (!args.explain_case.empty()) {
    if (args.cases.empty()) throw CompareUsageError{"--explain-case needs --cases FILE (the file that holds the case)"};
    std::fputs(explain_case(a, b, args, at, format).c_str(), stdout);
    return 0;
  }
  if (args.find_disagreement) {
    if (!args.cases.empty()) throw CompareUsageError{"--find-disagreement makes its own cases; leave out --cases"};
    std::fputs(find_disagreement(a, b, args, at, format).c_str(), stdout);
    return 0;
  }

  std::vector<Change> changes = static_diff(a, b, at);
  bool rel = related(a, b);
  if (!rel)  // unrelated files: compare what they share, the inputs and the outputs
    std::erase_if(changes, [](const Change& c) { return c.kind != "input" && c.kind != "output"; });
  std::optional<Population> pop;
  if (!args.cases.empty()) pop = run_population(a, b, args, at);

  auto value_json = [&](const OutputStats& o, bool side_b, Value v) {
    return side_b ? json_val(b, o.tb, v) : json_val(a, o.ta, v);
  };
  std::string out;
  if (format == "json") {
    out = "{\"a\":" + json_str(a.header.name) + ",\"b\":" + json_str(b.header.name) +
          ",\"as_of\":" + (at ? json_str(format_date(*at)) : std::string("null")) + fmt::format(",\"related\":{},\"changes\":", rel);
    render_changes_json(changes, out);
    if (pop) {
      out += fmt::format(",\"population\":{{\"cases\":{},\"errors_a\":{},\"errors_b\":{},\"changed_cases\":{},\"errors\":[",
                         pop->cases, pop->errors_a, pop->errors_b, pop->changed_cases);
      for (std::size_t i = 0; i < pop->error_examples.size(); ++i) out += sep(i) + json_str(pop->error_examples[i]);
      out += "],\"outputs\":[";
      for (std::size_t i = 0; i < pop->outputs.size(); ++i) {
        const auto& o = pop->outputs[i];
        out += sep(i) + std::string("{\"name\":") + json_str(o.name) + ",\"label\":" + json_str(o.label) +
               fmt::format(",\"changed\":{}", o.changed);
        if (o.ta.is_number()) {
          if (o.changed) {
            out += ",\"min\":" + value_json(o, false, o.num.deltas.begin()->first);
            out += ",\"median\":" + value_json(o, false, median_of(o.num));
            out += ",\"max\":" + value_json(o, false, o.num.deltas.rbegin()->first);
            out += ",\"total\":" + value_json(o, false, o.num.total);
          } else {
            out += ",\"min\":null,\"median\":null,\"max\":null,\"total\":" + value_json(o, false, Value());
          }
        } else {
          out += ",\"transitions\":[";
          bool first = true;
          for (const auto& [k, n] : o.transitions) {
            out += sep(!first) + std::string("{\"from\":") + value_json(o, false, k.first) +
                   ",\"to\":" + value_json(o, true, k.second) + fmt::format(",\"count\":{}}}", n);
            first = false;
          }
          out += "]";
        }
        out += "}";
      }
      out += "],\"changed\":[";
      for (std::size_t i = 0; i < pop->examples.size(); ++i) {
        const auto& e = pop->examples[i];
        out += sep(i) + fmt::format("{{\"line\":{},\"id\":", e.line) + (e.id.empty() ? "null" : json_str(e.id)) +
               ",\"outputs\":{";
        for (std::size_t k = 0; k < e.diffs.size(); ++k) {
          const auto& d = e.diffs[k];
          const auto& o = pop->outputs[d.output];
          out += sep(k) + json_str(o.name) + ":{\"a\":" + value_json(o, false, d.a) + ",\"b\":" + value_json(o, true, d.b) + "}";
        }
        out += "}}";
      }
      out += "]}";
    }
    out += "}\n";
    std::fputs(out.c_str(), stdout);
    return 0;
  }

  Report r{format, {}};
  r.begin(fmt::format("pol diff {} {}", a.header.name, b.header.name));
  r.lines({"A：" + header_line(a, args.a), "B：" + header_line(b, args.b),
           at ? fmt::format("比较 {} 生效的参数值（--at）", format_date(*at)) : std::string("比较参数的全部取值（未指定 --at）")});
  if (!rel)
    r.para("两个文件互不相关（谁也不基于谁）：只比较两者共有的输入和输出；只有一方有的，列为“仅 A 有”或“仅 B 有”。");
  r.h2(fmt::format("声明的差异（{} 处）", changes.size()));
  render_changes(changes, r);
  if (pop) {
    r.h2(fmt::format("在 {} 个案例上比较（{}）", with_commas(pop->cases), args.cases));
    r.para(fmt::format("{} 个案例至少有一项输出不同；A 无法计算的案例 {} 个，B 无法计算的案例 {} 个{}",
                       with_commas(pop->changed_cases), with_commas(pop->errors_a), with_commas(pop->errors_b),
                       pop->error_examples.empty() ? "" : fmt::format("（列出前 {} 个）：", pop->error_examples.size())));
    r.list(pop->error_examples);
    auto stats = [&](const OutputStats& o) {
      std::vector<std::string> s;
      if (o.ta.is_number() && o.changed) {
        s = {text_value(a, o.ta, o.num.deltas.begin()->first), text_value(a, o.ta, median_of(o.num)),
             text_value(a, o.ta, o.num.deltas.rbegin()->first), text_value(a, o.ta, o.num.total)};
      } else {
        s = {"", "", "", ""};
      }
      std::vector<std::string> tr;
      for (const auto& [k, n] : o.transitions)
        tr.push_back(fmt::format("{} → {}：{}", text_value(a, o.ta, k.first), text_value(b, o.tb, k.second), with_commas(n)));
      s.push_back(fmt::format("{}", fmt::join(tr, "；")));
      return s;
    };
    if (r.text()) {
      if (!pop->error_examples.empty()) r.out += "\n";
      for (const auto& o : pop->outputs) {
        auto s = stats(o);
        r.out += fmt::format("  {} {}：{} 个不同", o.name, o.label, with_commas(o.changed));
        if (!s[0].empty()) r.out += fmt::format("；B − A 最小 {}，中位数 {}，最大 {}，合计 {}", s[0], s[1], s[2], s[3]);
        if (!s[4].empty()) r.out += fmt::format("；{}", s[4]);
        r.out += "\n";
      }
    } else {
      if (r.htm()) r.out += changes_svg(*pop);
      std::vector<std::vector<std::string>> rows;
      for (const auto& o : pop->outputs) {
        auto s = stats(o);
        rows.push_back({o.name, o.label, with_commas(o.changed), s[0], s[1], s[2], s[3], s[4]});
      }
      r.table({"输出", "名称", "不同的案例数", "B − A 最小", "中位数", "最大", "合计", "取值变化（A → B：案例数）"}, rows);
      if (r.htm())
        for (const auto& o : pop->outputs) r.out += histogram_svg(a, o);
    }
    if (pop->changed_cases == 0) {
      r.h2("结果不同的案例");
      r.para("没有：每个能在两边计算的案例，比较的输出都相同");
    } else {
      r.h2(fmt::format("结果不同的案例（列出前 {} 个，共 {} 个）", pop->examples.size(), with_commas(pop->changed_cases)));
    }
    std::vector<std::string> items;
    for (const auto& e : pop->examples) {
      std::vector<std::string> ds;
      for (const auto& d : e.diffs) {
        const auto& o = pop->outputs[d.output];
        ds.push_back(fmt::format("{} {} → {}", o.name, text_value(a, o.ta, d.a), text_value(b, o.tb, d.b)));
      }
      items.push_back(fmt::format("第 {} 行{}：{}", e.line, e.id.empty() ? "" : "（" + e.id + "）", fmt::join(ds, "；")));
    }
    r.list(items, "");
  }
  r.end();
  std::fputs(r.out.c_str(), stdout);
  return 0;
}

}  // namespace pol::interp
