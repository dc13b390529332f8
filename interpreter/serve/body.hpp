#pragma once
// What a request body holds, by its Content-Type, and a temporary file for the stages that
// read cases from a path (compare/, readings/, a workbook that must be opened as a ZIP
// archive): written under /tmp, removed when it goes out of scope, never named in a message.
#include <cstddef>
#include <string>
#include <string_view>

#include "cases/byte_source.hpp"

namespace pol::serve {

enum class BodyKind { Json, JsonLines, Csv, Xlsx };

inline constexpr std::string_view kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// "text/csv…" → Csv, "application/x-ndjson…" or "application/jsonl…" → JsonLines, the Excel
// workbook type → Xlsx, anything else Json.
[[nodiscard]] BodyKind body_kind(std::string_view content_type);
// The file name ending of a cases file of that kind (".jsonl" for Json and JsonLines).
[[nodiscard]] const char* cases_suffix(BodyKind k);

// Writes all of d[0..n) to `fd` (again after EINTR); false when a write fails.
[[nodiscard]] bool write_all(int fd, const char* d, std::size_t n);

class TempFile {
public:
  // An empty file /tmp/pol-serve-XXXXXX`suffix`; path() is empty when it could not be made.
  explicit TempFile(const char* suffix);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  // Writes all of `bytes` over the file; false when it could not be made or written.
  [[nodiscard]] bool write(std::string_view bytes) const;
  // Copies everything read from `in` into the file; false on a read or write error.
  [[nodiscard]] bool copy_from(interp::ByteSource& in) const;
  // `text` with every mention of path() replaced by `word`.
  [[nodiscard]] std::string hide(std::string text, std::string_view word) const;

private:
  std::string path_;
};

}  // namespace pol::serve
