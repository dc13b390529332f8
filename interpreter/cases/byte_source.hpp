#pragma once
// Where the bytes of a cases stream come from (BlockReader, pol batch's reader): an open
// descriptor (a file, a pipe, standard input), or BytePipe, bytes handed over by another
// thread of the same process (the server's request body), with no kernel pipe between them:
// no system call and no kernel copy per piece, and a waiting reader woken once per
// kWakeBytes rather than once per piece.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

namespace pol::interp {

class ByteSource {
public:
  virtual ~ByteSource() = default;
  // Up to `room` bytes into `dst` (waiting for them when none are at hand): how many were
  // read; 0 at the end of input; -1 on an error, with its errno in `err`.
  [[nodiscard]] virtual long read(char* dst, std::size_t room, int& err) = 0;
  // Whether input may arrive slowly (not an ordinary file), so that would_block is asked.
  [[nodiscard]] virtual bool streamed() const = 0;
  // With streamed(): true when nothing arrives within `ms` milliseconds.
  [[nodiscard]] virtual bool would_block(int ms) = 0;
};

// An open descriptor, not owned: the caller closes it.
class FdSource final : public ByteSource {
public:
  explicit FdSource(int fd);
  [[nodiscard]] long read(char* dst, std::size_t room, int& err) override;
  [[nodiscard]] bool streamed() const override { return pollable_; }
  [[nodiscard]] bool would_block(int ms) override;

private:
  int fd_;
  bool pollable_ = false;  // a pipe, a terminal, a socket: reads may wait
};

// A bounded buffer between one writing thread and one reading thread. The writer appends
// under the lock and waits while kBoundBytes are unread; the reader swaps the whole
// buffer out under the lock and copies from it without. Memory: about twice the bound.
class BytePipe final : public ByteSource {
public:
  static constexpr std::size_t kBoundBytes = std::size_t{1} << 20;
  static constexpr std::size_t kWakeBytes = std::size_t{256} << 10;
  // How long a reader with nothing at hand waits for kWakeBytes before it waits for any byte
  // (and is then woken by the first): a fast writer wakes it once per kWakeBytes, a slow
  // one's bytes still pass at once.
  static constexpr std::chrono::milliseconds kLinger{2};

  BytePipe();
  BytePipe(const BytePipe&) = delete;
  BytePipe& operator=(const BytePipe&) = delete;

  // The writer's side: appends the bytes (waiting for room, unless `wait` is false: then the
  // bound is passed by them); false once the reader has stopped.
  [[nodiscard]] bool write(const char* d, std::size_t n, bool wait = true);
  // The end of the input: the reader gets the bytes written, then 0.
  void close_write();
  // The reader's side: it reads no more; a writer waiting for room, or writing later, gets false.
  void close_read();

  [[nodiscard]] long read(char* dst, std::size_t room, int& err) override;
  [[nodiscard]] bool streamed() const override { return true; }
  [[nodiscard]] bool would_block(int ms) override;

private:
  enum class Waiting { No, Many, Any };  // what the reader waits for: kWakeBytes, or any byte
  // With the lock held: waits up to `linger` for kWakeBytes, then (when `forever`) for any byte.
  void wait_for_bytes(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds linger, bool forever);

  std::mutex m_;
  std::condition_variable reader_cv_, writer_cv_;
  std::string in_;            // written, not yet taken by the reader (under m_)
  bool closed_ = false;       // no more writes (under m_)
  bool reader_gone_ = false;  // (under m_)
  bool writer_waiting_ = false;
  Waiting reader_waiting_ = Waiting::No;
  std::string out_;           // taken by the reader, read from out_[out_pos_] on (reader only)
  std::size_t out_pos_ = 0;
};

// All of `bytes`, from memory (a request body already read whole): never waits.
class MemorySource final : public ByteSource {
public:
  explicit MemorySource(std::string_view bytes) : rest_(bytes) {}
  [[nodiscard]] long read(char* dst, std::size_t room, int& err) override;
  [[nodiscard]] bool streamed() const override { return false; }
  [[nodiscard]] bool would_block(int) override { return false; }

private:
  std::string_view rest_;
};

}  // namespace pol::interp
