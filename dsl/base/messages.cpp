#include "base/messages.hpp"

#include <atomic>
#include <cstdlib>

#include "base/message_tables.hpp"

namespace pol::dsl {

namespace {
std::atomic<Lang> g_lang{Lang::En};
thread_local std::optional<Lang> t_lang;
}

Lang current_lang() { return t_lang ? *t_lang : g_lang.load(std::memory_order_relaxed); }
void set_lang(Lang lang) { g_lang.store(lang, std::memory_order_relaxed); }
void set_thread_lang(std::optional<Lang> lang) { t_lang = lang; }
std::optional<Lang> thread_lang() { return t_lang; }

std::optional<Lang> parse_lang(std::string_view name) {
  auto starts = [&](std::string_view p) {
    return name.substr(0, p.size()) == p && (name.size() == p.size() || name[p.size()] == '_' ||
                                             name[p.size()] == '-' || name[p.size()] == '.');
  };
  if (starts("zh")) return Lang::Zh;
  if (starts("en")) return Lang::En;
  return std::nullopt;
}

std::optional<Lang> lang_from_env() {
  if (const char* v = std::getenv("POL_LANG"); v && *v) return parse_lang(v);
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"})
    if (const char* v = std::getenv(var); v && *v) return std::string_view(v).substr(0, 2) == "zh" ? Lang::Zh : Lang::En;
  return Lang::En;
}

std::string_view text(Msg m, Lang lang) {
  const auto& t = lang == Lang::En ? tables::kEn : tables::kZh;
  return t[static_cast<std::size_t>(m)].second;
}

}  // namespace pol::dsl
