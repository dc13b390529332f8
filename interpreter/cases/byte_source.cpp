#include "cases/byte_source.hpp"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pol::interp {

FdSource::FdSource(int fd) : fd_(fd) {
  struct stat st {};
  pollable_ = ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode);
}

long FdSource::read(char* dst, std::size_t room, int& err) {
  ssize_t got;
  do got = ::read(fd_, dst, room);
  while (got < 0 && errno == EINTR);
  if (got < 0) err = errno;
  return static_cast<long>(got);
}

bool FdSource::would_block(int ms) {
  if (!pollable_) return false;
  pollfd p{fd_, POLLIN, 0};
  int r;
  do r = ::poll(&p, 1, ms);
  while (r < 0 && errno == EINTR);
  return r == 0;
}

BytePipe::BytePipe() {
  // Room for the bound and one more piece, so that neither buffer grows (doubling) on the way.
  in_.reserve(kBoundBytes + (std::size_t{64} << 10));
  out_.reserve(in_.capacity());
}

bool BytePipe::write(const char* d, std::size_t n, bool wait) {
  std::unique_lock lock(m_);
  if (wait && in_.size() >= kBoundBytes && !reader_gone_) {
    writer_waiting_ = true;
    writer_cv_.wait(lock, [&] { return reader_gone_ || in_.size() < kBoundBytes; });
    writer_waiting_ = false;
  }
  if (reader_gone_) return false;
  in_.append(d, n);
  const bool wake = reader_waiting_ == Waiting::Any || (reader_waiting_ == Waiting::Many && in_.size() >= kWakeBytes);
  if (wake) reader_waiting_ = Waiting::No;  // woken once
  lock.unlock();
  if (wake) reader_cv_.notify_one();
  return true;
}

void BytePipe::close_write() {
  {
    std::lock_guard lock(m_);
    closed_ = true;
  }
  reader_cv_.notify_all();
}

void BytePipe::close_read() {
  {
    std::lock_guard lock(m_);
    reader_gone_ = true;
  }
  writer_cv_.notify_all();
}

void BytePipe::wait_for_bytes(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds linger, bool forever) {
  reader_waiting_ = Waiting::Many;
  reader_cv_.wait_for(lock, linger, [&] { return closed_ || in_.size() >= kWakeBytes; });
  if (forever && in_.empty() && !closed_) {
    reader_waiting_ = Waiting::Any;
    reader_cv_.wait(lock, [&] { return closed_ || !in_.empty(); });
  }
  reader_waiting_ = Waiting::No;
}

long BytePipe::read(char* dst, std::size_t room, int&) {
  if (out_pos_ == out_.size()) {  // all taken bytes read: take what was written since
    std::unique_lock lock(m_);
    if (in_.empty() && !closed_) wait_for_bytes(lock, kLinger, true);
    out_.clear();
    out_pos_ = 0;
    out_.swap(in_);  // the writer goes on in the buffer just read (its memory is kept)
    const bool wake = writer_waiting_;
    lock.unlock();
    if (wake) writer_cv_.notify_one();
    if (out_.empty()) return 0;  // closed, and every byte read
  }
  const std::size_t n = std::min(room, out_.size() - out_pos_);
  std::memcpy(dst, out_.data() + out_pos_, n);
  out_pos_ += n;
  return static_cast<long>(n);
}

bool BytePipe::would_block(int ms) {
  if (out_pos_ < out_.size()) return false;
  std::unique_lock lock(m_);
  if (!in_.empty() || closed_) return false;
  wait_for_bytes(lock, std::chrono::milliseconds(ms), false);
  return in_.empty() && !closed_;
}

long MemorySource::read(char* dst, std::size_t room, int&) {
  const std::size_t n = std::min(room, rest_.size());
  if (n) std::memcpy(dst, rest_.data(), n);
  rest_.remove_prefix(n);
  return static_cast<long>(n);
}

}  // namespace pol::interp
