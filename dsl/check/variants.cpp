// Warnings for a regional variant (a file that extends another): a dated override that leaves
// dates uncovered which the base covered or an as_of reads (W0504), parameters the base leaves
// to each region that the variant does not set (W0505), and a variant without tests (W0506).
#include <algorithm>
#include <climits>
#include <set>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "check/checker_impl.hpp"
#include "checked/visit.hpp"

namespace pol::dsl::checking {

namespace {

// The earliest `from` of a parameter's values; INT_MIN when one holds from the beginning.
template <class V>
int first_from(const std::vector<V>& values) {
  int first = INT_MAX;
  for (const auto& v : values) first = std::min(first, v.from.value_or(INT_MIN));
  return first;
}

// An as_of(DATE, …) in a rule's body, and the parameters what it evaluates reads.
struct AsOfRead {
  std::uint32_t rule;
  NodeId node;
  int date;
  std::set<std::uint32_t> params;
};

std::vector<AsOfRead> as_of_reads(const checked::Policy& p) {
  std::vector<AsOfRead> out;
  std::vector<std::vector<std::uint32_t>> affected(p.params.size());
  for (std::uint32_t i = 0; i < p.params.size(); ++i) affected[i] = p.rules_affected_by_param(i);
  for (std::uint32_t r = 0; r < p.rules.size(); ++r)
    checked::walk(p, p.rules[r].body, [&](NodeId id, const checked::Node& n) {
      if (n.op != checked::Op::AsOf) return true;
      AsOfRead read{r, id, p.contexts[n.slot - 1], {}};
      checked::walk(p, n.a, [&](NodeId, const checked::Node& m) {
        if (m.op == checked::Op::Param) read.params.insert(m.slot);
        if (m.op == checked::Op::Rule)
          for (std::uint32_t i = 0; i < p.params.size(); ++i)
            if (std::find(affected[i].begin(), affected[i].end(), m.slot) != affected[i].end()) read.params.insert(i);
        return true;
      });
      out.push_back(std::move(read));
      return true;
    });
  return out;
}

}  // namespace

void Checker::warn_override_gaps() {
  std::vector<AsOfRead> reads;
  bool reads_made = false;
  for (const auto& [slot, replaced] : replaced_params_) {
    const auto& pa = p_.params[slot];
    const auto& [bf, before] = replaced;
    if (pa.place.file != 0 || pa.values.empty() || before->values.empty()) continue;
    const int now = first_from(pa.values), was = first_from(before->values);
    if (now == INT_MIN) continue;
    if (!reads_made) reads = as_of_reads(p_), reads_made = true;
    const AsOfRead* read = nullptr;
    for (const auto& r : reads)
      if (r.date < now && r.params.count(slot) && (!read || r.date > read->date)) read = &r;
    // Dates before the variant takes effect need a value only where an as_of reads them.
    const ast::Header* h = modules_[0]->header();
    const int uncovered_from = h && h->effective ? std::max(was, *h->effective) : was;
    if (uncovered_from >= now && !read) continue;
    // The base's value on the date left uncovered: the one to repeat.
    const int date = read ? read->date : was;
    const ast::ParamValue* earlier = nullptr;
    for (const auto& v : before->values)
      if (v.from.value_or(INT_MIN) <= date && (!earlier || v.from.value_or(INT_MIN) >= earlier->from.value_or(INT_MIN)))
        earlier = &v;
    std::string msg = textf(Msg::VarOverrideStarts, pa.name, format_date(now));
    if (was < now)
      msg += was == INT_MIN ? std::string(text(Msg::VarBaseFromStart))
                            : textf(Msg::VarBaseStartsOn, format_date(was));
    msg += textf(Msg::VarNoValueBefore, format_date(now));
    std::vector<Note> notes;
    if (read) {
      const auto& rule = p_.rules[read->rule];
      msg += textf(Msg::VarReadOn, rule.name, rule.label,
                         format_date(read->date), format_date(read->date));
      notes.push_back(note_at(p_.nodes[read->node].place, textf(Msg::VarAsOfNote, format_date(read->date))));
    }
    if (earlier) {
      const auto& text = p_.files[bf]->text();
      std::string value(text.substr(earlier->value->range.begin, earlier->value->range.end - earlier->value->range.begin));
      msg += textf(Msg::VarRepeat, value,
                         format_date(earlier->from ? *earlier->from : date), earlier->placeholder ? "placeholder" : "source");
      notes.push_back(Note{p_.files[bf], earlier->range, std::string(dsl::text(Msg::VarBaseValueNote))});
    } else {
      msg += textf(Msg::VarAddValue, format_date(date));
    }
    const auto& first = *std::min_element(pa.values.begin(), pa.values.end(), [](const auto& a, const auto& b) {
      return a.from.value_or(INT_MIN) < b.from.value_or(INT_MIN);
    });
    diag(Severity::Warning, DiagCode::OverrideGap, 0, first.value_range, std::move(msg), std::move(notes));
  }
}

void Checker::warn_variant() {
  // Errors first: an override that failed would be listed again as a parameter left unset.
  if (modules_.size() < 2 || has_errors(diags_)) return;
  warn_override_gaps();
  const ast::Header* h = modules_[0]->header();
  if (!h) return;
  std::vector<std::string> unset;
  std::vector<Note> notes;
  for (const auto& pa : p_.params)
    if (pa.regional && pa.place.file != 0) {
      unset.push_back(textf(Msg::NameLabel, pa.name, pa.label));
      notes.push_back(note_at(pa.place, std::string(text(Msg::VarLeftToRegion))));
    }
  const SourceRange at = h->extends.present ? h->extends.range : h->name.range;
  if (!unset.empty())
    diag(Severity::Warning, DiagCode::RegionalUnset, 0, at,
         textf(Msg::VarRegionalUnset,
                     unset.size(), joined(unset)),
         std::move(notes));
  bool has_tests = std::any_of(modules_[0]->decls.begin(), modules_[0]->decls.end(),
                               [](const ast::Decl& d) { return std::holds_alternative<ast::TestDecl>(d); });
  if (!has_tests)
    diag(Severity::Warning, DiagCode::VariantWithoutTests, 0, h->name.range,
         std::string(text(Msg::VarNoTests)));
}

}  // namespace pol::dsl::checking
