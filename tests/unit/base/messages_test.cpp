// The message tables: every id has words in both languages, with the same placeholders, and
// the choice of language follows --lang, POL_LANG and the locale.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "base/messages.hpp"

using pol::dsl::Lang;
using pol::dsl::Msg;

namespace {

// The arguments a format uses: "{}" takes the next one, "{2}" the third; "{{" is a brace.
std::set<int> arguments(std::string_view s, bool& ok) {
  std::set<int> used;
  int next = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '{') { ++i; continue; }
    if (s[i] == '}' && i + 1 < s.size() && s[i + 1] == '}') { ++i; continue; }
    if (s[i] == '}') { ok = false; continue; }
    if (s[i] != '{') continue;
    std::size_t end = s.find('}', i);
    if (end == std::string_view::npos) { ok = false; break; }
    std::string_view inside = s.substr(i + 1, end - i - 1);
    inside = inside.substr(0, inside.find(':'));
    used.insert(inside.empty() ? next++ : std::stoi(std::string(inside)));
    i = end;
  }
  return used;
}

struct EnvGuard {  // sets (or unsets) a variable for one test, then puts it back
  std::string name;
  std::optional<std::string> old;
  EnvGuard(const char* n, const char* v) : name(n) {
    if (const char* o = std::getenv(n)) old = o;
    if (v) ::setenv(n, v, 1);
    else ::unsetenv(n);
  }
  ~EnvGuard() {
    if (old) ::setenv(name.c_str(), old->c_str(), 1);
    else ::unsetenv(name.c_str());
  }
};

}  // namespace

TEST_CASE("every message has Chinese and English words with the same placeholders") {
  for (int i = 0; i < static_cast<int>(Msg::Count_); ++i) {
    auto m = static_cast<Msg>(i);
    auto zh = pol::dsl::text(m, Lang::Zh), en = pol::dsl::text(m, Lang::En);
    CAPTURE(i);
    CAPTURE(en);
    CHECK(!zh.empty());
    CHECK(!en.empty());
    // grammar_errors.hpp's messages are words, never formats: their braces are the language's
    if (i >= static_cast<int>(Msg::SynCloseParen) && i <= static_cast<int>(Msg::SynUnterminated)) continue;
    bool ok_zh = true, ok_en = true;
    CHECK(arguments(zh, ok_zh) == arguments(en, ok_en));
    CHECK(ok_zh);
    CHECK(ok_en);
  }
}

TEST_CASE("a message with placeholders formats in both languages") {
  auto saved = pol::dsl::current_lang();
  pol::dsl::set_lang(Lang::Zh);
  CHECK(pol::dsl::textf(Msg::UnknownName, "avg_monthly_wag") + pol::dsl::textf(Msg::DidYouMean, "", "avg_monthly_wage") ==
        "未知的名称 'avg_monthly_wag'，是否想写 'avg_monthly_wage'？");
  pol::dsl::set_lang(Lang::En);
  CHECK(pol::dsl::textf(Msg::UnknownName, "x") == "unknown name 'x'");
  pol::dsl::set_lang(saved);
}

TEST_CASE("the language: POL_LANG, then LC_ALL, LC_MESSAGES, LANG; English otherwise") {
  EnvGuard a("POL_LANG", nullptr), b("LC_ALL", nullptr), c("LC_MESSAGES", nullptr), d("LANG", nullptr);
  CHECK(pol::dsl::lang_from_env() == Lang::En);
  {
    EnvGuard l("LANG", "zh_CN.UTF-8");
    CHECK(pol::dsl::lang_from_env() == Lang::Zh);
    EnvGuard m("LC_MESSAGES", "en_US.UTF-8");  // the first one set wins
    CHECK(pol::dsl::lang_from_env() == Lang::En);
    EnvGuard all("LC_ALL", "zh_TW.UTF-8");
    CHECK(pol::dsl::lang_from_env() == Lang::Zh);
    EnvGuard p("POL_LANG", "en");
    CHECK(pol::dsl::lang_from_env() == Lang::En);
  }
  {
    EnvGuard l("LC_ALL", "C.UTF-8");
    CHECK(pol::dsl::lang_from_env() == Lang::En);
    EnvGuard p("POL_LANG", "fr");  // names no language: the caller reports it
    CHECK(!pol::dsl::lang_from_env());
  }
  CHECK(pol::dsl::parse_lang("zh") == Lang::Zh);
  CHECK(pol::dsl::parse_lang("en") == Lang::En);
  CHECK(!pol::dsl::parse_lang("zhx"));
}

TEST_CASE("every syntax error of grammar_errors.hpp has its words in the tables") {
  std::ifstream in(std::string(POL_SOURCE_DIR) + "/dsl/syntax/grammar_errors.hpp");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string src = ss.str();
  static const std::regex literal(R"re(error_message<.*> = "((?:[^"\\]|\\.)*)";)re");
  int found = 0;
  for (std::sregex_iterator it(src.begin(), src.end(), literal), end; it != end; ++it) {
    std::string words = std::regex_replace((*it)[1].str(), std::regex(R"(\\(.))"), "$1");
    bool in_table = false;
    pol::dsl::for_each_syntax_message([&](Msg m) { in_table |= pol::dsl::text(m, Lang::En) == words; });
    CAPTURE(words);
    CHECK(in_table);
    ++found;
  }
  CHECK(found > 20);
}
