// The summary before the derivation, the provenance after it, and --depth.
#include "explain/summary.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nettle/sha2.h>

#include "report/json_out.hpp"

#ifndef POL_VERSION_TEXT
#define POL_VERSION_TEXT "unknown"
#endif

namespace pol::interp {

namespace {

void mark(ExplainNode& n, std::set<std::string>& seen) {
  n.reading_repeated = !n.reading.empty() && !seen.insert(n.reading).second;
  for (auto& c : n.children) mark(c, seen);
}

int count_steps(const ExplainNode& n) {
  int k = 0;
  for (const auto& c : n.children) k += 1 + count_steps(c);
  return k;
}

void cut(ExplainNode& n, int level, int depth) {
  if (level == depth) {
    n.steps_cut = count_steps(n);
    n.children.clear();
    return;
  }
  for (auto& c : n.children) cut(c, level + 1, depth);
}


}  // namespace

std::string sha256_hex(std::string_view text) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, text.size(), reinterpret_cast<const std::uint8_t*>(text.data()));
  std::uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
  std::string hex;
  for (std::uint8_t b : digest) hex += fmt::format("{:02x}", b);
  return hex;
}

void mark_repeated_readings(Explanation& e) {
  std::set<std::string> seen;
  for (auto& o : e.outputs) mark(o, seen);
}

void add_summary(Explanation& e, const Program& program, const Case& c, const Trace& trace) {
  const auto& p = program.policy();
  for (std::uint32_t i = 0; i < p.inputs.size(); ++i) {
    bool given = c.state[i] == InputState::Given;
    bool defaulted = c.state[i] == InputState::Defaulted && trace.input_used[i];
    if (!given && !defaulted) continue;
    const auto& in = p.inputs[i];
    e.facts.push_back({in.name, in.label, text_value(p, in.type, c.values[i]), in.type, c.values[i], defaulted});
  }
  // The outputs shown, by rule index.
  std::vector<std::uint32_t> shown;
  for (const auto& o : e.outputs) shown.push_back(static_cast<std::uint32_t>(p.find_rule(o.name)));
  for (std::uint32_t i = 0; i < p.params.size(); ++i) {
    int choice = program.param_choice(i);
    if (choice < 0) continue;
    const auto& pa = p.params[i];
    const auto& v = pa.values[static_cast<std::size_t>(choice)];
    if (!v.placeholder) continue;
    auto affected = p.rules_affected_by_param(i);
    Unconfirmed u{pa.name, pa.label, text_value(p, pa.type, program.params()[i]), v.source, {}, {}};
    for (std::size_t k = 0; k < shown.size(); ++k) {
      if (std::find(affected.begin(), affected.end(), shown[k]) == affected.end()) continue;
      e.outputs[k].placeholder_dependent = true;
      u.outputs.push_back(p.rules[shown[k]].label);
      u.output_names.push_back(p.rules[shown[k]].name);
    }
    if (!u.outputs.empty()) e.unconfirmed.push_back(std::move(u));
  }
  mark_repeated_readings(e);
}

void add_provenance(Explanation& e, const checked::Policy& p, std::time_t generated) {
  Provenance pr;
  pr.version = POL_VERSION_TEXT;
  for (const auto& f : p.files) pr.files.push_back({f->name(), sha256_hex(f->text())});
  std::tm tm{};
  gmtime_r(&generated, &tm);
  pr.generated = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                             tm.tm_hour, tm.tm_min, tm.tm_sec);
  e.provenance = std::move(pr);
}

void cut_depth(Explanation& e, int depth) {
  if (depth <= 0) return;
  for (auto& o : e.outputs) cut(o, 0, depth);
  mark_repeated_readings(e);
}

}  // namespace pol::interp
