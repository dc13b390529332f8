// The message tables, one file per language (messages_zh.cpp, messages_en.cpp).
// Each lists every Msg once, in the order of the enum; messages.cpp picks one.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

#include "base/messages.hpp"

namespace pol::dsl::tables {

using Entry = std::pair<Msg, std::string_view>;
inline constexpr std::size_t kCount = static_cast<std::size_t>(Msg::Count_);
using Table = std::array<Entry, kCount>;

constexpr bool in_order(const Table& t) {
  for (std::size_t i = 0; i < t.size(); ++i)
    if (static_cast<std::size_t>(t[i].first) != i) return false;
  return true;
}

extern const Table kZh;
extern const Table kEn;

}  // namespace pol::dsl::tables
