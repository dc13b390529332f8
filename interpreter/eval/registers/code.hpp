#pragma once
// Register code: the checked nodes an output set needs, compiled for one Program into a flat
// list of instructions over numbered registers, in dependency order, with no recursion, no
// look-ups and no allocation per case. Parameters and input-free arithmetic are constants.
//
// Registers: [0, inputs) hold the case's inputs, [inputs, inputs + consts) the constants,
// then one register per instruction. Laziness is kept by poisoning instead of failing: a
// missing input, an overflow or a parameter without a value marks its register, the mark
// flows to what depends on it, and only an output that is marked is an error; a branch not
// taken, or the right side of a false `and`, does not pass its mark on. So an input is
// required only when an output needs it, as in the reference walk.
#include <cstdint>
#include <memory>
#include <vector>

#include "cases/case.hpp"
#include "checked/checked.hpp"
#include "checked/ops.hpp"
#include "eval/outcome.hpp"
#include "program/program.hpp"

namespace pol::interp {
namespace int64 {
struct Code;
}

namespace registers {

using checked::NodeId;
using checked::Op;

inline constexpr std::uint32_t kNone = UINT32_MAX;

// A poison mark: what went wrong (top bits) and where (the rest: an input, an entry of
// Code::no_param_sites, or the node of the failing operation).
enum class PoisonKind : std::uint32_t { Missing = 1u << 28, NoParam = 2u << 28, Overflow = 3u << 28, DivZero = 4u << 28 };
inline constexpr std::uint32_t kPoisonKindMask = 0xFu << 28, kPoisonIndexMask = (1u << 28) - 1;
inline constexpr std::uint32_t poison(PoisonKind k, std::uint32_t index) { return static_cast<std::uint32_t>(k) | index; }

struct Ins {
  Op op;
  std::uint8_t places = 0;
  RoundMode mode = RoundMode::HalfAwayFromZero;
  std::uint32_t dst = 0, a = 0, b = 0;
  std::uint32_t first = 0, count = 0;  // Chain/Match: arms[first, first + count)
  std::uint64_t mask = 0;
  NodeId node = 0;  // for errors
};

struct Arm {
  std::uint32_t cond;    // register of the condition, or kNone for otherwise
  std::uint64_t mask;    // Match: the arm's values (0 with cond == kNone: otherwise)
  std::uint32_t result;  // register of the result
};

// A check of validate(), compiled with the code: an input against its lower or upper bound
// (the bound's register in `reg`), or a constraint whose condition is in `reg`.
enum class CheckKind : std::uint8_t { Min, Max, Constraint };
struct Check {
  CheckKind kind;
  std::uint32_t input, reg;
};

// Whether the case gave each input, where the code is compiled for cases that agree on it
// (per input slot: -1 not known, 0 not given, 1 given). given(INPUT) of a known input is then a
// constant, and a branch it rules out is not compiled: a used file's rules behind
// `when given(birth_date) …` cost nothing for a case without a birth date.
using GivenStates = std::vector<std::int8_t>;

struct Code {
  std::vector<std::uint32_t> rules;  // the outputs this code computes
  GivenStates given;                 // the cases it is compiled for
  std::vector<Check> checks;
  std::unique_ptr<int64::Code> whole;  // the whole-number form, when there is one
  std::vector<Ins> code;
  std::vector<Arm> arms;
  std::vector<Value> consts;           // registers [inputs, inputs + consts.size())
  std::vector<std::uint32_t> const_poison;
  std::vector<std::uint32_t> out_regs;  // per entry of `rules`
  // Where a parameter without a value is read: the Param node and its context.
  std::vector<std::pair<NodeId, std::uint32_t>> no_param_sites;
  std::uint32_t inputs = 0, registers = 0;

  Code();
  ~Code();
  [[nodiscard]] bool is_const(std::uint32_t r) const { return r >= inputs && r < inputs + consts.size(); }
};

// The value of a strict instruction on its operands' values (ops:: for each operation);
// throws DecimalOverflow. Chains, matches, and/or and leaves are not strict.
[[nodiscard]] inline Value apply(const Ins& ins, Value a, Value b) {
  switch (checked::shape_of(ins.op)) {
    case checked::Shape::Unary: return ops::unary(ins, a);
    default: return ops::binary(ins.op, a, b);
  }
}

// Compiles the nodes `rules` need, for `program` (for cases with the `given` states).
[[nodiscard]] std::unique_ptr<Code> compile(const Program& program, const std::vector<std::uint32_t>& rules,
                                            const GivenStates& given = {});

// Runs register code: one per evaluator (it owns the registers).
class Machine {
public:
  void run(const Program& program, const Code& code, const Case& c, Outcome& out);

private:
  std::vector<Value> regs_;
  std::vector<std::uint32_t> poison_;
};

// The error a poison mark stands for, on output `output`.
[[nodiscard]] EvalError poison_error(const Program& program, const Code& code, std::uint32_t mark, std::uint32_t output);

}  // namespace registers
}  // namespace pol::interp
