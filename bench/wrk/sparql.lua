-- wrk script for bench/serving.py: SPARQL queries by HTTP GET, one query text per request.
--
--   wrk ... -s bench/wrk/sparql.lua http://127.0.0.1:PORT/sparql -- TEMPLATE_FILE [IRI_FILE]
--
-- TEMPLATE_FILE holds the query text. With IRI_FILE (one IRI a line), every {{IRI}} in the text
-- is replaced by an IRI picked at random for each request, so a server cannot answer from a
-- cache of one query. Requests are built (and URL-encoded) once per thread, in init().
-- At the end one line "JSON {...}" gives the counts and latency percentiles (microseconds).

local requests_built = {}
local thread_count = 0

local function read_all(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  local template = read_all(args[1])
  local headers = { ["Accept"] = "application/sparql-results+json" }
  local base = wrk.path .. (wrk.path:find("?", 1, true) and "&" or "?") .. "query="
  if args[2] then
    for iri in io.lines(args[2]) do
      if iri ~= "" then
        local text = template:gsub("{{IRI}}", function() return iri end)
        requests_built[#requests_built + 1] = wrk.format("GET", base .. urlencode(text), headers)
      end
    end
  else
    requests_built[1] = wrk.format("GET", base .. urlencode(template), headers)
  end
  assert(#requests_built > 0, "no requests: empty IRI file?")
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
  return requests_built[math.random(#requests_built)]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "mean_us": %.1f, "p50_us": %d, ' ..
    '"p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
