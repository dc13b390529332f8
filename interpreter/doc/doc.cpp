#include "doc/doc.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/files.hpp"
#include "base/messages.hpp"
#include "check/citation.hpp"
#include "checked/visit.hpp"
#include "explain/plain.hpp"
#include "explain/words.hpp"
#include "policy_test/testing.hpp"
#include "report/json_out.hpp"
#include "report/provenance.hpp"

namespace pol::interp {

using checked::NodeId;
using checked::Op;
using dsl::Msg;
using dsl::text;
using dsl::textf;

bool DocUnit::cited() const {
  if (!whole.decls.empty()) return true;
  for (const auto& s : paragraphs)
    if (!s.decls.empty()) return true;
  return false;
}

bool DocUnit::noted() const {
  if (!whole.notes.empty()) return true;
  for (const auto& s : paragraphs)
    if (!s.notes.empty()) return true;
  return false;
}

namespace {

// Expressions in words with nothing evaluated: every reference by its label (「累计缴费年限」).
class Words {
public:
  explicit Words(const checked::Policy& p)
      : p_(p), extra_(p.nodes.size(), 0), written_(p.params.size()), view_{p, trace_, extra_, written_} {
    trace_.node_values.assign(p.nodes.size(), checked::Value());
    trace_.node_done.assign(p.nodes.size(), 0);
  }

  // as_of(DATE, X) at the top says its date, which the explanation's words leave to the trace.
  [[nodiscard]] std::string expr(NodeId id) const {
    const auto& n = p_.nodes[id];
    if (n.op == Op::AsOf) {
      std::string date = format_date(checked::as_date(p_.nodes[n.b].constant));
      return textf(Msg::DocAsOf, date, math_expr(view_, n.a));
    }
    return math_expr(view_, id);
  }

  // An enum arm: "「参保模式」为“统账结合”".
  [[nodiscard]] std::string arm(NodeId subject, std::uint64_t mask) const {
    const auto& vals = p_.enums[p_.nodes[subject].type.enum_id].values;
    std::string set;
    for (std::size_t i = 0; i < vals.size(); ++i)
      if ((mask >> i) & 1) set += (set.empty() ? "" : std::string(text(Msg::ListSep))) + textf(Msg::Quoted, vals[i].label);
    return textf(Msg::DocArm, expr(subject), set);
  }

  // A body's lines: the branches of a chain or match, each reading of an ambiguity, or the formula.
  void body(NodeId id, std::vector<std::string>& out) const {
    const auto& n = p_.nodes[id];
    if (n.op == Op::Match && p_.nodes[n.a].op == Op::Param && p_.params[p_.nodes[n.a].slot].ambiguity >= 0) {
      const auto& rd = p_.readings[static_cast<std::size_t>(p_.params[p_.nodes[n.a].slot].ambiguity)];
      std::vector<std::string> own, others;  // the file's reading first
      std::uint64_t listed = 0;  // the alternatives of the arms before `otherwise`
      for (std::uint32_t i = 0; i < n.count; ++i) listed |= p_.branches[n.first + i].mask;
      for (std::uint32_t i = 0; i < n.count; ++i) {
        const auto& b = p_.branches[n.first + i];
        std::uint64_t mask = b.mask == 0 ? ~listed : b.mask;
        for (std::size_t k = 0; k < rd.alternatives.size(); ++k) {
          if (!((mask >> k) & 1)) continue;
          const auto& alt = rd.alternatives[k];
          std::string id_name = rd.id + "." + alt.name, formula = inline_body(b.result);
          if (k == 0) own.push_back(textf(Msg::DocAltOwn, id_name, alt.label, formula));
          else others.push_back(textf(Msg::DocAltOther, id_name, alt.label, formula, alt.because));
        }
      }
      out.insert(out.end(), own.begin(), own.end());
      out.insert(out.end(), others.begin(), others.end());
      return;
    }
    if (n.op == Op::Chain || n.op == Op::Match) {
      for (std::uint32_t i = 0; i < n.count; ++i) out.push_back(branch(n, p_.branches[n.first + i]));
      return;
    }
    out.push_back(textf(Msg::DocFormula, expr(id)));
  }

  [[nodiscard]] std::string branch(const checked::Node& n, const checked::Branch& b) const {
    std::string result = inline_body(b.result) + clause_tag(b.clause);
    if (n.op == Op::Match) return b.mask == 0 ? textf(Msg::DocOtherwise, result) : textf(Msg::DocWhen, arm(n.a, b.mask), result);
    return b.condition == checked::kNoNode ? textf(Msg::DocOtherwise, result) : textf(Msg::DocWhen, expr(b.condition), result);
  }

private:
  // A body on one line: a chain's branches joined.
  [[nodiscard]] std::string inline_body(NodeId id) const {
    const auto& n = p_.nodes[id];
    if (n.op != Op::Chain && n.op != Op::Match) return expr(id);
    std::string s;
    for (std::uint32_t i = 0; i < n.count; ++i) s += (i ? std::string(text(Msg::Semicolon)) : "") + branch(n, p_.branches[n.first + i]);
    return s;
  }

