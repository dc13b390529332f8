#pragma once
// Bytes made on a thread and read through a pipe: how a converted or translated cases file
// (another encoding, a workbook) reaches the stream readers of cases/ unchanged, as UTF-8 CSV,
// without being held whole. The reader reads fd(); the producer writes with write().
#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace pol::interp {

class PipeThread {
public:
  PipeThread() = default;
  ~PipeThread();  // closes the read end (a producer still writing stops) and joins
  PipeThread(const PipeThread&) = delete;
  PipeThread& operator=(const PipeThread&) = delete;

  // Starts `body` on a thread; the write end is closed when it returns. False with `error`.
  [[nodiscard]] bool start(std::function<void()> body, std::string& error);
  [[nodiscard]] int fd() const { return read_; }
  // From the producer: all of `bytes`, or false once the reader has stopped.
  bool write(std::string_view bytes);
  [[nodiscard]] bool stopping() const { return stop_; }
  // Ends the reading side and waits for the producer.
  void finish();

private:
  int read_ = -1, write_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace pol::interp
