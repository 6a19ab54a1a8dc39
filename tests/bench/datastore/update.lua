-- update.lua: wrk script for tests/bench/datastore.sh's updates, valid by construction: no two
-- connections ever write the same row, and every answer is checked.
--
--   wrk -tN -cN ... -s update.lua URL -- QUERY_FILE ROWS_PER_CONNECTION [VERSIONS_FILE]
--
-- One connection per thread (-t and -c equal), so a thread's requests and answers alternate on one
-- connection. Thread k (0-based, in wrk's setup order) owns the ids k*R+1 .. (k+1)*R (R =
-- ROWS_PER_CONNECTION) and updates them in turn. A query that declares $version is versioned: the
-- script reads the rows' versions at the start from VERSIONS_FILE (line i: the _version of id i,
-- written by the benchmark just before the run) and afterwards takes each row's version from the
-- answer to its own last write, which must be the version it sent plus one. Counted and printed by
-- done(): answers checked, conflicts (ConflictUnhandled), other GraphQL errors or answers that are
-- not the row written (wrong id, title or _version) and non-200 statuses; wrk's socket errors count
-- a broken connection. The benchmark refuses to report a run with any of them.
local prefix, first, rows, versioned
local versions = {}
local next_index = 0
checked, conflicts, errors, bad_status = 0, 0, 0, 0
local threads = {}

function setup(thread)
  thread:set("slot", #threads)
  table.insert(threads, thread)
end

function init(args)
  local q = assert(io.open(args[1], "r")):read("*a") -- the query's text (the file closes when collected)
  versioned = q:find("$version", 1, true) ~= nil
  rows = assert(tonumber(args[2]), "ROWS_PER_CONNECTION")
  first = slot * rows + 1
  if versioned then
    local n = 0
    for line in io.lines((assert(args[3], "VERSIONS_FILE"))) do
      n = n + 1
      if n >= first and n < first + rows then versions[n] = assert(tonumber(line)) end
    end
    assert(versions[first + rows - 1], "VERSIONS_FILE has fewer rows than the connections own")
  end
  q = q:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", "\\n")
  prefix = '{"query":"' .. q .. '","variables":{"id":"'
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

-- The current row's request; response() moves on to the next row. request() changes nothing, so
-- the call wrk makes to check the script (its answer never read) and a request sent again after a
-- reconnection ask for the same write: if the lost one happened, the second is a conflict, counted.
function request()
  local id = first + next_index
  if versioned then
    return wrk.format(nil, nil, nil, prefix .. id .. '","version":' .. versions[id] .. "}}")
  end
  return wrk.format(nil, nil, nil, prefix .. id .. '"}}')
end

function response(status, headers, body)
  local id = first + next_index
  next_index = (next_index + 1) % rows
  checked = checked + 1
  if status ~= 200 then
    bad_status = bad_status + 1
    return
  end
  local version = versioned and tonumber(body:match('"_version":(%d+)'))
  if body:find('"errors"', 1, true) then
    if body:find("ConflictUnhandled", 1, true) then
      conflicts = conflicts + 1
    else
      errors = errors + 1
    end
  elseif not body:find('"id":"' .. id .. '"', 1, true) or not body:find('"title":"updated"', 1, true) or
      (versioned and version ~= versions[id] + 1) then
    errors = errors + 1
  end
  -- the row's version now, whatever the answer (a conflict's data carries the stored row)
  if version then versions[id] = version end
end

function done(summary, latency, requests)
  local totals = {checked = 0, conflicts = 0, errors = 0, bad_status = 0}
  for _, t in ipairs(threads) do
    for k in pairs(totals) do totals[k] = totals[k] + t:get(k) end
  end
  io.write(string.format("answers checked: %d\nconflicts: %d\ngraphql errors: %d\nnon-200 responses: %d\n",
    totals.checked, totals.conflicts, totals.errors, totals.bad_status))
end
