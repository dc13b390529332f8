#pragma once
// Which program, rule files and date produced a report: every report (explain, diff, sweep)
// ends with it. The time generated is SOURCE_DATE_EPOCH when set, so that pages can be
// reproduced byte for byte.
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checked/checked.hpp"

namespace pol::interp {

class JsonWriter;

struct Provenance {
  std::string version;  // pol's
  struct File {
    std::string path, sha256;
  };
  std::vector<File> files;  // each policy's file checked, then those it extends
  std::string generated;    // UTC, "2025-08-01 12:00:00 UTC"
};

// The SHA-256 of `text`, as 64 lowercase hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view text);
// The files of `policies` (a file shared by two is listed once), generated at `generated`
// (seconds since 1970, UTC).
[[nodiscard]] Provenance make_provenance(const std::vector<const checked::Policy*>& policies, std::time_t generated);
// The time a page says it was generated: SOURCE_DATE_EPOCH when set, else now; a value that
// is not a whole number of seconds up to 9999-12-31 gives nullopt and the message in `error`.
[[nodiscard]] std::optional<std::time_t> generated_at(std::string& error);

// The lines a report prints: the pol version, each file with its SHA-256, `date_line` (the
// decision date and where it came from), the time generated.
[[nodiscard]] std::vector<std::string> provenance_lines(const Provenance& pr, const std::string& date_line);
// "provenance": {"pol_version", "files": [{"path", "sha256"}], "as_of", "generated"}.
void provenance_json(const Provenance& pr, std::optional<int> as_of, JsonWriter& w);

}  // namespace pol::interp
