// POST /policies/{name}/sweep: `pol sweep` over one case, run as the command line runs it
// (compare/sweep.cpp), its CSV table returned. The body is that of /eval (case, at, set,
// outputs, readings); the query names what varies (?vary=NAME=FROM..TO[:STEP]) and any further policies
// drawn beside the first (?with=NAME, repeatable).
#include <unistd.h>

#include <cstdlib>

#include "base/files.hpp"
#include "base/messages.hpp"
#include "compare/compare.hpp"
#include "program/program.hpp"
#include "serve/api.hpp"
#include "serve/body.hpp"

namespace pol::serve {

ApiResponse Api::sweep(const std::string& name, const ApiRequest& r) {
  interp::SweepArgs args;
  std::vector<std::string> names{name};
  for (const auto& [k, v] : r.query) {
    if (k == "vary") args.vary = v;
    else if (k == "with") names.push_back(v);
    else return error_response({400, "unknown_field", k, dsl::textf(dsl::Msg::SrvUnknownQuerySweep, k)});
  }
  if (args.vary.empty())
    return error_response({400, "missing_field", "vary", dsl::textf(dsl::Msg::SrvVaryMissing)});
  std::vector<std::shared_ptr<const Served>> served;
  std::vector<const checked::Policy*> policies;
  for (const auto& n : names) {
    ApiResponse error;
    auto s = usable(n, error);
    if (!s) return error;
    args.policies.push_back(s->path);
    policies.push_back(s->policy());
    served.push_back(std::move(s));
  }
  CaseRequest q;
  if (auto e = parse_case_request(r.body, CaseEndpoint::Eval, q)) return error_response(*e);
  // Each reading applies to the drawn files that have its ambiguity, as `pol sweep --reading`.
  for (const auto& [id, alt] : q.readings) args.readings.push_back(id + "=" + alt);
  if (std::string error; !args.readings.empty() && !interp::reading_settings_for_each(policies, args.readings, error))
    return error_response({400, "bad_value", "readings", store_.root().strip(error)});
  args.at = q.at;
  args.outputs = q.outputs;
  for (const auto& [k, v] : q.sets) args.sets.push_back(k + "=" + v);
  TempFile case_file(".json"), csv_file(".csv");
  if (!case_file.write(q.case_json) || csv_file.path().empty())
    return error_response({500, "internal", "", dsl::textf(dsl::Msg::SrvNoRoomSweep)});
  args.case_paths.push_back(case_file.path());
  args.csv = csv_file.path();
  auto strip = [&](const std::string& m) { return store_.root().strip(csv_file.hide(case_file.hide(m, "case"), "table")); };
  std::string error;
  try {
    if (interp::run_sweep(args) != 0) return error_response({422, "has_errors", "name", dsl::textf(dsl::Msg::SrvRuleFileErrors)});
  } catch (const interp::CompareUsageError& e) {
    return error_response({400, "bad_request", "vary", strip(e.message)});
  }
  dsl::InputFile table;
  if (!dsl::read_input_file(csv_file.path(), std::size_t{256} << 20, "table", table, error))
    return error_response({500, "internal", "", dsl::textf(dsl::Msg::SrvNoSweepTable)});
  ApiResponse res;
  res.content_type = "text/csv; charset=utf-8";
  res.body = std::move(table.text);
  return res;
}

}  // namespace pol::serve
