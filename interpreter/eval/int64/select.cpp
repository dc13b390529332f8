// fuse_select: booleans and two-way choices become one branch-free operation (Sel1..Sel3):
// up to three comparisons of registers ("leaves"), combined by a truth table, choosing
// between two registers. A comparison or and/or/not read only by the next one is folded into
// it, so `a >= 15 and b >= 2` is one operation; a `when c then x otherwise y` is a choice on
// c. Only comparisons of registers at the same scale are leaves (others stay as they are).
#include "eval/int64/compiler.hpp"

namespace pol::interp::int64 {

// A boolean expression over up to three leaves.
struct Compiler::BExpr {
  int n = 0;
  std::uint32_t a[3] = {}, b[3] = {};
  std::uint8_t tt[3] = {};  // leaf k is true for the codes (see sel_code) set in tt[k]
  std::uint8_t table = 0;   // the expression, by the leaves' truth values (bit k: leaf k)
};

// What a fused instruction becomes.
enum class Fused : std::uint8_t { Kept, Select, IntoReader };

struct Compiler::Selects {
  std::vector<int> expr_of;  // register -> index into exprs, by its producer
  std::vector<BExpr> exprs;
  std::vector<Fused> fused;
  std::vector<BExpr> sel;
  std::vector<std::uint32_t> sel_t, sel_f;
};

namespace {

using BExpr = Compiler::BExpr;

// tt: bit 0 when a > b, bit 1 when a < b, bit 2 when a == b (see sel_code in run.cpp).
int cmp_tt(FOp op) {
  switch (op) {
    case FOp::LtSame: return 2;
    case FOp::LeSame: return 6;
    case FOp::GtSame: return 1;
    case FOp::GeSame: return 5;
    case FOp::EqSame: return 4;
    case FOp::NeSame: return 3;
    default: return -1;
  }
}

BExpr leaf(std::uint32_t a, std::uint32_t b, int tt) {
  BExpr e;
  e.n = 1;
  e.a[0] = a;
  e.b[0] = b;
  e.tt[0] = static_cast<std::uint8_t>(tt);
  e.table = 0xAA;
  return e;
}

BExpr combine(const BExpr& A, const BExpr& B, bool is_and) {
  BExpr e;
  e.n = A.n + B.n;
  for (int k = 0; k < A.n; ++k) e.a[k] = A.a[k], e.b[k] = A.b[k], e.tt[k] = A.tt[k];
  for (int k = 0; k < B.n; ++k) e.a[A.n + k] = B.a[k], e.b[A.n + k] = B.b[k], e.tt[A.n + k] = B.tt[k];
  for (unsigned idx = 0; idx < 8; ++idx) {
    unsigned ia = idx & ((1u << A.n) - 1), ib = (idx >> A.n) & ((1u << B.n) - 1);
    unsigned va = (A.table >> ia) & 1u, vb = (B.table >> ib) & 1u;
    unsigned v = is_and ? (va & vb) : (va | vb);
    e.table = static_cast<std::uint8_t>(e.table | (v << idx));
  }
  return e;
}

}  // namespace

Ins Compiler::make_sel(const BExpr& e, std::uint32_t dst, std::uint32_t t, std::uint32_t f_) const {
  Ins f{};
  f.op = e.n == 1 ? FOp::Sel1 : e.n == 2 ? FOp::Sel2 : FOp::Sel3;
  f.dst = dst;
  f.mask = 0;
  for (int k = 0; k < 3; ++k) {
    f.la[k] = k < e.n ? e.a[k] : zero_;
    f.lb[k] = k < e.n ? e.b[k] : zero_;
  }
  // The table by the leaves' codes: code c of leaf k is true when bit c of tt[k] is set.
  for (unsigned idx = 0; idx < (1u << (2 * e.n)); ++idx) {
    unsigned bits = 0;
    for (int k = 0; k < e.n; ++k) bits |= ((e.tt[k] >> ((idx >> (2 * k)) & 3u)) & 1u) << k;
    f.mask |= static_cast<std::uint64_t>((e.table >> bits) & 1u) << idx;
  }
  f.a = t;
  f.b = f_;
  return f;
}

// A chain's arm result at the chain's scale: the register, or a constant scaled once.
bool Compiler::arm_reg(const Arm& arm, std::uint32_t& out) {
  if (arm.m == 1) {
    out = arm.result;
    return true;
  }
  std::int64_t v;
  if (!is_const(arm.result) || __builtin_mul_overflow(F_->regs[arm.result], arm.m, &v)) return false;
  out = add_const(v);
  return true;
}

void Compiler::fuse_select() {
  const std::size_t n = F_->code.size();
  extra_.assign(n, {});
  zero_ = add_const(0);
  one_ = add_const(1);
  Selects s;
  s.expr_of.assign(uses_.size(), -1);
  s.fused.assign(n, Fused::Kept);
  s.sel.resize(n);
  s.sel_t.resize(n);
  s.sel_f.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    if (seg_[i] != Segment::Dead) select_one(i, s);
  for (std::size_t i = 0; i < n; ++i) {
    if (s.fused[i] == Fused::IntoReader) seg_[i] = Segment::Dead;
    else if (s.fused[i] == Fused::Select) F_->code[i] = make_sel(s.sel[i], F_->code[i].dst, s.sel_t[i], s.sel_f[i]);
  }
}

// The expression of register r as read by instruction i, and (in `from`) the producer to
// drop if it is used: a register with an expression, read once, in the same segment.
Compiler::BExpr Compiler::inline_of(std::uint32_t r, std::size_t i, const Selects& s, int& from) const {
  from = -1;
  if (r < uses_.size() && s.expr_of[r] >= 0 && uses_[r] == 1) {
    int j = producer_[r];
    if (j >= 0 && seg_[j] == seg_[i]) {
      from = j;
      return s.exprs[s.expr_of[r]];
    }
  }
  return leaf(r, zero_, 3);  // r != 0
}

void Compiler::select_one(std::size_t i, Selects& s) {
  const Ins& f = F_->code[i];
  auto record = [&](const BExpr& e) {
    s.expr_of[f.dst] = static_cast<int>(s.exprs.size());
    s.exprs.push_back(e);
  };
  if (int t = cmp_tt(f.op); t >= 0) {
    record(leaf(f.a, f.b, t));
    return;  // stays a comparison unless folded into its reader
  }
  BExpr e;
  int j1 = -1, j2 = -1;
  if (f.op == FOp::Not) {
    e = inline_of(f.a, i, s, j1);
    e.table = static_cast<std::uint8_t>(~e.table);
    record(e);
    s.sel_t[i] = one_;
    s.sel_f[i] = zero_;
  } else if (f.op == FOp::And || f.op == FOp::Or) {
    BExpr A = inline_of(f.a, i, s, j1), B = inline_of(f.b, i, s, j2);
    if (A.n + B.n > 3 && j2 >= 0 && A.n + 1 <= 3) B = leaf(f.b, zero_, 3), j2 = -1;
    if (A.n + B.n > 3 && j1 >= 0) A = leaf(f.a, zero_, 3), j1 = -1;
    if (A.n + B.n > 3) B = leaf(f.b, zero_, 3), j2 = -1;
    e = combine(A, B, f.op == FOp::And);
    record(e);
    s.sel_t[i] = one_;
    s.sel_f[i] = zero_;
  } else if (f.op == FOp::Chain) {
    if (!select_chain(i, f, s, e, j1)) return;
  } else {
    select_match(i, f);
    return;
  }
  s.fused[i] = Fused::Select;
  s.sel[i] = e;
  if (j1 >= 0) s.fused[j1] = Fused::IntoReader;
  if (j2 >= 0) s.fused[j2] = Fused::IntoReader;
}

// when c1 then r1 when c2 then r2 … otherwise rn, every arm but the last with a condition:
// from the last choice to the first, each into a temporary register (c2 ? r2 : …), the first
// into the chain's own (its condition in `e`).
bool Compiler::select_chain(std::size_t i, const Ins& f, Selects& s, BExpr& e, int& j1) {
  if (f.count < 2) return false;
  for (std::uint32_t k = 0; k + 1 < f.count; ++k)
    if (F_->arms[f.first + k].cond == registers::kNone) return false;
  if (F_->arms[f.first + f.count - 1].cond != registers::kNone) return false;
  std::vector<std::uint32_t> rr(f.count);
  bool all = true;
  for (std::uint32_t k = 0; k < f.count; ++k) all = all && arm_reg(F_->arms[f.first + k], rr[k]);
  if (!all) return false;
  std::uint32_t next = rr[f.count - 1];
  for (std::uint32_t k = f.count - 2; k >= 1; --k) {
    int jk = -1;
    BExpr ek = inline_of(F_->arms[f.first + k].cond, i, s, jk);
    if (jk >= 0) s.fused[jk] = Fused::IntoReader;
    const std::uint32_t tmp = add_const(0);  // a temporary, written per case
    extra_[i].push_back(make_sel(ek, tmp, rr[k], next));
    next = tmp;
  }
  e = inline_of(F_->arms[f.first].cond, i, s, j1);
  s.sel_t[i] = rr[0];
  s.sel_f[i] = next;
  return true;
}

// A match of two arms (matches are exhaustive, the checker sees to it: the second arm is the
// rest) becomes a choice on the subject's bit in the first arm's mask.
bool Compiler::select_match(std::size_t i, const Ins& f) {
  if (f.op != FOp::Match || f.count != 2 || F_->arms[f.first].mask == 0) return false;
  std::uint32_t rt, rf;
  if (!arm_reg(F_->arms[f.first], rt) || !arm_reg(F_->arms[f.first + 1], rf)) return false;
  Ins& m = F_->code[i];
  m.op = FOp::MatchSel;
  m.mask = F_->arms[f.first].mask;
  m.first = rt;
  m.count = rf;
  return true;
}

}  // namespace pol::interp::int64
