#pragma once
// A case: the input values of one person, checked against a policy's declared inputs.
//
// Loading converts JSON (or a CSV row) into slots: no name look-up happens after this.
// Every problem names the field and says what was expected. An input left out takes its
// default (and is marked so for the explanation); one without a default stays absent, which
// is an error only if an output needs it.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checked/checked.hpp"

namespace pol::interp {

using checked::Value;

enum class InputState : std::uint8_t { Absent, Given, Defaulted };

struct Case {
  std::vector<Value> values;
  std::vector<InputState> state;
  std::optional<int> as_of;
  std::string id_json;  // the raw JSON of "id" (e.g. "\"c1\"" or 17), empty if none
  std::string id_text;  // the id for people ("c1")
};

struct CaseError {
  std::string kind;     // invalid_json, unknown_field, wrong_type, out_of_range, constraint, missing_input, ...
  std::string field;    // the input (or key) at fault, if any
  std::string message;  // a sentence saying what was expected
};

// Built once per policy: the maps from keys and labels to slots.
class CaseSchema {
public:
  explicit CaseSchema(const checked::Policy& policy);
  [[nodiscard]] const checked::Policy& policy() const { return policy_; }
  [[nodiscard]] int input_slot(std::string_view key) const;
  // The slot of an input named by its identifier or, failing that, its label; -1 if none.
  [[nodiscard]] int named_slot(std::string_view name) const;
  // Converts the text of a value (a CSV cell, a --given) to the input's type.
  [[nodiscard]] bool convert_text(std::uint32_t slot, std::string_view text, Value& out, CaseError& err) const;
  // Starts a case: every input absent.
  void reset(Case& c) const;
  // Applies defaults to absent inputs (after all given values are set).
  void apply_defaults(Case& c) const;
  [[nodiscard]] std::string unknown_field_message(std::string_view key) const;
  // The slot of a JSON key: an input slot (>= 0), kIdKey, kAsOfKey, or -1. A small
  // open-addressed table built once, probed by a word-at-a-time hash of the key.
  static constexpr int kIdKey = -2, kAsOfKey = -3;
  [[nodiscard]] int key_code(std::string_view key) const {
    if (key.empty()) return -1;
    for (std::size_t i = key_hash(key) & key_mask_;; i = (i + 1) & key_mask_) {
      const KeyEntry& e = keys_[i];
      if (e.code == kEmpty) return -1;
      if (e.name.size() == key.size() && same_bytes(e.name.data(), key.data(), key.size())) return e.code;
    }
  }
  // The ordinal of an enum value given by identifier or label; -1 if none.
  [[nodiscard]] int enum_ordinal(std::uint16_t enum_id, std::string_view text) const {
    for (const auto& [t, ord] : enum_texts_[enum_id])
      if (t.size() == text.size() && same_bytes(t.data(), text.data(), t.size())) return ord;
    return -1;
  }

private:
  static constexpr int kEmpty = -100;
  struct KeyEntry {
    std::string_view name;
    int code = kEmpty;
  };
  static bool same_bytes(const char* a, const char* b, std::size_t n) {  // short strings: no call
    auto word = [](const char* p) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      return w;
    };
    if (n >= 8) {  // whole words, the last one overlapping
      for (std::size_t i = 0; i + 8 < n; i += 8)
        if (word(a + i) != word(b + i)) return false;
      return word(a + n - 8) == word(b + n - 8);
    }
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  // The length, the first and the last eight bytes (or all of a shorter key), a word each:
  // names such as x1 … x99999 differ at their ends, so a policy with many inputs does not make
  // the table one long probe, and the cost per key stays two loads whatever its length.
  static std::size_t key_hash(std::string_view k) {
    const char* p = k.data();
    const std::size_t n = k.size();
    std::uint64_t first = 0, last = 0;
    if (n >= 8) {
      std::memcpy(&first, p, 8);
      std::memcpy(&last, p + n - 8, 8);
    } else {
      std::memcpy(&first, p, n);
    }
    std::uint64_t h = n * 0x9E3779B97F4A7C15ull + first * 0xFF51AFD7ED558CCDull + last * 0xC4CEB9FE1A85EC53ull;
    return static_cast<std::size_t>(h ^ (h >> 29) ^ (h >> 47));
  }
  std::vector<KeyEntry> keys_;
  std::size_t key_mask_ = 0;
  std::vector<std::vector<std::pair<std::string_view, int>>> enum_texts_;
  const checked::Policy& policy_;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> slots_;
};

// Loads one JSON object. `json` must stay valid during the call. On failure returns false and fills err.
// The parser is reused between calls (batch keeps one per thread).
class JsonCaseReader {
public:
  explicit JsonCaseReader(const CaseSchema& schema);
  ~JsonCaseReader();
  JsonCaseReader(const JsonCaseReader&) = delete;
  JsonCaseReader& operator=(const JsonCaseReader&) = delete;
  // `json` must have at least kPadding readable bytes after its end (see padded()).
  [[nodiscard]] bool read(std::string_view json, std::size_t capacity, Case& c, CaseError& err);
  static constexpr std::size_t kPadding = 64;
  // Skip keys the policy does not declare instead of rejecting them (pol diff over cases
  // written for another policy compares on the inputs the two share).
  void ignore_unknown(bool on) { ignore_unknown_ = on; }

private:
  struct Impl;
  Impl* impl_;
  const CaseSchema& schema_;
  bool ignore_unknown_ = false;
};

// The longest case line (JSON Lines), CSV record or JSON case file read: 16 MiB. A longer
// one is an error for that line (its bytes are skipped, never held), not a run out of memory.
inline constexpr std::size_t kMaxCaseLineBytes = std::size_t{16} << 20;

// The error for a line (or CSV record, or case file) longer than kMaxCaseLineBytes; `quoted`:
// a CSV quote was still open when the limit was reached.
[[nodiscard]] CaseError line_too_long_error(bool quoted = false);

// Whether a cases path names a CSV file (".csv", in any case: ".CSV" too).
[[nodiscard]] bool is_csv_path(std::string_view path);

// When the first bytes of a cases file show UTF-16 text (a UTF-16 byte-order mark, or a NUL
// in the first two bytes), the sentence that says so; empty otherwise.
[[nodiscard]] std::string utf16_problem(std::string_view first_bytes);

// CSV: one header naming the columns, then one case a record. RFC 4180 quoting: a quoted
// field may hold commas, doubled quotes and line ends (the record then spans several lines).
class CsvCaseReader {
public:
  explicit CsvCaseReader(const CaseSchema& schema) : schema_(schema) {}
  [[nodiscard]] bool read_header(std::string_view line, CaseError& err);
  [[nodiscard]] bool read(std::string_view line, Case& c, CaseError& err);
  void ignore_unknown(bool on) { ignore_unknown_ = on; }
  // The header's names, the slot of each column (-1 id, -2 as_of, -3 ignored), and the cells
  // of the record read last.
  [[nodiscard]] const std::vector<std::string>& header() const { return names_; }
  [[nodiscard]] const std::vector<int>& columns() const { return columns_; }
  [[nodiscard]] const std::vector<std::string>& cells() const { return cells_; }

private:
  const CaseSchema& schema_;
  bool ignore_unknown_ = false;
  [[nodiscard]] bool check_header(std::string_view line, CaseError& err) const;
  std::vector<int> columns_;  // input slot per column; -1 id, -2 as_of, -3 ignored
  std::vector<std::string> names_;
  std::vector<std::string> cells_;
};

// Splits one CSV record into cells (quotes removed). Returns false if a quote is unbalanced.
[[nodiscard]] bool split_csv(std::string_view line, std::vector<std::string>& cells);

// Where CSV records end, the way split_csv reads quotes (a quote opens a field only at its
// start): fed bytes in order, it tells whether a line end closes a record or lies inside a
// quoted field. The state carries from one call to the next.
class CsvRecordScanner {
public:
  // The offset of the first line end at or after `from` that ends a record, or npos (the
  // state then covers all of `s`).
  std::size_t next_end(std::string_view s, std::size_t from) {
    for (std::size_t i = from; i < s.size(); ++i) {
      const char ch = s[i];
      switch (state_) {
        case State::CellStart:
          if (ch == '"') state_ = State::Quoted;
          else if (ch == '\n') return i;
          else if (ch != ',') state_ = State::Plain;
          break;
        case State::Plain:
          if (ch == ',') state_ = State::CellStart;
          else if (ch == '\n') { state_ = State::CellStart; return i; }
          break;
        case State::Quoted:
          if (ch == '"') state_ = State::QuoteInQuoted;
          break;
        case State::QuoteInQuoted:  // a doubled quote, or the closing one
          if (ch == '"') state_ = State::Quoted;
          else if (ch == ',') state_ = State::CellStart;
          else if (ch == '\n') { state_ = State::CellStart; return i; }
          else state_ = State::Plain;
          break;
      }
    }
    return std::string_view::npos;
  }
  [[nodiscard]] bool in_quotes() const { return state_ == State::Quoted; }
  // Outside any quoted field: bytes holding no quote can be split at every line end (see
  // after_plain), without looking at each byte.
  [[nodiscard]] bool outside_quotes() const { return state_ == State::CellStart || state_ == State::Plain; }
  // The state after bytes holding no quote whose last byte is `last`.
  void after_plain(char last) { state_ = last == '\n' || last == ',' ? State::CellStart : State::Plain; }
  void reset() { state_ = State::CellStart; }

private:
  enum class State : std::uint8_t { CellStart, Plain, Quoted, QuoteInQuoted };
  State state_ = State::CellStart;
};

}  // namespace pol::interp
