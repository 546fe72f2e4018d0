-- wrk script for signed-in GET requests: wrk -s get.lua URL -- "portal.session=..."
-- Prints one line "WRK_JSON {...}" with throughput, latency percentiles (ms) and errors.
function init(args)
  if args[1] ~= nil then wrk.headers["Cookie"] = args[1] end
  wrk.headers["Accept"] = "application/json"
  -- The host runs as behind a TLS proxy (ASPNETCORE_FORWARDEDHEADERS_ENABLED): pages that issue Secure cookies work.
  wrk.headers["X-Forwarded-Proto"] = "https"
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'WRK_JSON {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50":%.3f,"p95":%.3f,"p99":%.3f,"max":%.3f,"mean":%.3f,"errors":%d,"non2xx":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000, errors, summary.errors.status))
end
