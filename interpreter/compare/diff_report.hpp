#pragma once
// The reports of `pol diff`: the static diff with, given --cases, the population comparison
// (text, Markdown, HTML or JSON), and the reports of one case under both files and of the
// disagreement finder.
#include <optional>
#include <string>
#include <vector>

#include "compare/compare.hpp"
#include "compare/population.hpp"
#include "compare/side_by_side.hpp"
#include "report/provenance.hpp"
#include "search/search.hpp"

namespace pol::interp {

// The static diff (and the population comparison, when there is one).
[[nodiscard]] std::string render_diff(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args,
                                      std::optional<int> at, const std::string& format, const std::vector<Change>& changes,
                                      bool related, const std::optional<Population>& pop, const Provenance& prov);
// The decision date of a diff and where it came from, for the provenance.
[[nodiscard]] std::string diff_date_line(std::optional<int> at);
// `--explain-case`.
[[nodiscard]] std::string render_case_under_both(const checked::Policy& a, const checked::Policy& b, const CaseUnderBoth& c,
                                                 const std::string& format, const Provenance& prov,
                                                 std::optional<int> at);
// `--find-disagreement` when no case could be evaluated under either file: what to say
// (the run then exits 2: the date, or the files, give nothing to compare).
[[nodiscard]] std::string nothing_evaluated_message(const checked::Policy& a, const checked::Policy& b,
                                                    const DisagreementSearch& s, std::optional<int> at);
// `--find-disagreement`; the smallest case found is explained under both files.
[[nodiscard]] std::string render_disagreement(const checked::Policy& a, const checked::Policy& b, const DisagreementSearch& s,
                                              std::optional<int> at, const std::string& format, const Provenance& prov);

// The whole report of `pol diff A B [--cases]`: the static changes (only inputs and outputs
// for unrelated files) and, with args.cases, the population. Bad input throws CompareUsageError.
[[nodiscard]] std::string diff_report(const checked::Policy& a, const checked::Policy& b, const DiffArgs& args,
                                      std::optional<int> at, const std::string& format, const Provenance& prov);

}  // namespace pol::interp
