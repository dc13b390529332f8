#include "compare.hpp"

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

#include "calendar.hpp"
#include "case.hpp"
#include "checker.hpp"
#include "explain.hpp"
#include "json_out.hpp"
#include "lines.hpp"

namespace pol::interp {

using checked::NodeId;
using checked::Op;

namespace {

checked::Policy load(const std::string& path) {
  auto r = dsl::check_file(path);
  for (const auto& d : r.diagnostics)
    if (d.severity == dsl::Severity::Error) std::fputs(dsl::render(d).c_str(), stderr);
  if (!r.policy) throw CompareUsageError{fmt::format("{} has errors; fix them first (pol check {})", path, path)};
  return std::move(*r.policy);
}

std::optional<int> parse_at(const std::string& at) {
  if (at.empty()) return std::nullopt;
  auto d = parse_date(at);
  if (!d) throw CompareUsageError{fmt::format("--at '{}': expected a date YYYY-MM-DD", at)};
  return d;
}

std::string describe_value(const checked::Policy& p, const checked::Param& pa, const checked::ParamValue& v) {
  std::string s = plain_value(p, pa.type, v.value);
  s += v.from ? fmt::format(" (from {}", format_date(*v.from)) : std::string(" (always");
  if (!v.source.empty()) s += fmt::format("; {}: {}", v.placeholder ? "placeholder" : "source", v.source);
  return s + ")";
}

std::string describe_param(const checked::Policy& p, const checked::Param& pa, std::optional<int> date) {
  if (date) {
    int i = pa.value_at(date);
    if (i < 0) return fmt::format("no value on {}", format_date(*date));
    return describe_value(p, pa, pa.values[i]);
  }
  std::vector<std::string> parts;
  for (const auto& v : pa.values) parts.push_back(describe_value(p, pa, v));
  return fmt::format("{}", fmt::join(parts, "; "));
}

bool same_values(const checked::Policy& pa_pol, const checked::Param& a, const checked::Policy& pb_pol,
                 const checked::Param& b, std::optional<int> date) {
  if (!a.type.same(b.type)) return false;
  (void)pa_pol;
  (void)pb_pol;
  if (date) {
    int i = a.value_at(date), j = b.value_at(date);
    if ((i < 0) != (j < 0)) return false;
    if (i < 0) return true;
    const auto &x = a.values[i], &y = b.values[j];
    return compare(x.value, y.value) == 0 && x.source == y.source && x.placeholder == y.placeholder;
  }
  if (a.values.size() != b.values.size()) return false;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    const auto &x = a.values[i], &y = b.values[i];
    if (compare(x.value, y.value) != 0 || x.from != y.from || x.source != y.source || x.placeholder != y.placeholder)
      return false;
  }
  return true;
}

std::vector<std::string> output_names(const checked::Policy& p, const std::vector<std::uint32_t>& rules) {
  std::vector<std::string> out;
  for (auto r : rules)
    if (p.rules[r].is_output) out.push_back(p.rules[r].name);
  return out;
}

std::string input_desc(const checked::Policy& p, const checked::Input& in) {
  std::string s = dsl::type_name(p, in.type);
  if (in.default_value) s += " default " + plain_value(p, in.type, *in.default_value);
  if (in.min != checked::kNoNode) s += " min " + print_expr(p, in.min, nullptr);
  if (in.max != checked::kNoNode) s += " max " + print_expr(p, in.max, nullptr);
  return s;
}

std::string rule_desc(const checked::Policy& p, const checked::Rule& r) {
  return fmt::format("{} = {}", dsl::type_name(p, r.type), print_expr(p, r.body, nullptr));
}

}  // namespace

