#pragma once
// `pol doc`: the rule file beside its source text. The header's `source` text (a variant's:
// its base's) split into clauses (doc/clauses.hpp), and at each clause the declarations that
// cite it — inputs, parameters with their dated values and sources, rules with their formulas
// in words (explain/plain.hpp), readings and their alternatives, constraints, notes — the test
// blocks that cite it and the coverage of its rules by the tests (policy_test). A clause
// nothing cites says so; the figure at the top counts clauses cited and placeholders left.
// Used files have a section of their own; declarations citing a place the text does not have
// (another document, a clause it lacks) are listed apart, so that nothing is left out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "checked/checked.hpp"
#include "doc/clauses.hpp"

namespace pol::interp {

// One declaration as the page shows it: a line, then the lines beneath it.
struct DocEntry {
  std::string head;
  std::vector<std::string> lines;
};

// What cites one place of the text.
struct DocSlot {
  std::vector<DocEntry> decls;     // inputs, parameters, rules, constraints
  std::vector<std::string> notes;  // note declarations
  std::vector<std::string> tests;  // test blocks, by name
  std::size_t covered = 0, items = 0;           // coverage of the rules cited here
  std::vector<std::uint32_t> uncovered_lines;   // in the file of the rule
  [[nodiscard]] bool empty() const { return decls.empty() && notes.empty() && tests.empty(); }
};

struct DocUnit {
  TextUnit text;
  DocSlot whole;
  std::vector<DocSlot> paragraphs;  // one a paragraph of text, when there are several
  [[nodiscard]] bool cited() const;
  [[nodiscard]] bool noted() const;
};

// Declarations that cite one string, where there is no text to place them in.
struct DocGroup {
  std::string citation;
  DocSlot slot;
};

struct DocUse {
  std::string heading, line;
  std::vector<DocGroup> groups;
};

struct PolicyDoc {
  std::string title;
  std::vector<std::string> head_lines;
  bool has_text = false;
  std::string source_path;  // the source text read, as its path was found (empty: none)
  std::vector<DocUnit> units;
  std::vector<DocGroup> other;  // citing no place of the text (or, without a text, all)
  std::vector<DocUse> uses;
  std::size_t counted = 0, cited = 0, notes_only = 0, nothing = 0, placeholders = 0;
  std::vector<std::string> provenance;
};

// The page's content. The source text is read from the header's `source`; false with `error`
// when it cannot be read.
[[nodiscard]] bool build_doc(const checked::Policy& p, PolicyDoc& doc, std::string& error);
// "markdown" or "html".
[[nodiscard]] std::string render_doc(const PolicyDoc& doc, const std::string& format);

}  // namespace pol::interp
