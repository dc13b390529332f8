// GET /policies/{name}/doc: the page of `pol doc` (interpreter/doc), the rule file beside its
// source text clause by clause, in Markdown or HTML (?format=markdown|html), in the language
// of the request. Paths on the page are shown relative to the served folder.
#include <filesystem>

#include "base/messages.hpp"
#include "doc/doc.hpp"
#include "serve/api.hpp"

namespace pol::serve {

ApiResponse Api::doc(const std::string& name, const ApiRequest& r) {
  std::string format = "markdown";
  for (const auto& [k, v] : r.query) {
    if (k == "format" && (v == "markdown" || v == "html")) format = v;
    else if (k == "format") return error_response({400, "bad_value", "format", dsl::textf(dsl::Msg::SrvDocFormat, v)});
    else return error_response({400, "unknown_field", k, dsl::textf(dsl::Msg::SrvDocQueryKey, k)});
  }
  ApiResponse error;
  auto s = usable(name, error);
  if (!s) return error;
  interp::PolicyDoc doc;
  std::string why;
  if (!interp::build_doc(*s->policy(), doc, why))
    return error_response({404, "no_source_text", "name", store_.root().strip(why)});
  // The source text named relative to the served folder, as pol doc run inside it names it.
  std::string shown_source;
  if (!doc.source_path.empty())
    shown_source = std::filesystem::path(doc.source_path).lexically_relative(store_.root().dir()).generic_string();
  for (auto* lines : {&doc.head_lines, &doc.provenance})
    for (auto& l : *lines) {
      if (!shown_source.empty())
        for (auto at = l.find(doc.source_path); at != std::string::npos; at = l.find(doc.source_path, at + shown_source.size()))
          l.replace(at, doc.source_path.size(), shown_source);
      l = store_.root().strip(l);
    }
  ApiResponse res;
  res.content_type = format == "html" ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8";
  res.body = interp::render_doc(doc, format);
  return res;
}

}  // namespace pol::serve