std::vector<Change> static_diff(const checked::Policy& a, const checked::Policy& b, std::optional<int> date) {
  std::vector<Change> out;
  // Parameters.
  for (std::uint32_t i = 0; i < a.params.size(); ++i) {
    const auto& pa = a.params[i];
    int j = b.find_param(pa.name);
    if (j < 0) {
      out.push_back({"param", "removed", pa.name, pa.label, describe_param(a, pa, date), "",
                     output_names(a, a.rules_affected_by_param(i))});
      continue;
    }
    const auto& pb = b.params[j];
    if (!same_values(a, pa, b, pb, date))
      out.push_back({"param", "changed", pa.name, pb.label, describe_param(a, pa, date), describe_param(b, pb, date),
                     output_names(b, b.rules_affected_by_param(static_cast<std::uint32_t>(j)))});
  }
  for (std::uint32_t j = 0; j < b.params.size(); ++j)
    if (a.find_param(b.params[j].name) < 0)
      out.push_back({"param", "added", b.params[j].name, b.params[j].label, "", describe_param(b, b.params[j], date),
                     output_names(b, b.rules_affected_by_param(j))});
  // Inputs.
  for (const auto& in : a.inputs) {
    int j = b.find_input(in.name);
    if (j < 0) out.push_back({"input", "only in A", in.name, in.label, input_desc(a, in), "", {}});
    else if (input_desc(a, in) != input_desc(b, b.inputs[j]))
      out.push_back({"input", "changed", in.name, in.label, input_desc(a, in), input_desc(b, b.inputs[j]), {}});
  }
  for (const auto& in : b.inputs)
    if (a.find_input(in.name) < 0) out.push_back({"input", "only in B", in.name, in.label, "", input_desc(b, in), {}});
  // Rules, by structure.
  for (std::uint32_t i = 0; i < a.rules.size(); ++i) {
    const auto& ra = a.rules[i];
    int j = b.find_rule(ra.name);
    const char* kind = ra.is_output ? "output" : "rule";
    if (j < 0) {
      out.push_back({kind, ra.is_output ? "only in A" : "removed", ra.name, ra.label, rule_desc(a, ra), "",
                     output_names(a, a.rules_affected_by_rule(i))});
      continue;
    }
    const auto& rb = b.rules[j];
    if (rule_desc(a, ra) != rule_desc(b, rb) || ra.clause != rb.clause)
      out.push_back({kind, "changed", ra.name, rb.label, rule_desc(a, ra), rule_desc(b, rb),
                     output_names(b, b.rules_affected_by_rule(static_cast<std::uint32_t>(j)))});
  }
  for (std::uint32_t j = 0; j < b.rules.size(); ++j) {
    const auto& rb = b.rules[j];
    if (a.find_rule(rb.name) < 0)
      out.push_back({rb.is_output ? "output" : "rule", rb.is_output ? "only in B" : "added", rb.name, rb.label, "",
                     rule_desc(b, rb), output_names(b, b.rules_affected_by_rule(j))});
  }
  // Enums used by both.
  for (const auto& ea : a.enums)
    for (const auto& eb : b.enums)
      if (ea.name == eb.name) {
        std::vector<std::string> va, vb;
        for (const auto& v : ea.values) va.push_back(v.name);
        for (const auto& v : eb.values) vb.push_back(v.name);
        if (va != vb)
          out.push_back({"enum", "changed", ea.name, eb.label, fmt::format("{}", fmt::join(va, ", ")),
                         fmt::format("{}", fmt::join(vb, ", ")), {}});
      }
  return out;
}

namespace {

// ---- rendering of the static diff

std::string header_line(const checked::Policy& p, const std::string& path) {
  std::string s = fmt::format("{} ({}, {})", p.header.name, p.header.title, path);
  if (!p.bases.empty()) s += fmt::format(", extends {}", p.bases.front().name);
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

void render_changes_text(const std::vector<Change>& cs, std::string& out) {
  if (cs.empty()) {
    out += "no differences\n";
    return;
  }
  for (const auto& c : cs) {
    out += fmt::format("{} {} {} {}", c.what, c.kind, c.name, c.label);
    if (!c.before.empty() && !c.after.empty()) out += fmt::format(":\n    {}\n  → {}\n", c.before, c.after);
    else if (!c.before.empty()) out += fmt::format(": {}\n", c.before);
    else out += fmt::format(": {}\n", c.after);
    if (!c.affects.empty()) out += fmt::format("  affects: {}\n", fmt::join(c.affects, ", "));
  }
}

void render_changes_json(const std::vector<Change>& cs, std::string& out) {
  out += "[";
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const auto& c = cs[i];
    if (i) out += ",";
    out += "{\"kind\":";
    append_json_string(out, c.kind);
    out += ",\"change\":";
    append_json_string(out, c.what);
    out += ",\"name\":";
    append_json_string(out, c.name);
    out += ",\"label\":";
    append_json_string(out, c.label);
    out += ",\"before\":";
    append_json_string(out, c.before);
    out += ",\"after\":";
    append_json_string(out, c.after);
    out += ",\"affects\":[";
    for (std::size_t k = 0; k < c.affects.size(); ++k) {
      if (k) out += ",";
      append_json_string(out, c.affects[k]);
    }
    out += "]}";
  }
  out += "]";
}

std::string md(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>') o.push_back('\\');
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

// ---- population statistics

struct NumStats {
  std::map<Value, std::uint64_t> deltas;  // exact distribution of changes (distinct values are few)
  Value total;
  std::uint64_t changed = 0;
};

struct OutputStats {
  std::uint32_t ra = 0, rb = 0;
  std::string name, label;
  dsl::Type type;
  std::uint64_t changed = 0;
  NumStats num;
  std::map<std::pair<std::string, std::string>, std::uint64_t> transitions;
};

struct ChangedCase {
  std::uint64_t line;
  std::string id;
  std::vector<std::tuple<std::string, std::string, std::string>> diffs;  // output, A, B
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
  std::optional<Value> a, b;
  for (auto& [v, c] : s.deltas) {
    if (!a && seen + c > lo) a = v;
    if (!b && seen + c > hi) b = v;
    seen += c;
  }
  return (*a + *b) / Value::from_int(2);
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> shared_outputs(const checked::Policy& a, const checked::Policy& b,
                                                                   const std::vector<std::string>& only) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (std::uint32_t i = 0; i < a.rules.size(); ++i) {
    if (!a.rules[i].is_output) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), a.rules[i].name) == only.end()) continue;
    int j = b.find_rule(a.rules[i].name);
    if (j < 0 || !b.rules[j].is_output) continue;
    const auto &ta = a.rules[i].type, &tb = b.rules[j].type;
    bool comparable = ta.base == tb.base && (ta.base != dsl::Base::Number || ta.unit == tb.unit);
    if (comparable) out.emplace_back(i, static_cast<std::uint32_t>(j));
  }
  return out;
}

