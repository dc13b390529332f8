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

// The files that the checked file and its bases use: each parsed once, added after the extends
// chain. A used file stands alone: it may neither extend nor use another file.
bool Checker::load_uses() {
  file_use_.assign(p_.files.size(), -1);
  bool ok = true;
  const std::size_t chain = p_.files.size();
  for (std::uint16_t f = 0; f < chain; ++f) {
    for (const auto& d : modules_[f]->decls) {
      const auto* u = std::get_if<ast::UseDecl>(&d);
      if (!u) continue;
      if (find_use(u->alias.name) >= 0) {
        error(DiagCode::DuplicateDefinition, f, u->alias.range, fmt::format("'{}' names two used files", u->alias.name));
        ok = false;
        continue;
      }
      std::filesystem::path rel = std::filesystem::path(p_.files[f]->name()).parent_path() / u->path.value;
      std::string path = rel.lexically_normal().string(), err;
      auto src = load_source(path, err);
      if (!src) {
        error(DiagCode::BaseFileError, f, u->path.range, textf(Msg::UseFileError, err));
        ok = false;
        continue;
      }
      if (p_.files.size() >= 16) {
        error(DiagCode::LimitExceeded, f, u->path.range, std::string(text(Msg::TooManyFiles)));
        return false;
      }
      auto parsed = parse_cached(src);
      auto uf = static_cast<std::uint16_t>(p_.files.size());
      p_.files.push_back(parsed->file);
      modules_.push_back(parsed->module);
      file_use_.push_back(static_cast<std::int16_t>(p_.uses.size()));
      for (const auto& dg : parsed->diagnostics) diags_.push_back(dg);
      checked::Use use{u->alias.name, u->path.value, {}, uf, f, {f, u->range}};
      const ast::Header* h = parsed->module->header();
      if (has_errors(parsed->diagnostics) || !h) {
        if (!h) error(DiagCode::MissingHeader, uf, {0, 0}, std::string(text(Msg::NeedsHeaderUsed)));
        ok = false;
      } else {
        use.header = {h->name.name, h->title.value, h->issuer.value, h->number.value, h->source.value, h->extends.value,
                      h->effective};
        bool nested = h->extends.present;
        for (const auto& dd : parsed->module->decls) nested = nested || std::holds_alternative<ast::UseDecl>(dd);
        if (nested) {
          error(DiagCode::BaseFileError, f, u->path.range,
                fmt::format("'{}' extends or uses another file; a used file must stand alone", path));
          ok = false;
        }
      }
      p_.uses.push_back(std::move(use));
    }
  }
  return ok;
}

}  // namespace pol::dsl::checking
