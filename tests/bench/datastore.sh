#!/usr/bin/env bash
# datastore.sh: Amplify DataStore over PostgreSQL (issue 17): syncX pages next to pgbench running
# the hand-written SQL of the same pages, and a versioned update next to an unversioned one, in the
# same run, on the same database.
#
# Usage: tests/bench/datastore.sh [build dir (default: build)] [seconds per run (default: 10)]
#                                 [connections (default: 8)] [rounds (default: 2)]
# Environment: BENCH_POSTS (default 10000), BENCH_WARMUP, BENCH_POOL, BENCH_PG_PORT as for pg.sh;
# DATASTORE_CASES picks the workloads (names below, "update" for both updates; default: all).
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
#                       current version (tests/bench/datastore/update.lua): a checked write, the
#                       version bump and the change log insert in one statement
#   update-unversioned  updateNote(input: {id, title}) the same way, on the model without versions
# The updates are valid by construction: wrk runs one connection per thread and each connection
# owns posts / N rows, so no two connections write one row; a connection knows its rows' versions
# (read just before the run, then from its own answers) and checks every answer (the row, the new
# version); a conflict, an error, a non-200 or a broken connection makes the comparison invalid.
# The two sides take turns over BENCH_UPDATE_ROUNDS (default 7) rounds, in reverse order every other
# round; the ratio is taken within each round and shown as the median [min, max], next to the
# server side's CPU per request (graphgate and PostgreSQL, from /proc), which a loaded machine
# disturbs less than the rate, and wrk's share of its core. Every update run starts from the same
# state. After each run, whichever side, the benchmark (1) waits until graphgate is idle: every
# mutation publishes an event on the realtime bus (LISTEN/NOTIFY, one statement per event), which
# falls seconds behind under this load, so without the wait a run paid for the events of the run
# before it (the faster side leaves more); (2) runs VACUUM of "Post", "Note" and graphgate_changes
# and a CHECKPOINT, with autovacuum off on those tables during the rounds (on again at the end), so
# that no autovacuum or checkpoint one side caused lands in the other's run. Both left the ratio
# swinging by 20 points within one benchmark. The time each step took after each side's runs is
# printed (drain ms, vacuum ms): the work the benchmark keeps out of the measured windows.
# The sync answers are compared with the SQL's before any load (check_workload); lastSync is
# written into both texts at run time (@LAST_SYNC@). Under load, wrk checks the sync answers through
# graphgate's counters (run_wrk's "counters": no GraphQL error, every request answered 200), not by
# handing each body to Lua: for a 240 KB base page that costs wrk ~600 µs of CPU 1 per page, more
# than pgbench's whole client, and such a slow client leaves CPU 0 idle between pages (closed loop,
# 8 connections), which then measures wrk; BENCH_WRK_CHECK=answers brings the Lua check back. Each
# round prints CPU 0's time per page from /proc (graphgate and PostgreSQL under wrk, PostgreSQL
# under pgbench: the load moves it far less than the rates) and wrk's CPU per page. Targets: each sync page >= 60% of pgbench's rate, the
# versioned update at most 20% slower than the unversioned one (its rate >= 80% of it). A benchmark
# measures: it never fails on a number, only when something cannot run. Loopback only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench_name=datastore.sh
bench_pgdir="bench-datastore-pg"
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

printf '\n%-20s %10s %8s %10s %8s %8s %22s %14s\n' workload "graphgate" "p99 ms" "pgbench" ratio target \
  "graphgate+pg µs/page" "pgbench µs/tx" >"$tmp/table"
