-- wrk script for bench/serve_bench.sh --soak: mixed good and bad requests, in turn: the case
-- of POL_BENCH_BODY to /eval and /explain, a body that is not JSON, an unknown field, a
-- missing input, an unknown policy, a GET of the policy list.
local f = assert(io.open(os.getenv("POL_BENCH_BODY"), "rb"))
local good = f:read("*a")
f:close()
local base = "/api/v1/policies/"
local reqs = {
  wrk.format("POST", base .. "jilin_2025/eval", {["Content-Type"] = "application/json"}, good),
  wrk.format("POST", base .. "jilin_2025/explain", {["Content-Type"] = "application/json"}, good),
  wrk.format("POST", base .. "jilin_2025/eval", nil, "{\"case\": {"),
  wrk.format("POST", base .. "jilin_2025/eval", nil, "{\"case\": {\"gendr\": \"male\"}}"),
  wrk.format("POST", base .. "jilin_2025/eval", nil, "{\"case\": {\"gender\": \"male\"}}"),
  wrk.format("POST", base .. "nowhere/eval", nil, good),
  wrk.format("GET", base),
}
local i = 0
request = function()
  i = i % #reqs + 1
  return reqs[i]
end
