-- Replays a list of prepared requests (a file written by bench/http.py, one request per line:
-- method, path, then header name/value pairs, then the body, separated by tabs), each thread taking
-- every n-th one, so no two connections send the same autosave (each carries the row version it
-- read). Prints one JSON line when done.
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local nthreads = tonumber(args[2])
  reqs = {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % nthreads == id then
      local f = {}
      for field in (line .. "\t"):gmatch("([^\t]*)\t") do f[#f + 1] = field end
      local headers = {}
      for k = 3, #f - 1, 2 do headers[f[k]] = f[k + 1] end
      local body = f[#f]
      if body == "" then body = nil end
      reqs[#reqs + 1] = wrk.format(f[1], f[2], headers, body)
    end
    i = i + 1
  end
  n = 0
end

function request()
  n = n + 1
  if n > #reqs then n = 1 end -- wrapping replays stale versions: those answers count as errors
  return reqs[n]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "status_errors": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "mean_us": %.1f, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout, latency.mean,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
