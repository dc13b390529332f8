#pragma once
// `pol serve`: the HTTP server over the API (api.hpp) and the workbench's static pages.
//
// Threads: a pool sized for keep-alive connections (each connection holds a thread while it
// is open, so the pool is larger than the expected clients), with a bounded queue of accepted
// connections; past that bound a connection is answered 429 by one shedding thread and closed,
// so a flood or slow clients never hold every thread. A connection idle for the keep-alive
// timeout, or a read or write stalled for the read or write timeout, is closed. Nagle's
// algorithm is off (TCP_NODELAY): small responses go out at once. SIGTERM or SIGINT stops
// accepting, lets the requests in flight finish, then returns.
#include <functional>
#include <string>

namespace pol::serve {

struct ServeOptions {
  std::string dir = "policies";
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (printed)
  bool edit = false;
  std::string token;    // required as "Authorization: Bearer TOKEN" when not empty
  std::string web_dir;  // the workbench's pages; empty: web/ of the working directory
  int threads = 64;
  int queue = 256;
  int keep_alive_seconds = 5, read_timeout_seconds = 10, write_timeout_seconds = 10;
  // Called once the socket listens, with the port (the test and --port 0 read it).
  std::function<void(const std::string& host, int port)> on_listening;
};

// Serves until SIGTERM or SIGINT: 0, or 2 with `error` (the folder, the address).
[[nodiscard]] int run_server(const ServeOptions& o, std::string& error);

// docs/openapi.json, built into the program (served at /api/v1/openapi.json).
extern const char* const kOpenApiJson;

// The content type of a static file, from its extension.
[[nodiscard]] const char* content_type_of(const std::string& path);

}  // namespace pol::serve
