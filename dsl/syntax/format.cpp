#include "syntax/format.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/calendar.hpp"

namespace pol::dsl {
namespace {

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void expr(const ast::Expr& e, std::string& out);

void expr_list(const std::vector<ast::ExprPtr>& v, std::size_t from, std::string& out) {
  for (std::size_t i = from; i < v.size(); ++i) {
    if (i > from) out += ", ";
    expr(*v[i], out);
  }
}

void expr(const ast::Expr& e, std::string& out) {
  using K = ast::ExprKind;
  if (e.parens) out.push_back('(');
  switch (e.kind) {
    case K::Number:
      out += e.name;
      if (e.unit == ast::UnitWord::Days) out += " days";
      if (e.unit == ast::UnitWord::Months) out += " months";
      if (e.unit == ast::UnitWord::Years) out += " years";
      break;
    case K::Percent:
    case K::Date:
    case K::Name: out += e.name; break;
    case K::Invalid: break;  // a file with errors is never formatted
    case K::Bool: out += e.bool_value ? "true" : "false"; break;
    case K::Qualified: out += e.qualifier + "." + e.name; break;
    case K::ParamRef: out += "param." + e.name; break;
    case K::Negate:
      out += "-";
      expr(*e.args[0], out);
      break;
    case K::Not:
      out += "not ";
      expr(*e.args[0], out);
      break;
    case K::Binary: {
      // A fraction of two whole literals is written as one literal: 2/3.
      bool fraction = e.op == ast::BinOp::Div && e.args[0]->kind == K::Number && e.args[1]->kind == K::Number &&
                      !e.args[0]->parens && !e.args[1]->parens && e.args[0]->unit == ast::UnitWord::None &&
                      e.args[1]->unit == ast::UnitWord::None;
      expr(*e.args[0], out);
      out += fraction ? "/" : fmt::format(" {} ", ast::op_text(e.op));
      expr(*e.args[1], out);
      break;
    }
    case K::In:
      expr(*e.args[0], out);
      out += " in {";
      expr_list(e.args, 1, out);
      out += "}";
      break;
    case K::Call:
      out += ast::func_text(e.func);
      out += "(";
      expr_list(e.args, 0, out);
      out += ")";
      break;
    case K::Chain:
    case K::Match:
      // Inline form (only inside parentheses); top-level chains are laid out by rule_body.
      if (e.kind == K::Match) {
        out += "match ";
        expr(*e.args[0], out);
        out += " ";
      }
      for (std::size_t i = 0; i < e.branches.size(); ++i) {
        const auto& b = e.branches[i];
        if (i) out += " ";
        if (b.is_otherwise) out += "otherwise ";
        else {
          out += "when ";
          if (e.kind == K::Match) expr_list(b.values, 0, out);
          else expr(*b.condition, out);
          out += " then ";
        }
        expr(*b.result, out);
        if (!b.clause.empty()) out += " clause " + quote(b.clause);
      }
      break;
  }
  if (e.parens) out.push_back(')');
}

class Printer {
public:
  explicit Printer(const ast::Module& m) : m_(m), text_(m.file->text()) {}

  std::string run() {
    const ast::Decl* prev = nullptr;
    for (const auto& d : m_.decls) {
      std::uint32_t begin = ast::range_of(d).begin;
      auto one_line_input = [](const ast::Decl& x) {
        auto in = std::get_if<ast::InputDecl>(&x);
        return in && !in->attrs.reading.present;
      };
      bool compact = prev && ((one_line_input(d) && one_line_input(*prev)) ||
                              (std::holds_alternative<ast::NoteDecl>(d) && std::holds_alternative<ast::NoteDecl>(*prev)));
      bool has_comment = false;
      for (std::size_t i = next_comment_; i < m_.comments.size() && m_.comments[i].range.begin < begin; ++i)
        has_comment |= !trailing(m_.comments[i]);
      if (prev && (!compact || has_comment)) out_ += "\n";
      comments_before(begin, "");
      std::visit([&](const auto& x) { decl(x); }, d);
      prev = &d;
    }
    if (next_comment_ < m_.comments.size()) {
      if (!out_.empty()) out_ += "\n";
      comments_before(UINT32_MAX, "");
    }
    return attach_trailing();
  }

private:
  const ast::Module& m_;
  const std::string& text_;
  std::string out_;
  std::size_t next_comment_ = 0;
  // Output lines and the source offset each one starts from, for comments at the end of a line.
  struct Mark {
    std::size_t out;
    std::uint32_t src;
  };
  std::vector<Mark> marks_;

