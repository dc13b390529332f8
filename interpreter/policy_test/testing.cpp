#include "base/messages.hpp"
#include "policy_test/testing.hpp"

#include <fmt/format.h>

#include "cases/case.hpp"
#include "eval/evaluator.hpp"
#include "explain/explain.hpp"
#include "report/json_out.hpp"

namespace pol::interp {

using checked::kNoNode;
using checked::Op;

namespace {

std::string where(const checked::Policy& p, const checked::Place& pl) {
  const auto& f = p.file_of(pl);
  auto lc = f.line_col(pl.range.begin);
  return fmt::format("{}:{}", f.name(), lc.line);
}

// Coverage items: every branch of every chain and match (taken by some test), every rule
// (evaluated by some test), and every `when` condition (seen both true and false).
struct Coverage {
  std::vector<CoverageItem> items;
  std::vector<std::pair<std::size_t, checked::NodeId>> branch_items;      // item, result node
  std::vector<std::pair<std::size_t, checked::NodeId>> cond_true, cond_false;
  std::vector<std::pair<std::size_t, std::uint32_t>> rule_items;

  explicit Coverage(const checked::Policy& p) {
    for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
      rule_items.emplace_back(items.size(), r);
      items.push_back({p.rules[r].place, fmt::format("{} '{}' evaluated", p.rules[r].is_output ? "output" : "let", p.rules[r].name), false});
    }
    for (checked::NodeId id = 0; id < p.nodes.size(); ++id) {
      const auto& n = p.nodes[id];
      if (n.op != Op::Chain && n.op != Op::Match) continue;
      for (std::uint32_t i = 0; i < n.count; ++i) {
        const auto& b = p.branches[n.first + i];
        bool otherwise = b.condition == kNoNode && b.mask == 0;
        std::string label = otherwise ? std::string("otherwise") : fmt::format("branch {}", i + 1);
        if (b.condition != kNoNode) {
          std::string cond = print_expr(p, b.condition, nullptr);
          cond_true.emplace_back(items.size(), b.condition);
          items.push_back({b.place, dsl::textf(dsl::Msg::CondSeenTrue, cond), false});
          cond_false.emplace_back(items.size(), b.condition);
          items.push_back({b.place, dsl::textf(dsl::Msg::CondSeenFalse, cond), false});
        }
        branch_items.emplace_back(items.size(), b.result);
        items.push_back({b.place, fmt::format("{} taken (→ {})", label, print_expr(p, b.result, nullptr)), false});
      }
    }
  }

  void record(const Trace& t) {
    for (auto [i, r] : rule_items)
      if (t.rule_done[r]) items[i].covered = true;
    for (auto [i, n] : branch_items)
      if (t.node_done[n]) items[i].covered = true;
    for (auto [i, n] : cond_true)
      if (t.node_done[n] && checked::as_bool(t.node_values[n])) items[i].covered = true;
    for (auto [i, n] : cond_false)
      if (t.node_done[n] && !checked::as_bool(t.node_values[n])) items[i].covered = true;
  }
};

}  // namespace

TestReport run_tests(const checked::Policy& p, bool coverage, const std::vector<ParamSetting>& readings, bool every_file) {
  TestReport rep;
  Coverage cov(p);
  CaseSchema schema(p);
  for (const auto& tc : p.tests) {
    std::vector<ParamSetting> sets = readings;  // a later setting of the same parameter wins
    for (const auto& [slot, v] : tc.set) sets.push_back({slot, v});
    Program prog(p, tc.at, sets);
    Evaluator ev(prog);
    Case c;
    schema.reset(c);
    for (const auto& [slot, v] : tc.given) {
      c.values[slot] = v;
      c.state[slot] = InputState::Given;
    }
    schema.apply_defaults(c);
    std::vector<std::string> problems;
    auto bad = ev.validate(c);
    if (bad) {
      if (!tc.expect_error || bad->message.find(*tc.expect_error) == std::string::npos)
        problems.push_back(dsl::textf(dsl::Msg::TestInvalidCase, bad->message));
    } else {
      std::vector<std::uint32_t> rules;
      for (const auto& e : tc.expect) rules.push_back(e.first);
      if (tc.expect_error) rules = p.outputs();
      Outcome out;
      Trace trace;
      ev.evaluate_traced(c, rules, out, trace);
      cov.record(trace);
      if (tc.expect_error) {
        if (!out.error)
          problems.push_back(dsl::textf(dsl::Msg::TestExpectedErrorOk, *tc.expect_error));
        else if (out.error->message.find(*tc.expect_error) == std::string::npos)
          problems.push_back(dsl::textf(dsl::Msg::TestExpectedErrorGot, *tc.expect_error, out.error->message));
      } else if (out.error) {
        problems.push_back(dsl::textf(dsl::Msg::TestEvalFailed, out.error->message));
      } else {
        for (std::size_t i = 0; i < tc.expect.size(); ++i) {
          auto [r, want] = tc.expect[i];
          Value got = out.outputs[i].second;
          if (compare(got, want) != 0) {
            const auto& ru = p.rules[r];
            problems.push_back(fmt::format("{}: {} ({}) expected {}, got {}", where(p, tc.expect_places[i]), ru.name,
                                           ru.label, plain_value(p, ru.type, want), plain_value(p, ru.type, got)));
          }
        }
      }
    }
    if (problems.empty()) {
      ++rep.passed;
      rep.lines.push_back(fmt::format("ok    {}  {}", where(p, tc.place), tc.name));
    } else {
      ++rep.failed;
      rep.lines.push_back(fmt::format("FAIL  {}  {}", where(p, tc.place), tc.name));
      for (const auto& pr : problems) rep.lines.push_back("      " + pr);
    }
  }
  if (coverage)
    for (auto& it : cov.items)
      if (every_file || it.place.file == 0) rep.coverage.push_back(std::move(it));  // this file's own rules
  return rep;
}

}  // namespace pol::interp
