// The server's pieces without HTTP: the paths a request may name, the request bodies, and the
// API handlers over the shipped policies (tests/serve/run.sh runs the same over HTTP).
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include <simdjson.h>

#include "serve/api.hpp"
#include "serve/serve.hpp"
#include "serve/paths.hpp"
#include "serve/request.hpp"

using namespace pol::serve;

namespace {

ServedRoot shipped() {
  ServedRoot root;
  std::string error;
  REQUIRE_MESSAGE(root.open(std::string(POL_SOURCE_DIR) + "/policies", error), error);
  return root;
}

ApiResponse call(Api& api, std::string method, std::string path, std::string body = {}) {
  ApiRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  return api.handle(r);
}

}  // namespace

TEST_SUITE("serve") {
  TEST_CASE("paths stay inside the served folder") {
    ServedRoot root = shipped();
    std::string why;
    CHECK(root.resolve("jilin_2025.pol", true, why));
    CHECK(root.resolve("regions/changchun_2025.pol", true, why));
    CHECK(root.resolve("regions/new.pol", false, why));
    for (const char* bad : {"", "/etc/passwd", "../CMakeLists.txt", "regions/../jilin_2025.pol", "./jilin_2025.pol",
                            "regions//x.pol", "a\\b.pol", "nowhere/x.pol"}) {
      CAPTURE(bad);
      CHECK_FALSE(root.resolve(bad, false, why));
    }
    CHECK_FALSE(root.resolve("missing.pol", true, why));
    CHECK(root.strip("cannot open '/etc/x': no such file") == "cannot open '(outside the served folder)': no such file");
  }

  TEST_CASE("request bodies: each problem names its key") {
    CaseRequest q;
    auto e = parse_case_request(R"({"case": {"a": 1}, "at": 3})", CaseEndpoint::Eval, q);
    REQUIRE(e);
    CHECK(e->kind == "wrong_type");
    CHECK(e->field == "at");
    CaseRequest q2;
    e = parse_case_request(R"({"case": {}, "output": "x"})", CaseEndpoint::Eval, q2);
    REQUIRE(e);
    CHECK(e->kind == "unknown_field");
    CHECK(e->field == "output");
    CaseRequest q3;
    CHECK_FALSE(parse_case_request(R"({"case": {"gender": "女"}, "set": {"r": 6.5, "s": "7%"}, "output": "o", "fix": ["g"]})",
                                   CaseEndpoint::WhyNot, q3));
    CHECK(q3.sets.size() == 2);
    CHECK(q3.sets[0].second == "6.5");
    CHECK(q3.fix.size() == 1);
    FileWriteRequest w;
    e = parse_file_write(R"({"text": "x"})", w);
    REQUIRE(e);
    CHECK(e->field == "replaces");
  }

  TEST_CASE("the API answers every endpoint, errors as JSON") {
    PolicyStore store(shipped());
    Api api(store, ApiOptions{false});
    CHECK(call(api, "GET", "/api/v1/policies").status == 200);
    CHECK(call(api, "GET", "/api/v1/policies/jilin_2025").status == 200);
    auto r = call(api, "GET", "/api/v1/policies/jilin2025");
    CHECK(r.status == 404);
    CHECK(r.body.find("did you mean 'jilin_2025'") != std::string::npos);
    CHECK(call(api, "POST", "/api/v1/policies").status == 405);
    CHECK(call(api, "PUT", "/api/v1/files/jilin_2025.pol", R"({"text": "", "replaces": null})").status == 405);
    r = call(api, "POST", "/api/v1/policies/jilin_2025/eval", R"({"case": {"gendr": "male"}})");
    CHECK(r.status == 400);
    CHECK(r.body.rfind(R"({"error":{"kind":"unknown_field","field":"gendr",)", 0) == 0);
    r = call(api, "POST", "/api/v1/check", R"({"text": "policy x \"X\"\n", "path": "x.pol"})");
    CHECK(r.status == 200);
    r = call(api, "POST", "/api/v1/diff", R"({"a": "jilin_2025", "b": "jilin_2025"})");
    CHECK(r.status == 200);
  }

  TEST_CASE("docs/openapi.json documents every route the router serves, and no other") {
    simdjson::dom::parser parser;
    const simdjson::padded_string text{std::string(kOpenApiJson)};
    simdjson::dom::element doc = parser.parse(text);
    std::set<std::string> documented, served;
    simdjson::dom::object paths;
    REQUIRE_FALSE(doc["paths"].get_object().get(paths));
    for (auto [path, item] : paths) {
      simdjson::dom::object ops;
      REQUIRE_FALSE(item.get_object().get(ops));
      for (auto [method, op] : ops) {
        if (method == "parameters") continue;
        std::string m(method);
        std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        documented.insert(m + " " + std::string(path));
      }
    }
    PolicyStore store(shipped());
    Api api(store, ApiOptions{true});
    for (const auto& r : Api::routes()) {
      std::string methods = r.methods;
      for (std::size_t pos = 0; pos < methods.size();) {
        std::size_t end = std::min(methods.find(' ', pos), methods.size());
        served.insert(methods.substr(pos, end - pos) + " " + r.path);
        pos = end + 1;
      }
      // The router answers the route (any status but a 404 for the path itself).
      std::string path = std::string("/api/v1") + r.path;
      for (auto [from, to] : {std::pair{"{name}", "jilin_2025"}, std::pair{"{path}", "jilin_2025.pol"}})
        if (auto k = path.find(from); k != std::string::npos) path.replace(k, std::string(from).size(), to);
      auto res = call(api, methods.substr(0, methods.find(' ')), path, "{}");
      CHECK_MESSAGE(res.body.find("no such path") == std::string::npos, path);
    }
    CHECK(documented == served);
    CHECK(call(api, "POST", "/api/v1/policies/jilin_2025/undocumented").status == 404);
  }
}
