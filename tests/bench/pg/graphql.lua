-- graphql.lua: wrk script for tests/bench/pg.sh: POSTs one GraphQL query to /graphql.
--
--   wrk ... -s graphql.lua URL -- QUERY_FILE [POSTS]
--
-- QUERY_FILE holds the query text. With POSTS > 0 every request carries {"id": "<random 1..POSTS>"}
-- as its variables (the seed's post ids are decimal strings); otherwise the body is the same for
-- every request and built once. Every response is checked: a status other than 200 or a body
-- with "errors" is counted, and done() prints both counts so that the benchmark can refuse to
-- report a rate made of errors.
--
-- With GRAPHQL_LUA_CHECK=counters in the environment the script defines no response(): wrk then
-- neither collects the bodies nor hands them to Lua, which for an answer of 240 KB (a syncPosts
-- base page) costs wrk several times what pgbench spends on its whole transaction, and a load
-- generator that busy slows the server it waits for. The caller checks the answers another way
-- (pg_common.sh's run_wrk: graphgate's own request and error counters) and wrk counts non-2xx.
local body, prefix, suffix, posts
errors, bad_status = 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "r"))
  local q = f:read("*a")
  f:close()
  q = q:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", "\\n")
  posts = tonumber(args[2] or "0") or 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if posts > 0 then
    prefix = '{"query":"' .. q .. '","variables":{"id":"'
    suffix = '"}}'
    math.randomseed(os.time())
  else
    body = wrk.format(nil, nil, nil, '{"query":"' .. q .. '"}')
  end
end

function request()
  if posts > 0 then
    return wrk.format(nil, nil, nil, prefix .. math.random(posts) .. suffix)
  end
  return body
end

function response(status, headers, resp)
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif resp:find('"errors"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local e, b = 0, 0
  for _, t in ipairs(threads) do
    e = e + t:get("errors")
    b = b + t:get("bad_status")
  end
  io.write(string.format("graphql errors: %d\nnon-200 responses: %d\n", e, b))
end

if os.getenv("GRAPHQL_LUA_CHECK") == "counters" then
  response = nil
end
