#include "check/citation.hpp"

#include <algorithm>
#include <filesystem>

#include "base/messages.hpp"
#include "base/source.hpp"

namespace pol::dsl {

namespace {

// The code point at `i` and its length in bytes (an invalid byte is itself, length 1).
std::pair<char32_t, std::size_t> decode(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (i + len > s.size()) return {c, 1};
  if (len == 1) return {c, 1};
  char32_t cp = c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return {cp, len};
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int digit_of(char32_t c) {
  switch (c) {
    case U'零': case U'〇': case U'○': return 0;
    case U'一': return 1;
    case U'二': return 2;
    case U'三': return 3;
    case U'四': return 4;
    case U'五': return 5;
    case U'六': return 6;
    case U'七': return 7;
    case U'八': return 8;
    case U'九': return 9;
    case U'十': return 10;
    case U'百': return 100;
    default: return -1;
  }
}

// The length in bytes of the run of Chinese numeral characters at the start of `s`.
std::size_t numeral_run(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto [c, len] = decode(s, i);
    if (digit_of(c) < 0) break;
    i += len;
  }
  return i;
}

bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x3000 || c == 0xA0 || c == 0xFEFF; }
char32_t fold(char32_t c) { return c == U'(' ? U'（' : c == U')' ? U'）' : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool contains(std::string_view s, std::string_view w) { return s.find(w) != std::string_view::npos; }

// "第K段" at the start of `s`: K and the length.
std::optional<Mark> paragraph_mark(std::string_view s) {
  if (!s.starts_with("第")) return std::nullopt;
  std::size_t n = numeral_run(s.substr(3));
  if (n == 0 || !s.substr(3 + n).starts_with("段")) return std::nullopt;
  auto k = chinese_number(s.substr(3, n));
  if (!k) return std::nullopt;
  return Mark{*k, 3 + n + 3};
}

// The sentence of `s` before byte `at`: from the last 。 or ； (or the start).
std::string_view sentence_before(std::string_view s, std::size_t at) {
  std::string_view before = s.substr(0, at);
  std::size_t from = 0;
  for (std::string_view stop : {"。", "；"}) {
    auto k = before.rfind(stop);
    if (k != std::string_view::npos) from = std::max(from, k + stop.size());
  }
  return before.substr(from);
}

// Whether `sentence` names a document or source other than the text: a document number
// (digits and 号, or 〔) other than `own`, a web address, or a source word.
bool names_other_source(std::string sentence, std::string_view own) {
  if (!own.empty())
    for (auto k = sentence.find(own); k != std::string::npos; k = sentence.find(own)) sentence.erase(k, own.size());
  if (contains(sentence, "〔")) return true;
  for (std::size_t k = sentence.find("号"); k != std::string::npos; k = sentence.find("号", k + 1))
    if (k > 0 && sentence[k - 1] >= '0' && sentence[k - 1] <= '9') return true;
  for (std::string_view w : {"http", "www.", ".com", ".cn", ".gov", "仓库", "线索", "网页", "页面", "标注"})
    if (contains(sentence, w)) return true;
  return false;
}

bool ends_with_rewording(std::string_view before) {
  before = trim(before);
  for (std::string_view w : {"读作", "断作", "理解为", "解释为", "折算为", "称"})
    if (before.ends_with(w)) return true;
  return false;
}

// "通知（三）：" at the start of `s`: the length through the colon, or 0. The words before
// the citation (the text's short name) hold no digits or document number.
std::size_t cited_prefix(std::string_view s) {
  static constexpr std::string_view colon = "：";
  auto k = s.find(colon);
  if (k == std::string_view::npos || k > 60) return 0;
  std::string_view prefix = s.substr(0, k);
  std::size_t i = 0;
  for (int chars = 0; i <= prefix.size() && chars <= 6; ++chars) {
    auto c = parse_citation(prefix.substr(i));
    if (!c.refs.empty() && c.remark.empty()) return k + colon.size();
    if (i == prefix.size()) break;
    auto [cp, len] = decode(prefix, i);
    if ((cp >= U'0' && cp <= U'9') || cp == U'〔' || cp == U'号' || cp < 0x80) return 0;
    i += len;
  }
  return 0;
}

}  // namespace

std::optional<int> chinese_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int total = 0, cur = 0;
  bool any = false;
  for (std::size_t i = 0; i < s.size();) {
    auto [c, len] = decode(s, i);
    int d = digit_of(c);
    if (d < 0) return std::nullopt;
    if (d == 10 || d == 100) {
      total += (cur == 0 ? 1 : cur) * d;
      cur = 0;
    } else {
      cur = d;
    }
    any = true;
    i += len;
  }
  if (!any) return std::nullopt;
  return total + cur;
}