std::string value_name(const checked::Policy& p, const dsl::Type& t, Value v) { return plain_value(p, t, v); }

Population run_population(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args,
                          std::optional<int> at) {
  Population pop;
  auto pairs = shared_outputs(a, b, args.outputs);
  if (pairs.empty()) throw CompareUsageError{"the two policies share no output of the same type to compare"};
  for (auto [i, j] : pairs) pop.outputs.push_back({i, j, a.rules[i].name, a.rules[i].label, a.rules[i].type, 0, {}, {}});
  std::vector<std::uint32_t> ra, rb;
  for (auto [i, j] : pairs) {
    ra.push_back(i);
    rb.push_back(j);
  }
  CaseSchema sa(a), sb(b);
  JsonCaseReader ja(sa), jb(sb);
  CsvCaseReader ca(sa), cb(sb);
  for (auto* r : {&ja, &jb}) r->ignore_unknown(true);
  ca.ignore_unknown(true);
  cb.ignore_unknown(true);
  bool csv = args.cases.size() >= 4 && args.cases.compare(args.cases.size() - 4, 4, ".csv") == 0;
  std::FILE* in = args.cases == "-" ? stdin : std::fopen(args.cases.c_str(), "rb");
  if (!in) throw CompareUsageError{fmt::format("cannot open cases file '{}'", args.cases)};
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> guard(in == stdin ? nullptr : in, &std::fclose);
  LineReader reader(in);
  Chunk chunk;
  if (csv) {
    if (!reader.fill(chunk, 1)) throw CompareUsageError{fmt::format("cases file '{}' is empty", args.cases)};
    std::string_view h(chunk.data.data() + chunk.lines[0].first, chunk.lines[0].second);
    CaseError err;
    if (!ca.read_header(h, err) || !cb.read_header(h, err)) throw CompareUsageError{err.message};
  }
  std::map<int, std::unique_ptr<Program>> progs_a, progs_b;
  std::map<int, std::unique_ptr<Evaluator>> evs_a, evs_b;
  auto ev_for = [&](const checked::Policy& p, std::map<int, std::unique_ptr<Program>>& progs,
                    std::map<int, std::unique_ptr<Evaluator>>& evs, std::optional<int> d) -> Evaluator& {
    int key = d.value_or(INT32_MIN);
    auto it = evs.find(key);
    if (it != evs.end()) return *it->second;
    progs[key] = std::make_unique<Program>(p, d);
    return *(evs[key] = std::make_unique<Evaluator>(*progs[key]));
  };
  Case c1, c2;
  Outcome o1, o2;
  while (reader.fill(chunk, 4096)) {
    for (std::size_t k = 0; k < chunk.lines.size(); ++k) {
      auto [off, len] = chunk.lines[k];
      std::string_view line(chunk.data.data() + off, len);
      ++pop.cases;
      CaseError e1, e2;
      bool ok1 = csv ? ca.read(line, c1, e1) : ja.read(line, len + JsonCaseReader::kPadding, c1, e1);
      bool ok2 = csv ? cb.read(line, c2, e2) : jb.read(line, len + JsonCaseReader::kPadding, c2, e2);
      auto note_error = [&](const char* side, const std::string& msg) {
        if (pop.error_examples.size() < 10) pop.error_examples.push_back(fmt::format("line {}: {}: {}", chunk.line_no[k], side, msg));
      };
      if (ok1) {
        Evaluator& e = ev_for(a, progs_a, evs_a, c1.as_of ? c1.as_of : at);
        if (auto bad = e.validate(c1)) ok1 = false, note_error("A", bad->message);
        else {
          e.evaluate(c1, ra, o1);
          if (o1.error) ok1 = false, note_error("A", o1.error->message);
        }
      } else {
        note_error("A", e1.message);
      }
      if (ok2) {
        Evaluator& e = ev_for(b, progs_b, evs_b, c2.as_of ? c2.as_of : at);
        if (auto bad = e.validate(c2)) ok2 = false, note_error("B", bad->message);
        else {
          e.evaluate(c2, rb, o2);
          if (o2.error) ok2 = false, note_error("B", o2.error->message);
        }
      } else {
        note_error("B", e2.message);
      }
      pop.errors_a += !ok1;
      pop.errors_b += !ok2;
      if (!ok1 || !ok2) continue;
      ChangedCase cc{chunk.line_no[k], c1.id_text, {}};
      for (std::size_t i = 0; i < pop.outputs.size(); ++i) {
        auto& st = pop.outputs[i];
        Value va = o1.outputs[i].second, vb = o2.outputs[i].second;
        if (compare(va, vb) == 0) continue;
        ++st.changed;
        if (st.type.is_number()) {
          Value d = vb - va;
          ++st.num.deltas[d];
          st.num.total = st.num.total + d;
        } else {
          ++st.transitions[{value_name(a, st.type, va), value_name(b, b.rules[st.rb].type, vb)}];
        }
        cc.diffs.emplace_back(st.name, plain_value(a, st.type, va), plain_value(b, b.rules[st.rb].type, vb));
      }
      if (!cc.diffs.empty()) {
        ++pop.changed_cases;
        if (static_cast<int>(pop.examples.size()) < args.show) pop.examples.push_back(std::move(cc));
      }
    }
  }
  return pop;
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

// SVG bar chart of the number of changed cases per output (inlined in the HTML report).
std::string changes_svg(const Population& pop) {
  std::uint64_t mx = 1;
  for (const auto& o : pop.outputs) mx = std::max(mx, o.changed);
  int row = 22, w = 640, left = 220;
  std::string s = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-size=\"12\">", w,
                              row * static_cast<int>(pop.outputs.size()) + 10);
  for (std::size_t i = 0; i < pop.outputs.size(); ++i) {
    const auto& o = pop.outputs[i];
    int y = 5 + row * static_cast<int>(i);
    int bw = static_cast<int>(static_cast<double>(w - left - 80) * static_cast<double>(o.changed) / static_cast<double>(mx));
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} {}</text>", left - 6, y + 14, html(o.name), html(o.label));
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"#4a7bb7\"/>", left, y + 2, bw);
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", left + bw + 4, y + 14, with_commas(o.changed));
  }
  return s + "</svg>";
}

