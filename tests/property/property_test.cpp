// Property tests over random valid cases, built from what each policy declares (its inputs'
// types, enums, bounds and constraints, and the constants its rules compare with), so they
// follow the policies as they change. Deterministic: one fixed seed per policy.
//
// - eval and explain agree: the fast evaluation (pol eval, pol batch) and the traced one that
//   explanations are built from give the same value, or the same error, for every output;
//   the explanation shows exactly those values.
// - fmt keeps the meaning: the formatted text re-parses, formatting it again changes nothing,
//   it re-checks to a policy with no declaration-level difference, and it gives the same
//   outputs on the same cases.
// - a policy compared with itself (the static part of pol diff) shows no difference.
// - a given at_retirement_age always wins: with it given, the birth date, retirement category
//   and application date (the national schedule's inputs) change no output.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/calendar.hpp"
#include "cases/case.hpp"
#include "check/checker.hpp"
#include "compare/compare.hpp"
#include "eval/evaluator.hpp"
#include "explain/explain.hpp"
#include "fixture.hpp"
#include "syntax/format.hpp"
#include "syntax/parser.hpp"
#include "case_generator.hpp"

namespace {

using pol::test::CaseGenerator;

using pol::Decimal;
using pol::checked::Policy;
using pol::checked::Value;
using pol::dsl::Base;
using pol::interp::Case;
using pol::interp::CaseError;
using pol::interp::CaseSchema;
using pol::interp::Evaluator;
using pol::interp::Outcome;
using pol::interp::Program;
using pol::interp::Trace;

constexpr int kCasesPerPolicy = 300;

using pol::test::read_text;
using pol::test::shipped_policies;
using pol::test::source_path;

std::string errors_of(const std::vector<pol::dsl::Diagnostic>& diags) { return pol::test::diagnostics_text(diags, true); }

std::unique_ptr<Policy> checked_policy(pol::dsl::CheckResult r) {
  INFO(errors_of(r.diagnostics));
  REQUIRE(r.policy.has_value());
  return std::make_unique<Policy>(std::move(*r.policy));
}



// Programs per decision date, built on first use.
class Programs {
public:
  explicit Programs(const Policy& p) : p_(p) {}
  Evaluator& for_date(std::optional<int> date) {
    int key = date.value_or(INT32_MIN);
    auto it = runs_.find(key);
    if (it == runs_.end()) {
      Run r;
      r.program = std::make_unique<Program>(p_, date);
      r.evaluator = std::make_unique<Evaluator>(*r.program);
      it = runs_.emplace(key, std::move(r)).first;
    }
    return *it->second.evaluator;
  }
  const Program& program(std::optional<int> date) {
    (void)for_date(date);
    return *runs_.at(date.value_or(INT32_MIN)).program;
  }

private:
  struct Run {
    std::unique_ptr<Program> program;
    std::unique_ptr<Evaluator> evaluator;
  };
  const Policy& p_;
  std::map<int, Run> runs_;
};

bool load_case(const CaseSchema& schema, const std::string& json, Case& c, CaseError& err) {
  return pol::test::read_json_case(schema, json, c, err);
}

// One evaluation's result as text: each output's value, or the error.
std::string result_text(const Policy& p, const Outcome& o) {
  if (o.error) return "error: " + o.error->message;
  std::string s;
  for (const auto& [r, v] : o.outputs) s += p.rules[r].name + "=" + v.to_string() + "; ";
  return s;
}

struct Generated {
  std::vector<std::string> valid;  // cases that load and validate
  int tries = 0;
};

Generated valid_cases(const Policy& p, const CaseSchema& schema, Programs& runs, std::uint32_t seed, int wanted) {
  CaseGenerator gen(p, seed);
  Generated g;
  while (static_cast<int>(g.valid.size()) < wanted && g.tries < wanted * 50) {
    ++g.tries;
    std::string j = gen.next();
    Case c;
    CaseError err;
    if (!load_case(schema, j, c, err)) {
      INFO(j);
      FAIL_CHECK("a generated case does not load: " << err.message);
      continue;
    }
    if (runs.for_date(c.as_of).validate(c)) continue;  // out of bounds or breaks a constraint
    g.valid.push_back(std::move(j));
  }
  return g;
}

std::string describe(const std::vector<pol::interp::Change>& changes) {
  std::string s;
  for (const auto& ch : changes) s += ch.what + " " + ch.kind + " " + ch.name + ": " + ch.before + " -> " + ch.after + "\n";
  return s;
}

std::uint32_t seed_for(const std::string& rel) {
  std::uint32_t h = 2166136261u;  // FNV-1a: a fixed seed per policy file name
  for (unsigned char ch : rel) h = (h ^ ch) * 16777619u;
  return h;
}

}  // namespace