std::optional<Mark> clause_mark(std::string_view s) {
  std::size_t open = s.starts_with("（") ? 3 : s.starts_with("(") ? 1 : 0;
  if (open == 0) return std::nullopt;
  std::size_t n = numeral_run(s.substr(open));
  if (n == 0 || n > 12) return std::nullopt;
  std::string_view rest = s.substr(open + n);
  std::size_t close = rest.starts_with("）") ? 3 : rest.starts_with(")") ? 1 : 0;
  if (close == 0) return std::nullopt;
  auto num = chinese_number(s.substr(open, n));
  if (!num) return std::nullopt;
  return Mark{*num, open + n + close};
}

std::optional<Mark> section_mark(std::string_view s) {
  std::size_t n = numeral_run(s);
  if (n == 0 || n > 12 || !s.substr(n).starts_with("、")) return std::nullopt;
  auto num = chinese_number(s.substr(0, n));
  if (!num) return std::nullopt;
  return Mark{*num, n + 3};
}

std::optional<Mark> article_mark(std::string_view s) {
  if (!s.starts_with("第")) return std::nullopt;
  std::size_t n = numeral_run(s.substr(3));
  if (n == 0 || n > 12 || !s.substr(3 + n).starts_with("条")) return std::nullopt;
  auto num = chinese_number(s.substr(3, n));
  if (!num) return std::nullopt;
  return Mark{*num, 3 + n + 3};
}

