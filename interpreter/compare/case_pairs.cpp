#include "compare/case_pairs.hpp"

#include "base/files.hpp"
#include "base/messages.hpp"
#include "base/source.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "check/checker.hpp"
#include "compare/compare.hpp"

namespace pol::interp {

namespace {

// What a case reader makes of a policy's inputs: names, types (an enum with its values and
// labels) and defaults. Policies with the same signature read every line the same way.
std::string input_signature(const checked::Policy& p) {
  std::string s;
  for (const auto& in : p.inputs) {
    s += in.name + ':' + dsl::type_name(p, in.type);
    if (in.type.base == dsl::Base::Enum)
      for (const auto& v : p.enums[in.type.enum_id].values) s += '|' + v.name + '=' + v.label;
    if (in.default_value) s += '=' + in.default_value->to_string();
    s += ';';
  }
  return s;
}

// The files' distinct names for a message that none of them has a name: `first` holds all but
// the last ("A", or "A, B" in the language's list), `last` the last; `one` when there is one.
struct NoneHas {
  std::string first, last;
  bool one = false;
};
NoneHas none_has(const std::vector<const checked::Policy*>& ps) {
  std::vector<std::string> names;
  for (const auto* p : ps)
    if (std::find(names.begin(), names.end(), p->header.name) == names.end()) names.push_back(p->header.name);
  NoneHas n;
  n.one = names.size() == 1;
  n.last = names.empty() ? std::string() : names.back();
  for (std::size_t i = 0; i + 1 < names.size(); ++i) n.first += (i ? std::string(dsl::text(dsl::Msg::ListSep)) : "") + names[i];
  return n;
}

// "; did you mean 'x'?" when a name of the files' inputs is near `key`.
std::string suggestion(std::string_view key, const std::vector<const checked::Policy*>& ps) {
  std::vector<std::string> names;
  for (const auto* p : ps)
    for (const auto& in : p->inputs) names.push_back(in.name);
  auto m = dsl::did_you_mean(std::string(key), names);
  return m ? dsl::textf(dsl::Msg::DidYouMean, "", *m) : std::string();
}

}  // namespace

struct CaseGroups::Group {
  explicit Group(const checked::Policy& p) : schema(p), json(schema), csv(schema) {
    json.ignore_unknown(true);
    csv.ignore_unknown(true);
  }
  std::string signature;
  CaseSchema schema;
  JsonCaseReader json;
  CsvCaseReader csv;
  Case c;
  bool ok = false;
  CaseError e;
};

const Case& CaseGroups::case_for(std::size_t i) const { return groups_[group_of_[i]]->c; }
bool CaseGroups::ok(std::size_t i) const { return groups_[group_of_[i]]->ok; }
const CaseError& CaseGroups::error(std::size_t i) const { return groups_[group_of_[i]]->e; }

CaseGroups::CaseGroups(const std::vector<const checked::Policy*>& policies, const std::string& path,
                       const CaseInputOptions& options)
    : policies_(policies), path_(path) {
  for (const auto* p : policies) {
    std::string sig = input_signature(*p);
    std::size_t g = 0;
    while (g < groups_.size() && groups_[g]->signature != sig) ++g;
    if (g == groups_.size()) {
      groups_.push_back(std::make_unique<Group>(*p));
      groups_.back()->signature = std::move(sig);
    }
    group_of_.push_back(g);
  }
  std::string error;
  if (!input_.open(path, options, policies, error)) throw CompareUsageError{error};
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
    for (auto& g : groups_)
      if (!g->csv.read_header(h, err)) throw CompareUsageError{fmt::format("{}: {}", path, err.message)};
    // A column no file declares is a mistake in the file, not a column to skip.
    std::vector<std::string> cells;
    if (split_csv(h, cells))
      for (auto& c : cells) {
        if (c == "id" || c == "as_of" || c.empty()) continue;
        bool known = false;
        for (auto& g : groups_) known = known || g->schema.named_slot(c) >= 0;
        if (known) continue;
        const NoneHas n = none_has(policies_);
        const std::string col = dsl::visible(c);
        throw CompareUsageError{(n.one ? dsl::textf(dsl::Msg::ColumnNoInput, path, col, n.last)
                                       : dsl::textf(dsl::Msg::ColumnNeither, path, col, n.first, n.last)) +
                                suggestion(c, policies_)};
      }
    chunk_.lines.clear();
  }
}

CaseGroups::~CaseGroups() {
  if (file_ && file_ != stdin) std::fclose(file_);
}

bool CaseGroups::next(std::uint64_t& line_no) {
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
  bool any = false;
  for (auto& g : groups_) {
    g->ok = csv_ ? g->csv.read(line, g->c, g->e) : g->json.read(line, len + JsonCaseReader::kPadding, g->c, g->e);
    any = any || g->ok;
  }
  if (!csv_ && any) check_keys(line, len + JsonCaseReader::kPadding);
  return true;
}

// A key that no file declares is a mistake in the case (a misspelt input), not a field to
// skip: the case is an error under every file.
void CaseGroups::check_keys(std::string_view line, std::size_t capacity) {
  simdjson::ondemand::document doc;
  if (json_.iterate(simdjson::padded_string_view(line.data(), line.size(), capacity)).get(doc)) return;
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj)) return;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return;
    if (key == "id" || key == "as_of") continue;
    bool known = false;
    for (auto& g : groups_) known = known || g->schema.input_slot(key) >= 0;
    if (known) continue;
    const NoneHas n = none_has(policies_);
    const std::string shown = dsl::visible(key);
    std::string msg = (n.one ? dsl::textf(dsl::Msg::CaseUnknownField, shown, n.last)
                             : dsl::textf(dsl::Msg::UnknownFieldNeither, shown, n.first, n.last)) +
                      suggestion(key, policies_);
    for (auto& g : groups_) {
      g->e = CaseError{"unknown_field", std::string(key), msg};
      g->ok = false;
    }
    return;
  }
}

bool CaseStream::next(std::uint64_t& line_no, Case& c1, bool& ok1, CaseError& e1, Case& c2, bool& ok2, CaseError& e2) {
  if (!groups_.next(line_no)) return false;
  ok1 = groups_.ok(0), ok2 = groups_.ok(1);
  if (ok1) c1 = groups_.case_for(0);
  else e1 = groups_.error(0);
  if (ok2) c2 = groups_.case_for(1);
  else e2 = groups_.error(1);
  return true;
}

}  // namespace pol::interp
