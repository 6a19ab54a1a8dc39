# pg_common.sh: the set-up shared by the PostgreSQL benchmarks (pg.sh, pgbouncer.sh, datastore.sh,
# pg_native_compare.sh), sourced by them (with their arguments) after they set root and bench_name: a
# private PostgreSQL under <build>/bench-pg (or <build>/$bench_pgdir) pinned to CPU 0, the app of
# tests/bench/pg/ (or tests/bench/$bench_app/: its schema.graphql and seed.sql) migrated and seeded,
# start_graphgate (a graphgate on CPU 0 with the app's configuration), check_workload (the GraphQL
# answer must equal the hand-written SQL's), run_wrk (the load, from CPU 1), run_pgbench (the
# hand-written SQL, from CPU 1) and with_cpu (the CPU PostgreSQL and a graphgate used during a
# measured run). The caller starts its graphgates and measures; pg.sh's header describes the set-up
# in full. copy_to_text_schema makes the text-stored copy of the tables (pg_native_compare.sh).

# the callers' arguments: [build dir] [seconds per run] [connections] [rounds]
build="${1:-build}"
seconds="${2:-10}"
conns="${3:-8}"
rounds="${4:-2}"
posts="${BENCH_POSTS:-10000}"
comments="${BENCH_COMMENTS:-10}"
warmup="${BENCH_WARMUP:-3}"
pool="${BENCH_POOL:-2}"
cd "$root"
bench="$root/tests/bench/${bench_app:-pg}"
pgbin=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/pgbench" ]; then pgbin="$d"; break; fi
done
[ -n "$pgbin" ] || { echo "$bench_name: pgbench missing (apt-get install postgresql)" >&2; exit 1; }
for tool in wrk taskset curl jq psql python3; do
  command -v "$tool" >/dev/null || { echo "$bench_name: $tool missing: GG_WITH_BENCH=1 bash scripts/install-deps.sh" >&2; exit 1; }
done
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" server/graphgate >/dev/null
graphgate="$root/$build/server/graphgate"
[ -x "$graphgate" ] || graphgate="$build/server/graphgate"
cpus=$(nproc)
server_cpu=0
client_cpu=$((cpus > 1 ? 1 : 0))
[ "$cpus" -gt 1 ] || echo "$bench_name: only one CPU: servers and load generators share it" >&2

