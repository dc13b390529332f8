#pragma once
// `pol batch`: many cases, streaming. Input is read in blocks of whole lines; each worker
// thread takes the next block, evaluates it, and the outputs are written in input order by
// whichever thread holds the next one, with at most two blocks per thread in flight, so memory
// depends on the block size and the number of jobs, never on the number of cases. Every input line that holds a case gives exactly one output line: its
// outputs, or the error that stopped it. Blank lines hold no case and give none.
#include <cstdio>
#include <functional>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

#include "cases/byte_source.hpp"
#include "eval/evaluator.hpp"

namespace pol::interp {

struct BatchOptions {
  std::string cases_path;  // "-" for standard input (JSON Lines)
  std::string out_path;    // empty or "-": standard output; a file is written whole or not at all
  std::vector<std::string> inputs;  // files the output must not be (the rule file and those it extends)
  int jobs = 0;            // 0: the machine's cores
  std::vector<std::uint32_t> outputs;
  std::optional<int> at;
  std::vector<ParamSetting> sets;
  bool csv_out = false;
  bool xlsx_out = false;    // an Excel workbook (out_path ends in .xlsx)
  bool labels = false;      // outputs named by their labels, enum values by theirs
  std::string encoding;     // --encoding of a CSV (empty: detect)
  std::string sheet;        // --sheet of a workbook (empty: the first)
  bool progress = true;
  std::size_t block_bytes = std::size_t{1} << 20;  // input is read in blocks of about this size
  std::uint64_t line_offset = 0;  // added to every line number (a shard of a larger file)
};

struct BatchSummary {
  std::uint64_t cases = 0, errors = 0;
  std::vector<std::pair<std::string, std::uint64_t>> errors_by_kind;
  double seconds = 0;
};

// Returns 0, or 2 with `error` set when the input cannot be read or the output cannot be
// written (a closed pipe, a full disk: the error names the destination), or the output is an
// input (refused before anything is written). A file named by out_path is written to a
// temporary file renamed into place at the end: a failed run leaves no file under its name.
[[nodiscard]] int run_batch(const checked::Policy& policy, const BatchOptions& opt, BatchSummary& summary,
                            std::string& error);

// A destination for the output lines other than a file (the server's response): each call
// gets the next bytes, in order; false stops the run.
using BatchWrite = std::function<bool(std::string_view)>;
// The same run from a stream (`csv_in`: a CSV table, else JSON Lines): an open descriptor
// (FdSource) or bytes handed over in the process (BytePipe, the server's request body), to
// `write`; opt.cases_path names the input in messages, opt.out_path is not used. 0, or 2
// with `error`.
[[nodiscard]] int run_batch_stream(const checked::Policy& policy, const BatchOptions& opt, ByteSource& in, bool csv_in,
                                   const BatchWrite& write, BatchSummary& summary, std::string& error);

// The word of a batch error line for an evaluation error ("missing_input", "overflow", …).
[[nodiscard]] const char* eval_error_kind_name(EvalErrorKind kind);

// Formats one case's outputs as a JSON Lines record (no line end).
void append_outputs_json(std::string& out, const checked::Policy& p, const Outcome& o);

}  // namespace pol::interp
