#pragma once
// What every unit test sets up the same way: a checked policy (from text, from a file under the
// source directory, or the shared fixture tests/unit/fixture.pol) with its case schema, cases
// read from JSON, and diagnostics as text for failure messages.
//
// The fixture policy is small but has every kind of declaration: two enums, inputs with
// defaults and bounds, effective-dated parameters, outputs using match, max, round, and/or,
// comments and a test block. Tests that need another policy write it inline.
#include <memory>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "cases/case.hpp"
#include "checked/checked.hpp"

namespace pol::test {

// The source directory's path joined with `rel` ("policies/jilin_2025.pol").
[[nodiscard]] std::string source_path(const std::string& rel);
// Every shipped policy and region (policies/**.pol), relative to the source directory, sorted.
[[nodiscard]] std::vector<std::string> shipped_policies();
// The fixture's path, and its text.
[[nodiscard]] std::string fixture_path();
[[nodiscard]] std::string read_text(const std::string& path);

// Every diagnostic rendered as pol check prints it; only the errors when `errors_only`.
[[nodiscard]] std::string diagnostics_text(const std::vector<dsl::Diagnostic>& diags, bool errors_only = false);

// The Mode and Gender enums the inline test policies declare (as the fixture does).
extern const char* const kEnums;

// A policy that checked without errors, and its case schema.
struct Loaded {
  std::unique_ptr<checked::Policy> policy;
  std::unique_ptr<interp::CaseSchema> schema;
};

// Checks `src` (as a file named `name`); the test stops, showing the errors, unless it checks.
[[nodiscard]] Loaded load_source(const std::string& src, const std::string& name = "t.pol");
// The same for a file under the source directory.
[[nodiscard]] Loaded load_file(const std::string& rel);
[[nodiscard]] Loaded load_fixture();

// Reads one JSON case with `schema`; false with `err` filled when it does not load.
[[nodiscard]] bool read_json_case(const interp::CaseSchema& schema, const std::string& json, interp::Case& c,
                                  interp::CaseError& err);

// A directory of its own under the system temp directory (`name` and the process id, with a
// `regions` folder), removed at the end; write() puts a file in it and gives its path.
struct TempDir {
  std::string path;
  explicit TempDir(const std::string& name);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string write(const std::string& rel, const std::string& text) const;
};

}  // namespace pol::test
