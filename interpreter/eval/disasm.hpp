#pragma once
// A listing of the compiled code for a set of outputs: the register code (constants, one
// instruction a line with the checked node it comes from, the outputs, the checks) and its
// whole-number form, or why it has none. `pol debug code` prints it; a golden file keeps it
// reviewed (tests/golden/code).
#include <string>

#include "eval/registers/code.hpp"

namespace pol::interp {

[[nodiscard]] std::string disassemble(const Program& program, const registers::Code& code);

}  // namespace pol::interp