TEST_SUITE("properties") {
  TEST_CASE("eval and explain agree on every output of random valid cases") {
    for (std::string rel : {"policies/jilin_2025.pol", "policies/mohrss_2003.pol"}) {
      CAPTURE(rel);
      auto policy = checked_policy(pol::dsl::check_file(source_path(rel)));
      const Policy& p = *policy;
      CaseSchema schema(p);
      Programs runs(p);
      auto gen = valid_cases(p, schema, runs, seed_for(rel), kCasesPerPolicy);
      CHECK_MESSAGE(static_cast<int>(gen.valid.size()) == kCasesPerPolicy,
                    "only " << gen.valid.size() << " valid cases in " << gen.tries << " tries");
      auto outputs = p.outputs();
      int compared = 0, errors = 0;
      for (const auto& j : gen.valid) {
        CAPTURE(j);
        Case c;
        CaseError err;
        REQUIRE(load_case(schema, j, c, err));
        Evaluator& ev = runs.for_date(c.as_of);
        // All outputs, then each output alone: the compiled code differs per selection, and
        // an output asked alone must not need more inputs than it uses.
        for (int sel = -1; sel < static_cast<int>(outputs.size()); ++sel) {
          std::vector<std::uint32_t> rules = sel < 0 ? outputs : std::vector<std::uint32_t>{outputs[static_cast<std::size_t>(sel)]};
          Outcome fast, slow;
          Trace trace;
          ev.evaluate(c, rules, fast);
          ev.evaluate_traced(c, rules, slow, trace);
          REQUIRE(result_text(p, fast) == result_text(p, slow));
          if (fast.error) {
            ++errors;
            CHECK(fast.error->kind == slow.error->kind);
            CHECK(fast.error->field == slow.error->field);
            continue;
          }
          auto e = pol::interp::build_explanation(runs.program(c.as_of), c, slow, trace, "property test");
          REQUIRE(e.outputs.size() == fast.outputs.size());
          for (std::size_t k = 0; k < fast.outputs.size(); ++k) {
            CAPTURE(p.rules[fast.outputs[k].first].name);
            CHECK(e.outputs[k].name == p.rules[fast.outputs[k].first].name);
            CHECK(e.outputs[k].has_value);
            CHECK(e.outputs[k].value == fast.outputs[k].second);
            ++compared;
          }
          if (sel < 0) {
            // Every renderer takes the explanation without trouble.
            CHECK_FALSE(pol::interp::render_text(p, e).empty());
            CHECK_FALSE(pol::interp::render_json(p, e).empty());
          }
        }
      }
      MESSAGE(rel << ": " << gen.valid.size() << " valid cases (" << gen.tries << " generated), " << compared
                  << " output values compared, " << errors << " evaluations ending in an error on both paths");
      // The generator must reach real evaluations, not only errors.
      CHECK(compared > kCasesPerPolicy * static_cast<int>(outputs.size()));
    }
  }

  TEST_CASE("fmt output re-parses, is a fixed point and keeps the meaning") {
    for (const auto& rel : shipped_policies()) {
      CAPTURE(rel);
      std::string path = source_path(rel);
      std::string text = read_text(path);
      auto parsed = pol::dsl::parse(std::make_shared<pol::dsl::SourceFile>(path, text));
      REQUIRE(errors_of(parsed.diagnostics).empty());
      std::string once = pol::dsl::format_module(parsed.module);
      // The same file name, so that `extends` resolves the same way.
      auto again = pol::dsl::parse(std::make_shared<pol::dsl::SourceFile>(path, once));
      INFO(errors_of(again.diagnostics));
      REQUIRE(errors_of(again.diagnostics).empty());
      CHECK(pol::dsl::format_module(again.module) == once);
      // The shipped files are in the canonical layout already.
      CHECK(once == text);

      auto original = checked_policy(pol::dsl::check_file(path));
      auto formatted = checked_policy(pol::dsl::check_source(std::make_shared<pol::dsl::SourceFile>(path, once)));
      auto changes = pol::interp::static_diff(*original, *formatted, std::nullopt);
      INFO(describe(changes));
      CHECK(changes.empty());
      REQUIRE(original->inputs.size() == formatted->inputs.size());
      REQUIRE(original->rules.size() == formatted->rules.size());

      // Same outputs on the same random cases.
      CaseSchema schema_a(*original), schema_b(*formatted);
      Programs runs_a(*original), runs_b(*formatted);
      auto gen = valid_cases(*original, schema_a, runs_a, seed_for(rel) ^ 0x5eedu, 100);
      CHECK(gen.valid.size() == 100);
      for (const auto& j : gen.valid) {
        CAPTURE(j);
        Case ca, cb;
        CaseError err;
        REQUIRE(load_case(schema_a, j, ca, err));
        REQUIRE(load_case(schema_b, j, cb, err));
        Outcome oa, ob;
        runs_a.for_date(ca.as_of).evaluate(ca, original->outputs(), oa);
        runs_b.for_date(cb.as_of).evaluate(cb, formatted->outputs(), ob);
        CHECK(result_text(*original, oa) == result_text(*formatted, ob));
      }
    }
  }

  TEST_CASE("a policy compared with itself shows no difference") {
    for (const auto& rel : shipped_policies()) {
      CAPTURE(rel);
      auto a = checked_policy(pol::dsl::check_file(source_path(rel)));
      auto b = checked_policy(pol::dsl::check_file(source_path(rel)));
      std::vector<std::optional<int>> dates = {std::nullopt, pol::parse_date("2025-03-31"), pol::parse_date("2025-08-01")};
      for (const auto& d : dates) {
        auto changes = pol::interp::static_diff(*a, *b, d);
        INFO(describe(changes));
        CHECK(changes.empty());
        auto self = pol::interp::static_diff(*a, *a, d);
        CHECK(self.empty());
      }
    }
  }

  TEST_CASE("a given at_retirement_age wins over the age computed from a birth date") {
    int checked_cases = 0;
    for (const auto& rel : shipped_policies()) {
      auto p = checked_policy(pol::dsl::check_file(source_path(rel)));
      int at = p->find_input("at_retirement_age"), birth = p->find_input("birth_date"),
          cat = p->find_input("retirement_category"), app = p->find_input("application_date");
      if (at < 0 || birth < 0 || cat < 0 || app < 0) continue;
      CAPTURE(rel);
      CaseSchema schema(*p);
      Programs runs(*p);
      std::mt19937 rng(seed_for(rel));
      std::uniform_int_distribution<int> day(*pol::parse_date("1950-01-01"), *pol::parse_date("1995-12-31"));
      std::uniform_int_distribution<int> later(0, 30 * 366);
      std::uniform_int_distribution<int> category(0, static_cast<int>(p->enums[p->inputs[cat].type.enum_id].values.size()) - 1);
      for (const auto& j : valid_cases(*p, schema, runs, seed_for(rel), 100).valid) {
        Case with;
        CaseError err;
        REQUIRE(load_case(schema, j, with, err));
        for (bool given : {false, true}) {
          with.values[at] = pol::checked::make_bool(given);
          with.state[at] = pol::interp::InputState::Given;
          Case without = with;
          int b = day(rng);
          with.values[birth] = Value::from_int(b);
          with.values[app] = Value::from_int(b + later(rng));
          with.values[cat] = Value::from_int(category(rng));
          for (int k : {birth, cat, app}) {
            with.state[k] = pol::interp::InputState::Given;
            without.state[k] = pol::interp::InputState::Absent;
          }
          Evaluator& ev = runs.for_date(with.as_of);
          if (ev.validate(with) || ev.validate(without)) continue;
          Outcome o1, o2;
          ev.evaluate(with, p->outputs(), o1);
          ev.evaluate(without, p->outputs(), o2);
          INFO(j);
          CHECK(result_text(*p, o1) == result_text(*p, o2));
          ++checked_cases;
        }
      }
    }
    CHECK(checked_cases > 100);
  }
}