  // Records that the output line about to be written starts from source offset `src`.
  void mark(std::uint32_t src) { marks_.push_back({out_.size(), src}); }

  // A comment after code on its source line stays at the end of a line: of the output line
  // that starts from the last source offset before it.
  bool trailing(const ast::Comment& c) const {
    if (c.range.begin == 0) return false;
    std::size_t line = text_.rfind('\n', c.range.begin - 1);
    line = line == std::string::npos ? 0 : line + 1;
    return text_.find_first_not_of(" \t\r\f\v", line) < c.range.begin;
  }

  static std::string_view trim(std::string_view t) {
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
    return t;
  }

  std::string attach_trailing() {
    // By source offset (header fields are written in a fixed order, not the file's), so each
    // comment finds its line by binary search: the last mark at or before it.
    std::stable_sort(marks_.begin(), marks_.end(), [](const Mark& a, const Mark& b) { return a.src < b.src; });
    std::vector<std::pair<std::size_t, std::string_view>> inserts;  // output offset of a line end, comment
    for (const auto& c : m_.comments) {
      if (!trailing(c)) continue;
      auto after = std::upper_bound(marks_.begin(), marks_.end(), c.range.begin,
                                    [](std::uint32_t at, const Mark& m) { return at < m.src; });
      if (after == marks_.begin()) continue;
      const Mark* best = &*std::prev(after);
      std::size_t eol = out_.find('\n', best->out);
      if (eol == std::string::npos) eol = out_.size();
      inserts.emplace_back(eol, trim(std::string_view(text_).substr(c.range.begin, c.range.end - c.range.begin)));
    }
    std::stable_sort(inserts.begin(), inserts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string result;
    result.reserve(out_.size() + inserts.size() * 32);
    std::size_t at = 0;
    for (const auto& [eol, text] : inserts) {
      result.append(out_, at, eol - at);
      result += "  ";
      result += text;
      at = eol;
    }
    result.append(out_, at, std::string::npos);
    return result;
  }

  void comments_before(std::uint32_t offset, const std::string& indent) {
    while (next_comment_ < m_.comments.size() && m_.comments[next_comment_].range.begin < offset) {
      const auto& c = m_.comments[next_comment_++];
      if (trailing(c)) continue;  // placed by attach_trailing
      std::string_view t = trim(std::string_view(text_).substr(c.range.begin, c.range.end - c.range.begin));
      out_ += indent;
      out_ += t;
      out_ += "\n";
      // A blank line after a comment in the source stays (one at most): it separates a
      // comment about a section from the declaration that follows.
      std::size_t next = text_.find_first_not_of(" \t\r\n", c.range.end);
      if (next == std::string::npos) next = text_.size();
      if (next <= offset) {
        std::string_view gap = std::string_view(text_).substr(c.range.end, next - c.range.end);
        if (std::count(gap.begin(), gap.end(), '\n') >= 2) out_ += "\n";
      }
    }
  }

  static std::string attrs(const ast::Attrs& a) { return a.clause.present ? " clause " + quote(a.clause.value) : ""; }

  void reading(const ast::Attrs& a) {
    if (!a.reading.present) return;
    mark(a.reading.range.begin);
    out_ += "  reading " + quote(a.reading.value) + "\n";
  }

  void decl(const ast::Header& h) {
    mark(h.range.begin);
    out_ += fmt::format("policy {} {}\n", h.name.name, quote(h.title.value));
    auto field = [&](const ast::Text& t, const char* kw) {
      if (!t.present) return;
      mark(t.range.begin);
      out_ += fmt::format("  {} {}\n", kw, quote(t.value));
    };
    field(h.extends, "extends");
    field(h.issuer, "issuer");
    field(h.number, "number");
    if (h.effective) {
      mark(h.effective_range.begin);
      out_ += "  effective " + format_date(*h.effective) + "\n";
    }
    field(h.source, "source");
  }

  void decl(const ast::EnumDecl& e) {
    mark(e.range.begin);
    out_ += "enum " + e.name.name;
    if (e.label.present) {
      out_ += ' ';
      out_ += quote(e.label.value);
    }
    out_ += " {\n";
    std::size_t w = 0;
    for (const auto& v : e.values) w = std::max(w, v.name.name.size());
    for (const auto& v : e.values) {
      comments_before(v.name.range.begin, "  ");
      mark(v.name.range.begin);
      out_ += fmt::format("  {:<{}} {}\n", v.name.name, w, quote(v.label.value));
    }
    mark(e.range.end > 0 ? e.range.end - 1 : 0);
    out_ += "}\n";
  }

  void decl(const ast::InputDecl& d) {
    mark(d.range.begin);
    out_ += fmt::format("{}input {} : {} {}", d.is_override ? "override " : "", d.name.name, d.type.name, quote(d.label.value));
    if (d.default_value) out_ += " default " + format_expr(*d.default_value);
    if (d.min) out_ += " min " + format_expr(*d.min);
    if (d.max) out_ += " max " + format_expr(*d.max);
    out_ += attrs(d.attrs) + "\n";
    reading(d.attrs);
  }

  void decl(const ast::ParamDecl& d) {
    mark(d.range.begin);
    out_ += fmt::format("{}param {} : {} {}{}{}\n", d.is_override ? "override " : "", d.name.name, d.type.name,
                        quote(d.label.value), attrs(d.attrs), d.regional ? " regional" : "");
    reading(d.attrs);
    for (const auto& b : d.readings) reading_block(b, "  ");
    for (const auto& v : d.values) {
      comments_before(v.range.begin, "  ");
      mark(v.range.begin);
      out_ += "  " + format_expr(*v.value);
      if (v.from) out_ += " from " + format_date(*v.from);
      out_ += (v.placeholder ? " placeholder " : " source ") + quote(v.source.value) + "\n";
      for (const auto& b : v.readings) reading_block(b, "    ");
    }
  }

  void decl(const ast::RuleDecl& d) {
    mark(d.range.begin);
    out_ += fmt::format("{}{} {} : {} {}{}\n", d.is_override ? "override " : "", d.is_output ? "output" : "let",
                        d.name.name, d.type.name, quote(d.label.value), attrs(d.attrs));
    reading(d.attrs);
    if (d.applies) {
      mark(d.applies->range.begin);
      out_ += "  applies when " + format_expr(*d.applies) + "\n";
    }
    body(*d.body);
    for (const auto& b : d.readings) reading_block(b);
  }

  // A rule's reading block (its alternatives' bodies on lines of their own), or a parameter's,
  // indented under the parameter or under one of its dated values (one line an alternative).
  void reading_block(const ast::ReadingBlock& b, const char* indent = nullptr) {
    const std::string in = indent ? indent : "  ";
    comments_before(b.range.begin, in);
    mark(b.range.begin);
    out_ += fmt::format("{}reading {}.{} {}\n", in, b.id.name, b.name.name, quote(b.label.value));
    for (const auto& a : b.alternatives) {
      comments_before(a.range.begin, in);
      mark(a.range.begin);
      out_ += fmt::format("{}alternative {}.{} {}\n{}  because {}", in, a.id.name, a.name.name, quote(a.label.value), in,
                          quote(a.because.value));
      if (indent) {
        out_ += " = " + format_expr(*a.body) + "\n";
      } else {
        out_ += "\n";
        body(*a.body);
      }
    }
  }

  void decl(const ast::ReadingChoice& c) {
    mark(c.range.begin);
    out_ += fmt::format("override reading {}.{}", c.id.name, c.name.name);
    if (c.source.present) out_ += " source " + quote(c.source.value);
    out_ += "\n";
  }

  // Flattens a left-nested chain of one logical operator.
  static void operands(const ast::Expr& e, ast::BinOp op, std::vector<const ast::Expr*>& out) {
    if (e.kind == ast::ExprKind::Binary && e.op == op && !e.parens) {
      operands(*e.args[0], op, out);
      operands(*e.args[1], op, out);
    } else {
      out.push_back(&e);
    }
  }

  void body(const ast::Expr& e) {
    using K = ast::ExprKind;
    if ((e.kind == K::Chain || e.kind == K::Match) && !e.parens) {
      std::string indent = "    ";
 if (e.kind == K::Match) {
        mark(e.range.begin);
        out_ += "  = match " + format_expr(*e.args[0]) + "\n";
        indent = "      ";
      }
      for (std::size_t i = 0; i < e.branches.size(); ++i) {
        const auto& b = e.branches[i];
        comments_before(b.range.begin, indent);
        std::string lead = (e.kind == K::Chain && i == 0) ? "  = " : indent;
        std::string line;
        if (b.is_otherwise) line = "otherwise " + format_expr(*b.result);
        else {
          line = "when ";
          if (e.kind == K::Match) {
            std::string vals;
            expr_list(b.values, 0, vals);
            line += vals;
          } else {
            line += format_expr(*b.condition);
          }
          line += " then " + format_expr(*b.result);
        }
        if (!b.clause.empty()) line += " clause " + quote(b.clause);
        mark(b.range.begin);
        out_ += lead + line + "\n";
      }
      return;
    }
    std::string one = format_expr(e);
    if (one.size() > 90 && e.kind == K::Binary && !e.parens && (e.op == ast::BinOp::Or || e.op == ast::BinOp::And)) {
      std::vector<const ast::Expr*> parts;
      operands(e, e.op, parts);
      mark(parts[0]->range.begin);
      out_ += "  = " + format_expr(*parts[0]) + "\n";
      for (std::size_t i = 1; i < parts.size(); ++i) {
        mark(parts[i]->range.begin);
        out_ += fmt::format("    {} {}\n", ast::op_text(e.op), format_expr(*parts[i]));
      }
      return;
    }
    mark(e.range.begin);
    out_ += "  = " + one + "\n";
  }

  void decl(const ast::ConstraintDecl& d) {
    mark(d.range.begin);
    out_ += "constraint " + format_expr(*d.condition) + "\n";
    mark(d.message.range.begin);
    out_ += "  " + quote(d.message.value);
    if (d.clause.present) out_ += " clause " + quote(d.clause.value);
    out_ += "\n";
  }

  void decl(const ast::NoteDecl& d) {
    mark(d.range.begin);
    out_ += fmt::format("note {} {}\n", quote(d.clause.value), quote(d.text.value));
  }

  // use "FILE" as NAME, then each binding on a line of its own.
  void decl(const ast::UseDecl& d) {
    mark(d.range.begin);
    out_ += fmt::format("use {} as {}", quote(d.path.value), d.alias.name);
    for (std::size_t i = 0; i < d.bindings.size(); ++i)
      out_ += fmt::format("{}{} = {}", i ? ",\n    " : "\n  with ", d.bindings[i].name.name, format_expr(*d.bindings[i].value));
    out_ += "\n";
  }

  void assignments(const char* kw, const std::vector<ast::Assignment>& v, std::size_t i) {
    out_ += fmt::format("  {} {} = {}\n", kw, v[i].name.name, format_expr(*v[i].value));
  }

 void decl(const ast::TestDecl& t) {
    mark(t.range.begin);
    out_ += "test " + quote(t.name.value);
    if (t.clause.present) out_ += " clause " + quote(t.clause.value);
    out_ += " {\n";
    using S = ast::TestDecl::Stmt;
    // Statements keep their order; each assignment of a group goes on the group's line.
    std::size_t gi = 0, si = 0, ei = 0;
    for (std::size_t k = 0; k < t.order.size(); ++k) {
      const S kind = t.order[k].first;
      const std::size_t idx = t.order[k].second;
      auto group_end = [&](const std::vector<ast::Assignment>& v, S s) {
        // The group runs until the next statement of this kind starts.
        for (std::size_t j = k + 1; j < t.order.size(); ++j)
          if (t.order[j].first == s) return t.order[j].second;
        return v.size();
      };
      auto emit = [&](const char* kw, const std::vector<ast::Assignment>& v, S s, std::size_t& cursor) {
        std::size_t end = group_end(v, s);
        comments_before(v[idx].range.begin, "  ");
        mark(v[idx].range.begin);
        out_ += fmt::format("  {} ", kw);
        for (std::size_t j = idx; j < end; ++j) {
          if (j > idx) out_ += ", ";
          out_ += fmt::format("{} = {}", v[j].name.name, format_expr(*v[j].value));
        }
        out_ += "\n";
        cursor = end;
      };
      switch (kind) {
        case S::Given: emit("given", t.given, S::Given, gi); break;
        case S::Set: emit("set", t.set, S::Set, si); break;
        case S::Expect: emit("expect", t.expect, S::Expect, ei); break;
        case S::At: out_ += "  at " + format_date(t.at.value_or(0)) + "\n"; break;
        case S::ExpectError: out_ += "  expect error " + quote(t.expect_error.value) + "\n"; break;
        case S::Reading:
          out_ += fmt::format("  reading {}.{}\n", t.readings[idx].first.name, t.readings[idx].second.name);
          break;
      }
    }
    comments_before(t.range.end, "  ");
    mark(t.range.end > 0 ? t.range.end - 1 : 0);
    out_ += "}\n";
  }
};

}  // namespace

std::string format_expr(const ast::Expr& e) {
  std::string out;
  expr(e, out);
  return out;
}

std::string format_module(const ast::Module& m) { return Printer(m).run(); }

}  // namespace pol::dsl
