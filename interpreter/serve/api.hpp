#pragma once
// The HTTP API of `pol serve` (docs/api.md), without HTTP: a request is a method, a path under
// /api/v1, the query and the body; a response is a status, a content type and a body. The
// handlers parse the request (request.hpp), call the same stages as the command line (the
// checked programs of the store, the evaluator, cases/, explain/, search/, compare/, batch/)
// and render with the same renderers. http.cpp carries these over cpp-httplib; the fuzz
// target and the unit test call them directly. No handler throws: a bug in one is a 500 with
// no detail, never a crash of the server.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "batch/batch.hpp"
#include "report/provenance.hpp"
#include "serve/request.hpp"
#include "serve/store.hpp"

namespace pol::serve {

struct ApiRequest {
  std::string method, path;
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::string body;
  std::string content_type;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
};

[[nodiscard]] ApiResponse error_response(const ApiError& e);

// The largest body each endpoint reads: a larger one is a 413 before it is read.
inline constexpr std::size_t kMaxCaseRequestBytes = std::size_t{1} << 20;       // eval, explain, why-not
inline constexpr std::size_t kMaxFileRequestBytes = std::size_t{9} << 20;       // check, files (escaped text)
inline constexpr std::size_t kMaxDiffRequestBytes = std::size_t{64} << 20;      // diff with inline cases
inline constexpr std::uint64_t kMaxBatchBytes = std::uint64_t{16} << 30;        // batch, streamed
inline constexpr std::size_t kMaxPopulationBytes = std::size_t{64} << 20;       // readings of a population
inline constexpr std::size_t kMaxWorkbookBytes = std::size_t{64} << 20;         // an Excel body (batch, diff, readings)
// `content_type`: a workbook (Excel) body has its own limit, a population for /readings too.
[[nodiscard]] std::uint64_t body_limit(std::string_view method, std::string_view path, std::string_view content_type = {});

struct ApiOptions {
  bool edit = false;  // PUT /files/{path} allowed
};

// A POST /policies/{name}/batch ready to stream: the policy and the options from the query.
struct BatchJob {
  std::shared_ptr<const Served> served;
  interp::BatchOptions opt;
  bool csv_in = false;
  bool xlsx_in = false;  // an Excel workbook: held in a temporary file, then read as CSV (sheets/)
};

// One path of the API (under /api/v1, as docs/openapi.json names it) and the methods it takes.
// The router serves exactly these; the unit test holds the OpenAPI file to the same list.
struct Route {
  const char* methods;  // "POST", "GET PUT"
  const char* path;     // "/policies/{name}/eval"
};

class Api {
public:
  [[nodiscard]] static const std::vector<Route>& routes();
  Api(PolicyStore& store, ApiOptions options) : store_(store), options_(options) {}
  [[nodiscard]] ApiResponse handle(const ApiRequest& r) noexcept;
  // The policy name when `path` is /api/v1/policies/{name}/batch.
  [[nodiscard]] static std::optional<std::string> batch_name(std::string_view path);
  // The job, or the error response (unknown policy, a bad query); `content_type` "text/csv"
  // (or ?input=csv) reads CSV, the Excel workbook type (or ?input=xlsx) a workbook's sheet
  // (?sheet=NAME, else the first), anything else JSON Lines.
  [[nodiscard]] std::optional<ApiResponse> prepare_batch(const std::string& name, const ApiRequest& r, BatchJob& job) noexcept;
  // Streams the cases read from `in` (the request body) to `write`, one JSON line each; 0, or
  // 2 with `error` (the input could not be read, a CSV header could not be read, or `write` stopped).
  [[nodiscard]] static int run_batch(const BatchJob& job, interp::ByteSource& in, const interp::BatchWrite& write,
                                     std::string& error) noexcept;
  [[nodiscard]] PolicyStore& store() { return store_; }

private:
  ApiResponse route(const ApiRequest& r);
  ApiResponse list_policies();
  ApiResponse describe(const std::string& name);
  ApiResponse run_case(const std::string& name, const std::string& action, const ApiRequest& r);
  ApiResponse diff(const ApiRequest& r);
  ApiResponse sweep(const std::string& name, const ApiRequest& r);  // api_sweep.cpp
  ApiResponse readings(const std::string& name, const ApiRequest& r);
  ApiResponse doc(const std::string& name, const ApiRequest& r);  // api_doc.cpp
  ApiResponse check(const ApiRequest& r);
  ApiResponse read_file(const std::string& rel);
  ApiResponse write_file(const std::string& rel, const ApiRequest& r);
  // The served policy `name` without errors, or the error response (404, 422).
  std::shared_ptr<const Served> usable(const std::string& name, ApiResponse& error);
  PolicyStore& store_;
  ApiOptions options_;
};

// The provenance of a report the server renders: generated now (or at SOURCE_DATE_EPOCH), the
// files named by their paths in the served folder.
[[nodiscard]] interp::Provenance served_provenance(const ServedRoot& root, const std::vector<const checked::Policy*>& policies);

// GET /policies/{name}: the policy described for a form or a report (describe.cpp).
[[nodiscard]] std::string describe_policy(const Served& s, const ServedRoot& root);
// One entry of GET /policies.
void list_entry(const Served& s, const ServedRoot& root, std::string& out);
// Diagnostics as JSON: file (relative to the folder), line, column, end, span, code, severity,
// message.
[[nodiscard]] std::string diagnostics_json(const std::vector<dsl::Diagnostic>& ds, const ServedRoot& root);

}  // namespace pol::serve
