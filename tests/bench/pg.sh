#!/usr/bin/env bash
# pg.sh: graphgate's @model queries over PostgreSQL next to the hand-written SQL run by pgbench, in
# the same run, on the same database.
#
# Usage: tests/bench/pg.sh [build dir (default: build)] [seconds per run (default: 10)]
#                          [connections (default: 8)] [rounds (default: 2)]
# Environment: BENCH_POSTS (default 10000), BENCH_COMMENTS per post (default 10), BENCH_WARMUP
# seconds (default 3), BENCH_POOL graphgate's PostgreSQL connections (default 2, graphgate's own
# default database.pool_size), BENCH_PG_PORT (default: a free port).
#
# Set-up: a private PostgreSQL under <build>/bench-pg (scripts/pg-local.sh), the app of
# tests/bench/pg/schema.graphql (Post @model with @hasMany comments, Comment @model @belongsTo
# post), `graphgate migrate`, then tests/bench/pg/seed.sql (INSERT ... SELECT generate_series).
# Three workloads, each a GraphQL query (tests/bench/pg/*.graphql) and its hand-written SQL
# (tests/bench/pg/*.sql, the same file pgbench runs):
#   get-by-id              getPost(id: <random>)          SELECT the row by primary key
#   list-10                listPosts(limit: 10)           SELECT ... ORDER BY id LIMIT 10
#   list-10-with-comments  listPosts + comments of each   one json_agg statement building the same JSON
# Before any load, each GraphQL answer is compared with what the SQL returns (as JSON, keys sorted)
# and must have no errors; during the load, graphql.lua counts non-200 and "errors" answers, and a
# run with any is reported as invalid instead of as a rate.
#
# Two graphgates serve the app, one per database.plan (rows, the default, and json: see
# resolvers/postgres/plan.h); each workload measures both, in turn, so that the plan choice is
# measured in the same run as the targets (which are the default plan's).
# Placement: PostgreSQL (every process of the cluster) and graphgate (threads=1) on CPU 0, the load
# generators (wrk -t1, pgbench -j1) on CPU 1. Both sides get the same concurrency N: wrk keeps N
# HTTP/1.1 keep-alive connections, pgbench -M prepared runs N clients (N backends); graphgate
# multiplexes its N requests in flight over its pool (database.pool_size, pipelined connections),
# as configured by default unless BENCH_POOL says otherwise. Each workload: a warm-up of each side,
# then the sides take turns for several rounds; the best round's rate (and its p99) counts.
# PostgreSQL CPU is utime+stime of the postmaster and of all its children (live ones from
# /proc/<pid>/stat, exited ones through the postmaster's cutime+cstime), read before and after each
# measured run; CPU per request is the sum over the rounds divided by the requests of the rounds.
# The last column, graphgate's own CPU per request (its process, all threads), is for reading only.
# Targets: graphgate >= 60% of pgbench's rate for get-by-id and list-10, >= 100% for
# list-10-with-comments, and PostgreSQL CPU per request <= 1.2x the hand-written SQL's. A benchmark
# measures: it never fails on a number, only when something cannot run. Everything listens on
# 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench_name=pg.sh
# shellcheck source=tests/bench/pg_common.sh
source "$root/tests/bench/pg_common.sh"

# Two graphgates on CPU 0, one per plan (database.plan; resolvers/postgres/plan.h): the default
# (rows) and json, measured in turn; only one has load at any time.
start_graphgate "$gg_port" rows GRAPHGATE_DATABASE_PLAN=rows
gg_pid=$started_pid
gg_port_json=$(free_port)
start_graphgate "$gg_port_json" json GRAPHGATE_DATABASE_PLAN=json
gg_json_pid=$started_pid
url="http://127.0.0.1:$gg_port/graphql"
url_json="http://127.0.0.1:$gg_port_json/graphql"

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

# One table row: name, rate, p99, pgbench rate, rate target %, CPU sums and counts, bad answers.
table_row() {
  awk -v name="$1" -v g="$2" -v p99="$3" -v pb="$4" -v t="$5" -v gc="$6" -v gn="$7" -v pc="$8" -v pn="$9" \
    -v gbad="${10}" -v pbad="${11}" -v own="${12}" '
    BEGIN {
      gu = gn > 0 ? gc / gn : 0; pu = pn > 0 ? pc / pn : 0; ou = gn > 0 ? own / gn : 0
      ratio = pb > 0 ? sprintf("%d%%", g * 100 / pb) : "n/a"
      cratio = pu > 0 ? sprintf("%.2fx", gu / pu) : "n/a"
      gs = gbad > 0 ? "invalid" : (g >= 10000 ? sprintf("%.1fk", g / 1000) : g)
      ps = pbad > 0 ? "invalid" : (pb >= 10000 ? sprintf("%.1fk", pb / 1000) : pb)
      tr = t == "" ? "" : ">=" t "%"; tc = t == "" ? "" : "<=1.2x"
      printf "%-30s %10s %8.2f %10s %6s %6s %9.1f %9.1f %6s %6s %9.1f", name, gs, p99, ps, ratio, tr, gu, pu, cratio, tc, ou
    }'
}

