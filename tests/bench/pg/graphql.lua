-- graphql.lua: wrk script for tests/bench/pg.sh: POSTs one GraphQL query to /graphql.
--
--   wrk ... -s graphql.lua URL -- QUERY_FILE [POSTS [MODE]]
--
-- QUERY_FILE holds the query text. With POSTS > 0 every request carries {"id": "<random 1..POSTS>"}
-- as its variables (the seed's post ids are decimal strings); otherwise the body is the same for
-- every request and built once. MODE in-turn (tests/bench/datastore.sh's updates) takes the ids
-- 1..POSTS in turn instead, and when the query declares $version adds {"version": <n>}: the row's
-- version now, counted from this script's own writes to it since the run began (the benchmark sets
-- every _version to 1 before each run; with POSTS large, no two connections write one row at once,
-- so a versioned write never conflicts, and a conflict would be an error answer, counted). Every
-- response is checked: a status other than 200 or a body with "errors" is counted, and done()
-- prints both counts so that the benchmark can refuse to report a rate made of errors.
local body, prefix, suffix, posts, in_turn, versioned
local next_id, versions = 0, {}
errors, bad_status = 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "r"))
  local q = f:read("*a")
  f:close()
  versioned = q:find("$version", 1, true) ~= nil
  in_turn = args[3] == "in-turn"
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
  if in_turn then
    local id = next_id % posts + 1
    next_id = next_id + 1
    local version = ""
    if versioned then
      version = ',"version":' .. (versions[id] or 1)
      versions[id] = (versions[id] or 1) + 1
    end
    return wrk.format(nil, nil, nil, prefix .. id .. '"' .. version .. "}}")
  end
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
