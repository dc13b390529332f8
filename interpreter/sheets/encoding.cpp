#include "sheets/encoding.hpp"

#include <fcntl.h>
#include <iconv.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "base/messages.hpp"
#include "base/source.hpp"
#include "sheets/pipe.hpp"

namespace pol::interp {

namespace {

constexpr std::size_t kChunk = std::size_t{1} << 16;

std::string upper(std::string_view s) {
  std::string u(s);
  for (auto& ch : u)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return u;
}

bool is_utf8_name(std::string_view n) { return n == "UTF-8"; }

// Reads up to `n` bytes, retrying short reads (a pipe), false on an error.
bool read_some(int fd, std::string& out, std::size_t n) {
  std::size_t start = out.size();
  out.resize(start + n);
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = ::read(fd, out.data() + start + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      out.resize(start + got);
      return r == 0;
    }
    got += static_cast<std::size_t>(r);
  }
  return true;
}

// Whether the bytes are UTF-8, allowing a sequence cut at the end (`more` bytes follow).
bool valid_prefix(std::string_view s, bool more) {
  std::size_t bad = dsl::utf8_invalid_at(s);
  return bad == std::string_view::npos || (more && s.size() - bad < 4);
}

// Whether the whole regular file (from the current offset) is UTF-8; the offset is kept.
bool file_is_utf8(int fd) {
  std::string buf;
  std::string carry;
  off_t at = ::lseek(fd, 0, SEEK_CUR);
  if (at < 0) return false;
  while (true) {
    buf = carry;
    std::size_t before = buf.size();
    buf.resize(before + (std::size_t{1} << 20));
    ssize_t r = ::pread(fd, buf.data() + before, buf.size() - before, at);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return false;
    buf.resize(before + static_cast<std::size_t>(r));
    at += r;
    const bool more = r > 0;
    std::size_t bad = dsl::utf8_invalid_at(buf);
    if (bad == std::string_view::npos) {
      carry.clear();
    } else if (more && buf.size() - bad < 4) {
      carry = buf.substr(bad);
    } else {
      return false;
    }
    if (!more) return carry.empty();
  }
}

// Whether the whole regular file (from the current offset) decodes as `from`; the offset is kept.
bool file_decodes(int fd, const char* from) {
  iconv_t cd = ::iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  std::string buf;
  std::vector<char> out(4 * kChunk);
  off_t at = ::lseek(fd, 0, SEEK_CUR);
  bool ok = at >= 0;
  while (ok) {
    std::size_t before = buf.size();
    buf.resize(before + kChunk);
    ssize_t r = ::pread(fd, buf.data() + before, kChunk, at);
    if (r < 0 && errno == EINTR) continue;
    buf.resize(before + static_cast<std::size_t>(std::max<ssize_t>(r, 0)));
    if (r <= 0) {
      ok = r == 0 && buf.empty();
      break;
    }
    at += r;
    char* src = buf.data();
    std::size_t left = buf.size();
    while (left > 0) {
      char* dst = out.data();
      std::size_t room = out.size();
      if (::iconv(cd, &src, &left, &dst, &room) != static_cast<std::size_t>(-1) || errno == E2BIG) continue;
      if (errno != EINVAL) ok = false;
      break;
    }
    buf.erase(0, buf.size() - left);
  }
  ::iconv_close(cd);
  return ok;
}

}  // namespace

