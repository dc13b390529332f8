#pragma once
// Files in and out, with a defined result for every kind of path a user can give.
//
// In: read_input_file opens without blocking (a FIFO nobody writes does not hang), refuses
// what is not an ordinary file (a directory, a device such as /dev/zero, a socket; a FIFO
// too unless the caller streams), names a symlink loop and an empty path as such, and reads
// at most `limit` bytes (more is reported with the size, never read into memory).
//
// Out: OutputFile writes to a temporary file in the same folder and renames it into place
// when everything was written, so a failed or interrupted run never leaves a half-written
// file under the final name; "-" is standard output. A path that is the same file as an
// input (same device and inode, whatever the name) is refused before anything is opened.
// Every write, the final flush and the close are checked; the error says what could not be
// written and why ("cannot write 'out.jsonl': No space left on device").
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace pol::dsl {

struct InputFile {
  std::string text;
  std::uint64_t size = 0;  // the file's size; more than text.size() when over the limit
  bool stream = false;     // a FIFO (only when the caller allows streams): text is empty
};

// Reads `path`; false with `error` ("cannot open 'x': …", "'x' is a directory, …").
// `what` names the file for people ("rule file", "case file"). With `allow_stream`, a FIFO
// is accepted and not read (out.stream set): the caller streams from it.
[[nodiscard]] bool read_input_file(const std::string& path, std::size_t limit, const char* what, InputFile& out,
                                   std::string& error, bool allow_stream = false);

// Whether two paths name the same existing file (device and inode).
[[nodiscard]] bool same_file(const std::string& a, const std::string& b);

// The folder for temporary files: $TMPDIR when it is set, else /tmp.
[[nodiscard]] std::string temp_dir();

class OutputFile {
public:
  OutputFile() = default;
  ~OutputFile();  // removes the temporary file of an output not committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Opens `path` ("-": standard output), refusing a path that is the same file as one of
  // `inputs`; false with `error`.
  [[nodiscard]] bool open(const std::string& path, const std::vector<std::string>& inputs, std::string& error);
  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] bool is_stdout() const { return path_ == "-"; }
  [[nodiscard]] const std::string& path() const { return path_; }
  // The temporary file being written, renamed to path() by commit (empty for standard output):
  // for a library that writes a file by its name (libxlsxwriter), so that nothing is copied.
  [[nodiscard]] const std::string& temp_path() const { return temp_; }
  // Writes all of `bytes`; false (and the reason kept for commit's error) when it cannot.
  bool write(std::string_view bytes);
  // Syncs and closes the file and renames it into place (standard output: flushes it);
  // false with `error` if anything written was lost.
  [[nodiscard]] bool commit(std::string& error);

private:
  std::string path_, temp_;
  int fd_ = -1;
  int errno_ = 0;  // the first write error
};

// The name of standard output for messages, and a checked final flush of it: false with
// `error` ("cannot write standard output: …") when something written was lost.
[[nodiscard]] bool finish_stdout(std::string& error);

// Writes a message to standard error. Never throws and never aborts: when standard error is
// closed or full, the message is lost, and only the message.
void print_stderr(std::string_view text) noexcept;

}  // namespace pol::dsl