// The explanation of one case under A and B, side by side, with the first step where they part.
std::string explain_pair(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args, std::optional<int> at) {
  CaseSchema sa(a), sb(b);
  JsonCaseReader ja(sa), jb(sb);
  ja.ignore_unknown(true);
  jb.ignore_unknown(true);
  std::FILE* in = std::fopen(args.cases.c_str(), "rb");
  if (!in) throw CompareUsageError{fmt::format("cannot open cases file '{}'", args.cases)};
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> guard(in, &std::fclose);
  LineReader reader(in);
  Chunk chunk;
  auto pairs = shared_outputs(a, b, args.outputs);
  std::vector<std::uint32_t> ra, rb;
  for (auto [i, j] : pairs) {
    ra.push_back(i);
    rb.push_back(j);
  }
  while (reader.fill(chunk, 4096)) {
    for (std::size_t k = 0; k < chunk.lines.size(); ++k) {
      auto [off, len] = chunk.lines[k];
      std::string_view line(chunk.data.data() + off, len);
      Case c1, c2;
      CaseError err;
      if (!ja.read(line, len + JsonCaseReader::kPadding, c1, err)) continue;
      if (c1.id_text != args.explain_case && std::to_string(chunk.line_no[k]) != args.explain_case) continue;
      if (!jb.read(line, len + JsonCaseReader::kPadding, c2, err)) throw CompareUsageError{err.message};
      Program pa(a, c1.as_of ? c1.as_of : at), pb(b, c2.as_of ? c2.as_of : at);
      Evaluator ea(pa), eb(pb);
      Outcome oa, ob;
      Trace ta, tb;
      ea.evaluate_traced(c1, ra, oa, ta);
      eb.evaluate_traced(c2, rb, ob, tb);
      std::string xa = render_text(a, build_explanation(pa, c1, oa, ta, "")),
                  xb = render_text(b, build_explanation(pb, c2, ob, tb, ""));
      std::vector<std::string> la, lb;
      std::istringstream sa_(xa), sb_(xb);
      for (std::string l; std::getline(sa_, l);) la.push_back(l);
      for (std::string l; std::getline(sb_, l);) lb.push_back(l);
      std::size_t first = 2;  // the first two lines name the policies and dates
      while (first < la.size() && first < lb.size() && la[first] == lb[first]) ++first;
      std::size_t w = 0;
      for (const auto& l : la) w = std::max<std::size_t>(w, dsl::text_width(l));
      w = std::min<std::size_t>(w, 90);
      std::string out = fmt::format("case {} (line {}): A and B part at step {}\n", args.explain_case, chunk.line_no[k],
                                    first + 1);
      for (std::size_t i = 0; i < std::max(la.size(), lb.size()); ++i) {
        std::string l = i < la.size() ? la[i] : "", r = i < lb.size() ? lb[i] : "";
        std::size_t lw = dsl::text_width(l);
        std::string pad = lw < w ? std::string(w - lw, ' ') : "";
        std::string mark = i == first ? "≠" : (i < la.size() && i < lb.size() && l == r) ? " " : "│";
        out += fmt::format("{}{} {} {}\n", l, pad, mark, r);
      }
      return out;
    }
  }
  throw CompareUsageError{fmt::format("--explain-case {}: no case with that id or line in {}", args.explain_case, args.cases)};
}

