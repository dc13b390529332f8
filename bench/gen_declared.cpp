#include "gen_declared.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "base/calendar.hpp"
#include "check/checker.hpp"
#include "gen_rng.hpp"

namespace pol_bench {

namespace {

using pol::Decimal;
using pol::checked::Policy;
using pol::dsl::Base;
using pol::dsl::Type;
using pol::dsl::Unit;

std::optional<Policy> load(const std::string& path) {
  auto r = pol::dsl::check_file(path);
  if (!r.policy) {
    for (const auto& d : r.diagnostics)
      if (d.severity == pol::dsl::Severity::Error) std::fputs(pol::dsl::render(d).c_str(), stderr);
    std::fprintf(stderr, "pol_gen_cases: %s does not check\n", path.c_str());
  }
  return std::move(r.policy);
}

// The smallest step of a number input: a whole unit, a fen, or a hundredth.
Decimal step_of(const Type& t) {
  if (t.whole) return Decimal::from_int(1);
  return Decimal::raw(1, 2);
}

class Generator {
public:
  Generator(const Policy& p, const GenOptions& opt) : p_(p), opt_(opt) {
    // The numbers the rules and the parameters use, by unit: conditions change their answer
    // around them.
    for (const auto& node : p.nodes)
      if (node.op == pol::checked::Op::Const && node.type.base == Base::Number) add_edge(node.type, node.constant);
    for (const auto& prm : p.params)
      if (prm.type.base == Base::Number)
        for (const auto& v : prm.values) add_edge(prm.type, v.value);
    for (auto& [unit, values] : edges_) {
      std::sort(values.begin(), values.end(), [](Decimal a, Decimal b) { return a < b; });
      values.erase(std::unique(values.begin(), values.end(), [](Decimal a, Decimal b) { return !(a < b) && !(b < a); }),
                   values.end());
    }
    effective_ = p.header.effective.value_or(*pol::parse_date("2025-01-01"));
  }

  void header(std::string& out) const {
    out += "id";
    for (const auto& in : p_.inputs) out += "," + in.name;
    out += "\n";
  }

  // Case i: each input given a value of its type (in JSON Lines, an input with a default is
  // sometimes left out); with --broken, some cases are cut short, hold a value of the wrong
  // type or (JSON) a key the policy does not declare.
  void write(std::uint64_t i, std::string& out) {
    Rng r{opt_.seed ^ (i * 0xd1b54a32d192ed03ULL)};
    r.next();
    const int broken = is_broken(i);
    const std::size_t start = out.size();
    const std::size_t wrong = p_.inputs.empty() ? 0 : r.below(p_.inputs.size());
    out += opt_.csv ? fmt::format("c{}", i + 1) : fmt::format("{{\"id\": \"c{}\"", i + 1);
    for (std::size_t k = 0; k < p_.inputs.size(); ++k) {
      const auto& in = p_.inputs[k];
      std::string v = broken == 1 && k == wrong ? wrong_value(in.type) : value(r, in.type);
      if (opt_.csv) {
        out += "," + v;
      } else if (!(in.default_value && r.percent(15))) {
        out += fmt::format(", \"{}\": {}", in.name, v);
      }
    }
    if (broken == 2 && !opt_.csv) out += ", \"undeclared_input\": 1";
    if (!opt_.csv) out += "}";
    if (broken == 0) out.resize(start + (out.size() - start) * 2 / 3);
    out += "\n";
  }

private:
  void add_edge(const Type& t, Decimal v) { edges_[static_cast<int>(t.unit)].push_back(v); }

  // -1 for a valid case, else the kind of defect (0 cut short, 1 wrong type, 2 unknown key).
  int is_broken(std::uint64_t i) const {
    if (opt_.broken_bp == 0) return -1;
    Rng br{opt_.seed * 31 + 7 + i * 0x9e3779b97f4a7c15ULL};
    br.next();
    if (br.below(10000) >= opt_.broken_bp) return -1;
    return static_cast<int>(br.below(3));
  }

