#pragma once
// What comes around the derivation: the case facts, the placeholders the outputs depend on,
// the readings already printed (build.cpp calls add_summary once the tree is built).
#include "explain/explain.hpp"

namespace pol::interp {

void add_summary(Explanation& e, const Program& program, const Case& c, const Trace& trace);
// Marks each node whose reading an earlier node on the page already printed.
void mark_repeated_readings(Explanation& e);
// The SHA-256 of `text` as 64 lowercase hex digits (the provenance of a page; the server's file hashes).
[[nodiscard]] std::string sha256_hex(std::string_view text);

}  // namespace pol::interp