// ---- disagreement finder

struct Candidate {
  std::vector<std::pair<std::uint32_t, Value>> sets;  // input slot of A, value
};

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

}  // namespace

void add_diff_options(CLI::App* cmd, DiffArgs& a) {
  cmd->add_option("POLICY_A", a.a, "the first rule file")->required();
  cmd->add_option("POLICY_B", a.b, "the second rule file")->required();
  cmd->add_option("--cases", a.cases, "evaluate both on these cases (.jsonl, .csv, or - for JSON Lines)");
  cmd->add_option("--format", a.format, "text, json, markdown or html")->check(CLI::IsMember({"text", "json", "markdown", "html"}));
  cmd->add_option("--at", a.at, "the decision date YYYY-MM-DD");
  cmd->add_option("--output", a.outputs, "compare only these outputs")->take_all();
  cmd->add_option("--explain-case", a.explain_case, "with --cases: the two explanations of this case (id or line) side by side");
  cmd->add_flag("--find-disagreement", a.find_disagreement, "search for cases where the two files disagree");
  cmd->add_option("--show", a.show, "how many changed cases to list (default 20)");
}

int run_diff(const DiffArgs& args) {
  checked::Policy a = load(args.a), b = load(args.b);
  std::optional<int> at = parse_at(args.at);
  std::string format = args.format.empty() ? "text" : args.format;
  if (!args.explain_case.empty()) {
    if (args.cases.empty()) throw CompareUsageError{"--explain-case needs --cases FILE"};
    std::fputs(explain_pair(a, b, args, at).c_str(), stdout);
    return 0;
  }
  if (args.find_disagreement) {
    Program pa(a, at), pb(b, at);
    std::map<std::string, std::set<Value>> th;
    thresholds(a, pa, th);
    thresholds(b, pb, th);
    // The inputs the two share, with their candidate values.
    std::vector<std::pair<int, int>> shared;
    for (std::uint32_t i = 0; i < a.inputs.size(); ++i)
      if (int j = b.find_input(a.inputs[i].name); j >= 0) shared.emplace_back(static_cast<int>(i), j);
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
    for (auto [i, j] : pairs) {
      ra.push_back(i);
      rb.push_back(j);
    }
    // Base case: every shared input at its default, or its first candidate.
    std::vector<Value> base(shared.size());
    for (std::size_t k = 0; k < shared.size(); ++k) {
      const auto& in = a.inputs[shared[k].first];
      base[k] = in.default_value ? *in.default_value : (cand[k].empty() ? Value() : cand[k][0]);
    }
    std::vector<std::vector<std::pair<std::size_t, Value>>> found;
    std::uint64_t tried = 0;
    auto try_case = [&](const std::vector<std::pair<std::size_t, Value>>& changes) {
      if (found.size() >= 5) return;
      Case c1, c2;
      sa.reset(c1);
      sb.reset(c2);
      for (std::size_t k = 0; k < shared.size(); ++k) {
        Value v = base[k];
        for (auto& [kk, vv] : changes)
          if (kk == k) v = vv;
        c1.values[shared[k].first] = v;
        c1.state[shared[k].first] = InputState::Given;
        // Enum values are matched by name across the two files.
        const auto& ia = a.inputs[shared[k].first];
        const auto& ib = b.inputs[shared[k].second];
        Value vb = v;
        if (ia.type.base == dsl::Base::Enum && ib.type.base == dsl::Base::Enum) {
          int ord = b.enums[ib.type.enum_id].find(a.enums[ia.type.enum_id].values[checked::as_enum(v)].name);
          if (ord < 0) return;
          vb = Value::from_int(ord);
        }
        c2.values[shared[k].second] = vb;
        c2.state[shared[k].second] = InputState::Given;
      }
      sa.apply_defaults(c1);
      sb.apply_defaults(c2);
      ++tried;
      if (ea.validate(c1) || eb.validate(c2)) return;
      Outcome o1, o2;
      ea.evaluate(c1, ra, o1);
      eb.evaluate(c2, rb, o2);
      if (o1.error || o2.error) return;
      for (std::size_t i = 0; i < o1.outputs.size(); ++i)
        if (compare(o1.outputs[i].second, o2.outputs[i].second) != 0) {
          found.push_back(changes);
          return;
        }
    };
    try_case({});
    for (std::size_t k = 0; k < shared.size() && found.size() < 5; ++k)
      for (Value v : cand[k]) try_case({{k, v}});
    if (found.empty())
      for (std::size_t k = 0; k < shared.size() && found.size() < 5; ++k)
        for (std::size_t l = k + 1; l < shared.size() && found.size() < 5; ++l)
          for (Value v : cand[k])
            for (Value w : cand[l]) try_case({{k, v}, {l, w}});
    std::string out;
    if (found.empty()) {
      out += fmt::format("no disagreement found between {} and {} on {}\n", a.header.name, b.header.name,
                         fmt::join(output_names(a, ra), ", "));
      out += fmt::format("explored {} cases: every single change and every pair of changes to {} shared inputs from their "
                         "defaults, over {} candidate values:\n",
                         tried, shared.size(), explored);
      for (std::size_t k = 0; k < shared.size(); ++k) {
        const auto& in = a.inputs[shared[k].first];
        std::vector<std::string> vs;
        for (Value v : cand[k]) vs.push_back(plain_value(a, in.type, v));
        out += fmt::format("  {} {}: {}\n", in.name, in.label, fmt::join(vs, ", "));
      }
      std::fputs(out.c_str(), stdout);
      return 0;
    }
    out += fmt::format("{} disagreement{} found between {} and {} ({} cases tried); the smallest:\n", found.size(),
                       found.size() == 1 ? "" : "s", a.header.name, b.header.name, tried);
    for (const auto& f : found) {
      std::string json = "{";
      bool first = true;
      for (std::size_t k = 0; k < shared.size(); ++k) {
        const auto& in = a.inputs[shared[k].first];
        Value v = base[k];
        bool changed = false;
        for (auto& [kk, vv] : f)
          if (kk == k) v = vv, changed = true;
        if (!changed && in.default_value) continue;
        if (!first) json += ", ";
        first = false;
        append_json_string(json, in.name);
        json += ": ";
        append_json_value(json, a, in.type, v);
      }
      json += "}";
      out += fmt::format("\ncase {}\n", json);
      // Both explanations, restricted to the outputs that differ.
      Case c1, c2;
      std::string padded = json + std::string(JsonCaseReader::kPadding, ' ');
      JsonCaseReader ja(sa), jb(sb);
      jb.ignore_unknown(true);
      CaseError err;
      if (!ja.read(std::string_view(padded.data(), json.size()), padded.size(), c1, err) ||
          !jb.read(std::string_view(padded.data(), json.size()), padded.size(), c2, err))
        continue;
      Outcome o1, o2;
      ea.evaluate(c1, ra, o1);
      eb.evaluate(c2, rb, o2);
      std::vector<std::uint32_t> da, db;
      for (std::size_t i = 0; i < o1.outputs.size(); ++i)
        if (compare(o1.outputs[i].second, o2.outputs[i].second) != 0) {
          da.push_back(ra[i]);
          db.push_back(rb[i]);
          out += fmt::format("  {}: {} → {}\n", a.rules[ra[i]].name, plain_value(a, a.rules[ra[i]].type, o1.outputs[i].second),
                             plain_value(b, b.rules[rb[i]].type, o2.outputs[i].second));
        }
      Trace t1, t2;
      ea.evaluate_traced(c1, da, o1, t1);
      eb.evaluate_traced(c2, db, o2, t2);
      out += "\n--- A\n" + render_text(a, build_explanation(pa, c1, o1, t1, "--at"));
      out += "\n--- B\n" + render_text(b, build_explanation(pb, c2, o2, t2, "--at"));
    }
    std::fputs(out.c_str(), stdout);
    return 0;
  }

  std::vector<Change> changes = static_diff(a, b, at);
  bool rel = related(a, b);
  if (!rel)  // unrelated files: compare what they share, the inputs and the outputs
    std::erase_if(changes, [](const Change& c) { return c.kind != "input" && c.kind != "output"; });
  std::optional<Population> pop;
  if (!args.cases.empty()) pop = run_population(a, b, args, at);

  std::string out;
  if (format == "json") {
    out = "{\"a\":";
    append_json_string(out, a.header.name);
    out += ",\"b\":";
    append_json_string(out, b.header.name);
    out += fmt::format(",\"related\":{},\"changes\":", rel);
    render_changes_json(changes, out);
    if (pop) {
      out += fmt::format(",\"population\":{{\"cases\":{},\"errors_a\":{},\"errors_b\":{},\"changed_cases\":{},\"outputs\":[",
                         pop->cases, pop->errors_a, pop->errors_b, pop->changed_cases);
      for (std::size_t i = 0; i < pop->outputs.size(); ++i) {
        const auto& o = pop->outputs[i];
        if (i) out += ",";
        out += fmt::format("{{\"name\":\"{}\",\"changed\":{}", o.name, o.changed);
        if (o.type.is_number() && o.changed) {
          out += ",\"min\":";
          append_json_value(out, a, o.type, o.num.deltas.begin()->first);
          out += ",\"median\":";
          append_json_value(out, a, o.type, median_of(o.num));
          out += ",\"max\":";
          append_json_value(out, a, o.type, o.num.deltas.rbegin()->first);
          out += ",\"total\":";
          append_json_value(out, a, o.type, o.num.total);
        }
        if (!o.transitions.empty()) {
          out += ",\"transitions\":[";
          bool first = true;
          for (const auto& [k, n] : o.transitions) {
            if (!first) out += ",";
            first = false;
            out += "{\"from\":";
            append_json_string(out, k.first);
            out += ",\"to\":";
            append_json_string(out, k.second);
            out += fmt::format(",\"count\":{}}}", n);
          }
          out += "]";
        }
        out += "}";
      }
      out += "],\"changed\":[";
      for (std::size_t i = 0; i < pop->examples.size(); ++i) {
        const auto& e = pop->examples[i];
        if (i) out += ",";
        out += fmt::format("{{\"line\":{},\"id\":", e.line);
        append_json_string(out, e.id);
        out += ",\"outputs\":{";
        for (std::size_t k = 0; k < e.diffs.size(); ++k) {
          if (k) out += ",";
          append_json_string(out, std::get<0>(e.diffs[k]));
          out += ":{\"a\":";
          append_json_string(out, std::get<1>(e.diffs[k]));
          out += ",\"b\":";
          append_json_string(out, std::get<2>(e.diffs[k]));
          out += "}";
        }
        out += "}}";
      }
      out += "]}";
    }
    out += "}\n";
  } else {
    // text, markdown and html share one layout of sections.
    bool mdf = format == "markdown", htm = format == "html";
    auto h1 = [&](const std::string& s) {
      if (mdf) out += "# " + md(s) + "\n\n";
      else if (htm) out += "<h1>" + html(s) + "</h1>\n";
      else out += s + "\n";
    };
    auto h2 = [&](const std::string& s) {
      if (mdf) out += "\n## " + md(s) + "\n\n";
      else if (htm) out += "<h2>" + html(s) + "</h2>\n";
      else out += "\n" + s + "\n";
    };
    auto para = [&](const std::string& s) {
      if (mdf) out += md(s) + "\n";
      else if (htm) out += "<p>" + html(s) + "</p>\n";
      else out += s + "\n";
    };
    if (htm)
      out += "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>pol diff</title><style>"
             "body{font-family:sans-serif;margin:2em;max-width:64em}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:.2em .5em}.affects{color:#555}</style></head><body>\n";
    h1(fmt::format("pol diff {} {}", a.header.name, b.header.name));
    para(fmt::format("A: {}", header_line(a, args.a)));
    para(fmt::format("B: {}", header_line(b, args.b)));
    if (!rel) para("The two files are unrelated (neither builds on the other): they are compared on the inputs and outputs they share; what only one has is listed as such.");
    h2(fmt::format("Declarations ({} difference{})", changes.size(), changes.size() == 1 ? "" : "s"));
    if (mdf) {
      if (changes.empty()) out += "no differences\n";
      else {
        out += "| change | kind | name | A | B | affects |\n| --- | --- | --- | --- | --- | --- |\n";
        for (const auto& c : changes)
          out += fmt::format("| {} | {} | `{}` {} | {} | {} | {} |\n", c.what, c.kind, c.name, md(c.label), md(c.before),
                             md(c.after), fmt::join(c.affects, ", "));
      }
    } else if (htm) {
      out += "<table><tr><th>change</th><th>kind</th><th>name</th><th>A</th><th>B</th><th>affects</th></tr>\n";
      for (const auto& c : changes)
        out += fmt::format("<tr><td>{}</td><td>{}</td><td><code>{}</code> {}</td><td>{}</td><td>{}</td><td class=\"affects\">{}</td></tr>\n",
                           c.what, c.kind, html(c.name), html(c.label), html(c.before), html(c.after),
                           html(fmt::format("{}", fmt::join(c.affects, ", "))));
      out += "</table>\n";
    } else {
      render_changes_text(changes, out);
    }
    if (pop) {
      h2(fmt::format("Over {} cases ({})", with_commas(pop->cases), args.cases));
      para(fmt::format("{} cases changed; {} could not be evaluated under A, {} under B", with_commas(pop->changed_cases),
                       with_commas(pop->errors_a), with_commas(pop->errors_b)));
      for (const auto& e : pop->error_examples) para("  " + e);
      std::vector<std::vector<std::string>> rows;
      for (const auto& o : pop->outputs) {
        std::vector<std::string> r{o.name, o.label, with_commas(o.changed)};
        if (o.type.is_number() && o.changed) {
          r.push_back(plain_value(a, o.type, o.num.deltas.begin()->first));
          r.push_back(plain_value(a, o.type, median_of(o.num)));
          r.push_back(plain_value(a, o.type, o.num.deltas.rbegin()->first));
          r.push_back(plain_value(a, o.type, o.num.total));
        } else {
          r.insert(r.end(), {"", "", "", ""});
        }
        std::vector<std::string> tr;
        for (const auto& [k, n] : o.transitions) tr.push_back(fmt::format("{} → {}: {}", k.first, k.second, with_commas(n)));
        r.push_back(fmt::format("{}", fmt::join(tr, "; ")));
        rows.push_back(std::move(r));
      }
      std::vector<std::string> head{"output", "label", "changed", "min change", "median", "max change", "total", "transitions"};
      if (mdf) {
        out += "| " + fmt::format("{}", fmt::join(head, " | ")) + " |\n|" + std::string() ;
        for (std::size_t i = 0; i < head.size(); ++i) out += " --- |";
        out += "\n";
        for (auto& r : rows) {
          for (auto& c : r) c = md(c);
          out += "| " + fmt::format("{}", fmt::join(r, " | ")) + " |\n";
        }
      } else if (htm) {
        out += changes_svg(*pop) + "\n<table><tr>";
        for (const auto& h : head) out += "<th>" + h + "</th>";
        out += "</tr>\n";
        for (const auto& r : rows) {
          out += "<tr>";
          for (const auto& c : r) out += "<td>" + html(c) + "</td>";
          out += "</tr>\n";
        }
        out += "</table>\n";
      } else {
        for (const auto& r : rows) {
          out += fmt::format("  {} {}: {} changed", r[0], r[1], r[2]);
          if (!r[3].empty()) out += fmt::format("; change min {}, median {}, max {}, total {}", r[3], r[4], r[5], r[6]);
          if (!r[7].empty()) out += fmt::format("; {}", r[7]);
          out += "\n";
        }
      }
      h2(fmt::format("Changed cases (first {} of {})", pop->examples.size(), with_commas(pop->changed_cases)));
      for (const auto& e : pop->examples) {
        std::vector<std::string> ds;
        for (const auto& [n, va, vb] : e.diffs) ds.push_back(fmt::format("{}: {} → {}", n, va, vb));
        para(fmt::format("line {}{}: {}", e.line, e.id.empty() ? "" : " (" + e.id + ")", fmt::join(ds, "; ")));
      }
    }
    if (htm) out += "</body></html>\n";
  }
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace pol::interp
