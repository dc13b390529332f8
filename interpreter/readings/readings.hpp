#pragma once
// `pol readings`: does the choice of reading matter? Each alternative of each ambiguity
// (checked::Reading) is a setting of the ambiguity's parameter, so "this case under A4.gt"
// is the same case on another Program: no evaluation path knows about readings.
//
// For one case: per alternative (one at a time), the outputs that change and by how much,
// with the rules that declare the alternative (where the readings part) and their values on
// both sides; then the combination of alternatives that changes most outputs.
// For a population: per alternative, how many cases change in each output, the money at
// stake (total, median and largest change, exact: compare/population's NumStats), the
// transitions of enum outputs and the first case that changes, sorted by the money at stake.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "compare/population.hpp"
#include "program/program.hpp"

namespace pol::interp {

// One alternative, or a combination of them, and the settings that choose it.
struct ReadingChoice {
  std::vector<std::pair<std::uint32_t, int>> picks;  // (reading, alternative)
  std::vector<ParamSetting> sets;
};

struct ValueChange {
  std::uint32_t rule;
  Value before, after;
};

struct CaseReadingImpact {
  ReadingChoice choice;
  std::optional<std::string> error;  // the case cannot be computed under this choice
  std::vector<ValueChange> outputs;  // outputs that change
  std::vector<ValueChange> parting;  // the rules that declare the alternatives, before → after
};

struct CaseReadings {
  std::vector<CaseReadingImpact> single;    // each alternative alone, in declaration order
  std::optional<CaseReadingImpact> most;    // the combination of two or more that changes most
  std::optional<std::string> error;         // the case cannot be computed under the readings in force
};

// `base` already holds --set and --reading; the alternatives are tried against it.
[[nodiscard]] CaseReadings readings_for_case(const Program& base, const Case& c);

struct ReadingPopulation {
  ReadingChoice choice;
  std::uint64_t changed_cases = 0, errors = 0;
  std::vector<OutputStats> outputs;   // pair.ra == pair.rb: the same policy
  std::vector<std::string> example;   // per output: the first case (line and id) that changes
  Value money_at_stake;               // the largest total of absolute money changes of one output
};

struct ReadingsReport {
  std::uint64_t cases = 0, errors = 0;  // cases read; cases that fail under the file's readings
  std::vector<ReadingPopulation> alternatives;  // sorted by money at stake, largest first
};

[[nodiscard]] ReadingsReport readings_for_population(const checked::Policy& p, const std::string& cases,
                                                     std::optional<int> at, const std::vector<ParamSetting>& sets);

[[nodiscard]] std::string choice_text(const checked::Policy& p, const ReadingChoice& c);
[[nodiscard]] std::string render_case_readings(const checked::Policy& p, const CaseReadings& r, const std::string& format);
[[nodiscard]] std::string render_population_readings(const checked::Policy& p, const ReadingsReport& r,
                                                     const std::string& format);

}  // namespace pol::interp
