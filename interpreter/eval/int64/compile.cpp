// The whole-number form of register code, compiled in named passes:
//   lower       each instruction at the scale its operands give (and aliasing: an operation
//               that returns one operand unchanged is not computed); declines what has no
//               whole-number form
//   finish      the outputs' registers and the checks of validate()
//   dead_code   only what the outputs need, then what only the checks need
//   fuse_round  a round() of a product read nowhere else is done with the product
//   fuse_select booleans and two-way choices become branch-free selects (select.cpp)
//   layout      the outputs' code, End, the checks' code, End
//   pack_inputs the inputs read, booleans and enums first
#include "eval/int64/compiler.hpp"

namespace pol::interp::int64 {

using checked::Op;

Compiler::Compiler(const checked::Policy& policy, const registers::Code& L)
    : policy_(policy), L_(L), F_(std::make_unique<Code>()) {
  sc_.assign(L.registers, -1);
  used_.assign(L.inputs, 0);
  wide_.assign(L.registers, {0, 0});
  alias_.resize(L.registers);
  for (std::uint32_t r = 0; r < L.registers; ++r) alias_[r] = r;
  for (std::uint32_t i = 0; i < L.inputs; ++i) sc_[i] = input_scale(policy.inputs[i].type);
  for (std::uint32_t k = 0; k < L.consts.size(); ++k)
    if (!L.const_poison[k]) sc_[L.inputs + k] = L.consts[k].scale();
  F_->regs.assign(L.registers, 0);
  for (std::uint32_t k = 0; k < L.consts.size(); ++k) F_->regs[L.inputs + k] = L.consts[k].coef();
}

std::unique_ptr<Code> Compiler::run() {
  lower();
  if (ok_) finish();
  if (!ok_) return nullptr;
  dead_code();
  fuse_round();
  fuse_select();
  layout();
  pack_inputs();
  return std::move(F_);
}

int Compiler::use(std::uint32_t r) {
  if (r >= sc_.size() || sc_[r] < 0 || sc_[r] == kWide) {
    ok_ = false;
    return 0;
  }
  if (r < L_.inputs) used_[r] = 1;
  return sc_[r];
}

bool Compiler::is_const(std::uint32_t r) const {
  return r >= L_.registers || (L_.is_const(r) && !L_.const_poison[r - L_.inputs]);
}

bool Compiler::const_is(std::uint32_t r, std::int64_t v) const {
  return L_.is_const(r) && !L_.const_poison[r - L_.inputs] && L_.consts[r - L_.inputs].coef() == v &&
         L_.consts[r - L_.inputs].scale() == 0;
}

std::uint32_t Compiler::add_const(std::int64_t v, int scale) {
  F_->regs.push_back(v);
  sc_.push_back(scale);
  return static_cast<std::uint32_t>(F_->regs.size() - 1);
}

// A constant operand at fewer decimals than the other is brought to the common scale once,
// here, into a register of its own: the operation then needs no scaling.
void Compiler::prescale(std::uint32_t& r, std::int64_t& m, int s) {
  std::int64_t v;
  if (m == 1 || !is_const(r) || __builtin_mul_overflow(F_->regs[r], m, &v)) return;
  r = add_const(v, s);
  m = 1;
}

int Compiler::align(Ins& f, std::uint32_t a, std::uint32_t b) {
  int sa = use(a), sb = use(b);
  int s = sa > sb ? sa : sb;
  f.ma = kP10[s - sa];
  f.mb = kP10[s - sb];
  if (ok_) {
    prescale(f.a, f.ma, s);
    prescale(f.b, f.mb, s);
  }
  return s;
}

// A result that is one of its operands unchanged (round() to as many decimals as it has, a
// product with 1, a sum with 0) is not computed: later reads take the operand instead.
bool Compiler::alias_trivial(const registers::Ins& ins) {
  auto same_as = [&](std::uint32_t r) {
    sc_[ins.dst] = use(r);
    alias_[ins.dst] = r;
    return true;
  };
  if (ins.op == Op::Mul && (const_is(ins.a, 1) || const_is(ins.b, 1))) return same_as(const_is(ins.a, 1) ? ins.b : ins.a);
  if ((ins.op == Op::Add && const_is(ins.a, 0)) || ((ins.op == Op::Add || ins.op == Op::Sub) && const_is(ins.b, 0)))
    return same_as(const_is(ins.b, 0) ? ins.a : ins.b);
  if (ins.op == Op::Round && ins.a < L_.registers && sc_[ins.a] >= 0 && sc_[ins.a] != kWide && ins.places >= sc_[ins.a])
    return same_as(ins.a);
  return false;
}

void Compiler::lower() {
  for (const registers::Ins& raw : L_.code) {
    if (!ok_) return;
    registers::Ins ins = raw;
    ins.a = res(ins.a);
    ins.b = res(ins.b);
    if (alias_trivial(ins)) continue;
    Ins f{};
    f.dst = ins.dst;
    f.a = ins.a;
    f.b = ins.b;
    int s = 0;
    if (!lower_one(ins, f, s)) continue;  // a wide product: waits for its round()
    if (s > Decimal::kMaxScale) ok_ = false;
    if (!ok_) return;
    sc_[ins.dst] = s;
    F_->code.push_back(f);
  }
}

// One instruction at its operands' scales into `f`; its result's scale in `s`. False when the
// instruction is not emitted (a product too wide to hold until its round()).
bool Compiler::lower_one(const registers::Ins& ins, Ins& f, int& s) {
  switch (ins.op) {
    case Op::Add:
    case Op::Sub: {
      s = align(f, ins.a, ins.b);
      bool same = f.ma == 1 && f.mb == 1;
      f.op = ins.op == Op::Add ? (same ? FOp::AddSame : FOp::Add) : (same ? FOp::SubSame : FOp::Sub);
      return true;
    }
    case Op::Min:
    case Op::Max: {
      s = align(f, ins.a, ins.b);
      bool same = f.ma == 1 && f.mb == 1;
      f.op = ins.op == Op::Min ? (same ? FOp::MinSame : FOp::Min) : (same ? FOp::MaxSame : FOp::Max);
      return true;
    }
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
      align(f, ins.a, ins.b);
      bool same = f.ma == 1 && f.mb == 1;
      static constexpr FOp kDiff[] = {FOp::Eq, FOp::Ne, FOp::Lt, FOp::Le, FOp::Gt, FOp::Ge};
      static constexpr FOp kSame[] = {FOp::EqSame, FOp::NeSame, FOp::LtSame, FOp::LeSame, FOp::GtSame, FOp::GeSame};
      int k = static_cast<int>(ins.op) - static_cast<int>(Op::Eq);
      f.op = same ? kSame[k] : kDiff[k];
      s = 0;
      return true;
    }
    case Op::Mul:
      s = use(ins.a) + use(ins.b);
      if (s > Decimal::kMaxScale) {
        // Only a round() of it can be computed here: the two are done as one.
        wide_[ins.dst] = {ins.a, ins.b};
        sc_[ins.dst] = kWide;
        return false;
      }
      f.op = FOp::Mul;
      return true;
    case Op::Round: lower_round(ins, f, s); return true;
    case Op::Neg:
      s = use(ins.a);
      f.op = FOp::Neg;
      return true;
    case Op::Not:
      use(ins.a);
      f.op = FOp::Not;
      return true;
    case Op::In:
      use(ins.a);
      f.op = FOp::In;
      f.mask = ins.mask;
      return true;
    case Op::And:
    case Op::Or:
      use(ins.a);
      use(ins.b);
      f.op = ins.op == Op::And ? FOp::And : FOp::Or;
      return true;
    case Op::Chain:
    case Op::Match: lower_branches(ins, f, s); return true;
    case Op::DateAddDays:
    case Op::DateDiffDays:
    case Op::DateAddMonths:
    case Op::MonthsBetween: {
      // Dates, days and months are whole numbers at scale 0; anything else has no form here.
      if (use(ins.a) != 0 || use(ins.b) != 0) break;
      static constexpr FOp kDate[] = {FOp::DateAddDays, FOp::DateDiffDays, FOp::DateAddMonths, FOp::MonthsBetween};
      f.op = kDate[static_cast<int>(ins.op) - static_cast<int>(Op::DateAddDays)];
      s = 0;
      return true;
    }
    case Op::Given:
      f.op = FOp::Given;  // a = the input: its state, not its value (nothing to load)
      f.b = f.a;
      s = 0;
      return true;
    case Op::Div:
    case Op::Const:
    case Op::Input:
    case Op::Param:
    case Op::Rule:
    case Op::AsOf: break;  // division: the register code only
  }
  ok_ = false;
  return true;
}

