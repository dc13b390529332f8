#pragma once
// The random numbers of pol_gen_cases: splitmix64 and plain integer arithmetic only, so that the
// cases are the same on every platform and with every standard library.
#include <cstddef>
#include <cstdint>

namespace pol_bench {

struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform enough for a benchmark: n is tiny next to 2^64.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  bool percent(unsigned p) { return below(100) < p; }
  template <std::size_t K>
  std::int64_t pick(const std::int64_t (&v)[K]) { return v[below(K)]; }
};

}  // namespace pol_bench
