#include "variant/skeleton.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"

namespace pol::interp {

namespace {

using dsl::Msg;

std::string quoted(std::string_view s) {
  std::string out(1, '"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') out.append("\\n");
    else out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// A label written bare in a test (`gender = 女`): it must read as one word.
bool bare_label(std::string_view s) {
  if (s.empty() || static_cast<unsigned char>(s.front()) < 0x80) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_';
  });
}

// A value as a test block writes it.
std::string literal(const checked::Policy& p, const dsl::Type& t, checked::Value v) {
  switch (t.base) {
    case dsl::Base::Bool: return checked::as_bool(v) ? "true" : "false";
    case dsl::Base::Date: return format_date(checked::as_date(v));
    case dsl::Base::Enum: {
      const auto& e = p.enums[t.enum_id].values[static_cast<std::size_t>(checked::as_enum(v))];
      return bare_label(e.label) ? e.label : e.name;
    }
    case dsl::Base::Number:
      if (t.percent) return (v * checked::Value::from_int(100)).to_string() + "%";
      return t.is_money() ? v.to_string_fixed(2) : v.to_string();
    case dsl::Base::Error: break;
  }
  return "?";
}

// The lines of the source from the one holding offset `from` up to (not including) the one
// holding `to`.
std::vector<std::string_view> lines_between(const dsl::SourceFile& f, std::uint32_t from, std::uint32_t to) {
  std::vector<std::string_view> out;
  std::uint32_t a = f.line_col(from).line, b = f.line_col(to).line;
  for (std::uint32_t l = a; l < b; ++l) out.push_back(f.line_text(l));
  return out;
}

// One parameter, commented out, as the base writes it, with `override` in front.
void commented_param(std::string& out, const checked::Policy& p, const checked::Param& pa) {
  const auto& file = p.file_of(pa.place);
  const std::uint32_t end = pa.values.empty() ? pa.place.range.end : pa.values.front().place.range.begin;
  auto head = lines_between(file, pa.place.range.begin, end);
  if (head.empty()) head.push_back(file.line_text(file.line_col(pa.place.range.begin).line));
  for (std::size_t i = 0; i < head.size(); ++i)
    out += fmt::format("# {}{}\n", i == 0 && !head[i].starts_with("override ") ? "override " : "", head[i]);
  for (const auto& v : pa.values) {
    // A dated value with its own alternative readings runs over several lines, each commented.
    std::string_view text = p.file_of(v.place).slice(v.place.range);
    for (std::size_t i = 0; !text.empty() || i == 0; ++i) {
      auto nl = text.find('\n');
      out += fmt::format("{}{}\n", i == 0 ? "#   " : "# ", text.substr(0, nl));
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
  }
  out += "\n";
}

// The base's ambiguities with alternative readings, each a commented `override reading` line
// per alternative the base does not take.
void commented_readings(std::string& out, const checked::Policy& p) {
  bool any = false;
  for (const auto& rd : p.readings) {
    if (p.params[rd.param].use >= 0) continue;  // a used file's readings are that file's
    for (std::size_t k = 0; k < rd.alternatives.size(); ++k) {
      if (static_cast<int>(k) == rd.taken) continue;
      if (!any) out += dsl::text(Msg::NewReadingsSection);
      any = true;
      out += dsl::textf(Msg::NewReadingLine, rd.id, rd.alternatives[k].name, rd.alternatives[k].label,
                        rd.alternatives[static_cast<std::size_t>(rd.taken)].name);
    }
  }
  if (any) out += "\n";
}

// A test of the base that expects output `rule` on its own facts (no `set`, no expected
// error), preferring one whose expected value is not zero (a case the output says something of).
const checked::TestCase* test_for(const checked::Policy& p, std::uint32_t rule) {
  const checked::TestCase* found = nullptr;
  for (const auto& t : p.tests) {
    if (!t.set.empty() || t.expect_error) continue;
    for (const auto& [r, v] : t.expect) {
      if (r != rule) continue;
      if (!found) found = &t;
      if (!v.is_zero()) return &t;
    }
  }
  return found;
}

}  // namespace

bool is_policy_name(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Skeleton write_skeleton(const checked::Policy& base, const SkeletonArgs& args) {
  Skeleton sk;
  std::string& out = sk.text;
  out += dsl::textf(Msg::NewFileComment, args.name, args.title, base.header.name, base.header.title);
  out += dsl::text(Msg::NewIssuerComment);
  out += fmt::format("\npolicy {} {}\n  extends {}\n", args.name, quoted(args.title), quoted(args.extends));
  if (base.header.effective) out += fmt::format("  effective {}\n", format_date(*base.header.effective));
  out += "\n";
  std::vector<std::uint32_t> regional, others;
  for (std::uint32_t i = 0; i < base.params.size(); ++i) {
    // A reading's own parameter is chosen with --reading, a used file's parameters are that file's.
    if (base.params[i].ambiguity >= 0 || base.params[i].use >= 0) continue;
    (base.params[i].regional ? regional : others).push_back(i);
  }
  if (!regional.empty()) {
    out += dsl::text(Msg::NewRegionalSection);
    for (auto i : regional) commented_param(out, base, base.params[i]);
  }
  if (!others.empty()) {
    out += dsl::text(Msg::NewOtherSection);
    for (auto i : others) commented_param(out, base, base.params[i]);
  }
  commented_readings(out, base);
  sk.regional = regional.size();
  sk.others = others.size();
  // The outputs a region's parameters can change: those of the regional ones, else of any.
  std::set<std::uint32_t> outputs;
  for (auto i : regional.empty() ? others : regional)
    for (auto r : base.rules_affected_by_param(i))
      if (base.rules[r].is_output) outputs.insert(r);
  out += dsl::text(Msg::NewTestsSection);
  for (auto r : outputs) {
    const auto& rule = base.rules[r];
    const checked::TestCase* t = test_for(base, r);
    if (!t) {
      out += dsl::textf(Msg::NewNoBaseTest, rule.name, rule.label);
      continue;
    }
    ++sk.tests;
    out += fmt::format("test {}", quoted(dsl::textf(Msg::NewTestName, args.title, rule.label)));
    if (!rule.clause.empty()) out += fmt::format(" clause {}", quoted(rule.clause));
    out += " {\n";
    std::vector<std::string> given;
    for (const auto& [slot, v] : t->given)
      given.push_back(fmt::format("{} = {}", base.inputs[slot].name, literal(base, base.inputs[slot].type, v)));
    if (!given.empty()) out += fmt::format("  given {}\n", fmt::join(given, ", "));
    if (t->at) out += fmt::format("  at {}\n", format_date(*t->at));
    for (const auto& [slot, v] : t->expect)
      if (slot == r) out += fmt::format("  expect {} = {}\n", rule.name, literal(base, rule.type, v));
    out += "}\n\n";
  }
  while (out.ends_with("\n\n")) out.pop_back();
  return sk;
}

}  // namespace pol::interp
