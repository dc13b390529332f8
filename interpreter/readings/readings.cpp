#include "readings/readings.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "compare/case_pairs.hpp"
#include "eval/evaluator.hpp"

namespace pol::interp {

namespace {

Value magnitude(Value v) { return v.is_negative() ? -v : v; }

// Each alternative (not in force in `base`) of each reading, alone.
std::vector<ReadingChoice> single_choices(const Program& base) {
  const auto& p = base.policy();
  std::vector<ReadingChoice> out;
  for (std::uint32_t r = 0; r < p.readings.size(); ++r) {
    const auto& rd = p.readings[r];
    int now = checked::as_enum(base.params()[rd.param]);
    for (int k = 0; k < static_cast<int>(rd.alternatives.size()); ++k) {
      if (k == now) continue;
      ReadingChoice c;
      c.picks.push_back({r, k});
      c.sets = base.sets();
      c.sets.push_back({rd.param, Value::from_int(k)});
      out.push_back(std::move(c));
    }
  }
  return out;
}

// The outputs and the rules that declare readings: what a reading can change and where the
// readings part. (Not every rule: a used file's rules may need inputs this case leaves out.)
std::vector<std::uint32_t> all_rules(const checked::Policy& p) {
  std::vector<bool> want(p.rules.size());
  for (std::uint32_t i = 0; i < p.rules.size(); ++i) want[i] = p.rules[i].is_output;
  for (const auto& rd : p.readings)
    for (auto r : rd.rules) want[r] = true;
  std::vector<std::uint32_t> v;
  for (std::uint32_t i = 0; i < want.size(); ++i)
    if (want[i]) v.push_back(i);
  return v;
}

// The case under `choice`: the outputs that change against `before` (every rule's value).
CaseReadingImpact impact_of(const Program& base, const Case& c, const Outcome& before, ReadingChoice choice) {
  const auto& p = base.policy();
  CaseReadingImpact im;
  Program prog(p, base.date(), choice.sets);
  Evaluator ev(prog);
  Outcome after;
  ev.evaluate(c, all_rules(p), after);
  im.choice = std::move(choice);
  if (after.error) {
    im.error = after.error->message;
    return im;
  }
  std::vector<bool> declares(p.rules.size());
  for (auto [r, k] : im.choice.picks)
    for (auto rule : p.readings[r].rules) declares[rule] = true;
  for (std::size_t i = 0; i < after.outputs.size(); ++i) {
    auto r = after.outputs[i].first;
    Value a = before.outputs[i].second, b = after.outputs[i].second;
    if (declares[r]) im.parting.push_back({r, a, b});
    if (p.rules[r].is_output && compare(a, b) != 0) im.outputs.push_back({r, a, b});
  }
  return im;
}

// How much a change weighs when choosing the combination that changes most: the outputs
// changed, then the money moved.
std::pair<std::size_t, Value> weight(const checked::Policy& p, const CaseReadingImpact& im) {
  Value money;
  for (const auto& ch : im.outputs)
    if (p.rules[ch.rule].type.is_money()) money = money + magnitude(ch.after - ch.before);
  return {im.outputs.size(), money};
}

}  // namespace

CaseReadings readings_for_case(const Program& base, const Case& c) {
  const auto& p = base.policy();
  CaseReadings out;
  Evaluator ev(base);
  Outcome before;
  ev.evaluate(c, all_rules(p), before);
  if (before.error) {
    out.error = before.error->message;
    return out;
  }
  for (auto& choice : single_choices(base)) out.single.push_back(impact_of(base, c, before, std::move(choice)));
  // Combinations of the readings whose alternatives change something for this case (each
  // reading at any of its values), at most 2^12 of them.
  std::vector<std::uint32_t> live;
  for (const auto& im : out.single)
    if (!im.outputs.empty() && std::find(live.begin(), live.end(), im.choice.picks[0].first) == live.end())
      live.push_back(im.choice.picks[0].first);
  if (live.size() < 2 || live.size() > 12) return out;
  std::uint64_t total = 1;
  for (auto r : live) total *= p.readings[r].alternatives.size();
  for (std::uint64_t code = 1; code < total; ++code) {  // each reading's alternative, as digits of `code`
    ReadingChoice choice;
    choice.sets = base.sets();
    std::uint64_t rest = code;
    for (auto r : live) {
      const auto& rd = p.readings[r];
      int k = static_cast<int>(rest % rd.alternatives.size());
      rest /= rd.alternatives.size();
      if (k == checked::as_enum(base.params()[rd.param])) continue;
      choice.picks.push_back({r, k});
      choice.sets.push_back({rd.param, Value::from_int(k)});
    }
    if (choice.picks.size() < 2) continue;
    auto im = impact_of(base, c, before, std::move(choice));
    if (im.error) continue;
    if (!out.most || weight(p, im) > weight(p, *out.most)) out.most = std::move(im);
  }
  return out;
}

ReadingsReport readings_for_population(const checked::Policy& p, const std::string& cases, std::optional<int> at,
                                       const std::vector<ParamSetting>& sets) {
  ReadingsReport rep;
  Program probe(p, at, sets);
  auto outputs = p.outputs();
  // Programs per decision date: the file's readings, then each alternative.
  struct Side {
    ReadingChoice choice;
    std::map<int, std::unique_ptr<Program>> progs;
    std::map<int, std::unique_ptr<Evaluator>> evs;
    Evaluator& at(const checked::Policy& pol, std::optional<int> d) {
      int key = d.value_or(INT32_MIN);
      if (auto it = evs.find(key); it != evs.end()) return *it->second;
      progs[key] = std::make_unique<Program>(pol, d, choice.sets);
      return *(evs[key] = std::make_unique<Evaluator>(*progs[key]));
    }
  };
  std::vector<Side> sides(1);
  sides[0].choice.sets = sets;
  for (auto& ch : single_choices(probe)) {
    Side s;
    s.choice = std::move(ch);
    sides.push_back(std::move(s));
  }
  for (std::size_t k = 1; k < sides.size(); ++k) {
    ReadingPopulation rp;
    rp.choice = sides[k].choice;
    for (auto r : outputs) rp.outputs.push_back({{r, r}, p.rules[r].name, p.rules[r].label, p.rules[r].type, p.rules[r].type, 0, false, 0, {}, {}});
    rp.example.resize(outputs.size());
    rep.alternatives.push_back(std::move(rp));
  }
  CaseStream stream(p, p, cases);
  Case c1, c2;
  bool ok1 = false, ok2 = false;
  CaseError e1, e2;
  std::uint64_t line = 0;
  Outcome base, other;
  std::optional<EvalError> invalid;
  while (stream.next(line, c1, ok1, e1, c2, ok2, e2)) {
    ++rep.cases;
    std::optional<int> d = c1.as_of ? c1.as_of : at;
    if (!ok1) {
      ++rep.errors;
      continue;
    }
    sides[0].at(p, d).validate_and_evaluate(c1, outputs, base, invalid);
    if (invalid || base.error) {
      ++rep.errors;
      continue;
    }
    for (std::size_t k = 1; k < sides.size(); ++k) {
      auto& rp = rep.alternatives[k - 1];
      Evaluator& ev = sides[k].at(p, d);
      ev.evaluate(c1, outputs, other);
      if (other.error) {
        ++rp.errors;
        continue;
      }
      bool any = false;
      for (std::size_t i = 0; i < outputs.size(); ++i) {
        Value va = base.outputs[i].second, vb = other.outputs[i].second;
        if (compare(va, vb) == 0) continue;
        auto& st = rp.outputs[i];
        if (!sides[0].at(p, d).applies(c1, outputs[i]) && !ev.applies(c1, outputs[i])) {
          ++st.not_applicable;
          continue;
        }
        any = true;
        st.add_change(va, vb);
        if (rp.example[i].empty())
          rp.example[i] = c1.id_text.empty() ? fmt::format("{}", line) : fmt::format("{}（{}）", line, c1.id_text);
      }
      rp.changed_cases += any;
    }
  }
  for (auto& rp : rep.alternatives)
    for (const auto& st : rp.outputs)
      if (st.ta.is_money() && compare(magnitude(st.num.total), rp.money_at_stake) > 0) rp.money_at_stake = magnitude(st.num.total);
  std::stable_sort(rep.alternatives.begin(), rep.alternatives.end(), [](const auto& x, const auto& y) {
    return compare(x.money_at_stake, y.money_at_stake) > 0 || (compare(x.money_at_stake, y.money_at_stake) == 0 && x.changed_cases > y.changed_cases);
  });
  return rep;
}

std::string choice_text(const checked::Policy& p, const ReadingChoice& c) {
  std::string s;
  for (auto [r, k] : c.picks) {
    if (!s.empty()) s += " + ";
    s += fmt::format("{}.{}", p.readings[r].id, p.readings[r].alternatives[static_cast<std::size_t>(k)].name);
  }
  return s;
}

}  // namespace pol::interp
