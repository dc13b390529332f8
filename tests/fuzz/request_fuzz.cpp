// Fuzz target for the server's request handlers (interpreter/serve/api.hpp): the first line
// is "METHOD PATH[?QUERY]" (the query as KEY=VALUE pairs joined by &), the rest the body. Every
// request gets a response with a status and, for an error, the JSON error object; nothing may
// crash, hang or throw. The served folder is the shipped policies/, read-only (no --edit), so
// no input writes a file.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "serve/api.hpp"

namespace {

pol::serve::Api& api() {
  static pol::serve::PolicyStore* store = [] {
    pol::serve::ServedRoot root;
    std::string error;
    if (!root.open(std::string(POL_SOURCE_DIR) + "/policies", error)) std::abort();
    return new pol::serve::PolicyStore(root);
  }();
  static pol::serve::Api a(*store, pol::serve::ApiOptions{false});
  return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nl = in.find('\n');
  std::string_view line = in.substr(0, nl);
  pol::serve::ApiRequest r;
  r.body = nl == std::string_view::npos ? std::string() : std::string(in.substr(nl + 1));
  std::size_t sp = line.find(' ');
  r.method = std::string(line.substr(0, sp));
  std::string_view target = sp == std::string_view::npos ? std::string_view("/api/v1/policies") : line.substr(sp + 1);
  std::size_t q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      std::size_t amp = query.find('&');
      std::string_view kv = query.substr(0, amp);
      std::size_t eq = kv.find('=');
      r.query.emplace_back(std::string(kv.substr(0, eq)), eq == std::string_view::npos ? std::string() : std::string(kv.substr(eq + 1)));
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
  }
  if (r.path.find("/batch") != std::string::npos && r.body.rfind("id,", 0) == 0) r.content_type = "text/csv";
  pol::serve::ApiResponse res = api().handle(r);
  if (std::getenv("POL_FUZZ_SHOW")) std::fprintf(stderr, "%s %s -> %d %.400s\n", r.method.c_str(), r.path.c_str(), res.status, res.body.c_str());
  if (res.status < 200 || res.status > 599) std::abort();
  if (res.status >= 400 && res.body.find("{\"error\":{\"kind\":") != 0) std::abort();
  if (res.status == 500) std::abort();  // a handler that failed: a bug, never an answer
  return 0;
}
