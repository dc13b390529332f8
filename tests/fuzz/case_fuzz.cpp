// Fuzz target for the case path: bytes as a JSON case and as a CSV row, validated and
// evaluated against every shipped policy (found under policies/). Must never crash; every
// evaluation path (the reference walk, the traced walk used by explanations, the registers
// and, when it takes the case, int64) must give exactly the same outcome.
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "check/checker.hpp"
#include "eval/evaluator.hpp"
#include "explain/explain.hpp"

namespace {

struct Loaded {
  std::unique_ptr<pol::checked::Policy> policy;
  std::unique_ptr<pol::interp::CaseSchema> schema;
  std::unique_ptr<pol::interp::Program> program;
};

std::vector<Loaded>& policies() {
  static std::vector<Loaded> all = [] {
    std::vector<Loaded> v;
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(POL_SOURCE_DIR) + "/policies"))
      if (e.is_regular_file() && e.path().extension() == ".pol") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      auto r = pol::dsl::check_file(file);
      if (!r.policy) std::abort();
      Loaded l;
      l.policy = std::make_unique<pol::checked::Policy>(std::move(*r.policy));
      l.schema = std::make_unique<pol::interp::CaseSchema>(*l.policy);
      l.program = std::make_unique<pol::interp::Program>(*l.policy, 20301);  // 2025-08-01
      v.push_back(std::move(l));
    }
    return v;
  }();
  return all;
}

// An outcome, exactly: every value with its scale, or the error's kind, field and words.
std::string outcome_text(const pol::interp::Outcome& o) {
  if (o.error) return std::to_string(static_cast<int>(o.error->kind)) + o.error->field + ":" + o.error->message;
  std::string s;
  for (const auto& [r, v] : o.outputs) s += std::to_string(r) + "=" + v.to_string() + ";";
  return s;
}

void run(Loaded& l, pol::interp::Case& c) {
  using pol::interp::EvalPath;
  pol::interp::Evaluator ref(*l.program, EvalPath::Reference), reg(*l.program, EvalPath::Registers),
      whole(*l.program, EvalPath::Int64);
  auto outputs = l.policy->outputs();
  std::optional<pol::interp::EvalError> invalid, invalid_whole;
  pol::interp::Outcome vr, vw;
  ref.validate_and_evaluate(c, outputs, vr, invalid);
  whole.validate_and_evaluate(c, outputs, vw, invalid_whole);
  if (invalid.has_value() != invalid_whole.has_value()) std::abort();
  if (!invalid && outcome_text(vr) != outcome_text(vw)) std::abort();
  pol::interp::Outcome slow, a, b, w;
  pol::interp::Trace trace;
  ref.evaluate(c, outputs, a);
  reg.evaluate(c, outputs, b);
  whole.evaluate(c, outputs, w);
  ref.evaluate_traced(c, outputs, slow, trace);
  const std::string want = outcome_text(a);
  if (outcome_text(b) != want || outcome_text(w) != want || outcome_text(slow) != want) std::abort();
  if (!invalid && !slow.error) {
    auto e = pol::interp::build_explanation(*l.program, c, slow, trace, "fuzz");
    (void)pol::interp::render_text(*l.policy, e);
    (void)pol::interp::render_json(*l.policy, e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string padded = text + std::string(pol::interp::JsonCaseReader::kPadding, ' ');
  for (auto& l : policies()) {
    pol::interp::Case c;
    pol::interp::CaseError err;
    pol::interp::JsonCaseReader json(*l.schema);
    if (json.read(std::string_view(padded.data(), text.size()), padded.size(), c, err)) run(l, c);
    // The same bytes as a CSV row under a header naming every input.
    pol::interp::CsvCaseReader csv(*l.schema);
    std::string header = "id";
    for (const auto& in : l.policy->inputs) header += "," + in.name;
    if (!csv.read_header(header, err)) std::abort();
    std::string_view line(text);
    if (auto nl = line.find('\n'); nl != std::string_view::npos) line = line.substr(0, nl);
    if (csv.read(line, c, err)) run(l, c);
  }
  return 0;
}
