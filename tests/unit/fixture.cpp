#include "fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

#include "check/checker.hpp"

namespace pol::test {

std::string source_path(const std::string& rel) { return std::string(POL_SOURCE_DIR) + "/" + rel; }

std::vector<std::string> shipped_policies() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(source_path("policies")))
    if (e.is_regular_file() && e.path().extension() == ".pol")
      out.push_back(std::filesystem::relative(e.path(), POL_SOURCE_DIR).generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string fixture_path() { return source_path("tests/unit/fixture.pol"); }

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string diagnostics_text(const std::vector<dsl::Diagnostic>& diags, bool errors_only) {
  std::string s;
  for (const auto& d : diags)
    if (!errors_only || d.severity == dsl::Severity::Error) s += dsl::render(d);
  return s;
}

const char* const kEnums = R"(enum Mode "参保模式" {
  combined     "统账结合"
  pooling_only "单建统筹"
}

enum Gender "性别" {
  male   "男"
  female "女"
}
)";

namespace {

Loaded loaded(dsl::CheckResult r) {
  INFO(diagnostics_text(r.diagnostics, true));
  REQUIRE(r.policy.has_value());
  Loaded l;
  l.policy = std::make_unique<checked::Policy>(std::move(*r.policy));
  l.schema = std::make_unique<interp::CaseSchema>(*l.policy);
  return l;
}

}  // namespace

Loaded load_source(const std::string& src, const std::string& name) {
  return loaded(dsl::check_source(std::make_shared<dsl::SourceFile>(name, src)));
}

Loaded load_file(const std::string& rel) { return loaded(dsl::check_file(source_path(rel))); }

Loaded load_fixture() { return load_file("tests/unit/fixture.pol"); }

bool read_json_case(const interp::CaseSchema& schema, const std::string& json, interp::Case& c,
                    interp::CaseError& err) {
  std::string padded = json + std::string(interp::JsonCaseReader::kPadding, ' ');
  interp::JsonCaseReader reader(schema);
  return reader.read(std::string_view(padded.data(), json.size()), padded.size(), c, err);
}

TempDir::TempDir(const std::string& name) {
  path = (std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()))).string();
  std::filesystem::create_directories(std::filesystem::path(path) / "regions");
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string TempDir::write(const std::string& rel, const std::string& text) const {
  auto file = std::filesystem::path(path) / rel;
  std::ofstream(file, std::ios::binary) << text;
  return file.string();
}

}  // namespace pol::test
