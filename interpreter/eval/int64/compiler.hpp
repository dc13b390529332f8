#pragma once
// The compiler of the whole-number form (compile.cpp, select.cpp): one pass a method.
#include <memory>
#include <utility>
#include <vector>

#include "eval/int64/code.hpp"
#include "eval/int64/scale.hpp"
#include "eval/registers/code.hpp"

namespace pol::interp::int64 {

class Compiler {
public:
  Compiler(const checked::Policy& policy, const registers::Code& code);
  // The passes in order; null when the code has no whole-number form.
  [[nodiscard]] std::unique_ptr<Code> run();

  struct BExpr;    // a boolean expression over up to three comparisons (select.cpp)
  struct Selects;  // fuse_select's working state

private:
  static constexpr int kWide = 100;  // the scale of a product of more than 18 decimals, waiting for its round()
  // Which part of the code an instruction belongs to, after dead_code().
  enum class Segment : std::uint8_t { Dead, Outputs, Checks };

  void lower();
  bool lower_one(const registers::Ins& ins, Ins& f, int& s);
  void lower_round(const registers::Ins& ins, Ins& f, int& s);
  void lower_branches(const registers::Ins& ins, Ins& f, int& s);
  bool alias_trivial(const registers::Ins& ins);
  void finish();
  void dead_code();
  void fuse_round();
  void fuse_select();
  void layout();
  void pack_inputs();

  // A register read by an operation: it must hold a value of a known scale.
  int use(std::uint32_t r);
  int align(Ins& f, std::uint32_t a, std::uint32_t b);
  void prescale(std::uint32_t& r, std::int64_t& m, int s);
  [[nodiscard]] bool is_const(std::uint32_t r) const;
  [[nodiscard]] bool const_is(std::uint32_t r, std::int64_t v) const;
  std::uint32_t add_const(std::int64_t v, int scale = 0);
  [[nodiscard]] std::uint32_t res(std::uint32_t r) const { return r < L_.registers ? alias_[r] : r; }
  // Calls fn for each register an instruction reads.
  template <class F>
  void operands(const Ins& f, F&& fn) const {
    switch (f.op) {
      case FOp::Round:
      case FOp::Move:
      case FOp::Neg:
      case FOp::Not:
      case FOp::In: fn(f.a); break;
      case FOp::Chain:
      case FOp::Match:
        if (f.op == FOp::Match) fn(f.a);
        for (std::uint32_t i = 0; i < f.count; ++i) {
          if (F_->arms[f.first + i].cond != registers::kNone) fn(F_->arms[f.first + i].cond);
          fn(F_->arms[f.first + i].result);
        }
        break;
      default: fn(f.a); fn(f.b);
    }
  }

  // fuse_select's pieces (select.cpp).
  BExpr inline_of(std::uint32_t r, std::size_t i, const Selects& s, int& from) const;
  void select_one(std::size_t i, Selects& s);
  bool select_chain(std::size_t i, const Ins& f, Selects& s, BExpr& e, int& j1);
  bool select_match(std::size_t i, const Ins& f);
  bool arm_reg(const Arm& arm, std::uint32_t& out);
  [[nodiscard]] Ins make_sel(const BExpr& e, std::uint32_t dst, std::uint32_t t, std::uint32_t f) const;

  const checked::Policy& policy_;
  const registers::Code& L_;
  std::unique_ptr<Code> F_;
  bool ok_ = true;
  std::vector<int> sc_;  // the scale of each register; -1 unknown
  std::vector<std::uint8_t> used_;  // inputs read
  std::vector<std::pair<std::uint32_t, std::uint32_t>> wide_;  // a wide product's operands
  std::vector<std::uint32_t> alias_;
  std::vector<Segment> seg_;
  std::vector<std::uint32_t> uses_;
  std::vector<int> producer_;
  std::vector<std::vector<Ins>> extra_;  // per instruction: what is computed just before it
  std::uint32_t zero_ = 0, one_ = 0;     // constant registers holding 0 and 1
};

}  // namespace pol::interp::int64
