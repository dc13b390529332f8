#pragma once
// The whole-number form of register code, for the cases where it applies (nearly all).
//
// Every register holds an int64 coefficient at a scale fixed when the code is compiled: an
// input of money at 2 decimal places, a whole number at 0, any other number at 6, a constant
// at its own; each operation's scale follows from its operands' (a sum: the larger of the
// two; a product: their sum; round(x, p): p). So the arithmetic is plain integer arithmetic
// with no scale tests, and every result is exactly the value the Decimal arithmetic gives
// (values, not representations, are what the language defines and what is printed).
//
// The rule that keeps it in agreement with the reference walk: this path may only decline a
// case, never differ. Whenever a result could not be exactly the reference's, run() returns
// false before it has written anything to the outcome, and the case runs on the register
// code instead: an input with more decimals than its scale, a missing input, any overflow of
// an int64, a check of validate() that fails. Programs that use an operation without a
// whole-number form here (division), or a product of more than 18 decimal
// places that is not rounded at once, get no whole-number form at all (compile() returns null).
#include <cstdint>
#include <memory>
#include <vector>

#include "cases/case.hpp"
#include "eval/outcome.hpp"

namespace pol::interp {
namespace registers {
struct Code;
}

namespace int64 {

// The operations, from one list: the enum, their names and run()'s dispatch table come from it.
//   *Same: both operands at the same scale (no factors); Mul*Round*: a product rounded at once;
//   Sel1..Sel3: a branch-free choice on up to three comparisons; MatchSel: a two-way match;
//   Check*: the checks of validate() (in Code::checks, never in Code::code); End: the end of
//   the outputs' code, and again of the checks' code.
#define POL_INT64_OPS(X)                                                                                           \
  X(Add) X(Sub) X(AddSame) X(SubSame) X(Mul) X(MulRound) X(Round) X(Move) X(Neg) X(Not) X(In) X(And) X(Or) X(Lt)  \
  X(Le) X(Gt) X(Ge) X(Eq) X(Ne) X(LtSame) X(LeSame) X(GtSame) X(GeSame) X(EqSame) X(NeSame) X(Min) X(Max)        \
  X(Chain) X(Match) X(End) X(MulRoundN) X(CheckMin) X(CheckMax) X(CheckTrue) X(Sel1) X(Sel2) X(Sel3) X(MatchSel) \
  X(MinSame) X(MaxSame) X(DateAddDays) X(DateDiffDays) X(DateAddMonths) X(MonthsBetween) X(Given)

enum class FOp : std::uint8_t {
#define POL_X(name) name,
  POL_INT64_OPS(POL_X)
#undef POL_X
};
inline constexpr const char* kFOpName[] = {
#define POL_X(name) #name,
    POL_INT64_OPS(POL_X)
#undef POL_X
};
[[nodiscard]] inline const char* fop_name(FOp op) { return kFOpName[static_cast<int>(op)]; }

struct Ins {
  FOp op;
  std::uint8_t places = 0;  // Round, MulRound: the result's decimals; MulRound: product scale in `first`
  std::uint8_t shift = 0;   // Round: decimals to drop
  RoundMode mode = RoundMode::HalfAwayFromZero;
  std::uint32_t dst = 0, a = 0, b = 0;
  std::int64_t ma = 1, mb = 1;  // the operands' factors to the common scale
  std::uint32_t first = 0, count = 0;
  std::uint64_t mask = 0;
  // Sel1..Sel3: dst = bit i of `mask` ? X[a] : X[b], where i has two bits per leaf k, how
  // X[la[k]] compares with X[lb[k]] (see sel_code in run.cpp).
  std::uint32_t la[3] = {}, lb[3] = {};
};

struct Arm {
  std::uint32_t cond;  // registers::kNone: otherwise
  std::uint64_t mask;
  std::uint32_t result;
  std::int64_t m;  // the result's factor to the chain's scale
};

struct Input {
  std::uint32_t slot;
  std::uint8_t scale;
};

// The last results of one MulRound, by operands: its 128-bit arithmetic is the dearest step,
// and its operands take few distinct values (a contribution times a parameter).
struct MulRoundMemo {
  struct Entry {
    std::int64_t a = 0, b = 0, out = 0;
    bool valid = false;
  };
  Entry e[4];
};

struct Code {
  std::vector<MulRoundMemo> memos;  // per MulRound, by its `count`
  std::vector<Input> inputs;        // the inputs the code reads: booleans and enums first
  std::uint32_t plain_inputs = 0;   // how many of them are booleans and enums
  struct Out {
    std::uint32_t reg;
    std::uint8_t scale;
    std::uint32_t rule;
  };
  std::vector<Out> out_pack;  // outs, with the rule of each
  std::vector<Ins> checks;
  std::vector<Ins> code;
  std::vector<Arm> arms;
  std::vector<std::int64_t> regs;  // constants filled in once; the registers of a run
  std::vector<std::pair<std::uint32_t, std::uint8_t>> outs;  // register, scale
};

// The whole-number form of `code`, or null when the program has none.
[[nodiscard]] std::unique_ptr<Code> compile(const checked::Policy& policy, const registers::Code& code);

// Runs the whole-number code on a case (with the checks of validate() when `checks`); false,
// with `out` untouched, when the case needs the register code.
[[nodiscard]] bool run(Code& code, const Case& c, bool checks, Outcome& out);

}  // namespace int64
}  // namespace pol::interp