free_port() { python3 "$root/tests/bench/proc_cpu.py" free-port; }
pgdir="$build/${bench_pgdir:-bench-pg}"
pg_port="${BENCH_PG_PORT:-$(free_port)}"
tmp="$(mktemp -d)"
started_pids=()  # every graphgate start_graphgate started
before_pg_stop=: # a command the caller sets to stop what runs in front of PostgreSQL
cleanup() {
  for pid in "${started_pids[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  $before_pg_stop
  bash scripts/pg-local.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# ---- PostgreSQL on CPU 0: started under taskset, so every backend it forks inherits the CPU ----
echo "PostgreSQL under $pgdir on port $pg_port (CPU $server_cpu)"
taskset -c "$server_cpu" bash scripts/pg-local.sh start "$pgdir" "$pg_port" test
db_url="$(bash scripts/pg-local.sh url "$pgdir" "$pg_port")"
postmaster=$(head -1 "$pgdir/postmaster.pid")
for p in $postmaster $(ps -o pid= --ppid "$postmaster"); do taskset -p -c "$server_cpu" "$p" >/dev/null; done

# microseconds of CPU used so far by every process of the cluster (see the header)
pg_cpu_us() { python3 "$root/tests/bench/proc_cpu.py" pg "$postmaster"; }

# CPU microseconds used so far by one process (all its threads)
proc_cpu_us() { python3 "$root/tests/bench/proc_cpu.py" process "$1"; }

# Runs a measured command ("$@" after the graphgate pid to watch); prints its output line followed
# by the CPU microseconds that PostgreSQL and that graphgate used meanwhile.
with_cpu() {
  local pid=$1 before gg_before line
  shift
  sleep 0.3
  before=$(pg_cpu_us)
  gg_before=$(proc_cpu_us "$pid")
  line=$("$@") || return 1
  sleep 0.5 # let pgbench's backends exit and be reaped, so their CPU is in the postmaster's cutime
  echo "$line $(($(pg_cpu_us) - before)) $(($(proc_cpu_us "$pid") - gg_before))"
}

# ---- schema, migration, data ----
gg_port=$(free_port)
cat >"$tmp/graphgate.json" <<JSON
{"listen": "127.0.0.1:$gg_port", "threads": 1, "access_log": false,
 "schema": ["$bench/schema.graphql"], "database": {"pool_size": $pool}}
JSON
export GRAPHGATE_DATABASE_URL="$db_url" GRAPHGATE_AUTH_DEFAULT_MODE=NONE
"$graphgate" migrate -c "$tmp/graphgate.json"
echo "seeding $posts posts with $comments comments each"
psql -q "$db_url" -v ON_ERROR_STOP=1 -v posts="$posts" -v comments="$comments" -f "$bench/seed.sql"

# A graphgate on CPU 0 serving the app on port, its configuration and log named after name.
start_graphgate() { # port name [VARIABLE=value ...: graphgate's environment] -> sets started_pid
  local port=$1 name=$2
  shift 2
  sed "s/\"listen\": \"127.0.0.1:$gg_port\"/\"listen\": \"127.0.0.1:$port\"/" "$tmp/graphgate.json" >"$tmp/graphgate-$name.json"
  env "$@" taskset -c "$server_cpu" "$graphgate" -c "$tmp/graphgate-$name.json" 2>"$tmp/graphgate-$name.log" &
  started_pid=$!
  started_pids+=("$started_pid")
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)" = 200 ] && return 0
    kill -0 "$started_pid" 2>/dev/null || { echo "$bench_name: graphgate exited:" >&2; cat "$tmp/graphgate-$name.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "$bench_name: graphgate not ready:" >&2; curl -s "http://127.0.0.1:$port/readyz" >&2; cat "$tmp/graphgate-$name.log" >&2
  exit 1
}

# The same tables in schema gg_text with their date-time columns as text in AppSync's form, the
# storage of graphgate before native types (pg_native_compare.sh's header): `graphgate migrate`
# with database.schema gg_text, the rows copied, createdAt/updatedAt altered to text; the native
# tables reindexed, both vacuumed, analysed and checkpointed.
copy_to_text_schema() {
  echo "copying the tables into schema gg_text with text date-time columns"
  psql -q "$db_url" -v ON_ERROR_STOP=1 -c 'SET client_min_messages TO warning' -c 'DROP SCHEMA IF EXISTS gg_text CASCADE'
  GRAPHGATE_DATABASE_SCHEMA=gg_text "$graphgate" migrate -c "$tmp/graphgate.json" >/dev/null
  psql -q "$db_url" -v ON_ERROR_STOP=1 <<'SQL'
BEGIN;
INSERT INTO gg_text."Post" SELECT * FROM public."Post";
INSERT INTO gg_text."Comment" SELECT * FROM public."Comment";
ALTER TABLE gg_text."Post" ALTER COLUMN "createdAt" TYPE text USING aws_datetime("createdAt"),
  ALTER COLUMN "updatedAt" TYPE text USING aws_datetime("updatedAt");
ALTER TABLE gg_text."Comment" ALTER COLUMN "createdAt" TYPE text USING aws_datetime("createdAt"),
  ALTER COLUMN "updatedAt" TYPE text USING aws_datetime("updatedAt");
COMMIT;
VACUUM ANALYZE gg_text."Post";
VACUUM ANALYZE gg_text."Comment";
REINDEX TABLE public."Post";
REINDEX TABLE public."Comment";
VACUUM ANALYZE public."Post";
VACUUM ANALYZE public."Comment";
CHECKPOINT;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SQL
}

# ---- the workloads: name, file stem, random ids?, where the answer is in the GraphQL and SQL JSON ----
names=(get-by-id list-10 list-10-with-comments)
stems=(get_by_id list10 list10_comments)
randoms=(yes no no)
gql_paths=('.data.getPost' '.data.listPosts.items' '.data.listPosts')
sql_paths=('.[0]' '.' '.[0].result')

# The GraphQL answer must have no errors and equal the hand-written SQL's result (sample id 4711 or
# the middle post), so that neither side is measured doing something else or failing.
check_workload() { # index url
  local i=$1 url=$2 stem=${stems[$1]} id=$(( posts > 4711 ? 4711 : (posts + 1) / 2 ))
  local vars='{}' sql
  [ "${randoms[$i]}" = yes ] && vars="{\"id\":\"$id\"}"
  jq -n --rawfile q "$bench/$stem.graphql" --argjson v "$vars" '{query: $q, variables: $v}' >"$tmp/req.json"
  curl -s -H 'content-type: application/json' --data-binary @"$tmp/req.json" "$url" >"$tmp/gql.json"
  sql=$(grep -v -e '^\\' -e '^--' "$bench/$stem.sql" | sed 's/;[[:space:]]*$//')
  printf 'SELECT json_agg(t) FROM (%s) t;\n' "$sql" |
    psql -qAt "$db_url" -v ON_ERROR_STOP=1 -v id="'$id'" >"$tmp/sql.json"
  local got want
  got=$(jq -S "if .errors then error(\"errors\") else ${gql_paths[$i]} end" "$tmp/gql.json" 2>/dev/null || true)
  want=$(jq -S "${sql_paths[$i]}" "$tmp/sql.json")
  if [ -z "$got" ] || [ "$got" = null ] || [ "$got" != "$want" ]; then
    echo "$bench_name: ${names[$i]} ($url): graphgate's answer differs from the SQL's (or has errors):" >&2
    head -c 2000 "$tmp/gql.json" >&2; echo >&2
    echo "SQL gives: $(head -c 2000 "$tmp/sql.json")" >&2
    exit 1
  fi
}

# graphgate's answers so far, from its /metrics: "<answers with status 200> <GraphQL errors>"
served_counts() { # graphql url
  curl -s "${1%/graphql}/metrics" | awk '
    /^graphgate_graphql_requests_total[{]/ && /status="200"/ { ok += $NF }
    /^graphgate_graphql_errors_total[{]/ { errors += $NF }
    END { printf "%d %d\n", ok, errors }'
}

# wrk: prints "<req/s> <p99 ms> <requests> <bad answers>" and leaves wrk's CPU seconds ("user
# system") in $tmp/wrk_cpu; random: yes (a random post id per request) or no; check: answers
# (graphql.lua looks at every body) or counters (graphql.lua takes no bodies, which costs wrk far
# less for large answers: graphgate's counters of 200 answers and of GraphQL errors, read before
# and after, must show no error and at least as many 200 answers as wrk counted, and wrk counts
# the non-2xx)
run_wrk() { # url stem random seconds [check (default: answers)]
  local url=$1 stem=$2 random=$3 secs=$4 check=${5:-answers} out before="0 0" after="0 0"
  local p=0
  [ "$random" = no ] || p=$posts
  [ "$check" = answers ] || before=$(served_counts "$url")
  out=$(GRAPHQL_LUA_CHECK=$check taskset -c "$client_cpu" /usr/bin/time -o "$tmp/wrk_cpu" -f '%U %S' \
    wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$root/tests/bench/pg/graphql.lua" "$url" -- "$bench/$stem.graphql" "$p" "$random")
  [ "$check" = answers ] || after=$(served_counts "$url")
  [ "$check" = answers ] || [ "${after%% *}" != 0 ] ||
    echo "$bench_name: graphgate's ${url%/graphql}/metrics counted no answer (metrics.enabled?): every answer is bad" >&2
  awk -v check="$check" -v before="$before" -v after="$after" '
    /^Requests\/sec/ { rps = $2 }
    /requests in/ { n = $1 }
    $1 == "99%" { v = $2; u = v; sub(/[a-z]+$/, "", v); sub(/^[0-9.]+/, "", u);
                  p99 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v }
    /^graphql errors:/ { bad += $3 } /^non-200 responses:/ { bad += $3 }
    /Socket errors/ { bad += $4 + $6 + $8 + $10 }
    check == "counters" && /Non-2xx or 3xx responses:/ { bad += $NF }
    END {
      if (check == "counters") {
        split(before, b, " "); split(after, a, " ")
        bad += a[2] - b[2]
        if (a[1] - b[1] < n) bad += n - (a[1] - b[1])
      }
      printf "%d %.2f %d %d\n", rps, p99, n, bad
    }' <<<"$out"
}

# pgbench -M prepared runs $bench/<stem>.sql (variables: posts, and the caller's pgbench_defines
# entries NAME=value); prints "<tps> <transactions> <failed>"
pgbench_defines=()
run_pgbench() { # stem seconds
  local stem=$1 secs=$2 out
  out=$(taskset -c "$client_cpu" "$pgbin/pgbench" -n -M prepared -c "$conns" -j 1 -T "$secs" -D posts="$posts" \
    "${pgbench_defines[@]/#/-D}" -f "$bench/$stem.sql" -h 127.0.0.1 -p "$pg_port" \
    -U "$(sed -E 's|^postgresql://([^@]+)@.*|\1|' <<<"$db_url")" graphgate 2>&1) ||
    { echo "$bench_name: pgbench failed: $out" >&2; exit 1; }
  awk '
    /^tps = / { tps = $3 }
    /^number of transactions actually processed/ { n = $NF }
    /^number of failed transactions/ { failed = $5 }
    END { printf "%d %d %d\n", tps, n, failed }' <<<"$out"
}