void Compiler::lower_round(const registers::Ins& ins, Ins& f, int& s) {
  if (ins.a < L_.registers && sc_[ins.a] == kWide) {
    f.op = FOp::MulRound;
    f.a = wide_[ins.a].first;
    f.b = wide_[ins.a].second;
    f.count = static_cast<std::uint32_t>(F_->memos.size());
    F_->memos.emplace_back();
    f.first = static_cast<std::uint32_t>(use(f.a) + use(f.b));
    f.places = ins.places;
    f.mode = ins.mode;
    sc_[ins.a] = -1;  // read once only
    s = ins.places;
    return;
  }
  int sa = use(ins.a);
  if (ins.places >= sa) {
    f.op = FOp::Move;
    s = sa;
  } else {
    f.op = FOp::Round;
    f.places = ins.places;
    f.shift = static_cast<std::uint8_t>(sa - ins.places);
    f.mode = ins.mode;
    s = ins.places;
  }
}

void Compiler::lower_branches(const registers::Ins& ins, Ins& f, int& s) {
  if (ins.op == Op::Match) use(ins.a);
  f.op = ins.op == Op::Chain ? FOp::Chain : FOp::Match;
  f.first = static_cast<std::uint32_t>(F_->arms.size());
  f.count = ins.count;
  for (std::uint32_t i = 0; i < ins.count; ++i) {
    const registers::Arm& arm = L_.arms[ins.first + i];
    if (arm.cond != registers::kNone) use(res(arm.cond));
    int rs = use(res(arm.result));
    if (rs > s) s = rs;
  }
  for (std::uint32_t i = 0; i < ins.count; ++i) {
    const registers::Arm& arm = L_.arms[ins.first + i];
    std::uint32_t cond = arm.cond == registers::kNone ? registers::kNone : res(arm.cond), result = res(arm.result);
    int rs = ok_ ? sc_[result] : 0;
    F_->arms.push_back({cond, arm.mask, result, kP10[s - rs]});
  }
}

