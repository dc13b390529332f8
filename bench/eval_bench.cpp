// pol_bench_eval: the evaluator alone. Loads a policy and a JSON Lines file of cases, parses
// every case first, then times Evaluator::evaluate over all of them on one thread, repeating
// until at least --seconds have passed, and prints cases per second (median of --runs runs).
//   pol_bench_eval POLICY CASES.jsonl [--at YYYY-MM-DD] [--runs N] [--seconds S]
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "cases/case.hpp"
#include "check/checker.hpp"
#include "eval/evaluator.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: pol_bench_eval POLICY CASES.jsonl [--at YYYY-MM-DD] [--runs N] [--seconds S]\n");
    return 2;
  }
  std::optional<int> at;
  int runs = 5;
  double seconds = 1.0;
  for (int i = 3; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--at")) at = pol::parse_date(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
  }
  auto r = pol::dsl::check_file(argv[1]);
  if (!r.policy) {
    std::fprintf(stderr, "pol_bench_eval: %s has errors\n", argv[1]);
    return 1;
  }
  const auto& policy = *r.policy;
  pol::interp::CaseSchema schema(policy);
  pol::interp::JsonCaseReader reader(schema);
  std::vector<pol::interp::Case> cases;
  std::ifstream in(argv[2], std::ios::binary);
  std::string line;
  std::size_t bad = 0;
  while (std::getline(in, line)) {
    std::size_t n = line.size();
    line.append(pol::interp::JsonCaseReader::kPadding, ' ');
    pol::interp::Case c;
    pol::interp::CaseError err;
    if (reader.read(std::string_view(line.data(), n), line.size(), c, err)) cases.push_back(std::move(c));
    else ++bad;
  }
  if (cases.empty()) {
    std::fprintf(stderr, "pol_bench_eval: no valid cases in %s\n", argv[2]);
    return 2;
  }
  pol::interp::Program program(policy, at);
  pol::interp::Evaluator ev(program);
  auto outputs = policy.outputs();
  pol::interp::Outcome out;
  std::vector<double> rates, cpu_rates;
  // CPU time of this thread: on a loaded machine, wall time also counts the waiting.
  auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  std::uint64_t checksum = 0;
  for (int run = 0; run < runs; ++run) {
    std::uint64_t n = 0;
    auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_now();
    double elapsed = 0;
    do {
      for (const auto& c : cases) {
        ev.evaluate(c, outputs, out);
        checksum += static_cast<std::uint64_t>(out.outputs.empty() ? 0 : out.outputs.back().second.coef());
      }
      n += cases.size();
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (elapsed < seconds);
    rates.push_back(static_cast<double>(n) / elapsed);
    cpu_rates.push_back(static_cast<double>(n) / (cpu_now() - cpu_start));
  }
  std::sort(rates.begin(), rates.end());
  std::sort(cpu_rates.begin(), cpu_rates.end());
  fmt::print("pol_bench_eval: {} cases ({} skipped as invalid), {} outputs each, median of {} runs: {:.0f} cases/s "
             "(checksum {}); per second of CPU time: {:.0f} cases\n",
             cases.size(), bad, outputs.size(), runs, rates[rates.size() / 2], checksum % 1000,
             cpu_rates[cpu_rates.size() / 2]);
  return 0;
}
