#pragma once
// The served folder and the paths a request may name inside it. A request names a file by a
// path relative to the folder; it is refused when empty, absolute, with a `..` or `.`
// component, a backslash or a NUL, and when the file (or, for a new file, its folder) resolves
// through a symbolic link to a place outside the folder. Messages show paths relative to the
// folder only (shown()), never where the folder itself is.
#include <optional>
#include <string>
#include <string_view>

namespace pol::serve {

class ServedRoot {
public:
  // `dir` as given on the command line; false with `error` when it is not a readable folder.
  [[nodiscard]] bool open(const std::string& dir, std::string& error);
  [[nodiscard]] const std::string& dir() const { return dir_; }
  // Its real path (symbolic links resolved).
  [[nodiscard]] const std::string& real() const { return real_; }
  // The path of `rel` for reading or writing (dir/rel), or nullopt with `why`. `must_exist`:
  // the file itself must exist (and resolve inside); otherwise its folder must.
  [[nodiscard]] std::optional<std::string> resolve(std::string_view rel, bool must_exist, std::string& why) const;
  // Whether an existing path resolves (symbolic links followed) inside the folder.
  [[nodiscard]] bool inside(const std::string& path) const;
  // A path under dir() shown relative to it ("regions/changchun_2025.pol"); any other path
  // is shown as its file name only.
  [[nodiscard]] std::string shown(const std::string& path) const;
  // `text` with every mention of dir()/ taken out (diagnostic messages name files by path),
  // and any other absolute path quoted in it ('/…') replaced by words.
  [[nodiscard]] std::string strip(std::string text) const;

private:
  std::string dir_;   // as given, without a trailing slash
  std::string real_;  // its real path
};

}  // namespace pol::serve