  std::string quoted(const std::string& s) const { return opt_.csv ? s : "\"" + s + "\""; }

  std::string wrong_value(const Type& t) const {
    if (t.base == Base::Number || t.base == Base::Bool) return quoted("abc");
    return opt_.csv ? "abc" : "12345";
  }

  std::string value(Rng& r, const Type& t) {
    switch (t.base) {
      case Base::Bool: return r.percent(50) ? "true" : "false";
      case Base::Enum: {
        const auto& values = p_.enums[t.enum_id].values;
        const auto& v = values[r.below(values.size())];
        return quoted(r.percent(10) ? v.label : v.name);
      }
      case Base::Date:
        return quoted(pol::format_date(effective_ + static_cast<int>(r.below(2 * 1096)) - 1096));
      case Base::Number: return number(r, t).to_string();
      case Base::Error: break;
    }
    return "null";
  }

  Decimal number(Rng& r, const Type& t) {
    const auto& near = edges_[static_cast<int>(t.unit)];
    if (!near.empty() && r.percent(40)) {
      // A number the rules use, or one step either side of it; never below zero.
      Decimal v = near[r.below(near.size())];
      const auto side = r.below(3);
      if (side == 0) v = v - step_of(t);
      if (side == 2) v = v + step_of(t);
      if (t.whole) v = v.round(0);
      return v.is_negative() ? Decimal::from_int(0) : v;
    }
    if (t.whole) return Decimal::from_int(static_cast<std::int64_t>(r.below(t.unit == Unit::Days ? 401 : 101)));
    if (t.unit == Unit::Yuan) return Decimal::raw(static_cast<std::int64_t>(r.below(5000001)), 2);
    return Decimal::raw(static_cast<std::int64_t>(r.below(4001)), 2);
  }

  const Policy& p_;
  GenOptions opt_;
  std::map<int, std::vector<Decimal>> edges_;
  int effective_ = 0;
};

}  // namespace

int read_policy_name(const std::string& path, std::string& name) {
  auto p = load(path);
  if (!p) return 2;
  name = p->header.name;
  return 0;
}

std::vector<std::string> profile_mismatches(const std::string& path, const std::vector<ProfileKey>& keys) {
  std::vector<std::string> out;
  auto p = load(path);
  if (!p) return {"the rule file does not check"};
  for (const auto& key : keys) {
    const int slot = p->find_input(key.name);
    if (slot < 0) {
      out.push_back(fmt::format("'{}' is not an input of the policy", key.name));
      continue;
    }
    const Type& t = p->inputs[static_cast<std::size_t>(slot)].type;
    if (key.enum_values.empty()) continue;
    if (t.base != Base::Enum) {
      out.push_back(fmt::format("'{}' is not an enum input", key.name));
      continue;
    }
    const auto& e = p->enums[t.enum_id];
    if (e.values.size() != key.enum_values.size()) out.push_back(fmt::format("'{}' has other values", key.name));
    for (const auto& [id, label] : key.enum_values) {
      const int ord = e.find(id);
      if (ord < 0 || e.values[static_cast<std::size_t>(ord)].label != label)
        out.push_back(fmt::format("'{}' has no value {} \"{}\"", key.name, id, label));
    }
  }
  return out;
}

int write_declared_cases(const std::string& path, const GenOptions& opt) {
  auto p = load(path);
  if (!p) return 2;
  Generator gen(*p, opt);
  std::string out;
  out.reserve(1 << 21);
  if (opt.csv) gen.header(out);
  auto flush = [&out] {
    const bool ok = std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
    out.clear();
    return ok;
  };
  for (std::uint64_t i = 0; i < opt.n; ++i) {
    gen.write(i, out);
    if (out.size() >= (1 << 20) && !flush()) break;
  }
  if (!flush() || std::fflush(stdout) != 0) {
    std::perror("pol_gen_cases: write");
    return 1;
  }
  return 0;
}

}  // namespace pol_bench
