#include "doc/clauses.hpp"

#include <optional>

namespace pol::interp {

namespace {

// The line without the whitespace at its ends (ASCII, the ideographic space U+3000, BOM).
std::string_view trim_line(std::string_view s) {
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    else if (s.starts_with("\u3000")) s.remove_prefix(3);
    else if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
    else break;
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    else if (s.ends_with("\u3000")) s.remove_suffix(3);
    else break;
  }
  return s;
}

bool ends_sentence(std::string_view s) {
  for (std::string_view p : {"。", "：", "；", "！", "？", ":"})
    if (s.ends_with(p)) return true;
  return false;
}

bool has_sentence(std::string_view s) { return s.find("。") != std::string_view::npos; }

bool starts_mark(std::string_view s) {
  return dsl::clause_mark(s) || dsl::section_mark(s) || dsl::article_mark(s);
}

// "本通知……", "本意见……": the text speaking of itself, as its closing provisions do.
bool speaks_of_itself(std::string_view s) {
  for (std::string_view w : {"本通知", "本意见", "本办法", "本规定", "本决定", "本细则", "本方案"})
    if (s.starts_with(w)) return true;
  return false;
}

std::vector<std::string> paragraphs_of(std::string_view text) {
  std::vector<std::vector<std::string_view>> blocks(1);
  for (std::size_t at = 0; at <= text.size();) {
    auto nl = text.find('\n', at);
    std::string_view line = trim_line(text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at));
    if (line.empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
    } else {
      blocks.back().push_back(line);
    }
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  // Wrapped: most lines inside a block (all but its last) end mid-sentence.
  std::size_t ends = 0, wraps = 0;
  for (const auto& b : blocks)
    for (std::size_t i = 0; i + 1 < b.size(); ++i) (ends_sentence(b[i]) || starts_mark(b[i + 1]) ? ends : wraps) += 1;
  bool wrapped = wraps > ends;
  std::vector<std::string> out;
  for (const auto& b : blocks) {
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (i == 0 || !wrapped || starts_mark(b[i]) || b[i].starts_with("【")) out.emplace_back();
      out.back() += b[i];
    }
  }
  return out;
}

}  // namespace

std::vector<TextUnit> split_clauses(std::string_view text) {
  std::vector<TextUnit> units;
  for (auto& para : paragraphs_of(text)) {
    TextUnit::Kind kind = TextUnit::Kind::Preamble;
    std::optional<dsl::Mark> m;
    if ((m = dsl::clause_mark(para))) kind = TextUnit::Kind::Clause;
    else if ((m = dsl::article_mark(para))) kind = TextUnit::Kind::Article;
    else if ((m = dsl::section_mark(para))) kind = TextUnit::Kind::Section;
    if (m) {
      TextUnit u;
      u.kind = kind;
      u.number = m->number;
      u.mark = para.substr(0, m->length);
      u.paragraphs.push_back(std::move(para));
      units.push_back(std::move(u));
    } else if (units.empty()) {
      units.push_back({TextUnit::Kind::Preamble, 0, "", {std::move(para)}, false});
    } else {
      units.back().paragraphs.push_back(std::move(para));
    }
  }
  // After the last clause, the paragraphs from one that speaks of the text itself, or that has
  // no sentence (a date), are the closing, one unit each.
  std::size_t last = units.size();
  for (std::size_t i = units.size(); i-- > 0;)
    if (units[i].kind == TextUnit::Kind::Clause || units[i].kind == TextUnit::Kind::Article) {
      last = i;
      break;
    }
  if (last < units.size()) {
    auto& ps = units[last].paragraphs;
    for (std::size_t k = 1; k < ps.size(); ++k) {
      if (!speaks_of_itself(ps[k]) && has_sentence(ps[k])) continue;
      std::vector<std::string> closing(ps.begin() + static_cast<std::ptrdiff_t>(k), ps.end());
      ps.resize(k);
      for (auto& c : closing) units.insert(units.begin() + static_cast<std::ptrdiff_t>(++last), TextUnit{TextUnit::Kind::Closing, 0, "", {std::move(c)}, false});
      break;
    }
  }
  for (auto& u : units) {
    switch (u.kind) {
      case TextUnit::Kind::Clause:
      case TextUnit::Kind::Article: u.counted = true; break;
      case TextUnit::Kind::Section: u.counted = u.paragraphs.size() > 1; break;
      case TextUnit::Kind::Closing: u.counted = has_sentence(u.paragraphs[0]); break;
      case TextUnit::Kind::Preamble: u.counted = false; break;
    }
  }
  return units;
}

std::vector<CitedPlace> resolve(const std::vector<TextUnit>& units, const std::vector<dsl::ClauseRef>& refs, std::size_t& missing) {
  std::vector<CitedPlace> out;
  for (const auto& r : refs) {
    bool found = false;
    for (std::size_t i = 0; i < units.size() && !found; ++i) {
      const auto& u = units[i];
      bool hit = (r.kind == dsl::ClauseRef::Kind::Clause && u.kind == TextUnit::Kind::Clause && u.number == r.number) ||
                 (r.kind == dsl::ClauseRef::Kind::Article && u.kind == TextUnit::Kind::Article && u.number == r.number);
      if (hit && r.paragraph <= static_cast<int>(u.paragraphs.size())) {
        out.push_back({i, u.paragraphs.size() > 1 ? r.paragraph : 0});
        found = true;
      }
    }
    if (r.kind == dsl::ClauseRef::Kind::Last)
      for (std::size_t i = units.size(); i-- > 0 && !found;)
        if (units[i].counted) {
          out.push_back({i, 0});
          found = true;
        }
    if (!found) ++missing;
  }
  return out;
}

}  // namespace pol::interp
