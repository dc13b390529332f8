#pragma once
// Request bodies, read with simdjson into plain structs before any stage runs. Every problem
// is an ApiError naming the key at fault; a body nested deeper than kMaxJsonDepth, a key the
// endpoint does not take, a value of the wrong JSON type are each refused with their own
// words. The case itself is kept as JSON text and read by cases/ (JsonCaseReader), as
// `pol eval` reads a case file, so the validation and the error kinds are the CLI's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pol::serve {

// An error response: the HTTP status and {"error": {"kind", "field", "message"}}.
struct ApiError {
  int status = 400;
  std::string kind, field, message;
};

inline constexpr std::size_t kMaxJsonDepth = 64;
inline constexpr std::size_t kMaxInlineCases = 100'000;  // POST /diff "cases" given inline

// The body of /eval, /explain, /why-not: {"case": {...}, "at", "set", "outputs", "readings"},
// and for /explain "names" and "depth", for /why-not "output", "value" and "fix".
struct CaseRequest {
  std::string case_json;
  std::string at;
  std::vector<std::pair<std::string, std::string>> sets;  // NAME, VALUE as text
  std::vector<std::string> outputs;
  std::vector<std::pair<std::string, std::string>> readings;
  bool names = false;
  std::uint64_t depth = 0;
  std::string output;
  std::optional<std::string> value;
  std::vector<std::string> fix;
};
enum class CaseEndpoint { Eval, Explain, WhyNot };
[[nodiscard]] std::optional<ApiError> parse_case_request(std::string_view body, CaseEndpoint endpoint, CaseRequest& out);

// POST /diff: {"a", "b", "at", "outputs", "cases": [ {...}, ... ] or "JSON Lines text"}.
struct DiffRequest {
  std::string a, b, at;
  std::vector<std::string> outputs;
  bool has_cases = false;
  std::string cases_jsonl;  // the cases as JSON Lines
};
[[nodiscard]] std::optional<ApiError> parse_diff_request(std::string_view body, DiffRequest& out);

// POST /check: {"text", "path"}.
struct CheckRequest {
  std::string text, path;
};
[[nodiscard]] std::optional<ApiError> parse_check_request(std::string_view body, CheckRequest& out);

// PUT /files/{path}: {"text", "replaces": SHA-256 or null for a new file, "save_anyway"}.
struct FileWriteRequest {
  std::string text;
  std::optional<std::string> replaces;
  bool save_anyway = false;
};
[[nodiscard]] std::optional<ApiError> parse_file_write(std::string_view body, FileWriteRequest& out);

}  // namespace pol::serve
