#!/usr/bin/env bash
# pgbouncer.sh: graphgate through PgBouncer in transaction mode (database.pooler:
# "pgbouncer-transaction") next to graphgate connected to PostgreSQL directly, in the same run, on
# the same database: get-by-id and list-10-with-comments (tests/bench/pg/), one graphgate per side,
# and a third through PgBouncer with database.max_prepared_statements 0 (every statement unnamed,
# planned each time), the alternative to the default (prepared per server connection, prepared
# again where PgBouncer's server connection lacks it: resolvers/postgres/pg_pool.c).
#
# Usage: tests/bench/pgbouncer.sh [build dir (default: build)] [seconds per run (default: 10)]
#                                 [connections (default: 8)] [rounds (default: 2)]
# Environment: as pg.sh (BENCH_POSTS, BENCH_COMMENTS, BENCH_WARMUP, BENCH_POOL, BENCH_PG_PORT), and
# BENCH_PGBOUNCER_POOL: PgBouncer's server connections (default: BENCH_POOL, so both sides use as
# many PostgreSQL backends).
#
# Set-up: pg_common.sh (the PostgreSQL, app and seed of pg.sh), then scripts/pgbouncer-local.sh
# (Debian's PgBouncer, transaction mode, its defaults otherwise) on CPU 0 with PostgreSQL and both
# graphgates (threads=1); wrk on CPU 1. Each answer is checked against the hand-written SQL first;
# a run with non-200 or "errors" answers is reported invalid. The sides take turns; the best round
# counts. Target: through PgBouncer at least 70% of the direct rate. A benchmark measures: it never
# fails on a number, only when something cannot run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench_name=pgbouncer.sh
bench_pgdir=bench-pgbouncer-pg
command -v pgbouncer >/dev/null || { echo "pgbouncer.sh: pgbouncer missing (bash scripts/install-deps.sh)" >&2; exit 1; }
# shellcheck source=tests/bench/pg_common.sh
source "$root/tests/bench/pg_common.sh"

bouncer_dir="$build/bench-pgbouncer"
bouncer_port=$(free_port)
before_pg_stop="bash scripts/pgbouncer-local.sh stop $bouncer_dir"
taskset -c "$server_cpu" bash scripts/pgbouncer-local.sh start "$bouncer_dir" "$bouncer_port" "$pg_port" \
  "${BENCH_PGBOUNCER_POOL:-$pool}"
bouncer_url="$(bash scripts/pgbouncer-local.sh url "$bouncer_dir" "$bouncer_port")"
echo "PgBouncer $(pgbouncer --version | head -1 | awk '{print $2}') on port $bouncer_port, transaction mode," \
  "${BENCH_PGBOUNCER_POOL:-$pool} server connections"

start_graphgate "$gg_port" direct
url_direct="http://127.0.0.1:$gg_port/graphql"
pooled_port=$(free_port)
start_graphgate "$pooled_port" pooled GRAPHGATE_DATABASE_URL="$bouncer_url" \
  GRAPHGATE_DATABASE_POOLER=pgbouncer-transaction GRAPHGATE_DATABASE_LISTEN_URL="$db_url"
url_pooled="http://127.0.0.1:$pooled_port/graphql"
# the alternative measured alongside: through PgBouncer with every statement unnamed (planned each time)
unnamed_port=$(free_port)
start_graphgate "$unnamed_port" unnamed GRAPHGATE_DATABASE_URL="$bouncer_url" \
  GRAPHGATE_DATABASE_POOLER=pgbouncer-transaction GRAPHGATE_DATABASE_LISTEN_URL="$db_url" \
  GRAPHGATE_DATABASE_MAX_PREPARED_STATEMENTS=0
url_unnamed="http://127.0.0.1:$unnamed_port/graphql"

printf '\n%-24s %12s %12s %8s %8s %14s %8s\n' workload "direct req/s" "pooled req/s" ratio target "unnamed req/s" ratio \
  >"$tmp/table"
for i in 0 2; do
  name=${names[$i]} stem=${stems[$i]} random=${randoms[$i]}
  check_workload "$i" "$url_direct"
  check_workload "$i" "$url_pooled"
  check_workload "$i" "$url_unnamed"
  echo "$name: warm-up ${warmup}s each, then $rounds round(s) of ${seconds}s per side"
  run_wrk "$url_direct" "$stem" "$random" "$warmup" >/dev/null
  run_wrk "$url_pooled" "$stem" "$random" "$warmup" >/dev/null
  run_wrk "$url_unnamed" "$stem" "$random" "$warmup" >/dev/null
  direct_best=0 pooled_best=0 unnamed_best=0 bad=0
  for r in $(seq "$rounds"); do
    read -r direct _ _ direct_bad <<<"$(run_wrk "$url_direct" "$stem" "$random" "$seconds")"
    read -r pooled _ _ pooled_bad <<<"$(run_wrk "$url_pooled" "$stem" "$random" "$seconds")"
    read -r unnamed _ _ unnamed_bad <<<"$(run_wrk "$url_unnamed" "$stem" "$random" "$seconds")"
    [ -n "$unnamed_bad" ] || { echo "pgbouncer.sh: wrk did not run" >&2; exit 1; }
    bad=$((bad + direct_bad + pooled_bad + unnamed_bad))
    [ "$direct" -gt "$direct_best" ] && direct_best=$direct
    [ "$pooled" -gt "$pooled_best" ] && pooled_best=$pooled
    [ "$unnamed" -gt "$unnamed_best" ] && unnamed_best=$unnamed
    echo "  round $r: direct $direct req/s, through PgBouncer $pooled req/s (unnamed statements: $unnamed req/s)"
  done
  ratio="n/a" unnamed_ratio="n/a"
  if [ "$direct_best" -gt 0 ]; then
    ratio="$((pooled_best * 100 / direct_best))%" unnamed_ratio="$((unnamed_best * 100 / direct_best))%"
  fi
  if [ "$bad" -gt 0 ]; then
    ratio="invalid" unnamed_ratio="invalid"
    echo "pgbouncer.sh: $name: $bad bad answers (non-200 or errors)" >&2
  fi
  printf '%-24s %12s %12s %8s %8s %14s %8s\n' "$name" "$direct_best" "$pooled_best" "$ratio" ">=70%" "$unnamed_best" \
    "$unnamed_ratio" >>"$tmp/table"
done
cat "$tmp/table"
echo "graphgate (each: 1 thread, $pool PostgreSQL connections), PgBouncer and PostgreSQL on CPU $server_cpu," \
  "wrk on CPU $client_cpu; $conns connections; ${seconds}s x $rounds rounds, best round; $posts posts x $comments comments"
