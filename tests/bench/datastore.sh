#!/usr/bin/env bash
# datastore.sh: Amplify DataStore over PostgreSQL (issue 17): syncX pages next to pgbench running
# the hand-written SQL of the same pages, and a versioned update next to an unversioned one, in the
# same run, on the same database.
#
# Usage: tests/bench/datastore.sh [build dir (default: build)] [seconds per run (default: 10)]
#                                 [connections (default: 8)] [rounds (default: 2)]
# Environment: BENCH_POSTS (default 10000), BENCH_WARMUP, BENCH_POOL, BENCH_PG_PORT as for pg.sh.
#
# Set-up: pg_common.sh (shared with pg.sh, whose header describes it: a private PostgreSQL under
# <build>/bench-datastore-pg on CPU 0, graphgate on CPU 0 with threads=1, wrk and pgbench on CPU 1,
# each with the same N connections) with the app of tests/bench/datastore/: Post synced
# (datastore.conflict_detection VERSION, OPTIMISTIC_CONCURRENCY so that a conflict is an error
# answer, never a silent retry) and Note without conflict detection (datastore.models), seeded by
# tests/bench/datastore/seed.sql (one old change per post in graphgate_changes, 100 recent ones).
# Workloads:
#   sync-delta-100      syncPosts(lastSync: 1 hour ago, limit: 100): the 100 posts logged since,
#                       among posts + 100 log entries      vs the same SELECT ... WHERE id IN (log)
#   sync-base-1000      syncPosts(limit: 1000): the first base page   vs SELECT ... ORDER BY id LIMIT 1000
#   update-versioned    updatePost(input: {id, title, _version}) over the posts in turn, each with its
#                       current version (tests/bench/pg/graphql.lua, mode in-turn): a checked write,
#                       the version bump and the change log insert in one statement
#   update-unversioned  updateNote(input: {id, title}) the same way, on the model without versions
# The sync answers are compared with the SQL's before any load (check_workload); lastSync is
# written into both texts at run time (@LAST_SYNC@). Every _version is set back to 1 before each
# update run (outside the measured window). Targets: each sync page >= 60% of pgbench's rate, the
# versioned update at most 20% slower than the unversioned one (its rate >= 80% of it). A benchmark
# measures: it never fails on a number, only when something cannot run. Loopback only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench_name=datastore.sh
bench_pgdir=bench-datastore-pg
bench_app=datastore
export GRAPHGATE_DATASTORE_CONFLICT_DETECTION=VERSION GRAPHGATE_DATASTORE_CONFLICT_HANDLER=OPTIMISTIC_CONCURRENCY
export GRAPHGATE_DATASTORE_MODELS='{"Note": {"conflict_detection": "NONE"}}'
export GRAPHGATE_DATASTORE_DELTA_TTL_MIN=1440 GRAPHGATE_DATASTORE_PURGE_INTERVAL_S=0
# shellcheck source=tests/bench/pg_common.sh
source "$root/tests/bench/pg_common.sh"

