#pragma once
// The encoding of a cases file, and its conversion to UTF-8 (glibc's iconv).
//
// What analysts have: CSV saved by Excel or WPS on Chinese Windows is GB18030 (GBK); "Unicode
// text" is UTF-16 with a byte-order mark; others are UTF-8, with or without a BOM. Without
// --encoding, a file whose bytes are valid UTF-8 is UTF-8, one with a UTF-16 BOM is UTF-16,
// and anything else is read as GB18030 (said once on standard error). The readers downstream
// always see UTF-8: a file that needs converting is read through a pipe fed by a thread, so
// the cases still stream and nothing is held whole.
#include <memory>
#include <string>
#include <string_view>

namespace pol::interp {

// The iconv name for a user's encoding name ("gbk", "GB18030", "utf8", "UTF-16LE" …), or empty
// when iconv does not know it.
[[nodiscard]] std::string encoding_name(std::string_view user);

// A stream of UTF-8 text made from a file descriptor in another encoding.
class Utf8Stream {
public:
  Utf8Stream();
  ~Utf8Stream();  // stops the thread (closing the read end first) and joins it
  Utf8Stream(const Utf8Stream&) = delete;
  Utf8Stream& operator=(const Utf8Stream&) = delete;

  // Opens the cases file descriptor `fd` (owned from now on) named `path` for messages.
  // `encoding`: the user's --encoding, or empty to detect. Returns the descriptor to read
  // (`fd` itself when the bytes are UTF-8 already), or -1 with `error`. A note for standard
  // error (GB18030 detected) is left in note().
  [[nodiscard]] int open(int fd, const std::string& path, const std::string& encoding, std::string& error);
  [[nodiscard]] const std::string& note() const { return note_; }
  // After the reader has seen the end: the conversion error (bytes that are not ENCODING,
  // naming the line), or empty. Joins the thread.
  [[nodiscard]] std::string finish();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string note_;
};

}  // namespace pol::interp