rows=()
for i in "${!names[@]}"; do
  name=${names[$i]} stem=${stems[$i]} random=${randoms[$i]}
  check_workload "$i" "$url"
  check_workload "$i" "$url_json"
  echo "$name: warm-up ${warmup}s each, then $rounds round(s) of ${seconds}s per side"
  run_wrk "$url" "$stem" "$random" "$warmup" >/dev/null
  run_wrk "$url_json" "$stem" "$random" "$warmup" >/dev/null
  run_pgbench "$stem" "$warmup" >/dev/null
  gg_best=0 gg_p99=0 gg_n=0 gg_cpu=0 gg_bad=0 gg_own=0 pb_best=0 pb_n=0 pb_cpu=0 pb_bad=0
  js_best=0 js_p99=0 js_n=0 js_cpu=0 js_bad=0 js_own=0
  for r in $(seq "$rounds"); do
    read -r rps p99 n bad cpu ggcpu <<<"$(with_cpu "$gg_pid" run_wrk "$url" "$stem" "$random" "$seconds")"
    [ -n "$ggcpu" ] || { echo "pg.sh: wrk did not run" >&2; exit 1; }
    gg_n=$((gg_n + n)) gg_cpu=$((gg_cpu + cpu)) gg_bad=$((gg_bad + bad)) gg_own=$((gg_own + ggcpu))
    if [ "$rps" -gt "$gg_best" ]; then gg_best=$rps gg_p99=$p99; fi
    read -r jrps jp99 n bad cpu ggcpu <<<"$(with_cpu "$gg_json_pid" run_wrk "$url_json" "$stem" "$random" "$seconds")"
    [ -n "$ggcpu" ] || { echo "pg.sh: wrk did not run" >&2; exit 1; }
    js_n=$((js_n + n)) js_cpu=$((js_cpu + cpu)) js_bad=$((js_bad + bad)) js_own=$((js_own + ggcpu))
    if [ "$jrps" -gt "$js_best" ]; then js_best=$jrps js_p99=$jp99; fi
    read -r tps n failed cpu _ <<<"$(with_cpu "$gg_pid" run_pgbench "$stem" "$seconds")"
    [ -n "$cpu" ] || { echo "pg.sh: pgbench did not run" >&2; exit 1; }
    pb_n=$((pb_n + n)) pb_cpu=$((pb_cpu + cpu)) pb_bad=$((pb_bad + failed))
    if [ "$tps" -gt "$pb_best" ]; then pb_best=$tps; fi
    echo "  round $r: graphgate $rps req/s (p99 $p99 ms), graphgate json plan $jrps req/s, pgbench $tps tps"
  done
  [ "$gg_bad" -eq 0 ] || echo "pg.sh: $name: graphgate gave $gg_bad bad answers (non-200 or errors): rate invalid" >&2
  [ "$js_bad" -eq 0 ] || echo "pg.sh: $name: graphgate (json plan) gave $js_bad bad answers: rate invalid" >&2
  [ "$pb_bad" -eq 0 ] || echo "pg.sh: $name: pgbench had $pb_bad failed transactions: rate invalid" >&2
  target=60
  [ "$name" = list-10-with-comments ] && target=100
  rows+=("$(table_row "$name" "$gg_best" "$gg_p99" "$pb_best" "$target" "$gg_cpu" "$gg_n" "$pb_cpu" "$pb_n" \
    "$gg_bad" "$pb_bad" "$gg_own")")
  rows+=("$(table_row "  json plan (database.plan)" "$js_best" "$js_p99" "$pb_best" "" "$js_cpu" "$js_n" "$pb_cpu" \
    "$pb_n" "$js_bad" "$pb_bad" "$js_own")")
done

printf '\n%-30s %10s %8s %10s %6s %6s %9s %9s %6s %6s %9s\n' "" "graphgate" "p99" "pgbench" "" "" \
  "PG CPU" "PG CPU" "CPU" "" "graphgate"
printf '%-30s %10s %8s %10s %6s %6s %9s %9s %6s %6s %9s\n' "workload (plan rows)" "req/s" "ms" "tps" "ratio" "target" \
  "us/req gg" "us/req pb" "ratio" "target" "CPU us/req"
for row in "${rows[@]}"; do echo "$row"; done
echo "graphgate (each plan: 1 thread, $pool PostgreSQL connections) and PostgreSQL on CPU $server_cpu, wrk/pgbench on CPU $client_cpu;" \
  "$conns connections each;" \
  "${seconds}s x $rounds rounds, best round; $posts posts x $comments comments"