# the workload texts with lastSync (one hour ago) written in, in the directory check_workload and
# run_wrk read
last_sync=$(($(date +%s%3N) - 3600000))
mkdir "$tmp/app"
for f in "$bench"/*.graphql "$bench"/*.sql; do sed "s/@LAST_SYNC@/$last_sync/g" "$f" >"$tmp/app/$(basename "$f")"; done
bench="$tmp/app"
names=(sync-delta-100 sync-base-1000)
stems=(sync_delta sync_base)
randoms=(no no)
gql_paths=('.data.syncPosts.items' '.data.syncPosts.items')
sql_paths=('.' '.')

start_graphgate "$gg_port" datastore
url="http://127.0.0.1:$gg_port/graphql"

printf '\n%-20s %10s %8s %10s %8s %8s\n' workload "graphgate" "p99 ms" "pgbench" ratio target >"$tmp/table"
for i in "${!names[@]}"; do
  name=${names[$i]} stem=${stems[$i]}
  check_workload "$i" "$url"
  echo "$name: warm-up ${warmup}s each, then $rounds round(s) of ${seconds}s per side"
  run_wrk "$url" "$stem" no "$warmup" >/dev/null
  run_pgbench "$stem" "$warmup" >/dev/null
  gg_best=0 gg_p99=0 pb_best=0 bad=0
  for r in $(seq "$rounds"); do
    read -r rps p99 _ gg_bad <<<"$(run_wrk "$url" "$stem" no "$seconds")"
    read -r tps _ failed <<<"$(run_pgbench "$stem" "$seconds")"
    [ -n "$gg_bad" ] && [ -n "$failed" ] || { echo "datastore.sh: wrk or pgbench did not run" >&2; exit 1; }
    bad=$((bad + gg_bad + failed))
    if [ "$rps" -gt "$gg_best" ]; then gg_best=$rps gg_p99=$p99; fi
    [ "$tps" -gt "$pb_best" ] && pb_best=$tps
    echo "  round $r: graphgate $rps req/s (p99 $p99 ms), pgbench $tps tps"
  done
  ratio=n/a
  [ "$pb_best" -gt 0 ] && ratio="$((gg_best * 100 / pb_best))%"
  [ "$bad" -eq 0 ] || { ratio=invalid; echo "datastore.sh: $name: $bad bad answers or failed transactions" >&2; }
  printf '%-20s %10s %8s %10s %8s %8s\n' "$name" "$gg_best" "$gg_p99" "$pb_best" "$ratio" ">=60%" >>"$tmp/table"
done

# the updates: each run starts from every _version at 1 (what graphql.lua's in-turn mode assumes),
# once the writes wrk left in flight at the end of the last run are done
reset_versions() {
  sleep 1
  psql -qAt "$db_url" -v ON_ERROR_STOP=1 -c 'UPDATE "Post" SET "_version" = 1 WHERE "_version" <> 1' >/dev/null
}
echo "update-versioned / update-unversioned: warm-up ${warmup}s each, then $rounds round(s) of ${seconds}s per side"
reset_versions
run_wrk "$url" update_versioned in-turn "$warmup" >/dev/null
run_wrk "$url" update_plain in-turn "$warmup" >/dev/null
versioned_best=0 versioned_p99=0 plain_best=0 plain_p99=0 bad=0
for r in $(seq "$rounds"); do
  reset_versions
  read -r versioned p99 _ v_bad <<<"$(run_wrk "$url" update_versioned in-turn "$seconds")"
  if [ "$versioned" -gt "$versioned_best" ]; then versioned_best=$versioned versioned_p99=$p99; fi
  read -r plain p99 _ p_bad <<<"$(run_wrk "$url" update_plain in-turn "$seconds")"
  [ -n "$p_bad" ] || { echo "datastore.sh: wrk did not run" >&2; exit 1; }
  if [ "$plain" -gt "$plain_best" ]; then plain_best=$plain plain_p99=$p99; fi
  bad=$((bad + v_bad + p_bad))
  echo "  round $r: versioned $versioned req/s ($v_bad bad answers), unversioned $plain req/s ($p_bad bad answers)"
done
ratio=n/a
[ "$plain_best" -gt 0 ] && ratio="$((versioned_best * 100 / plain_best))%"
[ "$bad" -eq 0 ] || { ratio=invalid; echo "datastore.sh: updates: $bad bad answers (non-200, errors, conflicts)" >&2; }
printf '\n%-20s %10s %8s %12s %8s %8s %8s\n' workload "versioned" "p99 ms" "unversioned" "p99 ms" ratio target >>"$tmp/table"
printf '%-20s %10s %8s %12s %8s %8s %8s\n' update "$versioned_best" "$versioned_p99" "$plain_best" "$plain_p99" "$ratio" \
  ">=80%" >>"$tmp/table"
cat "$tmp/table"
echo "graphgate (1 thread, $pool PostgreSQL connections) and PostgreSQL on CPU $server_cpu, wrk/pgbench on CPU" \
  "$client_cpu; $conns connections each; ${seconds}s x $rounds rounds, best round; $posts posts, $posts + 100 log entries"