void Compiler::finish() {
  for (std::uint32_t r0 : L_.out_regs) {
    std::uint32_t r = res(r0);
    int s = use(r);
    if (!ok_) return;
    F_->outs.emplace_back(r, static_cast<std::uint8_t>(s));
  }
  for (registers::Check ch : L_.checks) {
    ch.reg = res(ch.reg);
    bool known = ch.reg < L_.registers && sc_[ch.reg] >= 0 && sc_[ch.reg] != kWide;
    bool poisoned_const = L_.is_const(ch.reg) && L_.const_poison[ch.reg - L_.inputs];
    if (poisoned_const) continue;  // validate() skips a check it cannot evaluate
    if (!known) {
      ok_ = false;
      return;
    }
    Ins f{};
    if (ch.kind == registers::CheckKind::Constraint) {
      f.op = FOp::CheckTrue;
      f.a = ch.reg;
      use(ch.reg);
    } else {
      f.op = ch.kind == registers::CheckKind::Min ? FOp::CheckMin : FOp::CheckMax;
      f.a = ch.input;
      f.b = ch.reg;
      align(f, ch.input, ch.reg);
    }
    F_->checks.push_back(f);
  }
}

void Compiler::dead_code() {
  const std::size_t n = F_->code.size();
  const std::size_t R = F_->regs.size();  // the registers, with the constants added above
  std::vector<std::uint8_t> need_out(R, 0), need_chk(R, 0);
  seg_.assign(n, Segment::Dead);
  for (auto& [r, s] : F_->outs) need_out[r] = 1;
  for (const Ins& c : F_->checks) {
    need_chk[c.a] = 1;
    if (c.op != FOp::CheckTrue) need_chk[c.b] = 1;
  }
  for (std::size_t i = n; i-- > 0;) {
    const Ins& f = F_->code[i];
    if (need_out[f.dst]) {
      seg_[i] = Segment::Outputs;
      operands(f, [&](std::uint32_t r) { need_out[r] = 1; });
    } else if (need_chk[f.dst]) {
      seg_[i] = Segment::Checks;
      operands(f, [&](std::uint32_t r) { need_chk[r] = 1; });
    }
  }
  uses_.assign(R, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (seg_[i] != Segment::Dead) operands(F_->code[i], [&](std::uint32_t r) { ++uses_[r]; });
  for (auto& [r, s] : F_->outs) ++uses_[r];
  for (const Ins& c : F_->checks) {
    ++uses_[c.a];
    if (c.op != FOp::CheckTrue) ++uses_[c.b];
  }
  producer_.assign(R, -1);
  for (std::size_t i = 0; i < n; ++i)
    if (seg_[i] != Segment::Dead) producer_[F_->code[i].dst] = static_cast<int>(i);
}

void Compiler::fuse_round() {
  for (std::size_t i = 0; i < F_->code.size(); ++i) {
    Ins& f = F_->code[i];
    if (seg_[i] == Segment::Dead || f.op != FOp::Round) continue;
    int j = producer_[f.a];
    if (j < 0 || F_->code[j].op != FOp::Mul || uses_[f.a] != 1 || seg_[j] != seg_[i]) continue;
    Ins& m = F_->code[j];
    m.op = FOp::MulRoundN;
    m.dst = f.dst;
    m.shift = f.shift;
    m.places = f.places;
    m.mode = f.mode;
    seg_[i] = Segment::Dead;
  }
}

void Compiler::layout() {
  std::vector<Ins> code;
  for (Segment part : {Segment::Outputs, Segment::Checks}) {
    for (std::size_t i = 0; i < F_->code.size(); ++i)
      if (seg_[i] == part) {
        code.insert(code.end(), extra_[i].begin(), extra_[i].end());
        code.push_back(F_->code[i]);
      }
    code.push_back(Ins{FOp::End});
  }
  F_->code = std::move(code);
}

// Booleans and enum values first: their values are whole numbers (scale 0), copied as they are.
void Compiler::pack_inputs() {
  auto plain = [&](std::uint32_t i) {
    return policy_.inputs[i].type.base == dsl::Base::Bool || policy_.inputs[i].type.base == dsl::Base::Enum;
  };
  for (std::uint32_t i = 0; i < L_.inputs; ++i)
    if (used_[i] && plain(i)) F_->inputs.push_back({i, static_cast<std::uint8_t>(sc_[i])});
  F_->plain_inputs = static_cast<std::uint32_t>(F_->inputs.size());
  for (std::uint32_t i = 0; i < L_.inputs; ++i)
    if (used_[i] && !plain(i)) F_->inputs.push_back({i, static_cast<std::uint8_t>(sc_[i])});
  for (std::size_t k = 0; k < F_->outs.size(); ++k)
    F_->out_pack.push_back({F_->outs[k].first, F_->outs[k].second, L_.rules[k]});
}

std::unique_ptr<Code> compile(const checked::Policy& policy, const registers::Code& code) {
  return Compiler(policy, code).run();
}

}  // namespace pol::interp::int64
