// cpp-httplib carries the API: routing by method, bodies read with limits, batch streamed in
// both directions, static pages, the token, the bounded pool and the stop on SIGTERM.
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

#include "base/files.hpp"
#include "base/messages.hpp"
#include "check/citation.hpp"
#include "serve/api.hpp"
#include "serve/body.hpp"
#include "serve/serve.hpp"

namespace pol::serve {

namespace {

// cpp-httplib 0.11 listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, fixed when Debian's
// library was compiled): when more clients connect at once than that, the kernel drops the
// others' SYNs and they wait a second for their retry (bench/serve_bench.sh's 16 or 20
// connections did, and the requests behind them took 0.2-0.4 s). Linux lets a listening
// socket's backlog be set again: the socket bound to `port` is found among the process's
// descriptors (the library keeps it private) and given the system's largest.
void widen_backlog(int port) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return;
  while (const dirent* e = ::readdir(dir)) {
    const int fd = std::atoi(e->d_name);
    if (fd <= 2 || fd == ::dirfd(dir)) continue;
    int listening = 0;
    socklen_t len = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    sockaddr_storage addr{};
    socklen_t alen = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) continue;
    int bound = -1;
    if (addr.ss_family == AF_INET) bound = ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
    else if (addr.ss_family == AF_INET6) bound = ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
    if (bound == port) (void)::listen(fd, SOMAXCONN);
  }
  ::closedir(dir);
}

thread_local bool t_shed = false;  // this thread answers connections past the queue's bound

