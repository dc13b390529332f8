#include "sheets/pipe.hpp"

#include "base/messages.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace pol::interp {

PipeThread::~PipeThread() { finish(); }

bool PipeThread::start(std::function<void()> body, std::string& error) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    error = std::strerror(errno);
    return false;
  }
  read_ = p[0];
  write_ = p[1];
  (void)::fcntl(write_, F_SETPIPE_SZ, 1 << 20);  // fewer, larger reads (best effort)
  std::signal(SIGPIPE, SIG_IGN);  // a reader that stops early ends the producer, not the program
  thread_ = std::thread([this, body = std::move(body), lang = dsl::thread_lang()] {
    dsl::set_thread_lang(lang);  // its messages in the language of the thread that started it
    body();
    ::close(write_);  // the reader sees the end
    write_ = -1;
  });
  return true;
}

bool PipeThread::write(std::string_view bytes) {
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  while (n > 0 && !stop_) {
    ssize_t w = ::write(write_, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      stop_ = true;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return !stop_;
}

void PipeThread::finish() {
  stop_ = true;
  if (read_ >= 0) ::close(read_);
  read_ = -1;
  if (thread_.joinable()) thread_.join();
}

}  // namespace pol::interp
