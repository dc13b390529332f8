// CSV cases: the header, the rows, RFC 4180 quoting (see case.hpp).
#include <unordered_map>

#include <fmt/format.h>

#include "base/messages.hpp"
#include "base/calendar.hpp"
#include "base/source.hpp"
#include "cases/case.hpp"
#include "cases/messages.hpp"

namespace pol::interp {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool split_csv(std::string_view line, std::vector<std::string>& cells) {
  cells.clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char ch = line[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur.push_back(ch);
      }
    } else if (ch == '"' && cur.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (ch == ',') {
      cells.push_back(std::move(cur));
      cur.clear();
      was_quoted = false;
    } else {
      cur.push_back(ch);
    }
  }
  cells.push_back(std::move(cur));
  return !quoted;
}

// What makes a header unreadable before its names are looked at: NUL bytes (UTF-16) and a
// CR inside it (CR-only line ends: the whole file is one line).
bool CsvCaseReader::check_header(std::string_view line, CaseError& err) const {
  if (std::string p = utf16_problem(line); !p.empty()) {
    err = {"invalid_csv", "", p};
    return false;
  }
  if (line.find('\0') != std::string_view::npos) {
    err = {"invalid_csv", "", msg::header_nul()};
    return false;
  }
  std::string_view body = line;
  if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
  if (auto cr = body.find('\r'); cr != std::string_view::npos) {
    err = {"invalid_csv", "", msg::header_cr_only(dsl::utf8_length(body.substr(0, cr)) + 1)};
    return false;
  }
  return true;
}

bool CsvCaseReader::read_header(std::string_view line, CaseError& err) {
  if (!check_header(line, err)) return false;
  if (line.size() > kMaxCaseLineBytes) {
    err = line_too_long_error();
    return false;
  }
  if (!split_csv(line, names_)) {
    err = {"invalid_csv", "", std::string(dsl::text(dsl::Msg::CsvHeaderQuote))};
    return false;
  }
  columns_.clear();
  std::unordered_map<std::string_view, std::size_t> seen;  // name -> its column (from 1)
  for (std::size_t i = 0; i < names_.size(); ++i) {
    std::string_view k = trim(names_[i]);
    if (k.empty()) {
      err = {"invalid_csv", "", msg::empty_column(i + 1, names_.size())};
      return false;
    }
    if (auto [it, fresh] = seen.emplace(k, i + 1); !fresh) {
      err = {"duplicate_column", std::string(k), msg::duplicate_column(k, it->second, i + 1)};
      return false;
    }
    if (k == "id") columns_.push_back(-1);
    else if (k == "as_of") columns_.push_back(-2);
    else {
      int slot = schema_.named_slot(k);  // an identifier, or a Chinese label
      if (slot < 0 && ignore_unknown_) {
        columns_.push_back(-3);
        continue;
      }
      if (slot < 0) {
        err = {"unknown_field", std::string(k), schema_.unknown_field_message(k) + std::string(dsl::text(dsl::Msg::InCsvHeader))};
        return false;
      }
      columns_.push_back(slot);
    }
  }
  return true;
}

bool CsvCaseReader::read(std::string_view line, Case& c, CaseError& err) {
  schema_.reset(c);
  if (line.size() > kMaxCaseLineBytes) {
    err = line_too_long_error();
    return false;
  }
  if (!split_csv(line, cells_)) {
    err = {"invalid_csv", "", msg::unbalanced_quote_row()};
    return false;
  }
  if (cells_.size() != columns_.size()) {
    err = {"invalid_csv", "",
           dsl::textf(dsl::Msg::CsvCells, cells_.size(), columns_.size())};
    return false;
  }
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    std::string_view cell = trim(cells_[i]);
    int col = columns_[i];
    if (col == -1) {
      if (cell.empty()) continue;
      c.id_text = std::string(cell);
      std::string j = "\"";
      for (char ch : cell) {
        if (static_cast<unsigned char>(ch) < 0x20) {  // a line end from a quoted field, a tab
          j += fmt::format("\\u{:04x}", static_cast<unsigned>(ch));
          continue;
        }
        if (ch == '"' || ch == '\\') j.push_back('\\');
        j.push_back(ch);
      }
      j.push_back('"');
      c.id_json = std::move(j);
      continue;
    }
    if (col == -3) continue;
    if (col == -2) {
      if (cell.empty()) continue;
      auto d = parse_date(cell);
      if (!d) {
        err = {"wrong_type", "as_of", dsl::textf(dsl::Msg::CsvAsOf, dsl::visible(cell))};
        return false;
      }
      c.as_of = *d;
      continue;
    }
    if (cell.empty()) continue;  // an empty cell: as if left out
    if (!schema_.convert_text(static_cast<std::uint32_t>(col), cell, c.values[col], err)) return false;
    c.state[col] = InputState::Given;
  }
  schema_.apply_defaults(c);
  return true;
}

}  // namespace pol::interp
