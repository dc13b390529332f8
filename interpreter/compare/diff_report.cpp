// `pol diff` without --explain-case or --find-disagreement: the declarations that differ and,
// with --cases, how the outcomes differ over the cases.
#include "compare/diff_report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "compare/charts.hpp"
#include "report/document.hpp"
#include "report/json_out.hpp"
#include "report/json_writer.hpp"
#include "report/provenance.hpp"

namespace pol::interp {

using dsl::Msg;
using dsl::text;
using dsl::textf;

namespace {

// The words for Change::kind and Change::what.
constexpr std::pair<std::string_view, Msg> kChangeWords[] = {
    {"param", Msg::KindParam}, {"input", Msg::KindInput},     {"rule", Msg::KindRule},       {"output", Msg::KindOutput},
    {"enum", Msg::KindEnum},   {"reading", Msg::KindReading},   {"added", Msg::Added},         {"removed", Msg::Removed},     {"changed", Msg::Changed},     {"source_changed", Msg::SourceChanged},
    {"only_in_a", Msg::OnlyInA}, {"only_in_b", Msg::OnlyInB},
};

std::string_view change_word(const std::string& key) {
  for (const auto& [k, m] : kChangeWords)
    if (k == key) return text(m);
  return "?";
}

std::string_view kind_text(const std::string& k) { return change_word(k); }
std::string_view what_text(const std::string& w) { return change_word(w); }

std::string header_line(const checked::Policy& p, const std::string& path) {
  std::string s = textf(Msg::HeaderLine, p.header.name, p.header.title, path);
  if (!p.bases.empty()) s += textf(Msg::BasedOn, p.bases.front().name);
  return s;
}

// "A：…" and "B：…".
std::string side_line(char side, const std::string& s) { return fmt::format("{}{}{}", side, text(Msg::Colon), s); }

}  // namespace

std::string diff_date_line(std::optional<int> at) {
  return at ? textf(Msg::DecisionDate, format_date(*at), text(Msg::DateFromAt)) : std::string(text(Msg::DiffNoDate));
}

namespace {

void render_changes(const std::vector<Change>& all, Document& r) {
  if (all.empty()) {
    r.para(std::string(text(Msg::NoDifferences)));
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
    std::string head = textf(Msg::KindOf, what_text(c.what), kind_text(c.kind));
    auto it = std::find_if(only.begin(), only.end(), [&](const auto& g) { return g.first == head; });
    if (it == only.end()) it = only.insert(only.end(), {head, {}});
    it->second.push_back(c.name + " " + c.label);
  }
  auto list_sep = text(Msg::ListSep);
  std::vector<std::string> groups;
  for (const auto& [head, names] : only)
    groups.push_back(textf(Msg::CountedNames, head, names.size(), fmt::join(names, text(Msg::Semicolon))));
  if (r.text()) {
    for (const auto& c : cs) {
      r.out += fmt::format("{} {} {} {}\n", what_text(c.what), kind_text(c.kind), c.name, c.label);
      if (!c.before.empty()) r.out += "    " + side_line('A', c.before) + "\n";
      if (!c.after.empty()) r.out += "    " + side_line('B', c.after) + "\n";
      if (!c.affects.empty())
        r.out += fmt::format("    {}{}{}\n", text(Msg::MayAffect), text(Msg::Colon), fmt::join(c.affects, list_sep));
    }
    for (const auto& g : groups) r.out += g + "\n";
    return;
  }
  if (!cs.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : cs)
      rows.push_back({std::string(what_text(c.what)), std::string(kind_text(c.kind)), c.name + " " + c.label,
                      c.before.empty() ? "—" : c.before, c.after.empty() ? "—" : c.after,
                      c.affects.empty() ? "—" : fmt::format("{}", fmt::join(c.affects, list_sep))});
    r.table({std::string(text(Msg::HeadChange)), std::string(text(Msg::HeadKind)), std::string(text(Msg::HeadName)), "A",
             "B", std::string(text(Msg::MayAffect))},
            rows, {"short", "short", "name", "", "", "affects"});
  }
  r.list(groups, "");
}

void changes_json(const std::vector<Change>& cs, JsonWriter& w) {
  w.begin_array();
  for (const auto& c : cs) {
    w.begin_object().field("kind", c.kind).field("change", c.what).field("name", c.name).field("label", c.label);
    w.key("before").raw(c.before_json).key("after").raw(c.after_json);
    w.key("before_text").string_or_null(c.before).key("after_text").string_or_null(c.after);
    w.key("affects").strings(c.affects).end_object();
  }
  w.end_array();
}

// A value of output `o` under A (or B).
void output_value(const checked::Policy& a, const checked::Policy& b, const OutputStats& o, bool side_b, Value v,
                  JsonWriter& w) {
  if (side_b) w.value(b, o.tb, v);
  else w.value(a, o.ta, v);
}

void population_json(const checked::Policy& a, const checked::Policy& b, const Population& pop, JsonWriter& w) {
  w.begin_object()
      .field("cases", pop.cases)
      .field("errors_a", pop.errors_a)
      .field("errors_b", pop.errors_b)
      .field("changed_cases", pop.changed_cases);
  w.key("errors").strings(pop.error_examples).key("outputs").begin_array();
  for (const auto& o : pop.outputs) {
    w.begin_object().field("name", o.name).field("label", o.label).field("changed", o.changed);
    w.field("depends_on_placeholder", o.placeholder);
    if (o.not_applicable) w.field("not_applicable", o.not_applicable);
    if (o.ta.is_number()) {
      if (o.changed) {
        w.key("min").value(a, o.ta, o.num.deltas.begin()->first);
        w.key("median").value(a, o.ta, median_of(o.num));
        w.key("max").value(a, o.ta, o.num.deltas.rbegin()->first);
      } else {
        w.key("min").null().key("median").null().key("max").null();
      }
      // Only amounts of money add up across people; a rate or a number of years does not.
      if (o.ta.is_money()) w.key("total").value(a, o.ta, o.changed ? o.num.total : Value());
      else w.key("total").null();
    } else {
      w.key("transitions").begin_array();
      for (const auto& [k, n] : o.transitions) {
        w.begin_object().key("from");
        output_value(a, b, o, false, k.first, w);
        w.key("to");
        output_value(a, b, o, true, k.second, w);
        w.field("count", n).end_object();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array().key("changed").begin_array();
  for (const auto& e : pop.examples) {
    w.begin_object().field("line", e.line).key("id").string_or_null(e.id).key("outputs").begin_object();
    for (const auto& d : e.diffs) {
      const auto& o = pop.outputs[d.output];
      w.key(o.name).begin_object().key("a");
      output_value(a, b, o, false, d.a, w);
      w.key("b");
      output_value(a, b, o, true, d.b, w);
      w.end_object();
    }
    w.end_object().end_object();
  }
  w.end_array().key("unconfirmed").begin_array();
  for (const auto& u : pop.unconfirmed) {
    w.begin_object().field("sides", u.sides).field("name", u.name).field("label", u.label).field("text", u.text);
    w.field("source", u.source).key("outputs").strings(u.outputs).end_object();
  }
  w.end_array().end_object();
}

std::string diff_json(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args, std::optional<int> at,
                      const std::vector<Change>& changes, bool related, const std::optional<Population>& pop,
                      const Provenance& prov) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("a", a.header.name).field("b", b.header.name).key("as_of");
  if (at) w.string(format_date(*at));
  else w.null();
  // The readings chosen (--reading, --reading-a, --reading-b), as given: the figures are under them.
  if (!args.readings.empty() || !args.readings_a.empty() || !args.readings_b.empty()) {
    w.key("readings").begin_object();
    for (const auto& [key, given] : {std::pair{"both", &args.readings}, std::pair{"a", &args.readings_a}, std::pair{"b", &args.readings_b}})
      w.key(key).strings(*given);
    w.end_object();
  }
  w.field("related", related).key("changes");
  changes_json(changes, w);
  if (pop) {
    w.key("population");
    population_json(a, b, *pop, w);
  }
  provenance_json(prov, at, w);
  w.end_object();
  return out + "\n";
}

// An output's label, with ⚠ when it depends on a placeholder.
std::string marked(const OutputStats& o) { return o.placeholder ? o.label + " ⚠" : o.label; }

// The placeholders the compared outputs rest on.
void render_unconfirmed(const Population& pop, Document& r) {
  r.h2(std::string(text(Msg::UnconfirmedHead)));
  if (pop.unconfirmed.empty()) {
    r.para(std::string(text(Msg::NoUnconfirmed)));
    return;
  }
  r.para(std::string(text(Msg::DiffUnconfirmedNote)));
  auto outs = [](const PopulationPlaceholder& u) { return fmt::format("{}", fmt::join(u.outputs, text(Msg::ListSep))); };
  if (r.text()) {
    std::vector<std::string> items;
    for (const auto& u : pop.unconfirmed)
      items.push_back(textf(Msg::UnconfirmedItem, u.sides, u.name, u.label, u.text, u.source, textf(Msg::Affects, outs(u))));
    r.list(items);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& u : pop.unconfirmed) rows.push_back({u.sides, u.name + " " + u.label, u.text, u.source, outs(u)});
  std::vector<std::string> head;
  for (Msg m : {Msg::HeadSides, Msg::HeadName, Msg::HeadValue, Msg::HeadSource, Msg::MayAffect}) head.emplace_back(text(m));
  r.table(head, rows, {"short", "", "num", "", "affects"});
}

// The figures of one output: smallest, median and largest change and their total (empty
// unless a number that changed), then its changes of value.
std::vector<std::string> output_figures(const checked::Policy& a, const checked::Policy& b, const OutputStats& o) {
  std::vector<std::string> s;
  if (o.ta.is_number() && o.changed) {
    s = {text_value(a, o.ta, o.num.deltas.begin()->first), text_value(a, o.ta, median_of(o.num)),
         text_value(a, o.ta, o.num.deltas.rbegin()->first),
         o.ta.is_money() ? text_value(a, o.ta, o.num.total) : std::string(text(Msg::NotSummed))};
  } else {
    s = {"", "", "", ""};
  }
  std::vector<std::string> tr;
  for (const auto& [k, n] : o.transitions)
    tr.push_back(textf(Msg::Transition, text_value(a, o.ta, k.first), text_value(b, o.tb, k.second), with_commas(n)));
  s.push_back(fmt::format("{}", fmt::join(tr, text(Msg::Semicolon))));
  return s;
}

void population_outputs(const checked::Policy& a, const checked::Policy& b, const Population& pop, Document& r) {
  if (r.text()) {
    if (!pop.error_examples.empty()) r.out += "\n";
    for (const auto& o : pop.outputs) {
      auto s = output_figures(a, b, o);
      r.out += "  " + textf(Msg::OutputChangedCount, o.name, marked(o), with_commas(o.changed));
      if (!s[0].empty())
        r.out += o.ta.is_money() ? textf(Msg::DeltaStats, s[0], s[1], s[2], s[3]) : textf(Msg::DeltaStatsNoTotal, s[0], s[1], s[2]);
      if (!s[4].empty()) r.out += fmt::format("{}{}", text(Msg::Semicolon), s[4]);
      if (o.not_applicable)
        r.out += fmt::format("{}{}", text(Msg::Semicolon), textf(Msg::NotApplicableCount, with_commas(o.not_applicable)));
      r.out += "\n";
    }
    return;
  }
  if (r.html()) r.out += changes_svg(pop);
  std::vector<std::vector<std::string>> rows;
  bool transitions = false;  // the column of changes of value, only when some output has one
  for (const auto& o : pop.outputs) transitions = transitions || !o.transitions.empty();
  for (const auto& o : pop.outputs) {
    auto s = output_figures(a, b, o);
    rows.push_back({o.name, marked(o), with_commas(o.changed), s[0], s[1], s[2], s[3]});
    if (transitions) rows.back().push_back(s[4]);
  }
  std::vector<std::string> head;
  for (Msg m : {Msg::HeadOutput, Msg::HeadName, Msg::HeadChangedCases, Msg::HeadDeltaMin, Msg::HeadMedian, Msg::HeadMax,
                Msg::HeadTotal, Msg::HeadTransitions})
    if (transitions || m != Msg::HeadTransitions) head.emplace_back(text(m));
  r.table(head, rows, {"short", "", "num", "num", "num", "num", "num", ""});
  // Changes to outputs that apply on neither side, counted apart beneath the table.
  std::vector<std::string> apart;
  for (const auto& o : pop.outputs)
    if (o.not_applicable) apart.push_back(textf(Msg::NotApplicableItem, o.label, with_commas(o.not_applicable)));
  if (!apart.empty()) r.para(textf(Msg::NotApplicableNote, fmt::join(apart, text(Msg::Semicolon))));
  if (r.html())
    for (const auto& o : pop.outputs) r.out += histogram_svg(a, o);
}

void render_population(const checked::Policy& a, const checked::Policy& b, const Population& pop,
                       const std::string& cases_path, Document& r) {
  r.h2(textf(Msg::OnCases, with_commas(pop.cases), cases_path));
  r.para(textf(Msg::CasesSummary, with_commas(pop.changed_cases), with_commas(pop.errors_a), with_commas(pop.errors_b),
               pop.error_examples.empty() ? "" : textf(Msg::ListedFirst, pop.error_examples.size())));
  r.list(pop.error_examples);
  population_outputs(a, b, pop, r);
  render_unconfirmed(pop, r);
  if (pop.changed_cases == 0) {
    r.h2(std::string(text(Msg::ChangedCases)));
    r.para(std::string(text(Msg::NoChangedCases)));
  } else {
    r.h2(textf(Msg::ChangedCasesListed, pop.examples.size(), with_commas(pop.changed_cases)));
  }
  std::vector<std::string> items;
  for (const auto& e : pop.examples) {
    std::vector<std::string> ds;
    for (const auto& d : e.diffs) {
      const auto& o = pop.outputs[d.output];
      ds.push_back(textf(Msg::OutputValueChange, o.placeholder ? o.name + " ⚠" : o.name, text_value(a, o.ta, d.a), text_value(b, o.tb, d.b)));
    }
    items.push_back(textf(Msg::LineCase, e.line, e.id.empty() ? "" : textf(Msg::Parenthesized, e.id),
                          fmt::join(ds, text(Msg::Semicolon))));
  }
  r.list(items, "");
}

}  // namespace

std::string render_diff(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args, std::optional<int> at,
                        const std::string& format, const std::vector<Change>& changes, bool related,
                        const std::optional<Population>& pop, const Provenance& prov) {
  if (format == "json") return diff_json(a, b, args, at, changes, related, pop, prov);
  Document r{format, {}};
  r.begin(textf(Msg::DiffTitle, a.header.title, b.header.title));
  std::vector<std::string> head{side_line('A', header_line(a, args.a)), side_line('B', header_line(b, args.b)),
                                at ? textf(Msg::ComparesAt, format_date(*at)) : std::string(text(Msg::ComparesAll))};
  // The readings chosen on the command line: the figures below are under them.
  for (const auto& [given, msg] : {std::pair{&args.readings, Msg::DiffReadingsBoth}, std::pair{&args.readings_a, Msg::DiffReadingsA},
                                   std::pair{&args.readings_b, Msg::DiffReadingsB}})
    if (!given->empty()) head.push_back(textf(msg, dsl::joined(*given)));
  r.lines(head);
  if (!related) r.para(std::string(text(Msg::Unrelated)));
  r.h2(textf(Msg::DeclDiffs, changes.size()));
  render_changes(changes, r);
  if (pop) render_population(a, b, *pop, args.cases, r);
  r.provenance(prov, diff_date_line(at));
  r.end();
  return r.out;
}

std::string diff_report(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args, std::optional<int> at,
                        const std::string& format, const Provenance& prov) {
  std::vector<Change> changes = static_diff(a, b, at);
  bool rel = related(a, b);
  if (!rel)  // unrelated files: compare what they share, the inputs and the outputs
    std::erase_if(changes, [](const Change& c) { return c.kind != "input" && c.kind != "output"; });
  std::optional<Population> pop;
  if (!args.cases.empty()) pop = run_population(a, b, args, at);
  return render_diff(a, b, args, at, format, changes, rel, pop, prov);
}

}  // namespace pol::interp
