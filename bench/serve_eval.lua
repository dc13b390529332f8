-- wrk script for bench/serve_bench.sh: POST the body in the file named by the environment
-- variable POL_BENCH_BODY to the URL given to wrk, on keep-alive connections; at the end, the
-- p50 and p99 latency in microseconds and the count of non-200 responses on their own lines.
-- POL_BENCH_DELAY_MS: each connection waits that many milliseconds after an answer before its
-- next request (a load the server is asked to keep up with, not as much as it can take).
local f = assert(io.open(os.getenv("POL_BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local gap = tonumber(os.getenv("POL_BENCH_DELAY_MS") or "")
if gap then
  delay = function() return gap end
end

local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("pol_p50_us %d\n", latency:percentile(50)))
  io.write(string.format("pol_p99_us %d\n", latency:percentile(99)))
  io.write(string.format("pol_requests %d\n", summary.requests))
  io.write(string.format("pol_errors %d\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
