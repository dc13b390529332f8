#include "serve/paths.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "base/messages.hpp"

namespace pol::serve {

namespace {

std::optional<std::string> real_path(const std::string& p) {
  std::unique_ptr<char, decltype(&std::free)> r(::realpath(p.c_str(), nullptr), &std::free);
  if (!r) return std::nullopt;
  return std::string(r.get());
}

}  // namespace

bool ServedRoot::open(const std::string& dir, std::string& error) {
  dir_ = dir;
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  struct stat st {};
  if (::stat(dir_.c_str(), &st) != 0) {
    error = dsl::textf(dsl::Msg::SrvCannotOpenFolder, dir, std::strerror(errno));
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    error = dsl::textf(dsl::Msg::SrvNotAFolder, dir);
    return false;
  }
  auto r = real_path(dir_);
  if (!r) {
    error = dsl::textf(dsl::Msg::SrvCannotResolveFolder, dir, std::strerror(errno));
    return false;
  }
  real_ = *r;
  return true;
}

bool ServedRoot::inside(const std::string& path) const {
  auto r = real_path(path);
  if (!r) return false;
  return *r == real_ || (r->size() > real_.size() && r->compare(0, real_.size(), real_) == 0 &&
                         (real_ == "/" || (*r)[real_.size()] == '/'));
}

std::optional<std::string> ServedRoot::resolve(std::string_view rel, bool must_exist, std::string& why) const {
  if (rel.empty()) {
    why = dsl::textf(dsl::Msg::SrvPathEmpty);
    return std::nullopt;
  }
  if (rel.front() == '/') {
    why = dsl::textf(dsl::Msg::SrvPathAbsolute);
    return std::nullopt;
  }
  if (rel.find('\0') != std::string_view::npos || rel.find('\\') != std::string_view::npos) {
    why = dsl::textf(dsl::Msg::SrvPathNul);
    return std::nullopt;
  }
  std::size_t pos = 0;
  while (pos <= rel.size()) {
    std::size_t end = rel.find('/', pos);
    if (end == std::string_view::npos) end = rel.size();
    std::string_view part = rel.substr(pos, end - pos);
    if (part.empty() || part == "." || part == "..") {
      why = dsl::textf(dsl::Msg::SrvPathDots);
      return std::nullopt;
    }
    pos = end + 1;
  }
  std::string path = dir_ + "/" + std::string(rel);
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!inside(path)) {
      why = dsl::textf(dsl::Msg::SrvPathOutside);
      return std::nullopt;
    }
    return path;
  }
  if (must_exist) {
    why = dsl::textf(dsl::Msg::SrvNoSuchFile);
    return std::nullopt;
  }
  std::string folder = path.substr(0, path.rfind('/'));
  if (!inside(folder)) {
    why = dsl::textf(dsl::Msg::SrvPathNoFolder);
    return std::nullopt;
  }
  return path;
}

std::string ServedRoot::shown(const std::string& path) const {
  const std::string prefix = dir_ + "/";
  if (path.compare(0, prefix.size(), prefix) == 0 && inside(path)) return path.substr(prefix.size());
  if (path.compare(0, prefix.size(), prefix) == 0) return path.substr(prefix.size());
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string ServedRoot::strip(std::string text) const {
  const std::string prefix = dir_ + "/";
  for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at))
    text.erase(at, prefix.size());
  if (!real_.empty() && real_ != "/")
    for (std::size_t at = text.find(real_ + "/"); at != std::string::npos; at = text.find(real_ + "/", at))
      text.erase(at, real_.size() + 1);
  // What is left quoted as an absolute path lies outside the folder: not shown.
  for (std::size_t at = text.find("'/"); at != std::string::npos; at = text.find("'/", at + 1)) {
    std::size_t end = text.find('\'', at + 1);
    if (end == std::string::npos) break;
    text.replace(at + 1, end - at - 1, "(outside the served folder)");
  }
  return text;
}

}  // namespace pol::serve