  const checked::Policy& p_;
  Trace trace_;
  std::vector<std::uint8_t> extra_;
  std::vector<std::string> written_;
  ValueView view_;
};


class Builder {
public:
  Builder(const checked::Policy& p, PolicyDoc& doc) : p_(p), doc_(doc), words_(p) {
    for (const auto& u : doc.units) texts_.push_back(u.text);
  }

  void declarations() {
    for (const auto& in : p_.inputs) {
      DocEntry e{textf(Msg::DocInput, in.name, in.label), {}};
      if (in.default_value) e.lines.push_back(textf(Msg::DocDefault, text_value(p_, in.type, *in.default_value)));
      if (!in.reading.empty()) e.lines.push_back(textf(Msg::DocReading, in.reading));
      add(in.clause, in.use, std::move(e));
    }
    for (const auto& pa : p_.params) {
      if (pa.ambiguity >= 0) continue;  // a reading's parameter: shown at its rules
      std::string head = textf(Msg::DocParam, pa.name, pa.label);
      if (pa.overridden) head += text(Msg::DocOverride);
      if (pa.regional) head += text(Msg::DocRegional);
      DocEntry e{head, {}};
      if (!pa.reading.empty()) e.lines.push_back(textf(Msg::DocReading, pa.reading));
      for (const auto& v : pa.values) {
        std::string note = source_note(v.placeholder, v.source), value = param_value_text(p_, pa, v);
        e.lines.push_back(v.from ? textf(Msg::DocValue, value, format_date(*v.from), note) : textf(Msg::DocValueAlways, value, note));
        if (v.placeholder && pa.use < 0) ++doc_.placeholders;
      }
      add(pa.clause, pa.use, std::move(e));
    }
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) rule(r);
    for (const auto& c : p_.constraints)
      add(c.clause, use_of(c.place), {textf(Msg::DocConstraint, c.message, words_.expr(c.condition)), {}});
    for (const auto& no : p_.notes)
      for (DocSlot* s : slots(no.clause, use_of(no.place))) s->notes.push_back(textf(Msg::DocNote, no.text));
    for (const auto& t : p_.tests)
      for (DocSlot* s : slots(t.clause, -1)) s->tests.push_back(t.name);
  }

  // The coverage of each rule, branch and condition by the tests, at the clause it cites.
  void coverage() {
    std::map<std::pair<std::uint16_t, std::uint32_t>, std::pair<std::uint32_t, std::string>> at;
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      const auto& ru = p_.rules[r];
      at[{ru.place.file, ru.place.range.begin}] = {r, ru.clause};
      for (NodeId root : {ru.body, ru.applies})
        checked::walk(p_, root, [&](NodeId, const checked::Node& n) {
          if (n.op == Op::Chain || n.op == Op::Match)
            for (std::uint32_t i = 0; i < n.count; ++i) {
              const auto& b = p_.branches[n.first + i];
              at[{b.place.file, b.place.range.begin}] = {r, b.clause.empty() ? ru.clause : b.clause};
            }
          return true;
        });
    }
    auto rep = run_tests(p_, true, {}, true);
    for (const auto& item : rep.coverage) {
      auto it = at.find({item.place.file, item.place.range.begin});
      if (it == at.end()) continue;
      std::uint32_t line = p_.file_of(item.place).line_col(item.place.range.begin).line;
      for (DocSlot* s : slots(it->second.second, p_.rules[it->second.first].use)) {
        ++s->items;
        if (item.covered) ++s->covered;
        else if (s->uncovered_lines.empty() || s->uncovered_lines.back() != line) s->uncovered_lines.push_back(line);
      }
    }
  }

private:
  const checked::Policy& p_;
  PolicyDoc& doc_;
  Words words_;
  std::vector<TextUnit> texts_;

  int use_of(const checked::Place& pl) const {
    for (std::size_t u = 0; u < p_.uses.size(); ++u)
      if (p_.uses[u].file == pl.file) return static_cast<int>(u);
    return -1;
  }

  void rule(std::uint32_t r) {
    const auto& ru = p_.rules[r];
    if (ru.body == checked::kNoNode) return;
    std::string head = textf(ru.is_output ? Msg::DocOutput : Msg::DocLet, ru.name, ru.label);
    if (ru.overridden) head += text(Msg::DocOverride);
    DocEntry e{head, {}};
    if (!ru.reading.empty()) e.lines.push_back(textf(Msg::DocReading, ru.reading));
    if (ru.applies != checked::kNoNode) e.lines.push_back(textf(Msg::DocApplies, words_.expr(ru.applies)));
    words_.body(ru.body, e.lines);
    add(ru.clause, ru.use, std::move(e));
    // A branch citing a place of its own is shown there too.
    checked::walk(p_, ru.body, [&](NodeId, const checked::Node& n) {
      if (n.op == Op::Chain || n.op == Op::Match)
        for (std::uint32_t i = 0; i < n.count; ++i) {
          const auto& b = p_.branches[n.first + i];
          if (!b.clause.empty() && b.clause != ru.clause) add(b.clause, ru.use, {head, {words_.branch(n, b)}});
        }
      return true;
    });
  }

