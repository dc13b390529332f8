// Alternative readings. A rule's `reading ID.NAME "label"` block names an ambiguity and the
// file's own reading (the rule's body); each `alternative ID.OTHER "label" because "why" =
// BODY` is typed like the body. The ambiguity becomes a parameter of an enum of its readings
// (no name a rule file can write; its one value, from the beginning, is the file's reading),
// and the rule's body a match on that parameter: the arm of each alternative, then the file's
// own body. `--reading ID=ALT` and a test's `reading ID.ALT` set that parameter, so a run
// folds the match to the reading in force and every evaluation path runs the same program.
#include <algorithm>

#include <fmt/format.h>

#include "check/checker_impl.hpp"

namespace pol::dsl::checking {

// The reading ID of block `b` (declared by the first rule that names it), with the block's
// alternatives added to its enum; a later rule must name the same file reading.
std::uint32_t Checker::reading_of(std::uint16_t f, const ast::ReadingBlock& b) {
  int r = p_.find_reading(b.id.name);
  if (r < 0) {
    checked::Reading rd;
    rd.id = b.id.name;
    rd.alternatives.push_back({b.name.name, b.label.value, "", {f, b.name.range}});
    checked::EnumInfo en;
    en.name = "reading " + b.id.name;
    en.label = b.id.name;
    en.place = {f, b.id.range};
    rd.enum_id = static_cast<std::uint16_t>(p_.enums.size());
    p_.enums.push_back(en);
    checked::Param pa;
    pa.name = "reading " + b.id.name;
    pa.label = b.id.name;
    pa.type = Type::enumeration(rd.enum_id);
    pa.place = {f, b.id.range};
    pa.ambiguity = static_cast<int>(p_.readings.size());
    pa.values.push_back({Value::from_int(0), std::nullopt, false, b.label.value, {f, b.range}, b.name.range, {}});
    rd.param = static_cast<std::uint32_t>(p_.params.size());
    p_.params.push_back(pa);
    param_used_.push_back(true);
    p_.readings.push_back(rd);
    r = static_cast<int>(p_.readings.size() - 1);
  } else if (p_.readings[r].alternatives[0].name != b.name.name) {
    error(DiagCode::DuplicateDefinition, f, b.name.range,
          textf(Msg::RdFirstName,
                      b.id.name, p_.readings[r].alternatives[0].name, b.name.name),
          {note_at(p_.readings[r].alternatives[0].place, std::string(text(Msg::DeclaredHere)))});
  }
  auto& rd = p_.readings[r];
  for (const auto& a : b.alternatives) {
    if (a.id.name != b.id.name) {
      error(DiagCode::UnknownName, f, a.id.range,
            textf(Msg::RdWrongId, a.id.name,
                        b.id.name, b.id.name, a.name.name));
      continue;
    }
    if (a.name.name == rd.alternatives[0].name) {
      error(DiagCode::DuplicateDefinition, f, a.name.range,
            textf(Msg::RdOwnName, a.name.name, b.id.name));
      continue;
    }
    if (rd.find(a.name.name) < 0) rd.alternatives.push_back({a.name.name, a.label.value, a.because.value, {f, a.name.range}});
  }
  auto& en = p_.enums[rd.enum_id];
  en.values.clear();
  for (const auto& a : rd.alternatives) en.values.push_back({a.name, a.label});
  return static_cast<std::uint32_t>(r);
}

NodeId Checker::alternatives(std::uint32_t rule, std::uint16_t f, const ast::RuleDecl& d, NodeId body, Ctx& ctx) {
  const Type want = p_.rules[rule].type;
  for (const auto& b : d.readings) {
    std::uint32_t r = reading_of(f, b);
    auto& rules = p_.readings[r].rules;
    if (std::find(rules.begin(), rules.end(), rule) == rules.end()) rules.push_back(rule);
    std::vector<checked::Branch> arms;
    std::uint64_t seen = 0;
    for (const auto& a : b.alternatives) {
      int k = p_.readings[r].find(a.name.name);
      if (a.id.name != b.id.name || k <= 0) continue;  // reported by reading_of
      if (seen & (std::uint64_t{1} << k)) {
        error(DiagCode::DuplicateBranch, f, a.name.range,
              textf(Msg::RdTwoBodies, b.id.name, a.name.name, p_.rules[rule].name));
        continue;
      }
      seen |= std::uint64_t{1} << k;
      Typed t = expr(*a.body, f, &want, ctx);
      if (!expect_type(t, want, f, a.body->range,
                       textf(Msg::RdValueOf, p_.rules[rule].name, b.id.name, a.name.name)
                           .c_str()))
        continue;
      checked::Branch arm;
      arm.mask = std::uint64_t{1} << k;
      arm.result = t.id;
      arm.clause = p_.rules[rule].clause;
      arm.place = {f, a.range};
      arms.push_back(arm);
    }
    Node subject;
    subject.place = {f, b.id.range};
    use_param(subject, p_.readings[r].param, ctx);
    NodeId subject_id = add(subject);
    checked::Branch own;
    own.result = body;
    own.clause = p_.rules[rule].clause;
    own.place = p_.nodes[body].place;
    arms.push_back(own);
    Node m;
    m.op = Op::Match;
    m.type = want;
    m.a = subject_id;
    m.first = static_cast<std::uint32_t>(p_.branches.size());
    m.count = static_cast<std::uint32_t>(arms.size());
    m.place = p_.nodes[body].place;
    for (auto& arm : arms) p_.branches.push_back(arm);
    body = add(m);
  }
  return body;
}

// The values of parameter `param` under the alternatives of `blocks`, typed like the
// parameter (a value of another type is E0301, as for a rule's alternative).
std::vector<checked::ReadingValue> Checker::reading_values(std::uint32_t param, std::uint16_t f,
                                                           const std::vector<ast::ReadingBlock>& blocks) {
  std::vector<checked::ReadingValue> out;
  for (const auto& b : blocks) {
    std::uint32_t r = reading_of(f, b);
    auto& params = p_.readings[r].params;
    if (std::find(params.begin(), params.end(), param) == params.end()) params.push_back(param);
    for (const auto& a : b.alternatives) {
      int k = p_.readings[r].find(a.name.name);
      if (a.id.name != b.id.name || k <= 0) continue;  // reported by reading_of
      const auto& pa = p_.params[param];
      if (std::any_of(out.begin(), out.end(), [&](const auto& v) { return v.reading == r && v.alternative == k; })) {
        error(DiagCode::DuplicateBranch, f, a.name.range,
              textf(Msg::RdTwoValues, b.id.name, a.name.name, pa.name));
        continue;
      }
      const Type want = pa.type;
      auto v = constant(*a.body, f, want,
                        textf(Msg::RdParamValueOf, pa.name, b.id.name, a.name.name)
                            .c_str());
      if (v) out.push_back({r, k, *v, {f, a.range}, a.body->range});
    }
  }
  return out;
}

// A value's own alternatives, then the parameter's (for the readings the value does not name).
void Checker::merge_reading_values(std::vector<checked::ReadingValue>& own,
                                   const std::vector<checked::ReadingValue>& whole) {
  for (const auto& w : whole)
    if (std::none_of(own.begin(), own.end(), [&](const auto& v) { return v.reading == w.reading && v.alternative == w.alternative; }))
      own.push_back(w);
}

// `override reading ID.NAME source "…"` of a variant: the reading of its base that it takes,
// as the value of the ambiguity's parameter from the beginning.
void Checker::choose_readings() {
  for (auto [f, c] : reading_choices_) {
    int r = p_.find_reading(c->id.name);
    if (r < 0 || p_.readings[r].alternatives[0].place.file == f) {
      std::vector<std::string> ids;
      for (const auto& rd : p_.readings)
        if (rd.alternatives[0].place.file != f) ids.push_back(rd.id);
      error(DiagCode::OverrideWithoutBase, f, c->id.range,
            with_suggestion(r < 0 ? textf(Msg::RdBaseNoAmbiguity, c->id.name)
                                  : textf(Msg::RdNotInBase,
                                                c->id.name),
                            c->id.name, ids));
      continue;
    }
    auto& rd = p_.readings[r];
    int k = rd.find(c->name.name);
    if (k < 0) {
      std::vector<std::string> names;
      for (const auto& a : rd.alternatives) names.push_back(a.name);
      error(DiagCode::UnknownEnumValue, f, c->name.range,
            with_suggestion(textf(Msg::RdNoReading, c->id.name, c->name.name), c->name.name, names,
                            (c->id.name + ".").c_str()));
      continue;
    }
    if (rd.chosen && rd.chosen->file == f) {
      error(DiagCode::DuplicateDefinition, f, c->range, textf(Msg::RdChosenTwice, c->id.name),
            {note_at(*rd.chosen, std::string(text(Msg::RdChosenHere)))});
      continue;
    }
    rd.chosen = Place{f, c->range};
    p_.take_reading(static_cast<std::uint32_t>(r), k, c->source.value, {f, c->range});
    p_.params[rd.param].overridden = true;
  }
}

bool Checker::pin_reading(std::uint16_t f, const ast::Ident& id, const ast::Ident& name,
                          std::vector<std::pair<std::uint32_t, Value>>& out) {
  int r = p_.find_reading(id.name);
  if (r < 0) {
    std::vector<std::string> cands;
    for (const auto& rd : p_.readings) cands.push_back(rd.id);
    error(DiagCode::BadTest, f, id.range,
          with_suggestion(textf(Msg::RdNotAmbiguity, id.name), id.name,
                          cands));
    return false;
  }
  const auto& rd = p_.readings[r];
  int k = rd.find(name.name);
  if (k < 0) {
    std::vector<std::string> cands;
    for (const auto& a : rd.alternatives) cands.push_back(a.name);
    error(DiagCode::BadTest, f, name.range,
          with_suggestion(textf(Msg::RdNoReading, id.name, name.name), name.name, cands,
                          (id.name + ".").c_str()));
    return false;
  }
  out.emplace_back(rd.param, Value::from_int(k));
  return true;
}

}  // namespace pol::dsl::checking
