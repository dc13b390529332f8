#pragma once
// Reading one cases file for two policies at once (JSON Lines or CSV): every line becomes the
// case as A reads it and as B reads it. A field or column neither file declares is a mistake
// in the file (a misspelt input), not something to skip.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "cases/case.hpp"
#include "cases/lines.hpp"
#include "sheets/source.hpp"

namespace pol::interp {

class CaseStream {
public:
  // Throws CompareUsageError when the file cannot be opened or its CSV header is wrong.
  CaseStream(const checked::Policy& a, const checked::Policy& b, const std::string& path,
             const CaseInputOptions& options = {});
  ~CaseStream();
  CaseStream(const CaseStream&) = delete;
  CaseStream& operator=(const CaseStream&) = delete;

  // The next case, read for A and for B; false at the end.
  bool next(std::uint64_t& line_no, Case& c1, bool& ok1, CaseError& e1, Case& c2, bool& ok2, CaseError& e2);

private:
  void check_keys(std::string_view line, std::size_t capacity, bool& ok1, CaseError& e1, bool& ok2, CaseError& e2);

  simdjson::ondemand::parser json_;
  CaseSchema sa_, sb_;
  JsonCaseReader ja_, jb_;
  CsvCaseReader ca_, cb_;
  std::string path_;
  bool csv_ = false;
  CaseInput input_;
  std::uint64_t offset_ = 0;  // a workbook's empty rows above its header
  std::FILE* file_ = nullptr;
  std::unique_ptr<LineReader> reader_;
  Chunk chunk_;
  std::size_t k_ = 0;
};

}  // namespace pol::interp
