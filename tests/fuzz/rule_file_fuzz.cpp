// Fuzz target for the rule-file path: parse, check, format, and re-parse the formatted text.
// Must never crash, hang or trip a sanitizer; formatting a file that parsed must give text
// that parses to the same layout again (fmt is a fixed point).
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "check/checker.hpp"
#include "syntax/format.hpp"
#include "syntax/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto file = std::make_shared<pol::dsl::SourceFile>("fuzz.pol", text);
  auto parsed = pol::dsl::parse(file);
  for (const auto& d : parsed.diagnostics) (void)pol::dsl::render(d);
  auto checked = pol::dsl::check_source(file);
  for (const auto& d : checked.diagnostics) (void)pol::dsl::render(d);
  if (!pol::dsl::has_errors(parsed.diagnostics)) {
    std::string once = pol::dsl::format_module(parsed.module);
    auto again = pol::dsl::parse(std::make_shared<pol::dsl::SourceFile>("fuzz.pol", once));
    if (pol::dsl::has_errors(again.diagnostics)) std::abort();  // fmt wrote text that does not parse
    std::string twice = pol::dsl::format_module(again.module);
    if (twice != once) std::abort();  // fmt is not a fixed point
  }
  return 0;
}
