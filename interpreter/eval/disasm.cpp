#include "eval/disasm.hpp"

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "eval/int64/code.hpp"

namespace pol::interp {

namespace {

using registers::kNone;

class Lister {
public:
  Lister(const Program& prog, const registers::Code& code) : prog_(prog), p_(prog.policy()), C_(code) {}

  std::string run() {
    header();
    constants();
    instructions();
    outputs_and_checks();
    whole_number_form();
    return out_;
  }

private:
  std::string reg(std::uint32_t r) const {
    if (r == kNone) return "-";
    if (r < C_.inputs) return fmt::format("in:{}", p_.inputs[r].name);
    if (C_.is_const(r)) return fmt::format("c{}", r);
    return fmt::format("r{}", r);
  }

  std::string where(checked::NodeId id) const {
    const auto& place = p_.nodes[id].place;
    if (place.file >= p_.files.size()) return fmt::format("node {}", id);
    return fmt::format("node {} at {}:{}", id, p_.file_of(place).name(), p_.file_of(place).line_col(place.range.begin).line);
  }

  std::string mark(std::uint32_t m) const {
    std::uint32_t index = m & registers::kPoisonIndexMask;
    switch (static_cast<registers::PoisonKind>(m & registers::kPoisonKindMask)) {
      case registers::PoisonKind::Missing: return fmt::format("missing input {}", p_.inputs[index].name);
      case registers::PoisonKind::NoParam: {
        const auto [node, ctx] = C_.no_param_sites[index];
        auto d = prog_.context_date(ctx);
        return fmt::format("no value of {} on {}", p_.params[p_.nodes[node].slot].name, d ? format_date(*d) : "-");
      }
      case registers::PoisonKind::DivZero: return fmt::format("division by zero at {}", where(index));
      case registers::PoisonKind::Overflow: break;
    }
    return fmt::format("overflow at {}", where(index));
  }

  void header() {
    out_ += fmt::format("register code: {} outputs, {} inputs, {} constants, {} instructions, {} arms, {} checks\n",
                        C_.rules.size(), C_.inputs, C_.consts.size(), C_.code.size(), C_.arms.size(), C_.checks.size());
    out_ += fmt::format("decision date: {}\n", prog_.date() ? format_date(*prog_.date()) : "latest values");
  }

  void constants() {
    out_ += "constants:\n";
    for (std::size_t k = 0; k < C_.consts.size(); ++k) {
      std::uint32_t r = C_.inputs + static_cast<std::uint32_t>(k);
      if (C_.const_poison[k]) out_ += fmt::format("  {} = poisoned: {}\n", reg(r), mark(C_.const_poison[k]));
      else out_ += fmt::format("  {} = {}\n", reg(r), C_.consts[k].to_string());
    }
  }

  void instructions() {
    out_ += "code:\n";
    for (const auto& ins : C_.code) {
      std::string line = fmt::format("  {} = {}", reg(ins.dst), checked::op_name(ins.op));
      switch (checked::shape_of(ins.op)) {
        case checked::Shape::Branches:
        case checked::Shape::Match:
          if (ins.op == checked::Op::Match) line += fmt::format(" {}", reg(ins.a));
          for (std::uint32_t i = 0; i < ins.count; ++i) {
            const auto& arm = C_.arms[ins.first + i];
            if (ins.op == checked::Op::Match) line += fmt::format(" [{:#x} -> {}]", arm.mask, reg(arm.result));
            else line += fmt::format(" [{} -> {}]", reg(arm.cond), reg(arm.result));
          }
          break;
        case checked::Shape::Unary:
          line += fmt::format(" {}", reg(ins.a));
          if (ins.op == checked::Op::In) line += fmt::format(" {:#x}", ins.mask);
          if (ins.op == checked::Op::Round) line += fmt::format(" places {} mode {}", ins.places, static_cast<int>(ins.mode));
          break;
        case checked::Shape::Leaf:
        case checked::Shape::AsOf:
        case checked::Shape::Binary:
        case checked::Shape::Operands: line += fmt::format(" {} {}", reg(ins.a), reg(ins.b)); break;
      }
      out_ += fmt::format("{:<48} ; {}\n", line, where(ins.node));
    }
  }

