// The endpoints over one case (POST /policies/{name}/eval, /explain, /why-not) and the
// preparation of a batch. Each request gets its own evaluator: one per thread and program,
// kept for the next request on the same thread (the shared, immutable program stays alive
// with it).
#include <algorithm>
#include <ctime>

#include "base/calendar.hpp"
#include "base/messages.hpp"
#include "compare/compare.hpp"
#include "explain/explain.hpp"
#include "report/json_out.hpp"
#include "readings/readings.hpp"
#include "search/search.hpp"
#include "serve/api.hpp"
#include "serve/body.hpp"
#include "sheets/source.hpp"

namespace pol::serve {

using namespace pol::interp;

namespace {

// Per thread: the case readers and evaluators of the last programs used.
struct ThreadCache {
  static constexpr std::size_t kMax = 16;
  struct Reader {
    std::shared_ptr<const Served> served;
    std::unique_ptr<JsonCaseReader> reader;
  };
  struct Eval {
    std::shared_ptr<const Served> served;
    std::shared_ptr<const Program> program;
    std::unique_ptr<Evaluator> evaluator;
    bool shared = false;  // the served file's program for its date (no --set values)
  };
  std::vector<Reader> readers;
  std::vector<Eval> evals;

  JsonCaseReader& reader(const std::shared_ptr<const Served>& s) {
    for (auto& r : readers)
      if (r.served == s) return *r.reader;
    if (readers.size() >= kMax) readers.erase(readers.begin());
    readers.push_back({s, std::make_unique<JsonCaseReader>(s->schema())});
    return *readers.back().reader;
  }
  // The evaluator of the served file's program for `date` (no --set values).
  Eval& shared_for(const std::shared_ptr<const Served>& s, std::optional<int> date) {
    for (auto& e : evals)
      if (e.shared && e.served == s && e.program->date() == date) return e;
    return add(s, s->program(date), true);
  }
  Eval& add(const std::shared_ptr<const Served>& s, std::shared_ptr<const Program> p, bool shared) {
    if (evals.size() >= kMax) evals.erase(evals.begin());
    auto ev = std::make_unique<Evaluator>(*p);
    evals.push_back({s, std::move(p), std::move(ev), shared});
    return evals.back();
  }
};

ThreadCache& cache() {
  thread_local ThreadCache c;
  return c;
}

int status_of(EvalErrorKind k) {
  return k == EvalErrorKind::MissingInput || k == EvalErrorKind::InvalidCase ? 400 : 422;
}

ApiError eval_error(const EvalError& e) {
  return ApiError{status_of(e.kind), eval_error_kind_name(e.kind), e.field, e.message};
}

// ?format= of a rendered answer (explain, why-not, readings).
std::optional<ApiError> report_format_error(const std::string& format) {
  if (format == "json" || format == "html" || format == "markdown" || format == "text") return std::nullopt;
  return ApiError{400, "bad_value", "format", dsl::textf(dsl::Msg::SrvReportFormat, format)};
}

// ?set=NAME=VALUE or ?reading=ID=ALT of a population's query, split at its first '='.
std::optional<ApiError> query_setting(const std::string& key, const std::string& value,
                                      std::vector<std::pair<std::string, std::string>>& into) {
  const auto eq = value.find('=');
  if (eq == std::string::npos) return ApiError{400, "bad_value", key, dsl::textf(dsl::Msg::SrvSettingForm, key, value)};
  into.emplace_back(value.substr(0, eq), value.substr(eq + 1));
  return std::nullopt;
}

// "at", "set", "outputs", "readings" of a request (or of a batch's query) for policy `p`.
std::optional<ApiError> read_options(const checked::Policy& p, const std::string& at_text,
                                     const std::vector<std::pair<std::string, std::string>>& sets,
                                     const std::vector<std::string>& names,
                                     const std::vector<std::pair<std::string, std::string>>& readings,
                                     std::optional<int>& at, std::vector<ParamSetting>& settings,
                                     std::vector<std::uint32_t>& outputs) {
  if (!at_text.empty() && !(at = pol::parse_date(at_text)))
    return ApiError{400, "bad_value", "at",
                    dsl::textf(dsl::Msg::SrvAtNotDateIn, at_text, kMinYear, kMaxYear)};
  for (const auto& [name, value] : sets) {
    std::string error;
    auto s = parse_param_setting(p, name, value, error);
    if (!s) return ApiError{400, "bad_value", "set." + name, error};
    settings.push_back(*s);
  }
  std::vector<std::string> unknown;
  outputs = select_outputs(p, names, unknown);
  if (!unknown.empty()) {
    std::vector<std::string> all;
    for (const auto& r : p.rules) all.push_back(r.name);
    return ApiError{400, "unknown_output", "outputs",
                    dsl::with_suggestion(dsl::textf(dsl::Msg::SrvNoOutputNamed, p.header.name, unknown[0]),
                                         unknown[0], all)};
  }
  for (const auto& [id, alt] : readings) {
    std::string error;
    auto s = parse_reading_setting(p, id, alt, error);
    if (!s) return ApiError{400, "bad_value", "readings." + id, error};
    settings.push_back(*s);
  }
  return std::nullopt;
}

// The request's case, read as `pol eval` reads a case file (cases/): the error names the field.
std::optional<ApiError> read_case(const std::shared_ptr<const Served>& served, CaseRequest& q, Case& c) {
  CaseError ce;
  std::size_t n = q.case_json.size();
  q.case_json.append(JsonCaseReader::kPadding, ' ');
  if (!cache().reader(served).read(std::string_view(q.case_json.data(), n), q.case_json.size(), c, ce))
    return ApiError{400, ce.kind, ce.field, ce.message};
  return std::nullopt;
}

}  // namespace

ApiResponse Api::run_case(const std::string& name, const std::string& action, const ApiRequest& r) {
  ApiResponse error;
  auto served = usable(name, error);
  if (!served) return error;
  const checked::Policy& p = *served->policy();
  const CaseEndpoint endpoint = action == "eval" ? CaseEndpoint::Eval : action == "explain" ? CaseEndpoint::Explain : CaseEndpoint::WhyNot;
  std::string format = "json";
  for (const auto& [k, v] : r.query)
    if (k == "format" && endpoint != CaseEndpoint::Eval) format = v;
  if (auto e = report_format_error(format)) return error_response(*e);
  CaseRequest q;
  if (auto e = parse_case_request(r.body, endpoint, q)) return error_response(*e);
  std::optional<int> at;
  std::vector<ParamSetting> sets;
  std::vector<std::uint32_t> outputs;
  if (auto e = read_options(p, q.at, q.sets, q.outputs, q.readings, at, sets, outputs)) return error_response(*e);

  Case c;
  if (auto e = read_case(served, q, c)) return error_response(*e);
  std::optional<int> date = c.as_of ? c.as_of : at;
  ThreadCache::Eval& slot = sets.empty() ? cache().shared_for(served, date)
                                          : cache().add(served, std::make_shared<const Program>(p, date, sets), false);
  const std::shared_ptr<const Program> prog = slot.program;
  Evaluator& ev = *slot.evaluator;
  Outcome out;
  ApiResponse res;
  if (endpoint == CaseEndpoint::Eval) {
    std::optional<EvalError> invalid;
    ev.validate_and_evaluate(c, outputs, out, invalid);
    if (invalid) return error_response({400, "invalid_case", invalid->field, invalid->message});
    if (out.error) return error_response(eval_error(*out.error));
    append_eval_result_json(res.body, p, date, out);
    return res;
  }
  if (auto bad = ev.validate(c)) return error_response({400, "invalid_case", bad->field, bad->message});
  Trace trace;
  ev.evaluate_traced(c, outputs, out, trace);
  if (out.error) return error_response(eval_error(*out.error));
  std::string note(dsl::text(c.as_of ? dsl::Msg::DateFromCase : dsl::Msg::DateFromAt));
  Explanation e = build_explanation(*prog, c, out, trace, note);
  e.provenance = served_provenance(store_.root(), {&p});
  if (endpoint == CaseEndpoint::WhyNot) {
    std::string why, bad_fix;
    auto wq = why_not_question(p, q.output, q.value, q.fix, why, bad_fix);
    if (!wq) return error_response({400, bad_fix.empty() ? "bad_value" : "unknown_field", bad_fix.empty() ? "output" : "fix", why});
    WhyNotSearch w = why_not(*prog, c, wq->output, wq->target, wq->fixed);
    if (w.error) return error_response(eval_error(*w.error));
    const auto& ru = p.rules[wq->output];
    if (wq->target && compare(*wq->target, w.current) == 0)
      return error_response({400, "bad_value", "value",
                             dsl::textf(dsl::Msg::SrvAlreadyValue, ru.name, ru.label, text_value(p, ru.type, w.current))});
    e.why_not = std::move(w);
  }
  cut_depth(e, static_cast<int>(q.depth));
  ExplainOptions o;
  o.names = q.names;
  if (format == "json") res.body = render_json(p, e, o);
  else if (format == "markdown") res.body = render_markdown(p, e, o), res.content_type = "text/markdown; charset=utf-8";
  else if (format == "html") res.body = render_html(p, e, o), res.content_type = "text/html; charset=utf-8";
  else res.body = render_text(p, e, o), res.content_type = "text/plain; charset=utf-8";
  return res;
}

// POST /policies/{name}/readings: one case (a JSON body as /eval's), or a population (a
// JSON Lines, CSV or Excel body, with ?at, ?set and ?reading), as `pol readings` gives them.
ApiResponse Api::readings(const std::string& name, const ApiRequest& r) {
  ApiResponse error;
  auto served = usable(name, error);
  if (!served) return error;
  const checked::Policy& p = *served->policy();
  const BodyKind kind = body_kind(r.content_type);
  std::string format = "json", at_text;
  std::vector<std::pair<std::string, std::string>> qsets, qreadings;
  for (const auto& [k, v] : r.query) {
    if (k == "format") format = v;
    else if (kind != BodyKind::Json && k == "at") at_text = v;
    else if (kind != BodyKind::Json && (k == "set" || k == "reading")) {
      if (auto e = query_setting(k, v, k == "set" ? qsets : qreadings)) return error_response(*e);
    } else {
      return error_response({400, "unknown_field", k,
                             dsl::textf(dsl::Msg::SrvUnknownQueryFormat, k, kind == BodyKind::Json ? "" : ", at, set, reading")});
    }
  }
  if (auto e = report_format_error(format)) return error_response(*e);
  ApiResponse res;
  if (format == "markdown") res.content_type = "text/markdown; charset=utf-8";
  else if (format == "html") res.content_type = "text/html; charset=utf-8";
  else if (format == "text") res.content_type = "text/plain; charset=utf-8";
  std::optional<int> at;
  std::vector<ParamSetting> sets;
  std::vector<std::uint32_t> outputs;
  if (kind != BodyKind::Json) {  // a population, read from a file as `pol readings --cases` reads one
    if (auto e = read_options(p, at_text, qsets, {}, qreadings, at, sets, outputs)) return error_response(*e);
    TempFile cases(cases_suffix(kind));
    if (!cases.write(r.body)) return error_response({500, "internal", "", dsl::textf(dsl::Msg::SrvNoRoomReadings)});
    try {
      res.body = render_population_readings(p, readings_for_population(p, cases.path(), at, sets), format);
    } catch (const CompareUsageError& e) {
      return error_response({400, "bad_request", "cases", store_.root().strip(cases.hide(e.message, dsl::textf(dsl::Msg::SrvTheBody)))});
    }
    return res;
  }
  CaseRequest q;
  if (auto e = parse_case_request(r.body, CaseEndpoint::Eval, q)) return error_response(*e);
  if (auto e = read_options(p, q.at, q.sets, q.outputs, q.readings, at, sets, outputs)) return error_response(*e);
  Case c;
  if (auto e = read_case(served, q, c)) return error_response(*e);
  // The case must compute under the request's readings, as /eval requires (a missing input is
  // a 400 naming it), before the alternatives are tried against it.
  Program prog(p, c.as_of ? c.as_of : at, sets);
  {
    Evaluator ev(prog);
    Outcome out;
    std::optional<EvalError> invalid;
    ev.validate_and_evaluate(c, outputs, out, invalid);
    if (invalid) return error_response({400, "invalid_case", invalid->field, invalid->message});
    if (out.error) return error_response(eval_error(*out.error));
  }
  CaseReadings found = readings_for_case(prog, c);
  if (!q.outputs.empty()) {  // only the outputs asked for
    auto keep = [&](std::vector<ValueChange>& v) {
      std::erase_if(v, [&](const ValueChange& ch) { return std::find(outputs.begin(), outputs.end(), ch.rule) == outputs.end(); });
    };
    for (auto& im : found.single) keep(im.outputs);
    if (found.most) keep(found.most->outputs);
  }
  res.body = render_case_readings(p, found, format);
  return res;
}

std::optional<ApiResponse> Api::prepare_batch(const std::string& name, const ApiRequest& r, BatchJob& job) noexcept {
  try {
    ApiResponse error;
    job.served = usable(name, error);
    if (!job.served) return error;
    const checked::Policy& p = *job.served->policy();
    std::string at_text;
    std::vector<std::pair<std::string, std::string>> sets, readings;
    std::vector<std::string> names;
    job.csv_in = body_kind(r.content_type) == BodyKind::Csv;
    job.xlsx_in = body_kind(r.content_type) == BodyKind::Xlsx;
    for (const auto& [k, v] : r.query) {
      if (k == "at") at_text = v;
      else if (k == "output") names.push_back(v);
      else if (k == "set" || k == "reading") {
        if (auto e = query_setting(k, v, k == "set" ? sets : readings)) return error_response(*e);
      } else if (k == "input") {
        if (v != "csv" && v != "jsonl" && v != "xlsx")
          return error_response({400, "bad_value", "input", dsl::textf(dsl::Msg::SrvInputForm, v)});
        job.csv_in = v == "csv";
        job.xlsx_in = v == "xlsx";
      } else if (k == "sheet") {
        job.opt.sheet = v;
      } else {
        return error_response({400, "unknown_field", k, dsl::textf(dsl::Msg::SrvUnknownQueryBatch, k)});
      }
    }
    if (auto e = read_options(p, at_text, sets, names, readings, job.opt.at, job.opt.sets, job.opt.outputs))
      return error_response(*e);
    job.opt.cases_path = dsl::textf(dsl::Msg::SrvTheBody);
    job.opt.progress = false;
    return std::nullopt;
  } catch (...) {
    return error_response({500, "internal", "", dsl::textf(dsl::Msg::SrvInternal)});
  }
}

int Api::run_batch(const BatchJob& job, interp::ByteSource& in, const interp::BatchWrite& write, std::string& error) noexcept {
  try {
    BatchSummary summary;
    const checked::Policy& p = *job.served->policy();
    if (!job.xlsx_in) return run_batch_stream(p, job.opt, in, job.csv_in, write, summary, error);
    // A workbook is a ZIP archive, read from its end: held whole in a file, then its sheet
    // translated into CSV on a thread (sheets/), as `pol batch` reads a .xlsx.
    TempFile book(".xlsx");
    if (!book.copy_from(in)) {
      error = dsl::textf(dsl::Msg::SrvNoRoomWorkbook);
      return 2;
    }
    CaseInput input;
    if (!input.open(book.path(), {"", job.opt.sheet}, {&p}, error)) {
      error = book.hide(error, dsl::textf(dsl::Msg::SrvTheBody));
      return 2;
    }
    BatchOptions opt = job.opt;
    opt.line_offset += input.line_offset();
    interp::FdSource sheet(input.fd());
    int rc = run_batch_stream(p, opt, sheet, true, write, summary, error);
    // The sheet's own error wins, as in pol batch: it is the cause (a damaged sheet gives the
    // case reader no lines, or a cut one).
    if (std::string why = input.finish(); !why.empty()) {
      error = book.hide(why, dsl::textf(dsl::Msg::SrvTheBody));
      rc = 2;
    }
    if (rc != 0) error = book.hide(error, dsl::textf(dsl::Msg::SrvTheBody));
    return rc;
  } catch (...) {
    error = dsl::textf(dsl::Msg::SrvBatchInternal);
    return 2;
  }
}

}  // namespace pol::serve
