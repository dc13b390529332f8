#include "base/messages.hpp"
#include "compare/case_pairs.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "base/files.hpp"
#include "check/checker.hpp"
#include "compare/compare.hpp"

namespace pol::interp {

CaseStream::CaseStream(const checked::Policy& a, const checked::Policy& b, const std::string& path,
                       const CaseInputOptions& options)
    : sa_(a), sb_(b), ja_(sa_), jb_(sb_), ca_(sa_), cb_(sb_), path_(path) {
  ja_.ignore_unknown(true);
  jb_.ignore_unknown(true);
  ca_.ignore_unknown(true);
  cb_.ignore_unknown(true);
  std::string error;
  if (!input_.open(path, options, {&a, &b}, error)) throw CompareUsageError{error};
  if (!input_.note().empty()) dsl::print_stderr(input_.note() + "\n");
  csv_ = input_.csv();
  offset_ = input_.line_offset();
  const int fd = input_.fd() == STDIN_FILENO ? STDIN_FILENO : ::dup(input_.fd());  // the FILE closes its own
  file_ = fd == STDIN_FILENO ? stdin : fd < 0 ? nullptr : ::fdopen(fd, "rb");
  if (!file_) throw CompareUsageError{dsl::textf(dsl::Msg::CannotOpenCases, path, std::strerror(errno))};
  reader_ = std::make_unique<LineReader>(file_);
  if (csv_) {
    if (!reader_->fill(chunk_, 1)) {
      if (std::string why = input_.finish(); !why.empty()) throw CompareUsageError{why};
      throw CompareUsageError{dsl::textf(dsl::Msg::CasesEmptyFile, path)};
    }
    std::string_view h(chunk_.data.data() + chunk_.lines[0].first, chunk_.lines[0].second);
    CaseError err;
    if (!ca_.read_header(h, err) || !cb_.read_header(h, err))
      throw CompareUsageError{fmt::format("{}: {}", path, err.message)};
    // A column neither file declares is a mistake in the file, not a column to skip.
    std::vector<std::string> cells;
    if (split_csv(h, cells))
      for (auto& c : cells) {
        if (c == "id" || c == "as_of" || c.empty()) continue;
        if (sa_.named_slot(c) < 0 && sb_.named_slot(c) < 0)
          throw CompareUsageError{dsl::textf(dsl::Msg::ColumnNeither, path, c,
                                              a.header.name, b.header.name)};
      }
    chunk_.lines.clear();
  }
}

CaseStream::~CaseStream() {
  if (file_ && file_ != stdin) std::fclose(file_);
}

bool CaseStream::next(std::uint64_t& line_no, Case& c1, bool& ok1, CaseError& e1, Case& c2, bool& ok2, CaseError& e2) {
  if (k_ >= chunk_.lines.size()) {
    if (!reader_->fill(chunk_, 4096)) {
      // Bytes not in the encoding, a bad workbook: the run fails rather than end short.
      if (std::string why = input_.finish(); !why.empty()) throw CompareUsageError{why};
      return false;
    }
    k_ = 0;
  }
  auto [off, len] = chunk_.lines[k_];
  line_no = chunk_.line_no[k_] + offset_;
  ++k_;
  std::string_view line(chunk_.data.data() + off, len);
  if (csv_) {
    ok1 = ca_.read(line, c1, e1);
    ok2 = cb_.read(line, c2, e2);
  } else {
    ok1 = ja_.read(line, len + JsonCaseReader::kPadding, c1, e1);
    ok2 = jb_.read(line, len + JsonCaseReader::kPadding, c2, e2);
    if (ok1 || ok2) check_keys(line, len + JsonCaseReader::kPadding, ok1, e1, ok2, e2);
  }
  return true;
}

// A key that neither file declares is a mistake in the case (a misspelt input), not a field
// to skip: the case is an error under both files.
void CaseStream::check_keys(std::string_view line, std::size_t capacity, bool& ok1, CaseError& e1, bool& ok2, CaseError& e2) {
  simdjson::ondemand::document doc;
  if (json_.iterate(simdjson::padded_string_view(line.data(), line.size(), capacity)).get(doc)) return;
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj)) return;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return;
    if (key == "id" || key == "as_of" || sa_.input_slot(key) >= 0 || sb_.input_slot(key) >= 0) continue;
    std::vector<std::string> names;
    for (const auto& in : sa_.policy().inputs) names.push_back(in.name);
    for (const auto& in : sb_.policy().inputs) names.push_back(in.name);
    std::string msg = dsl::textf(dsl::Msg::UnknownFieldNeither, key,
                                  sa_.policy().header.name, sb_.policy().header.name);
    if (auto m = dsl::did_you_mean(std::string(key), names)) msg += dsl::textf(dsl::Msg::DidYouMean, "", *m);
    e1 = e2 = CaseError{"unknown_field", std::string(key), msg};
    ok1 = ok2 = false;
    return;
  }
}

}  // namespace pol::interp
