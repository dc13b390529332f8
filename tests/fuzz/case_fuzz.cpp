// Fuzz target for the case path: bytes as a JSON case and as a CSV row, validated and
// evaluated against the shipped policies. Must never crash; the fast evaluation and the
// traced one (used by explanations) must agree on every value.
#include <cstdint>
#include <cstdlib>
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
    for (const char* rel : {"/policies/jilin_2025.pol", "/policies/mohrss_2003.pol", "/policies/regions/changchun_2025.pol"}) {
      auto r = pol::dsl::check_file(std::string(POL_SOURCE_DIR) + rel);
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

void run(Loaded& l, pol::interp::Case& c) {
  pol::interp::Evaluator ev(*l.program);
  if (ev.validate(c)) return;
  auto outputs = l.policy->outputs();
  pol::interp::Outcome fast, slow;
  pol::interp::Trace trace;
  ev.evaluate(c, outputs, fast);
  ev.evaluate_traced(c, outputs, slow, trace);
  if (fast.error.has_value() != slow.error.has_value()) std::abort();
  if (!fast.error) {
    for (std::size_t i = 0; i < fast.outputs.size(); ++i)
      if (compare(fast.outputs[i].second, slow.outputs[i].second) != 0) std::abort();
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