  // A declaration already in the slot (a branch citing a place its rule cites too, an
  // arm of each reading) gains only the lines it lacks.
  void add(const std::string& clause, int use, const DocEntry& e) {
    for (DocSlot* s : slots(clause, use)) {
      auto same = std::find_if(s->decls.begin(), s->decls.end(), [&](const DocEntry& d) { return d.head == e.head; });
      if (same == s->decls.end()) {
        s->decls.push_back(e);
        continue;
      }
      for (const auto& l : e.lines)
        if (std::find(same->lines.begin(), same->lines.end(), l) == same->lines.end()) same->lines.push_back(l);
    }
  }

  static DocSlot* group(std::vector<DocGroup>& gs, const std::string& citation) {
    for (auto& g : gs)
      if (g.citation == citation) return &g.slot;
    gs.push_back({citation, {}});
    return &gs.back().slot;
  }

  // The slots a citation puts a declaration in: the places of the text it names, or its
  // group among the declarations citing no place of the text (a used file's: its own).
  std::vector<DocSlot*> slots(const std::string& clause, int use) {
    if (use >= 0) return {group(doc_.uses[static_cast<std::size_t>(use)].groups, clause)};
    std::vector<DocSlot*> out;
    if (doc_.has_text) {
      std::size_t missing = 0;
      for (const auto& pl : resolve(texts_, dsl::parse_citation(clause).refs, missing)) {
        auto& u = doc_.units[pl.unit];
        out.push_back(pl.paragraph == 0 ? &u.whole : &u.paragraphs[static_cast<std::size_t>(pl.paragraph - 1)]);
      }
    }
    if (out.empty()) out.push_back(group(doc_.other, clause));
    return out;
  }
};

// The source text's path and the file whose header names it: the checked file's, else the
// nearest base's.
std::string source_path(const checked::Policy& p) {
  if (!p.header.source.empty()) return dsl::source_text_path(p.files[0]->name(), p.header.source);
  for (std::size_t b = 0; b < p.bases.size() && b + 1 < p.files.size(); ++b)
    if (!p.bases[b].source.empty()) return dsl::source_text_path(p.files[b + 1]->name(), p.bases[b].source);
  return "";
}

}  // namespace

bool build_doc(const checked::Policy& p, PolicyDoc& doc, std::string& error) {
  const auto& h = p.header;
  doc.title = textf(Msg::DocTitle, h.title);
  doc.head_lines.push_back(fmt::format("{}（{}）", h.name, h.title));
  for (const auto* s : {&h.issuer, &h.number})
    if (!s->empty()) doc.head_lines.push_back(*s);
  if (h.effective) doc.head_lines.push_back(format_date(*h.effective));
  if (!p.bases.empty()) doc.head_lines.push_back(textf(Msg::DocVariantLine, p.bases[0].name, p.bases[0].title));
  std::string path = source_path(p), source_text;
  if (!path.empty()) {
    dsl::InputFile in;
    std::string err;
    if (!dsl::read_source_text(path, in, err)) {
      error = textf(Msg::DocSourceUnreadable, p.files[0]->name(), err);
      return false;
    }
    source_text = std::move(in.text);
    doc.has_text = true;
    doc.source_path = path;
    doc.head_lines.push_back(textf(Msg::DocSourceLine, path));
    for (auto& u : split_clauses(source_text)) {
      DocUnit du;
      du.paragraphs.resize(u.paragraphs.size() > 1 ? u.paragraphs.size() : 0);
      du.text = std::move(u);
      doc.units.push_back(std::move(du));
    }
  } else {
    doc.head_lines.push_back(std::string(text(Msg::DocNoSource)));
  }
  for (const auto& u : p.uses)
    doc.uses.push_back({textf(Msg::DocUsedHead, u.path, u.alias), textf(Msg::DocUsedLine, u.header.title, u.alias), {}});
  Builder b(p, doc);
  b.declarations();
  b.coverage();
  for (const auto& u : doc.units) {
    if (!u.text.counted) continue;
    ++doc.counted;
    if (u.cited()) ++doc.cited;
    else if (u.noted()) ++doc.notes_only;
    else ++doc.nothing;
  }
  std::string gen_error;
  auto generated = generated_at(gen_error);
  if (!generated) {
    error = gen_error;
    return false;
  }
  auto pr = make_provenance({&p}, *generated);
  doc.provenance.push_back(textf(Msg::ProvVersion, pr.version));
  for (const auto& f : pr.files) doc.provenance.push_back(textf(Msg::ProvFile, f.path, f.sha256));
  if (doc.has_text) doc.provenance.push_back(textf(Msg::ProvFile, path, sha256_hex(source_text)));
  doc.provenance.push_back(textf(Msg::ProvGenerated, pr.generated));
  return true;
}

}  // namespace pol::interp
