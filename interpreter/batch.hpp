#pragma once
// `pol batch`: many cases, streaming. Input is read in chunks of lines; a round of chunks is
// evaluated by the worker threads, and the outputs are written in input order before the next
// round is read, so memory depends on the chunk size and the number of jobs, never on the
// number of cases. Every input line that holds a case gives exactly one output line: its
// outputs, or the error that stopped it. Blank lines hold no case and give none.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "evaluator.hpp"

namespace pol::interp {

struct BatchOptions {
  std::string cases_path;  // "-" for standard input (JSON Lines)
  std::string out_path;    // empty: standard output
  int jobs = 0;            // 0: the machine's cores
  std::vector<std::uint32_t> outputs;
  std::optional<int> at;
  std::vector<ParamSetting> sets;
  bool csv_out = false;
  bool progress = true;
  std::size_t chunk_lines = 8192;
};

struct BatchSummary {
  std::uint64_t cases = 0, errors = 0;
  std::vector<std::pair<std::string, std::uint64_t>> errors_by_kind;
  double seconds = 0;
};

// Returns 0, or 2 with `error` set when the input cannot be read or the output written.
[[nodiscard]] int run_batch(const checked::Policy& policy, const BatchOptions& opt, BatchSummary& summary,
                            std::string& error);

// Formats one case's outputs as a JSON Lines record (no line end).
void append_outputs_json(std::string& out, const checked::Policy& p, const Outcome& o);

}  // namespace pol::interp
