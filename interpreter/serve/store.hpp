#pragma once
// The rule files a server serves: every .pol file under the folder, each checked once and
// kept as an immutable Served that requests share. A file is checked again when it, or a file
// it extends, changes on disk (size, modification time or inode), so a variant follows its
// base; a file with errors is served as "has errors" with its diagnostics. A file that
// changes while it is being read is read again (at most a few times), so a request never sees
// a program built from half a file.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "check/checker.hpp"
#include "program/program.hpp"
#include "serve/paths.hpp"

namespace pol::serve {

struct FileStamp {
  std::string path;
  std::int64_t size = -1, mtime_ns = 0;
  std::uint64_t inode = 0;
  bool operator==(const FileStamp&) const = default;
};
[[nodiscard]] FileStamp stamp_of(const std::string& path);

class Served {
public:
  Served(std::string name, std::string path, dsl::CheckResult check, std::vector<FileStamp> stamps, bool outside);
  Served(const Served&) = delete;
  Served& operator=(const Served&) = delete;

  const std::string name;   // in URLs: the file name without .pol
  const std::string path;   // dir/rel, as read
  const dsl::CheckResult check;
  const std::vector<FileStamp> stamps;  // the file and those it extends, when read
  const bool outside;       // it extends a file outside the served folder: served as has errors
  const std::string hash;   // SHA-256 of the file's text (empty when it could not be read)
  const std::chrono::steady_clock::time_point checked_at = std::chrono::steady_clock::now();

  [[nodiscard]] const checked::Policy* policy() const { return check.policy && !outside ? &*check.policy : nullptr; }
  [[nodiscard]] const interp::CaseSchema& schema() const { return *schema_; }
  // The program for a date without --set values, built once and shared (at most kMaxPrograms
  // dates kept; past that, built per request).
  [[nodiscard]] std::shared_ptr<const interp::Program> program(std::optional<int> date) const;
  static constexpr std::size_t kMaxPrograms = 256;

private:
  std::unique_ptr<interp::CaseSchema> schema_;
  mutable std::mutex m_;
  mutable std::map<int, std::shared_ptr<const interp::Program>> programs_;
};

class PolicyStore {
public:
  explicit PolicyStore(ServedRoot root) : root_(std::move(root)) {}
  [[nodiscard]] const ServedRoot& root() const { return root_; }
  // Every rule file, by name, the folder scanned again.
  [[nodiscard]] std::vector<std::shared_ptr<const Served>> list();
  // The file named `name` (checked again when it changed), or nullptr.
  [[nodiscard]] std::shared_ptr<const Served> get(const std::string& name);
  // The file at `path` (dir/rel) checked as it is on disk now, whatever the cache holds.
  [[nodiscard]] std::shared_ptr<const Served> load(const std::string& name, const std::string& path);
  // Drops what is known of `path` (after a write through the API).
  void forget(const std::string& path);

private:
  [[nodiscard]] bool fresh(const Served& s) const;
  void scan();
  ServedRoot root_;
  std::mutex m_;
  std::map<std::string, std::string> paths_;  // name → dir/rel
  std::map<std::string, std::shared_ptr<const Served>> served_;
  std::chrono::steady_clock::time_point scanned_{};
};

}  // namespace pol::serve
