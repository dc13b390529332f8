#include "serve/store.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "base/messages.hpp"
#include "explain/summary.hpp"
#include "report/provenance.hpp"

namespace pol::serve {

namespace fs = std::filesystem;

FileStamp stamp_of(const std::string& path) {
  FileStamp s;
  s.path = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    s.size = st.st_size;
    s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    s.inode = st.st_ino;
  }
  return s;
}

namespace {

std::string file_hash(const dsl::CheckResult& r) {
  if (r.policy) return interp::sha256_hex(r.policy->files[0]->text());
  for (const auto& d : r.diagnostics)
    if (d.file) return interp::sha256_hex(d.file->text());
  return {};
}

}  // namespace

Served::Served(std::string n, std::string p, dsl::CheckResult c, std::vector<FileStamp> st, bool out)
    : name(std::move(n)), path(std::move(p)), check(std::move(c)), stamps(std::move(st)), outside(out),
      hash(file_hash(check)) {
  if (policy()) schema_ = std::make_unique<interp::CaseSchema>(*policy());
}

std::shared_ptr<const interp::Program> Served::program(std::optional<int> date) const {
  const int key = date.value_or(INT32_MIN);
  std::lock_guard lock(m_);
  auto it = programs_.find(key);
  if (it != programs_.end()) return it->second;
  auto prog = std::make_shared<const interp::Program>(*policy(), date);
  if (programs_.size() < kMaxPrograms) programs_.emplace(key, prog);
  return prog;
}

std::shared_ptr<const Served> PolicyStore::load(const std::string& name, const std::string& path) {
  // Read until the files are the same before and after: a file being written is read again.
  for (int attempt = 0;; ++attempt) {
    FileStamp before = stamp_of(path);
    // Checked in the server's language whatever language the request asks (pol serve's
    // ?lang=): the diagnostics are kept for every later request.
    const auto asked = dsl::thread_lang();
    dsl::set_thread_lang(std::nullopt);
    dsl::CheckResult r = dsl::check_file(path);
    dsl::set_thread_lang(asked);
    std::vector<FileStamp> stamps;
    bool outside = false;
    std::vector<std::string> files;
    if (r.policy)
      for (const auto& f : r.policy->files) files.push_back(f->name());
    else
      for (const auto& d : r.diagnostics)
        if (d.file) files.push_back(d.file->name());
    std::erase(files, path);
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    files.insert(files.begin(), path);
    for (const auto& f : files) {
      stamps.push_back(stamp_of(f));
      if (!root_.inside(f)) outside = true;
    }
    if (stamps.front() == before || attempt == 3)
      return std::make_shared<const Served>(name, path, std::move(r), std::move(stamps), outside);
  }
}

bool PolicyStore::fresh(const Served& s) const {
  for (const auto& st : s.stamps)
    if (!(stamp_of(st.path) == st)) return false;
  // A file with errors may be fixed in a file it does not name yet: looked at again after 1 s.
  if (!s.policy() && std::chrono::steady_clock::now() - s.checked_at > std::chrono::seconds(1)) return false;
  return true;
}

void PolicyStore::scan() {
  std::map<std::string, std::string> found;
  std::error_code ec;
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(root_.dir(), fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it.depth() > 8) it.disable_recursion_pending();
    const auto& p = it->path();
    if (p.extension() == ".pol" && it->is_regular_file(ec)) files.push_back(p.string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::string name = fs::path(f).stem().string();
    if (found.count(name)) {  // the same file name in two folders: the later one by its path
      name = root_.shown(f);
      name = name.substr(0, name.size() - 4);
      std::replace(name.begin(), name.end(), '/', '.');
    }
    found.emplace(name, f);
  }
  paths_ = std::move(found);
  for (auto it = served_.begin(); it != served_.end();)
    it = paths_.count(it->first) && paths_[it->first] == it->second->path ? std::next(it) : served_.erase(it);
  scanned_ = std::chrono::steady_clock::now();
}

std::vector<std::shared_ptr<const Served>> PolicyStore::list() {
  std::vector<std::pair<std::string, std::string>> names;
  {
    std::lock_guard lock(m_);
    scan();
    names.assign(paths_.begin(), paths_.end());
  }
  std::vector<std::shared_ptr<const Served>> out;
  for (const auto& [name, path] : names)
    if (auto s = get(name)) out.push_back(std::move(s));
  return out;
}

std::shared_ptr<const Served> PolicyStore::get(const std::string& name) {
  std::shared_ptr<const Served> known;
  {
    std::lock_guard lock(m_);
    auto it = served_.find(name);
    if (it != served_.end()) known = it->second;
  }
  if (known && fresh(*known)) return known;  // the files looked at without the lock held
  std::string path;
  {
    std::lock_guard lock(m_);
    auto p = paths_.find(name);
    if (p == paths_.end() && std::chrono::steady_clock::now() - scanned_ > std::chrono::milliseconds(200)) {
      scan();
      p = paths_.find(name);
    }
    if (p == paths_.end()) return nullptr;
    path = p->second;
  }
  auto s = load(name, path);  // checked outside the lock: other files stay served meanwhile
  std::lock_guard lock(m_);
  served_[name] = s;
  return s;
}

void PolicyStore::forget(const std::string& path) {
  std::lock_guard lock(m_);
  for (auto it = served_.begin(); it != served_.end();) {
    bool uses = false;
    for (const auto& st : it->second->stamps) uses |= st.path == path;
    it = uses ? served_.erase(it) : std::next(it);
  }
  scanned_ = {};
}

}  // namespace pol::serve