std::string encoding_name(std::string_view user) {
  std::string u = upper(user);
  if (u == "UTF8") u = "UTF-8";
  if (u == "GBK" || u == "GB2312" || u == "CP936" || u == "GB18030-2005" || u == "GB18030-2022") u = "GB18030";
  if (u == "UTF16") u = "UTF-16";
  iconv_t cd = ::iconv_open("UTF-8", u.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return {};
  ::iconv_close(cd);
  return u;
}

struct Utf8Stream::Impl {
  int in = -1;
  iconv_t cd = reinterpret_cast<iconv_t>(-1);
  std::string encoding, path, prefix, error;
  bool guessed = false;
  PipeThread pipe;

  ~Impl() {
    pipe.finish();
    if (cd != reinterpret_cast<iconv_t>(-1)) ::iconv_close(cd);
  }

  // Reads the next chunk of input, waiting at most a moment at a time so that a stop is seen.
  bool next(std::string& buf) {
    while (!pipe.stopping()) {
      pollfd p{in, POLLIN, 0};
      int r = ::poll(&p, 1, 100);
      if (r < 0 && errno != EINTR) return false;
      if (r <= 0) continue;
      std::size_t before = buf.size();
      buf.resize(before + kChunk);
      ssize_t got = ::read(in, buf.data() + before, kChunk);
      if (got < 0 && errno == EINTR) {
        buf.resize(before);
        continue;
      }
      buf.resize(before + static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
      return got > 0;
    }
    return false;
  }

  void fail(std::uint64_t line) {
    error = guessed ? dsl::textf(dsl::Msg::EncodingNeither, path, line)
                    : dsl::textf(dsl::Msg::EncodingBad, path, line, encoding);
  }

  // Converts everything (the prefix first) into the pipe; a byte sequence that is not the
  // encoding stops it, with the line named.
  void run() {
    std::string buf = std::move(prefix);
    std::vector<char> out(4 * kChunk + 16);
    std::uint64_t line = 1;
    bool eof = false;
    if (buf.empty()) eof = !next(buf);
    while (!buf.empty()) {
      char* src = buf.data();
      std::size_t left = buf.size();
      while (left > 0) {
        char* dst = out.data();
        std::size_t room = out.size();
        const std::size_t r = ::iconv(cd, &src, &left, &dst, &room);
        const int why = errno;
        const std::size_t made = out.size() - room;
        line += static_cast<std::uint64_t>(std::count(out.data(), out.data() + made, '\n'));
        if (made && !pipe.write(std::string_view(out.data(), made))) return;
        if (r != static_cast<std::size_t>(-1) || why == E2BIG) continue;
        if (why == EINVAL) break;  // a sequence cut at the end of the chunk: read more
        return fail(line);
      }
      if (eof) {
        if (left > 0) fail(line);  // a sequence cut at the very end
        return;
      }
      buf.erase(0, buf.size() - left);
      eof = !next(buf);
    }
  }
};

Utf8Stream::Utf8Stream() = default;
Utf8Stream::~Utf8Stream() = default;

int Utf8Stream::open(int fd, const std::string& path, const std::string& encoding, std::string& error) {
  std::string name;
  if (!encoding.empty()) {
    name = encoding_name(encoding);
    if (name.empty()) {
      error = dsl::textf(dsl::Msg::EncodingUnknown, encoding);
      return -1;
    }
  }
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  std::string prefix;
  if (regular) {
    // Decided from the whole file: UTF-8 is read directly, by the readers as before.
    if ((name.empty() || is_utf8_name(name)) && file_is_utf8(fd)) return fd;
    // Neither UTF-8 nor GB18030 (nor UTF-16 with its BOM): read as it is, so that the cells
    // that are not UTF-8 are errors of their rows, each naming its field, and the rest is read.
    if (name.empty() && !file_decodes(fd, "GB18030")) {
      char head[2] = {};
      const bool bom16 = ::pread(fd, head, 2, ::lseek(fd, 0, SEEK_CUR)) == 2 &&
                         ((head[0] == '\xFF' && head[1] == '\xFE') || (head[0] == '\xFE' && head[1] == '\xFF'));
      if (!bom16) return fd;
    }
    if (!read_some(fd, prefix, 4)) prefix.clear();
  } else {
    // A stream: decided from its first bytes, which are then converted like the rest.
    if (!read_some(fd, prefix, kChunk)) {
      error = dsl::textf(dsl::Msg::EncodingReadFailed, path, std::strerror(errno));
      return -1;
    }
  }
  bool guessed = false;
  if (name.empty()) {
    if (prefix.starts_with("\xFF\xFE") || prefix.starts_with("\xFE\xFF")) name = "UTF-16";
    else if (!regular && valid_prefix(prefix, prefix.size() == kChunk)) name = "UTF-8";
    else {
      name = "GB18030";
      guessed = true;
      note_ = dsl::textf(dsl::Msg::EncodingGuessed, path);
    }
  }
  impl_ = std::make_unique<Impl>();
  Impl& m = *impl_;
  m.in = fd;
  m.encoding = name;
  m.path = path;
  m.guessed = guessed;
  m.prefix = std::move(prefix);
  m.cd = ::iconv_open("UTF-8", name.c_str());
  std::string why;
  if (m.cd == reinterpret_cast<iconv_t>(-1) || !m.pipe.start([&m] { m.run(); }, why)) {
    error = dsl::textf(dsl::Msg::EncodingReadFailed, path, why.empty() ? std::strerror(errno) : why);
    return -1;
  }
  return m.pipe.fd();
}

std::string Utf8Stream::finish() {
  if (!impl_) return {};
  impl_->pipe.finish();
  return impl_->error;
}

}  // namespace pol::interp
