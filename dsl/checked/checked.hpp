#pragma once
// checked::Policy: a rule file (with the files it extends) after checking. Immutable.
//
// Names are resolved to slots and every expression is a node in one flat array, indexed by
// NodeId; a node's children are NodeIds. Evaluation therefore does no name look-ups and no
// string work. Symbols keep their labels, clauses and sources for explanations, and every
// node keeps its file and range so the explanation, the formatter and future tools (the
// dependency graph, readings, the clause-by-clause rendering) can point back at the text.
//
// Values at run time are Decimals: numbers as themselves, booleans as 0/1, dates as days
// since 1970-01-01, enum values as their ordinal. The checker has proved the types, so a
// Value needs no tag.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/decimal.hpp"
#include "base/source.hpp"
#include "base/types.hpp"

namespace pol::checked {

using dsl::SourceFile;
using dsl::SourceRange;
using dsl::Type;
using Value = Decimal;
using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = UINT32_MAX;

inline Value make_bool(bool b) { return Value::from_int(b ? 1 : 0); }
inline bool as_bool(Value v) { return v.coef() != 0; }
inline int as_date(Value v) { return static_cast<int>(v.coef()); }
inline int as_enum(Value v) { return static_cast<int>(v.coef()); }

struct Place {
  std::uint16_t file = 0;  // index into Policy::files
  SourceRange range;
};

struct EnumValueInfo {
  std::string name;
  std::string label;
};

struct EnumInfo {
  std::string name;
  std::string label;
  std::vector<EnumValueInfo> values;
  Place place;
  // Ordinal of a value given by identifier or Chinese label; -1 if none.
  [[nodiscard]] int find(std::string_view text) const;
};

struct Input {
  std::string name, label, clause, reading;
  std::int16_t use = -1;  // index into Policy::uses when a used file declares it
  Type type;
  std::optional<Value> default_value;
  NodeId min = kNoNode, max = kNoNode;  // bounds, evaluated when a case is loaded
  Place place;
};

// A dated value's value under another reading of an ambiguity (`alternative ID.OTHER "label"
// because "why" = VALUE` written under the parameter or under that value).
struct ReadingValue {
  std::uint32_t reading = 0;  // index into Policy::readings
  int alternative = 0;        // index into its alternatives (never 0, the file's own)
  Value value;
  Place place;
  SourceRange value_range;
};

struct ParamValue {
  Value value;
  std::optional<int> from;  // days since epoch; none = from the beginning
  bool placeholder = false;
  std::string source;
  Place place;
  SourceRange value_range;
  std::vector<ReadingValue> readings;  // its value under other readings (interpreter/program)
};

struct Param {
  std::string name, label, clause, reading;
  std::int16_t use = -1;  // index into Policy::uses when a used file declares it
  Type type;
  std::vector<ParamValue> values;  // sorted by `from`
  Place place;
  bool overridden = false;  // declared with `override` in a variant
  // A reading's parameter (index into Policy::readings): an enum of its alternatives, with no
  // name a rule file can write; rules with alternatives match on it. -1 for every other.
  int ambiguity = -1;
  bool regional = false;    // the base leaves it to each region (`regional`)
  // Index of the value in force on `date` (nullopt: the latest), or -1 if none is yet.
  [[nodiscard]] int value_at(std::optional<int> date) const;
};

// One alternative reading of an ambiguity: `alternative A4.gt "label" because "why" = BODY`.
struct Alternative {
  std::string name, label, because;
  Place place;
};

// An ambiguity with named readings (A4): alternatives[0] is the file's own. The rules that
// read it have as body a Match on `param` (whose enum is `enum_id`, values the alternatives),
// so choosing a reading is binding that parameter (interpreter/program) and every
// evaluation path runs the same folded program.
struct Reading {
  std::string id;
  std::vector<Alternative> alternatives;
  std::uint32_t param = 0;
  std::uint16_t enum_id = 0;
  std::vector<std::uint32_t> rules;   // the rules that declare alternatives of it
  std::vector<std::uint32_t> params;  // the parameters whose values it changes
  // The alternative the checked file takes: 0, or the one a variant chose with `override
  // reading ID.NAME` (the value of `param` from the beginning); `chosen` is that declaration.
  int taken = 0;
  std::string taken_source;
  std::optional<Place> chosen;
  [[nodiscard]] int find(std::string_view name) const;
};

struct Rule {
  std::string name, label, clause, reading;
  std::int16_t use = -1;  // index into Policy::uses when a used file declares it (or binds its input)
  Type type;
  bool is_output = false;
  bool overridden = false;
  NodeId body = kNoNode;
  // `applies when COND`: outside COND the rule does not apply to the case. Its value is still
  // computed (eval and batch show it); explanations say "not applicable" and population
  // reports count the case apart. Not part of the dependency graph. kNoNode: applies to all.
  NodeId applies = kNoNode;
  Place place;
};

struct Constraint {
  NodeId condition = kNoNode;
  std::string message, clause;
  Place place;
};

struct NoteInfo {
  std::string clause, text;
  Place place;
};

// The operations, from the one list in ops.def.
enum class Op : std::uint8_t {
#define POL_OP(name, shape, text) name,
#include "checked/ops.def"
#undef POL_OP
};
inline constexpr std::size_t kOpCount = 0
#define POL_OP(name, shape, text) +1
#include "checked/ops.def"
#undef POL_OP
    ;

// Where an operation's children are (see for_each_child in visit.hpp).
enum class Shape : std::uint8_t { Leaf, Unary, Binary, Operands, Branches, Match, AsOf };

inline constexpr Shape kOpShape[] = {
#define POL_OP(name, shape, text) Shape::shape,
#include "checked/ops.def"
#undef POL_OP
};
inline constexpr const char* kOpName[] = {
#define POL_OP(name, shape, text) #name,
#include "checked/ops.def"
#undef POL_OP
};
inline constexpr const char* kOpText[] = {
#define POL_OP(name, shape, text) text,
#include "checked/ops.def"
#undef POL_OP
};
static_assert(std::size(kOpShape) == kOpCount && std::size(kOpName) == kOpCount && std::size(kOpText) == kOpCount);
[[nodiscard]] constexpr Shape shape_of(Op op) { return kOpShape[static_cast<std::size_t>(op)]; }
[[nodiscard]] constexpr const char* op_name(Op op) { return kOpName[static_cast<std::size_t>(op)]; }
// How the operation is written in a rule file ("+", "and", "min"); "" for leaves.
[[nodiscard]] constexpr const char* op_text(Op op) { return kOpText[static_cast<std::size_t>(op)]; }

struct Node {
  Op op = Op::Const;
  std::uint8_t places = 0;         // Round
  RoundMode mode = RoundMode::HalfAwayFromZero;
  bool parens = false;             // written in parentheses (for printing)
  Type type;
  NodeId a = kNoNode, b = kNoNode;
  std::uint32_t slot = 0;          // Input/Param/Rule
  std::uint32_t first = 0, count = 0;
  std::uint64_t mask = 0;          // In
  Value constant;                  // Const
  bool input_free = false;         // depends on no input: foldable once parameters are known
  Place place;
};

struct Branch {
  NodeId condition = kNoNode;  // Chain; kNoNode for otherwise
  std::uint64_t mask = 0;      // Match: the enum values of the arm; 0 for otherwise
  NodeId result = kNoNode;
  std::string clause;
  Place place;
};

struct TestCase {
  std::string name, clause;
  std::vector<std::pair<std::uint32_t, Value>> given;   // input slot, value
  std::vector<std::pair<std::uint32_t, Value>> set;     // param slot, value
  std::vector<std::pair<std::uint32_t, Value>> expect;  // rule slot, value
  std::vector<Place> expect_places;
  std::optional<int> at;
  std::optional<std::string> expect_error;
  Place place;
};

struct Header {
  std::string name, title, issuer, number, source, extends;
  std::optional<int> effective;
};

// A file used with `use "FILE" as ALIAS`: its parameters and rules are ALIAS.NAME, its inputs
// are inputs of the using file (or, when bound, ALIAS.NAME rules whose bodies are the bindings).
struct Use {
  std::string alias, path;
  Header header;
  std::uint16_t file = 0;     // index into Policy::files
  std::uint16_t by_file = 0;  // the file whose `use` it is
  Place place;
};

struct Policy {
  std::vector<std::shared_ptr<const SourceFile>> files;  // files[0] is the file checked
  Header header;
  std::vector<Header> bases;  // the headers of the files extended, nearest first
  std::vector<Use> uses;      // the files used
  std::vector<EnumInfo> enums;
  std::vector<Input> inputs;
  std::vector<Param> params;
  std::vector<Rule> rules;  // lets and outputs, in declaration order
  std::vector<Constraint> constraints;
  std::vector<NoteInfo> notes;
  std::vector<TestCase> tests;  // the tests of files[0] only
  std::vector<Reading> readings;
  std::vector<Node> nodes;
  // The dates of as_of(DATE, …): evaluation context k (k >= 1) has the parameters in force on
  // contexts[k - 1]; context 0 is the run's decision date.
  std::vector<int> contexts;
  std::vector<NodeId> operands;  // Min/Max operands
  std::vector<Branch> branches;

  // Dependency graph (direct): for each rule, the inputs, params and rules its body reads.
  std::vector<std::vector<std::uint32_t>> rule_inputs, rule_params, rule_rules;

  [[nodiscard]] int find_input(std::string_view name) const;
  [[nodiscard]] int find_param(std::string_view name) const;
  [[nodiscard]] int find_rule(std::string_view name) const;
  [[nodiscard]] int find_reading(std::string_view id) const;
  [[nodiscard]] std::vector<std::uint32_t> outputs() const;  // rule indices of outputs
  // Makes alternative k of reading r the file's reading: the value of its parameter from the
  // beginning (a variant's `override reading`; pol diff and pol sweep with --reading, on a copy).
  void take_reading(std::uint32_t r, int k, const std::string& source, const Place& place);
  // Rules (outputs and lets) whose value can change when param `p` (or input, or rule) changes.
  [[nodiscard]] std::vector<std::uint32_t> rules_affected_by_param(std::uint32_t p) const;
  [[nodiscard]] std::vector<std::uint32_t> rules_affected_by_rule(std::uint32_t r) const;
  [[nodiscard]] const SourceFile& file_of(const Place& p) const { return *files.at(p.file); }
};

}  // namespace pol::checked
