#include "base/messages.hpp"
#include "base/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace pol::dsl {

std::string temp_dir() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

namespace {

std::string_view kind_of(mode_t m) {
  if (S_ISDIR(m)) return text(Msg::FileKindDir);
  if (S_ISFIFO(m)) return text(Msg::FileKindFifo);
  if (S_ISCHR(m)) return text(Msg::FileKindChar);
  if (S_ISBLK(m)) return text(Msg::FileKindBlock);
  if (S_ISSOCK(m)) return text(Msg::FileKindSocket);
  return text(Msg::FileKindOther);
}

std::string open_error(const std::string& path, int e) {
  switch (e) {
    case ENOENT: return textf(Msg::FileNoSuch, path);
    case EACCES: return textf(Msg::FilePermission, path);
    case ELOOP: return textf(Msg::FileLoop, path);
    case ENAMETOOLONG: return textf(Msg::FileNameTooLong, path);
    case ENOTDIR: return textf(Msg::FileNotDir, path);
    case EISDIR: return textf(Msg::FileIsDir, path);
    default: return textf(Msg::FileCannotOpen, path, std::strerror(e));
  }
}

bool write_fd(int fd, std::string_view bytes, int& err) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

bool read_input_file(const std::string& path, std::size_t limit, const char* what, InputFile& out, std::string& error,
                     bool allow_stream) {
  out = {};
  if (path.empty()) {
    error = textf(Msg::FileNoPath, what);
    return false;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    struct stat st {};
    if (e == ENXIO && ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))  // a socket cannot be opened
      error = textf(Msg::FileNotOrdinary, path, kind_of(st.st_mode), what);
    else
      error = open_error(path, e);
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error = open_error(path, errno);
    ::close(fd);
    return false;
  }
  if (S_ISFIFO(st.st_mode) && allow_stream) {
    ::close(fd);
    out.stream = true;
    return true;
  }
  if (!S_ISREG(st.st_mode)) {
    error = textf(Msg::FileNotOrdinary, path, kind_of(st.st_mode), what);
    ::close(fd);
    return false;
  }
  out.size = static_cast<std::uint64_t>(st.st_size);
  // Read to the end (the size may change while reading), but never more than limit + 1 bytes.
  std::size_t cap = limit + 1;
  out.text.resize(std::min<std::uint64_t>(out.size, cap));
  std::size_t have = 0;
  for (;;) {
    if (have == out.text.size()) {
      if (out.text.size() >= cap) break;
      out.text.resize(std::min(cap, out.text.size() * 2 + 4096));
    }
    ssize_t n = ::read(fd, out.text.data() + have, out.text.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = textf(Msg::FileCannotRead, path, std::strerror(errno));
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
  }
  ::close(fd);
  out.text.resize(have);
  if (out.size < have) out.size = have;
  return true;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  if (a == "-" || b == "-" || ::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

OutputFile::~OutputFile() {
  if (fd_ >= 0 && !is_stdout()) {
    ::close(fd_);
    ::unlink(temp_.c_str());
  }
}

bool OutputFile::open(const std::string& path, const std::vector<std::string>& inputs, std::string& error) {
  path_ = path;
  if (path.empty()) {
    error = text(Msg::OutNoPath);
    return false;
  }
  for (const auto& in : inputs)
    if (same_file(path, in)) {
      error = textf(Msg::OutIsInput, path, in);
      return false;
    }
  if (is_stdout()) {
    fd_ = STDOUT_FILENO;
    return true;
  }
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    error = textf(Msg::OutNotOrdinary, path, kind_of(st.st_mode));
    return false;
  }
  // The file keeps its permissions when it is replaced; a new one gets the usual ones.
  mode_t mask = ::umask(0);
  ::umask(mask);
  const mode_t mode = exists ? (st.st_mode & 07777) : (0666 & ~mask);
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? std::string(".") : path.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  temp_ = (slash == std::string::npos ? std::string() : dir) + "." + base + ".pol-XXXXXX";
  fd_ = ::mkstemp(temp_.data());
  if (fd_ < 0) {
    error = textf(Msg::OutCannotWrite, fmt::format("'{}'", path), std::strerror(errno));
    return false;
  }
  ::fchmod(fd_, mode);
  return true;
}

bool OutputFile::write(std::string_view bytes) {
  if (errno_ != 0) return false;
  return write_fd(fd_, bytes, errno_);
}

bool OutputFile::commit(std::string& error) {
  const std::string shown = is_stdout() ? std::string(text(Msg::StandardOutput)) : fmt::format("'{}'", path_);
  if (errno_ == 0 && !is_stdout()) {
    if (::fsync(fd_) != 0 && errno != EINVAL) errno_ = errno;
  }
  if (!is_stdout()) {
    if (::close(fd_) != 0 && errno_ == 0) errno_ = errno;
    fd_ = -1;
    if (errno_ == 0 && ::rename(temp_.c_str(), path_.c_str()) != 0) errno_ = errno;
    if (errno_ != 0) ::unlink(temp_.c_str());
  }
  if (errno_ != 0) {
    error = textf(Msg::OutCannotWrite, shown, std::strerror(errno_));
    return false;
  }
  return true;
}

bool finish_stdout(std::string& error) {
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  const int e = errno;
  if (flushed && !std::ferror(stdout)) return true;
  // A write that failed before the flush left no reason behind: say what is known.
  error = flushed || e == 0 ? std::string(text(Msg::StdoutLost)) : textf(Msg::CannotWriteStdout, std::strerror(e));
  return false;
}

void print_stderr(std::string_view text) noexcept {
  std::string_view rest = text;
  while (!rest.empty()) {
    ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace pol::dsl