  void outputs_and_checks() {
    out_ += "outputs:\n";
    for (std::size_t k = 0; k < C_.rules.size(); ++k)
      out_ += fmt::format("  {} = {}\n", p_.rules[C_.rules[k]].name, reg(C_.out_regs[k]));
    out_ += "checks:\n";
    for (const auto& ch : C_.checks) {
      switch (ch.kind) {
        case registers::CheckKind::Min: out_ += fmt::format("  {} >= {}\n", p_.inputs[ch.input].name, reg(ch.reg)); break;
        case registers::CheckKind::Max: out_ += fmt::format("  {} <= {}\n", p_.inputs[ch.input].name, reg(ch.reg)); break;
        case registers::CheckKind::Constraint: out_ += fmt::format("  constraint {}\n", reg(ch.reg)); break;
      }
    }
  }

  void whole_number_form() {
    if (!C_.whole) {
      out_ += "whole-number form: none (an operation without one, or a scale beyond 18 decimals)\n";
      return;
    }
    const int64::Code& F = *C_.whole;
    out_ += fmt::format("whole-number form: {} instructions, {} checks, {} inputs ({} booleans and enums)\n",
                        F.code.size(), F.checks.size(), F.inputs.size(), F.plain_inputs);
    for (const auto& in : F.inputs) out_ += fmt::format("  input x{} = {} at scale {}\n", in.slot, p_.inputs[in.slot].name, in.scale);
    // Constants brought to a common scale, and the registers of the selects, after the others.
    for (std::size_t r = C_.registers; r < F.regs.size(); ++r) out_ += fmt::format("  x{} = {}\n", r, F.regs[r]);
    auto x = [](std::uint32_t r) { return fmt::format("x{}", r); };
    for (const auto& f : F.code) {
      std::string line = fmt::format("  {} = {}", x(f.dst), int64::fop_name(f.op));
      switch (f.op) {
        case int64::FOp::End: line = "  End"; break;
        case int64::FOp::Sel1:
        case int64::FOp::Sel2:
        case int64::FOp::Sel3: {
          int n = f.op == int64::FOp::Sel1 ? 1 : f.op == int64::FOp::Sel2 ? 2 : 3;
          for (int k = 0; k < n; ++k) line += fmt::format(" ({} ? {})", x(f.la[k]), x(f.lb[k]));
          line += fmt::format(" table {:#x} : {} / {}", f.mask, x(f.a), x(f.b));
          break;
        }
        case int64::FOp::In: line += fmt::format(" {} {:#x}", x(f.a), f.mask); break;
        case int64::FOp::Not:
        case int64::FOp::Neg:
        case int64::FOp::Move: line += fmt::format(" {}", x(f.a)); break;
        case int64::FOp::Round: line += fmt::format(" {} places {} shift {}", x(f.a), f.places, f.shift); break;
        case int64::FOp::MatchSel: line += fmt::format(" {} {:#x} : {} / {}", x(f.a), f.mask, x(f.first), x(f.count)); break;
        case int64::FOp::Chain:
        case int64::FOp::Match:
          if (f.op == int64::FOp::Match) line += fmt::format(" {}", x(f.a));
          for (std::uint32_t i = 0; i < f.count; ++i) {
            const auto& arm = F.arms[f.first + i];
            line += fmt::format(" [{} -> {} ×{}]", arm.cond == kNone ? "-" : x(arm.cond), x(arm.result), arm.m);
          }
          break;
        default:
          line += fmt::format(" {} {}", x(f.a), x(f.b));
          if (f.ma != 1 || f.mb != 1) line += fmt::format(" ×{} ×{}", f.ma, f.mb);
          if (f.shift || f.places) line += fmt::format(" places {} shift {}", f.places, f.shift);
      }
      out_ += fmt::format("{}\n", line);
    }
    for (const auto& o : F.out_pack) out_ += fmt::format("  output {} = x{} at scale {}\n", p_.rules[o.rule].name, o.reg, o.scale);
  }

  const Program& prog_;
  const checked::Policy& p_;
  const registers::Code& C_;
  std::string out_;
};

}  // namespace

std::string disassemble(const Program& program, const registers::Code& code) { return Lister(program, code).run(); }

}  // namespace pol::interp