Citation parse_citation(std::string_view s) {
  Citation c;
  s = trim(s);
  while (!s.empty()) {
    if (auto m = clause_mark(s)) {
      ClauseRef r{ClauseRef::Kind::Clause, m->number, 0};
      s.remove_prefix(m->length);
      if (auto p = paragraph_mark(s)) {
        r.paragraph = p->number;
        s.remove_prefix(p->length);
      }
      c.refs.push_back(r);
    } else if (auto a = article_mark(s)) {
      s.remove_prefix(a->length);
      c.refs.push_back({ClauseRef::Kind::Article, a->number, 0});
      if (s.starts_with("至"))
        if (auto b = article_mark(s.substr(3)); b && b->number > a->number && b->number - a->number < 100) {
          for (int k = a->number + 1; k <= b->number; ++k) c.refs.push_back({ClauseRef::Kind::Article, k, 0});
          s.remove_prefix(3 + b->length);
        }
    } else if (s.starts_with("最后一段")) {
      s.remove_prefix(std::string_view("最后一段").size());
      c.refs.push_back({ClauseRef::Kind::Last, 0, 0});
    } else if (!c.refs.empty() && (s.starts_with("、") || s.starts_with("和"))) {
      std::string_view next = s.substr(3);
      if (!clause_mark(next) && !article_mark(next) && !next.starts_with("最后一段")) break;
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  c.remark = std::string(trim(s));
  return c;
}

std::vector<Quotation> find_quotations(std::string_view s, std::string_view own_number, const std::vector<std::string>& labels) {
  std::vector<Quotation> out;
  if (std::size_t k = cited_prefix(s)) {
    std::string_view body = trim(s.substr(k));
    // A grade after the words ("……（B级）") is the file's remark, not the text's.
    if (body.ends_with("）")) {
      auto open = body.rfind("（");
      if (open != std::string_view::npos && contains(body.substr(open), "级")) body = trim(body.substr(0, open));
    }
    if (!body.empty()) out.push_back({std::string(body), static_cast<std::size_t>(body.data() - s.data()), true});
    return out;
  }
  static constexpr std::string_view open = "“", close = "”";
  for (std::size_t at = s.find(open); at != std::string_view::npos; at = s.find(open, at + open.size())) {
    auto end = s.find(close, at + open.size());
    if (end == std::string_view::npos) break;
    std::string_view q = s.substr(at + open.size(), end - at - open.size());
    std::string_view sentence = sentence_before(s, at);
    bool other = names_other_source(std::string(sentence), own_number) || ends_with_rewording(s.substr(0, at)) ||
                 std::find(labels.begin(), labels.end(), q) != labels.end();
    if (!q.empty() && !other) out.push_back({std::string(q), at + open.size(), false});
  }
  return out;
}

PreparedText prepare_text(std::string_view text) {
  PreparedText t;
  for (std::size_t i = 0; i < text.size();) {
    auto [c, len] = decode(text, i);
    if (!is_space(c)) {
      t.chars.push_back(fold(c));
      t.offsets.push_back(i);
    }
    i += len;
  }
  t.offsets.push_back(text.size());
  return t;
}

QuoteMatch match_quotation(const PreparedText& text, std::string_view original, std::string_view quote) {
  PreparedText q = prepare_text(quote);
  // The pieces between elisions (…… is two …).
  std::vector<std::u32string> pieces(1);
  for (char32_t c : q.chars) {
    if (c == U'…') {
      if (!pieces.back().empty()) pieces.emplace_back();
    } else {
      pieces.back().push_back(c);
    }
  }
  if (pieces.back().empty()) pieces.pop_back();
  QuoteMatch m;
  std::size_t pos = 0;
  for (const auto& piece : pieces) {
    auto at = text.chars.find(piece, pos);
    if (at != std::u32string::npos) {
      pos = at + piece.size();
      continue;
    }
    // The closest passage: the substring of the text at the least edit distance from the
    // piece (each character inserted, deleted or changed counts one).
    const std::size_t n = text.chars.size(), len = piece.size();
    std::vector<std::size_t> prev(len + 1), cur(len + 1), prev_start(len + 1), cur_start(len + 1);
    for (std::size_t i = 0; i <= len; ++i) prev[i] = i, prev_start[i] = 0;
    std::size_t best = prev[len], best_begin = 0, best_end = 0;
    for (std::size_t j = 1; j <= n; ++j) {
      cur[0] = 0;
      cur_start[0] = j;
      for (std::size_t i = 1; i <= len; ++i) {
        std::size_t sub = prev[i - 1] + (piece[i - 1] == text.chars[j - 1] ? 0 : 1);
        std::size_t del = prev[i] + 1, ins = cur[i - 1] + 1;
        if (sub <= del && sub <= ins) cur[i] = sub, cur_start[i] = prev_start[i - 1];
        else if (ins <= del) cur[i] = ins, cur_start[i] = cur_start[i - 1];
        else cur[i] = del, cur_start[i] = prev_start[i];
      }
      // On a tie, the passage nearest the piece's length.
      auto gap = [&](std::size_t b, std::size_t e) { return e - b > len ? e - b - len : len - (e - b); };
      if (cur[len] < best || (cur[len] == best && gap(cur_start[len], j) < gap(best_begin, best_end)))
        best = cur[len], best_begin = cur_start[len], best_end = j;
      std::swap(prev, cur);
      std::swap(prev_start, cur_start);
    }
    for (char32_t c : piece) encode(c, m.missing);
    m.distance = best;
    m.begin = text.offsets[std::min(best_begin, n)];
    m.end = best_end == 0 ? m.begin : text.offsets[best_end - 1] + decode(original, text.offsets[best_end - 1]).second;
    for (std::size_t i = m.begin; i < m.end;) {
      auto [c, clen] = decode(original, i);
      if (!is_space(c)) m.closest.append(original.substr(i, clen));
      i += clen;
    }
    m.whole = pieces.size() == 1;
    return m;
  }
  m.found = true;
  return m;
}

}  // namespace pol::dsl

namespace pol::dsl {

std::string source_text_path(const std::string& rule_file, const std::string& source) {
  std::filesystem::path p = std::filesystem::path(rule_file).parent_path() / source;
  return p.lexically_normal().string();
}

namespace {
std::string& source_root() {
  static std::string root;  // set once, before any request is served
  return root;
}
}  // namespace

void restrict_source_texts(std::string real_dir) { source_root() = std::move(real_dir); }

namespace {
bool source_text_allowed(const std::string& path) {
  const std::string& root = source_root();
  if (root.empty()) return true;
  std::error_code ec;
  std::string real = std::filesystem::canonical(path, ec).string();
  if (ec) return true;  // nothing there to read: the reader says so
  return real.size() > root.size() && real.compare(0, root.size(), root) == 0 && (root == "/" || real[root.size()] == '/');
}
}  // namespace

bool read_source_text(const std::string& path, InputFile& in, std::string& error) {
  if (!source_text_allowed(path)) {  // pol serve: only texts inside the served folder
    error = textf(Msg::ServeSourceOutside, path);
    return false;
  }
  return read_input_file(path, kMaxRuleFileBytes, text(Msg::WhatSourceText).data(), in, error);
}

}  // namespace pol::dsl