// httplib's pool with a bound on the connections waiting: past it, a connection goes to one
// shedding thread that answers 429 and closes it.
class BoundedPool : public httplib::TaskQueue {
public:
  BoundedPool(std::size_t threads, std::size_t max_queued) : max_queued_(max_queued) {
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(jobs_, false); });
    threads_.emplace_back([this] { work(shed_, true); });
  }
  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(m_);
      (jobs_.size() >= max_queued_ ? shed_ : jobs_).push_back(std::move(fn));
    }
    cv_.notify_all();
  }
  void shutdown() override {
    {
      std::lock_guard lock(m_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

private:
  void work(std::deque<std::function<void()>>& q, bool shed) {
    t_shed = shed;
    while (true) {
      std::function<void()> fn;
      {
        std::unique_lock lock(m_);
        cv_.wait(lock, [&] { return stop_ || !q.empty(); });
        if (q.empty()) return;  // stopping, and nothing left
        fn = std::move(q.front());
        q.pop_front();
      }
      fn();
    }
  }
  std::size_t max_queued_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_, shed_;
  std::list<std::thread> threads_;
  bool stop_ = false;
};

void send(httplib::Response& res, const ApiResponse& a) {
  res.status = a.status;
  res.set_content(a.body, a.content_type.c_str());
}

// Sends `a` and closes the connection after it (a body left unread, a shed connection): the
// provider writes the whole body and then reports failure, which ends the connection.
void send_and_close(const httplib::Request& req, httplib::Response& res, const ApiResponse& a) {
  const_cast<httplib::Request&>(req).headers.emplace("Connection", "close");
  res.status = a.status;
  auto body = std::make_shared<std::string>(a.body);
  res.set_content_provider(body->size(), a.content_type.c_str(), [body](std::size_t off, std::size_t len, httplib::DataSink& sink) {
    sink.write(body->data() + off, len);
    return false;
  });
}

// %XX and '+' of a query's key or value.
std::string query_decode(std::string_view s) {
  auto hex = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

// The query of the request's target, each pair split at its first '=': cpp-httplib 0.11 keeps
// what follows the last one, so ?vary=jilin_years=0..20 lost the name that varies.
std::vector<std::pair<std::string, std::string>> query_of(const std::string& target) {
  std::vector<std::pair<std::string, std::string>> q;
  const std::size_t at = target.find('?');
  if (at == std::string::npos) return q;
  std::string_view rest = std::string_view(target).substr(at + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    q.emplace_back(query_decode(pair.substr(0, eq)), eq == std::string_view::npos ? "" : query_decode(pair.substr(eq + 1)));
  }
  return q;
}

ApiRequest to_api(const httplib::Request& req) {
  ApiRequest a;
  a.method = req.method;
  a.path = req.path;
  for (auto& [k, v] : query_of(req.target))
    if (k != "lang") a.query.emplace_back(std::move(k), std::move(v));  // the language of the answer (request_lang), any endpoint
  a.content_type = req.get_header_value("Content-Type");
  return a;
}

// The language a request asks its messages in: ?lang=zh|en, else the first language of
// Accept-Language that pol has, else (nullopt) the server's own. A ?lang= pol has not: false.
bool request_lang(const httplib::Request& req, std::optional<dsl::Lang>& lang) {
  lang.reset();
  for (const auto& [k, v] : query_of(req.target))
    if (k == "lang") return (lang = dsl::parse_lang(v)).has_value();
  const std::string header = req.get_header_value("Accept-Language");
  std::string_view accept = header;
  while (!accept.empty() && !lang) {
    const auto comma = accept.find(',');
    std::string_view tag = accept.substr(0, comma);
    tag = tag.substr(0, tag.find(';'));
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    lang = dsl::parse_lang(tag);
    accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
  }
  return true;
}

// Output bytes as chunks of at most kSliceBytes: cpp-httplib copies each chunk twice (its
// body, then with the chunk's size line) into new strings before sending it; a block's whole
// output is about 1 MiB. (Measured: the server's CPU the same within the noise at 64 KiB,
// 256 KiB and whole blocks; fewer writes are fewer checks of the socket, see stream_batch.)
bool write_slices(httplib::DataSink& sink, std::string_view b) {
  constexpr std::size_t kSliceBytes = std::size_t{256} << 10;
  for (std::size_t off = 0; off < b.size(); off += kSliceBytes)
    if (!sink.write(b.data() + off, std::min(kSliceBytes, b.size() - off))) return false;
  return true;
}

ApiResponse too_large(std::uint64_t limit) {
  return error_response({413, "too_large", "", dsl::textf(dsl::Msg::SrvBodyOverLimitOf, limit)});
}

// POST /batch: the body (`length` bytes, when the request says) read on a second thread and
// handed to the batch in memory (BytePipe: no kernel pipe, no system call per piece), the
// results written to `sink` as they come, both at once.
//
// cpp-httplib 0.11 checks the socket before each write by peeking at one byte, waiting for
// it when the socket looked readable: when the body's last bytes are taken by the reading
// thread between the check and the peek, the write waits for bytes that never come (the read
// timeout) and fails. So the reader holds the socket's lock over its last reads (the last
// kTailBytes of a body of known length), and a write takes it: no write checks the socket
// while the body ends. (A chunked request body does not say where it ends: its last read
// is not covered.) While the lock is held the pipe is written without waiting for room.
bool stream_batch(const BatchJob& job, const httplib::ContentReader& body, std::uint64_t limit,
                  std::optional<std::uint64_t> length, httplib::DataSink& sink) {
  constexpr std::uint64_t kTailBytes = std::uint64_t{64} << 10;
  interp::BytePipe pipe;
  std::mutex socket_m;
  std::uint64_t total = 0;
  bool over = false;
  std::thread feeder([&] {
    std::unique_lock tail(socket_m, std::defer_lock);
    (void)body([&](const char* d, std::size_t n) {
      if ((total += n) > limit) return !(over = true);
      if (!pipe.write(d, n, !tail.owns_lock())) return false;
      if (length && !tail.owns_lock() && total + kTailBytes >= *length) tail.lock();
      return true;
    });
    pipe.close_write();
  });
  std::string error;
  int rc = Api::run_batch(job, pipe, [&](std::string_view b) {
    std::lock_guard lock(socket_m);
    return write_slices(sink, b);
  }, error);
  pipe.close_read();  // a feeder still writing stops
  feeder.join();
  if (rc != 0 || over) {  // after the status was sent: the last line says why the stream stopped
    ApiResponse e = error_response({over ? 413 : 400, over ? "too_large" : "bad_request", "", over ? too_large(limit).body : error});
    if (!over) {
      e.body.push_back('\n');
      sink.write(e.body.data(), e.body.size());
    }
    return false;
  }
  sink.done();
  return true;
}

// A POST or PUT with a body: read up to the endpoint's limit, then handled (batch: streamed).
void with_body(Api& api, const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
  ApiRequest a = to_api(req);
  const std::uint64_t limit = body_limit(a.method, a.path, a.content_type);
  if (req.is_multipart_form_data())
    return send_and_close(req, res, error_response({400, "bad_request", "", dsl::textf(dsl::Msg::SrvNoMultipart)}));
  if (req.has_header("Content-Length")) {
    const std::string& len = req.get_header_value("Content-Length");
    if (len.size() > 19 || std::strtoull(len.c_str(), nullptr, 10) > limit) return send_and_close(req, res, too_large(limit));
  }
  if (auto name = Api::batch_name(a.path); name && a.method == "POST") {
    auto job = std::make_shared<BatchJob>();
    if (auto e = api.prepare_batch(*name, a, *job)) return send_and_close(req, res, *e);
    httplib::ContentReader body = reader;
    std::optional<std::uint64_t> length;
    if (req.has_header("Content-Length")) length = std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10);
    res.set_chunked_content_provider("application/x-ndjson; charset=utf-8", [job, body, limit, length](std::size_t, httplib::DataSink& sink) {
      return stream_batch(*job, body, limit, length, sink);
    });
    return;
  }
  bool over = false;
  reader([&](const char* d, std::size_t n) {
    if (a.body.size() + n > limit) return !(over = true);
    a.body.append(d, n);
    return true;
  });
  if (over) return send_and_close(req, res, too_large(limit));
  send(res, api.handle(a));
}

// The workbench's pages: GET of any path outside /api, from the web folder.
void static_file(const ServedRoot* web, const httplib::Request& req, httplib::Response& res) {
  auto page = [&](int status, const std::string& title, const std::string& text) {
    res.status = status;
    res.set_content(fmt::format("<!doctype html><html lang=\"zh\"><meta charset=\"utf-8\"><title>{}</title><h1>{}</h1><p>{}</p></html>\n",
                                title, title, text),
                    "text/html; charset=utf-8");
  };
  if (!web)
    return page(404, "404", dsl::textf(dsl::Msg::SrvNoWebPages));
  std::string rel = req.path.substr(1);
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  std::string why;
  auto path = web->resolve(rel, true, why);
  if (!path) return page(404, "404", dsl::textf(dsl::Msg::SrvNoSuchPage));
  dsl::InputFile f;
  std::string error;
  if (!dsl::read_input_file(*path, std::size_t{64} << 20, "page", f, error)) return page(404, "404", dsl::textf(dsl::Msg::SrvNoSuchPage));
  res.set_content(f.text, content_type_of(*path));
}

std::atomic<httplib::Server*> g_server{nullptr};
int g_stop_pipe[2] = {-1, -1};

void on_signal(int) {
  char c = 1;
  if (g_stop_pipe[1] >= 0) (void)!::write(g_stop_pipe[1], &c, 1);
}

bool same_token(const std::string& given, const std::string& token) {
  if (given.size() != token.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < token.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ token[i]);
  return diff == 0;
}

}  // namespace

const char* content_type_of(const std::string& path) {
  static const std::pair<const char*, const char*> types[] = {
      {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"},
      {".pol", "text/plain; charset=utf-8"}, {".md", "text/markdown; charset=utf-8"}};
  for (const auto& [ext, type] : types) {
    std::string_view e(ext);
    if (path.size() >= e.size() && std::string_view(path).substr(path.size() - e.size()) == e) return type;
  }
  return "application/octet-stream";
}

int run_server(const ServeOptions& o, std::string& error) {
  ServedRoot root;
  if (!root.open(o.dir, error)) return 2;
  dsl::restrict_source_texts(root.real());  // no source text outside the folder is read for a request
  PolicyStore store(root);
  Api api(store, ApiOptions{o.edit});
  ServedRoot web;
  std::string web_error;
  const bool has_web = web.open(o.web_dir.empty() ? std::string("web") : o.web_dir, web_error);

  httplib::Server svr;
  svr.new_task_queue = [&o] { return new BoundedPool(static_cast<std::size_t>(o.threads), static_cast<std::size_t>(o.queue)); };
  svr.set_tcp_nodelay(true);
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with which a second server
  // on the same port starts too and the kernel shares the connections between the two.
  svr.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  svr.set_keep_alive_max_count(std::size_t{1} << 40);  // a keep-alive connection is never closed for its count: it keeps its thread (and that thread's caches)
  svr.set_keep_alive_timeout(o.keep_alive_seconds);
  svr.set_read_timeout(o.read_timeout_seconds, 0);
  svr.set_write_timeout(o.write_timeout_seconds, 0);
  svr.set_payload_max_length(kMaxBatchBytes);
  svr.set_pre_routing_handler([&o](const httplib::Request& req, httplib::Response& res) {
    std::optional<dsl::Lang> lang;  // this thread answers this request in its language
    const bool lang_ok = request_lang(req, lang);
    dsl::set_thread_lang(lang);
    if (t_shed) {
      res.set_header("Retry-After", "1");
      send_and_close(req, res, error_response({429, "overloaded", "", dsl::textf(dsl::Msg::SrvBusy)}));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!o.token.empty()) {
      const std::string& auth = req.get_header_value("Authorization");
      if (auth.rfind("Bearer ", 0) != 0 || !same_token(auth.substr(7), o.token)) {
        res.set_header("WWW-Authenticate", "Bearer");
        send(res, error_response({401, "unauthorized", "", dsl::textf(dsl::Msg::SrvNeedsToken)}));
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    if (!lang_ok && req.path.rfind("/api/", 0) == 0) {
      send(res, error_response({400, "bad_value", "lang", dsl::textf(dsl::Msg::SrvBadLang)}));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  auto plain = [&api](const httplib::Request& req, httplib::Response& res) { send(res, api.handle(to_api(req))); };
  auto body = [&api](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& r) { with_body(api, req, res, r); };
  const std::string api_paths = R"(/api(/.*)?)";
  svr.Get("/api/v1/openapi.json", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(kOpenApiJson, "application/json; charset=utf-8");
  });
  svr.Get(api_paths, plain);
  svr.Post(api_paths, plain);
  svr.Post(api_paths, body);
  svr.Put(api_paths, plain);
  svr.Put(api_paths, body);
  svr.Patch(api_paths, plain);
  svr.Patch(api_paths, body);
  svr.Delete(api_paths, plain);
  svr.Delete(api_paths, body);
  svr.Options(api_paths, plain);
  svr.Get(R"(/.*)", [&](const httplib::Request& req, httplib::Response& res) { static_file(has_web ? &web : nullptr, req, res); });
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || res.content_provider_) return;  // an error response already written
    ApiError e{res.status, "bad_request", "", dsl::textf(dsl::Msg::SrvCannotRead, res.status)};
    if (res.status == 413) e = {413, "too_large", "", dsl::textf(dsl::Msg::SrvBodyOverLimit)};
    if (res.status == 414) e = {414, "too_large", "", dsl::textf(dsl::Msg::SrvLineOverLimit)};
    if (res.status == 404) e = {404, "not_found", "", dsl::textf(dsl::Msg::SrvNoSuchPath, req.path)};
    if (res.status == 405) e = {405, "method_not_allowed", "", dsl::textf(dsl::Msg::SrvMethodNotServed, req.method)};
    send(res, error_response(e));
  });
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send(res, error_response({500, "internal", "", dsl::textf(dsl::Msg::SrvInternal)}));
  });

  int port = o.port;
  if (port == 0) port = svr.bind_to_any_port(o.host);
  else if (!svr.bind_to_port(o.host, port)) port = -1;
  if (port <= 0) {
    error = dsl::textf(dsl::Msg::SrvCannotListen, o.host, o.port, std::strerror(errno));
    return 2;
  }
  widen_backlog(port);
  if (::pipe2(g_stop_pipe, O_CLOEXEC) != 0) {
    error = dsl::textf(dsl::Msg::SrvNoStopSignal);
    return 2;
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  std::thread stopper([&svr] {
    char c;
    while (::read(g_stop_pipe[0], &c, 1) < 0 && errno == EINTR) {
    }
    svr.stop();
  });
  if (o.on_listening) o.on_listening(o.host, port);
  bool ok = svr.listen_after_bind();
  on_signal(0);  // the stopper ends too when listening ended by itself
  stopper.join();
  ::close(g_stop_pipe[0]);
  ::close(g_stop_pipe[1]);
  g_stop_pipe[0] = g_stop_pipe[1] = -1;
  (void)ok;
  return 0;
}

}  // namespace pol::serve
