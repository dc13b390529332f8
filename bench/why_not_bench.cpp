// pol_bench_why_not: the --why-not search alone. Loads a policy and case files (JSON, one
// case each), and for every case and every output (or the one named) times why_not(), the
// search `pol explain --why-not OUTPUT` runs, best of --runs runs; prints the milliseconds
// per case and output, the slowest, and the cases tried. With --value, the search is for that
// value of the one output named (as `--why-not NAME=VALUE`).
//   pol_bench_why_not POLICY CASE.json... [--output NAME [--value VALUE]] [--runs N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "check/checker.hpp"
#include "search/search.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: pol_bench_why_not POLICY CASE.json... [--output NAME [--value VALUE]] [--runs N]\n");
    return 2;
  }
  std::vector<std::string> files;
  std::string only, value;
  int runs = 3;
  for (int i = 2; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--output") && i + 1 < argc) only = argv[++i];
    else if (!std::strcmp(argv[i], "--value") && i + 1 < argc) value = argv[++i];
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else files.emplace_back(argv[i]);
  }
  auto r = pol::dsl::check_file(argv[1]);
  if (!r.policy) {
    std::fprintf(stderr, "pol_bench_why_not: %s has errors\n", argv[1]);
    return 1;
  }
  const auto& policy = *r.policy;
  std::vector<std::uint32_t> outputs;
  for (std::uint32_t i = 0; i < policy.rules.size(); ++i)
    if (policy.rules[i].is_output && (only.empty() || policy.rules[i].name == only)) outputs.push_back(i);
  if (outputs.empty()) {
    std::fprintf(stderr, "pol_bench_why_not: no output '%s'\n", only.c_str());
    return 2;
  }
  std::optional<pol::checked::Value> target;
  if (!value.empty()) {
    std::string why;
    if (only.empty() || !(target = pol::dsl::parse_value(policy, policy.rules[outputs[0]].type, value, why))) {
      std::fprintf(stderr, "pol_bench_why_not: --value needs --output and a value of it %s\n", why.c_str());
      return 2;
    }
  }
  pol::interp::CaseSchema schema(policy);
  pol::interp::JsonCaseReader reader(schema);
  double total = 0, slowest = 0;
  std::size_t timed = 0, cases = 0;
  std::uint64_t tried = 0;
  std::string slowest_at;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    std::size_t n = text.size();
    text.append(pol::interp::JsonCaseReader::kPadding, ' ');
    pol::interp::Case c;
    pol::interp::CaseError err;
    if (!reader.read(std::string_view(text.data(), n), text.size(), c, err)) {
      std::fprintf(stderr, "pol_bench_why_not: %s skipped: %s\n", f.c_str(), err.message.c_str());
      continue;
    }
    pol::interp::Program program(policy, c.as_of);
    pol::interp::Evaluator ev(program);
    if (ev.validate(c)) {
      std::fprintf(stderr, "pol_bench_why_not: %s skipped: not a valid case\n", f.c_str());
      continue;
    }
    ++cases;
    for (auto o : outputs) {
      double best = 1e9;
      for (int run = 0; run < runs; ++run) {
        auto start = std::chrono::steady_clock::now();
        auto w = pol::interp::why_not(program, c, o, target, {});
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        best = std::min(best, ms);
        if (run == 0) tried += w.tried;
      }
      total += best;
      ++timed;
      if (best > slowest) slowest = best, slowest_at = fmt::format("{} {}", f, policy.rules[o].name);
    }
  }
  if (timed == 0) {
    std::fprintf(stderr, "pol_bench_why_not: nothing timed\n");
    return 2;
  }
  fmt::print("pol_bench_why_not: {} cases × {} outputs, best of {} runs: {:.2f} ms per case and output on average, "
             "{:.2f} ms per case for all {} outputs; slowest {:.2f} ms ({}); {} candidate cases tried in all\n",
             cases, outputs.size(), runs, total / static_cast<double>(timed),
             total / static_cast<double>(cases), outputs.size(), slowest, slowest_at, tried);
  return 0;
}
