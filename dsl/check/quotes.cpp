// Quotations of the source text (W0507): where a source, a reading or a note of the checked
// file quotes the text its header (or its base's) names as `source` — after "通知（三）：" or
// between “…” (check/citation.hpp says which) — the quoted words must be in that text.
#include <string>
#include <vector>

#include "base/files.hpp"
#include "check/checker_impl.hpp"
#include "check/citation.hpp"

namespace pol::dsl::checking {

namespace {

struct SourceText {
  std::string path, text, number;
  PreparedText prepared;
};

}  // namespace

void Checker::warn_quotes() {
  if (modules_.empty() || !modules_[0]) return;
  // The source text of the checked file: its own header's, else the nearest base's.
  std::optional<SourceText> src;
  for (std::size_t f = 0; f < modules_.size() && !src; ++f) {
    if (f < file_use_.size() && file_use_[f] != -1) continue;
    const ast::Header* h = modules_[f] ? modules_[f]->header() : nullptr;
    if (!h || !h->source.present || h->source.value.empty()) continue;
    SourceText s;
    s.path = source_text_path(p_.files[f]->name(), h->source.value);
    s.number = h->number.value;
    InputFile in;
    std::string err;
    // A text that cannot be read leaves the quotations unchecked (pol doc reports it).
    if (!read_source_text(s.path, in, err) || in.size > in.text.size()) return;
    s.text = std::move(in.text);
    s.prepared = prepare_text(s.text);
    src = std::move(s);
  }
  if (!src) return;
  std::vector<std::string> labels;
  for (const auto& i : p_.inputs) labels.push_back(i.label);
  for (const auto& pa : p_.params) labels.push_back(pa.label);
  for (const auto& r : p_.rules) labels.push_back(r.label);
  for (const auto& e : p_.enums)
    for (const auto& v : e.values) labels.push_back(v.label);

  const SourceFile& file = *p_.files[0];
  auto check = [&](const ast::Text& t) {
    if (!t.present) return;
    // The literal as written: offsets in the value are offsets in the file when it has no escapes.
    std::string_view raw = file.text().substr(t.range.begin, t.range.end - t.range.begin);
    bool plain = raw.size() == t.value.size() + 2;
    for (const auto& q : find_quotations(t.value, src->number, labels)) {
      auto m = match_quotation(src->prepared, src->text, q.text);
      if (m.found) continue;
      SourceRange r = t.range;
      if (plain) r = {static_cast<std::uint32_t>(t.range.begin + 1 + q.offset), static_cast<std::uint32_t>(t.range.begin + 1 + q.offset + q.text.size())};
      std::string msg = m.whole ? textf(Msg::QuoteNotInText, q.text, src->path, m.closest)
                                : textf(Msg::QuotePieceNotInText, q.text, src->path, m.missing, m.closest);
      diag(Severity::Warning, DiagCode::QuoteNotInText, 0, r, std::move(msg));
    }
  };
  for (const auto& d : modules_[0]->decls) {
    if (const auto* in = std::get_if<ast::InputDecl>(&d)) {
      check(in->attrs.reading);
    } else if (const auto* pa = std::get_if<ast::ParamDecl>(&d)) {
      check(pa->attrs.reading);
      for (const auto& v : pa->values) check(v.source);
    } else if (const auto* ru = std::get_if<ast::RuleDecl>(&d)) {
      check(ru->attrs.reading);
      for (const auto& b : ru->readings) {
        check(b.label);
        for (const auto& a : b.alternatives) {
          check(a.label);
          check(a.because);
        }
      }
    } else if (const auto* no = std::get_if<ast::NoteDecl>(&d)) {
      check(no->text);
    }
  }
}

}  // namespace pol::dsl::checking
