#pragma once
// Reading one cases file for several policies at once (JSON Lines or CSV). Policies whose
// inputs are declared alike (a base and its variants) share one reader: each line is parsed
// once per kind of input list, not once per policy. A field or column no file declares is a
// mistake in the file (a misspelt input), not something to skip.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "cases/case.hpp"
#include "cases/lines.hpp"
#include "sheets/source.hpp"

namespace pol::interp {

class CaseGroups {
public:
  // Throws CompareUsageError when the file cannot be opened or its CSV header is wrong.
  CaseGroups(const std::vector<const checked::Policy*>& policies, const std::string& path,
             const CaseInputOptions& options = {});
  ~CaseGroups();
  CaseGroups(const CaseGroups&) = delete;
  CaseGroups& operator=(const CaseGroups&) = delete;

  // Reads the next case for every policy; false at the end.
  bool next(std::uint64_t& line_no);
  // The case as policy i reads it, whether it read well, and the error if not.
  [[nodiscard]] const Case& case_for(std::size_t i) const;
  [[nodiscard]] bool ok(std::size_t i) const;
  [[nodiscard]] const CaseError& error(std::size_t i) const;
  // How many readers parse each line (policies with the same inputs share one).
  [[nodiscard]] std::size_t readers() const { return groups_.size(); }

private:
  struct Group;
  void check_keys(std::string_view line, std::size_t capacity);

  std::vector<const checked::Policy*> policies_;
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<std::size_t> group_of_;
  simdjson::ondemand::parser json_;
  std::string path_;
  bool csv_ = false;
  std::FILE* file_ = nullptr;
  std::unique_ptr<LineReader> reader_;
  Chunk chunk_;
  std::size_t k_ = 0;
  CaseInput input_;           // the file as opened: its encoding, or the workbook's sheet
  std::uint64_t offset_ = 0;  // a workbook's empty rows above its header
};

// The cases of one file for two policies, A and B.
class CaseStream {
public:
  CaseStream(const checked::Policy& a, const checked::Policy& b, const std::string& path,
             const CaseInputOptions& options = {})
      : groups_({&a, &b}, path, options) {}
  // The next case, read for A and for B; false at the end.
  bool next(std::uint64_t& line_no, Case& c1, bool& ok1, CaseError& e1, Case& c2, bool& ok2, CaseError& e2);

private:
  CaseGroups groups_;
};

}  // namespace pol::interp
