// The server's pieces without HTTP: the paths a request may name, the request bodies, and the
// API handlers over the shipped policies (tests/serve/run.sh runs the same over HTTP).
#include <doctest/doctest.h>

#include <string>

#include "serve/api.hpp"
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
}