cases=" ${DATASTORE_CASES:-${names[*]} update} "
selected() { [[ "$cases" == *" $1 "* ]]; }
wrk_check="${BENCH_WRK_CHECK:-counters}"
for i in "${!names[@]}"; do
  name=${names[$i]} stem=${stems[$i]}
  selected "$name" || continue
  check_workload "$i" "$url"
  echo "$name: warm-up ${warmup}s each, then $rounds round(s) of ${seconds}s per side (wrk's answer check: $wrk_check)"
  run_wrk "$url" "$stem" no "$warmup" "$wrk_check" >/dev/null
  run_pgbench "$stem" "$warmup" >/dev/null
  gg_best=0 gg_p99=0 pb_best=0 bad=0 gg_split="" pb_split=""
  for r in $(seq "$rounds"); do
    # CPU 0's time per page (from /proc): graphgate's and PostgreSQL's under wrk, PostgreSQL's under
    # pgbench; and wrk's own CPU per page on CPU 1 (a busy load generator slows what it waits for)
    read -r rps p99 n gg_bad pg_us gg_us <<<"$(with_cpu "${started_pids[0]}" run_wrk "$url" "$stem" no "$seconds" "$wrk_check")"
    read -r wrk_user wrk_system <"$tmp/wrk_cpu"
    read -r tps pb_n failed pb_us _ <<<"$(with_cpu "${started_pids[0]}" run_pgbench "$stem" "$seconds")"
    if [ -z "$gg_bad" ] || [ -z "$failed" ]; then echo "datastore.sh: wrk or pgbench did not run" >&2; exit 1; fi
    bad=$((bad + gg_bad + failed))
    split=$(awk -v n="$n" -v gg="$gg_us" -v pg="$pg_us" 'BEGIN {printf "%.0f+%.0f", gg / (n ? n : 1), pg / (n ? n : 1)}')
    per_tx=$(awk -v n="$pb_n" -v pg="$pb_us" 'BEGIN {printf "%.0f", pg / (n ? n : 1)}')
    if [ "$rps" -gt "$gg_best" ]; then gg_best=$rps gg_p99=$p99 gg_split=$split; fi
    if [ "$tps" -gt "$pb_best" ]; then pb_best=$tps pb_split=$per_tx; fi
    echo "  round $r (load $(cut -d' ' -f1 /proc/loadavg)): graphgate $rps req/s (p99 $p99 ms), pgbench $tps tps;" \
      "CPU $server_cpu per page: graphgate+PostgreSQL $split µs, pgbench's PostgreSQL $per_tx µs;" \
      "wrk $(awk -v n="$n" -v u="$wrk_user" -v s="$wrk_system" -v t="$seconds" \
        'BEGIN {printf "%.0f µs per page (%.0f%% of CPU", (u + s) * 1e6 / (n ? n : 1), (u + s) * 100 / t}') $client_cpu)"
  done
  ratio=n/a
  [ "$pb_best" -gt 0 ] && ratio="$((gg_best * 100 / pb_best))%"
  [ "$bad" -eq 0 ] || { ratio=invalid; echo "datastore.sh: $name: $bad bad answers or failed transactions" >&2; }
  printf '%-20s %10s %8s %10s %8s %8s %22s %14s\n' "$name" "$gg_best" "$gg_p99" "$pb_best" "$ratio" ">=60%" "$gg_split" \
    "$pb_split" >>"$tmp/table"
done

# ---- the updates, valid by construction (datastore/update.lua): wrk with one connection per
# thread, each connection updating its own rows (posts / conns ids) with the versions it knows (a
# file written just before each versioned run, then its own answers), every answer checked. The
# rounds interleave the two sides (versioned first in odd rounds, unversioned first in even ones);
# each run records its rate, p99, the server side's CPU per request (graphgate and PostgreSQL, both
# on CPU 0, from /proc) and wrk's share of CPU 1 (to show the load generator is not the limit).
update_rounds="${BENCH_UPDATE_ROUNDS:-7}"
if ! selected update; then
  cat "$tmp/table"
  echo "graphgate (1 thread, $pool PostgreSQL connections) and PostgreSQL on CPU $server_cpu, wrk/pgbench on CPU" \
    "$client_cpu; $conns connections each; sync: ${seconds}s x $rounds rounds, best round; $posts posts"
  exit 0
fi
per_conn=$((posts / conns))
gg_pid=${started_pids[0]}
updates="$tmp/updates"
mkdir "$updates"
update_tables='"Post", "Note", graphgate_changes'
autovacuum() { # on|off: autovacuum (and autoanalyze) of the updated tables
  local t
  for t in '"Post"' '"Note"' graphgate_changes; do
    if [ "$1" = off ]; then echo "ALTER TABLE $t SET (autovacuum_enabled = false);"; else echo "ALTER TABLE $t RESET (autovacuum_enabled);"; fi
  done | psql -qAt "$db_url" -v ON_ERROR_STOP=1 >/dev/null
}
# the same clean-up after every update run, either side, so that the next starts from a clean
# state: waits until graphgate used no CPU for 0.3 s (its bus has sent the run's events; at most
# 30 s), then VACUUM (no ANALYZE: the plans stay as they are) and a CHECKPOINT; prints
# "<drain ms> <vacuum ms>"
settle() {
  local t0 t1 before after
  t0=$(date +%s%N)
  for _ in $(seq 100); do
    before=$(proc_cpu_us "$gg_pid")
    sleep 0.3
    after=$(proc_cpu_us "$gg_pid")
    [ $((after - before)) -gt 0 ] || break
  done
  t1=$(date +%s%N)
  psql -qAt "$db_url" -v ON_ERROR_STOP=1 -c "VACUUM $update_tables" -c 'CHECKPOINT' >/dev/null
  echo "$(((t1 - t0) / 1000000)) $((($(date +%s%N) - t1) / 1000000))"
}
run_update() { # stem round (0: warm-up, not recorded)
  local stem=$1 round=$2 out pg0 gg0 pg1 gg1 drain_ms vacuum_ms
  if [ "$stem" = update_versioned ]; then
    psql -qAt "$db_url" -v ON_ERROR_STOP=1 -c 'SELECT "_version" FROM "Post" ORDER BY id::int' >"$tmp/versions"
  fi
  sleep 0.3
  pg0=$(pg_cpu_us)
  gg0=$(proc_cpu_us "$gg_pid")
  out=$(taskset -c "$client_cpu" /usr/bin/time -f 'wrk cpu: %e %U %S' wrk -t"$conns" -c"$conns" -d"${3:-$seconds}s" \
    --latency -s "$root/tests/bench/datastore/update.lua" "$url" -- "$bench/$stem.graphql" "$per_conn" "$tmp/versions" 2>&1) ||
    { echo "datastore.sh: wrk failed: $out" >&2; exit 1; }
  pg1=$(pg_cpu_us)
  gg1=$(proc_cpu_us "$gg_pid")
  read -r drain_ms vacuum_ms <<<"$(settle)"
  [ "$round" != 0 ] || return 0
  # round rps p99 requests bad server-µs/req graphgate-µs/req PostgreSQL-µs/req wrk-CPU-% drain-ms
  # vacuum-ms (and the bad answers by kind, for the message)
  awk -v r="$round" -v pg="$((pg1 - pg0))" -v gg="$((gg1 - gg0))" -v drain="$drain_ms" -v vacuum="$vacuum_ms" '
    /^Requests\/sec/ { rps = $2 }
    /requests in/ { n = $1 }
    $1 == "99%" { v = $2; u = v; sub(/[a-z]+$/, "", v); sub(/^[0-9.]+/, "", u);
                  p99 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v }
    /^answers checked:/ { checked = $3 }
    /^conflicts:/ { conflicts = $2 } /^graphql errors:/ { errors = $3 }
    /^non-200 responses:/ { status = $3 }
    /Socket errors/ { sockets = $4 + $6 + $8 }
    /^  Non-2xx/ { status += $NF }
    /^wrk cpu:/ { wrk = ($3 > 0) ? ($4 + $5) * 100 / $3 : 0 }
    END {
      bad = conflicts + errors + status + sockets + (checked == n ? 0 : 1)
      printf "%d %d %.2f %d %d %.1f %.1f %.1f %.0f %d %d conflicts=%d errors=%d non-200=%d socket=%d checked=%d/%d\n",
        r, rps, p99, n, bad, (n ? (pg + gg) / n : 0), (n ? gg / n : 0), (n ? pg / n : 0), wrk, drain, vacuum,
        conflicts, errors, status, sockets, checked, n
    }' <<<"$out" >>"$updates/$stem"
  if [ "$(tail -1 "$updates/$stem" | cut -d' ' -f5)" != 0 ]; then echo "datastore.sh: $stem, round $round: $out" >&2; fi
  tail -1 "$updates/$stem"
}
# "median min max" of the numbers on stdin
spread() { sort -g | awk '{v[NR] = $1} END {printf "%s %s %s", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR]}'; }
column_of() { awk -v c="$2" '{print $c}' "$updates/$1"; } # stem column -> that column of every round
ratio_of() { # column -> versioned / unversioned of that column, per round
  awk -v c="$1" 'FNR == NR {a[$1] = $c; next} $c > 0 {print a[$1] / $c}' "$updates/update_versioned" "$updates/update_plain"
}
echo "update-versioned / update-unversioned: $conns connections of $per_conn rows each, warm-up ${warmup}s each," \
  "then $update_rounds interleaved round(s) of ${seconds}s per side"
autovacuum off
before_pg_stop="autovacuum on" # also when the benchmark stops early
run_update update_versioned 0 "$warmup"
run_update update_plain 0 "$warmup"
for r in $(seq "$update_rounds"); do
  order=(update_versioned update_plain)
  [ $((r % 2)) = 1 ] || order=(update_plain update_versioned)
  for stem in "${order[@]}"; do
    read -r _ rps p99 _ bad us _ _ wrk_pct drain_ms vacuum_ms detail <<<"$(run_update "$stem" "$r")"
    echo "  round $r (load $(cut -d' ' -f1 /proc/loadavg)): $stem $rps req/s, p99 $p99 ms, server $us µs/req," \
      "wrk ${wrk_pct}% of CPU $client_cpu, after it drain ${drain_ms} ms, vacuum ${vacuum_ms} ms$([ "$bad" = 0 ] || echo "; INVALID: $detail")"
  done
done
autovacuum on
before_pg_stop=:
bad=$(cat "$updates"/update_* | awk '{n += $5} END {print n + 0}')
row() { # label stem
  read -r rm rl rh <<<"$(column_of "$2" 2 | spread)"
  read -r pm pl ph <<<"$(column_of "$2" 3 | spread)"
  read -r um ul uh <<<"$(column_of "$2" 6 | spread)"
  read -r wm _ wh <<<"$(column_of "$2" 9 | spread)"
  read -r dm _ _ <<<"$(column_of "$2" 10 | spread)"
  read -r vm _ _ <<<"$(column_of "$2" 11 | spread)"
  printf '%-20s %-22s %-22s %-24s %-18s %-9s %s\n' "$1" "$rm [$rl, $rh]" "$pm [$pl, $ph]" "$um [$ul, $uh]" "$wm% (max $wh%)" \
    "$dm" "$vm"
}
pct() { awk -v m="$1" -v lo="$2" -v hi="$3" 'BEGIN {printf "%.0f%% [%.0f, %.0f]", m * 100, lo * 100, hi * 100}'; }
{
  printf '\nupdate: median [min, max] of %s interleaved rounds of %ss; ratios taken within each round\n' "$update_rounds" "$seconds"
  printf '%-20s %-22s %-22s %-24s %-18s %-9s %s\n' workload "req/s" "p99 ms" "server CPU µs/req" "wrk CPU (1 core)" \
    "drain ms" "vacuum ms"
  row update-versioned update_versioned
  row update-unversioned update_plain
  if [ "$bad" -eq 0 ]; then
    read -r qm ql qh <<<"$(ratio_of 2 | spread)"
    read -r cm cl ch <<<"$(ratio_of 6 | spread)"
    printf 'versioned / unversioned: req/s %s (target >= 80%%), server CPU per request %s\n' "$(pct "$qm" "$ql" "$qh")" \
      "$(pct "$cm" "$cl" "$ch")"
  else
    echo "versioned / unversioned: invalid: $bad bad answers (conflicts, errors, non-200, socket errors)"
  fi
} >>"$tmp/table"
[ "$bad" -eq 0 ] || echo "datastore.sh: updates: $bad bad answers; the ratio is not reported" >&2
cat "$tmp/table"
echo "graphgate (1 thread, $pool PostgreSQL connections) and PostgreSQL on CPU $server_cpu, wrk/pgbench on CPU" \
  "$client_cpu; $conns connections each; sync: ${seconds}s x $rounds rounds, best round; updates: wrk -t$conns" \
  "-c$conns, $per_conn rows per connection, median of $update_rounds rounds; $posts posts, $posts + 100 log entries"
echo "updates: after every run (both sides), outside the measured windows: a wait until graphgate is idle (its bus has sent" \
  "the run's events) and VACUUM of $update_tables and a CHECKPOINT (autovacuum off on them during the rounds);" \
  "drain ms and vacuum ms: their median times after that side's runs"
