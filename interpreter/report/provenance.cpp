#include "report/provenance.hpp"

#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>
#include <nettle/sha2.h>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "report/json_writer.hpp"

#ifndef POL_VERSION_TEXT
#define POL_VERSION_TEXT "unknown"
#endif

namespace pol::interp {

std::string sha256_hex(std::string_view text) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, text.size(), reinterpret_cast<const std::uint8_t*>(text.data()));
  std::uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
  std::string hex;
  for (std::uint8_t b : digest) hex += fmt::format("{:02x}", b);
  return hex;
}

Provenance make_provenance(const std::vector<const checked::Policy*>& policies, std::time_t generated) {
  Provenance pr;
  pr.version = POL_VERSION_TEXT;
  for (const auto* p : policies)
    for (const auto& f : p->files) {
      bool seen = false;
      for (const auto& g : pr.files) seen = seen || g.path == f->name();
      if (!seen) pr.files.push_back({f->name(), sha256_hex(f->text())});
    }
  std::tm tm{};
  gmtime_r(&generated, &tm);
  pr.generated = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                             tm.tm_hour, tm.tm_min, tm.tm_sec);
  return pr;
}

std::optional<std::time_t> generated_at(std::string& error) {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (!env || !*env) return std::time(nullptr);
  char* end = nullptr;
  errno = 0;
  long long t = std::strtoll(env, &end, 10);
  if (errno != 0 || *end != '\0' || t < 0 || t > 253402300799) {  // up to 9999-12-31
    error = dsl::textf(dsl::Msg::ProvBadEpoch, env);
    return std::nullopt;
  }
  return static_cast<std::time_t>(t);
}

std::vector<std::string> provenance_lines(const Provenance& pr, const std::string& date_line) {
  std::vector<std::string> out;
  out.push_back(dsl::textf(dsl::Msg::ProvVersion, pr.version));
  for (const auto& f : pr.files) out.push_back(dsl::textf(dsl::Msg::ProvFile, f.path, f.sha256));
  out.push_back(date_line);
  out.push_back(dsl::textf(dsl::Msg::ProvGenerated, pr.generated));
  return out;
}

void provenance_json(const Provenance& pr, std::optional<int> as_of, JsonWriter& w) {
  w.key("provenance").begin_object().field("pol_version", pr.version).key("files").begin_array();
  for (const auto& f : pr.files) w.begin_object().field("path", f.path).field("sha256", f.sha256).end_object();
  w.end_array().key("as_of");
  if (as_of) w.string(format_date(*as_of));
  else w.null();
  w.field("generated", pr.generated).end_object();
}

}  // namespace pol::interp
