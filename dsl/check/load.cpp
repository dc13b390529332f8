// Loading: the rule file and the chain of files it extends, each parsed once per process.
#include <filesystem>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "check/checker_impl.hpp"
#include "syntax/parser.hpp"

namespace pol::dsl::checking {

namespace {

// Parsed files of this process, by name: a base file that several variants extend (and that
// `pol check` is also given on its own) is parsed once. An entry is used only while the text
// is the same, so an edited file is parsed again.
struct ParsedFile {
  std::shared_ptr<const SourceFile> file;
  std::shared_ptr<const ast::Module> module;
  std::vector<Diagnostic> diagnostics;
};

std::shared_ptr<const ParsedFile> parse_cached(std::shared_ptr<const SourceFile> file) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const ParsedFile>> cache;
  {
    std::lock_guard lock(mu);
    auto it = cache.find(file->name());
    if (it != cache.end() && it->second->file->text() == file->text()) return it->second;
  }
  ParseResult pr = parse(file);
  auto pf = std::make_shared<ParsedFile>(
      ParsedFile{file, std::make_shared<const ast::Module>(std::move(pr.module)), std::move(pr.diagnostics)});
  std::lock_guard lock(mu);
  if (cache.size() >= 64) cache.clear();
  cache[file->name()] = pf;
  return pf;
}

}  // namespace

bool Checker::load(std::shared_ptr<const SourceFile> root) {
  std::shared_ptr<const SourceFile> cur = std::move(root);
  // The file's name with links resolved, to find a file that extends itself; a name that
  // cannot be resolved (a symbolic link loop, a missing file) stands for itself, and
  // load_source says what is wrong with it.
  auto canonical_name = [](const std::string& name) {
    std::error_code ec;
    auto c = std::filesystem::weakly_canonical(name, ec);
    return ec ? name : c.string();
  };
  std::set<std::string> seen;
  bool ok = true;
  while (cur) {
    std::uint16_t f = static_cast<std::uint16_t>(p_.files.size());
    auto parsed = parse_cached(cur);
    cur = parsed->file;
    p_.files.push_back(cur);
    seen.insert(canonical_name(cur->name()));
    if (has_errors(parsed->diagnostics)) ok = false;
    for (const auto& d : parsed->diagnostics) diags_.push_back(d);
    modules_.push_back(parsed->module);
    const ast::Header* h = modules_.back()->header();
    if (!h) {
      // A header lost to a syntax error was reported as such.
      std::size_t first = cur->text().size();
      if (!modules_.back()->decls.empty())
        first = std::visit([](const auto& d) -> std::size_t { return d.range.begin; }, modules_.back()->decls.front());
      for (const auto& d : diags_)
        if (d.file == cur && d.severity == Severity::Error && d.range.begin <= first) return false;
      error(DiagCode::MissingHeader, f, {0, 0},
            std::string(text(Msg::NeedsHeader)));
      return false;
    }
    if (!h->extends.present) break;
    std::filesystem::path base = std::filesystem::path(cur->name()).parent_path() / h->extends.value;
    std::string path = base.lexically_normal().string();
    if (seen.count(canonical_name(path))) {
      error(DiagCode::BaseFileError, f, h->extends.range, textf(Msg::ExtendsItself, cur->name(), path));
      return false;
    }
    std::string err;
    auto next = load_source(path, err);
    if (!next) {
      error(DiagCode::BaseFileError, f, h->extends.range, textf(Msg::BaseFile, err));
      return false;
    }
    if (p_.files.size() > 8) {
      error(DiagCode::LimitExceeded, f, h->extends.range, std::string(text(Msg::ExtendsTooDeep)));
      return false;
    }
    cur = next;
  }
  return ok;
}

}  // namespace pol::dsl::checking
