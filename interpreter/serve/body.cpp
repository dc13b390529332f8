#include "serve/body.hpp"

#include "base/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

namespace pol::serve {

namespace {

bool starts_with(std::string_view s, std::string_view head) { return s.substr(0, head.size()) == head; }

}  // namespace

bool write_all(int fd, const char* d, std::size_t n) {
  while (n) {
    ssize_t w = ::write(fd, d, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    d += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

BodyKind body_kind(std::string_view t) {
  if (starts_with(t, "text/csv")) return BodyKind::Csv;
  if (starts_with(t, "application/x-ndjson") || starts_with(t, "application/jsonl")) return BodyKind::JsonLines;
  if (starts_with(t, kXlsxType)) return BodyKind::Xlsx;
  return BodyKind::Json;
}

const char* cases_suffix(BodyKind k) {
  return k == BodyKind::Csv ? ".csv" : k == BodyKind::Xlsx ? ".xlsx" : ".jsonl";
}

TempFile::TempFile(const char* suffix) {
  std::string t = fmt::format("{}/pol-serve-XXXXXX{}", dsl::temp_dir(), suffix);
  int fd = ::mkstemps(t.data(), static_cast<int>(std::char_traits<char>::length(suffix)));
  if (fd >= 0) {
    ::close(fd);
    path_ = t;
  }
}

TempFile::~TempFile() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

bool TempFile::write(std::string_view bytes) const {
  if (path_.empty()) return false;
  int fd = ::open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = write_all(fd, bytes.data(), bytes.size());
  return ::close(fd) == 0 && ok;
}

bool TempFile::copy_from(interp::ByteSource& in) const {
  if (path_.empty()) return false;
  int fd = ::open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[1 << 16];
  bool ok = true;
  for (;;) {
    int err = 0;
    const long n = in.read(buf, sizeof buf, err);
    if (n < 0) ok = false;
    if (n <= 0) break;
    if (!write_all(fd, buf, static_cast<std::size_t>(n))) {
      ok = false;
      break;
    }
  }
  return ::close(fd) == 0 && ok;
}

std::string TempFile::hide(std::string text, std::string_view word) const {
  if (path_.empty()) return text;
  for (auto p = text.find(path_); p != std::string::npos; p = text.find(path_, p + word.size())) text.replace(p, path_.size(), word);
  return text;
}

}  // namespace pol::serve
