#pragma once
// Cases for any policy, found from its declarations (pol_gen_cases --policy FILE): every input
// the rule file declares, each of its type, near the numbers the rules compare with.
#include <cstdint>
#include <string>
#include <vector>

namespace pol_bench {

struct GenOptions {
  std::uint64_t n = 0, broken_bp = 0, seed = 0;
  bool csv = false;
};

// An input the hand-tuned jilin_2025 generator writes: its key and, for an enum, its values as
// identifier and label.
struct ProfileKey {
  std::string name;
  std::vector<std::pair<std::string, std::string>> enum_values;
};

// Checks the rule file at `path`; prints its errors and returns 2 if it does not check.
// Otherwise sets `name` to the policy's name and returns 0.
int read_policy_name(const std::string& path, std::string& name);

// Where the policy at `path` does not declare what `keys` says: one sentence a mismatch.
std::vector<std::string> profile_mismatches(const std::string& path, const std::vector<ProfileKey>& keys);

// Writes opt.n cases for the policy at `path` to standard output; the exit status.
int write_declared_cases(const std::string& path, const GenOptions& opt);

}  // namespace pol_bench
