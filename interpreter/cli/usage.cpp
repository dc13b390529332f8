#include "cli/usage.hpp"

#include <regex>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/messages.hpp"

namespace pol::cli {

using dsl::Msg;
using dsl::text;
using dsl::textf;

bool choose_language(int argc, char** argv, std::string& error) {
  const char* env = std::getenv("POL_LANG");
  auto from_env = dsl::lang_from_env();
  std::string_view given;
  bool has_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") break;
    if (a == "--lang" && i + 1 < argc) given = argv[i + 1], has_given = true;
    else if (a.substr(0, 7) == "--lang=") given = a.substr(7), has_given = true;
  }
  if (has_given) {
    if (auto l = dsl::parse_lang(given); l && (given == "zh" || given == "en")) {
      dsl::set_lang(*l);
      return true;
    }
  }
  dsl::set_lang(from_env.value_or(dsl::Lang::En));
  if (has_given) {
    error = textf(Msg::UsageBadLang, given);
    return false;
  }
  if (!from_env) {
    error = textf(Msg::UsageBadPolLang, env ? env : "");
    return false;
  }
  return true;
}

namespace {

// Columns a UTF-8 string takes on a terminal: Chinese characters and full-width punctuation
// take two.
std::size_t columns(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : (c & (0x7F >> len));
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000;
    n += wide ? 2 : 1;
    i += len;
  }
  return n;
}

// CLI11's type name of an option with a validator ("INT:INT in [1 - 100]", "TEXT:{a,b}") in the
// language of the run; other type names unchanged (they are labels: "TEXT", "INT").
std::string type_text(const std::string& name, const CLI::Formatter& f) {
  static const std::regex range(R"(^(\w+):\w+ in \[(\S+) - (\S+)\]$)");
  static const std::regex choice(R"(^(\w+):(\{.*\})$)");
  std::smatch m;
  if (std::regex_match(name, m, range)) return textf(Msg::HelpTypeRange, f.get_label(m[1].str()), m[2].str(), m[3].str());
  if (std::regex_match(name, m, choice)) return textf(Msg::HelpTypeChoice, f.get_label(m[1].str()), m[2].str());
  return name;
}

// CLI11's layout, with the option column padded by what a terminal shows rather than by bytes,
// and the type names of options with validators translated.
class Formatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override {
    std::string out = CLI::Formatter::make_option_opts(opt);
    const std::string& name = opt->get_type_name();
    if (name.find(':') == std::string::npos) return out;
    const std::string shown = get_label(name);
    if (auto at = out.find(shown); at != std::string::npos) out.replace(at, shown.size(), type_text(name, *this));
    return out;
  }

  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    std::string left = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
    std::string desc = make_option_desc(opt);
    const std::size_t width = get_column_width(), used = columns(left);
    std::string out = left;
    if (!desc.empty()) {
      if (used >= width) out += "\n" + std::string(width, ' ');
      else out += std::string(width - used, ' ');
      for (char ch : desc) out += ch == '\n' ? std::string("\n") + std::string(width, ' ') : std::string(1, ch);
    }
    return out + "\n";
  }
};

}  // namespace

void localize_app(CLI::App& app, std::string& lang) {
  app.formatter(std::make_shared<Formatter>());
  auto f = app.get_formatter();
  f->label("Usage", std::string(text(Msg::HelpUsage)));
  f->label("OPTIONS", std::string(text(Msg::HelpOptionsBadge)));
  f->label("SUBCOMMAND", std::string(text(Msg::HelpCommandBadge)));
  f->label("SUBCOMMANDS", std::string(text(Msg::HelpCommandBadge)));
  f->label("Positionals", std::string(text(Msg::HelpPositionals)));
  f->label("REQUIRED", std::string(text(Msg::HelpRequired)));
  f->label("TEXT", std::string(text(Msg::HelpText)));
  f->label("INT", std::string(text(Msg::HelpInt)));
  f->label("UINT", std::string(text(Msg::HelpInt)));
  app.option_defaults()->group(std::string(text(Msg::HelpOptions)));
  app.set_help_flag("-h,--help", std::string(text(Msg::HelpFlag)));
  app.set_version_flag("--version", "pol 0.1.0", std::string(text(Msg::HelpVersion)));
  app.fallthrough();
  app.add_option("--lang", lang, std::string(text(Msg::HelpLang)))->type_name("zh|en");  // checked by choose_language
}

void localize_commands(CLI::App& app) {
  for (auto* sub : app.get_subcommands({})) {
    if (!sub->get_group().empty()) sub->group(std::string(text(Msg::HelpCommands)));
    sub->set_help_flag("-h,--help", std::string(text(Msg::HelpFlag)));  // again: now in the localized group
  }
}

namespace {

// CLI11's own sentences, read back into their parts.
std::string translate_validation(const std::string& name, const std::string& inner) {
  std::smatch m;
  static const std::regex range(R"(^Value (.*) not in range (\S+) to (\S+)$)");
  static const std::regex member(R"(^(.*) not in (\{.*\})$)");
  if (std::regex_match(inner, m, range)) return textf(Msg::UsageRange, name, m[1].str(), m[2].str(), m[3].str());
  if (std::regex_match(inner, m, member)) return textf(Msg::UsageNotMember, name, m[1].str(), m[2].str());
  return fmt::format("{}: {}", name, inner);  // one of pol's own validators: already in the language
}

}  // namespace

std::string usage_message(const CLI::ParseError& e) {
  const std::string what = e.what();
  const std::string kind = e.get_name();
  std::smatch m;
  static const std::regex required(R"(^(.+) is required$)");
  static const std::regex extras(R"(^The following arguments? (?:was|were) not expected: (.*)$)");
  static const std::regex convert(R"(^Could not convert: (\S+) = (.*)$)");
  static const std::regex not_allowed(R"(^The value (.*) is not an allowed value for (\S+)$)");
  static const std::regex validation(R"(^(\S+): (.*)$)");
  static const std::regex missing_value(R"(^(\S+): \d+ required \S+ missing$)");
  static const std::regex requires_(R"(^(\S+) requires (\S+)$)");
  static const std::regex excludes(R"(^(\S+) excludes (\S+)$)");
  if (kind == "RequiredError") {
    if (what.find("subcommand") != std::string::npos) return std::string(text(Msg::UsageNoCommand));
    if (std::regex_match(what, m, required)) return textf(Msg::UsageRequired, m[1].str());
  } else if (kind == "ExtrasError") {
    if (std::regex_match(what, m, extras)) return textf(Msg::UsageExtra, m[1].str());
  } else if (kind == "ConversionError") {
    if (std::regex_match(what, m, convert)) return textf(Msg::UsageConvert, m[1].str(), m[2].str());
    if (std::regex_match(what, m, not_allowed)) return textf(Msg::UsageConvert, m[2].str(), m[1].str());
  } else if (kind == "ArgumentMismatch") {
    if (std::regex_match(what, m, missing_value)) return textf(Msg::UsageNeedsValue, m[1].str());
  } else if (kind == "ValidationError") {
    if (std::regex_match(what, m, validation)) return translate_validation(m[1].str(), m[2].str());
  } else if (kind == "RequiresError") {
    if (std::regex_match(what, m, requires_)) return textf(Msg::UsageRequires, m[1].str(), m[2].str());
  } else if (kind == "ExcludesError") {
    if (std::regex_match(what, m, excludes)) return textf(Msg::UsageExcludes, m[1].str(), m[2].str());
  }
  return textf(Msg::UsageOther, what);
}

}  // namespace pol::cli
